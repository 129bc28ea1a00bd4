using System.Globalization;
using System.Text;
using Antlr4.Runtime;
using Cel.Internal;

namespace Kratix.Schema;

/// <summary>
/// A CEL expression as cel-go's parser builds it (common/ast): literals, identifiers, selections (and presence tests),
/// calls with operator names (<c>_+_</c>, <c>_[_]</c>, <c>@in</c>, ...) and comprehensions, with the standard macros
/// (<c>has</c>, <c>all</c>, <c>exists</c>, <c>exists_one</c>, <c>map</c>, <c>filter</c>) expanded as cel-go expands them.
/// The static type check (<see cref="CelChecker"/>) and the cost estimate (<see cref="CelCostEstimator"/>) walk it; it is
/// built from the <c>Cel</c> package's ANTLR parse tree, which is the same CEL grammar.
/// </summary>
internal abstract class CelExpr
{
    public int Id { get; set; }

    /// <summary>1-based line and 0-based column of the token cel-go reports errors at.</summary>
    public int Line { get; set; } = 1;

    public int Column { get; set; }
}

internal sealed class CelLiteral(object? value) : CelExpr
{
    /// <summary>long, ulong, double, string, byte[], bool or null.</summary>
    public object? Value { get; } = value;
}

internal sealed class CelIdent(string name) : CelExpr
{
    public string Name { get; } = name;
}

internal sealed class CelSelect(CelExpr operand, string field, bool testOnly, bool optional) : CelExpr
{
    public CelExpr Operand { get; } = operand;

    public string Field { get; } = field;

    public bool TestOnly { get; } = testOnly;

    public bool Optional { get; } = optional;
}

internal sealed class CelCall(string function, CelExpr? target, List<CelExpr> args) : CelExpr
{
    public string Function { get; } = function;

    public CelExpr? Target { get; } = target;

    public List<CelExpr> Args { get; } = args;
}

internal sealed class CelCreateList(List<CelExpr> elements, HashSet<int> optionalIndices) : CelExpr
{
    public List<CelExpr> Elements { get; } = elements;

    public HashSet<int> OptionalIndices { get; } = optionalIndices;
}

internal sealed class CelCreateMap(List<(CelExpr Key, CelExpr Value, bool Optional)> entries) : CelExpr
{
    public List<(CelExpr Key, CelExpr Value, bool Optional)> Entries { get; } = entries;
}

/// <summary>A message construction (<c>T{f: v}</c>): CRD rules have no message types, so it never type-checks.</summary>
internal sealed class CelCreateStruct(string typeName, List<(string Field, CelExpr Value)> fields) : CelExpr
{
    public string TypeName { get; } = typeName;

    public List<(string Field, CelExpr Value)> Fields { get; } = fields;
}

internal sealed class CelComprehension : CelExpr
{
    public required CelExpr IterRange { get; init; }

    public required string IterVar { get; init; }

    public string? IterVar2 { get; init; }

    public required string AccuVar { get; init; }

    public required CelExpr AccuInit { get; init; }

    public required CelExpr LoopCondition { get; init; }

    public required CelExpr LoopStep { get; init; }

    public required CelExpr Result { get; init; }
}

/// <summary>An error the parser or a macro reports (cel-go: <c>ERROR: &lt;input&gt;:l:c: message</c>).</summary>
internal sealed class CelParseException(string message, int line, int column) : Exception(message)
{
    public int Line { get; } = line;

    public int Column { get; } = column;
}

/// <summary>Builds a <see cref="CelExpr"/> from the <c>Cel</c> package's parse tree.</summary>
internal sealed class CelAstBuilder
{
    /// <summary>cel-go's accumulator variable for the standard macros (parser.HiddenAccumulatorName).</summary>
    public const string AccumulatorName = "@result";

    private int nextId = 1;

    public static CelExpr Build(CelParser.StartContext start) => new CelAstBuilder().Expr(start.e);

