using System.Text.Json.Nodes;
using Kratix.Objects;

namespace Kratix.Health;

/// <summary>
/// Repeated probe runs against objectives: the ratio of runs that succeeded, and the latency (each successful run's
/// <see cref="PromiseProbeResult.TimeToStateStore"/>) at percentiles, nearest-rank. <see cref="Passed"/> is what a test or a
/// monitor asserts: every objective given is met (with none given, every run succeeded).
/// </summary>
public sealed class PromiseProbeSummary
{
    public required string Promise { get; init; }

    public required int Count { get; init; }

    public required int Succeeded { get; init; }

    public int Failed => Count - Succeeded;

    /// <summary>Succeeded / Count (0 when nothing ran).</summary>
    public double SuccessRatio => Count == 0 ? 0 : (double)Succeeded / Count;

    public TimeSpan? Min { get; init; }

    public TimeSpan? P50 { get; init; }

    public TimeSpan? P90 { get; init; }

    public TimeSpan? P99 { get; init; }

    public TimeSpan? Max { get; init; }

    /// <summary>The objective for <see cref="SuccessRatio"/>, when one was given.</summary>
    public double? SuccessRatioObjective { get; init; }

    /// <summary>The objective for the latency at <see cref="LatencyPercentile"/>, when one was given.</summary>
    public TimeSpan? LatencyObjective { get; init; }

    /// <summary>The percentile the latency objective is about (1-100).</summary>
    public int LatencyPercentile { get; init; }

    /// <summary>The latency at <see cref="LatencyPercentile"/>; null when no run succeeded.</summary>
    public TimeSpan? Latency { get; init; }

    /// <summary>Whether the success ratio met its objective; null without one.</summary>
    public bool? SuccessRatioMet => SuccessRatioObjective is { } objective ? SuccessRatio >= objective : null;

    /// <summary>Whether the latency met its objective (no successful run does not); null without one.</summary>
    public bool? LatencyMet => LatencyObjective is { } objective ? Latency is { } latency && latency <= objective : null;

    public bool Passed => Count > 0 && (SuccessRatioMet ?? Succeeded == Count) && (LatencyMet ?? true);

    public required IReadOnlyList<PromiseProbeResult> Results { get; init; }

    /// <summary>Sums up <paramref name="results"/> against the objectives given.</summary>
    public static PromiseProbeSummary Of(string promise, IReadOnlyList<PromiseProbeResult> results, double? successRatio, TimeSpan? latencyObjective, int latencyPercentile)
    {
        var latencies = results.Where(r => r.Success && r.TimeToStateStore is not null).Select(r => r.TimeToStateStore!.Value).Order().ToList();
        return new PromiseProbeSummary
        {
            Promise = promise,
            Count = results.Count,
            Succeeded = results.Count(r => r.Success),
            Min = latencies.Count == 0 ? null : latencies[0],
            P50 = Percentile(latencies, 50),
            P90 = Percentile(latencies, 90),
            P99 = Percentile(latencies, 99),
            Max = latencies.Count == 0 ? null : latencies[^1],
            SuccessRatioObjective = successRatio,
            LatencyObjective = latencyObjective,
            LatencyPercentile = latencyPercentile,
            Latency = Percentile(latencies, latencyPercentile),
            Results = results,
        };
    }

    /// <summary>Nearest rank: the smallest value with at least <paramref name="percentile"/>% of the values at or below it.</summary>
    public static TimeSpan? Percentile(IReadOnlyList<TimeSpan> sorted, double percentile)
    {
        if (sorted.Count == 0)
        {
            return null;
        }

        var rank = (int)Math.Ceiling(percentile / 100 * sorted.Count);
        return sorted[Math.Clamp(rank, 1, sorted.Count) - 1];
    }

    /// <summary>The HealthRecord state the summary gives: healthy when passed with no failure, degraded when passed with some, else unhealthy.</summary>
    public string HealthState => !Passed ? HealthRecord.StateUnhealthy : Failed > 0 ? HealthRecord.StateDegraded : HealthRecord.StateHealthy;

    public JsonObject ToDetails() => new()
    {
        ["runs"] = Count,
        ["succeeded"] = Succeeded,
        ["successRatio"] = Math.Round(SuccessRatio, 4),
        ["p50Seconds"] = PromiseProbeResult.Seconds(P50),
        ["p90Seconds"] = PromiseProbeResult.Seconds(P90),
        ["p99Seconds"] = PromiseProbeResult.Seconds(P99),
        ["passed"] = Passed,
    };
}
