using Kratix.Manifests;
using Kratix.Objects;
using Kratix.Pipelines.Runtimes;
using Kratix.Tests.StateStores;
using Kratix.Tests.Workflows;
using static Kratix.Tests.Platforms.PlatformFixture;
using static Kratix.Tests.Workflows.WorkflowPromises;

namespace Kratix.Tests.Platforms;

/// <summary>SyncPlatform in one process: what it re-drives, what it repairs, and that a second run changes nothing.</summary>
[System.Runtime.Versioning.SupportedOSPlatform("linux")]
public sealed class SyncPlatformTests : IDisposable
{
    private const string Path0 = "dev/resources/default/thing/example/instance/5058f/configmap.yaml";
    private const string OtherPath = "dev/resources/default/thing/other/instance/5058f/configmap.yaml";

    private readonly ManualClock _clock = new(new DateTimeOffset(2026, 11, 21, 10, 0, 0, TimeSpan.Zero));
    private readonly PlatformFixture _f;
    private readonly TempDirectory _clones = new();
    private readonly GitRemote _remote;

    public SyncPlatformTests()
    {
        _f = new PlatformFixture(PipelineRuntimes.Create("Host"), _clock);
        _f.RegisterGitStore();
        _f.RegisterDestination("dev", "{environment: dev}");
        _remote = GitRemote.Existing(_clones, _f.Remote);
    }

    public void Dispose()
    {
        _f.Dispose();
        _clones.Dispose();
    }

    [Fact]
    public void On_a_platform_in_its_desired_state_it_runs_nothing_and_commits_nothing()
    {
        InstallThing();
        _f.Platform.SubmitRequest(Yaml(Request()));
        var head = Head();

        var summary = _f.Platform.SyncPlatform();

        Assert.Empty(summary.Failures);
        Assert.Equal((1, 1, 1, 1, 1), (summary.StateStores, summary.Destinations, summary.Promises, summary.Requests, summary.Works));
        Assert.Equal(5, summary.ObjectsReconciled);
        Assert.Equal((0, 0, 0, 0, 0, 0), (summary.PipelinesRun, summary.PlacementsWritten, summary.PlacementsRemoved, summary.WorksRemoved, summary.DeletionsFinished, summary.LeftoversRemoved));
        Assert.Equal(head, Head());
        Assert.True(Assert.Single(_f.Platform.GetRequests()).Conditions.IsTrue("Reconciled"));
    }

    [Fact]
    public void Files_missing_from_the_state_store_are_written_again_in_one_commit()
    {
        InstallThing();
        _f.Platform.SubmitRequest(Yaml(Request()));
        _f.Platform.SubmitRequest(Yaml(Request(name: "other")));
        RemoveFromRemote(Path0); // someone else's commit (or a force-push) dropped it

        var summary = _f.Platform.SyncPlatform();

        Assert.Equal(1, summary.PlacementsWritten);
        Assert.Equal(0, summary.PipelinesRun);
        Assert.Equal("kind: ConfigMap\nmetadata:\n  name: example\n", _f.RemoteFile(Path0));
        Assert.Equal("Update from: " + _f.Platform.GetWorkPlacements("default").Single(p => p.Name.StartsWith("thing-example-", StringComparison.Ordinal)).Name, _f.RemoteCommitSubjects()[0]);
        Assert.Equal(0, _f.Platform.SyncPlatform().PlacementsWritten);
    }