    private T At<T>(T e, IToken? tok)
        where T : CelExpr
    {
        e.Id = nextId++;
        if (tok is not null)
        {
            e.Line = tok.Line;
            e.Column = tok.Column;
        }

        return e;
    }

    private T Like<T>(T e, CelExpr loc)
        where T : CelExpr
    {
        e.Id = nextId++;
        e.Line = loc.Line;
        e.Column = loc.Column;
        return e;
    }

    private CelExpr Expr(CelParser.ExprContext ctx)
    {
        var cond = Or(ctx.e);
        if (ctx.op is null)
        {
            return cond;
        }

        return At(new CelCall("_?_:_", null, [cond, Or(ctx.e1), Expr(ctx.e2)]), ctx.op);
    }

    private CelExpr Or(CelParser.ConditionalOrContext ctx)
    {
        var result = And(ctx.e);
        for (int i = 0; i < ctx._e1.Count; i++)
        {
            result = At(new CelCall("_||_", null, [result, And(ctx._e1[i])]), ctx._ops[i]);
        }

        return result;
    }

    private CelExpr And(CelParser.ConditionalAndContext ctx)
    {
        var result = Relation(ctx.e);
        for (int i = 0; i < ctx._e1.Count; i++)
        {
            result = At(new CelCall("_&&_", null, [result, Relation(ctx._e1[i])]), ctx._ops[i]);
        }

        return result;
    }

    private CelExpr Relation(CelParser.RelationContext ctx)
    {
        if (ctx.calc() is { } calc)
        {
            return Calc(calc);
        }

        string op = ctx.op.Text switch
        {
            "<" => "_<_",
            "<=" => "_<=_",
            ">=" => "_>=_",
            ">" => "_>_",
            "==" => "_==_",
            "!=" => "_!=_",
            "in" => "@in",
            var x => throw new CelParseException("unknown operator " + x, ctx.op.Line, ctx.op.Column),
        };
        return At(new CelCall(op, null, [Relation(ctx.relation(0)), Relation(ctx.relation(1))]), ctx.op);
    }

    private CelExpr Calc(CelParser.CalcContext ctx)
    {
        if (ctx.unary() is { } unary)
        {
            return Unary(unary);
        }

        string op = ctx.op.Text switch
        {
            "*" => "_*_",
            "/" => "_/_",
            "%" => "_%_",
            "+" => "_+_",
            "-" => "_-_",
            var x => throw new CelParseException("unknown operator " + x, ctx.op.Line, ctx.op.Column),
        };
        return At(new CelCall(op, null, [Calc(ctx.calc(0)), Calc(ctx.calc(1))]), ctx.op);
    }

    private CelExpr Unary(CelParser.UnaryContext ctx)
    {
        switch (ctx)
        {
            case CelParser.MemberExprContext m:
                return Member(m.member());
            case CelParser.LogicalNotContext n:
                {
                    var target = Member(n.member());
                    if (n._ops.Count % 2 == 0)
                    {
                        return target;
                    }

                    return At(new CelCall("!_", null, [target]), n._ops[0]);
                }

            case CelParser.NegateContext n:
                {
                    var target = Member(n.member());
                    if (n._ops.Count % 2 == 0)
                    {
                        return target;
                    }

                    return At(new CelCall("-_", null, [target]), n._ops[0]);
                }

            default:
                throw new CelParseException("unsupported expression", ctx.Start.Line, ctx.Start.Column);
        }
    }

    private CelExpr Member(CelParser.MemberContext ctx)
    {
        switch (ctx)
        {
            case CelParser.PrimaryExprContext p:
                return Primary(p.primary());
            case CelParser.SelectContext s:
                return At(new CelSelect(Member(s.member()), s.id.Text, testOnly: false, optional: s.opt is not null), s.op);
            case CelParser.MemberCallContext c:
                {
                    var target = Member(c.member());
                    var args = Args(c.args);
                    return ReceiverCall(c.id.Text, target, args, c.open);
                }

            case CelParser.IndexContext i:
                {
                    var operand = Member(i.member());
                    return At(new CelCall(i.opt is null ? "_[_]" : "_[?_]", null, [operand, Expr(i.index)]), i.op);
                }

            default:
                throw new CelParseException("unsupported expression", ctx.Start.Line, ctx.Start.Column);
        }
    }

