namespace Kratix.Schema;

/// <summary>A cost or size range, as cel-go's checker.CostEstimate / SizeEstimate (saturating at ulong.MaxValue).</summary>
internal readonly record struct CelCost(ulong Min, ulong Max)
{
    public static readonly CelCost Unknown = new(0, ulong.MaxValue);

    public static CelCost Fixed(ulong v) => new(v, v);

    public CelCost Add(CelCost o) => new(AddSat(Min, o.Min), AddSat(Max, o.Max));

    public CelCost Multiply(CelCost o) => new(MulSat(Min, o.Min), MulSat(Max, o.Max));

    public CelCost MultiplyByCostFactor(double f) => new(ByFactor(Min, f), ByFactor(Max, f));

    public CelCost Union(CelCost o) => new(Math.Min(Min, o.Min), Math.Max(Max, o.Max));

    public static ulong AddSat(ulong x, ulong y) => y > 0 && x > ulong.MaxValue - y ? ulong.MaxValue : x + y;

    public static ulong MulSat(ulong x, ulong y) => y != 0 && x > ulong.MaxValue / y ? ulong.MaxValue : x * y;

    private static ulong ByFactor(ulong x, double y)
    {
        double xf = x;
        if (xf > 0 && y > 0 && xf > ulong.MaxValue / y)
        {
            return ulong.MaxValue;
        }

        double ceil = Math.Ceiling(xf * y);
        return ceil >= 18446744073709551616.0 ? ulong.MaxValue : (ulong)ceil;
    }
}

/// <summary>
/// The static cost estimate of a checked rule: cel-go's checker/cost.go (v0.26) with the Kubernetes CostEstimator
/// (k8s.io/apiserver pkg/cel/library/cost.go) and the CRD size estimator (apiextensions schema/cel/compilation.go), which
/// sizes <c>self.a.b</c> from the schema's maxLength/maxItems/maxProperties (<see cref="CelDeclTypes"/>). Presence tests
/// are free, as in the Kubernetes environment.
/// </summary>
internal sealed class CelCostEstimator
{
    private const double StringTraversalCostFactor = 0.1;
    private const double RegexStringLengthCostFactor = 0.25;
    private const ulong SelectAndIdentCost = 1;
    private const ulong ListCreateBaseCost = 10;
    private const ulong MapCreateBaseCost = 30;
    private const ulong StructCreateBaseCost = 40;

    private readonly CelChecker.Checked checkedExpr;
    private readonly CheckType root;
    private readonly Dictionary<int, List<string>> paths = new();
    private readonly Dictionary<int, CelCost> sizes = new();
    private readonly Dictionary<int, EntrySize> entrySizes = new();
    private readonly Dictionary<string, List<LocalVar>> locals = new(StringComparer.Ordinal);

    private readonly Func<List<string>?, CheckType, CelCost?>? sizeEstimator;

    private CelCostEstimator(CelChecker.Checked checkedExpr, CheckType root, Func<List<string>?, CheckType, CelCost?>? sizeEstimator)
    {
        this.checkedExpr = checkedExpr;
        this.root = root;
        this.sizeEstimator = sizeEstimator;
    }

    private sealed record EntrySize(CelKind Container, CelCost Key, CelCost Val)
    {
        public EntrySize? Union(EntrySize? other) =>
            other is null ? null : new EntrySize(Container, Key.Union(other.Key), Val.Union(other.Val));
    }

    private sealed record LocalVar(List<string>? Path, CelCost? Size, EntrySize? Entry);

    /// <summary>An argument or target as the estimators see it: its path from self, type, expression and computed size.</summary>
    private sealed record Node(List<string>? Path, CheckType Type, CelExpr? Expr, CelCost? ComputedSize);

    /// <summary>The estimated cost of <paramref name="checkedExpr"/> when <c>self</c> has type <paramref name="root"/>.</summary>
    public static CelCost Estimate(CelChecker.Checked checkedExpr, CheckType root) =>
        new CelCostEstimator(checkedExpr, root, null).Cost(checkedExpr.Expr);

    /// <summary>The estimate with another size estimator in place of the schema's (upstream's library tests use one that sizes every string 0..12).</summary>
    internal static CelCost Estimate(CelChecker.Checked checkedExpr, Func<List<string>?, CheckType, CelCost?> sizeEstimator) =>
        new CelCostEstimator(checkedExpr, new CheckType(CelKind.Dyn, "dyn"), sizeEstimator).Cost(checkedExpr.Expr);