    [Fact]
    public void After_a_force_push_the_next_write_builds_on_the_new_history_and_the_sync_brings_back_what_it_dropped()
    {
        InstallThing();
        _f.Platform.SubmitRequest(Yaml(Request()));
        Assert.NotNull(_f.RemoteFile(Path0));
        var rewritten = _remote.ForcePushNewHistory("history rewritten by hand", ("README.md", "kept by the next write\n"));

        _f.Platform.SubmitRequest(Yaml(Request(name: "other")));

        // The second write sits on the force-pushed commit: what the force-push left is kept, nothing it dropped returns.
        Assert.Equal(rewritten, _remote.Git("rev-parse", "main~1").Trim());
        Assert.Equal("kept by the next write\n", _remote.Show("README.md"));
        Assert.Equal("kind: ConfigMap\nmetadata:\n  name: other\n", _remote.Show(OtherPath));
        Assert.Null(_remote.Show(Path0));
        Assert.Null(_remote.Show("dev/dependencies/kratix-canary-namespace.yaml"));
        // Nothing watches the remote between commands: the first placement still says what its last write achieved.
        var example = _f.Platform.GetWorkPlacements("default").Single(p => p.Name.StartsWith("thing-example-", StringComparison.Ordinal));
        Assert.True(example.Conditions.IsTrue("WriteSucceeded"));

        var summary = _f.Platform.SyncPlatform();

        Assert.Empty(summary.Failures);
        Assert.Equal((0, 1), (summary.PipelinesRun, summary.PlacementsWritten));
        Assert.Equal("kind: ConfigMap\nmetadata:\n  name: example\n", _remote.Show(Path0));
        Assert.NotNull(_remote.Show("dev/dependencies/kratix-canary-namespace.yaml"));
        Assert.NotNull(_remote.Show(OtherPath));
        Assert.Equal("kept by the next write\n", _remote.Show("README.md"));
        Assert.Equal("history rewritten by hand", _remote.Subjects()[^1]);
        Assert.Equal(_remote.Head(), _f.Platform.GetWorkPlacements("default").Single(p => p.Name == example.Name).VersionId);
        AssertNoOp();
    }

    [Fact]
    public void An_external_commit_between_writes_is_built_upon_and_leaves_the_sync_nothing_to_commit()
    {
        InstallThing();
        _f.Platform.SubmitRequest(Yaml(Request()));
        var external = _remote.CommitExternally("notes by hand", ("dev/NOTES.md", "not Kratix's\n"));

        _f.Platform.SubmitRequest(Yaml(Request(name: "other")));

        Assert.Equal(external, _remote.Git("rev-parse", "main~1").Trim());
        Assert.Equal("not Kratix's\n", _remote.Show("dev/NOTES.md"));
        Assert.NotNull(_remote.Show(Path0));
        Assert.NotNull(_remote.Show(OtherPath));

        var summary = _f.Platform.SyncPlatform();

        Assert.Empty(summary.Failures);
        Assert.Equal(0, summary.PlacementsWritten);
        Assert.Equal("not Kratix's\n", _remote.Show("dev/NOTES.md"));
        AssertNoOp();
    }

    [Fact]
    public void A_hand_edit_of_a_file_kratix_wrote_is_undone_by_the_sync_and_other_files_are_left_alone()
    {
        InstallThing();
        _f.Platform.SubmitRequest(Yaml(Request()));
        _remote.CommitExternally("hand edit", (Path0, "kind: ConfigMap\nmetadata:\n  name: edited\n"), ("dev/NOTES.md", "not Kratix's\n"));

        var summary = _f.Platform.SyncPlatform();

        Assert.Equal(1, summary.PlacementsWritten);
        Assert.Equal("kind: ConfigMap\nmetadata:\n  name: example\n", _remote.Show(Path0));
        Assert.Equal("not Kratix's\n", _remote.Show("dev/NOTES.md"));
        Assert.StartsWith("Update from: thing-example-", _remote.Subjects()[0], StringComparison.Ordinal);
        AssertNoOp();
    }