    private List<CelExpr> Args(CelParser.ExprListContext? list) =>
        list is null ? [] : list._e.Select(Expr).ToList();

    private CelExpr Primary(CelParser.PrimaryContext ctx)
    {
        switch (ctx)
        {
            case CelParser.IdentOrGlobalCallContext g:
                {
                    string name = (g.leadingDot is null ? string.Empty : ".") + g.id.Text;
                    if (g.op is null)
                    {
                        return At(new CelIdent(name), g.id);
                    }

                    var args = Args(g.args);
                    if (name == "has" && args.Count == 1)
                    {
                        if (args[0] is CelSelect sel)
                        {
                            return Like(new CelSelect(sel.Operand, sel.Field, testOnly: true, optional: false), sel);
                        }

                        throw new CelParseException("invalid argument to has() macro", args[0].Line, args[0].Column);
                    }

                    return At(new CelCall(name, null, args), g.op);
                }

            case CelParser.NestedContext n:
                return Expr(n.e);
            case CelParser.CreateListContext l:
                {
                    var elems = new List<CelExpr>();
                    var optional = new HashSet<int>();
                    if (l.elems is not null)
                    {
                        foreach (var oe in l.elems._elems)
                        {
                            if (oe.opt is not null)
                            {
                                optional.Add(elems.Count);
                            }

                            elems.Add(Expr(oe.e));
                        }
                    }

                    return At(new CelCreateList(elems, optional), l.op);
                }

            case CelParser.CreateStructContext m:
                {
                    var entries = new List<(CelExpr, CelExpr, bool)>();
                    if (m.entries is not null)
                    {
                        for (int i = 0; i < m.entries._keys.Count; i++)
                        {
                            entries.Add((Expr(m.entries._keys[i].e), Expr(m.entries._values[i]), m.entries._keys[i].opt is not null));
                        }
                    }

                    return At(new CelCreateMap(entries), m.op);
                }

            case CelParser.CreateMessageContext msg:
                {
                    var fields = new List<(string, CelExpr)>();
                    if (msg.entries is not null)
                    {
                        for (int i = 0; i < msg.entries._fields.Count; i++)
                        {
                            fields.Add((msg.entries._fields[i].id.Text, Expr(msg.entries._values[i])));
                        }
                    }

                    string typeName = (msg.leadingDot is null ? string.Empty : ".") + string.Join(".", msg._ids.Select(t => t.Text));
                    return At(new CelCreateStruct(typeName, fields), msg.op);
                }

            case CelParser.ConstantLiteralContext c:
                return Literal(c.literal());
            default:
                throw new CelParseException("unsupported expression", ctx.Start.Line, ctx.Start.Column);
        }
    }

    private CelExpr Literal(CelParser.LiteralContext ctx)
    {
        switch (ctx)
        {
            case CelParser.IntContext i:
                {
                    string text = (i.sign is null ? string.Empty : "-") + i.tok.Text;
                    return At(new CelLiteral(ParseInt(text, i.tok)), i.sign ?? i.tok);
                }

            case CelParser.UintContext u:
                {
                    string text = u.tok.Text[..^1];
                    ulong v = text.StartsWith("0x", StringComparison.OrdinalIgnoreCase)
                        ? ulong.Parse(text[2..], NumberStyles.HexNumber, CultureInfo.InvariantCulture)
                        : ulong.Parse(text, CultureInfo.InvariantCulture);
                    return At(new CelLiteral(v), u.tok);
                }

            case CelParser.DoubleContext d:
                {
                    string text = (d.sign is null ? string.Empty : "-") + d.tok.Text;
                    return At(new CelLiteral(double.Parse(text, NumberStyles.Float, CultureInfo.InvariantCulture)), d.sign ?? d.tok);
                }

            case CelParser.StringContext s:
                return At(new CelLiteral(Unquote(s.tok.Text, isBytes: false)), s.tok);
            case CelParser.BytesContext b:
                return At(new CelLiteral(Encoding.Latin1.GetBytes(Unquote(b.tok.Text[1..], isBytes: true))), b.tok);
            case CelParser.BoolTrueContext t:
                return At(new CelLiteral(true), t.tok);
            case CelParser.BoolFalseContext f:
                return At(new CelLiteral(false), f.tok);
            case CelParser.NullContext n:
                return At(new CelLiteral(null), n.tok);
            default:
                throw new CelParseException("unsupported literal", ctx.Start.Line, ctx.Start.Column);
        }
    }

