using System.Globalization;
using System.Text.Json.Nodes;

namespace Kratix.Manifests;

/// <summary>
/// Resolves an untagged plain YAML scalar to a JSON value the way Kubernetes does (sigs.k8s.io/yaml over go-yaml v2),
/// so a request read here has the same types it would have in the API server: <c>yes</c>/<c>on</c> are booleans,
/// <c>0755</c> is an octal integer, and <c>2024-01-01</c> stays a string.
/// </summary>
public static class YamlScalarResolver
{
    private static readonly HashSet<string> TrueWords = new(StringComparer.Ordinal)
        { "y", "Y", "yes", "Yes", "YES", "true", "True", "TRUE", "on", "On", "ON" };

    private static readonly HashSet<string> FalseWords = new(StringComparer.Ordinal)
        { "n", "N", "no", "No", "NO", "false", "False", "FALSE", "off", "Off", "OFF" };

    private static readonly HashSet<string> NullWords = new(StringComparer.Ordinal) { "", "~", "null", "Null", "NULL" };

    /// <summary>The JSON value of a plain scalar; null for YAML null.</summary>
    public static JsonNode? Resolve(string text)
    {
        if (NullWords.Contains(text))
        {
            return null;
        }

        if (TrueWords.Contains(text))
        {
            return JsonValue.Create(true);
        }

        if (FalseWords.Contains(text))
        {
            return JsonValue.Create(false);
        }

        if (TryParseNumber(text, out var number))
        {
            return number;
        }

        return JsonValue.Create(text);
    }

    /// <summary>True when a string written as a plain scalar would read back as something other than that string.</summary>
    public static bool NeedsQuoting(string text) => Resolve(text) is not JsonValue value || value.GetValueKind() != System.Text.Json.JsonValueKind.String;

    private static bool TryParseNumber(string text, out JsonNode? number)
    {
        number = null;
        var c = text[0];
        if (!(char.IsAsciiDigit(c) || c is '-' or '+' or '.'))
        {
            return false;
        }

        var plain = text.Replace("_", string.Empty, StringComparison.Ordinal);
        if (TryParseInteger(plain, out var integer, out var tooBig))
        {
            number = JsonValue.Create(integer);
            return true;
        }

        if (tooBig && double.TryParse(plain, NumberStyles.Float, CultureInfo.InvariantCulture, out var huge))
        {
            number = JsonValue.Create(huge);
            return true;
        }

        switch (plain)
        {
            case ".inf" or ".Inf" or ".INF" or "+.inf" or "+.Inf" or "+.INF":
                number = JsonValue.Create(double.PositiveInfinity);
                return true;
            case "-.inf" or "-.Inf" or "-.INF":
                number = JsonValue.Create(double.NegativeInfinity);
                return true;
            case ".nan" or ".NaN" or ".NAN":
                number = JsonValue.Create(double.NaN);
                return true;
        }

        if (IsYamlFloat(plain) && double.TryParse(plain, NumberStyles.Float, CultureInfo.InvariantCulture, out var d))
        {
            number = JsonValue.Create(d);
            return true;
        }

        return false;
    }

    private static bool TryParseInteger(string text, out long value, out bool tooBig)
    {
        value = 0;
        tooBig = false;
        var negative = text.StartsWith('-');
        var body = text.StartsWith('-') || text.StartsWith('+') ? text[1..] : text;
        if (body.Length == 0)
        {
            return false;
        }

        int radix;
        string digits;
        if (body.StartsWith("0x", StringComparison.Ordinal))
        {
            radix = 16;
            digits = body[2..];
        }
        else if (body.StartsWith("0b", StringComparison.Ordinal))
        {
            radix = 2;
            digits = body[2..];
        }
        else if (body.StartsWith("0o", StringComparison.Ordinal))
        {
            radix = 8;
            digits = body[2..];
        }
        else if (body.Length > 1 && body[0] == '0')
        {
            radix = 8; // YAML 1.1 octal, as go-yaml v2 reads it
            digits = body[1..];
        }
        else
        {
            radix = 10;
            digits = body;
        }

        if (digits.Length == 0)
        {
            return false;
        }

        System.Numerics.BigInteger accumulated = 0;
        foreach (var ch in digits)
        {
            var digit = HexValue(ch);
            if (digit < 0 || digit >= radix)
            {
                return false;
            }

            accumulated = (accumulated * radix) + digit;
        }

        if (negative)
        {
            accumulated = -accumulated;
        }

        if (accumulated < long.MinValue || accumulated > long.MaxValue)
        {
            tooBig = radix == 10;
            return false;
        }

        value = (long)accumulated;
        return true;
    }

    private static int HexValue(char ch) => ch switch
    {
        >= '0' and <= '9' => ch - '0',
        >= 'a' and <= 'f' => ch - 'a' + 10,
        >= 'A' and <= 'F' => ch - 'A' + 10,
        _ => -1,
    };

    // YAML 1.1 float: [-+]?([0-9][0-9_]*)?\.[0-9.]*([eE][-+][0-9]+)?, and go-yaml also accepts Go's float syntax.
    private static bool IsYamlFloat(string text)
    {
        var i = 0;
        if (i < text.Length && text[i] is '-' or '+')
        {
            i++;
        }

        var mantissaDigits = 0;
        var sawDot = false;
        for (; i < text.Length; i++)
        {
            if (char.IsAsciiDigit(text[i]))
            {
                mantissaDigits++;
            }
            else if (text[i] == '.' && !sawDot)
            {
                sawDot = true;
            }
            else
            {
                break;
            }
        }

        if (mantissaDigits == 0)
        {
            return false;
        }

        if (i == text.Length)
        {
            return sawDot;
        }

        if (text[i] is not ('e' or 'E'))
        {
            return false;
        }

        i++;
        if (i < text.Length && text[i] is '-' or '+')
        {
            i++;
        }

        var exponentDigits = 0;
        for (; i < text.Length && char.IsAsciiDigit(text[i]); i++)
        {
            exponentDigits++;
        }

        return exponentDigits > 0 && i == text.Length;
    }
}
