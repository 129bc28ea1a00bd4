using System.Globalization;
using System.Text;
using System.Text.RegularExpressions;

namespace Kratix.Schema;

/// <summary>
/// Compiles a schema <c>pattern</c> the way Kubernetes does (Go's <c>regexp</c>, RE2 syntax) into a .NET
/// <see cref="Regex"/>. The pattern is translated so that the .NET engine gives Go's answers where they differ
/// (ASCII-only <c>\d \w \s</c>, <c>$</c> only at the very end of the text, <c>\Q..\E</c>, <c>\x{..}</c>,
/// <c>(?P&lt;name&gt;..)</c>, POSIX classes) and compiled with <see cref="RegexOptions.NonBacktracking"/>, which, like RE2,
/// matches in linear time and refuses backreferences, lookaround and atomic groups.
/// </summary>
internal static class GoRegex
{
    private static readonly TimeSpan MatchTimeout = TimeSpan.FromSeconds(2);

    private static readonly Dictionary<string, string> PosixClasses = new(StringComparer.Ordinal)
    {
        ["alnum"] = "0-9A-Za-z",
        ["alpha"] = "A-Za-z",
        ["ascii"] = "\\x00-\\x7F",
        ["blank"] = "\\t ",
        ["cntrl"] = "\\x00-\\x1F\\x7F",
        ["digit"] = "0-9",
        ["graph"] = "!-~",
        ["lower"] = "a-z",
        ["print"] = " -~",
        ["punct"] = "!-/:-@\\[-`{-~",
        ["space"] = "\\t\\n\\v\\f\\r ",
        ["upper"] = "A-Z",
        ["word"] = "0-9A-Za-z_",
        ["xdigit"] = "0-9A-Fa-f",
    };

    /// <summary>Compiles <paramref name="pattern"/>; on failure returns null and a Go-like reason.</summary>
    public static Regex? TryCompile(string pattern, out string? error)
    {
        string translated;
        try
        {
            translated = Translate(pattern);
        }
        catch (FormatException e)
        {
            error = "error parsing regexp: " + e.Message;
            return null;
        }

        try
        {
            error = null;
            return new Regex(translated, RegexOptions.NonBacktracking | RegexOptions.CultureInvariant, MatchTimeout);
        }
        catch (ArgumentException e)
        {
            error = "error parsing regexp: " + e.Message;
            return null;
        }
        catch (NotSupportedException e)
        {
            error = "error parsing regexp: invalid or unsupported Perl syntax: " + e.Message;
            return null;
        }
    }

    /// <summary>Translates Go RE2 syntax into an equivalent .NET pattern; throws FormatException for what RE2 refuses.</summary>
    internal static string Translate(string p)
    {
        var sb = new StringBuilder(p.Length + 16);
        bool multiline = false;
        int i = 0;
        while (i < p.Length)
        {
            char c = p[i];
            switch (c)
            {
                case '\\':
                    i = TranslateEscape(p, i, sb, inClass: false);
                    continue;
                case '[':
                    i = TranslateClass(p, i, sb);
                    continue;
                case '$':
                    sb.Append(multiline ? "$" : "\\z");
                    i++;
                    continue;
                case '(':
                    if (i + 1 < p.Length && p[i + 1] == '?')
                    {
                        i = TranslateGroupStart(p, i, sb, ref multiline);
                        continue;
                    }

                    sb.Append(c);
                    i++;
                    continue;
                case '{':
                    CheckRepeat(p, i);
                    sb.Append(c);
                    i++;
                    continue;
                default:
                    sb.Append(c);
                    i++;
                    continue;
            }
        }

        return sb.ToString();
    }

    private static void CheckRepeat(string p, int i)
    {
        int j = i + 1;
        var num = new StringBuilder();
        while (j < p.Length && (char.IsAsciiDigit(p[j]) || p[j] == ','))
        {
            num.Append(p[j]);
            j++;
        }

        if (j < p.Length && p[j] == '}' && num.Length > 0)
        {
            foreach (var part in num.ToString().Split(','))
            {
                if (part.Length > 0 && (part.Length > 4 || int.Parse(part, CultureInfo.InvariantCulture) > 1000))
                {
                    throw new FormatException("invalid repeat count: `" + p.Substring(i, j - i + 1) + "`");
                }
            }
        }
    }

