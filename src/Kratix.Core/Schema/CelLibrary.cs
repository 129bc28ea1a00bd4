using System.Collections;
using System.Globalization;
using System.Net;
using System.Text;
using System.Text.RegularExpressions;
using Cel;

namespace Kratix.Schema;

/// <summary>
/// The CEL environment request rules run in: the <c>Cel</c> package's standard definitions (operators, macros,
/// <c>has</c>, <c>size</c>, conversions, <c>matches</c>, <c>startsWith</c>, ...) plus the Kubernetes libraries CRD rules
/// use: cel-go's strings extension (<c>charAt</c>, <c>indexOf</c>, <c>lastIndexOf</c>, <c>lowerAscii</c>,
/// <c>upperAscii</c>, <c>replace</c>, <c>split</c>, <c>substring</c>, <c>trim</c>, <c>join</c>, <c>reverse</c>),
/// Kubernetes' lists (<c>isSorted</c>, <c>sum</c>, <c>min</c>, <c>max</c>, <c>indexOf</c>, <c>lastIndexOf</c>), regex
/// (<c>find</c>, <c>findAll</c>, and <c>matches</c> with RE2 semantics), URLs (<c>url</c>, <c>isURL</c>,
/// <c>getScheme</c>, <c>getHost</c>, <c>getHostname</c>, <c>getPort</c>, <c>getEscapedPath</c>, <c>getQuery</c>),
/// quantities (<c>quantity</c>, <c>isQuantity</c>, comparisons, arithmetic, <c>asInteger</c>, ...), IPs and CIDRs
/// (<c>ip</c>, <c>isIP</c>, <c>cidr</c>, <c>isCIDR</c>, <c>family</c>, <c>containsIP</c>, ...). Errors are worded as
/// cel-go words them where the two differ (<c>no such key: x</c>, <c>division by zero</c>, ...).
/// </summary>
internal static class CelLibrary
{
    private static readonly CelEnvironment Environment = Create();

    private static readonly object Gate = new();

    public static (Func<IDictionary<string, object?>, object?>? Program, string? Error) Compile(string expression, bool optionalOldSelf = false)
    {
        try
        {
            lock (Gate)
            {
                // Optional selection and qualified function names are rewritten into calls the package can run.
                var tree = Environment.Parse(expression);
                var program = Environment.Compile(CelRewriter.Rewrite(expression, tree, optionalOldSelf));
                return (vars => program.Invoke((Dictionary<string, object?>)vars), null);
            }
        }
        catch (Exception ex) when (ex is not OutOfMemoryException)
        {
            return (null, "ERROR: <input>: " + FirstLine(ex.Message));
        }
    }

    /// <summary>The expression's parse tree, or null when it does not parse.</summary>
    public static Cel.Internal.CelParser.StartContext? ParseTree(string expression)
    {
        try
        {
            lock (Gate)
            {
                return Environment.Parse(expression);
            }
        }
        catch (Exception ex) when (ex is not OutOfMemoryException)
        {
            return null;
        }
    }

    /// <summary>
    /// The syntax error in <paramref name="expression"/> as cel-go reports it
    /// (<c>ERROR: &lt;input&gt;:1:11: Syntax error: mismatched input ...</c>, then the expression and a caret), or null
    /// when it parses. Both use the CEL ANTLR grammar, so the messages agree except where cel-go's grammar has grown
    /// (optional syntax, escaped identifiers).
    /// </summary>
    public static string? SyntaxError(string expression)
    {
        try
        {
            lock (Gate)
            {
                Environment.Compile(expression);
            }

            return null;
        }
        catch (CelExpressionParserException ex)
        {
            var m = Regex.Match(ex.Message, @"^Line (\d+):(\d+) (.*)$", RegexOptions.Singleline);
            if (!m.Success)
            {
                return "ERROR: <input>:1:1: Syntax error: " + FirstLine(ex.Message);
            }

            int line = int.Parse(m.Groups[1].Value, CultureInfo.InvariantCulture);
            int column = int.Parse(m.Groups[2].Value, CultureInfo.InvariantCulture);
            string[] lines = expression.Split('\n');
            string source = line - 1 < lines.Length ? lines[line - 1] : string.Empty;
            return "ERROR: <input>:" + line.ToString(CultureInfo.InvariantCulture) + ":" + (column + 1).ToString(CultureInfo.InvariantCulture)
                + ": Syntax error: " + FirstLine(m.Groups[3].Value) + "\n | " + source + "\n | " + new string('.', column) + "^";
        }
        catch (Exception ex) when (ex is not OutOfMemoryException)
        {
            return "ERROR: <input>:1:1: " + FirstLine(ex.Message);
        }
    }

    /// <summary>Runs a program; an evaluation error comes back worded as cel-go words it.</summary>
    public static (object? Result, string? Error) Run(Func<IDictionary<string, object?>, object?> program, Dictionary<string, object?> vars)
    {
        try
        {
            var result = program(vars);
            if (result is not null && result.GetType().Name == "CelNoSuchField")
            {
                return (null, "no such key: " + FieldOf(result.ToString()));
            }

            return (result, null);
        }
        catch (CelNoSuchFieldException ex)
        {
            return (null, "no such key: " + FieldOf(ex.Message));
        }
        catch (CelDivideByZeroException)
        {
            return (null, "division by zero");
        }
        catch (CelModulusByZeroException)
        {
            return (null, "modulus by zero");
        }
        catch (CelOverflowException)
        {
            return (null, "integer overflow");
        }
        catch (CelNoSuchOverloadException ex)
        {
            return (null, "no such overload: " + FirstLine(ex.Message));
        }
        catch (CelLibraryError ex)
        {
            return (null, ex.Message);
        }
        catch (Exception ex) when (ex is not OutOfMemoryException and not StackOverflowException)
        {
            return (null, FirstLine(ex.Message));
        }
    }