    [Fact]
    public void Works_and_placements_whose_owner_is_gone_are_removed_with_their_files()
    {
        InstallThing();
        _f.Platform.SubmitRequest(Yaml(Request()));
        _f.Platform.SubmitRequest(Yaml(Request(name: "other")));
        // A removal that lost the request but not its Work, and a placement whose Work went but it did not.
        File.Delete(Path.Combine(_f.Home, "objects", "things.test.kratix.io", "default", "example.yaml"));
        var otherWork = _f.Platform.GetWorks("default").Single(w => w.GetLabel(KratixApi.ResourceNameLabel) == "other");
        File.Delete(Path.Combine(_f.Home, "objects", "works.platform.kratix.io", "default", otherWork.Name + ".yaml"));

        var summary = _f.Platform.SyncPlatform();

        Assert.Empty(summary.Failures);
        Assert.Equal(1, summary.WorksRemoved);
        Assert.Equal(2, summary.PlacementsRemoved);
        Assert.Null(_f.RemoteFile(Path0));
        // "other" still exists: its workflow ran again (its Work was missing) and its files are back where they were.
        Assert.Equal(1, summary.PipelinesRun);
        var other = Assert.Single(_f.Platform.GetRequests());
        Assert.True(other.Conditions.IsTrue("Reconciled"));
        Assert.Single(_f.Platform.GetWorks("default"));
        Assert.Single(_f.Platform.GetWorkPlacements("default"));
        Assert.NotNull(_f.RemoteFile("dev/resources/default/thing/other/instance/5058f/configmap.yaml"));
        AssertNoOp();
    }

    [Fact]
    public void A_suspended_workflow_resumes_once_its_retry_time_has_come_and_not_before()
    {
        _f.Platform.InstallPromise(Yaml(Promise(WorkflowSpec(resourceConfigure: [Pipeline("flaky", """
            if grep -q 'attempts: 1' /kratix/input/object.yaml; then echo done > /kratix/output/done.txt; exit 0; fi
            printf 'retryAfter: 5m\nmessage: not yet\n' > /kratix/metadata/workflow-control.yaml
            """)]))));
        var request = _f.Platform.SubmitRequest(Yaml(Request()));
        Assert.Equal("true", request.GetLabel(KratixApi.WorkflowSuspendedLabel));

        _clock.Advance(TimeSpan.FromMinutes(1));
        Assert.Equal(0, _f.Platform.SyncPlatform().PipelinesRun);

        _clock.Advance(TimeSpan.FromMinutes(5));
        var summary = _f.Platform.SyncPlatform();

        Assert.Equal(1, summary.PipelinesRun);
        Assert.Equal(1, summary.PlacementsWritten);
        request = Assert.Single(_f.Platform.GetRequests());
        Assert.True(request.Conditions.IsTrue("Reconciled"), ManifestWriter.ToYaml(request.Node));
        Assert.Null(request.GetLabel(KratixApi.WorkflowSuspendedLabel));
        Assert.Equal("done\n", _f.RemoteFile("dev/resources/default/thing/example/flaky/5058f/done.txt"));
        AssertNoOp();
    }

    [Fact]
    public void A_failed_workflow_is_reported_and_not_rerun()
    {
        _f.Platform.InstallPromise(Yaml(Promise(WorkflowSpec(resourceConfigure: [Pipeline("broken", "exit 3")]))));
        _f.Platform.SubmitRequest(Yaml(Request()));

        var summary = _f.Platform.SyncPlatform();

        Assert.Equal(0, summary.PipelinesRun);
        var failure = Assert.Single(summary.Failures);
        Assert.StartsWith("Thing \"default/example\": A Configure Pipeline has failed: broken", failure, StringComparison.Ordinal);
    }

    [Fact]
    public void A_state_store_that_cannot_be_reached_is_reported_and_the_rest_still_syncs()
    {
        InstallThing();
        _f.Platform.SubmitRequest(Yaml(Request()));
        Directory.Move(_f.Remote, _f.Remote + ".away");

        var summary = _f.Platform.SyncPlatform();

        Assert.Contains(summary.Failures, f => f.StartsWith("GitStateStore \"default\": ", StringComparison.Ordinal));
        Assert.Contains(summary.Failures, f => f.StartsWith("Destination \"dev\": ", StringComparison.Ordinal));
        Assert.Equal(1, summary.Requests);

        Directory.Move(_f.Remote + ".away", _f.Remote);
        var healed = _f.Platform.SyncPlatform();
        Assert.Empty(healed.Failures);
        Assert.True(Assert.Single(_f.Platform.GetRequests()).Conditions.IsTrue("Reconciled"));
    }