    private CheckType TypeOf(CelExpr e) => checkedExpr.Types.TryGetValue(e.Id, out var t) ? t : CheckType.Dyn;

    private CelCost Cost(CelExpr? e)
    {
        switch (e)
        {
            case null:
                return default;
            case CelLiteral:
                return default;
            case CelIdent id:
                Path(e, Peek(id.Name) is { } local ? local.Path : [id.Name]);
                return CelCost.Fixed(SelectAndIdentCost);
            case CelSelect sel:
                return CostSelect(sel);
            case CelCall call:
                return CostCall(call);
            case CelCreateList list:
                {
                    CelCost sum = default;
                    var itemSize = new CelCost(list.Elements.Count == 0 ? 0 : ulong.MaxValue, 0);
                    foreach (var x in list.Elements)
                    {
                        sum = sum.Add(Cost(x));
                        itemSize = itemSize.Union(SizeOrUnknown(x));
                    }

                    entrySizes[e.Id] = new EntrySize(CelKind.List, CelCost.Fixed(1), itemSize);
                    return sum.Add(CelCost.Fixed(ListCreateBaseCost));
                }

            case CelCreateMap map:
                {
                    CelCost sum = default;
                    bool empty = map.Entries.Count == 0;
                    var keySize = new CelCost(empty ? 0 : ulong.MaxValue, 0);
                    var valSize = keySize;
                    foreach (var (k, v, _) in map.Entries)
                    {
                        sum = sum.Add(Cost(k)).Add(Cost(v));
                        keySize = keySize.Union(SizeOrUnknown(k));
                        valSize = valSize.Union(SizeOrUnknown(v));
                    }

                    entrySizes[e.Id] = new EntrySize(CelKind.Map, keySize, valSize);
                    return sum.Add(CelCost.Fixed(MapCreateBaseCost));
                }

            case CelCreateStruct st:
                {
                    CelCost sum = default;
                    foreach (var (_, v) in st.Fields)
                    {
                        sum = sum.Add(Cost(v));
                    }

                    return sum.Add(CelCost.Fixed(StructCreateBaseCost));
                }

            case CelComprehension comp:
                return CostComprehension(comp);
            default:
                return default;
        }
    }

    private CelCost CostSelect(CelSelect sel)
    {
        CelCost sum = default;
        if (sel.TestOnly)
        {
            // PresenceTestHasCost(false) in the Kubernetes environment.
            return sum.Add(Cost(sel.Operand));
        }

        sum = sum.Add(Cost(sel.Operand));
        if (sel.Optional)
        {
            // a.?b is the call _?._(a, "b"): one unit.
            sum = sum.Add(CelCost.Fixed(1));
        }
        else
        {
            var target = TypeOf(sel.Operand);
            if (target.Kind is CelKind.Map or CelKind.Struct or CelKind.TypeParam)
            {
                sum = sum.Add(CelCost.Fixed(SelectAndIdentCost));
            }
        }

        Path(sel, Append(GetPath(sel.Operand), sel.Field));
        return sum;
    }

    private CelCost CostCall(CelCall call)
    {
        if (call.Function == "dyn" && call.Target is null && call.Args.Count == 1)
        {
            var argCost = Cost(call.Args[0]);
            CopySizes(call, call.Args[0]);
            return CelCost.Fixed(1).Add(argCost);
        }

        var args = call.Args;
        CelCost sum = default;
        var argNodes = new List<Node>(args.Count);
        var argCosts = new List<CelCost>(args.Count);
        foreach (var a in args)
        {
            argCosts.Add(Cost(a));
            argNodes.Add(NewNode(a));
        }

        if (!checkedExpr.Overloads.TryGetValue(call.Id, out var ids) || ids.Count == 0)
        {
            return default;
        }

        Node? target = null;
        bool member = call.Target is not null && !(IsQualifiedFunction(call));
        if (member)
        {
            sum = sum.Add(Cost(call.Target));
            target = NewNode(call.Target!);
        }

        string fn = member || call.Target is null ? call.Function : QualifiedFunction(call);
        var fnCost = new CelCost(ulong.MaxValue, 0);
        CelCost? resultSize = null;
        foreach (var id in ids)
        {
            var (cost, size) = FunctionCost(call, fn, id, target, argNodes, argCosts);
            fnCost = fnCost.Union(cost);
            if (size is { } s)
            {
                resultSize = resultSize is { } r ? r.Union(s) : s;
            }

            switch (id)
            {
                case "index_list" when args.Count > 0:
                    resultSize = EntryOf(args[0])?.Val;
                    Path(call, Append(GetPath(args[0]), "@items"));
                    break;
                case "index_map" when args.Count > 0:
                    resultSize = EntryOf(args[0])?.Val;
                    Path(call, Append(GetPath(args[0]), "@values"));
                    break;
            }

            resultSize ??= ComputeSize(call);
        }

        if (resultSize is { } rs)
        {
            sizes[call.Id] = rs;
        }

        return sum.Add(fnCost);
    }