    private static string FieldOf(string? message)
    {
        var m = Regex.Match(message ?? string.Empty, "field '([^']*)'");
        return m.Success ? m.Groups[1].Value : message ?? string.Empty;
    }

    private static string FirstLine(string s)
    {
        int nl = s.IndexOf('\n');
        return (nl < 0 ? s : s[..nl]).Trim();
    }

    private static CelEnvironment Create()
    {
        var env = new CelEnvironment(Array.Empty<Google.Protobuf.Reflection.FileDescriptor>(), string.Empty);
        Type s = typeof(string), l = typeof(long), o = typeof(object), list = typeof(IList);

        // cel-go strings extension.
        env.RegisterFunction("charAt", [s, l], a => CharAt(Str(a[0]), Long(a[1])));
        env.RegisterFunction("indexOf", [s, s], a => (long)IndexOfRunes(Str(a[0]), Str(a[1]), 0));
        env.RegisterFunction("indexOf", [s, s, l], a => (long)IndexOfRunes(Str(a[0]), Str(a[1]), Long(a[2])));
        env.RegisterFunction("lastIndexOf", [s, s], a => (long)LastIndexOfRunes(Str(a[0]), Str(a[1])));
        env.RegisterFunction("lowerAscii", [s], a => AsciiCase(Str(a[0]), lower: true));
        env.RegisterFunction("upperAscii", [s], a => AsciiCase(Str(a[0]), lower: false));
        env.RegisterFunction("replace", [s, s, s], a => Str(a[0]).Replace(Str(a[1]), Str(a[2]), StringComparison.Ordinal));
        env.RegisterFunction("replace", [s, s, s, l], a => Replace(Str(a[0]), Str(a[1]), Str(a[2]), Long(a[3])));
        env.RegisterFunction("split", [s, s], a => Split(Str(a[0]), Str(a[1]), -1));
        env.RegisterFunction("split", [s, s, l], a => Split(Str(a[0]), Str(a[1]), Long(a[2])));
        env.RegisterFunction("substring", [s, l], a => Substring(Str(a[0]), Long(a[1]), null));
        env.RegisterFunction("substring", [s, l, l], a => Substring(Str(a[0]), Long(a[1]), Long(a[2])));
        env.RegisterFunction("trim", [s], a => Str(a[0]).Trim());
        env.RegisterFunction("join", [list], a => string.Join(string.Empty, List(a[0]).Cast<object?>().Select(Str)));
        env.RegisterFunction("join", [list, s], a => string.Join(Str(a[1]), List(a[0]).Cast<object?>().Select(Str)));
        env.RegisterFunction("reverse", [s], a => new string(Str(a[0]).EnumerateRunes().Reverse().SelectMany(r => r.ToString()).ToArray()));

        env.RegisterFunction("format", [s, list], a => Format(Str(a[0]), List(a[0 + 1])));

        // CEL's bool(string) conversion.
        env.RegisterFunction("bool", [s], a => Str(a[0]) switch
        {
            "1" or "t" or "true" or "TRUE" or "True" => true,
            "0" or "f" or "false" or "FALSE" or "False" => false,
            var x => throw new CelLibraryError("type conversion error from 'string' to 'bool': " + x),
        });

        // Optional types: optional.of/none/ofNonZeroValue, hasValue(), value(), or(), orValue(), and (through
        // CelRewriter) a.?b, a[?k], selections on optional values and optional list elements.
        Type ot = typeof(CelOptional);
        env.RegisterFunction("hasValue", [ot], a => ((CelOptional)a[0]!).HasValue);
        env.RegisterFunction("value", [ot], a => ((CelOptional)a[0]!) is { HasValue: true } opt ? opt.Value : throw new CelLibraryError("optional.none() dereference"));
        env.RegisterFunction("orValue", [ot, o], a => ((CelOptional)a[0]!) is { HasValue: true } opt ? opt.Value : a[1]);
        env.RegisterFunction("or", [ot, ot], a => ((CelOptional)a[0]!) is { HasValue: true } opt ? opt : a[1]);
        env.RegisterFunction("__optional_of", [o], a => new CelOptional(a[0]));
        env.RegisterFunction("__optional_none", [], a => CelOptional.None);
        env.RegisterFunction("__optional_ofNonZeroValue", [o], a => IsZeroValue(a[0]) ? CelOptional.None : new CelOptional(a[0]));
        env.RegisterFunction("__optSelect", [o, s], a => OptionalSelect(a[0], a[1]));
        env.RegisterFunction("__optIndex", [o, o], a => OptionalSelect(a[0], a[1]));
        env.RegisterFunction("__optList", [list, list], a => OptionalList(List(a[0]), List(a[1])));

        // cel-go's strings.quote.
        env.RegisterFunction("__strings_quote", [s], a => Quote(Str(a[0])));

        // ext.Sets.
        env.RegisterFunction("__sets_contains", [list, list], a => List(a[1]).Cast<object?>().All(x => List(a[0]).Cast<object?>().Any(y => CelEquals(x, y))));
        env.RegisterFunction("__sets_equivalent", [list, list], a =>
            List(a[1]).Cast<object?>().All(x => List(a[0]).Cast<object?>().Any(y => CelEquals(x, y)))
            && List(a[0]).Cast<object?>().All(x => List(a[1]).Cast<object?>().Any(y => CelEquals(x, y))));
        env.RegisterFunction("__sets_intersects", [list, list], a => List(a[1]).Cast<object?>().Any(x => List(a[0]).Cast<object?>().Any(y => CelEquals(x, y))));

        // Kubernetes format library.
        env.RegisterFunction("__format_named", [s], a => CelFormats.All.TryGetValue(Str(a[0]), out var f) ? new CelOptional(f) : CelOptional.None);
        env.RegisterFunction("__format_constant", [s], a => CelFormats.All[Str(a[0])]);
        env.RegisterFunction("validate", [typeof(CelFormat), s], a => ((CelFormat)a[0]!).Validate(Str(a[1])) is { Count: > 0 } errs
            ? new CelOptional(errs.Cast<object?>().ToList())
            : CelOptional.None);

        // Kubernetes lists library.
        env.RegisterFunction("isSorted", [list], a => IsSorted(List(a[0])));
        env.RegisterFunction("sum", [list], a => Sum(List(a[0])));
        env.RegisterFunction("min", [list], a => MinMax(List(a[0]), -1));
        env.RegisterFunction("max", [list], a => MinMax(List(a[0]), 1));
        env.RegisterFunction("indexOf", [list, o], a => (long)IndexOf(List(a[0]), a[1], last: false));
        env.RegisterFunction("lastIndexOf", [list, o], a => (long)IndexOf(List(a[0]), a[1], last: true));

        // Regex with RE2 semantics (Kubernetes regex library and CEL's matches).
        env.RegisterFunction("matches", [s, s], a => Re(Str(a[1])).IsMatch(Str(a[0])));
        env.RegisterFunction("find", [s, s], a => Re(Str(a[1])).Match(Str(a[0])) is { Success: true } m ? m.Value : string.Empty);
        env.RegisterFunction("findAll", [s, s], a => Re(Str(a[1])).Matches(Str(a[0])).Select(m => (object?)m.Value).ToList());
        env.RegisterFunction("findAll", [s, s, l], a => FindAll(Str(a[0]), Str(a[1]), Long(a[2])));

        // Kubernetes URL library.
        env.RegisterFunction("isURL", [s], a => ParseUrl(Str(a[0])) is not null);
        env.RegisterFunction("url", [s], a => ParseUrl(Str(a[0])) ?? throw new CelLibraryError("URL parse error during conversion from string: " + Str(a[0])));
        env.RegisterFunction("getScheme", [typeof(CelUrl)], a => ((CelUrl)a[0]!).Scheme);
        env.RegisterFunction("getHost", [typeof(CelUrl)], a => ((CelUrl)a[0]!).Host);
        env.RegisterFunction("getHostname", [typeof(CelUrl)], a => ((CelUrl)a[0]!).Hostname);
        env.RegisterFunction("getPort", [typeof(CelUrl)], a => ((CelUrl)a[0]!).Port);
        env.RegisterFunction("getEscapedPath", [typeof(CelUrl)], a => ((CelUrl)a[0]!).EscapedPath);
        env.RegisterFunction("getQuery", [typeof(CelUrl)], a => ((CelUrl)a[0]!).Query());

        // Kubernetes quantity library.
        env.RegisterFunction("isQuantity", [s], a => CelQuantity.TryParse(Str(a[0]), out _));
        env.RegisterFunction("quantity", [s], a => CelQuantity.TryParse(Str(a[0]), out var q) ? q : throw new CelLibraryError("quantities must match the regular expression '^([+-]?[0-9.]+)([eEinumkKMGTP]*[-+]?[0-9]*)$'"));
        Type qt = typeof(CelQuantity);
        env.RegisterFunction("sign", [qt], a => (long)Math.Sign(((CelQuantity)a[0]!).Value));
        env.RegisterFunction("isInteger", [qt], a => ((CelQuantity)a[0]!).IsInteger);
        env.RegisterFunction("asInteger", [qt], a => ((CelQuantity)a[0]!).AsInteger());
        env.RegisterFunction("asApproximateFloat", [qt], a => (double)((CelQuantity)a[0]!).Value);
        env.RegisterFunction("compareTo", [qt, qt], a => (long)((CelQuantity)a[0]!).Value.CompareTo(((CelQuantity)a[1]!).Value));
        env.RegisterFunction("isGreaterThan", [qt, qt], a => ((CelQuantity)a[0]!).Value > ((CelQuantity)a[1]!).Value);
        env.RegisterFunction("isLessThan", [qt, qt], a => ((CelQuantity)a[0]!).Value < ((CelQuantity)a[1]!).Value);
        env.RegisterFunction("add", [qt, qt], a => new CelQuantity(((CelQuantity)a[0]!).Value + ((CelQuantity)a[1]!).Value));
        env.RegisterFunction("add", [qt, l], a => new CelQuantity(((CelQuantity)a[0]!).Value + Long(a[1])));
        env.RegisterFunction("sub", [qt, qt], a => new CelQuantity(((CelQuantity)a[0]!).Value - ((CelQuantity)a[1]!).Value));
        env.RegisterFunction("sub", [qt, l], a => new CelQuantity(((CelQuantity)a[0]!).Value - Long(a[1])));

        // Kubernetes IP and CIDR libraries.
        env.RegisterFunction("isIP", [s], a => CelIp.TryParse(Str(a[0]), out _));
        env.RegisterFunction("__ip_isCanonical", [s], a => CelIp.TryParse(Str(a[0]), out var ip)
            ? ip.Address.ToString() == Str(a[0])
            : throw new CelLibraryError("IP Address " + GoFormat.Quote(Str(a[0])) + " parse error during conversion from string: ParseAddr(" + GoFormat.Quote(Str(a[0])) + "): unable to parse IP"));
        env.RegisterFunction("ip", [s], a => CelIp.TryParse(Str(a[0]), out var ip) ? ip : throw new CelLibraryError("IP Address " + GoFormat.Quote(Str(a[0])) + " parse error during conversion from string: ParseAddr(" + GoFormat.Quote(Str(a[0])) + "): unable to parse IP"));
        Type it = typeof(CelIp), ct = typeof(CelCidr);
        env.RegisterFunction("family", [it], a => ((CelIp)a[0]!).Family);
        env.RegisterFunction("isUnspecified", [it], a => ((CelIp)a[0]!).Address.Equals(IPAddress.Any) || ((CelIp)a[0]!).Address.Equals(IPAddress.IPv6Any));
        env.RegisterFunction("isLoopback", [it], a => IPAddress.IsLoopback(((CelIp)a[0]!).Address));
        env.RegisterFunction("isLinkLocalUnicast", [it], a => ((CelIp)a[0]!).IsLinkLocalUnicast);
        env.RegisterFunction("isLinkLocalMulticast", [it], a => ((CelIp)a[0]!).IsLinkLocalMulticast);
        env.RegisterFunction("isGlobalUnicast", [it], a => ((CelIp)a[0]!).IsGlobalUnicast);
        env.RegisterFunction("isCIDR", [s], a => CelCidr.TryParse(Str(a[0]), out _));
        env.RegisterFunction("cidr", [s], a => CelCidr.TryParse(Str(a[0]), out var c) ? c : throw new CelLibraryError("network address parse error during conversion from string: network address parse error during conversion from string: netip.ParsePrefix(" + GoFormat.Quote(Str(a[0])) + "): no '/'"));
        env.RegisterFunction("containsIP", [ct, it], a => ((CelCidr)a[0]!).Contains(((CelIp)a[1]!).Address));
        env.RegisterFunction("containsIP", [ct, s], a => CelIp.TryParse(Str(a[1]), out var ip) && ((CelCidr)a[0]!).Contains(ip.Address));
        env.RegisterFunction("containsCIDR", [ct, ct], a => ((CelCidr)a[0]!).Contains((CelCidr)a[1]!));
        env.RegisterFunction("containsCIDR", [ct, s], a => CelCidr.TryParse(Str(a[1]), out var c) && ((CelCidr)a[0]!).Contains(c));
        env.RegisterFunction("prefixLength", [ct], a => (long)((CelCidr)a[0]!).PrefixLength);
        env.RegisterFunction("ip", [ct], a => new CelIp(((CelCidr)a[0]!).Network));
        env.RegisterFunction("masked", [ct], a => ((CelCidr)a[0]!).Masked());
        env.RegisterFunction("string", [it], a => a[0]!.ToString());
        env.RegisterFunction("string", [ct], a => a[0]!.ToString());
        return env;
    }

