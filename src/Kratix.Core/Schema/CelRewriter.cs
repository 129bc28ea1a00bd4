using System.Text;
using Antlr4.Runtime;
using Antlr4.Runtime.Tree;
using Cel.Internal;

namespace Kratix.Schema;

/// <summary>
/// Rewrites an expression before the <c>Cel</c> package compiles it, for the CEL features it parses but does not run:
/// optional field selection and indexing (<c>a.?b</c>, <c>a[?k]</c>, and any selection or index on an optional value,
/// which cel-go makes optional too), optional list elements (<c>[?a, b]</c>), and functions with qualified names
/// (<c>strings.quote</c>, <c>format.named</c>, <c>format.dns1123Label</c>, <c>ip.isCanonical</c>, <c>optional.of</c>,
/// ...), which the package would read as a method call on an undeclared variable. Each becomes a call of a function
/// <see cref="CelLibrary"/> registers (<c>__optSelect</c>, <c>__strings_quote</c>, ...). The rewrite works on the parse
/// tree, so string literals and spacing are kept as written.
/// </summary>
internal static class CelRewriter
{
    /// <summary>Qualified functions, as the name the rewrite calls.</summary>
    public static readonly HashSet<string> QualifiedFunctions = new(StringComparer.Ordinal)
    {
        "strings.quote", "format.named", "ip.isCanonical", "optional.of", "optional.none", "optional.ofNonZeroValue",
        "sets.contains", "sets.equivalent", "sets.intersects", "lists.range",
    };

    /// <summary>Member functions whose result is an optional value.</summary>
    private static readonly HashSet<string> OptionalResults = new(StringComparer.Ordinal) { "validate", "or", "first", "last" };

    public static string Rewrite(string source, CelParser.StartContext tree, bool optionalOldSelf)
    {
        if (!NeedsRewrite(source, optionalOldSelf))
        {
            return source;
        }

        return new Writer(source, optionalOldSelf).Text(tree.e);
    }

    /// <summary>A quick test that keeps the common expression away from the tree walk.</summary>
    private static bool NeedsRewrite(string source, bool optionalOldSelf) =>
        optionalOldSelf || source.Contains('?') || source.Any(char.IsSurrogate) || source.Contains("strings.", StringComparison.Ordinal) || source.Contains("format.", StringComparison.Ordinal)
        || source.Contains("ip.", StringComparison.Ordinal) || source.Contains("optional.", StringComparison.Ordinal)
        || source.Contains("sets.", StringComparison.Ordinal) || source.Contains("lists.", StringComparison.Ordinal);

    public static string FunctionName(string qualified) => "__" + qualified.Replace('.', '_');

    private static string EscapeAstral(string literal)
    {
        var sb = new StringBuilder(literal.Length + 16);
        foreach (var r in literal.EnumerateRunes())
        {
            if (r.IsBmp)
            {
                sb.Append((char)r.Value);
            }
            else
            {
                sb.Append("\\U").Append(r.Value.ToString("X8", System.Globalization.CultureInfo.InvariantCulture));
            }
        }

        return sb.ToString();
    }