    private static long ParseInt(string text, IToken tok)
    {
        bool neg = text.StartsWith('-');
        string digits = neg ? text[1..] : text;
        try
        {
            if (digits.StartsWith("0x", StringComparison.OrdinalIgnoreCase))
            {
                ulong u = ulong.Parse(digits[2..], NumberStyles.HexNumber, CultureInfo.InvariantCulture);
                return neg ? checked(-(long)u) : checked((long)u);
            }

            return long.Parse(text, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture);
        }
        catch (Exception ex) when (ex is OverflowException or FormatException)
        {
            throw new CelParseException("invalid int literal", tok.Line, tok.Column);
        }
    }

    /// <summary>CEL string literal unquoting (quotes, triple quotes, raw strings, escapes). Bytes keep each escape as one byte.</summary>
    internal static string Unquote(string text, bool isBytes)
    {
        bool raw = false;
        if (text.Length > 0 && (text[0] == 'r' || text[0] == 'R'))
        {
            raw = true;
            text = text[1..];
        }

        int q = text.StartsWith("\"\"\"", StringComparison.Ordinal) || text.StartsWith("'''", StringComparison.Ordinal) ? 3 : 1;
        string body = text[q..^q];
        if (raw)
        {
            return isBytes ? Encoding.Latin1.GetString(Encoding.UTF8.GetBytes(body)) : body;
        }

        var sb = new StringBuilder(body.Length);
        var bytes = new List<byte>();
        for (int i = 0; i < body.Length; i++)
        {
            char c = body[i];
            if (c != '\\' || i + 1 >= body.Length)
            {
                if (isBytes)
                {
                    foreach (byte b in Encoding.UTF8.GetBytes(c.ToString()))
                    {
                        sb.Append((char)b);
                    }
                }
                else
                {
                    sb.Append(c);
                }

                continue;
            }

            char e = body[++i];
            switch (e)
            {
                case 'a': sb.Append('\a'); break;
                case 'b': sb.Append('\b'); break;
                case 'f': sb.Append('\f'); break;
                case 'n': sb.Append('\n'); break;
                case 'r': sb.Append('\r'); break;
                case 't': sb.Append('\t'); break;
                case 'v': sb.Append('\v'); break;
                case 'x' or 'X' when i + 2 < body.Length:
                    sb.Append((char)Convert.ToInt32(body.Substring(i + 1, 2), 16));
                    i += 2;
                    break;
                case 'u' when i + 4 < body.Length:
                    sb.Append(char.ConvertFromUtf32(Convert.ToInt32(body.Substring(i + 1, 4), 16)));
                    i += 4;
                    break;
                case 'U' when i + 8 < body.Length:
                    sb.Append(char.ConvertFromUtf32(Convert.ToInt32(body.Substring(i + 1, 8), 16)));
                    i += 8;
                    break;
                case >= '0' and <= '3' when i + 2 < body.Length:
                    sb.Append((char)Convert.ToInt32(body.Substring(i, 3), 8));
                    i += 2;
                    break;
                default:
                    sb.Append(e);
                    break;
            }
        }

        return sb.ToString();
    }

