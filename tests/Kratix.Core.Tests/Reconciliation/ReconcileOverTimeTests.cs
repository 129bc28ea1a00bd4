using Kratix.Objects;
using Kratix.Pipelines.Runtimes;
using Kratix.Platforms;
using Kratix.Platforms.Embedded;
using Kratix.Tests.Platforms;
using Kratix.Tests.StateStores;
using Kratix.Tests.Workflows;
using static Kratix.Tests.Platforms.PlatformFixture;
using static Kratix.Tests.Workflows.WorkflowPromises;

namespace Kratix.Tests.Reconciliation;

/// <summary>
/// Reconciling over time on the embedded platform (behaviour.md 5.1 step 11, 5.2 step 8; upstream's WorkPlacement
/// requeue at stateStoreReconciliationInterval): Sync-KratixPlatform reruns what is due and puts back what drifted in
/// a real bare git remote. The clock is a ManualClock: nothing waits for hours.
/// </summary>
[System.Runtime.Versioning.SupportedOSPlatform("linux")]
public sealed class ReconcileOverTimeTests : IDisposable
{
    private const string Path0 = "dev/resources/default/thing/example/instance/5058f/configmap.yaml";
    private static readonly DateTimeOffset T0 = new(2026, 11, 21, 10, 0, 0, TimeSpan.Zero);
    private readonly ManualClock _clock = new(T0);
    private readonly TempDirectory _clones = new();
    private PlatformFixture _f;

    public ReconcileOverTimeTests() => _f = Platform(new ReconciliationOptions());

    public void Dispose()
    {
        _f.Dispose();
        _clones.Dispose();
    }

    [Fact]
    public void A_requests_configure_workflow_runs_again_once_the_platforms_ten_hours_have_passed_and_not_before()
    {
        InstallThing();
        _f.Platform.SubmitRequest(Yaml(Request()));

        _clock.Advance(TimeSpan.FromHours(10));
        Assert.Equal(0, _f.Platform.SyncPlatform().PipelinesRun);

        _clock.Advance(TimeSpan.FromSeconds(1));
        _f.Log.Drain();
        var summary = _f.Platform.SyncPlatform();

        Assert.Equal(1, summary.PipelinesRun);
        Assert.Contains(_f.Log.Drain(), m => m.Message.Contains("more than 10h0m0s ago (the interval, from the platform's reconciliationInterval); running it again from the start", StringComparison.Ordinal));
        var request = Assert.Single(_f.Platform.GetRequests());
        Assert.Equal(_clock.Now, request.Conditions.Get(Reasons.ConfigureWorkflowCompleted)!.LastTransitionTime);
        Assert.Null(request.GetLabel(KratixApi.ManualReconciliationLabel));
        // Rerun once: the next is another interval away.
        Assert.Equal(0, _f.Platform.SyncPlatform().PipelinesRun);
    }

    [Fact]
    public void A_Promises_reconciliationInterval_applies_to_its_own_workflow_and_its_requests()
    {
        _f.Platform.InstallPromise(Yaml(Promise(
            WorkflowSpec(promiseConfigure: [Pipeline("setup", "true")], resourceConfigure: [Pipeline("instance", ConfigMapScript)]).Replace("    promise:", "    config:\n      reconciliationInterval: 30m\n    promise:", StringComparison.Ordinal))));
        _f.Platform.SubmitRequest(Yaml(Request()));

        _clock.Advance(TimeSpan.FromMinutes(31));
        var summary = _f.Platform.SyncPlatform();

        Assert.Equal(2, summary.PipelinesRun); // promise.configure/setup and resource.configure/instance
        Assert.Equal(_clock.Now + TimeSpan.FromMinutes(30), summary.NextReconcile);
    }

    [Fact]
    public void The_reconciliation_interval_annotation_overrides_the_spec()
    {
        var promise = Promise(WorkflowSpec(resourceConfigure: [Pipeline("instance", ConfigMapScript)]).Replace("    resource:", "    config:\n      reconciliationInterval: 5h\n    resource:", StringComparison.Ordinal))
            .Replace("  labels:\n", "  annotations:\n    kratix.io/reconciliation-interval: 2m\n  labels:\n", StringComparison.Ordinal);
        _f.Platform.InstallPromise(Yaml(promise));
        _f.Platform.SubmitRequest(Yaml(Request()));

        _clock.Advance(TimeSpan.FromMinutes(3));

        Assert.Equal(1, _f.Platform.SyncPlatform().PipelinesRun);
    }