    private sealed class Writer(string source, bool optionalOldSelf)
    {
        public string Text(IParseTree node)
        {
            switch (node)
            {
                case ITerminalNode t when t.Symbol.Type == CelLexer.STRING && t.Symbol.Text.Any(char.IsSurrogate) && t.Symbol.Text[0] is not ('r' or 'R'):
                    // The package loses characters outside the BMP in a literal that also has escapes; \U escapes it reads.
                    return EscapeAstral(Original(t.Symbol.StartIndex, t.Symbol.StopIndex));
                case ITerminalNode t:
                    return t.Symbol.Type == TokenConstants.EOF ? string.Empty : Original(t.Symbol.StartIndex, t.Symbol.StopIndex);
                case CelParser.SelectContext s when s.opt is not null || IsOptional(s.member()):
                    return "__optSelect(" + Text(s.member()) + ", \"" + s.id.Text + "\")";
                case CelParser.IndexContext i when i.opt is not null || IsOptional(i.member()):
                    return "__optIndex(" + Text(i.member()) + ", " + Text(i.index) + ")";
                case CelParser.MemberCallContext c when Qualified(c.member()) is { } q && QualifiedFunctions.Contains(q + "." + c.id.Text):
                    return FunctionName(q + "." + c.id.Text) + "(" + (c.args is null ? string.Empty : Text(c.args)) + ")";
                case CelParser.MemberCallContext c when Qualified(c.member()) == "format" && CelFormats.All.ContainsKey(c.id.Text):
                    return "__format_constant(\"" + c.id.Text + "\")";
                case CelParser.CreateListContext l when l.elems is not null && l.elems._elems.Any(e => e.opt is not null):
                    {
                        var values = string.Join(", ", l.elems._elems.Select(e => Text(e.e)));
                        var flags = string.Join(", ", l.elems._elems.Select(e => e.opt is null ? "false" : "true"));
                        return "__optList([" + values + "], [" + flags + "])";
                    }

                case ParserRuleContext ctx:
                    {
                        var sb = new StringBuilder();
                        int? end = null;
                        foreach (var child in ctx.children ?? (IList<IParseTree>)Array.Empty<IParseTree>())
                        {
                            var (start, stop) = Interval(child);
                            if (end is { } e && start > e + 1)
                            {
                                sb.Append(source, e + 1, start - e - 1);
                            }

                            sb.Append(Text(child));
                            if (stop >= start)
                            {
                                end = stop;
                            }
                        }

                        return sb.ToString();
                    }

                default:
                    return node.GetText();
            }
        }

        private string Original(int start, int stop) => stop < start ? string.Empty : source.Substring(start, stop - start + 1);

        private static (int Start, int Stop) Interval(IParseTree node) => node switch
        {
            ITerminalNode t => (t.Symbol.StartIndex, t.Symbol.StopIndex),
            ParserRuleContext c => (c.Start.StartIndex, c.Stop?.StopIndex ?? c.Start.StartIndex - 1),
            _ => (0, -1),
        };

        /// <summary>Whether a member expression yields an optional value, by its form.</summary>
        private bool IsOptional(CelParser.MemberContext m) => m switch
        {
            CelParser.SelectContext s => s.opt is not null || IsOptional(s.member()),
            CelParser.IndexContext i => i.opt is not null || IsOptional(i.member()),
            CelParser.MemberCallContext c when Qualified(c.member()) is { } q && QualifiedFunctions.Contains(q + "." + c.id.Text) =>
                q + "." + c.id.Text is "optional.of" or "optional.none" or "optional.ofNonZeroValue" or "format.named",
            CelParser.MemberCallContext c => OptionalResults.Contains(c.id.Text),
            CelParser.PrimaryExprContext pe => pe.primary() switch
            {
                CelParser.IdentOrGlobalCallContext g => g.op is null && g.id.Text == "oldSelf" && optionalOldSelf,
                CelParser.NestedContext n => n.e.op is null && n.e.e is { } or && IsOptionalExpr(n.e),
                _ => false,
            },
            _ => false,
        };

        private bool IsOptionalExpr(CelParser.ExprContext e)
        {
            // (x) where x is a plain member expression.
            var rel = e.e?.e?.e;
            if (e.e?._e1.Count > 0 || e.e?.e?._e1.Count > 0 || rel?.calc() is not { } calc || calc.unary() is not CelParser.MemberExprContext me)
            {
                return false;
            }

            return IsOptional(me.member());
        }

        /// <summary><c>a.b.c</c> when the member is only identifiers and selections (and not a variable the rule has).</summary>
        private static string? Qualified(CelParser.MemberContext m) => m switch
        {
            CelParser.PrimaryExprContext pe when pe.primary() is CelParser.IdentOrGlobalCallContext { op: null, leadingDot: null } g
                && g.id.Text is not ("self" or "oldSelf") => g.id.Text,
            CelParser.SelectContext { opt: null } s when Qualified(s.member()) is { } q => q + "." + s.id.Text,
            _ => null,
        };
    }
}