    private bool IsQualifiedFunction(CelCall call) =>
        call.Target is not null && checkedExpr.Overloads.TryGetValue(call.Id, out var ids) && ids.Count > 0
        && CelDeclarations.Functions.TryGetValue(QualifiedFunction(call), out var decl) && decl.Any(o => !o.Member && ids.Contains(o.Id));

    private static string QualifiedFunction(CelCall call)
    {
        static string? Q(CelExpr e) => e switch
        {
            CelIdent i => i.Name,
            CelSelect s when Q(s.Operand) is { } q => q + "." + s.Field,
            _ => null,
        };

        return (Q(call.Target!) ?? string.Empty) + "." + call.Function;
    }

    private CelCost CostComprehension(CelComprehension comp)
    {
        CelCost sum = default;
        sum = sum.Add(Cost(comp.IterRange));
        sum = sum.Add(Cost(comp.AccuInit));
        Push(comp.AccuVar, new LocalVar(GetPath(comp.AccuInit), ComputeSize(comp.AccuInit), EntryOf(comp.AccuInit)));
        var entry = EntryOf(comp.IterRange);
        var container = entry?.Container ?? TypeOf(comp.IterRange).Kind;
        var rangePath = GetPath(comp.IterRange);
        if (comp.IterVar2 is not null)
        {
            Push(comp.IterVar, new LocalVar(Append(rangePath, container == CelKind.List ? "@indices" : "@keys"), entry?.Key, null));
            Push(comp.IterVar2, new LocalVar(Append(rangePath, container == CelKind.List ? "@items" : "@values"), entry?.Val, null));
        }
        else if (container == CelKind.List)
        {
            Push(comp.IterVar, new LocalVar(Append(rangePath, "@items"), entry?.Val, null));
        }
        else
        {
            Push(comp.IterVar, new LocalVar(Append(rangePath, "@keys"), entry?.Key, null));
        }

        var loopCost = Cost(comp.LoopCondition);
        var stepCost = Cost(comp.LoopStep);
        Pop(comp.IterVar);
        if (comp.IterVar2 is not null)
        {
            Pop(comp.IterVar2);
        }

        sum = sum.Add(Cost(comp.Result));
        Pop(comp.AccuVar);
        var rangeCnt = SizeOrUnknown(comp.IterRange);
        sum = sum.Add(new CelCost(CelCost.MulSat(rangeCnt.Min, stepCost.Add(loopCost).Min), CelCost.MulSat(rangeCnt.Max, stepCost.Add(loopCost).Max)));
        switch (comp.AccuInit)
        {
            case CelLiteral:
                if (ComputeSize(comp.AccuInit) is { } s)
                {
                    sizes[comp.Id] = s;
                }

                break;
            case CelCreateList or CelCreateMap:
                sizes[comp.Id] = rangeCnt;
                if (EntryOf(comp.LoopStep) is { } stepEntry)
                {
                    entrySizes[comp.Id] = stepEntry;
                }

                break;
        }

        return sum;
    }

