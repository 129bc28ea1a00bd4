using System.Globalization;
using System.Runtime.CompilerServices;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;

namespace Kratix.Schema;

/// <summary>
/// Evaluates <c>x-kubernetes-validations</c> rules as the API server's CEL validator does
/// (apiextensions-apiserver pkg/apiserver/schema/cel/validation.go): every rule of every schema node the value reaches,
/// with <c>self</c> bound to the value there (and <c>oldSelf</c> to the stored value on an update, for transition rules),
/// in the server's order; a rule that is false gives its <c>message</c>, <c>messageExpression</c> or
/// <c>failed rule: &lt;rule&gt;</c> at its path (plus <c>fieldPath</c>) with its <c>reason</c>; a rule that fails to run
/// gives <c>&lt;error&gt; evaluating rule: &lt;rule&gt;</c>. Expressions run on the <c>Cel</c> package (a C# CEL
/// interpreter) with the Kubernetes libraries CRDs use added (<see cref="CelLibrary"/>). The type check and cost estimate
/// happen at CRD creation (<see cref="CelRuleCompiler"/>); the runtime cost budget here is approximated
/// (<see cref="CostBudget"/>, differences-from-upstream.md).
/// </summary>
internal static class CelValidator
{
    private const string BlockingMessage = "some validation rules were not checked because the object was invalid; correct the existing errors to complete validation";

    private static readonly ConditionalWeakTable<CelRule, CompiledRule> Compiled = new();

    private static readonly Regex OldSelfIdentifier = new(@"\boldSelf\b", RegexOptions.CultureInvariant);

    /// <summary>True when the rule refers to <c>oldSelf</c> (outside string literals): a transition rule.</summary>
    public static bool UsesOldSelf(string rule) =>
        OldSelfIdentifier.IsMatch(Regex.Replace(rule, "\"(?:[^\"\\\\]|\\\\.)*\"|'(?:[^'\\\\]|\\\\.)*'", "''"));

    /// <summary>cel.ValidFieldPath: <c>.a.b</c> or <c>['a.b']</c> segments naming properties (or map keys) of <paramref name="s"/>.</summary>
    public static bool FieldPathValid(SchemaNode s, string fieldPath) => NormalizeFieldPath(s, fieldPath) is not null;

    /// <summary>The field path as the server's error prints it below the rule's path (<c>a.b</c>, <c>m[key]</c>), or null if it is not valid.</summary>
    public static string? NormalizeFieldPath(SchemaNode s, string fieldPath)
    {
        var sb = new System.Text.StringBuilder();
        int i = 0;
        SchemaNode? current = s;
        fieldPath = fieldPath.Trim();
        if (fieldPath.Length == 0)
        {
            return null;
        }

        while (i < fieldPath.Length)
        {
            string name;
            if (fieldPath[i] == '.')
            {
                int j = i + 1;
                while (j < fieldPath.Length && fieldPath[j] is not ('.' or '['))
                {
                    j++;
                }

                name = fieldPath[(i + 1)..j];
                i = j;
            }
            else if (fieldPath[i] == '[' && i + 1 < fieldPath.Length && fieldPath[i + 1] == '\'')
            {
                int end = fieldPath.IndexOf("']", i + 2, StringComparison.Ordinal);
                if (end < 0)
                {
                    return null;
                }

                name = fieldPath[(i + 2)..end];
                i = end + 2;
            }
            else
            {
                return null;
            }

            if (name.Length == 0 || current is null)
            {
                return null;
            }

            if (current.Properties.TryGetValue(name, out var p))
            {
                sb.Append(sb.Length == 0 ? string.Empty : ".").Append(name);
                current = p;
            }
            else if (current.AdditionalProperties is { } ap)
            {
                sb.Append('[').Append(name).Append(']');
                current = ap;
            }
            else
            {
                return null;
            }
        }

        return sb.ToString();
    }