    [Fact]
    public void A_removal_marked_as_begun_is_finished_without_running_the_delete_pipeline_again()
    {
        _f.Platform.InstallPromise(Yaml(Promise(WorkflowSpec(
            resourceConfigure: [Pipeline("instance", "echo x > /kratix/output/x.yaml")],
            resourceDelete: [Pipeline("teardown", "echo bye")]))));
        _f.Platform.SubmitRequest(Yaml(Request()));
        var stored = Path.Combine(_f.Home, "objects", "things.test.kratix.io", "default", "example.yaml");
        var text = File.ReadAllText(stored);
        File.WriteAllText(stored, text.Replace("metadata:\n", "metadata:\n  deletionTimestamp: \"2026-11-21T10:00:00Z\"\n", StringComparison.Ordinal));
        Assert.True(Assert.Single(_f.Platform.GetRequests()).IsBeingDeleted);

        var summary = _f.Platform.SyncPlatform();

        Assert.Equal(1, summary.DeletionsFinished);
        Assert.Equal(0, summary.PipelinesRun);
        Assert.Empty(_f.Platform.GetRequests());
        Assert.Empty(_f.Platform.GetWorks("default"));
        Assert.Null(_f.RemoteFile("dev/resources/default/thing/example/instance/5058f/x.yaml"));
        AssertNoOp();
    }

    [Fact]
    public void Submitting_a_request_whose_removal_was_interrupted_finishes_the_removal_first()
    {
        InstallThing();
        _f.Platform.SubmitRequest(Yaml(Request(size: "small")));
        var stored = Path.Combine(_f.Home, "objects", "things.test.kratix.io", "default", "example.yaml");
        File.WriteAllText(stored, File.ReadAllText(stored).Replace("metadata:\n", "metadata:\n  deletionTimestamp: \"2026-11-21T10:00:00Z\"\n", StringComparison.Ordinal));
        var uid = Assert.Single(_f.Platform.GetRequests()).Uid;

        var request = _f.Platform.SubmitRequest(Yaml(Request(size: "large")));

        Assert.NotEqual(uid, request.Uid);
        Assert.Null(request.DeletionTimestamp);
        Assert.True(request.Conditions.IsTrue("Reconciled"));
        Assert.Single(_f.Platform.GetWorks("default"));
        Assert.Contains(_f.Log.Drain(), m => m.Message.Contains("was being removed when a previous command stopped", StringComparison.Ordinal));
    }

    [Fact]
    public void A_deletion_timestamp_in_a_submitted_manifest_is_ignored()
    {
        InstallThing();
        var request = _f.Platform.SubmitRequest(Yaml(Request().Replace("metadata:\n", "metadata:\n  deletionTimestamp: \"2026-11-21T10:00:00Z\"\n", StringComparison.Ordinal)));

        Assert.Null(request.DeletionTimestamp);
        Assert.True(request.Conditions.IsTrue("Reconciled"));
    }

    private void InstallThing() =>
        _f.Platform.InstallPromise(Yaml(Promise(WorkflowSpec(resourceConfigure: [
            Pipeline("instance", "printf 'kind: ConfigMap\\nmetadata:\\n  name: %s\\n' \"$KRATIX_OBJECT_NAME\" > /kratix/output/configmap.yaml")]))));

    private void AssertNoOp()
    {
        var head = Head();
        var again = _f.Platform.SyncPlatform();
        Assert.Empty(again.Failures);
        Assert.Equal((0, 0, 0, 0), (again.PipelinesRun, again.PlacementsWritten, again.PlacementsRemoved, again.WorksRemoved));
        Assert.Equal(head, Head());
    }

    private string Head() => TryGit(_f.Root, "--git-dir", _f.Remote, "rev-parse", "main").Output.Trim();

    private void RemoveFromRemote(string path)
    {
        var clone = Path.Combine(_f.Root, "clone-" + Guid.NewGuid().ToString("N")[..8]);
        Git(_f.Root, "clone", "--quiet", _f.Remote, clone);
        Git(clone, "rm", "--quiet", path);
        Git(clone, "-c", "user.name=someone", "-c", "user.email=someone@example.com", "commit", "--quiet", "-m", "someone removed a file");
        Git(clone, "push", "--quiet", "origin", "main");
    }
}