    private (CelCost Cost, CelCost? Size) FunctionCost(CelCall e, string function, string overloadId, Node? target, List<Node> args, List<CelCost> argCosts)
    {
        CelCost ArgSum()
        {
            CelCost s = default;
            foreach (var a in argCosts)
            {
                s = s.Add(a);
            }

            return s;
        }

        if (KubernetesCallCost(function, overloadId, target, args) is { } k)
        {
            return (k.Cost.Add(ArgSum()), k.Size);
        }

        switch (overloadId)
        {
            case "string_format" when target is not null:
                return (SizeOrUnknown(target).MultiplyByCostFactor(StringTraversalCostFactor).Add(ArgSum()), null);
            case "string_to_bytes" when args.Count == 1:
                {
                    var sz = SizeOrUnknown(args[0]);
                    return (sz.MultiplyByCostFactor(StringTraversalCostFactor).Add(ArgSum()), new CelCost(sz.Min, CelCost.MulSat(sz.Max, 4)));
                }

            case "bytes_to_string" when args.Count == 1:
                {
                    var sz = SizeOrUnknown(args[0]);
                    return (sz.MultiplyByCostFactor(StringTraversalCostFactor).Add(ArgSum()), new CelCost(sz.Min / 4, sz.Max));
                }

            case "strings_quote" when args.Count == 1:
                {
                    var sz = SizeOrUnknown(args[0]);
                    return (sz.MultiplyByCostFactor(StringTraversalCostFactor).Add(ArgSum()), new CelCost(CelCost.AddSat(sz.Min, 2), CelCost.AddSat(CelCost.MulSat(sz.Max, 2), 2)));
                }

            case "starts_with_string" or "ends_with_string" when args.Count == 1:
                return (SizeOrUnknown(args[0]).MultiplyByCostFactor(StringTraversalCostFactor).Add(ArgSum()), null);
            case "in_list" when args.Count == 2:
                return (SizeOrUnknown(args[1]).MultiplyByCostFactor(1).Add(ArgSum()), null);
            case "matches_string" when target is not null && args.Count == 1:
                {
                    var strCost = SizeOrUnknown(target).Add(CelCost.Fixed(1)).MultiplyByCostFactor(StringTraversalCostFactor);
                    var regexCost = SizeOrUnknown(args[0]).MultiplyByCostFactor(RegexStringLengthCostFactor);
                    return (strCost.Multiply(regexCost).Add(ArgSum()), null);
                }

            case "contains_string" when target is not null && args.Count == 1:
                {
                    var strCost = SizeOrUnknown(target).MultiplyByCostFactor(StringTraversalCostFactor);
                    var subCost = SizeOrUnknown(args[0]).MultiplyByCostFactor(StringTraversalCostFactor);
                    return (strCost.Multiply(subCost).Add(ArgSum()), null);
                }

            case "logical_or" or "logical_and":
                {
                    var lhs = argCosts[0];
                    var rhs = argCosts[1];
                    return (new CelCost(lhs.Min, lhs.Add(rhs).Max), null);
                }

            case "conditional":
                {
                    var size = SizeOrUnknown(args[1]).Union(SizeOrUnknown(args[2]));
                    var t = EntryOf(args[1].Expr!);
                    var f = EntryOf(args[2].Expr!);
                    if (t?.Union(f) is { } u)
                    {
                        entrySizes[e.Id] = u;
                    }

                    return (argCosts[0].Add(argCosts[1].Union(argCosts[2])), size);
                }

            case "add_string" or "add_bytes" or "add_list" when args.Count == 2:
                {
                    var result = SizeOrUnknown(args[0]).Add(SizeOrUnknown(args[1]));
                    var l = EntryOf(args[0].Expr!);
                    var r = EntryOf(args[1].Expr!);
                    if (l?.Union(r) is { } u)
                    {
                        entrySizes[e.Id] = u;
                    }

                    return overloadId == "add_list"
                        ? (CelCost.Fixed(1).Add(ArgSum()), result)
                        : (result.MultiplyByCostFactor(StringTraversalCostFactor).Add(ArgSum()), result);
                }

            case "less_string" or "greater_string" or "less_equals_string" or "greater_equals_string"
                or "less_bytes" or "greater_bytes" or "less_equals_bytes" or "greater_equals_bytes"
                or "equals" or "not_equals":
                {
                    var lhs = SizeOrUnknown(args[0]);
                    var rhs = SizeOrUnknown(args[1]);
                    ulong smallestMax = Math.Min(lhs.Max, rhs.Max);
                    ulong min = smallestMax > 0 ? 1UL : 0UL;
                    return (new CelCost(min, smallestMax).MultiplyByCostFactor(StringTraversalCostFactor).Add(ArgSum()), null);
                }
        }

        return (CelCost.Fixed(1).Add(ArgSum()), null);
    }

