using System.Text.Json.Nodes;
using Kratix.Objects;
using Kratix.Pipelines;
using static Kratix.Core.Tests.Pipelines.PipelineTestData;

namespace Kratix.Core.Tests.Pipelines;

/// <summary>
/// status.kratix.workflows bookkeeping and the completion of a configure workflow, as upstream does it:
/// lib/resourceutil/util.go (ResetPipelineStatusToPending, MarkCurrentPipelineAs, GetSuspendedPipelineIndex) and
/// work-creator/lib/status_updater.go (MarkPipelineAsSuspended, ClearPipelineSuspension, MarkAsCompleted) with their
/// tests; behaviour.md §5.2 step 7 and §5.4.
/// </summary>
public class WorkflowStatusTests
{
    private static readonly DateTimeOffset T0 = new(2026, 3, 25, 14, 0, 0, TimeSpan.Zero);
    private static readonly DateTimeOffset T1 = T0.AddMinutes(1);
    private static readonly DateTimeOffset T2 = T0.AddMinutes(2);
    private static readonly DateTimeOffset T3 = T0.AddMinutes(3);

    private static JsonObject Entry(JsonObject status, string name) =>
        ((JsonArray)status["kratix"]!["workflows"]!["pipelines"]!).Cast<JsonObject>().Single(e => e.GetString("name") == name);

    private static JsonObject Workflows(JsonObject status) => (JsonObject)status["kratix"]!["workflows"]!;

    private static JsonObject Started(params string[] names)
    {
        var status = new JsonObject { ["message"] = "leave me alone" };
        WorkflowStatus.ResetToPending(status, names.Select(Pipeline).ToList(), T0);
        return status;
    }

    private static WorkflowControl Retry(TimeSpan after, string? message = "try later") => new(false, after, message);

    private static WorkflowControl Suspend(string? message) => new(true, null, message);

    [Fact]
    public void ResetToPending_lists_every_pipeline_as_Pending_and_drops_the_suspended_generation()
    {
        var status = Yaml("""
            message: keep
            kratix:
              kind: Keep
              workflows:
                suspendedGeneration: 3
                pipelines:
                - {name: old, phase: Suspended, message: waiting, attempts: 4, nextRetryAt: "2026-01-01T00:00:00Z"}
            """);

        WorkflowStatus.ResetToPending(status, [Pipeline("first"), Pipeline("second")], T0);

        var workflows = Workflows(status);
        Assert.False(workflows.ContainsKey("suspendedGeneration"));
        var pipelines = ((JsonArray)workflows["pipelines"]!).Cast<JsonObject>().ToList();
        Assert.Equal(["first", "second"], pipelines.Select(p => p.GetString("name")));
        foreach (var pipeline in pipelines)
        {
            Assert.Equal("Pending", pipeline.GetString("phase"));
            Assert.Equal("2026-03-25T14:00:00Z", pipeline.GetString("lastTransitionTime"));
            Assert.Equal(3, pipeline.Count);
        }

        Assert.Equal("keep", status.GetString("message"));
        Assert.Equal("Keep", status["kratix"]!["kind"]!.GetValue<string>());
    }

    [Fact]
    public void ResetToPending_with_no_pipelines_leaves_an_empty_list()
    {
        var status = new JsonObject();

        WorkflowStatus.ResetToPending(status, [], T0);

        Assert.Empty(WorkflowStatus.Pipelines(status));
    }

    [Fact]
    public void Mark_changes_lastTransitionTime_only_when_the_phase_changes()
    {
        var status = Started("a", "b");

        WorkflowStatus.Mark(status, "a", PipelinePhases.Running, T1);
        Assert.Equal("Running", Entry(status, "a").GetString("phase"));
        Assert.Equal("2026-03-25T14:01:00Z", Entry(status, "a").GetString("lastTransitionTime"));

        WorkflowStatus.Mark(status, "a", PipelinePhases.Running, T2);
        Assert.Equal("2026-03-25T14:01:00Z", Entry(status, "a").GetString("lastTransitionTime"));

        WorkflowStatus.Mark(status, "a", PipelinePhases.Succeeded, T3);
        Assert.Equal("Succeeded", Entry(status, "a").GetString("phase"));
        Assert.Equal("2026-03-25T14:03:00Z", Entry(status, "a").GetString("lastTransitionTime"));

        Assert.Equal("Pending", Entry(status, "b").GetString("phase"));
        Assert.Equal("2026-03-25T14:00:00Z", Entry(status, "b").GetString("lastTransitionTime"));
    }

