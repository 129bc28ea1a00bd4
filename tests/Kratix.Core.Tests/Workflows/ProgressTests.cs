using Kratix.Pipelines.Runtimes;
using Kratix.Platforms;
using Kratix.Tests.Platforms;
using static Kratix.Tests.Platforms.PlatformFixture;
using static Kratix.Tests.Workflows.WorkflowPromises;

namespace Kratix.Tests.Workflows;

/// <summary>
/// The progress the engine reports through <see cref="IPlatformLog.Progress"/> while a long operation runs: its activity,
/// each stage in order with its count going from 0 to the total, nested activities for a sync's requests, the end of
/// every activity, and few enough reports that a thousand requests do not pay for them.
/// </summary>
[System.Runtime.Versioning.SupportedOSPlatform("linux")]
public sealed class ProgressTests : IDisposable
{
    private const string WriteConfigMap = """
        printf 'kind: ConfigMap\nmetadata:\n  name: %s\n' "$KRATIX_OBJECT_NAME" > /kratix/output/configmap.yaml
        """;

    private PlatformFixture _f = new(PipelineRuntimes.Create("Host"));

    public void Dispose() => _f.Dispose();

    [Fact]
    public void A_batch_of_requests_reports_each_stage_from_none_to_all_and_then_that_it_is_over()
    {
        Setup(WriteConfigMap);
        _f.Log.DrainProgress();

        _f.Platform.SubmitRequests(Names(5).Select(n => new RequestSubmission(Yaml(Request(name: n)))).ToList());

        var reports = _f.Log.DrainProgress();
        Assert.All(reports, r => Assert.Equal("Submitting 5 requests", r.Activity));
        Assert.All(reports, r => Assert.Equal(0, r.Level));
        Assert.True(reports[^1].Finished);
        Assert.Single(reports, r => r.Finished);
        var stages = reports.Where(r => !r.Finished).Select(r => r.Stage).Distinct().ToList();
        Assert.Equal(
            ["Validating and saving requests", "Checking which workflows are due", "Running workflows", "Keeping what the workflows made", "Writing to state stores", "Saving the requests' status"],
            stages);
        foreach (var stage in stages)
        {
            var counts = reports.Where(r => r.Stage == stage && !r.Finished).ToList();
            var total = stage == "Writing to state stores" ? 1 : 5;
            Assert.All(counts, r => Assert.Equal(total, r.Total));
            Assert.Equal(0, counts[0].Completed);
            Assert.Equal(total, counts[^1].Completed);
            Assert.Equal(100, counts[^1].PercentComplete);
            Assert.Equal(counts.Select(r => r.Completed).Order(), counts.Select(r => r.Completed));
        }

        // Workflows finish on other threads; each report names the one just done and how it ended.
        Assert.Matches(@"^Thing ""default/app-\d"": Succeeded in \d+\.\d+ s$", reports.Last(r => r.Stage == "Running workflows").Current);
        Assert.Equal("GitStateStore \"default\": 5 placement(s)", reports.Last(r => r.Stage == "Writing to state stores").Current);
    }

    [Fact]
    public void A_thousand_requests_cost_a_few_reports_per_stage_not_one_per_request()
    {
        _f.Dispose();
        _f = new PlatformFixture(progressInterval: TimeSpan.FromHours(1));
        _f.RegisterGitStore();
        _f.RegisterDestination("dev", "{environment: dev}");
        _f.Platform.InstallPromise(Yaml(Promise(WorkflowSpec())));
        _f.Log.DrainProgress();

        var outcomes = _f.Platform.SubmitRequests(Names(1000).Select(n => new RequestSubmission(Yaml(Request(name: n)))).ToList());

        Assert.All(outcomes, o => Assert.Null(o.Error));
        var reports = _f.Log.DrainProgress();
        // No workflow: three stages, each reported at its start and at its last item only (the interval is an hour), and the end.
        Assert.Equal(3 * 2 + 1, reports.Count);
        Assert.All(reports.Where(r => !r.Finished), r => Assert.Equal(1000, r.Total));
        Assert.Equal([0, 1000, 0, 1000, 0, 1000], reports.Where(r => !r.Finished).Select(r => r.Completed));
        Assert.Equal("Submitting 1,000 requests", reports[0].Activity);
    }

    [Fact]
    public void A_sync_reports_its_stages_and_each_Promise_s_requests_as_an_activity_nested_in_it()
    {
        // Nothing to repair: nothing is written, so there is no "Writing to state stores" stage, only the check of what they hold.
        Setup(WriteConfigMap);
        _f.Platform.SubmitRequests(Names(2).Select(n => new RequestSubmission(Yaml(Request(name: n)))).ToList());
        _f.Log.DrainProgress();

        _f.Platform.SyncPlatform();

        var reports = _f.Log.DrainProgress().ToList();
        int At(PlatformProgress report) => reports.FindIndex(r => ReferenceEquals(r, report));
        var top = reports.Where(r => r.Level == 0).ToList();
        Assert.All(top, r => Assert.Equal("Syncing the platform", r.Activity));
        Assert.Equal(
            ["Removing what interrupted commands left", "Checking state stores", "Checking Destinations", "Finishing interrupted removals",
             "Removing Works and WorkPlacements whose owner is gone", "Rescheduling Works",
             "Checking that the state stores hold every placement", "Reconciling Promises", "Reconciling requests, one Promise at a time",
             "Applying what platform Destinations hold"],
            top.Where(r => !r.Finished).Select(r => r.Stage).Distinct());
        Assert.True(top[^1].Finished);

        var nested = reports.Where(r => r.Level == 1).ToList();
        Assert.NotEmpty(nested);
        Assert.All(nested, r => Assert.Equal("The requests of Promise \"thing\"", r.Activity));
        Assert.True(nested[^1].Finished);
        Assert.Equal(2, nested.Last(r => r.Stage == "Saving the requests' status").Completed);
        // The nested activity runs within the top one's "requests" stage, and ends before it moves on.
        var nestedStart = At(nested[0]);
        Assert.Equal("Reconciling requests, one Promise at a time", reports.Take(nestedStart).Last(r => r.Level == 0).Stage);
        Assert.True(At(nested[^1]) < At(top.First(r => r.Stage == "Applying what platform Destinations hold")));
    }

