using System.Globalization;

namespace Kratix.Objects;

/// <summary>RFC 3339 timestamps at second precision, as Kubernetes' metav1.Time serialises them.</summary>
public static class Timestamps
{
    public static string Format(DateTimeOffset when) => when.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss'Z'", CultureInfo.InvariantCulture);

    public static DateTimeOffset? Parse(string? text) =>
        text is not null && DateTimeOffset.TryParse(text, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal, out var when) ? when : null;
}