    [Fact]
    public void Mark_of_a_pipeline_not_listed_changes_nothing()
    {
        var status = Started("a");
        var before = status.ToJsonString();

        WorkflowStatus.Mark(status, "missing", PipelinePhases.Running, T1);

        Assert.Equal(before, status.ToJsonString());
    }

    [Fact]
    public void MarkSuspended_sets_the_phase_and_message_and_the_suspended_generation()
    {
        // Upstream's "marks the pipeline as suspended".
        var status = Started("pipeline-a", "pipeline-b");
        WorkflowStatus.Mark(status, "pipeline-a", PipelinePhases.Succeeded, T1);
        WorkflowStatus.Mark(status, "pipeline-b", PipelinePhases.Running, T1);

        WorkflowStatus.MarkSuspended(status, "pipeline-b", Suspend("waiting for approval"), 7, T2);

        Assert.Equal("Succeeded", Entry(status, "pipeline-a").GetString("phase"));
        var b = Entry(status, "pipeline-b");
        Assert.Equal("Suspended", b.GetString("phase"));
        Assert.Equal("waiting for approval", b.GetString("message"));
        Assert.False(b.ContainsKey("nextRetryAt"));
        Assert.False(b.ContainsKey("attempts"));
        Assert.Equal(7, Workflows(status).GetLong("suspendedGeneration"));
        Assert.Equal("leave me alone", status.GetString("message"));
    }

    [Fact]
    public void MarkSuspended_without_a_message_removes_the_old_one()
    {
        // Upstream's "cleans up existing message when message is not provided anymore".
        var status = Started("pipeline-a");
        WorkflowStatus.MarkSuspended(status, "pipeline-a", Suspend("old message"), 3, T1);

        WorkflowStatus.MarkSuspended(status, "pipeline-a", Suspend(null), 3, T2);

        Assert.Equal("Suspended", Entry(status, "pipeline-a").GetString("phase"));
        Assert.False(Entry(status, "pipeline-a").ContainsKey("message"));
        Assert.Equal(3, Workflows(status).GetLong("suspendedGeneration"));
    }

    [Fact]
    public void MarkSuspended_with_a_retry_sets_nextRetryAt_as_RFC3339_and_counts_the_attempt()
    {
        var status = Started("pipeline-a");
        var now = new DateTimeOffset(2026, 3, 25, 14, 21, 58, 900, TimeSpan.FromHours(2));

        WorkflowStatus.MarkSuspended(status, "pipeline-a", Retry(TimeSpan.FromSeconds(1.5), "waiting for approval"), 7, now);

        var entry = Entry(status, "pipeline-a");
        Assert.Equal("Suspended", entry.GetString("phase"));
        Assert.Equal("waiting for approval", entry.GetString("message"));
        // time.Now().UTC().Add(after).Format(time.RFC3339): UTC, whole seconds.
        Assert.Equal("2026-03-25T12:22:00Z", entry.GetString("nextRetryAt"));
        Assert.Equal(1, entry.GetLong("attempts"));
        Assert.Equal(7, Workflows(status).GetLong("suspendedGeneration"));
    }

    [Fact]
    public void MarkSuspended_with_a_retry_increments_existing_attempts()
    {
        // Upstream's "sets the timestamp and increments the attempts counter" (17 → 18).
        var status = Yaml("""
            kratix:
              workflows:
                pipelines:
                - {name: pipeline-a, phase: Succeeded}
                - {name: pipeline-b, phase: Running, attempts: 17}
            """);

        WorkflowStatus.MarkSuspended(status, "pipeline-b", Retry(TimeSpan.FromMinutes(10)), 7, T0);

        Assert.Equal(18, Entry(status, "pipeline-b").GetLong("attempts"));
        Assert.Equal("2026-03-25T14:10:00Z", Entry(status, "pipeline-b").GetString("nextRetryAt"));
        Assert.False(Entry(status, "pipeline-a").ContainsKey("attempts"));
    }