    private static int TranslateGroupStart(string p, int i, StringBuilder sb, ref bool multiline)
    {
        // p[i] == '(' and p[i+1] == '?'
        string rest = p.Substring(i + 2);
        if (rest.StartsWith("P<", StringComparison.Ordinal))
        {
            sb.Append("(?<");
            return i + 4;
        }

        if (rest.StartsWith('<') && rest.Length > 1 && (char.IsLetter(rest[1]) || rest[1] == '_'))
        {
            sb.Append("(?<");
            return i + 3;
        }

        if (rest.StartsWith('=') || rest.StartsWith('!') || rest.StartsWith("<=", StringComparison.Ordinal)
            || rest.StartsWith("<!", StringComparison.Ordinal) || rest.StartsWith('>') || rest.StartsWith('(')
            || rest.StartsWith('#'))
        {
            int len = rest.StartsWith('<') ? 4 : 3;
            throw new FormatException("invalid or unsupported Perl syntax: `" + p.Substring(i, Math.Min(len, p.Length - i)) + "`");
        }

        // flags: (?flags) or (?flags:re)
        int j = i + 2;
        bool negate = false;
        while (j < p.Length && p[j] != ')' && p[j] != ':')
        {
            char f = p[j];
            switch (f)
            {
                case 'i':
                case 's':
                    break;
                case 'm':
                    if (!negate)
                    {
                        multiline = true;
                    }

                    break;
                case '-':
                    negate = true;
                    break;
                case 'U':
                    throw new FormatException("the ungreedy flag (?U) is not supported by the embedded platform: `" + p.Substring(i, j - i + 1) + "`");
                default:
                    throw new FormatException("invalid or unsupported Perl syntax: `" + p.Substring(i, j - i + 1) + "`");
            }

            j++;
        }

        if (j >= p.Length)
        {
            throw new FormatException("missing closing ): `" + p + "`");
        }

        // .NET's (?m)$ matches before every \n and at the end, as Go's (?m)$ does; outside (?m), $ becomes \z.
        string flags = p.Substring(i + 2, j - (i + 2));
        if (flags.Length == 0 || flags == "-")
        {
            sb.Append(p[j] == ':' ? "(?:" : string.Empty);
        }
        else
        {
            sb.Append("(?").Append(flags).Append(p[j]);
        }

        return j + 1;
    }

