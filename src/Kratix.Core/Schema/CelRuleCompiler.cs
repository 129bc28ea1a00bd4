using System.Globalization;

namespace Kratix.Schema;

/// <summary>
/// What apiextensions does with each <c>x-kubernetes-validations</c> rule when a CRD is created
/// (schema/cel/compilation.go and apis/apiextensions/validation, v0.36.3): the rule parses, type-checks against the
/// schema (<c>self</c>, and <c>oldSelf</c> or its optional), evaluates to a bool; its messageExpression to a string; and
/// its estimated cost, times how many times the rule can run in one request, stays within the per-expression limit and,
/// with every other rule's, within the CRD's total.
/// </summary>
internal static class CelRuleCompiler
{
    /// <summary>StaticEstimatedCostLimit: the largest estimated cost of one expression.</summary>
    public const ulong PerExpressionLimit = 10_000_000;

    /// <summary>StaticEstimatedCRDCostLimit: the largest total estimated cost of a schema's rules.</summary>
    public const ulong TotalLimit = 100_000_000;

    /// <summary>
    /// The type name the server gives <c>self</c>'s object type: it appends the current nanosecond (so that rules cannot
    /// depend on it); here it is fixed, so messages that name an object type say <c>selfType0</c>.
    /// </summary>
    public const string SelfTypeName = "selfType0";

    /// <summary>The outcome of compiling one rule.</summary>
    internal sealed class Result
    {
        public string? Error { get; init; }

        public string? MessageExpressionError { get; init; }

        public ulong MaxCost { get; init; }

        public ulong MessageExpressionMaxCost { get; init; }

        public ulong MaxCardinality { get; init; }

        public bool UsesOldSelf { get; init; }

        /// <summary>True when the port could not check the rule (see <see cref="CelChecker"/>); it is then only parsed.</summary>
        public bool Unchecked { get; init; }
    }

    /// <summary>Compiles <paramref name="rule"/> declared on <paramref name="s"/>; null for an empty rule.</summary>
    public static Result? Compile(SchemaNode s, CelRule rule, bool isResourceRoot)
    {
        if (rule.Rule.Trim().Length == 0)
        {
            return null;
        }

        if (CelLibrary.SyntaxError(rule.Rule) is { } syntax)
        {
            return new Result { Error = "compilation failed: " + syntax, UsesOldSelf = CelValidator.UsesOldSelf(rule.Rule) };
        }

        var selfType = CelDeclTypes.For(s, isResourceRoot, SelfTypeName);
        if (selfType is null)
        {
            return new Result { Unchecked = true, UsesOldSelf = CelValidator.UsesOldSelf(rule.Rule) };
        }

        var vars = new Dictionary<string, CheckType>(StringComparer.Ordinal)
        {
            ["self"] = selfType,
            ["oldSelf"] = rule.OptionalOldSelf == true ? CheckType.Optional(selfType) : selfType,
        };
        var checkedRule = CelChecker.Check(rule.Rule, vars);
        if (checkedRule is null || checkedRule.Unsupported)
        {
            return new Result { Unchecked = true, UsesOldSelf = CelValidator.UsesOldSelf(rule.Rule) };
        }

        if (checkedRule.Errors is { } errors)
        {
            return new Result { Error = "compilation failed: " + errors };
        }

        if (checkedRule.ResultType.Kind != CelKind.Bool)
        {
            return new Result { Error = "cel expression must evaluate to a bool", UsesOldSelf = checkedRule.UsesOldSelf };
        }

        ulong maxCost = CelCostEstimator.Estimate(checkedRule, selfType).Max;
        string? messageError = null;
        ulong messageCost = 0;
        if (!string.IsNullOrEmpty(rule.MessageExpression))
        {
            if (CelLibrary.SyntaxError(rule.MessageExpression) is { } msgSyntax)
            {
                messageError = "messageExpression compilation failed: " + msgSyntax;
            }
            else if (CelChecker.Check(rule.MessageExpression, vars) is { Unsupported: false } msg)
            {
                if (msg.Errors is { } msgErrors)
                {
                    messageError = "messageExpression compilation failed: " + msgErrors;
                }
                else if (msg.ResultType.Kind != CelKind.String)
                {
                    messageError = "messageExpression must evaluate to a string";
                }
                else
                {
                    messageCost = CelCostEstimator.Estimate(msg, selfType).Max;
                }
            }
        }

        return new Result
        {
            MaxCost = maxCost,
            MaxCardinality = CelDeclTypes.MaxCardinality(selfType.MinSerializedSize),
            MessageExpressionError = messageError,
            MessageExpressionMaxCost = messageCost,
            UsesOldSelf = checkedRule.UsesOldSelf,
        };
    }

    /// <summary>getExpressionCost: the rule's cost times the schema's cardinality (or the estimate from the value's size).</summary>
    public static ulong ExpressionCost(ulong cost, ulong? cardinality, ulong fallbackCardinality) =>
        cost == 0 ? 0 : CelCost.MulSat(cost, cardinality ?? fallbackCardinality);

    /// <summary>getCostErrorMessage.</summary>
    public static string CostErrorMessage(string costName, ulong cost, ulong limit)
    {
        double factor = (double)cost / limit;
        string f = factor > 100.0 ? "more than 100x"
            : factor < 1.5 ? factor.ToString("F6", CultureInfo.InvariantCulture) + "x"
            : factor.ToString("F1", CultureInfo.InvariantCulture) + "x";
        return costName + " exceeds budget by factor of " + f + " (try simplifying the rule, or adding maxItems, maxProperties, and maxLength where arrays, maps, and strings are declared)";
    }

    /// <summary>extractMaxElements: how many children of <paramref name="s"/> a value can have; null when unbounded.</summary>
    public static ulong? MaxElements(SchemaNode s) => s.Type switch
    {
        "object" when s.AdditionalProperties is not null => s.MaxProperties is { } mp ? (ulong)Math.Max(0, mp) : null,
        "array" => s.MaxItems is { } mi ? (ulong)Math.Max(0, mi) : null,
        _ => 1,
    };
}

/// <summary>The total estimated cost of a schema's rules (TotalCost), with the four most expensive (at least 1% of the limit).</summary>
internal sealed class CelTotalCost
{
    public ulong Total { get; private set; }

    public List<(string Path, ulong Cost)> MostExpensive { get; } = new();

    public void Observe(string path, ulong cost)
    {
        Total = CelCost.AddSat(Total, cost);
        if (cost < CelRuleCompiler.TotalLimit / 100)
        {
            return;
        }

        MostExpensive.Add((path, cost));
        var sorted = MostExpensive.OrderByDescending(x => x.Cost).Take(4).ToList();
        MostExpensive.Clear();
        MostExpensive.AddRange(sorted);
    }
}
