using System.Globalization;
using System.Text;
using System.Text.Json.Nodes;

namespace Kratix.Schema;

/// <summary>
/// Renders values the way the Go code of the Kubernetes API server does, so that error messages match upstream byte for
/// byte: <c>strconv.Quote</c> (<c>%q</c>), <c>%v</c> of numbers and <c>encoding/json</c> marshalling.
/// </summary>
internal static class GoFormat
{
    /// <summary>Go's <c>strconv.Quote</c>: a double-quoted string with Go escapes; printable Unicode is kept as is.</summary>
    public static string Quote(string s)
    {
        var sb = new StringBuilder(s.Length + 2);
        sb.Append('"');
        for (int i = 0; i < s.Length; i++)
        {
            char c = s[i];
            int cp = c;
            if (char.IsHighSurrogate(c) && i + 1 < s.Length && char.IsLowSurrogate(s[i + 1]))
            {
                cp = char.ConvertToUtf32(c, s[i + 1]);
                i++;
            }
            else if (char.IsSurrogate(c))
            {
                sb.Append("\\ufffd"); // Go would have seen invalid UTF-8 here
                continue;
            }

            switch (cp)
            {
                case '"': sb.Append("\\\""); continue;
                case '\\': sb.Append("\\\\"); continue;
                case '\a': sb.Append("\\a"); continue;
                case '\b': sb.Append("\\b"); continue;
                case '\f': sb.Append("\\f"); continue;
                case '\n': sb.Append("\\n"); continue;
                case '\r': sb.Append("\\r"); continue;
                case '\t': sb.Append("\\t"); continue;
                case '\v': sb.Append("\\v"); continue;
            }

            if (IsPrintable(cp))
            {
                sb.Append(char.ConvertFromUtf32(cp));
            }
            else if (cp < 0x80)
            {
                sb.Append("\\x").Append(cp.ToString("x2", CultureInfo.InvariantCulture));
            }
            else if (cp < 0x10000)
            {
                sb.Append("\\u").Append(cp.ToString("x4", CultureInfo.InvariantCulture));
            }
            else
            {
                sb.Append("\\U").Append(cp.ToString("x8", CultureInfo.InvariantCulture));
            }
        }

        sb.Append('"');
        return sb.ToString();
    }

    /// <summary>Go's <c>unicode.IsPrint</c> (letters, marks, numbers, punctuation, symbols and the ASCII space).</summary>
    internal static bool IsPrint(System.Text.Rune r) => IsPrintable(r.Value);

    /// <summary>Go's <c>%#U</c> of a rune that is not printable: <c>U+0007</c>.</summary>
    internal static string RuneU(System.Text.Rune r) => "U+" + r.Value.ToString("X4", CultureInfo.InvariantCulture);

    private static bool IsPrintable(int cp)
    {
        if (cp < 0x20 || cp == 0x7f)
        {
            return false;
        }

        if (cp < 0x7f)
        {
            return true;
        }

        if (cp == 0x20)
        {
            return true;
        }

        var cat = CharUnicodeInfo.GetUnicodeCategory(cp);
        return cat switch
        {
            UnicodeCategory.Control or UnicodeCategory.Format or UnicodeCategory.Surrogate or UnicodeCategory.PrivateUse
                or UnicodeCategory.OtherNotAssigned or UnicodeCategory.LineSeparator or UnicodeCategory.ParagraphSeparator
                or UnicodeCategory.SpaceSeparator => false,
            _ => true,
        };
    }