    [Fact]
    public void A_failed_workflow_runs_again_once_per_interval_with_reconcileAfterFailure()
    {
        InstallFlaky();
        var request = _f.Platform.SubmitRequests([new RequestSubmission(Yaml(Request()))])[0].Request!;
        Assert.Equal(Reasons.ConfigureWorkflowFailed, request.Conditions.Get(Reasons.ConfigureWorkflowCompleted)!.Reason);

        _clock.Advance(TimeSpan.FromHours(10) + TimeSpan.FromMinutes(1));
        Assert.Equal(1, _f.Platform.SyncPlatform().PipelinesRun);
        _clock.Advance(TimeSpan.FromHours(1));
        Assert.Equal(0, _f.Platform.SyncPlatform().PipelinesRun); // failed again: the next try is an interval after this one
        _clock.Advance(TimeSpan.FromHours(9) + TimeSpan.FromMinutes(1));
        Assert.Equal(1, _f.Platform.SyncPlatform().PipelinesRun);
    }

    [Fact]
    public void Without_reconcileAfterFailure_a_failed_workflow_waits_to_be_asked()
    {
        _f.Dispose();
        _f = Platform(new ReconciliationOptions { ReconcileAfterFailure = false });
        InstallFlaky();
        _f.Platform.SubmitRequests([new RequestSubmission(Yaml(Request()))]);

        _clock.Advance(TimeSpan.FromHours(30));

        var summary = _f.Platform.SyncPlatform();
        Assert.Equal(0, summary.PipelinesRun);
        Assert.Equal("Request \"default/example\": A Configure Pipeline has failed: flaky", Assert.Single(summary.Failures).Replace("Thing", "Request", StringComparison.Ordinal));
        Assert.Equal(_clock.Now + TimeSpan.FromHours(10), summary.NextReconcile); // the next state-store rewrite, not the workflow
    }

    [Fact]
    public void A_pass_that_rewrites_the_state_stores_puts_back_a_file_removed_and_a_file_edited_in_the_remote()
    {
        InstallThing();
        _f.Platform.SubmitRequest(Yaml(Request()));
        _f.Platform.SubmitRequest(Yaml(Request(name: "other")));
        var remote = GitRemote.Existing(_clones, _f.Remote);
        const string other = "dev/resources/default/thing/other/instance/5058f/configmap.yaml";
        RemoveFromRemote(Path0);
        remote.CommitExternally("hand edit", (other, "edited by hand\n"));

        // Between two rewrites a continuous pass leaves the stores alone.
        var between = _f.Platform.SyncPlatform(rewriteStateStores: false);
        Assert.False(between.StateStoresRewritten);
        Assert.Equal((0, 0, 0), (between.StateStores, between.Destinations, between.PlacementsWritten));
        Assert.Null(remote.Show(Path0));

        var rewrite = _f.Platform.SyncPlatform(rewriteStateStores: true);

        Assert.True(rewrite.StateStoresRewritten);
        Assert.Equal(2, rewrite.PlacementsWritten);
        Assert.Equal("kind: ConfigMap\nmetadata:\n  name: example\n", remote.Show(Path0));
        Assert.Equal("kind: ConfigMap\nmetadata:\n  name: other\n", remote.Show(other));
    }

    [Fact]
    public void The_continuous_loop_rewrites_at_the_state_store_interval_and_wakes_when_a_workflow_is_due()
    {
        _f.Dispose();
        _f = Platform(new ReconciliationOptions { Interval = TimeSpan.FromHours(10), StateStoreInterval = TimeSpan.FromHours(2) });
        InstallThing();
        _f.Platform.SubmitRequest(Yaml(Request()));
        var remote = GitRemote.Existing(_clones, _f.Remote);
        var passes = new List<PlatformSyncSummary>();
        var waits = new List<TimeSpan>();
        using var stop = new CancellationTokenSource();
        var loop = new ContinuousSync(
            (rewrite, ct) => _f.Platform.SyncPlatform(rewrite, ct),
            () => _f.Platform.Reconciliation,
            _clock,
            (delay, ct) =>
            {
                waits.Add(delay);
                if (passes.Count == 1)
                {
                    RemoveFromRemote(Path0); // drift after the first pass
                }

                if (passes.Count == 4)
                {
                    stop.Cancel(); // the test stops it, as Ctrl+C does
                    ct.ThrowIfCancellationRequested();
                }

                _clock.Advance(delay);
                return Task.CompletedTask;
            })
        { PollInterval = TimeSpan.FromHours(3) };

        var count = loop.Run(passes.Add, ex => throw ex, stop.Token);

        Assert.Equal(4, count);
        Assert.Equal([true, true, true, true], passes.Select(p => p.StateStoresRewritten));
        // Each pass rewrites (the 2h store interval is the earliest thing due), so the loop sleeps exactly 2h.
        Assert.Equal([TimeSpan.FromHours(2), TimeSpan.FromHours(2), TimeSpan.FromHours(2), TimeSpan.FromHours(2)], waits);
        Assert.Equal(1, passes[1].PlacementsWritten);
        Assert.Equal("kind: ConfigMap\nmetadata:\n  name: example\n", remote.Show(Path0));
        Assert.Equal(0, passes[1].PipelinesRun);
        Assert.Equal(0, passes.Sum(p => p.PipelinesRun)); // passes at 0, 2, 4 and 6h: the 10h interval has not passed
    }