    private static int TranslateEscape(string p, int i, StringBuilder sb, bool inClass)
    {
        if (i + 1 >= p.Length)
        {
            throw new FormatException("trailing backslash at end of expression");
        }

        char e = p[i + 1];
        switch (e)
        {
            case 'd': sb.Append(inClass ? "0-9" : "[0-9]"); return i + 2;
            case 'D': sb.Append(inClass ? "\\x00-/:-\\uFFFF" : "[^0-9]"); return i + 2;
            case 'w': sb.Append(inClass ? "0-9A-Za-z_" : "[0-9A-Za-z_]"); return i + 2;
            case 'W': sb.Append(inClass ? "\\x00-/:-@\\[-^`{-\\uFFFF" : "[^0-9A-Za-z_]"); return i + 2;
            case 's': sb.Append(inClass ? "\\t\\n\\f\\r " : "[\\t\\n\\f\\r ]"); return i + 2;
            case 'S': sb.Append(inClass ? "\\x00-\\x08\\x0B\\x0E-\\x1F!-\\uFFFF" : "[^\\t\\n\\f\\r ]"); return i + 2;
            case 'p':
            case 'P':
                if (i + 2 < p.Length && p[i + 2] != '{')
                {
                    sb.Append('\\').Append(e).Append('{').Append(p[i + 2]).Append('}');
                    return i + 3;
                }

                {
                    int close = p.IndexOf('}', i + 2);
                    if (close < 0)
                    {
                        throw new FormatException("invalid character class range: `" + p.Substring(i) + "`");
                    }

                    string name = p.Substring(i + 3, close - i - 3);
                    bool neg = name.StartsWith('^');
                    if (neg)
                    {
                        name = name.Substring(1);
                    }

                    char pe = (e == 'P') ^ neg ? 'P' : 'p';
                    sb.Append('\\').Append(pe).Append('{').Append(name).Append('}');
                    return close + 1;
                }

            case 'Q':
                {
                    int end = p.IndexOf("\\E", i + 2, StringComparison.Ordinal);
                    string lit = end < 0 ? p.Substring(i + 2) : p.Substring(i + 2, end - i - 2);
                    foreach (char ch in lit)
                    {
                        AppendLiteral(sb, ch, inClass);
                    }

                    return end < 0 ? p.Length : end + 2;
                }

            case 'x':
                if (i + 2 < p.Length && p[i + 2] == '{')
                {
                    int close = p.IndexOf('}', i + 3);
                    if (close < 0)
                    {
                        throw new FormatException("invalid escape sequence: `" + p.Substring(i) + "`");
                    }

                    int cp = int.Parse(p.AsSpan(i + 3, close - i - 3), NumberStyles.HexNumber, CultureInfo.InvariantCulture);
                    if (cp > 0x10FFFF)
                    {
                        throw new FormatException("invalid escape sequence: `" + p.Substring(i, close - i + 1) + "`");
                    }

                    if (cp < 0x10000)
                    {
                        sb.Append("\\u").Append(cp.ToString("X4", CultureInfo.InvariantCulture));
                    }
                    else if (inClass)
                    {
                        throw new FormatException("characters outside the Basic Multilingual Plane are not supported in character classes by the embedded platform: `" + p.Substring(i, close - i + 1) + "`");
                    }
                    else
                    {
                        string pair = char.ConvertFromUtf32(cp);
                        sb.Append("(?:\\u").Append(((int)pair[0]).ToString("X4", CultureInfo.InvariantCulture))
                          .Append("\\u").Append(((int)pair[1]).ToString("X4", CultureInfo.InvariantCulture)).Append(')');
                    }

                    return close + 1;
                }

                sb.Append("\\x");
                return i + 2;
            case '0':
            case '1':
            case '2':
            case '3':
            case '4':
            case '5':
            case '6':
            case '7':
                {
                    // Go: \1-\7 alone would be a backreference (unsupported); \0 and \NN[N] are octal codes.
                    int j = i + 1;
                    int max = i + 4;
                    while (j < p.Length && j < max && p[j] >= '0' && p[j] <= '7')
                    {
                        j++;
                    }

                    if (e != '0' && j - (i + 1) < 2)
                    {
                        throw new FormatException("invalid escape sequence: `" + p.Substring(i, j - i) + "`");
                    }

                    int code = Convert.ToInt32(p.Substring(i + 1, j - i - 1), 8);
                    sb.Append("\\u").Append(code.ToString("X4", CultureInfo.InvariantCulture));
                    return j;
                }

            case '8':
            case '9':
            case 'Z':
            case 'G':
            case 'k':
            case 'C':
            case 'e':
            case 'c':
            case 'K':
            case 'R':
            case 'X':
            case 'g':
            case 'h':
            case 'H':
            case 'N':
            case 'o':
            case 'u':
            case 'U':
            case 'V':
            case 'l':
            case 'L':
            case 'E':
                throw new FormatException("invalid escape sequence: `\\" + e + "`");
            case 'b':
                // In Go \b is a word boundary outside classes and not valid inside one.
                if (inClass)
                {
                    throw new FormatException("invalid escape sequence: `\\b`");
                }

                sb.Append("\\b");
                return i + 2;
            default:
                sb.Append('\\').Append(e);
                return i + 2;
        }
    }

    private static void AppendLiteral(StringBuilder sb, char ch, bool inClass)
    {
        if (inClass)
        {
            if (ch is '\\' or ']' or '[' or '^' or '-')
            {
                sb.Append('\\');
            }

            sb.Append(ch);
        }
        else
        {
            sb.Append(Regex.Escape(ch.ToString()));
        }
    }

    private static int TranslateClass(string p, int i, StringBuilder sb)
    {
        sb.Append('[');
        int j = i + 1;
        if (j < p.Length && p[j] == '^')
        {
            sb.Append('^');
            j++;
        }

        bool first = true;
        while (j < p.Length)
        {
            char c = p[j];
            if (c == ']' && !first)
            {
                sb.Append(']');
                return j + 1;
            }

            first = false;
            if (c == '[' && j + 1 < p.Length && p[j + 1] == ':')
            {
                int close = p.IndexOf(":]", j + 2, StringComparison.Ordinal);
                if (close > 0)
                {
                    string name = p.Substring(j + 2, close - j - 2);
                    if (name.StartsWith('^'))
                    {
                        throw new FormatException("negated POSIX classes are not supported by the embedded platform: `[:" + name + ":]`");
                    }

                    if (!PosixClasses.TryGetValue(name, out var ranges))
                    {
                        throw new FormatException("invalid character class range: `[:" + name + ":]`");
                    }

                    sb.Append(ranges);
                    j = close + 2;
                    continue;
                }
            }

            switch (c)
            {
                case '\\':
                    j = TranslateEscape(p, j, sb, inClass: true);
                    continue;
                case '[':
                    sb.Append("\\[");
                    j++;
                    continue;
                case ']':
                    sb.Append("\\]");
                    j++;
                    continue;
                default:
                    sb.Append(c);
                    j++;
                    continue;
            }
        }

        throw new FormatException("missing closing ]: `" + p.Substring(i) + "`");
    }
}