    private static string Str(object? v) => v as string ?? throw new CelLibraryError("no such overload");

    /// <summary>cel-go's ext strings quote: a double-quoted string with the control characters, backslash and quote escaped.</summary>
    internal static string Quote(string value)
    {
        var sb = new StringBuilder("\"");
        foreach (var r in value.EnumerateRunes())
        {
            sb.Append(r.Value switch
            {
                '\a' => "\\a",
                '\b' => "\\b",
                '\f' => "\\f",
                '\n' => "\\n",
                '\r' => "\\r",
                '\t' => "\\t",
                '\v' => "\\v",
                '\\' => "\\\\",
                '"' => "\\\"",
                _ => r.ToString(),
            });
        }

        return sb.Append('"').ToString();
    }

    /// <summary>a.?f and a[?k]: an optional of the field, key or index, or optional.none(); none stays none.</summary>
    private static CelOptional OptionalSelect(object? target, object? key)
    {
        if (target is CelOptional opt)
        {
            if (!opt.HasValue)
            {
                return CelOptional.None;
            }

            target = opt.Value;
        }

        switch (target)
        {
            case IDictionary map:
                return key is not null && map.Contains(key) ? new CelOptional(map[key]) : CelOptional.None;
            case IList l when key is long i:
                return i >= 0 && i < l.Count ? new CelOptional(l[(int)i]) : CelOptional.None;
            default:
                throw new CelLibraryError("no such overload");
        }
    }

