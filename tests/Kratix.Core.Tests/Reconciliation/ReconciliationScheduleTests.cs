using System.Text.Json.Nodes;
using Kratix.Objects;
using Kratix.Platforms;
using Kratix.Platforms.Embedded;

namespace Kratix.Tests.Reconciliation;

/// <summary>
/// Upstream's rules for when a configure workflow runs again on its own (api/v1alpha1/promiserevision_types.go
/// ReconciliationInterval; internal/controller passedReconciliationInterval and shouldForcePipelineRun).
/// </summary>
public sealed class ReconciliationScheduleTests
{
    private static readonly DateTimeOffset T0 = new(2026, 11, 21, 10, 0, 0, TimeSpan.Zero);
    private static readonly TimeSpan TenHours = TimeSpan.FromHours(10);

    [Fact]
    public void The_platform_default_is_upstreams_ten_hours_and_failures_are_retried_by_default()
    {
        var options = new ReconciliationOptions();
        Assert.Equal((TenHours, TenHours, true), (options.Interval, options.StateStoreInterval, options.ReconcileAfterFailure));
        Assert.Equal(TimeSpan.FromMinutes(1), ReconciliationOptions.MinimumInterval);
    }

    [Theory]
    [InlineData(null, null, 36000, IntervalSource.GlobalDefault)]
    [InlineData(null, "30m", 1800, IntervalSource.Revision)]
    [InlineData("2h", "30m", 7200, IntervalSource.Annotation)]
    [InlineData("1m", null, 60, IntervalSource.Annotation)]
    // Below the minimum, or not a duration: upstream ignores the annotation and falls back to the spec, then the default.
    [InlineData("59s", "30m", 1800, IntervalSource.Revision)]
    [InlineData("soon", null, 36000, IntervalSource.GlobalDefault)]
    public void The_interval_is_the_annotation_else_the_spec_else_the_platform_default(string? annotation, string? spec, int seconds, IntervalSource source)
    {
        var promise = PromiseWith(annotation, spec);

        var (interval, from) = ReconciliationSchedule.IntervalOf(promise, TenHours);

        Assert.Equal((TimeSpan.FromSeconds(seconds), source), (interval, from));
    }

    [Fact]
    public void A_completed_workflow_is_due_strictly_after_the_interval_since_it_completed()
    {
        var completed = new Condition(Reasons.ConfigureWorkflowCompleted, Condition.True, Reasons.PipelinesExecutedSuccessfully, "Pipelines completed", T0);

        Assert.False(ReconciliationSchedule.IsDue(completed, TenHours, true, T0 + TenHours));
        Assert.True(ReconciliationSchedule.IsDue(completed, TenHours, true, T0 + TenHours + TimeSpan.FromSeconds(1)));
        Assert.Equal(T0 + TenHours, ReconciliationSchedule.NextRun(completed, TenHours, true));
    }

    [Fact]
    public void A_failed_workflow_is_due_only_with_reconcileAfterFailure()
    {
        var failed = new Condition(Reasons.ConfigureWorkflowCompleted, Condition.False, Reasons.ConfigureWorkflowFailed, "A Configure Pipeline has failed: x", T0);
        var later = T0 + TenHours + TimeSpan.FromMinutes(1);

        Assert.True(ReconciliationSchedule.IsDue(failed, TenHours, reconcileAfterFailure: true, later));
        Assert.False(ReconciliationSchedule.IsDue(failed, TenHours, reconcileAfterFailure: false, later));
        Assert.Null(ReconciliationSchedule.NextRun(failed, TenHours, reconcileAfterFailure: false));
    }

    [Fact]
    public void A_workflow_in_progress_suspended_or_never_run_is_never_due_on_its_own()
    {
        var inProgress = new Condition(Reasons.ConfigureWorkflowCompleted, Condition.False, Reasons.PipelinesInProgress, "Pipelines are still in progress", T0);

        Assert.False(ReconciliationSchedule.IsDue(inProgress, TenHours, true, T0 + (TenHours * 3)));
        Assert.False(ReconciliationSchedule.IsDue(null, TenHours, true, T0 + (TenHours * 3)));
    }

    [Fact]
    public void A_failed_rerun_counts_from_when_it_ran_so_failures_rerun_once_per_interval()
    {
        // The rerun failed again: the condition stayed False (no transition), the run record says when it ran.
        var failed = new Condition(Reasons.ConfigureWorkflowCompleted, Condition.False, Reasons.ConfigureWorkflowFailed, "A Configure Pipeline has failed: x", T0);
        var rerun = T0 + TenHours + TimeSpan.FromMinutes(1);

        Assert.False(ReconciliationSchedule.IsDue(failed, TenHours, true, rerun + TimeSpan.FromMinutes(5), lastRun: rerun));
        Assert.True(ReconciliationSchedule.IsDue(failed, TenHours, true, rerun + TenHours + TimeSpan.FromSeconds(1), lastRun: rerun));
    }

    [Theory]
    [InlineData(36000, "10h0m0s")]
    [InlineData(90, "1m30s")]
    [InlineData(5, "5s")]
    public void Durations_are_written_as_Go_writes_them(int seconds, string text) =>
        Assert.Equal(text, ReconciliationSchedule.Format(TimeSpan.FromSeconds(seconds)));

    private static Promise PromiseWith(string? annotation, string? interval)
    {
        var node = new JsonObject
        {
            ["apiVersion"] = KratixApi.ApiVersion,
            ["kind"] = KratixApi.PromiseKind,
            ["metadata"] = new JsonObject { ["name"] = "thing" },
            ["spec"] = new JsonObject(),
        };
        var promise = new Promise(node);
        if (annotation is not null)
        {
            promise.SetAnnotation(KratixApi.ReconciliationIntervalAnnotation, annotation);
        }

        if (interval is not null)
        {
            node["spec"]!["workflows"] = new JsonObject { ["config"] = new JsonObject { ["reconciliationInterval"] = interval } };
        }

        return promise;
    }
}