    [Fact]
    public void A_suspend_without_retry_clears_earlier_retry_fields()
    {
        // Upstream's "clears nextRetryAt and attempts" when retryAt is not set.
        var status = Yaml("""
            kratix:
              workflows:
                pipelines:
                - {name: pipeline-a, phase: Suspended, nextRetryAt: "2026-03-25T14:22:00Z", attempts: 3}
            """);

        WorkflowStatus.MarkSuspended(status, "pipeline-a", Suspend("waiting for a shooting star"), 1, T0);

        var entry = Entry(status, "pipeline-a");
        Assert.Equal("waiting for a shooting star", entry.GetString("message"));
        Assert.False(entry.ContainsKey("nextRetryAt"));
        Assert.False(entry.ContainsKey("attempts"));
    }

    [Fact]
    public void Retry_wins_over_suspend()
    {
        var status = Started("pipeline-a");

        WorkflowStatus.MarkSuspended(status, "pipeline-a", new WorkflowControl(true, TimeSpan.FromMinutes(5), "both"), 2, T0);

        Assert.Equal("2026-03-25T14:05:00Z", Entry(status, "pipeline-a").GetString("nextRetryAt"));
        Assert.Equal(1, Entry(status, "pipeline-a").GetLong("attempts"));
    }

    [Fact]
    public void Resuming_a_retried_pipeline_keeps_its_attempts_so_the_next_retry_counts_on()
    {
        // Upstream resumes at the suspended pipeline and only marks it Running, which removes the message and keeps
        // attempts and nextRetryAt (lib/workflow/reconciler.go: "preserve the pipeline's existing status").
        var status = Started("pipeline-a");
        WorkflowStatus.Mark(status, "pipeline-a", PipelinePhases.Running, T0);
        WorkflowStatus.MarkSuspended(status, "pipeline-a", Retry(TimeSpan.FromMinutes(1)), 1, T1);

        WorkflowStatus.Mark(status, "pipeline-a", PipelinePhases.Running, T2);

        var resumed = Entry(status, "pipeline-a");
        Assert.Equal("Running", resumed.GetString("phase"));
        Assert.False(resumed.ContainsKey("message"));
        Assert.Equal(1, resumed.GetLong("attempts"));

        WorkflowStatus.MarkSuspended(status, "pipeline-a", Retry(TimeSpan.FromMinutes(1)), 1, T3);

        Assert.Equal(2, Entry(status, "pipeline-a").GetLong("attempts"));
        Assert.Equal("2026-03-25T14:04:00Z", Entry(status, "pipeline-a").GetString("nextRetryAt"));
    }

    [Fact]
    public void Succeeding_after_a_retry_clears_the_suspension()
    {
        // The status-writer's ClearPipelineSuspension when the pipeline did not ask to suspend again.
        var status = Started("pipeline-a");
        WorkflowStatus.MarkSuspended(status, "pipeline-a", Retry(TimeSpan.FromMinutes(1)), 1, T1);
        WorkflowStatus.Mark(status, "pipeline-a", PipelinePhases.Running, T2);

        WorkflowStatus.Mark(status, "pipeline-a", PipelinePhases.Succeeded, T3);

        var entry = Entry(status, "pipeline-a");
        Assert.Equal("Succeeded", entry.GetString("phase"));
        Assert.False(entry.ContainsKey("message"));
        Assert.False(entry.ContainsKey("nextRetryAt"));
        Assert.False(entry.ContainsKey("attempts"));
    }

    [Fact]
    public void Leaving_Suspended_for_any_phase_drops_the_message()
    {
        // MarkCurrentPipelineAs: previous phase Suspended and a new phase → delete(pipeline, "message").
        var status = Started("pipeline-a");
        WorkflowStatus.MarkSuspended(status, "pipeline-a", Suspend("waiting"), 1, T1);

        WorkflowStatus.Mark(status, "pipeline-a", PipelinePhases.Failed, T2);

        Assert.Equal("Failed", Entry(status, "pipeline-a").GetString("phase"));
        Assert.False(Entry(status, "pipeline-a").ContainsKey("message"));
    }

    [Fact]
    public void SuspendedIndex_finds_the_suspended_pipeline()
    {
        // Upstream's GetSuspendedPipelineIndex test: [Succeeded, Suspended] → 1.
        var status = Yaml("""
            kratix:
              workflows:
                pipelines:
                - {name: first-pipeline, phase: Succeeded}
                - {name: second-pipeline, phase: Suspended}
            """);

        Assert.Equal(1, WorkflowStatus.SuspendedIndex(status));
    }