    /// <summary>[?a, b]: optional elements are left out when none and unwrapped when set.</summary>
    private static List<object?> OptionalList(IList values, IList flags)
    {
        var result = new List<object?>(values.Count);
        for (int i = 0; i < values.Count; i++)
        {
            if (flags[i] is true)
            {
                if (values[i] is CelOptional { HasValue: true } opt)
                {
                    result.Add(opt.Value);
                }
                else if (values[i] is not CelOptional)
                {
                    throw new CelLibraryError("no such overload");
                }
            }
            else
            {
                result.Add(values[i]);
            }
        }

        return result;
    }

    private static bool IsZeroValue(object? v) => v switch
    {
        null => true,
        bool b => !b,
        long l => l == 0,
        ulong u => u == 0,
        double d => d == 0,
        string str => str.Length == 0,
        Google.Protobuf.ByteString bs => bs.Length == 0,
        ICollection c => c.Count == 0,
        TimeSpan ts => ts == TimeSpan.Zero,
        _ => false,
    };

    private static bool CelEquals(object? x, object? y) => CelOptional.Canonical(x) == CelOptional.Canonical(y);

    private static long Long(object? v) => v switch
    {
        long x => x,
        int x => x,
        _ => throw new CelLibraryError("no such overload"),
    };

    private static IList List(object? v) => v as IList ?? throw new CelLibraryError("no such overload");

    private static string CharAt(string s, long i)
    {
        var runes = s.EnumerateRunes().ToArray();
        if (i < 0 || i > runes.Length)
        {
            throw new CelLibraryError("index out of range: " + i.ToString(CultureInfo.InvariantCulture));
        }

        return i == runes.Length ? string.Empty : runes[i].ToString();
    }