    /// <summary>Go's <c>%v</c> of a float64, i.e. <c>strconv.FormatFloat(d, 'g', -1, 64)</c>: 1e+06, 65535, 0.5, 1e-05.</summary>
    public static string FormatFloatV(double d)
    {
        if (double.IsNaN(d))
        {
            return "NaN";
        }

        if (double.IsInfinity(d))
        {
            return d > 0 ? "+Inf" : "-Inf";
        }

        var (neg, digits, dp) = ShortestDigits(d);
        if (digits.Length == 0)
        {
            return neg ? "-0" : "0";
        }

        // %e is used if the exponent is less than -4 or >= the precision, which is 6 for the shortest form.
        int exp = dp - 1;
        if (exp < -4 || exp >= 6)
        {
            return FormatE(neg, digits, dp, digits.Length - 1);
        }

        return FormatF(neg, digits, dp, Math.Max(digits.Length - dp, 0));
    }

    /// <summary>The number as Go's encoding/json writes a float64.</summary>
    public static string FormatFloatJson(double d)
    {
        if (double.IsNaN(d) || double.IsInfinity(d))
        {
            return FormatFloatV(d);
        }

        var (neg, digits, dp) = ShortestDigits(d);
        if (digits.Length == 0)
        {
            return neg ? "-0" : "0";
        }

        double abs = Math.Abs(d);
        if (abs < 1e-6 || abs >= 1e21)
        {
            var s = FormatE(neg, digits, dp, digits.Length - 1);
            int n = s.Length;
            // clean up e-09 to e-9
            if (n >= 4 && s[n - 4] == 'e' && s[n - 3] == '-' && s[n - 2] == '0')
            {
                s = string.Concat(s.AsSpan(0, n - 2), s.AsSpan(n - 1));
            }

            return s;
        }

        return FormatF(neg, digits, dp, Math.Max(digits.Length - dp, 0));
    }

    /// <summary>Shortest round-trip decimal digits of |d| (no leading/trailing zeros) and the decimal point position.</summary>
    private static (bool Neg, string Digits, int DecimalPoint) ShortestDigits(double d)
    {
        bool neg = double.IsNegative(d);
        if (d == 0)
        {
            return (neg, string.Empty, 0);
        }

        string shortest = Math.Abs(d).ToString("R", CultureInfo.InvariantCulture);
        int ePos = shortest.IndexOfAny(['E', 'e']);
        string mant = ePos >= 0 ? shortest.Substring(0, ePos) : shortest;
        int exp10 = ePos >= 0 ? int.Parse(shortest.AsSpan(ePos + 1), NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture) : 0;
        int dot = mant.IndexOf('.');
        string intPart = dot >= 0 ? mant.Substring(0, dot) : mant;
        string all = dot >= 0 ? intPart + mant.Substring(dot + 1) : mant;
        int dp = intPart.Length + exp10;
        int lead = 0;
        while (lead < all.Length && all[lead] == '0')
        {
            lead++;
            dp--;
        }

        all = all.Substring(lead).TrimEnd('0');
        return (neg, all, all.Length == 0 ? 0 : dp);
    }

    private static string FormatE(bool neg, string digits, int dp, int prec)
    {
        var sb = new StringBuilder();
        if (neg)
        {
            sb.Append('-');
        }

        sb.Append(digits.Length > 0 ? digits[0] : '0');
        if (prec > 0)
        {
            sb.Append('.');
            for (int i = 1; i <= prec; i++)
            {
                sb.Append(i < digits.Length ? digits[i] : '0');
            }
        }

        sb.Append('e');
        int exp = digits.Length == 0 ? 0 : dp - 1;
        sb.Append(exp < 0 ? '-' : '+');
        exp = Math.Abs(exp);
        if (exp < 10)
        {
            sb.Append('0');
        }

        sb.Append(exp.ToString(CultureInfo.InvariantCulture));
        return sb.ToString();
    }

    private static string FormatF(bool neg, string digits, int dp, int prec)
    {
        var sb = new StringBuilder();
        if (neg)
        {
            sb.Append('-');
        }

        if (dp > 0)
        {
            int m = Math.Min(digits.Length, dp);
            sb.Append(digits, 0, m);
            for (int i = m; i < dp; i++)
            {
                sb.Append('0');
            }
        }
        else
        {
            sb.Append('0');
        }

        if (prec > 0)
        {
            sb.Append('.');
            for (int i = 0; i < prec; i++)
            {
                int j = dp + i;
                sb.Append(j >= 0 && j < digits.Length ? digits[j] : '0');
            }
        }

        return sb.ToString();
    }