    [Fact]
    public void SuspendedIndex_is_minus_one_when_nothing_is_suspended()
    {
        Assert.Equal(-1, WorkflowStatus.SuspendedIndex(new JsonObject()));
        Assert.Equal(-1, WorkflowStatus.SuspendedIndex(Started("a", "b")));
        Assert.Equal(-1, WorkflowStatus.SuspendedIndex(Yaml("kratix: {workflows: {suspendedGeneration: 3}}")));
    }

    [Fact]
    public void NextRetryAt_is_read_from_the_suspended_pipeline()
    {
        var status = Started("a", "b");
        Assert.Null(WorkflowStatus.NextRetryAt(status));

        WorkflowStatus.MarkSuspended(status, "b", Retry(TimeSpan.FromMinutes(30)), 1, T0);

        Assert.Equal(T0.AddMinutes(30), WorkflowStatus.NextRetryAt(status));
        Assert.Equal(1, WorkflowStatus.SuspendedIndex(status));
    }

    [Theory]
    [InlineData("resource", "Resource requested")]
    [InlineData("promise", "Promise configured")]
    public void MarkCompleted_replaces_a_Pending_message(string workflowType, string expected)
    {
        var status = new JsonObject { ["message"] = "Pending" };

        WorkflowStatus.MarkCompleted(status, workflowType, T1);

        Assert.Equal(expected, status.GetString("message"));
    }

    [Theory]
    [InlineData("resource")]
    [InlineData("promise")]
    public void MarkCompleted_keeps_any_other_message(string workflowType)
    {
        var status = new JsonObject { ["message"] = "Howdy" };

        WorkflowStatus.MarkCompleted(status, workflowType, T1);

        Assert.Equal("Howdy", status.GetString("message"));
    }

    [Theory]
    [InlineData("resource")]
    [InlineData("promise")]
    public void MarkCompleted_sets_ConfigureWorkflowCompleted(string workflowType)
    {
        var status = new JsonObject();

        WorkflowStatus.MarkCompleted(status, workflowType, T1);

        var condition = Assert.IsType<JsonObject>(Assert.Single((JsonArray)status["conditions"]!));
        Assert.Equal("ConfigureWorkflowCompleted", condition.GetString("type"));
        Assert.Equal("True", condition.GetString("status"));
        Assert.Equal("PipelinesExecutedSuccessfully", condition.GetString("reason"));
        Assert.Equal("Pipelines completed", condition.GetString("message"));
        Assert.Equal("2026-03-25T14:01:00Z", condition.GetString("lastTransitionTime"));
    }

    [Fact]
    public void MarkCompleted_overrides_an_existing_ConfigureWorkflowCompleted_and_keeps_other_conditions()
    {
        var status = Yaml("""
            conditions:
            - {type: SomeOtherCondition, status: "False", message: Some other reason}
            - {type: ConfigureWorkflowCompleted, status: "False", reason: PipelinesInProgress, message: Pipelines are still in progress, lastTransitionTime: "2026-03-25T14:00:00Z"}
            """);

        WorkflowStatus.MarkCompleted(status, "resource", T2);

        var conditions = ((JsonArray)status["conditions"]!).Cast<JsonObject>().ToList();
        Assert.Equal(2, conditions.Count);
        var other = conditions.Single(c => c.GetString("type") == "SomeOtherCondition");
        Assert.Equal("False", other.GetString("status"));
        Assert.Equal("Some other reason", other.GetString("message"));
        var completed = conditions.Single(c => c.GetString("type") == "ConfigureWorkflowCompleted");
        Assert.Equal("True", completed.GetString("status"));
        Assert.Equal("PipelinesExecutedSuccessfully", completed.GetString("reason"));
        Assert.Equal("Pipelines completed", completed.GetString("message"));
        Assert.Equal("2026-03-25T14:02:00Z", completed.GetString("lastTransitionTime"));
    }

    [Theory]
    [InlineData("resource")]
    [InlineData("promise")]
    public void MarkCompleted_clears_the_suspended_generation(string workflowType)
    {
        var status = Yaml("""
            kratix:
              workflows:
                suspendedGeneration: 2
                pipelines:
                - {name: a, phase: Succeeded}
            """);

        WorkflowStatus.MarkCompleted(status, workflowType, T1);

        Assert.False(Workflows(status).ContainsKey("suspendedGeneration"));
        Assert.Equal("Succeeded", Entry(status, "a").GetString("phase"));
    }
}
