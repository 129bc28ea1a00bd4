using System.Text.RegularExpressions;

namespace Kratix.StateStores;

/// <summary>
/// Removes secrets from text that may reach a message or a log: credentials embedded in URLs (<c>https://user:token@host</c>, <c>https://token@host</c>) from text that may reach
/// a message or a log. For http(s) the whole userinfo is replaced (tokens are often passed as the user name); for other
/// schemes only a password is, so <c>ssh://git@host</c> stays readable. <see cref="Redact(string?, IReadOnlyCollection{string})"/>
/// also masks known secret values (a state store's password or token, the lines of a private key) wherever they appear.
/// </summary>
public static partial class SecretRedactor
{
    /// <summary>What replaces a redacted credential.</summary>
    public const string Mask = "***";

    [GeneratedRegex(@"(?<scheme>\b[A-Za-z][A-Za-z0-9+.\-]*://)(?<user>[^/@\s:'""]*)(?<password>:[^/@\s'""]*)?@", RegexOptions.CultureInvariant)]
    private static partial Regex UserInfoPattern();

    /// <summary>Returns <paramref name="text"/> with URL credentials masked.</summary>
    public static string Redact(string? text)
    {
        if (string.IsNullOrEmpty(text))
        {
            return text ?? "";
        }
        return UserInfoPattern().Replace(text, match =>
        {
            var scheme = match.Groups["scheme"].Value;
            var isHttp = scheme.StartsWith("http", StringComparison.OrdinalIgnoreCase);
            if (isHttp)
            {
                return scheme + Mask + "@";
            }
            return match.Groups["password"].Success
                ? scheme + match.Groups["user"].Value + ":" + Mask + "@"
                : match.Value;
        });
    }

    /// <summary>Returns <paramref name="text"/> with URL credentials and every occurrence of each of <paramref name="secrets"/> masked.</summary>
    public static string Redact(string? text, IReadOnlyCollection<string> secrets)
    {
        var redacted = Redact(text);
        if (secrets.Count == 0 || redacted.Length == 0)
        {
            return redacted;
        }

        // Longest first, so that a secret containing another is masked whole.
        foreach (var secret in secrets.Where(s => s.Length > 0).OrderByDescending(s => s.Length))
        {
            redacted = redacted.Replace(secret, Mask, StringComparison.Ordinal);
        }

        return redacted;
    }
}