    private static int IndexOfRunes(string s, string sub, long from)
    {
        var runes = s.EnumerateRunes().Select(r => r.ToString()).ToArray();
        if (from < 0 || from > runes.Length)
        {
            throw new CelLibraryError("index out of range: " + from.ToString(CultureInfo.InvariantCulture));
        }

        var tail = string.Concat(runes.Skip((int)from));
        int at = tail.IndexOf(sub, StringComparison.Ordinal);
        return at < 0 ? -1 : (int)from + tail[..at].EnumerateRunes().Count();
    }

    private static int LastIndexOfRunes(string s, string sub)
    {
        int at = s.LastIndexOf(sub, StringComparison.Ordinal);
        return at < 0 ? -1 : s[..at].EnumerateRunes().Count();
    }

    private static string AsciiCase(string s, bool lower)
    {
        var sb = new StringBuilder(s.Length);
        foreach (char c in s)
        {
            sb.Append(lower ? (c is >= 'A' and <= 'Z' ? (char)(c + 32) : c) : (c is >= 'a' and <= 'z' ? (char)(c - 32) : c));
        }

        return sb.ToString();
    }

    private static string Replace(string s, string old, string replacement, long n)
    {
        if (n < 0)
        {
            return s.Replace(old, replacement, StringComparison.Ordinal);
        }

        var sb = new StringBuilder();
        int start = 0;
        for (long i = 0; i < n; i++)
        {
            int at = old.Length == 0 ? (start <= s.Length ? start : -1) : s.IndexOf(old, start, StringComparison.Ordinal);
            if (at < 0)
            {
                break;
            }

            sb.Append(s, start, at - start).Append(replacement);
            start = at + old.Length;
            if (old.Length == 0)
            {
                if (at < s.Length)
                {
                    sb.Append(s[at]);
                }

                start = at + 1;
            }
        }

        if (start <= s.Length)
        {
            sb.Append(s, start, s.Length - start);
        }

        return sb.ToString();
    }

    private static List<object?> Split(string s, string sep, long n)
    {
        if (n == 0)
        {
            return [];
        }

        string[] parts = sep.Length == 0
            ? s.EnumerateRunes().Select(r => r.ToString()).ToArray()
            : s.Split(sep, n < 0 ? int.MaxValue : (int)Math.Min(n, int.MaxValue));
        if (sep.Length == 0 && n > 0 && parts.Length > n)
        {
            parts = [.. parts.Take((int)n - 1), string.Concat(parts.Skip((int)n - 1))];
        }

        return parts.Cast<object?>().ToList();
    }

    private static string Substring(string s, long start, long? end)
    {
        var runes = s.EnumerateRunes().ToArray();
        long e = end ?? runes.Length;
        if (start < 0 || start > runes.Length || e < start || e > runes.Length)
        {
            throw new CelLibraryError($"index out of range: {(start < 0 || start > runes.Length ? start : e)}");
        }

        return string.Concat(runes.Skip((int)start).Take((int)(e - start)).Select(r => r.ToString()));
    }

    private static int Compare(object? a, object? b) => (a, b) switch
    {
        (long x, long y) => x.CompareTo(y),
        (double x, double y) => x.CompareTo(y),
        (string x, string y) => string.CompareOrdinal(x, y),
        (bool x, bool y) => x.CompareTo(y),
        (CelQuantity x, CelQuantity y) => x.Value.CompareTo(y.Value),
        _ => throw new CelLibraryError("no such overload"),
    };

    /// <summary>cel-go's strings.format: %s, %d, %f and %e (with precision), %x, %X, %o, %b and %%.</summary>
    private static string Format(string format, IList args)
    {
        var sb = new StringBuilder();
        int next = 0;
        for (int i = 0; i < format.Length; i++)
        {
            char c = format[i];
            if (c != '%')
            {
                sb.Append(c);
                continue;
            }

            if (++i >= format.Length)
            {
                throw new CelLibraryError("unexpected end of string");
            }

            if (format[i] == '%')
            {
                sb.Append('%');
                continue;
            }

            int? precision = null;
            if (format[i] == '.')
            {
                int start = ++i;
                while (i < format.Length && char.IsAsciiDigit(format[i]))
                {
                    i++;
                }

                precision = int.Parse(format[start..i], CultureInfo.InvariantCulture);
            }

            if (i >= format.Length)
            {
                throw new CelLibraryError("unexpected end of string");
            }

            if (next >= args.Count)
            {
                throw new CelLibraryError("index " + next.ToString(CultureInfo.InvariantCulture) + " out of range");
            }

            object? arg = args[next++];
            sb.Append(format[i] switch
            {
                's' => FormatString(arg),
                'd' => arg switch
                {
                    long or int or ulong or uint => Convert.ToString(arg, CultureInfo.InvariantCulture),
                    double d when double.IsNaN(d) => "NaN",
                    double d when double.IsInfinity(d) => d > 0 ? "Infinity" : "-Infinity",
                    _ => throw new CelLibraryError("error during formatting: decimal clause can only be used on integers, was given " + TypeName(arg)),
                },
                'f' => FixedOrExp(arg, precision ?? 6, 'f'),
                'e' => FixedOrExp(arg, precision ?? 6, 'e'),
                'x' or 'X' => Hex(arg, format[i] == 'X'),
                'o' => arg is long or int ? Convert.ToString(Convert.ToInt64(arg, CultureInfo.InvariantCulture), 8) : throw new CelLibraryError("error during formatting: octal clause can only be used on integers, was given " + TypeName(arg)),
                'b' => arg switch
                {
                    long or int => Convert.ToString(Convert.ToInt64(arg, CultureInfo.InvariantCulture), 2),
                    bool b => b ? "1" : "0",
                    _ => throw new CelLibraryError("error during formatting: only integers and bools can be formatted as binary, was given " + TypeName(arg)),
                },
                var other => throw new CelLibraryError("could not parse formatting clause: unrecognized formatting clause \"" + other + "\""),
            });
        }

        return sb.ToString();
    }

