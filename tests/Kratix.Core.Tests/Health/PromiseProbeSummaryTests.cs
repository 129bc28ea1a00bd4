using Kratix.Health;

namespace Kratix.Tests.Health;

public class PromiseProbeSummaryTests
{
    private static PromiseProbeResult Run(double? seconds) => new()
    {
        Promise = "p", Request = "r", Namespace = "default", Backend = "Embedded", Platform = "/tmp", Started = DateTimeOffset.UnixEpoch,
        Success = seconds is not null, FailedStep = seconds is null ? PromiseProbe.StepReconciled : null,
        TimeToStateStore = seconds is { } s ? TimeSpan.FromSeconds(s) : null,
    };

    [Fact]
    public void Percentiles_are_nearest_rank_over_the_successful_runs()
    {
        var runs = Enumerable.Range(1, 100).Select(i => Run(i)).ToList();

        var summary = PromiseProbeSummary.Of("p", runs, null, null, 90);

        Assert.Equal(TimeSpan.FromSeconds(1), summary.Min);
        Assert.Equal(TimeSpan.FromSeconds(50), summary.P50);
        Assert.Equal(TimeSpan.FromSeconds(90), summary.P90);
        Assert.Equal(TimeSpan.FromSeconds(99), summary.P99);
        Assert.Equal(TimeSpan.FromSeconds(100), summary.Max);
        Assert.Equal(TimeSpan.FromSeconds(90), summary.Latency);
        Assert.True(summary.Passed);
        Assert.Equal("healthy", summary.HealthState);
    }

    [Fact]
    public void A_success_ratio_objective_passes_when_met_and_failed_runs_leave_the_percentiles()
    {
        List<PromiseProbeResult> runs = [Run(1), Run(2), Run(3), Run(null)];

        var met = PromiseProbeSummary.Of("p", runs, 0.75, null, 90);
        var missed = PromiseProbeSummary.Of("p", runs, 0.8, null, 90);

        Assert.Equal(0.75, met.SuccessRatio);
        Assert.True(met.SuccessRatioMet);
        Assert.True(met.Passed);
        Assert.Equal("degraded", met.HealthState);
        Assert.Equal(TimeSpan.FromSeconds(3), met.Max);
        Assert.False(missed.Passed);
        Assert.Equal("unhealthy", missed.HealthState);
    }

    [Fact]
    public void Without_objectives_every_run_must_succeed()
    {
        Assert.False(PromiseProbeSummary.Of("p", [Run(1), Run(null)], null, null, 90).Passed);
        Assert.True(PromiseProbeSummary.Of("p", [Run(1), Run(2)], null, null, 90).Passed);
    }

    [Fact]
    public void A_latency_objective_is_about_the_chosen_percentile_and_fails_with_no_successful_run()
    {
        List<PromiseProbeResult> runs = [Run(1), Run(2), Run(10)];

        Assert.True(PromiseProbeSummary.Of("p", runs, null, TimeSpan.FromSeconds(2), 50).LatencyMet);
        Assert.False(PromiseProbeSummary.Of("p", runs, null, TimeSpan.FromSeconds(2), 99).LatencyMet);
        var none = PromiseProbeSummary.Of("p", [Run(null)], 0, TimeSpan.FromSeconds(2), 90);
        Assert.Null(none.Latency);
        Assert.False(none.LatencyMet);
        Assert.False(none.Passed);
    }
}
