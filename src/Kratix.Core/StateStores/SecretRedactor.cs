using System.Text.RegularExpressions;

namespace Kratix.StateStores;

/// <summary>
/// Removes credentials embedded in URLs (<c>https://user:token@host</c>, <c>https://token@host</c>) from text that may reach
/// a message or a log. For http(s) the whole userinfo is replaced (tokens are often passed as the user name); for other
/// schemes only a password is, so <c>ssh://git@host</c> stays readable.
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
}