    /// <summary>library.CostEstimator.EstimateCallCost, for the functions CRD rules can call.</summary>
    private (CelCost Cost, CelCost? Size)? KubernetesCallCost(string function, string overloadId, Node? target, List<Node> args)
    {
        switch (function)
        {
            case "isSorted" or "sum" or "max" or "min" or "indexOf" or "lastIndexOf" when target is not null:
                {
                    var elCost = CelCost.Fixed(1);
                    if (ListElement(target) is { } el)
                    {
                        if (el.Type.Kind is CelKind.String or CelKind.Bytes)
                        {
                            elCost = elCost.Add(SizeEstimate(el).MultiplyByCostFactor(StringTraversalCostFactor));
                        }

                        return (SizeEstimate(target).Multiply(elCost), null);
                    }

                    return (SizeEstimate(target).MultiplyByCostFactor(StringTraversalCostFactor), null);
                }

            case "url" when args.Count == 1:
                {
                    var sz = SizeEstimate(args[0]);
                    return (sz.MultiplyByCostFactor(StringTraversalCostFactor), sz);
                }

            case "lowerAscii" or "upperAscii" or "substring" or "trim" when target is not null:
                {
                    var sz = SizeEstimate(target);
                    return (sz.MultiplyByCostFactor(StringTraversalCostFactor), sz);
                }

            case "replace" when target is not null && args.Count >= 2:
                {
                    var sz = SizeEstimate(target);
                    var toReplace = SizeEstimate(args[0]);
                    var with = SizeEstimate(args[1]);
                    ulong countMax, countMin, retainedMax = 0, retainedMin = 0;
                    if (toReplace.Min == 0)
                    {
                        countMax = sz.Max < ulong.MaxValue ? sz.Max + 1 : sz.Max;
                        retainedMax = sz.Max;
                    }
                    else if (with.Max <= toReplace.Min)
                    {
                        countMax = 0;
                        retainedMax = sz.Max;
                    }
                    else
                    {
                        countMax = (ulong)Math.Ceiling((double)sz.Max / toReplace.Min);
                    }

                    if (toReplace.Max == 0)
                    {
                        countMin = sz.Min < ulong.MaxValue ? sz.Min + 1 : sz.Min;
                        retainedMin = sz.Min;
                    }
                    else if (toReplace.Max <= with.Min)
                    {
                        countMin = 0;
                        retainedMin = sz.Min;
                    }
                    else
                    {
                        countMin = (ulong)Math.Ceiling((double)sz.Min / toReplace.Max);
                    }

                    var size = new CelCost(countMin, countMax).Multiply(with).Add(new CelCost(retainedMin, retainedMax));
                    return (sz.MultiplyByCostFactor(2 * StringTraversalCostFactor), size);
                }

            case "split" when target is not null:
                {
                    var sz = SizeEstimate(target);
                    ulong max = sz.Max;
                    if (args.Count > 1 && args[1].Expr is CelLiteral { Value: long i })
                    {
                        max = unchecked((ulong)i);
                    }

                    return (sz.MultiplyByCostFactor(2 * StringTraversalCostFactor), new CelCost(0, max));
                }

            case "join" when target is not null:
                {
                    CelCost sz = default;
                    var listSize = SizeEstimate(target);
                    if (ListElement(target) is { } el)
                    {
                        sz = listSize.Multiply(SizeEstimate(el));
                    }

                    if (args.Count > 0)
                    {
                        var sep = SizeEstimate(args[0]);
                        var seps = new CelCost(listSize.Min > 0 ? listSize.Min - 1 : 0, listSize.Max > 0 ? listSize.Max - 1 : 0);
                        sz = sz.Add(sep.Multiply(seps));
                    }

                    return (sz.MultiplyByCostFactor(StringTraversalCostFactor), sz);
                }

            case "find" or "findAll" when target is not null && args.Count >= 1:
                {
                    var sz = SizeEstimate(target);
                    var strCost = sz.Add(CelCost.Fixed(1)).MultiplyByCostFactor(StringTraversalCostFactor);
                    var regexCost = SizeEstimate(args[0]).MultiplyByCostFactor(RegexStringLengthCostFactor);
                    return (strCost.Multiply(regexCost), new CelCost(0, sz.Max));
                }

            case "cidr" or "isIP" or "isCIDR" when args.Count >= 1:
                return (SizeEstimate(args[0]).MultiplyByCostFactor(StringTraversalCostFactor), null);
            case "ip":
                if (overloadId == "cidr_ip")
                {
                    return (CelCost.Fixed(1), null);
                }

                if (args.Count >= 1)
                {
                    return (SizeEstimate(args[0]).MultiplyByCostFactor(StringTraversalCostFactor), null);
                }

                break;
            case "ip.isCanonical" when args.Count >= 1:
                return (SizeEstimate(args[0]).MultiplyByCostFactor(2 * StringTraversalCostFactor), null);
            case "masked" or "prefixLength" or "family" or "isUnspecified" or "isLoopback" or "isLinkLocalMulticast" or "isLinkLocalUnicast" or "isGlobalUnicast":
                return (CelCost.Fixed(1), null);
            case "containsIP" when args.Count >= 1:
                {
                    var sz = new CelCost(4, 16);
                    var cost = sz.Add(sz).MultiplyByCostFactor(StringTraversalCostFactor);
                    if (overloadId == "cidr_contains_ip_string")
                    {
                        cost = cost.Add(SizeEstimate(args[0]).MultiplyByCostFactor(StringTraversalCostFactor));
                    }

                    return (cost, null);
                }

            case "containsCIDR" when args.Count >= 1:
                {
                    var sz = new CelCost(4, 16);
                    var cost = sz.Add(sz).MultiplyByCostFactor(StringTraversalCostFactor)
                        .Add(sz.MultiplyByCostFactor(StringTraversalCostFactor)).Add(CelCost.Fixed(1));
                    if (overloadId == "cidr_contains_cidr_string")
                    {
                        cost = cost.Add(SizeEstimate(args[0]).MultiplyByCostFactor(StringTraversalCostFactor));
                    }

                    return (cost, null);
                }

            case "quantity" or "isQuantity" or "semver" or "isSemver" when args.Count >= 1:
                return (SizeEstimate(args[0]).MultiplyByCostFactor(StringTraversalCostFactor), null);
            case "validate" when args.Count >= 1:
                return (SizeEstimate(args[0]).MultiplyByCostFactor(StringTraversalCostFactor).MultiplyByCostFactor(128 * RegexStringLengthCostFactor), null);
            case "format.named":
                return (CelCost.Fixed(1), null);
            case "sign" or "asInteger" or "isInteger" or "asApproximateFloat" or "isGreaterThan" or "isLessThan" or "compareTo" or "add" or "sub" or "major" or "minor" or "patch":
                return (CelCost.Fixed(1), null);
            case "getScheme" or "getHostname" or "getHost" or "getPort" or "getEscapedPath" or "getQuery":
                return (CelCost.Fixed(1), null);
            case "_==_" when args.Count == 2:
                {
                    var lhs = args[0].Type;
                    if (lhs.IsExactType(args[1].Type))
                    {
                        if (lhs.Kind == CelKind.Opaque && lhs.Name is "net.IP" or "net.CIDR")
                        {
                            return (CelCost.Fixed(1), null);
                        }

                        if (lhs.Kind == CelKind.Struct)
                        {
                            switch (lhs.Name)
                            {
                                case "kubernetes.Quantity" or "kubernetes.Semver":
                                    return (CelCost.Fixed(1), null);
                                case "kubernetes.NamedFormat":
                                    return (new CelCost(1, 64).MultiplyByCostFactor(StringTraversalCostFactor), null);
                                case "kubernetes.URL":
                                    {
                                        var size = CelCost.Fixed(1);
                                        if (args[1].ComputedSize is { } r)
                                        {
                                            size = r.Union(r); // upstream unions the right-hand size with itself
                                        }

                                        return (new CelCost(1, size.Max).MultiplyByCostFactor(StringTraversalCostFactor), null);
                                    }
                            }
                        }
                    }

                    break;
                }
        }

        return null;
    }

