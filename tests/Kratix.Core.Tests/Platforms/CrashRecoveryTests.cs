using System.Text.Json.Nodes;
using Kratix.Manifests;
using Kratix.Objects;
using Kratix.Pipelines.Runtimes;
using Kratix.Platforms;
using Kratix.Platforms.Embedded;
using static Kratix.Tests.Platforms.PlatformFixture;
using static Kratix.Tests.Workflows.WorkflowPromises;

namespace Kratix.Tests.Platforms;

/// <summary>
/// A process killed at each crash point (tests/Kratix.TestHarness, a real separate process, SIGKILLs itself there) leaves
/// a platform that the next command repairs: SyncPlatform, run in this process as a new session would, ends with every
/// request Reconciled and its files on the bare remote, nothing duplicated, no leftovers, and a second SyncPlatform that
/// runs no pipeline and makes no commit.
/// </summary>
[System.Runtime.Versioning.SupportedOSPlatform("linux")]
public sealed class CrashRecoveryTests : IDisposable
{
    private const string ConfigMapScript = """
        printf 'kind: ConfigMap\nmetadata:\n  name: %s\ndata:\n  size: %s\n' "$KRATIX_OBJECT_NAME" "$(grep 'size:' /kratix/input/object.yaml | head -1 | sed 's/.*size: //')" > /kratix/output/configmap.yaml
        """;

    private readonly PlatformFixture _f = new(PipelineRuntimes.Create("Host"));
    private readonly string _template;

    public CrashRecoveryTests()
    {
        // The harness opens the platform as the cmdlets do: with the runtime its platform.yaml names.
        PlatformSettings.Load(_f.Home).With(runtime: "Host").Save(_f.Home);
        _f.RegisterGitStore();
        _f.RegisterDestination("dev", "{environment: dev}");
        _f.Platform.InstallPromise(Yaml(Promise(WorkflowSpec(
            resourceConfigure: [Pipeline("instance", ConfigMapScript)],
            resourceDelete: [Pipeline("teardown", "echo bye")]))));
        _template = Path.Combine(_f.Root, "request.yaml");
        File.WriteAllText(_template, Request(name: "{name}", size: "small"));
    }

    public void Dispose()
    {
        _f.Dispose();
        if (Directory.Exists(PlatformContext.DefaultWorkspaceRoot(_f.Home)))
        {
            Directory.Delete(PlatformContext.DefaultWorkspaceRoot(_f.Home), recursive: true);
        }
    }

    /// <summary>Crash points reached while submitting requests, and which hit kills the harness (the second request's, mostly).</summary>
    public static TheoryData<string> SubmitCrashes => new()
    {
        CrashPoints.ObjectSaved + "#2",          // the request is saved; its workflow never ran
        CrashPoints.PipelineRan + "#2",          // its pipeline ran; the workspace with its output is left in the workspace root
        CrashPoints.RunLogsWritten + "#2",       // the run's logs are written; its run record is not
        CrashPoints.RunRecorded + "#2",          // the run is recorded (pending); no Work saved
        CrashPoints.WorkSaved + "#2",            // the Work is saved; no placement scheduled or written
        CrashPoints.GitCommitted + "#2",         // the placement's commit is in the local bare repository; not pushed
        CrashPoints.GitPushed + "#2",            // pushed; the placement is not recorded as written, the request's status not saved
        CrashPoints.AtomicFileTempWritten + "#3",  // mid-write of an object or run record: a temporary file is left
        CrashPoints.AtomicFileTempWritten + "#8",
        CrashPoints.AtomicFileTempWritten + "#13",
        CrashPoints.BatchSynced + "#3",          // a group commit's files are written and synced, none renamed into place
        CrashPoints.BatchRenamed + "#5",         // half-way through a group commit's renames
        CrashPoints.BatchRenamed + "#9",
    };

    [Theory]
    [MemberData(nameof(SubmitCrashes))]
    public async Task A_submit_killed_at_any_point_is_repaired_by_the_next_sync(string crashAt)
    {
        var (code, stdout, stderr) = await Harness.RunAsync(crashAt, "submit-file", _f.Home, "req", "3", _template);
        Assert.True(code == Harness.KilledExitCode, $"the harness was not killed at {crashAt} (exit code {code}): {stdout}{stderr}");
        var acknowledged = Acknowledged(stdout, "submitted");

        using var recovered = Recover(out var summary);
        var requests = recovered.GetRequests("thing");
        Assert.All(acknowledged, name => Assert.Contains(requests, r => r.Name == name));
        Assert.All(requests, r => Assert.Contains(r.Name, new[] { "req-0", "req-1", "req-2" }));
        AssertEveryRequestDelivered(recovered, requests);
        Assert.True(summary.PipelinesRun <= 1, $"only the interrupted request's workflow should run again, but {summary.PipelinesRun} pipelines ran");

        AssertSecondSyncIsANoOp(recovered);
        AssertLaterCommandsWork(recovered);
    }

