using System.Globalization;
using System.Net;
using System.Text.RegularExpressions;

namespace Kratix.Schema;

/// <summary>
/// The string formats Kubernetes validates in CRD schemas (k8s.io/apiextensions-apiserver's supported list, checked by
/// kube-openapi's strfmt registry). Other formats are ignored, as Kubernetes ignores them.
/// </summary>
internal static class StringFormats
{
    private static readonly RegexOptions Opts = RegexOptions.CultureInvariant | RegexOptions.NonBacktracking;
    private static readonly Regex Uuid = new("^[0-9a-fA-F]{8}-?[0-9a-fA-F]{4}-?[0-9a-fA-F]{4}-?[0-9a-fA-F]{4}-?[0-9a-fA-F]{12}\\z", Opts);
    private static readonly Regex Uuid3 = new("^[0-9a-fA-F]{8}-?[0-9a-fA-F]{4}-?3[0-9a-fA-F]{3}-?[0-9a-fA-F]{4}-?[0-9a-fA-F]{12}\\z", Opts);
    private static readonly Regex Uuid4 = new("^[0-9a-fA-F]{8}-?[0-9a-fA-F]{4}-?4[0-9a-fA-F]{3}-?[89abAB][0-9a-fA-F]{3}-?[0-9a-fA-F]{12}\\z", Opts);
    private static readonly Regex Uuid5 = new("^[0-9a-fA-F]{8}-?[0-9a-fA-F]{4}-?5[0-9a-fA-F]{3}-?[89abAB][0-9a-fA-F]{3}-?[0-9a-fA-F]{12}\\z", Opts);
    private static readonly Regex Base64 = new("^(?:[A-Za-z0-9+/]{4})*(?:[A-Za-z0-9+/]{2}==|[A-Za-z0-9+/]{3}=|[A-Za-z0-9+/]{4})\\z", Opts);
    private static readonly Regex Hostname = new(
        "^([a-zA-Z0-9\\p{S}\\p{L}]((-?[a-zA-Z0-9\\p{S}\\p{L}]{0,62})?)|([a-zA-Z0-9\\p{S}\\p{L}](([a-zA-Z0-9\\-\\p{S}\\p{L}]{0,61}[a-zA-Z0-9\\p{S}\\p{L}])?)(\\.)){1,}([a-zA-Z\\p{L}]){2,63})\\z", Opts);
    private static readonly Regex DateTimeTime = new("^([0-9]{2}):([0-9]{2}):([0-9]{2})(.[0-9]+)?(z|([+-][0-9]{2}:[0-9]{2}))\\z", Opts);
    private static readonly Regex CreditCard = new("^(?:4[0-9]{12}(?:[0-9]{3})?|5[1-5][0-9]{14}|6(?:011|5[0-9][0-9])[0-9]{12}|3[47][0-9]{13}|3(?:0[0-5]|[68][0-9])[0-9]{11}|(?:2131|1800|35[0-9]{3})[0-9]{11})\\z", Opts);
    private static readonly Regex Isbn10 = new("^(?:[0-9]{9}X|[0-9]{10})\\z", Opts);
    private static readonly Regex Isbn13 = new("^(?:[0-9]{13})\\z", Opts);
    private static readonly Regex HexColor = new("^#?([0-9a-fA-F]{3}|[0-9a-fA-F]{6})\\z", Opts);
    private static readonly Regex RgbColor = new("^rgb\\(\\s*(0|[1-9][0-9]?|1[0-9][0-9]?|2[0-4][0-9]|25[0-5])\\s*,\\s*(0|[1-9][0-9]?|1[0-9][0-9]?|2[0-4][0-9]|25[0-5])\\s*,\\s*(0|[1-9][0-9]?|1[0-9][0-9]?|2[0-4][0-9]|25[0-5])\\s*\\)\\z", Opts);
    private static readonly Regex Ssn = new("^[0-9]{3}[- ]?[0-9]{2}[- ]?[0-9]{4}\\z", Opts);
    private static readonly Regex ShortName = new("^[a-z0-9]([-a-z0-9]*[a-z0-9])?\\z", Opts);
    private static readonly Regex LongName = new("^[a-z0-9]([-a-z0-9]*[a-z0-9])?(\\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*\\z", Opts);
    private static readonly Regex Duration = new("([0-9]+)\\s*([A-Za-zµ]+)", RegexOptions.CultureInvariant);
    private static readonly Regex GoDuration = new("^[-+]?(([0-9]+(\\.[0-9]*)?|\\.[0-9]+)(ns|us|µs|μs|ms|s|m|h))+\\z|^[-+]?0\\z", Opts);