    private Node? ListElement(Node list)
    {
        if (list.Type.Parameters.Length == 0 || list.Type.Kind == CelKind.String)
        {
            return null;
        }

        return new Node(list.Path is null ? null : Append(list.Path, "@items"), list.Type.Parameters[0], null, null);
    }

    private CelCost SizeEstimate(Node n) => n.ComputedSize ?? EstimateSize(n.Path, n.Type) ?? CelCost.Unknown;

    /// <summary>The CRD size estimator: follows the path from self through the schema's types.</summary>
    private CelCost? EstimateSize(List<string>? path, CheckType type)
    {
        if (sizeEstimator is not null)
        {
            return sizeEstimator(path, type);
        }

        // As upstream, the first element (self, oldSelf or any other variable) is cut off and the rest followed from self's type.
        if (path is null || path.Count == 0)
        {
            return null;
        }

        var current = root;
        foreach (var name in path.Skip(1))
        {
            switch (name)
            {
                case "@items" or "@values":
                    if (current.Elem is null)
                    {
                        return null;
                    }

                    current = current.Elem;
                    break;
                case "@keys":
                    if (current.Key is null)
                    {
                        return null;
                    }

                    current = current.Key;
                    break;
                default:
                    if (current.Fields is null || !current.Fields.TryGetValue(name, out var f))
                    {
                        return null;
                    }

                    current = f;
                    break;
            }
        }

        return new CelCost(0, (ulong)Math.Max(0, current.MaxElements));
    }