    [Fact]
    public void Between_rewrites_the_loop_polls_without_touching_the_stores_and_runs_the_workflow_whose_interval_passed()
    {
        _f.Dispose();
        _f = Platform(new ReconciliationOptions { Interval = TimeSpan.FromHours(10), StateStoreInterval = TimeSpan.Zero });
        InstallThing();
        _f.Platform.SubmitRequest(Yaml(Request()));
        var passes = new List<PlatformSyncSummary>();
        var waits = new List<TimeSpan>();
        using var stop = new CancellationTokenSource();
        var loop = new ContinuousSync(
            (rewrite, ct) => _f.Platform.SyncPlatform(rewrite, ct),
            () => _f.Platform.Reconciliation,
            _clock,
            (delay, ct) =>
            {
                waits.Add(delay);
                if (passes.Count == 3)
                {
                    stop.Cancel();
                    ct.ThrowIfCancellationRequested();
                }

                _clock.Advance(delay);
                return Task.CompletedTask;
            })
        { PollInterval = TimeSpan.FromHours(24), MinimumWait = TimeSpan.FromSeconds(1) };

        loop.Run(passes.Add, ex => throw ex, stop.Token);

        // First pass rewrites; with a zero store interval the later ones never do.
        Assert.Equal([true, false, false], passes.Select(p => p.StateStoresRewritten));
        // It sleeps until the workflow is due (10h after it completed), then one second, the shortest wait, as upstream
        // requires strictly more than the interval; that pass reruns it, and the next wait is the next interval.
        Assert.Equal(TimeSpan.FromHours(10), waits[0]);
        Assert.Equal(TimeSpan.FromSeconds(1), waits[1]);
        Assert.Equal(1, passes[2].PipelinesRun);
        Assert.Equal(TimeSpan.FromHours(10), waits[2]);
    }

    [Fact]
    public void A_pass_that_fails_is_reported_and_the_loop_goes_on()
    {
        var passes = 0;
        var errors = new List<string>();
        using var stop = new CancellationTokenSource();
        var loop = new ContinuousSync(
            (_, _) => ++passes == 1 ? throw new KratixException("PlatformBusy", KratixErrorCategory.ResourceUnavailable, "busy") : new PlatformSyncSummary(),
            () => new ReconciliationOptions(),
            _clock,
            (delay, ct) =>
            {
                if (passes == 2)
                {
                    stop.Cancel();
                }

                ct.ThrowIfCancellationRequested();
                _clock.Advance(delay);
                return Task.CompletedTask;
            });

        var completed = loop.Run(_ => { }, ex => errors.Add(ex.ErrorId), stop.Token);

        Assert.Equal(1, completed);
        Assert.Equal(["PlatformBusy"], errors);
    }

    private const string ConfigMapScript = "printf 'kind: ConfigMap\\nmetadata:\\n  name: %s\\n' \"$KRATIX_OBJECT_NAME\" > /kratix/output/configmap.yaml";

    private PlatformFixture Platform(ReconciliationOptions options)
    {
        var f = new PlatformFixture(PipelineRuntimes.Create("Host"), _clock, reconciliation: options);
        f.RegisterGitStore();
        f.RegisterDestination("dev", "{environment: dev}");
        return f;
    }

    private void InstallThing() =>
        _f.Platform.InstallPromise(Yaml(Promise(WorkflowSpec(resourceConfigure: [Pipeline("instance", ConfigMapScript)]))));

    private void InstallFlaky() =>
        _f.Platform.InstallPromise(Yaml(Promise(WorkflowSpec(resourceConfigure: [Pipeline("flaky", "exit 3")]))));

    private void RemoveFromRemote(string path)
    {
        var clone = Path.Combine(_f.Root, "clone-" + Guid.NewGuid().ToString("N")[..8]);
        Git(_f.Root, "clone", "--quiet", _f.Remote, clone);
        Git(clone, "rm", "--quiet", path);
        Git(clone, "-c", "user.name=someone", "-c", "user.email=someone@example.com", "commit", "--quiet", "-m", "someone removed a file");
        Git(clone, "push", "--quiet", "origin", "main");
    }
}