    /// <summary>
    /// Runs the rules below <paramref name="root"/> on <paramref name="value"/> (a whole resource), appending their errors.
    /// As the server does, nothing runs when <paramref name="errors"/> already holds a blocking error (Unsupported,
    /// Required, Too long, Too many, or a type error); one <c>&lt;nil&gt;</c> error says so instead.
    /// </summary>
    public static void Validate(JsonObject value, JsonObject? oldValue, SchemaNode root, List<FieldError> errors, List<string>? warnings = null)
    {
        if (!root.HasCelRulesBelow)
        {
            return;
        }

        foreach (var e in errors)
        {
            if (e.Type is FieldErrorType.NotSupported or FieldErrorType.Required or FieldErrorType.TooLong or FieldErrorType.TooMany or FieldErrorType.TypeInvalid)
            {
                errors.Add(FieldError.Invalid("<nil>", null, BlockingMessage));
                return;
            }
        }

        var path = new FieldPath();
        var budget = new CostBudget();
        Walk(value, oldValue, root, path, isRoot: true, errors, budget, new Ratcheting(warnings, false));
    }

    /// <summary>
    /// CRD validation ratcheting: a failed rule that does not use oldSelf, on a value equal to its old value (or, when
    /// the value does not correlate, under a nearest correlatable ancestor that is), is a warning, not an error.
    /// </summary>
    private sealed record Ratcheting(List<string>? Warnings, bool ParentUnchanged)
    {
        public bool Unchanged(JsonNode value, JsonNode? oldValue) =>
            oldValue is not null ? JsonData.DeepEqual(value, oldValue) : ParentUnchanged;
    }

    private static void Walk(JsonNode? value, JsonNode? oldValue, SchemaNode s, FieldPath path, bool isRoot, List<FieldError> errors, CostBudget budget, Ratcheting ratchet)
    {
        if (value is null || !s.HasCelRulesBelow || budget.Exhausted)
        {
            return;
        }

        bool unchanged = ratchet.Warnings is not null && ratchet.Unchanged(value, oldValue);
        var childRatchet = ratchet with { ParentUnchanged = unchanged };
        if (s.Validations.Count > 0)
        {
            RunRules(value, oldValue, s, path, isRoot, errors, budget, unchanged ? ratchet.Warnings : null);
            if (budget.Exhausted)
            {
                return;
            }
        }

        foreach (var sub in s.AllOf)
        {
            if (sub.HasCelRulesBelow)
            {
                Walk(value, oldValue, sub, path, isRoot, errors, budget, ratchet);
            }
        }

        switch (value)
        {
            case JsonArray arr when s.Items is { HasCelRulesBelow: true } items:
                var oldArr = oldValue as JsonArray;
                for (int i = 0; i < arr.Count; i++)
                {
                    path.PushIndex(i);
                    Walk(arr[i], Correlate(arr[i], oldArr, s), items, path, false, errors, budget, childRatchet);
                    path.Pop();
                }

                break;
            case JsonObject obj:
                // An atomic map is replaced whole: its fields do not correlate with the old ones.
                var oldObj = s.MapType == "atomic" ? null : oldValue as JsonObject;
                if (s.AdditionalProperties is { HasCelRulesBelow: true } ap)
                {
                    foreach (var (k, v) in obj)
                    {
                        path.PushKey(k);
                        Walk(v, oldObj?[k], ap, path, false, errors, budget, childRatchet);
                        path.Pop();
                    }
                }

                if (s.Properties.Count > 0)
                {
                    foreach (var (k, v) in obj)
                    {
                        if (s.Properties.TryGetValue(k, out var p) && p.HasCelRulesBelow)
                        {
                            path.PushField(k);
                            Walk(v, oldObj?[k], p, path, false, errors, budget, childRatchet);
                            path.Pop();
                        }
                    }
                }

                break;
        }
    }

    /// <summary>
    /// The old item an array item is compared with: only items of <c>x-kubernetes-list-type: map</c> lists correlate, by
    /// their keys; items of other lists have no old value, so their transition rules do not run.
    /// </summary>
    private static JsonNode? Correlate(JsonNode? item, JsonArray? oldArr, SchemaNode list)
    {
        if (oldArr is null || list.ListType != "map" || list.ListMapKeys.Count == 0 || item is not JsonObject o)
        {
            return null;
        }

        foreach (var old in oldArr)
        {
            if (old is JsonObject oo && list.ListMapKeys.All(k => JsonData.DeepEqual(o[k], oo[k])))
            {
                return old;
            }
        }

        return null;
    }