    private Node NewNode(CelExpr e)
    {
        var path = GetPath(e);
        if (path is { Count: > 0 } && path[0] is CelAstBuilder.AccumulatorName or "__result__")
        {
            path = null;
        }

        return new Node(path, TypeOf(e), e, ComputeSize(e));
    }

    private CelCost SizeOrUnknown(CelExpr e) => ComputeSize(e) ?? CelCost.Unknown;

    private CelCost SizeOrUnknown(Node n) => n.ComputedSize ?? CelCost.Unknown;

    private void CopySizes(CelExpr dst, CelExpr src)
    {
        if (ComputeSize(src) is { } s)
        {
            sizes[dst.Id] = s;
        }

        if (EntryOf(src) is { } en)
        {
            entrySizes[dst.Id] = en;
        }
    }

    private CelCost? ComputeSize(CelExpr e)
    {
        if (sizes.TryGetValue(e.Id, out var s))
        {
            return s;
        }

        switch (e)
        {
            case CelLiteral lit:
                return lit.Value switch
                {
                    string str => CelCost.Fixed((ulong)str.EnumerateRunes().Count()),
                    byte[] b => CelCost.Fixed((ulong)b.Length),
                    _ => CelCost.Fixed(1),
                };
            case CelCreateList l:
                return CelCost.Fixed((ulong)l.Elements.Count);
            case CelCreateMap m:
                return CelCost.Fixed((ulong)m.Entries.Count);
        }

        if (EstimateSize(GetPath(e), TypeOf(e)) is { } est)
        {
            sizes[e.Id] = est;
            return est;
        }

        var t = TypeOf(e);
        if (IsScalar(t))
        {
            return CelCost.Fixed(1);
        }

        if (e is CelIdent id && Peek(id.Name) is { Size: { } vs })
        {
            return vs;
        }

        return null;
    }

    private static bool IsScalar(CheckType t) => t.Kind switch
    {
        CelKind.Bool or CelKind.Double or CelKind.Duration or CelKind.Int or CelKind.Timestamp or CelKind.Uint => true,
        CelKind.Opaque when t.IsOptional => IsScalar(t.Parameters[0]),
        _ => false,
    };

    private EntrySize? EntryOf(CelExpr e)
    {
        if (entrySizes.TryGetValue(e.Id, out var s))
        {
            return s;
        }

        if (e is CelIdent id && Peek(id.Name) is { Entry: { } en })
        {
            return en;
        }

        return null;
    }

    private List<string>? GetPath(CelExpr e)
    {
        if (e is CelIdent id && Peek(id.Name) is { } v)
        {
            return v.Path;
        }

        return paths.TryGetValue(e.Id, out var p) ? p : null;
    }

    private void Path(CelExpr e, List<string>? path)
    {
        if (path is not null)
        {
            paths[e.Id] = path;
        }
    }

    private static List<string> Append(List<string>? path, string name)
    {
        var p = path is null ? new List<string>() : new List<string>(path);
        p.Add(name);
        return p;
    }

    private void Push(string name, LocalVar v)
    {
        if (!locals.TryGetValue(name, out var stack))
        {
            locals[name] = stack = new List<LocalVar>();
        }

        stack.Add(v);
    }

    private void Pop(string name) => locals[name].RemoveAt(locals[name].Count - 1);

    private LocalVar? Peek(string name) => locals.TryGetValue(name, out var s) && s.Count > 0 ? s[^1] : null;
}