    [Fact]
    public void An_install_reports_its_activity_and_the_requests_it_reconciles_again_nested_in_it()
    {
        Setup(WriteConfigMap);
        _f.Platform.SubmitRequests(Names(3).Select(n => new RequestSubmission(Yaml(Request(name: n)))).ToList());
        _f.Log.DrainProgress();

        // A spec change re-runs every request from the start.
        _f.Platform.InstallPromise(Yaml(Promise(WorkflowSpec(resourceConfigure: [Pipeline("instance", "echo changed\n" + WriteConfigMap)]))));

        var reports = _f.Log.DrainProgress();
        Assert.Equal("Installing Promise \"thing\"", reports[0].Activity);
        Assert.Equal(
            ["Validating and saving the Promise", "Reconciling the Promise: its dependencies, its workflow, its requests"],
            reports.Where(r => r.Level == 0 && !r.Finished).Select(r => r.Stage).Distinct());
        Assert.True(reports[^1] is { Level: 0, Finished: true });
        var nested = reports.Where(r => r.Level == 1).ToList();
        Assert.All(nested, r => Assert.Equal("Reconciling the requests of Promise \"thing\"", r.Activity));
        Assert.Equal(3, nested.Last(r => r.Stage == "Running workflows").Completed);
    }

    [Fact]
    public void An_activity_that_fails_is_still_reported_over()
    {
        _f.RegisterGitStore();
        _f.Log.DrainProgress();

        Assert.Throws<KratixException>(() => _f.Platform.SubmitRequest(Yaml(Request(name: "orphan"))));

        var reports = _f.Log.DrainProgress();
        Assert.True(reports[^1] is { Activity: "Submitting a request", Finished: true });
    }

    [Fact]
    public void The_verbose_log_says_what_was_saved_run_committed_and_written()
    {
        Setup(WriteConfigMap);
        _f.Log.Drain();

        _f.Platform.SubmitRequests(Names(2).Select(n => new RequestSubmission(Yaml(Request(name: n)))).ToList());

        var verbose = _f.Log.Drain().Where(m => !m.IsWarning).Select(m => m.Message).ToList();
        var head = TryGit(_f.Remote, "rev-parse", "main").Output.Trim();
        Assert.Contains("Saved Thing default/app-1 (objects/things.test.kratix.io/default/app-1.yaml).", verbose);
        Assert.Contains(verbose, m => m.StartsWith("Saved WorkPlacement default/thing-app-2-instance-", StringComparison.Ordinal));
        Assert.Contains(verbose, m => System.Text.RegularExpressions.Regex.IsMatch(m, @"^Thing ""default/app-1"": pipeline resource\.configure/instance Succeeded in \d+\.\d+ s on Host\.$"));
        Assert.Contains($"GitStateStore \"default\": commit {head} pushed to {_f.Remote} (branch main): 2 of 2 change(s).", verbose);
        Assert.Contains("GitStateStore \"default\": wrote dev/resources/default/thing/app-1/instance/5058f/configmap.yaml", verbose);
        Assert.Contains("GitStateStore \"default\": wrote dev/resources/default/thing/app-2/instance/5058f/configmap.yaml", verbose);

        // A sync with nothing to repair writes nothing, and says so.
        _f.Platform.SyncPlatform();
        verbose = _f.Log.Drain().Where(m => !m.IsWarning).Select(m => m.Message).ToList();
        Assert.Contains($"GitStateStore \"default\": {_f.Remote} (branch main) already holds all 2 change(s); nothing written (at commit {head}).", verbose);
        Assert.DoesNotContain(verbose, m => m.Contains(": wrote ", StringComparison.Ordinal));
    }

    [Fact]
    public void Removing_a_request_says_which_files_were_removed_and_which_objects_deleted()
    {
        Setup(WriteConfigMap);
        _f.Platform.SubmitRequests([new RequestSubmission(Yaml(Request(name: "app-1")))]);
        _f.Log.Drain();

        _f.Platform.RemoveRequest("thing", "default", "app-1");

        var verbose = _f.Log.Drain().Where(m => !m.IsWarning).Select(m => m.Message).ToList();
        Assert.Contains(verbose, m => m.StartsWith("GitStateStore \"default\": commit ", StringComparison.Ordinal) && m.EndsWith(": 1 of 1 change(s).", StringComparison.Ordinal));
        Assert.Contains("GitStateStore \"default\": removed dev/resources/default/thing/app-1/instance/5058f", verbose);
        Assert.Contains("Deleted Thing default/app-1 (objects/things.test.kratix.io/default/app-1.yaml).", verbose);
    }

    private void Setup(string script)
    {
        _f.RegisterGitStore();
        _f.RegisterDestination("dev", "{environment: dev}");
        _f.Platform.InstallPromise(Yaml(Promise(WorkflowSpec(resourceConfigure: [Pipeline("instance", script)]))));
    }

    private static List<string> Names(int count) => Enumerable.Range(1, count).Select(i => $"app-{i}").ToList();
}