    private CelExpr ReceiverCall(string name, CelExpr target, List<CelExpr> args, IToken open)
    {
        switch (name)
        {
            case "all" or "exists" or "exists_one" or "existsOne" when args.Count is 2 or 3:
                return Quantifier(name, target, args, open);
            case "map" when args.Count is 2 or 3:
                {
                    string v = IterVar(args[0], "argument is not an identifier");
                    CelExpr fn = args.Count == 3 ? args[2] : args[1];
                    CelExpr? filter = args.Count == 3 ? args[1] : null;
                    var loc = At(new CelIdent(AccumulatorName), open);
                    CelExpr step = Like(new CelCall("_+_", null, [Accu(loc), Like(new CelCreateList([fn], []), loc)]), loc);
                    if (filter is not null)
                    {
                        step = Like(new CelCall("_?_:_", null, [filter, step, Accu(loc)]), loc);
                    }

                    return Comprehension(target, v, null, Like(new CelCreateList([], []), loc), Like(new CelLiteral(true), loc), step, Accu(loc), loc);
                }

            case "filter" when args.Count == 2:
                {
                    string v = IterVar(args[0], "argument is not an identifier");
                    var loc = At(new CelIdent(AccumulatorName), open);
                    CelExpr step = Like(new CelCall("_+_", null, [Accu(loc), Like(new CelCreateList([args[0]], []), loc)]), loc);
                    step = Like(new CelCall("_?_:_", null, [args[1], step, Accu(loc)]), loc);
                    return Comprehension(target, v, null, Like(new CelCreateList([], []), loc), Like(new CelLiteral(true), loc), step, Accu(loc), loc);
                }

            default:
                return At(new CelCall(name, target, args), open);
        }
    }

    private CelExpr Accu(CelExpr loc) => Like(new CelIdent(AccumulatorName), loc);

    private static string IterVar(CelExpr e, string message) =>
        e is CelIdent { Name: var n } ? (n == AccumulatorName || n == "__result__" ? throw new CelParseException("iteration variable overwrites accumulator variable", e.Line, e.Column) : n)
        : throw new CelParseException(message, e.Line, e.Column);

    private CelExpr Quantifier(string name, CelExpr target, List<CelExpr> args, IToken open)
    {
        string v = IterVar(args[0], "argument must be a simple name");
        string? v2 = args.Count == 3 ? IterVar(args[1], "argument must be a simple name") : null;
        CelExpr pred = args[^1];
        var loc = At(new CelIdent(AccumulatorName), open);
        CelExpr init, cond, step, result;
        switch (name)
        {
            case "all":
                init = Like(new CelLiteral(true), loc);
                cond = Like(new CelCall("@not_strictly_false", null, [Accu(loc)]), loc);
                step = Like(new CelCall("_&&_", null, [Accu(loc), pred]), loc);
                result = Accu(loc);
                break;
            case "exists":
                init = Like(new CelLiteral(false), loc);
                cond = Like(new CelCall("@not_strictly_false", null, [Like(new CelCall("!_", null, [Accu(loc)]), loc)]), loc);
                step = Like(new CelCall("_||_", null, [Accu(loc), pred]), loc);
                result = Accu(loc);
                break;
            default:
                init = Like(new CelLiteral(0L), loc);
                cond = Like(new CelLiteral(true), loc);
                step = Like(new CelCall("_?_:_", null, [pred, Like(new CelCall("_+_", null, [Accu(loc), Like(new CelLiteral(1L), loc)]), loc), Accu(loc)]), loc);
                result = Like(new CelCall("_==_", null, [Accu(loc), Like(new CelLiteral(1L), loc)]), loc);
                break;
        }

        return Comprehension(target, v, v2, init, cond, step, result, loc);
    }

    private CelExpr Comprehension(CelExpr range, string v, string? v2, CelExpr init, CelExpr cond, CelExpr step, CelExpr result, CelExpr loc) =>
        Like(new CelComprehension { IterRange = range, IterVar = v, IterVar2 = v2, AccuVar = AccumulatorName, AccuInit = init, LoopCondition = cond, LoopStep = step, Result = result }, loc);
}