    /// <summary>Crash points reached while submitting four requests together (one operation), in the order it reaches them.</summary>
    public static TheoryData<string> BatchCrashes => new()
    {
        CrashPoints.ObjectSaved + "#3",          // three requests saved, one not; no workflow ran
        CrashPoints.PipelineRan + "#2",          // the workflows run side by side: some ran, their results kept nowhere
        CrashPoints.WorkSaved + "#3",            // three Works saved, nothing written to the store
        CrashPoints.GitCommitted + "#1",         // every placement committed locally, not pushed
        CrashPoints.GitPushed + "#1",            // every file on the remote; no placement, Work or request says so yet
        CrashPoints.AtomicFileTempWritten + "#20", // while the statuses after the push are being saved
        CrashPoints.BatchSynced + "#2",          // the Works' group commit is synced, nothing renamed, nothing pushed
        CrashPoints.BatchRenamed + "#6",         // half-way through the Works' group commit, before the push
        CrashPoints.BatchRenamed + "#14",        // half-way through the statuses' group commit, after the push
    };

    [Theory]
    [MemberData(nameof(BatchCrashes))]
    public async Task A_batch_submit_killed_at_any_point_is_repaired_by_the_next_sync(string crashAt)
    {
        var (code, stdout, stderr) = await Harness.RunAsync(crashAt, "submit-batch", _f.Home, "req", "4", _template);
        Assert.True(code == Harness.KilledExitCode, $"the harness was not killed at {crashAt} (exit code {code}): {stdout}{stderr}");
        Assert.Empty(Acknowledged(stdout, "submitted")); // the operation never returned

        using var recovered = Recover(out var summary);
        var requests = recovered.GetRequests("thing");
        Assert.All(requests, r => Assert.Contains(r.Name, new[] { "req-0", "req-1", "req-2", "req-3" }));
        AssertEveryRequestDelivered(recovered, requests);
        Assert.True(summary.PipelinesRun <= requests.Count, $"at most one run per request, but {summary.PipelinesRun} pipelines ran for {requests.Count} requests");

        AssertSecondSyncIsANoOp(recovered);
        AssertLaterCommandsWork(recovered);
    }

    /// <summary>Crash points reached while removing a request, and whether the removal had begun (so the sync finishes it).</summary>
    public static TheoryData<string, bool> RemoveCrashes => new()
    {
        { CrashPoints.PipelineRan + "#1", false },           // the delete pipeline ran: the removal had not begun, the request stays
        { CrashPoints.AtomicFileTempWritten + "#2", false }, // mid-write of the deletion mark (#1 is the delete run's record)
        { CrashPoints.DeletionMarked + "#1", true },         // marked for deletion; nothing removed yet
        { CrashPoints.GitCommitted + "#1", true },           // its files' removal committed locally, not pushed
        { CrashPoints.GitPushed + "#1", true },              // its files are gone from the remote; its Work and placement are not
    };

    [Theory]
    [MemberData(nameof(RemoveCrashes))]
    public async Task A_removal_killed_at_any_point_is_finished_or_undone_by_the_next_sync(string crashAt, bool began)
    {
        _f.Platform.SubmitRequest(Yaml(Request(name: "keep")));
        _f.Platform.SubmitRequest(Yaml(Request(name: "gone")));

        var (code, stdout, stderr) = await Harness.RunAsync(crashAt, "remove", _f.Home, "thing", "default", "gone");
        Assert.True(code == Harness.KilledExitCode, $"the harness was not killed at {crashAt} (exit code {code}): {stdout}{stderr}");

        using var recovered = Recover(out _);
        var requests = recovered.GetRequests("thing");
        Assert.Contains(requests, r => r.Name == "keep");
        Assert.Equal(!began, requests.Any(r => r.Name == "gone"));
        AssertEveryRequestDelivered(recovered, requests);
        if (began)
        {
            Assert.DoesNotContain(_f.RemoteFiles(), f => f.Contains("/gone/", StringComparison.Ordinal));
        }

        AssertSecondSyncIsANoOp(recovered);
        AssertLaterCommandsWork(recovered);
    }

