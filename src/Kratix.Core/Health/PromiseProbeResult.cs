using System.Text.Json.Nodes;

namespace Kratix.Health;

/// <summary>One run of <see cref="PromiseProbe.Run"/>: whether the Promise did its job end to end, and how long each step took.</summary>
public sealed class PromiseProbeResult
{
    public required string Promise { get; init; }

    /// <summary>The probe request's name (generated per run).</summary>
    public required string Request { get; init; }

    public required string Namespace { get; init; }

    public required string Backend { get; init; }

    public required string Platform { get; init; }

    public required DateTimeOffset Started { get; init; }

    /// <summary>Submitted, Reconciled, on the state stores and removed, each within the timeout.</summary>
    public required bool Success { get; init; }

    /// <summary>The first step that failed: Submit, Reconciled, StateStore or Remove; null on success.</summary>
    public string? FailedStep { get; init; }

    /// <summary>Why it failed; empty on success.</summary>
    public string Message { get; init; } = string.Empty;

    /// <summary>From submission until the request was Reconciled.</summary>
    public TimeSpan? TimeToReconciled { get; init; }

    /// <summary>From submission until every document was on its state store: the latency the summary's percentiles are of.</summary>
    public TimeSpan? TimeToStateStore { get; init; }

    /// <summary>From the removal until the request was gone.</summary>
    public TimeSpan? TimeToRemoved { get; init; }

    /// <summary>The whole run, removal included.</summary>
    public TimeSpan Total { get; init; }

    /// <summary>What was checked on the state stores, one entry per WorkPlacement (or unplaced workload group).</summary>
    public IReadOnlyList<PlacementCheck> Placements { get; init; } = [];

    /// <summary>The figures a HealthRecord's details keep.</summary>
    public JsonObject ToDetails() => new()
    {
        ["probe"] = $"{Namespace}/{Request}",
        ["success"] = Success,
        ["failedStep"] = FailedStep,
        ["message"] = Message,
        ["placements"] = Placements.Count,
        ["timeToReconciledSeconds"] = Seconds(TimeToReconciled),
        ["timeToStateStoreSeconds"] = Seconds(TimeToStateStore),
        ["totalSeconds"] = Seconds(Total),
    };

    internal static double? Seconds(TimeSpan? value) => value is { } v ? Math.Round(v.TotalSeconds, 3) : null;
}
