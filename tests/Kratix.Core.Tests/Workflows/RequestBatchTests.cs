using System.Text.Json.Nodes;
using Kratix.Objects;
using Kratix.Pipelines.Runtimes;
using Kratix.Platforms;
using Kratix.Tests.Platforms;
using static Kratix.Tests.Platforms.PlatformFixture;
using static Kratix.Tests.Workflows.WorkflowPromises;

namespace Kratix.Tests.Workflows;

/// <summary>
/// Requests submitted together (New-KratixRequest with many files, <see cref="IKratixPlatform.SubmitRequests"/>): one
/// operation whose workflows run side by side, bounded, and whose files land in one commit, after which, and only
/// after which, the requests say Reconciled. Real bwrap sandboxes, a real bare remote.
/// </summary>
[System.Runtime.Versioning.SupportedOSPlatform("linux")]
public sealed class RequestBatchTests : IDisposable
{
    private const string WriteConfigMap = """
        printf 'kind: ConfigMap\nmetadata:\n  name: %s\n' "$KRATIX_OBJECT_NAME" > /kratix/output/configmap.yaml
        """;

    private PlatformFixture _f = new(PipelineRuntimes.Create("Host"));

    public void Dispose() => _f.Dispose();

    [Fact]
    public void Requests_submitted_together_are_all_reconciled_and_their_files_land_in_one_commit()
    {
        Setup(WriteConfigMap);
        var commitsBefore = _f.RemoteCommitSubjects().Count;

        var outcomes = _f.Platform.SubmitRequests(Names(5).Select(n => new RequestSubmission(Yaml(Request(name: n)))).ToList());

        Assert.All(outcomes, o => Assert.Null(o.Error));
        Assert.Equal(Names(5), outcomes.Select(o => o.Request!.Name));
        Assert.All(outcomes, o => Assert.True(o.Request!.Conditions.IsTrue("Reconciled"), o.Request.Name));
        Assert.All(_f.Platform.GetRequests("thing"), r => Assert.True(r.Conditions.IsTrue("Reconciled"), r.Name));
        foreach (var name in Names(5))
        {
            Assert.Equal($"kind: ConfigMap\nmetadata:\n  name: {name}\n", _f.RemoteFile($"dev/resources/default/thing/{name}/instance/5058f/configmap.yaml"));
        }

        var subjects = _f.RemoteCommitSubjects();
        Assert.Equal(commitsBefore + 1, subjects.Count);
        Assert.EndsWith("(and 4 more)", subjects[0], StringComparison.Ordinal);
        var placements = _f.Platform.GetWorkPlacements("default");
        Assert.Equal(5, placements.Count);
        Assert.All(placements, p => Assert.Contains($"Update from: {p.Name}", _f.RemoteCommitLines()));
        Assert.Single(placements.Select(p => p.VersionId).Distinct());
    }

    [Fact]
    public void A_refused_or_failing_request_gets_its_error_or_status_and_the_others_go_on()
    {
        Setup("""
            if grep -q 'fail: "yes"' /kratix/input/object.yaml; then echo "refusing $KRATIX_OBJECT_NAME" >&2; exit 3; fi
            """ + "\n" + WriteConfigMap);

        var outcomes = _f.Platform.SubmitRequests(
        [
            new RequestSubmission(Yaml(Request(name: "first"))),
            new RequestSubmission(Yaml(Request(name: "Bad_Name"))),
            new RequestSubmission(Yaml(Request(name: "failing").Replace("spec:\n", "spec:\n  fail: \"yes\"\n", StringComparison.Ordinal))),
            new RequestSubmission(Yaml(Request(name: "first"))),
            new RequestSubmission(Yaml(Request(name: "last"))),
        ]);

        Assert.Null(outcomes[0].Error);
        Assert.Equal("RequestInvalid", outcomes[1].Error?.ErrorId);
        Assert.Null(outcomes[1].Request);
        Assert.Null(outcomes[2].Error);
        Assert.Equal(("False", "ConfigureWorkflowFailed"), (outcomes[2].Request!.Conditions.Get("Reconciled")!.Status, outcomes[2].Request!.Conditions.Get("Reconciled")!.Reason));
        Assert.Equal("RequestExists", outcomes[3].Error?.ErrorId);
        Assert.Null(outcomes[4].Error);
        Assert.True(outcomes[0].Request!.Conditions.IsTrue("Reconciled"));
        Assert.True(outcomes[4].Request!.Conditions.IsTrue("Reconciled"));
        Assert.Equal(["failing", "first", "last"], _f.Platform.GetRequests("thing").Select(r => r.Name));
        Assert.NotNull(_f.RemoteFile("dev/resources/default/thing/first/instance/5058f/configmap.yaml"));
        Assert.NotNull(_f.RemoteFile("dev/resources/default/thing/last/instance/5058f/configmap.yaml"));
        Assert.Null(_f.RemoteFile("dev/resources/default/thing/failing/instance/5058f/configmap.yaml"));
    }