    private static void RunRules(JsonNode value, JsonNode? oldValue, SchemaNode s, FieldPath path, bool isRoot, List<FieldError> errors, CostBudget budget, List<string>? ratchetWarnings)
    {
        // A nil field.Path (the root) prints as <nil>; a fieldPath below it prints on its own.
        string rulePath = path.ToFieldPathString();
        string fieldPath = rulePath.Length == 0 ? "<nil>" : rulePath;
        string type = s.Type ?? string.Empty;
        object? self = null;
        object? oldSelf = null;
        bool converted = false;
        foreach (var rule in s.Validations)
        {
            var compiled = Compiled.GetValue(rule, r => new CompiledRule(r, s));
            if (compiled.Error is not null)
            {
                errors.Add(FieldError.Invalid(fieldPath, type, "rule compile error: " + compiled.Error));
                continue;
            }

            if (compiled.Program is null)
            {
                continue;
            }

            bool optionalOldSelf = rule.OptionalOldSelf == true;
            if (compiled.UsesOldSelf && oldValue is null && !optionalOldSelf)
            {
                // Transition rules run only when there is an old value to compare with, unless optionalOldSelf.
                continue;
            }

            if (!converted)
            {
                self = CelValues.From(value, s, isRoot);
                oldSelf = oldValue is null ? null : CelValues.From(oldValue, s, isRoot);
                converted = true;
            }

            var vars = new Dictionary<string, object?>(StringComparer.Ordinal) { ["self"] = self };
            if (compiled.UsesOldSelf)
            {
                // With optionalOldSelf, oldSelf is an optional: optional.none() on a create.
                vars["oldSelf"] = optionalOldSelf ? (oldValue is null ? CelOptional.None : new CelOptional(oldSelf)) : oldSelf;
            }

            if (budget.Remaining <= 0)
            {
                errors.Add(FieldError.Invalid(fieldPath, type, "validation failed due to running out of cost budget, no further validation rules will be run"));
                budget.Exhausted = true;
                return;
            }

            var (result, error) = budget.Run(compiled.Program, vars);
            if (error == CostBudget.CallLimitExceeded)
            {
                errors.Add(FieldError.Invalid(fieldPath, type, "'" + error + "': no further validation rules will be run due to call cost exceeds limit for rule: " + RuleErrorString(rule)));
                budget.Exhausted = true;
                return;
            }

            if (budget.Remaining < 0)
            {
                errors.Add(FieldError.Invalid(fieldPath, type, "validation failed due to running out of cost budget, no further validation rules will be run"));
                budget.Exhausted = true;
                return;
            }

            if (error is not null)
            {
                errors.Add(FieldError.Invalid(fieldPath, type, error + " evaluating rule: " + RuleErrorString(rule)));
                continue;
            }

            if (result is true)
            {
                continue;
            }

            if (result is not bool)
            {
                errors.Add(FieldError.Invalid(fieldPath, type, "rule compile error: rule did not evaluate to a bool: " + RuleErrorString(rule)));
                continue;
            }

            string errorPath = compiled.FieldPath is { Length: > 0 } fp ? (rulePath.Length == 0 ? fp : rulePath + "." + fp) : fieldPath;
            string detail = (compiled.MessageProgram is not null ? MessageExpression(compiled, vars, budget) : null) ?? MessageOrDefault(rule);
            object? bad = s.Type is "object" or "array" ? FieldError.OmitValue : Bad(value);
            var failed = rule.Reason switch
            {
                "FieldValueForbidden" => FieldError.Forbidden(errorPath, detail),
                "FieldValueRequired" => FieldError.Required(errorPath, detail),
                "FieldValueDuplicate" => FieldError.Duplicate(errorPath, bad),
                _ => FieldError.Invalid(errorPath, bad, detail),
            };
            if (ratchetWarnings is not null && !compiled.UsesOldSelf)
            {
                ratchetWarnings.Add(failed.ToString());
            }
            else
            {
                errors.Add(failed);
            }
        }
    }

    private static object? Bad(JsonNode value) => JsonData.KindOf(value) switch
    {
        JsonKind.String => value.GetValue<string>(),
        JsonKind.Bool => JsonData.GetBool(value),
        JsonKind.Integer => JsonData.GetNumber(value).Integer,
        JsonKind.Float => JsonData.GetNumber(value).Float,
        _ => value.DeepClone(),
    };