    private static string TypeName(object? v) => v switch
    {
        string => "string",
        long or int => "int",
        ulong or uint => "uint",
        double => "double",
        bool => "bool",
        null => "null_type",
        IList => "list",
        IDictionary => "map",
        _ => v.GetType().Name,
    };

    private static string FormatString(object? v) => v switch
    {
        null => "null",
        string s => s,
        bool b => b ? "true" : "false",
        double d => double.IsNaN(d) ? "NaN" : double.IsInfinity(d) ? (d > 0 ? "Infinity" : "-Infinity") : d.ToString("R", CultureInfo.InvariantCulture),
        byte[] bytes => Encoding.UTF8.GetString(bytes),
        Google.Protobuf.ByteString bs => bs.ToStringUtf8(),
        IList l => "[" + string.Join(", ", l.Cast<object?>().Select(FormatString)) + "]",
        _ => Convert.ToString(v, CultureInfo.InvariantCulture) ?? string.Empty,
    };

    private static string FixedOrExp(object? arg, int precision, char clause)
    {
        double d = arg switch
        {
            double x => x,
            long or int or ulong or uint => Convert.ToDouble(arg, CultureInfo.InvariantCulture),
            _ => throw new CelLibraryError("error during formatting: " + (clause == 'f' ? "fixed-point" : "scientific") + " clause can only be used on doubles, was given " + TypeName(arg)),
        };
        if (double.IsNaN(d))
        {
            return "NaN";
        }

        if (double.IsInfinity(d))
        {
            return d > 0 ? "Infinity" : "-Infinity";
        }

        if (clause == 'f')
        {
            // Go's strconv rounds half to even on the exact binary value, as decimal rounding of the double does.
            return Math.Round((decimal)d, precision, MidpointRounding.ToEven).ToString("F" + precision.ToString(CultureInfo.InvariantCulture), CultureInfo.InvariantCulture);
        }

        string e = d.ToString((precision == 0 ? "0" : "0." + new string('0', precision)) + "e+00", CultureInfo.InvariantCulture);
        return e;
    }

    private static string Hex(object? arg, bool upper)
    {
        string hex = arg switch
        {
            long l => l < 0 ? "-" + (-(decimal)l).ToString(CultureInfo.InvariantCulture) is var _ ? "-" + Convert.ToString(-l, 16) : string.Empty : Convert.ToString(l, 16),
            int i => Convert.ToString(i, 16),
            ulong u => u.ToString("x", CultureInfo.InvariantCulture),
            uint u => u.ToString("x", CultureInfo.InvariantCulture),
            string s => Convert.ToHexString(Encoding.UTF8.GetBytes(s)).ToLowerInvariant(),
            byte[] b => Convert.ToHexString(b).ToLowerInvariant(),
            Google.Protobuf.ByteString bs => Convert.ToHexString(bs.ToByteArray()).ToLowerInvariant(),
            _ => throw new CelLibraryError("error during formatting: only integers, byte buffers, and strings can be formatted as hex, was given " + TypeName(arg)),
        };
        return upper ? hex.ToUpperInvariant() : hex;
    }

    private static bool IsSorted(IList l)
    {
        for (int i = 1; i < l.Count; i++)
        {
            if (Compare(l[i - 1], l[i]) > 0)
            {
                return false;
            }
        }

        return true;
    }

    private static object Sum(IList l)
    {
        if (l.Count == 0)
        {
            return 0L;
        }

        if (l[0] is double)
        {
            return l.Cast<object?>().Sum(x => x is double d ? d : throw new CelLibraryError("no such overload"));
        }

        long total = 0;
        foreach (var x in l)
        {
            total = checked(total + (x is long v ? v : throw new CelLibraryError("no such overload")));
        }

        return total;
    }

    private static object? MinMax(IList l, int sign)
    {
        if (l.Count == 0)
        {
            throw new CelLibraryError(sign < 0 ? "min(list) argument must not be empty" : "max(list) argument must not be empty");
        }

        var best = l[0];
        for (int i = 1; i < l.Count; i++)
        {
            if (Compare(l[i], best) * sign > 0)
            {
                best = l[i];
            }
        }

        return best;
    }

    private static int IndexOf(IList l, object? item, bool last)
    {
        int found = -1;
        for (int i = 0; i < l.Count; i++)
        {
            if (Equals(l[i], item))
            {
                found = i;
                if (!last)
                {
                    break;
                }
            }
        }

        return found;
    }

    private static Regex Re(string pattern) =>
        GoRegex.TryCompile(pattern, out var error) ?? throw new CelLibraryError("invalid matches argument: " + error);

    private static List<object?> FindAll(string s, string pattern, long n)
    {
        var all = Re(pattern).Matches(s).Select(m => (object?)m.Value);
        return n < 0 ? all.ToList() : all.Take((int)Math.Min(n, int.MaxValue)).ToList();
    }