    /// <summary>Go's <c>%v</c> of a decoded JSON value (int64, float64, string, bool, nil, map, slice).</summary>
    public static string FormatV(JsonNode? node)
    {
        switch (JsonData.KindOf(node))
        {
            case JsonKind.Null: return "<nil>";
            case JsonKind.String: return (string)node!.AsValue().GetValue<string>()!;
            case JsonKind.Bool: return JsonData.GetBool(node!) ? "true" : "false";
            case JsonKind.Integer: return JsonData.GetNumber(node!).Integer.ToString(CultureInfo.InvariantCulture);
            case JsonKind.Float: return FormatFloatV(JsonData.GetNumber(node!).Float);
            default: return MarshalJson(node);
        }
    }

    /// <summary>Go's <c>json.Marshal</c> of a decoded JSON value: map keys sorted, HTML characters escaped.</summary>
    public static string MarshalJson(JsonNode? node)
    {
        var sb = new StringBuilder();
        WriteJson(sb, node);
        return sb.ToString();
    }

    private static void WriteJson(StringBuilder sb, JsonNode? node)
    {
        switch (JsonData.KindOf(node))
        {
            case JsonKind.Null:
                sb.Append("null");
                return;
            case JsonKind.Bool:
                sb.Append(JsonData.GetBool(node!) ? "true" : "false");
                return;
            case JsonKind.Integer:
                sb.Append(JsonData.GetNumber(node!).Integer.ToString(CultureInfo.InvariantCulture));
                return;
            case JsonKind.Float:
                sb.Append(FormatFloatJson(JsonData.GetNumber(node!).Float));
                return;
            case JsonKind.String:
                WriteJsonString(sb, node!.GetValue<string>());
                return;
            case JsonKind.Array:
                sb.Append('[');
                bool first = true;
                foreach (var item in node!.AsArray())
                {
                    if (!first)
                    {
                        sb.Append(',');
                    }

                    first = false;
                    WriteJson(sb, item);
                }

                sb.Append(']');
                return;
            case JsonKind.Object:
                var obj = node!.AsObject();
                var keys = new List<string>(obj.Count);
                foreach (var kv in obj)
                {
                    keys.Add(kv.Key);
                }

                keys.Sort(StringComparer.Ordinal);
                sb.Append('{');
                for (int i = 0; i < keys.Count; i++)
                {
                    if (i > 0)
                    {
                        sb.Append(',');
                    }

                    WriteJsonString(sb, keys[i]);
                    sb.Append(':');
                    WriteJson(sb, obj[keys[i]]);
                }

                sb.Append('}');
                return;
        }
    }

    public static void WriteJsonString(StringBuilder sb, string s)
    {
        sb.Append('"');
        foreach (char c in s)
        {
            switch (c)
            {
                case '"': sb.Append("\\\""); break;
                case '\\': sb.Append("\\\\"); break;
                case '\n': sb.Append("\\n"); break;
                case '\r': sb.Append("\\r"); break;
                case '\t': sb.Append("\\t"); break;
                case '<': sb.Append("\\u003c"); break;
                case '>': sb.Append("\\u003e"); break;
                case '&': sb.Append("\\u0026"); break;
                case '\u2028': sb.Append("\\u2028"); break;
                case '\u2029': sb.Append("\\u2029"); break;
                default:
                    if (c < 0x20)
                    {
                        sb.Append("\\u00").Append(((int)c).ToString("x2", CultureInfo.InvariantCulture));
                    }
                    else
                    {
                        sb.Append(c);
                    }

                    break;
            }
        }

        sb.Append('"');
    }
}