    /// <summary>Crash points reached while installing a Promise with a promise.configure workflow.</summary>
    public static TheoryData<string> InstallCrashes => new()
    {
        CrashPoints.ObjectSaved + "#1",
        CrashPoints.RunRecorded + "#1",
        CrashPoints.GitPushed + "#1",
    };

    [Theory]
    [MemberData(nameof(InstallCrashes))]
    public async Task An_install_killed_at_any_point_is_repaired_by_the_next_sync(string crashAt)
    {
        var file = Path.Combine(_f.Root, "gadget.yaml");
        File.WriteAllText(file, Promise(WorkflowSpec(
            promiseConfigure: [Pipeline("setup", "printf 'kind: Namespace\\nmetadata:\\n  name: gadgets\\n' > /kratix/output/namespace.yaml")],
            resourceConfigure: [Pipeline("instance", ConfigMapScript)]), name: "gadget"));

        var (code, stdout, stderr) = await Harness.RunAsync(crashAt, "install", _f.Home, file);
        Assert.True(code == Harness.KilledExitCode, $"the harness was not killed at {crashAt} (exit code {code}): {stdout}{stderr}");

        using var recovered = Recover(out _);
        var gadget = Assert.Single(recovered.GetPromises(), p => p.Name == "gadget");
        Assert.True(gadget.Conditions.IsTrue("Available"), ManifestWriter.ToYaml(gadget.Node));
        Assert.True(gadget.Conditions.IsTrue("Reconciled"), ManifestWriter.ToYaml(gadget.Node));
        Assert.Equal("kind: Namespace\nmetadata:\n  name: gadgets\n", _f.RemoteFile("dev/dependencies/gadget/setup/5058f/namespace.yaml"));
        Assert.Single(recovered.GetWorks(KratixApi.SystemNamespace), w => w.GetLabel(KratixApi.PromiseNameLabel) == "gadget");

        AssertSecondSyncIsANoOp(recovered);
    }

    [Fact]
    public async Task Every_crash_point_is_covered_by_a_test()
    {
        var covered = SubmitCrashes.Concat<object[]>(RemoveCrashes).Concat(InstallCrashes).Select(row => ((string)row[0]).Split('#')[0]).ToHashSet();
        Assert.DoesNotContain(CrashPoints.All, p => !covered.Contains(p));

        // And an unknown point is refused rather than silently never reached.
        var (code, _, stderr) = await Harness.RunAsync("no-such-point", "sync", _f.Home);
        Assert.NotEqual(0, code);
        Assert.Contains("Unknown crash point", stderr, StringComparison.Ordinal);
    }

    [Fact]
    public void A_stale_git_lock_and_leftover_temporary_files_do_not_break_the_next_command()
    {
        _f.Platform.SubmitRequest(Yaml(Request(name: "before")));
        var cache = Path.Combine(_f.Home, "cache", "gitstatestores", "default");
        var shallowLock = Path.Combine(cache, "shallow.lock");
        var refLock = Path.Combine(cache, "refs", "remotes", "origin", "main.lock");
        foreach (var file in new[] { shallowLock, refLock })
        {
            File.WriteAllText(file, string.Empty);
            File.SetLastWriteTimeUtc(file, DateTime.UtcNow.AddHours(-1)); // left by a git process that died an hour ago
        }

        var requestFolder = Path.Combine(_f.Home, "objects", "things.test.kratix.io", "default");
        var temp = Path.Combine(requestFolder, $".before.yaml.{Guid.NewGuid():N}.tmp");
        File.WriteAllText(temp, "apiVersion: half");
        Assert.Single(_f.Platform.GetRequests("thing")); // readers ignore it

        var summary = _f.Platform.SyncPlatform();

        Assert.Empty(summary.Failures);
        Assert.Equal(1, summary.LeftoversRemoved);
        Assert.False(File.Exists(temp));
        Assert.False(File.Exists(shallowLock));
        Assert.False(File.Exists(refLock));
        var after = _f.Platform.SubmitRequest(Yaml(Request(name: "after")));
        Assert.True(after.Conditions.IsTrue("Reconciled"));
        Assert.NotNull(_f.RemoteFile("dev/resources/default/thing/after/instance/5058f/configmap.yaml"));
    }