    /// <summary>evalMessageExpression: a non-empty single-line string of at most 5 KiB, trimmed; null falls back to the message.</summary>
    private static string? MessageExpression(CompiledRule compiled, Dictionary<string, object?> vars, CostBudget budget)
    {
        var (result, error) = budget.Run(compiled.MessageProgram!, vars);
        if (error is not null || result is not string s)
        {
            return null;
        }

        s = s.Trim();
        return s.Length == 0 || s.Length > 5 * 1024 || s.Contains('\n') || s.Contains('\r') ? null : s;
    }

    private static string MessageOrDefault(CelRule rule) =>
        string.IsNullOrEmpty(rule.Message) ? "failed rule: " + RuleErrorString(rule) : rule.Message.Trim();

    private static string RuleErrorString(CelRule rule) =>
        !string.IsNullOrEmpty(rule.Message) ? rule.Message.Trim() : rule.Rule.Trim();

    /// <summary>A rule compiled once (lazily, on first use) and shared by every request.</summary>
    private sealed class CompiledRule
    {
        public CompiledRule(CelRule rule, SchemaNode s)
        {
            UsesOldSelf = CelValidator.UsesOldSelf(rule.Rule);
            FieldPath = rule.FieldPath is { Length: > 0 } fp ? NormalizeFieldPath(s, fp) ?? fp.TrimStart('.') : null;
            if (rule.Rule.Trim().Length == 0)
            {
                return;
            }

            (Program, Error) = CelLibrary.Compile(rule.Rule, rule.OptionalOldSelf == true);
            if (!string.IsNullOrWhiteSpace(rule.MessageExpression))
            {
                (MessageProgram, _) = CelLibrary.Compile(rule.MessageExpression, rule.OptionalOldSelf == true);
            }
        }

        public Func<IDictionary<string, object?>, object?>? Program { get; }

        public Func<IDictionary<string, object?>, object?>? MessageProgram { get; }

        public string? Error { get; }

        public bool UsesOldSelf { get; }

        public string? FieldPath { get; }
    }
}

/// <summary>
/// The runtime cost budget, approximated: the server counts cel-go's cost units (a per-call limit of 1,000,000 and a
/// budget of 10,000,000 per object); here one unit is one list element a rule visits (in a macro, an index, a library
/// function), so that a rule that would run away is stopped with the server's messages. It counts less than cel-go does
/// (the other steps of an evaluation are free), so a rule near the limit may pass here and not there.
/// </summary>
internal sealed class CostBudget
{
    public const long PerCallLimit = 1_000_000;

    public const string CallLimitExceeded = "operation cancelled: actual cost limit exceeded";

    [ThreadStatic]
    private static long callRemaining;

    [ThreadStatic]
    private static bool counting;

    public long Remaining { get; private set; } = 10_000_000;

    public bool Exhausted { get; set; }

    /// <summary>Called for each element a rule visits; throws once the call's limit is passed.</summary>
    public static void Visit()
    {
        if (counting && --callRemaining < 0)
        {
            throw new CelLibraryError(CallLimitExceeded);
        }
    }

    public (object? Result, string? Error) Run(Func<IDictionary<string, object?>, object?> program, Dictionary<string, object?> vars)
    {
        long start = Math.Min(PerCallLimit, Remaining);
        callRemaining = start;
        counting = true;
        try
        {
            return CelLibrary.Run(program, vars);
        }
        finally
        {
            counting = false;
            Remaining -= start - Math.Max(callRemaining, -1);
            if (callRemaining < 0 && start < PerCallLimit)
            {
                Remaining = -1; // the object's budget, not the call's limit, ran out
            }
        }
    }
}

/// <summary>A list that counts each element read against the running rule's <see cref="CostBudget"/>.</summary>
internal sealed class CostCountingList : System.Collections.IList, IList<object?>
{
    private readonly List<object?> items;

    public CostCountingList(int capacity) => items = new List<object?>(capacity);

    public int Count => items.Count;

    public bool IsReadOnly => false;

    public bool IsFixedSize => false;

    public bool IsSynchronized => false;

    public object SyncRoot => items;

    public object? this[int index]
    {
        get
        {
            CostBudget.Visit();
            return items[index];
        }

        set => items[index] = value;
    }

