using System.Text.Json.Nodes;
using Kratix.Objects;
using Kratix.Pipelines.Runtimes;
using Kratix.Platforms;
using Kratix.Tests.Platforms;
using Kratix.Tests.Workflows;
using static Kratix.Tests.Platforms.PlatformFixture;
using static Kratix.Tests.Workflows.WorkflowPromises;

namespace Kratix.Tests.Reconciliation;

/// <summary>
/// Delete workflows that suspend or ask to be retried (behaviour.md 5.4; lib/workflow ReconcileDelete): the object
/// stays, marked for deletion with its kratix.io/delete-workflows finalizer and its Works and files, until a later sync
/// resumes the workflow at its retry time, or a new removal resumes it at once.
/// </summary>
[System.Runtime.Versioning.SupportedOSPlatform("linux")]
public sealed class SuspendedDeleteTests : IDisposable
{
    private const string File0 = "dev/resources/default/thing/example/instance/5058f/x.yaml";
    private readonly ManualClock _clock = new(new DateTimeOffset(2026, 11, 21, 10, 0, 0, TimeSpan.Zero));
    private readonly PlatformFixture _f;

    public SuspendedDeleteTests()
    {
        _f = new PlatformFixture(PipelineRuntimes.Create("Host"), _clock);
        _f.RegisterGitStore();
        _f.RegisterDestination("dev", "{environment: dev}");
    }

    public void Dispose() => _f.Dispose();

    [Fact]
    public void A_delete_workflow_that_asks_to_retry_keeps_the_request_until_a_sync_after_its_retry_time()
    {
        InstallWithDelete("""
            if grep -q 'attempts: 1' /kratix/input/object.yaml; then echo 'torn down'; exit 0; fi
            printf 'retryAfter: 5m\nmessage: waiting for the database to drain\n' > /kratix/metadata/workflow-control.yaml
            """);
        _f.Platform.SubmitRequest(Yaml(Request()));

        _f.Platform.RemoveRequest("thing", "default", "example");

        var kept = Assert.Single(_f.Platform.GetRequests());
        Assert.True(kept.IsBeingDeleted);
        Assert.Equal(["kratix.io/delete-workflows"], Finalizers(kept));
        Assert.Equal("true", kept.GetLabel(KratixApi.WorkflowSuspendedLabel));
        Assert.Equal((Condition.False, Reasons.DeleteWorkflowSuspended), Tuple(kept.Conditions.Get(Reasons.DeleteWorkflowCompleted)));
        Assert.Equal("2026-11-21T10:05:00Z", DeletePipeline(kept).GetString("nextRetryAt"));
        Assert.NotNull(_f.RemoteFile(File0)); // its Works and files stay too
        Assert.Contains(_f.Log.Drain(), m => m.Message.Contains("it stays, marked for deletion, until the workflow completes: Sync-KratixPlatform resumes it from 2026-11-21T10:05:00Z", StringComparison.Ordinal));

        // Not yet: the sync leaves it, and a kept request is not reconciled (no configure run).
        _clock.Advance(TimeSpan.FromMinutes(4));
        var early = _f.Platform.SyncPlatform();
        Assert.Equal((0, 0), (early.PipelinesRun, early.DeletionsFinished));
        Assert.Single(_f.Platform.GetRequests());
        Assert.Equal(_clock.Now + TimeSpan.FromMinutes(1), early.NextReconcile);

        _clock.Advance(TimeSpan.FromMinutes(2));
        var resumed = _f.Platform.SyncPlatform();

        Assert.Equal((1, 1), (resumed.PipelinesRun, resumed.DeletionsFinished));
        Assert.Empty(_f.Platform.GetRequests());
        Assert.Empty(_f.Platform.GetWorks("default"));
        Assert.Null(_f.RemoteFile(File0));
    }

    [Fact]
    public void A_suspended_delete_without_a_retry_time_waits_for_the_next_removal_which_resumes_it()
    {
        InstallWithDelete("""
            if grep -q DeleteWorkflowSuspended /kratix/input/object.yaml; then exit 0; fi
            printf 'suspend: true\nmessage: approve the teardown\n' > /kratix/metadata/workflow-control.yaml
            """);
        _f.Platform.SubmitRequest(Yaml(Request()));
        _f.Platform.RemoveRequest("thing", "default", "example");
        _clock.Advance(TimeSpan.FromDays(2));

        Assert.Equal(0, _f.Platform.SyncPlatform().PipelinesRun);
        Assert.Single(_f.Platform.GetRequests());

        _f.Platform.RemoveRequest("thing", "default", "example");

        Assert.Empty(_f.Platform.GetRequests());
        Assert.Null(_f.RemoteFile(File0));
    }

