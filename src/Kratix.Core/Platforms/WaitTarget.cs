using Kratix.Objects;

namespace Kratix.Platforms;

/// <summary>
/// What <see cref="IKratixPlatform.Wait"/> waits for: a Promise (<paramref name="Promise"/> null, <paramref name="Name"/>
/// the Promise) or a request of a Promise, to have condition <paramref name="Condition"/> True for its current generation,
/// or (<paramref name="Condition"/> null) to be gone, its finalizers run.
/// </summary>
public sealed record WaitTarget(string? Promise, string? Namespace, string Name, string? Condition)
{
    public bool IsPromise => Promise is null;

    public bool WaitsForDeletion => Condition is null;

    public string Describe() => IsPromise ? $"Promise \"{Name}\"" : $"request \"{Namespace}/{Name}\" of Promise \"{Promise}\"";

    /// <summary>What is awaited, for progress: <c>Available</c>, <c>deleted</c>.</summary>
    public string Goal => Condition ?? "deleted";
}

/// <summary>Whether an object is as a <see cref="WaitTarget"/> wants it, and if not, why: shared by both backends.</summary>
public static class WaitConditions
{
    /// <summary>The conditions the Wait- cmdlets offer first; any condition type is accepted.</summary>
    public static readonly IReadOnlyList<string> Common = [Reasons.Available, Reasons.Reconciled, Reasons.ConfigureWorkflowCompleted, Reasons.WorksSucceeded];

    public static bool IsMet(WaitTarget target, KubeObject? obj) => Check(target, obj).Met;

    /// <summary>Met, or a sentence saying which condition is not true and why (its status, reason and message).</summary>
    public static (bool Met, string Why) Check(WaitTarget target, KubeObject? obj)
    {
        if (target.WaitsForDeletion)
        {
            return obj is null
                ? (true, "deleted")
                : (false, obj.IsBeingDeleted
                    ? $"it is still being deleted (finalizers: {string.Join(", ", Finalizers(obj))})"
                    : "it still exists and is not being deleted");
        }

        if (obj is null)
        {
            return (false, "it does not exist");
        }

        var condition = obj.Conditions.Get(target.Condition!);
        var observed = Number(obj.Status["observedGeneration"]) is { } generation ? (long)generation : (long?)null;
        if (condition is null && target.Condition is Reasons.Reconciled or Reasons.ConfigureWorkflowCompleted
            && Number(obj.Status["workflows"]) == 0
            && observed is { } reconciled && reconciled >= obj.Generation)
        {
            // Upstream gives a request whose Promise has no configure workflow no workflow conditions: it zeroes the
            // counters and sets observedGeneration. Nothing is to run, so it is as reconciled as it will be.
            return (true, "it has no configure workflow to run");
        }

        if (condition is null)
        {
            return (false, $"it has no {target.Condition} condition yet" + (observed is null ? " (no controller has reconciled it)" : string.Empty));
        }

        if (!condition.IsTrue)
        {
            return (false, $"condition {condition.Type} is {condition.Status}" + Because(condition));
        }

        if (obj.Generation > 0 && observed is { } seen && seen < obj.Generation)
        {
            return (false, $"condition {condition.Type} is True for generation {seen}, but the object is at generation {obj.Generation}, which the controller has not reconciled yet");
        }

        return (true, $"condition {condition.Type} is True");
    }

    /// <summary>A JSON number however it was stored (an integer, or a double as YAML reads 0.0); null otherwise.</summary>
    private static double? Number(System.Text.Json.Nodes.JsonNode? node) =>
        node is System.Text.Json.Nodes.JsonValue value && value.GetValueKind() == System.Text.Json.JsonValueKind.Number
            && double.TryParse(value.ToJsonString(), System.Globalization.NumberStyles.Float, System.Globalization.CultureInfo.InvariantCulture, out var number) ? number : null;

    private static string Because(Condition condition) =>
        (condition.Reason.Length, condition.Message.Length) switch
        {
            (0, 0) => string.Empty,
            (_, 0) => $" (reason {condition.Reason})",
            (0, _) => $": {condition.Message}",
            _ => $" (reason {condition.Reason}): {condition.Message}",
        };

    private static IEnumerable<string> Finalizers(KubeObject obj) =>
        (obj.Metadata["finalizers"] as System.Text.Json.Nodes.JsonArray)?.Select(f => f?.ToString() ?? string.Empty) ?? [];
}