    /// <summary>Opens the platform as the next command would, checks that nothing is left that breaks it, and syncs.</summary>
    private EmbeddedPlatform Recover(out PlatformSyncSummary summary)
    {
        var log = new CollectingPlatformLog();
        var platform = new EmbeddedPlatform(EmbeddedPlatform.OptionsFor(_f.Home, log));
        summary = platform.SyncPlatform();
        Assert.True(summary.Failures.Count == 0, string.Join("\n", summary.Failures));
        Assert.DoesNotContain(Directory.GetFiles(_f.Home, "*.tmp", SearchOption.AllDirectories), f => !f.Contains("/cache/", StringComparison.Ordinal));
        var workspaces = PlatformContext.DefaultWorkspaceRoot(_f.Home);
        Assert.True(!Directory.Exists(workspaces) || Directory.GetFileSystemEntries(workspaces).Length == 0, "a pipeline workspace was left behind");
        return platform;
    }

    /// <summary>Each request Reconciled, with exactly one Work and one placement, and exactly its file on the remote.</summary>
    private void AssertEveryRequestDelivered(EmbeddedPlatform platform, IReadOnlyList<ResourceRequest> requests)
    {
        var remote = _f.RemoteFiles().Where(f => f.StartsWith("dev/resources/", StringComparison.Ordinal) && !f.Contains("kratix-canary", StringComparison.Ordinal)).ToList();
        var works = platform.GetWorks("default");
        var placements = platform.GetWorkPlacements("default");
        foreach (var request in requests)
        {
            Assert.True(request.Conditions.IsTrue("Reconciled"), ManifestWriter.ToYaml(request.Node));
            Assert.Null(request.DeletionTimestamp);
            var work = Assert.Single(works, w => w.GetLabel(KratixApi.ResourceNameLabel) == request.Name);
            var placement = Assert.Single(placements, p => p.WorkName == work.Name);
            Assert.True(placement.Conditions.IsTrue("WriteSucceeded"));
            Assert.Equal(
                $"kind: ConfigMap\nmetadata:\n  name: {request.Name}\ndata:\n  size: small\n",
                _f.RemoteFile($"dev/resources/default/thing/{request.Name}/instance/5058f/configmap.yaml"));
        }

        Assert.Equal(requests.Count, works.Count);
        Assert.Equal(requests.Count, placements.Count);
        Assert.Equal(requests.Count, remote.Count);
    }

    /// <summary>A second sync finds everything in place: no pipeline, no commit, no run record rewritten.</summary>
    private void AssertSecondSyncIsANoOp(EmbeddedPlatform platform)
    {
        var head = Head();
        var records = RunRecords();

        var again = platform.SyncPlatform();

        Assert.Empty(again.Failures);
        Assert.Equal(0, again.PipelinesRun);
        Assert.Equal(0, again.PlacementsWritten);
        Assert.Equal(0, again.PlacementsRemoved);
        Assert.Equal(0, again.WorksRemoved);
        Assert.Equal(0, again.DeletionsFinished);
        Assert.Equal(0, again.LeftoversRemoved);
        Assert.Equal(head, Head());
        Assert.Equal(records, RunRecords());
    }

    private void AssertLaterCommandsWork(EmbeddedPlatform platform)
    {
        var later = platform.SubmitRequest(Yaml(Request(name: "later")));
        Assert.True(later.Conditions.IsTrue("Reconciled"), ManifestWriter.ToYaml(later.Node));
        Assert.NotNull(_f.RemoteFile("dev/resources/default/thing/later/instance/5058f/configmap.yaml"));
    }

    private string Head() => TryGit(_f.Root, "--git-dir", _f.Remote, "rev-parse", "main").Output.Trim();

    private SortedDictionary<string, string> RunRecords()
    {
        var folder = Path.Combine(_f.Home, "workflows");
        var records = new SortedDictionary<string, string>(StringComparer.Ordinal);
        foreach (var file in Directory.Exists(folder) ? Directory.GetFiles(folder, "*.yaml", SearchOption.AllDirectories) : [])
        {
            records[Path.GetRelativePath(folder, file)] = File.ReadAllText(file);
        }

        return records;
    }

    private static HashSet<string> Acknowledged(string stdout, string verb) =>
        stdout.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)
            .Where(l => l.StartsWith(verb + " ", StringComparison.Ordinal))
            .Select(l => l[(verb.Length + 1)..])
            .ToHashSet(StringComparer.Ordinal);
}