    [Fact]
    public void A_request_whose_removal_is_suspended_cannot_be_submitted_again_until_it_is_gone()
    {
        InstallWithDelete("printf 'retryAfter: 1h\\n' > /kratix/metadata/workflow-control.yaml");
        _f.Platform.SubmitRequest(Yaml(Request()));
        _f.Platform.RemoveRequest("thing", "default", "example");

        var ex = Assert.Throws<KratixException>(() => _f.Platform.SubmitRequest(Yaml(Request(size: "large")), allowUpdate: true));

        Assert.Equal("RequestBeingDeleted", ex.ErrorId);
        Assert.Contains("its resource.delete workflow suspended", ex.Message, StringComparison.Ordinal);
        Assert.Equal("small", Assert.Single(_f.Platform.GetRequests()).Spec.GetString("size"));
    }

    [Fact]
    public void A_suspended_promise_delete_keeps_the_Promise_and_its_requests_until_a_sync_resumes_it()
    {
        _f.Platform.InstallPromise(Yaml(Promise(WorkflowSpec(
            resourceConfigure: [Pipeline("instance", "echo x > /kratix/output/x.yaml")],
            promiseDelete: [Pipeline("goodbye", """
                # [1] so that the Promise's own copy of this script (in object.yaml) does not match
                if grep -q 'attempts: [1]' /kratix/input/object.yaml; then exit 0; fi
                printf 'retryAfter: 10m\n' > /kratix/metadata/workflow-control.yaml
                """)]))));
        _f.Platform.SubmitRequest(Yaml(Request()));

        _f.Platform.UninstallPromise("thing");

        var promise = Assert.Single(_f.Platform.GetPromises());
        Assert.True(promise.IsBeingDeleted);
        Assert.Equal(["kratix.io/delete-workflows"], Finalizers(promise));
        Assert.Single(_f.Platform.GetRequests()); // upstream runs the Promise's delete pipeline before deleting its requests
        Assert.NotNull(_f.RemoteFile(File0));

        _clock.Advance(TimeSpan.FromMinutes(11));
        var summary = _f.Platform.SyncPlatform();

        Assert.Empty(summary.Failures);
        Assert.Empty(_f.Platform.GetPromises());
        Assert.Empty(_f.Platform.GetRequests());
        Assert.Null(_f.RemoteFile(File0));
    }

    [Fact]
    public void An_uninstall_waits_for_a_request_whose_delete_workflow_suspended()
    {
        InstallWithDelete("""
            if grep -q 'attempts: 1' /kratix/input/object.yaml; then exit 0; fi
            printf 'retryAfter: 5m\n' > /kratix/metadata/workflow-control.yaml
            """);
        _f.Platform.SubmitRequest(Yaml(Request()));

        _f.Platform.UninstallPromise("thing");

        Assert.True(Assert.Single(_f.Platform.GetPromises()).IsBeingDeleted);
        Assert.True(Assert.Single(_f.Platform.GetRequests()).IsBeingDeleted);
        Assert.Contains(_f.Log.Drain(), m => m.Message.Contains("some of its requests wait for their suspended resource.delete workflow", StringComparison.Ordinal));

        _clock.Advance(TimeSpan.FromMinutes(6));
        _f.Platform.SyncPlatform();

        Assert.Empty(_f.Platform.GetRequests());
        Assert.Empty(_f.Platform.GetPromises());
    }

    private void InstallWithDelete(string deleteScript) =>
        _f.Platform.InstallPromise(Yaml(Promise(WorkflowSpec(
            resourceConfigure: [Pipeline("instance", "echo x > /kratix/output/x.yaml")],
            resourceDelete: [Pipeline("teardown", deleteScript)]))));

    private static List<string> Finalizers(KubeObject obj) =>
        (obj.Metadata["finalizers"] as JsonArray)?.Select(f => f!.ToString()).ToList() ?? [];

    private static JsonObject DeletePipeline(KubeObject obj) =>
        (JsonObject)((JsonArray)obj.Status["kratix"]!["workflows"]!["pipelines"]!)[0]!;

    private static (string, string) Tuple(Condition? condition) => condition is null ? ("<none>", "<none>") : (condition.Status, condition.Reason);
}