    private static readonly Dictionary<string, Func<string, bool>> Validators = new(StringComparer.Ordinal)
    {
        ["bsonobjectid"] = s => s.Length == 24 && s.All(char.IsAsciiHexDigit),
        ["uri"] = IsRequestUri,
        ["email"] = IsEmail,
        ["hostname"] = IsHostname,
        ["ipv4"] = s => s.Contains('.') && IPAddress.TryParse(s, out var a) && a.AddressFamily == System.Net.Sockets.AddressFamily.InterNetwork && IsDottedQuad(s),
        ["ipv6"] = s => s.Contains(':') && IPAddress.TryParse(s, out var a) && !s.Contains('%') && !s.Contains('[') && (a.AddressFamily == System.Net.Sockets.AddressFamily.InterNetworkV6),
        ["cidr"] = IsCidr,
        ["mac"] = IsMac,
        ["uuid"] = s => Uuid.IsMatch(s),
        ["uuid3"] = s => Uuid3.IsMatch(s),
        ["uuid4"] = s => Uuid4.IsMatch(s),
        ["uuid5"] = s => Uuid5.IsMatch(s),
        ["isbn"] = s => IsIsbn(s, 10) || IsIsbn(s, 13),
        ["isbn10"] = s => IsIsbn(s, 10),
        ["isbn13"] = s => IsIsbn(s, 13),
        ["creditcard"] = IsCreditCard,
        ["ssn"] = s => s.Length == 11 && Ssn.IsMatch(s),
        ["hexcolor"] = s => HexColor.IsMatch(s),
        ["rgbcolor"] = s => RgbColor.IsMatch(s),
        ["byte"] = s => Base64.IsMatch(s),
        ["password"] = _ => true,
        ["date"] = IsDate,
        ["duration"] = IsDuration,
        ["datetime"] = IsDateTime,
        ["k8sshortname"] = s => s.Length <= 63 && ShortName.IsMatch(s),
        ["k8slongname"] = s => s.Length <= 253 && LongName.IsMatch(s),
    };

    /// <summary>
    /// The format the API server enforces for a schema of the given type, or null when Kubernetes drops it
    /// (StripUnsupportedFormatsPostProcessor): integer keeps int32/int64, number keeps float/double, string (or no
    /// type) keeps the supported string formats, anything else is dropped.
    /// </summary>
    public static string? Effective(string? type, string? format)
    {
        if (string.IsNullOrEmpty(format))
        {
            return null;
        }

        switch (type ?? string.Empty)
        {
            case "":
            case "string":
                return Validators.ContainsKey(Normalize(format)) ? format : null;
            case "integer":
                return format is "int32" or "int64" ? format : null;
            case "number":
                return format is "float" or "double" ? format : null;
            default:
                return null;
        }
    }

    /// <summary>go-openapi's name normalisation: dashes removed ("date-time" is "datetime").</summary>
    public static string Normalize(string format) => format.Replace("-", string.Empty, StringComparison.Ordinal);

    /// <summary>True if the registry knows the format (strfmt.Default.ContainsName).</summary>
    public static bool IsKnown(string format) => Validators.ContainsKey(Normalize(format));

    /// <summary>Validates <paramref name="value"/> against a known format.</summary>
    public static bool Validate(string format, string value) =>
        !Validators.TryGetValue(Normalize(format), out var f) || f(value);

    private static bool IsDottedQuad(string s)
    {
        var parts = s.Split('.');
        return parts.Length == 4 && parts.All(p => p.Length is > 0 and <= 3 && p.All(char.IsAsciiDigit));
    }

    private static bool IsCidr(string s)
    {
        int slash = s.IndexOf('/');
        if (slash < 0)
        {
            return false;
        }

        var ip = s.Substring(0, slash);
        var bits = s.Substring(slash + 1);
        if (bits.Length == 0 || !bits.All(char.IsAsciiDigit) || bits.Length > 3)
        {
            return false;
        }

        int n = int.Parse(bits, CultureInfo.InvariantCulture);
        if (!IPAddress.TryParse(ip, out var addr) || ip.Contains('%'))
        {
            return false;
        }

        bool v4 = addr.AddressFamily == System.Net.Sockets.AddressFamily.InterNetwork;
        if (v4 && !IsDottedQuad(ip))
        {
            return false;
        }

        return n <= (v4 ? 32 : 128);
    }