    public void Add(object? item) => items.Add(item);

    int System.Collections.IList.Add(object? value)
    {
        items.Add(value);
        return items.Count - 1;
    }

    public void Clear() => items.Clear();

    public bool Contains(object? item)
    {
        foreach (var x in this)
        {
            if (Equals(x, item))
            {
                return true;
            }
        }

        return false;
    }

    public void CopyTo(object?[] array, int arrayIndex)
    {
        foreach (var x in this)
        {
            array[arrayIndex++] = x;
        }
    }

    void System.Collections.ICollection.CopyTo(Array array, int index)
    {
        foreach (var x in this)
        {
            array.SetValue(x, index++);
        }
    }

    public IEnumerator<object?> GetEnumerator()
    {
        foreach (var x in items)
        {
            CostBudget.Visit();
            yield return x;
        }
    }

    System.Collections.IEnumerator System.Collections.IEnumerable.GetEnumerator() => GetEnumerator();

    public int IndexOf(object? item) => items.IndexOf(item);

    public void Insert(int index, object? item) => items.Insert(index, item);

    public bool Remove(object? item) => items.Remove(item);

    void System.Collections.IList.Remove(object? value) => items.Remove(value);

    public void RemoveAt(int index) => items.RemoveAt(index);
}

/// <summary>Converts decoded JSON into the values CEL sees, by schema, as the server's UnstructuredToVal does.</summary>
internal static class CelValues
{
    /// <summary>
    /// Strings of the formats Kubernetes types specially in CEL: <c>date-time</c> and <c>date</c> are timestamps,
    /// <c>duration</c> a duration, <c>byte</c> bytes (base64-decoded). A string that does not parse stays a string (the
    /// format check has already refused it).
    /// </summary>
    private static object FormattedString(string value, string? format)
    {
        switch (format is null ? null : StringFormats.Normalize(format))
        {
            case "datetime" when DateTimeOffset.TryParse(value, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal, out var dt):
                return dt.ToUniversalTime();
            case "date" when DateTimeOffset.TryParseExact(value, "yyyy-MM-dd", CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal, out var d):
                return d.ToUniversalTime();
            case "duration" when Pipelines.GoDuration.TryParse(value, out var span):
                return span;
            case "byte":
                try
                {
                    return Google.Protobuf.ByteString.FromBase64(value);
                }
                catch (FormatException)
                {
                    return value;
                }

            default:
                return value;
        }
    }

    public static object? From(JsonNode? node, SchemaNode? s, bool isRoot = false)
    {
        switch (node)
        {
            case null:
                return null;
            case JsonObject o:
                {
                    var map = new Dictionary<string, object?>(o.Count, StringComparer.Ordinal);
                    foreach (var (k, v) in o)
                    {
                        SchemaNode? sub = null;
                        if (s is not null && !s.Properties.TryGetValue(k, out sub))
                        {
                            sub = s.AdditionalProperties;
                        }

                        if (isRoot && k == "metadata" && v is JsonObject meta)
                        {
                            // At the root only metadata.name and metadata.generateName are visible to rules.
                            var m = new Dictionary<string, object?>(StringComparer.Ordinal);
                            foreach (var f in new[] { "name", "generateName" })
                            {
                                if (JsonData.GetString(meta[f]) is { } text)
                                {
                                    m[f] = text;
                                }
                            }

                            map[k] = m;
                            continue;
                        }

                        map[k] = From(v, sub);
                    }

                    return map;
                }

            case JsonArray a:
                {
                    var list = new CostCountingList(a.Count);
                    foreach (var item in a)
                    {
                        list.Add(From(item, s?.Items));
                    }

                    return list;
                }

            default:
                switch (JsonData.KindOf(node))
                {
                    case JsonKind.String:
                        return FormattedString(node.GetValue<string>(), s?.EffectiveFormat);
                    case JsonKind.Bool:
                        return JsonData.GetBool(node);
                    case JsonKind.Integer:
                        // A JSON integer under type: number is a double in CEL.
                        return s?.Type == "number" ? (object)(double)JsonData.GetNumber(node).Integer : JsonData.GetNumber(node).Integer;
                    case JsonKind.Float:
                        return JsonData.GetNumber(node).Float;
                    default:
                        return null;
                }
        }
    }
}