    internal static CelUrl? ParseUrl(string s)
    {
        // url.ParseRequestURI: an absolute URL or an absolute path, no fragment.
        if (s.Length == 0 || s.Contains('#') || s.Any(char.IsControl))
        {
            return null;
        }

        if (s.StartsWith('/'))
        {
            return new CelUrl(string.Empty, string.Empty, s);
        }

        if (!Uri.TryCreate(s, UriKind.Absolute, out var uri) || !Regex.IsMatch(s, "^[A-Za-z][A-Za-z0-9+.-]*:"))
        {
            return null;
        }

        string host = uri.IsDefaultPort || uri.Port < 0 ? uri.Host : uri.Host + ":" + uri.Port.ToString(CultureInfo.InvariantCulture);
        if (uri.HostNameType == UriHostNameType.IPv6)
        {
            host = uri.IsDefaultPort ? uri.Host : uri.Host + ":" + uri.Port.ToString(CultureInfo.InvariantCulture);
        }

        var explicitPort = Regex.Match(s, "^[^:]+://[^/?#]*:([0-9]+)");
        if (!explicitPort.Success && !uri.IsDefaultPort)
        {
            host = uri.Host;
        }
        else if (explicitPort.Success)
        {
            host = uri.Host + ":" + explicitPort.Groups[1].Value;
        }

        return new CelUrl(uri.Scheme, host, uri.AbsolutePath + uri.Query);
    }
}

/// <summary>A CEL optional value (optional.of(v) or optional.none()), for optionalOldSelf.</summary>
internal sealed class CelOptional : CelType
{
    public static readonly CelOptional None = new();

    public CelOptional(object? value)
        : base("optional.of:" + Canonical(value))
    {
        Value = value;
        HasValue = true;
    }

    private CelOptional()
        : base("optional.none")
    {
    }

    public new object? Value { get; }

    public bool HasValue { get; }

    /// <summary>
    /// A text that two CEL-equal values share: the <c>Cel</c> package compares its objects by their type text, so an
    /// optional carries its value's (optional.of(1) == optional.of(1), optional.of(1) != optional.of(2)).
    /// </summary>
    internal static string Canonical(object? v) => v switch
    {
        null => "null",
        bool b => b ? "true" : "false",
        long or int or ulong or double => "n:" + Convert.ToDouble(v, CultureInfo.InvariantCulture).ToString("R", CultureInfo.InvariantCulture),
        string s => "s:" + GoFormat.Quote(s),
        IDictionary d => "{" + string.Join(",", d.Keys.Cast<object?>().Select(k => Canonical(k) + ":" + Canonical(d[k!])).Order(StringComparer.Ordinal)) + "}",
        IEnumerable e => "[" + string.Join(",", e.Cast<object?>().Select(Canonical)) + "]",
        CelType t => t.Value,
        _ => v.ToString() ?? string.Empty,
    };
}

/// <summary>An error a library function raises, with cel-go's wording.</summary>
internal sealed class CelLibraryError(string message) : Exception(message);

/// <summary>A URL for the Kubernetes URL library.</summary>
internal sealed record CelUrl(string Scheme, string Host, string PathAndQuery)
{
    public string Hostname => Host.StartsWith('[') ? Host[1..Host.IndexOf(']')] : Host.Contains(':') ? Host[..Host.LastIndexOf(':')] : Host;

    public string Port => Host.StartsWith('[') ? (Host.IndexOf("]:", StringComparison.Ordinal) is int i and >= 0 ? Host[(i + 2)..] : string.Empty)
        : Host.Contains(':') ? Host[(Host.LastIndexOf(':') + 1)..] : string.Empty;

    public string EscapedPath => PathAndQuery.Contains('?') ? PathAndQuery[..PathAndQuery.IndexOf('?')] : PathAndQuery;

    public Dictionary<string, object?> Query()
    {
        var map = new Dictionary<string, object?>(StringComparer.Ordinal);
        int q = PathAndQuery.IndexOf('?');
        if (q < 0)
        {
            return map;
        }

        foreach (var pair in PathAndQuery[(q + 1)..].Split('&', StringSplitOptions.RemoveEmptyEntries))
        {
            int eq = pair.IndexOf('=');
            string k = Uri.UnescapeDataString(eq < 0 ? pair : pair[..eq]);
            string v = eq < 0 ? string.Empty : Uri.UnescapeDataString(pair[(eq + 1)..]);
            if (!map.TryGetValue(k, out var list))
            {
                map[k] = list = new List<object?>();
            }

            ((List<object?>)list!).Add(v);
        }

        return map;
    }
}

/// <summary>
/// A resource.Quantity for the Kubernetes quantity library (its value as a decimal). It derives from the Cel package's
/// CelType, whose equality the interpreter uses, so that <c>==</c> compares quantities by value as upstream does.
/// </summary>
internal sealed class CelQuantity(decimal value) : CelType("k8s.io/quantity:" + (value / 1.000000000000000000000000000000m).ToString(CultureInfo.InvariantCulture))
{
    public new decimal Value { get; } = value;

    private static readonly Regex Syntax = new("^([+-]?[0-9.]+)([eEinumkKMGTP]*[-+]?[0-9]*)$", RegexOptions.CultureInvariant);

    public bool IsInteger => decimal.Truncate(Value) == Value && Value >= long.MinValue && Value <= long.MaxValue;

    public long AsInteger() => IsInteger ? (long)Value : throw new CelLibraryError("cannot convert value to integer");

    public override string ToString() => Value.ToString(CultureInfo.InvariantCulture);