    private static bool IsMac(string s)
    {
        // Go net.ParseMAC: 6, 8 or 20 octets separated by ':' or '-', or groups of 4 hex digits separated by '.'.
        if (s.Contains('.'))
        {
            var groups = s.Split('.');
            return groups.Length is 3 or 4 or 10 && groups.All(g => g.Length == 4 && g.All(char.IsAsciiHexDigit));
        }

        var sep = s.Contains(':') ? ':' : '-';
        var octets = s.Split(sep);
        return octets.Length is 6 or 8 or 20 && octets.All(o => o.Length == 2 && o.All(char.IsAsciiHexDigit));
    }

    private static bool IsRequestUri(string s)
    {
        // Go url.ParseRequestURI: an absolute URI or an absolute path; no fragment handling beyond that.
        if (s.Length == 0)
        {
            return false;
        }

        if (s.StartsWith('/'))
        {
            return !s.Any(char.IsControl);
        }

        return Uri.TryCreate(s, UriKind.Absolute, out var u) && !string.IsNullOrEmpty(u.Scheme) && !s.Any(char.IsControl);
    }

    private static bool IsEmail(string s)
    {
        try
        {
            var addr = new System.Net.Mail.MailAddress(s);
            return addr.Address.Length > 0;
        }
        catch (FormatException)
        {
            return false;
        }
    }

    private static bool IsHostname(string s)
    {
        if (!Hostname.IsMatch(s) || s.Length > 255)
        {
            return false;
        }

        return s.Split('.').All(p => p.Length <= 63);
    }

    private static bool IsDate(string s) =>
        s.Length == 10 && DateTime.TryParseExact(s, "yyyy-MM-dd", CultureInfo.InvariantCulture, DateTimeStyles.None, out _);

    private static bool IsDateTime(string s)
    {
        if (s.Length < 4)
        {
            return false;
        }

        var parts = s.ToLowerInvariant().Split('t');
        if (parts.Length < 2 || !IsDate(parts[0]))
        {
            return false;
        }

        var m = DateTimeTime.Match(parts[1]);
        if (!m.Success)
        {
            return false;
        }

        return string.CompareOrdinal(m.Groups[1].Value, "23") <= 0 && string.CompareOrdinal(m.Groups[2].Value, "59") <= 0
            && string.CompareOrdinal(m.Groups[3].Value, "59") <= 0;
    }

    private static bool IsDuration(string s)
    {
        if (GoDuration.IsMatch(s))
        {
            return true;
        }

        string[][] units =
        [
            ["ns", "nano"], ["us", "µs", "micro"], ["ms", "milli"], ["s", "sec"], ["m", "min"], ["h", "hr", "hour"], ["d", "day"],
            ["w", "wk", "week"],
        ];
        foreach (Match m in Duration.Matches(s))
        {
            var unit = m.Groups[2].Value.Trim().ToLowerInvariant();
            foreach (var variants in units)
            {
                for (int i = 0; i < variants.Length; i++)
                {
                    if ((i == variants.Length - 1 && unit.StartsWith(variants[i], StringComparison.Ordinal))
                        || string.Equals(variants[i], unit, StringComparison.OrdinalIgnoreCase))
                    {
                        return true;
                    }
                }
            }
        }

        return false;
    }

    private static bool IsIsbn(string str, int version)
    {
        var sanitized = Regex.Replace(str, "[\\s-]+", string.Empty);
        if (version == 10)
        {
            if (!Isbn10.IsMatch(sanitized))
            {
                return false;
            }

            int checksum = 0;
            for (int i = 0; i < 9; i++)
            {
                checksum += (i + 1) * (sanitized[i] - '0');
            }

            checksum += sanitized[9] == 'X' ? 100 : 10 * (sanitized[9] - '0');
            return checksum % 11 == 0;
        }

        if (!Isbn13.IsMatch(sanitized))
        {
            return false;
        }

        int sum = 0;
        int[] factor = [1, 3];
        for (int i = 0; i < 12; i++)
        {
            sum += factor[i % 2] * (sanitized[i] - '0');
        }

        return sanitized[12] - '0' - ((10 - (sum % 10)) % 10) == 0;
    }

    private static bool IsCreditCard(string str)
    {
        var sanitized = new string(str.Where(char.IsAsciiDigit).ToArray());
        if (!CreditCard.IsMatch(sanitized))
        {
            return false;
        }

        long sum = 0;
        bool dbl = false;
        for (int i = sanitized.Length - 1; i >= 0; i--)
        {
            long n = sanitized[i] - '0';
            if (dbl)
            {
                n *= 2;
                sum += n >= 10 ? (n % 10) + 1 : n;
            }
            else
            {
                sum += n;
            }

            dbl = !dbl;
        }

        return sum % 10 == 0;
    }
}