    [Theory]
    [InlineData(1)]
    [InlineData(2)]
    [InlineData(3)]
    public void Workflows_run_side_by_side_but_never_more_at_once_than_allowed(int parallel)
    {
        _f.Dispose();
        _f = new PlatformFixture(PipelineRuntimes.Create("Host"), parallelWorkflows: parallel);
        // Each container logs when it starts and ends; a second of sleep makes any overlap certain when slots allow it.
        Setup("echo \"start $(date +%s%N)\"; sleep 1; echo \"end $(date +%s%N)\"\n" + WriteConfigMap);

        var outcomes = _f.Platform.SubmitRequests(Names(6).Select(n => new RequestSubmission(Yaml(Request(name: n)))).ToList());

        Assert.All(outcomes, o => Assert.True(o.Request?.Conditions.IsTrue("Reconciled"), o.Error?.Message));
        var intervals = Names(6).Select(RunInterval).ToList();
        var mostAtOnce = intervals.Max(i => intervals.Count(o => o.Start <= i.Start && i.Start < o.End));
        Assert.Equal(parallel, mostAtOnce);
    }

    [Fact]
    public void When_the_push_fails_no_request_says_Reconciled_and_nothing_is_on_the_remote()
    {
        Setup(WriteConfigMap);
        var head = _f.RemoteCommitSubjects().Count;
        var hook = Path.Combine(_f.Remote, "hooks", "pre-receive");
        File.WriteAllText(hook, "#!/bin/sh\necho 'pushes are frozen' >&2\nexit 1\n");
        File.SetUnixFileMode(hook, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute);

        var outcomes = _f.Platform.SubmitRequests(Names(3).Select(n => new RequestSubmission(Yaml(Request(name: n)))).ToList());

        Assert.Equal(head, _f.RemoteCommitSubjects().Count);
        foreach (var request in outcomes.Select(o => o.Request!))
        {
            Assert.True(request.Conditions.IsTrue("ConfigureWorkflowCompleted"));
            Assert.Equal(("False", "WorksFailing"), (request.Conditions.Get("Reconciled")!.Status, request.Conditions.Get("Reconciled")!.Reason));
        }

        Assert.All(_f.Platform.GetWorkPlacements("default"), p => Assert.Contains("pushes are frozen", p.Conditions.Get("WriteSucceeded")!.Message, StringComparison.Ordinal));
        Assert.All(_f.Platform.GetWorks("default"), w => Assert.Equal("WorkplacementsFailing", w.Conditions.Get("Ready")!.Reason));

        File.Delete(hook);
        var summary = _f.Platform.SyncPlatform();

        Assert.Equal(0, summary.PipelinesRun);
        Assert.All(_f.Platform.GetRequests("thing"), r => Assert.True(r.Conditions.IsTrue("Reconciled"), r.Name));
        Assert.Equal(head + 1, _f.RemoteCommitSubjects().Count);
    }

    private void Setup(string script)
    {
        _f.RegisterGitStore();
        _f.RegisterDestination("dev", "{environment: dev}");
        _f.Platform.InstallPromise(Yaml(Promise(WorkflowSpec(resourceConfigure: [Pipeline("instance", script)]))));
    }

    private static List<string> Names(int count) => Enumerable.Range(1, count).Select(i => $"app-{i}").ToList();

    private (long Start, long End) RunInterval(string name)
    {
        var log = File.ReadAllText(Path.Combine(_f.Home, "workflows", "resource-configure", "thing", "default", name, "instance", "instance-c.log"));
        long Stamp(string key) => long.Parse(log.Split('\n').Single(l => l.StartsWith(key + " ", StringComparison.Ordinal))[(key.Length + 1)..], System.Globalization.CultureInfo.InvariantCulture);
        return (Stamp("start"), Stamp("end"));
    }
}