    public static bool TryParse(string s, out CelQuantity quantity)
    {
        quantity = new CelQuantity(0);
        var m = Syntax.Match(s);
        if (!m.Success || m.Groups[1].Value.Count(c => c == '.') > 1 || m.Groups[1].Value.Trim('+', '-') is "" or ".")
        {
            return false;
        }

        if (!decimal.TryParse(m.Groups[1].Value, NumberStyles.AllowLeadingSign | NumberStyles.AllowDecimalPoint, CultureInfo.InvariantCulture, out var number))
        {
            return false;
        }

        string suffix = m.Groups[2].Value;
        decimal factor;
        switch (suffix)
        {
            case "": factor = 1; break;
            case "Ki": factor = 1024m; break;
            case "Mi": factor = 1024m * 1024; break;
            case "Gi": factor = 1024m * 1024 * 1024; break;
            case "Ti": factor = 1024m * 1024 * 1024 * 1024; break;
            case "Pi": factor = 1024m * 1024 * 1024 * 1024 * 1024; break;
            case "Ei": factor = 1024m * 1024 * 1024 * 1024 * 1024 * 1024; break;
            case "n": factor = 0.000000001m; break;
            case "u": factor = 0.000001m; break;
            case "m": factor = 0.001m; break;
            case "k": factor = 1e3m; break;
            case "M": factor = 1e6m; break;
            case "G": factor = 1e9m; break;
            case "T": factor = 1e12m; break;
            case "P": factor = 1e15m; break;
            case "E": factor = 1e18m; break;
            default:
                var e = Regex.Match(suffix, "^[eE]([-+]?[0-9]+)$");
                if (!e.Success || !int.TryParse(e.Groups[1].Value, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out int exp) || exp is < -27 or > 27)
                {
                    return false;
                }

                factor = 1;
                for (int i = 0; i < Math.Abs(exp); i++)
                {
                    factor = exp > 0 ? factor * 10 : factor / 10;
                }

                break;
        }

        try
        {
            quantity = new CelQuantity(number * factor);
            return true;
        }
        catch (OverflowException)
        {
            return false;
        }
    }
}

/// <summary>An IP address for the Kubernetes IP library (no zones, no IPv4-mapped IPv6, as netip and the library require); equal by address.</summary>
internal sealed class CelIp(IPAddress address) : CelType("net.IP:" + address)
{
    public IPAddress Address { get; } = address;

    public long Family => Address.AddressFamily == System.Net.Sockets.AddressFamily.InterNetworkV6 ? 6 : 4;

    public bool IsLinkLocalUnicast => Family == 4 ? Address.GetAddressBytes() is [169, 254, ..] : Address.IsIPv6LinkLocal;

    public bool IsLinkLocalMulticast => Family == 4 ? Address.GetAddressBytes() is [224, 0, 0, ..] : Address.GetAddressBytes() is [0xff, var b, ..] && (b & 0x0f) == 2;

    public bool IsGlobalUnicast
    {
        get
        {
            var b = Address.GetAddressBytes();
            if (Family == 4)
            {
                return !(b[0] == 0 || b[0] == 127 || b[0] >= 224 || (b[0] == 169 && b[1] == 254) || b.All(x => x == 255));
            }

            return !(Address.Equals(IPAddress.IPv6Any) || Address.Equals(IPAddress.IPv6Loopback) || b[0] == 0xff || Address.IsIPv6LinkLocal);
        }
    }

    public static bool TryParse(string s, out CelIp ip)
    {
        ip = new CelIp(IPAddress.None);
        if (s.Contains('%') || s.Length == 0 || s.Trim() != s)
        {
            return false;
        }

        // IPv4 must be dotted decimal with four parts and no leading zeros, as netip.ParseAddr.
        if (!s.Contains(':') && !Regex.IsMatch(s, "^(25[0-5]|2[0-4][0-9]|1[0-9][0-9]|[1-9]?[0-9])(\\.(25[0-5]|2[0-4][0-9]|1[0-9][0-9]|[1-9]?[0-9])){3}$"))
        {
            return false;
        }

        if (!IPAddress.TryParse(s, out var address) || address.IsIPv4MappedToIPv6)
        {
            return false;
        }

        ip = new CelIp(address);
        return true;
    }

    public override string ToString() => Address.ToString();
}

/// <summary>A CIDR for the Kubernetes CIDR library; equal by address and prefix length.</summary>
internal sealed class CelCidr(IPAddress network, int prefixLength) : CelType("net.CIDR:" + network + "/" + prefixLength.ToString(CultureInfo.InvariantCulture))
{
    public IPAddress Network { get; } = network;

    public int PrefixLength { get; } = prefixLength;

    public static bool TryParse(string s, out CelCidr cidr)
    {
        cidr = new CelCidr(IPAddress.None, 0);
        int slash = s.IndexOf('/');
        if (slash < 0 || !CelIp.TryParse(s[..slash], out var ip) || !Regex.IsMatch(s[(slash + 1)..], "^(0|[1-9][0-9]{0,2})$"))
        {
            return false;
        }

        int bits = int.Parse(s[(slash + 1)..], CultureInfo.InvariantCulture);
        if (bits > (ip.Family == 4 ? 32 : 128))
        {
            return false;
        }

        cidr = new CelCidr(ip.Address, bits);
        return true;
    }

    public bool Contains(IPAddress address)
    {
        var a = Network.GetAddressBytes();
        var b = address.GetAddressBytes();
        if (a.Length != b.Length)
        {
            return false;
        }

        for (int i = 0; i < PrefixLength; i++)
        {
            int mask = 0x80 >> (i % 8);
            if ((a[i / 8] & mask) != (b[i / 8] & mask))
            {
                return false;
            }
        }

        return true;
    }

    public bool Contains(CelCidr other) => other.PrefixLength >= PrefixLength && Contains(other.Network);

    public CelCidr Masked()
    {
        var bytes = Network.GetAddressBytes();
        for (int i = PrefixLength; i < bytes.Length * 8; i++)
        {
            bytes[i / 8] &= (byte)~(0x80 >> (i % 8));
        }

        return new CelCidr(new IPAddress(bytes), PrefixLength);
    }

    public override string ToString() => Network + "/" + PrefixLength.ToString(CultureInfo.InvariantCulture);
}
