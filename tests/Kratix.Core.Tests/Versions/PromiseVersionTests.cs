using System.Text.Json.Nodes;
using Kratix.Objects;
using Kratix.Pipelines.Runtimes;
using Kratix.Platforms.Embedded;
using Kratix.Tests.Platforms;
using static Kratix.Tests.Platforms.PlatformFixture;
using static Kratix.Tests.Versions.VersionPromises;
using static Kratix.Tests.Workflows.WorkflowPromises;

namespace Kratix.Tests.Versions;

/// <summary>
/// Promise versions on the embedded platform (behaviour.md 5.1 step 4, 5.2 steps 3 and 6, 5.3, section 6; upstream's
/// promise, promiserevision, resourcebinding and dynamic request controllers): workflows run by the Host runtime over
/// real bubblewrap sandboxes, output written to a real bare git remote.
/// </summary>
[System.Runtime.Versioning.SupportedOSPlatform("linux")]
public sealed class PromiseVersionTests : IDisposable
{
    private readonly PlatformFixture _f;

    public PromiseVersionTests()
    {
        _f = new PlatformFixture(PipelineRuntimes.Create("Host"));
        _f.RegisterGitStore();
        _f.RegisterDestination("dev", "{environment: dev}");
    }

    public void Dispose() => _f.Dispose();

    private string? Ran(string request = "example") => _f.RemoteFile($"dev/resources/default/thing/{request}/instance/5058f/version.txt")?.Trim();

    private KubeObject Binding(string request = "example") => Assert.Single(_f.Platform.GetResourceBindings("thing"), b => b.Spec["resourceRef"]?["name"]?.ToString() == request);

    private ResourceRequest Request(string name = "example") => Assert.Single(_f.Platform.GetRequests("thing"), r => r.Name == name);

    [Fact]
    public void Each_version_gets_a_revision_named_by_the_md5_of_the_version_and_the_newest_is_latest()
    {
        _f.Platform.InstallPromise(Yaml(Thing("v1.0.0")));
        var first = Assert.Single(_f.Platform.GetPromiseRevisions("thing"));
        Assert.Equal("thing-" + GeneratedNames.Md5("v1.0.0")[..5], first.Name);
        Assert.Equal("v1.0.0", first.Spec.GetString("version"));
        Assert.Equal("thing", first.Spec["promiseRef"]?["name"]?.ToString());
        Assert.Equal("thing", first.GetLabel("kratix.io/promise-name"));
        Assert.Equal("true", first.GetLabel("kratix.io/latest-revision"));
        Assert.True(first.Status.GetBool("latest"));
        Assert.True(Kratix.Manifests.JsonValues.DeepEquals(_f.Platform.GetPromises().Single().Spec, first.Spec["promiseSpec"]));

        _f.Platform.InstallPromise(Yaml(Thing("v2.0.0")));
        var revisions = _f.Platform.GetPromiseRevisions("thing");
        Assert.Equal(2, revisions.Count);
        var v1 = Assert.Single(revisions, r => r.Spec.GetString("version") == "v1.0.0");
        var v2 = Assert.Single(revisions, r => r.Spec.GetString("version") == "v2.0.0");
        Assert.Null(v1.GetLabel("kratix.io/latest-revision"));
        Assert.False(v1.Status.GetBool("latest"));
        Assert.Equal("true", v2.GetLabel("kratix.io/latest-revision"));
        Assert.True(v2.Status.GetBool("latest"));
        Assert.Contains("echo v1.0.0", v1.Spec["promiseSpec"]!.ToJsonString(), StringComparison.Ordinal);
        Assert.Contains("echo v2.0.0", v2.Spec["promiseSpec"]!.ToJsonString(), StringComparison.Ordinal);
    }

    [Fact]
    public void The_reconciliation_interval_annotation_is_mirrored_onto_the_latest_revision_and_a_request_uses_its_revisions()
    {
        static string Annotated(string yaml, string interval) =>
            yaml.Replace("  labels:\n", $"  annotations:\n    kratix.io/reconciliation-interval: {interval}\n  labels:\n", StringComparison.Ordinal);

        _f.Platform.InstallPromise(Yaml(Annotated(Thing("v1.0.0"), "2h")));
        _f.Platform.InstallPromise(Yaml(Thing("v2.0.0")));
        var revisions = _f.Platform.GetPromiseRevisions("thing");
        var v1 = Assert.Single(revisions, r => r.Spec.GetString("version") == "v1.0.0");
        var v2 = Assert.Single(revisions, r => r.Spec.GetString("version") == "v2.0.0");
        Assert.Equal("2h", v1.GetAnnotation("kratix.io/reconciliation-interval")); // kept from when it was the latest
        Assert.Null(v2.GetAnnotation("kratix.io/reconciliation-interval"));         // the Promise no longer has one

        // A request bound to v1 runs with v1's annotation; one following latest with none, whatever the live Promise says.
        var live = _f.Platform.GetPromises().Single();
        live.SetAnnotation("kratix.io/reconciliation-interval", "5h");
        var atV1 = Kratix.Platforms.Embedded.Revisions.AtRevision(live, v1);
        var atV2 = Kratix.Platforms.Embedded.Revisions.AtRevision(live, v2);
        Assert.Equal(TimeSpan.FromHours(2), Kratix.Platforms.Embedded.ReconciliationSchedule.IntervalOf(atV1, TimeSpan.FromHours(10)).Interval);
        Assert.Equal(TimeSpan.FromHours(10), Kratix.Platforms.Embedded.ReconciliationSchedule.IntervalOf(atV2, TimeSpan.FromHours(10)).Interval);
    }

    [Fact]
    public void A_promise_without_the_version_label_has_one_not_set_revision()
    {
        _f.Platform.InstallPromise(Yaml(Thing("v1.0.0").Replace("    kratix.io/promise-version: v1.0.0\n", string.Empty, StringComparison.Ordinal).Replace("  labels:\n", "  labels: {}\n", StringComparison.Ordinal)));
        var revision = Assert.Single(_f.Platform.GetPromiseRevisions("thing"));
        Assert.Equal("thing-" + GeneratedNames.Md5("not-set")[..5], revision.Name);
        Assert.Equal("not-set", revision.Spec.GetString("version"));
    }

    [Fact]
    public void A_request_gets_a_binding_named_and_labelled_as_upstream_and_its_status_says_which_version_ran()
    {
        _f.Platform.InstallPromise(Yaml(Thing("v1.0.0")));
        var request = _f.Platform.SubmitRequest(Yaml(Workflows.WorkflowPromises.Request()));

        var binding = Binding();
        Assert.Equal("example-thing-" + GeneratedNames.Md5("example-thing")[..5], binding.Name);
        Assert.Equal("default", binding.Namespace);
        Assert.Equal("thing", binding.GetLabel("kratix.io/promise-name"));
        Assert.Equal("example", binding.GetLabel("kratix.io/resource-name"));
        Assert.Equal("latest", binding.Spec.GetString("version"));
        Assert.Equal("thing", binding.Spec["promiseRef"]?["name"]?.ToString());
        Assert.Equal("default", binding.Spec["resourceRef"]?["namespace"]?.ToString());
        Assert.Equal("v1.0.0", binding.Status.GetString("lastAppliedVersion"));
        var upgrade = binding.Conditions.Get("UpgradeSucceeded")!;
        Assert.Equal(("True", "UpgradeComplete", "Resource is at version v1.0.0"), (upgrade.Status, upgrade.Reason, upgrade.Message));
        Assert.Equal("v1.0.0", request.Status.GetString("promiseVersion"));
        Assert.Equal("latest", request.Status.GetString("resourceBindingVersion"));
        Assert.Equal("v1.0.0", Ran());
    }

    [Fact]
    public void A_floating_request_runs_the_new_versions_workflow_when_the_promise_is_upgraded()
    {
        _f.Platform.InstallPromise(Yaml(Thing("v1.0.0")));
        _f.Platform.SubmitRequest(Yaml(Workflows.WorkflowPromises.Request()));

        _f.Platform.InstallPromise(Yaml(Thing("v2.0.0")));

        Assert.Equal("v2.0.0", Ran());
        Assert.Equal("v2.0.0", Request().Status.GetString("promiseVersion"));
        Assert.Equal("latest", Request().Status.GetString("resourceBindingVersion"));
        Assert.Equal("v2.0.0", Binding().Status.GetString("lastAppliedVersion"));
        Assert.Equal("Resource is at version v2.0.0", Binding().Conditions.Get("UpgradeSucceeded")!.Message);
    }

    [Fact]
    public void A_version_label_change_alone_moves_the_floating_requests_to_the_new_revision()
    {
        // Same spec, new label: no generation change, yet the latest revision is new and the request follows it.
        _f.Platform.InstallPromise(Yaml(Thing("v1.0.0")));
        _f.Platform.SubmitRequest(Yaml(Workflows.WorkflowPromises.Request()));
        _f.Platform.InstallPromise(Yaml(Thing("v1.0.0").Replace("kratix.io/promise-version: v1.0.0", "kratix.io/promise-version: v1.0.1", StringComparison.Ordinal)));

        Assert.Equal("v1.0.1", Request().Status.GetString("promiseVersion"));
        Assert.Equal("v1.0.1", Binding().Status.GetString("lastAppliedVersion"));
    }

    [Fact]
    public void Binding_a_request_to_an_older_version_runs_that_revisions_workflow_and_latest_moves_it_back()
    {
        _f.Platform.InstallPromise(Yaml(Thing("v1.0.0")));
        _f.Platform.SubmitRequest(Yaml(Workflows.WorkflowPromises.Request()));
        _f.Platform.InstallPromise(Yaml(Thing("v2.0.0")));
        Assert.Equal("v2.0.0", Ran());

        var downgraded = _f.Platform.SetRequestVersion("thing", "default", "example", "v1.0.0");

        Assert.Equal("v1.0.0", Ran());
        Assert.Equal("v1.0.0", downgraded.Status.GetString("promiseVersion"));
        Assert.Equal("v1.0.0", downgraded.Status.GetString("resourceBindingVersion"));
        Assert.Equal("v1.0.0", Binding().Spec.GetString("version"));
        Assert.Equal("v1.0.0", Binding().Status.GetString("lastAppliedVersion"));
        Assert.Equal(("True", "UpgradeComplete"), (Binding().Conditions.Get("UpgradeSucceeded")!.Status, Binding().Conditions.Get("UpgradeSucceeded")!.Reason));

        // A spec change of the Promise re-runs every request, the pinned one with its own revision.
        _f.Platform.InstallPromise(Yaml(Thing("v3.0.0")));
        Assert.Equal("v1.0.0", Ran());
        Assert.Equal("v1.0.0", Request().Status.GetString("promiseVersion"));

        var floating = _f.Platform.SetRequestVersion("thing", "default", "example", "latest");
        Assert.Equal("v3.0.0", Ran());
        Assert.Equal("v3.0.0", floating.Status.GetString("promiseVersion"));
        Assert.Equal("latest", floating.Status.GetString("resourceBindingVersion"));
    }

    [Fact]
    public void A_request_uses_its_revisions_workflows_not_the_live_promises()
    {
        _f.Platform.InstallPromise(Yaml(Thing("v1.0.0")));
        _f.Platform.SubmitRequest(Yaml(Workflows.WorkflowPromises.Request()));
        _f.Platform.SetRequestVersion("thing", "default", "example", "v1.0.0");
        _f.Platform.InstallPromise(Yaml(Thing("v2.0.0")));

        // Sync re-runs the pinned request: still the v1 workflow, though the Promise is at v2.
        _f.Platform.SyncRequest("thing", "default", "example");
        Assert.Equal("v1.0.0", Ran());

        _f.Platform.SubmitRequest(Yaml(Workflows.WorkflowPromises.Request(name: "other")));
        Assert.Equal("v2.0.0", Ran("other"));
    }

    [Fact]
    public void A_failed_upgrade_records_the_failed_version_and_keeps_the_version_that_last_ran()
    {
        _f.Platform.InstallPromise(Yaml(Thing("v1.0.0")));
        _f.Platform.SubmitRequest(Yaml(Workflows.WorkflowPromises.Request()));

        _f.Platform.InstallPromise(Yaml(Thing("v2.0.0", fail: true)));

        var binding = Binding();
        Assert.Equal("v2.0.0", binding.Status.GetString("failedVersion"));
        Assert.Equal("v1.0.0", binding.Status.GetString("lastAppliedVersion"));
        var upgrade = binding.Conditions.Get("UpgradeSucceeded")!;
        Assert.Equal(("False", "UpgradeFailed"), (upgrade.Status, upgrade.Reason));
        Assert.Equal("v1.0.0", Request().Status.GetString("promiseVersion"));

        // Moving back to v1 succeeds and clears the failure.
        _f.Platform.SetRequestVersion("thing", "default", "example", "v1.0.0");
        binding = Binding();
        Assert.Null(binding.Status.GetString("failedVersion"));
        Assert.Equal("True", binding.Conditions.Get("UpgradeSucceeded")!.Status);
        Assert.Equal("v1.0.0", Ran());
    }

    [Fact]
    public void The_pinned_strategy_binds_new_requests_to_the_latest_version_when_they_are_made()
    {
        new PlatformSettings().With(resourceBindingVersionStrategy: "Pinned").Save(_f.Home);
        Assert.Equal("pinned", PlatformSettings.Load(_f.Home).ResourceBindingVersionStrategy);
        var options = EmbeddedPlatform.OptionsFor(_f.Home, Kratix.Platforms.NullPlatformLog.Instance) with { Runtime = PipelineRuntimes.Create("Host"), RuntimeSelector = null };
        using var pinned = new EmbeddedPlatform(options);
        pinned.InstallPromise(Yaml(Thing("v1.0.0")));
        pinned.SubmitRequest(Yaml(Workflows.WorkflowPromises.Request()));
        pinned.InstallPromise(Yaml(Thing("v2.0.0")));

        var binding = Assert.Single(pinned.GetResourceBindings("thing"));
        Assert.Equal("v1.0.0", binding.Spec.GetString("version"));
        var request = Assert.Single(pinned.GetRequests("thing"));
        Assert.Equal("v1.0.0", request.Status.GetString("promiseVersion"));
        Assert.Equal("v1.0.0", request.Status.GetString("resourceBindingVersion"));
        Assert.Equal("v1.0.0", Ran());
    }

    [Fact]
    public void The_binding_strategy_setting_refuses_anything_but_floating_or_pinned()
    {
        var error = Assert.Throws<KratixException>(() => new PlatformSettings().With(resourceBindingVersionStrategy: "sticky"));
        Assert.Equal("PlatformSettingsInvalid", error.ErrorId);
        Assert.Contains("floating or pinned", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Binding_to_a_version_without_a_revision_is_refused_and_changes_nothing()
    {
        _f.Platform.InstallPromise(Yaml(Thing("v1.0.0")));
        _f.Platform.SubmitRequest(Yaml(Workflows.WorkflowPromises.Request()));

        var error = Assert.Throws<KratixException>(() => _f.Platform.SetRequestVersion("thing", "default", "example", "v9"));
        Assert.Equal("PromiseRevisionNotFound", error.ErrorId);
        Assert.Contains("v1.0.0", error.Message, StringComparison.Ordinal);
        Assert.Equal("latest", Binding().Spec.GetString("version"));
        Assert.Equal("RequestNotFound", Assert.Throws<KratixException>(() => _f.Platform.SetRequestVersion("thing", "default", "nope", "latest")).ErrorId);
    }

    [Fact]
    public void The_latest_revision_cannot_be_deleted()
    {
        _f.Platform.InstallPromise(Yaml(Thing("v1.0.0")));
        var latest = Assert.Single(_f.Platform.GetPromiseRevisions());
        var error = Assert.Throws<KratixException>(() => _f.Platform.RemovePromiseRevision(latest.Name));
        Assert.Equal("PromiseRevisionIsLatest", error.ErrorId);
        Assert.Single(_f.Platform.GetPromiseRevisions());
    }

    [Fact]
    public void Deleting_a_revision_deletes_the_requests_bound_to_its_version_but_not_the_floating_ones()
    {
        _f.Platform.InstallPromise(Yaml(Thing("v1.0.0")));
        _f.Platform.SubmitRequest(Yaml(Workflows.WorkflowPromises.Request(name: "pinned")));
        _f.Platform.SubmitRequest(Yaml(Workflows.WorkflowPromises.Request(name: "floating")));
        _f.Platform.SetRequestVersion("thing", "default", "pinned", "v1.0.0");
        _f.Platform.InstallPromise(Yaml(Thing("v2.0.0")));
        var v1 = Assert.Single(_f.Platform.GetPromiseRevisions(), r => r.Spec.GetString("version") == "v1.0.0");

        _f.Platform.RemovePromiseRevision(v1.Name);

        Assert.Equal(["floating"], _f.Platform.GetRequests("thing").Select(r => r.Name));
        Assert.Equal(["floating"], _f.Platform.GetResourceBindings("thing").Select(b => b.Spec["resourceRef"]?["name"]?.ToString()));
        Assert.Null(Ran("pinned"));
        Assert.Equal("v2.0.0", Ran("floating"));
    }

    [Fact]
    public void A_revision_annotated_to_skip_request_cleanup_leaves_its_requests()
    {
        _f.Platform.InstallPromise(Yaml(Thing("v1.0.0")));
        _f.Platform.SubmitRequest(Yaml(Workflows.WorkflowPromises.Request()));
        _f.Platform.SetRequestVersion("thing", "default", "example", "v1.0.0");
        _f.Platform.InstallPromise(Yaml(Thing("v2.0.0")));
        var v1 = Assert.Single(_f.Platform.GetPromiseRevisions(), r => r.Spec.GetString("version") == "v1.0.0");
        v1.SetAnnotation("kratix.io/skip-resource-request-cleanup-on-delete", "true");
        var store = new ObjectStore(_f.Home);
        using (store.BeginExclusive())
        {
            store.Put(Revisions.RevisionType, v1.Node);
            store.Commit();
        }

        _f.Platform.RemovePromiseRevision(v1.Name);

        Assert.Single(_f.Platform.GetRequests("thing"));
        Assert.Single(_f.Platform.GetPromiseRevisions());
    }

    [Fact]
    public void Uninstalling_a_promise_removes_its_revisions_and_bindings()
    {
        _f.Platform.InstallPromise(Yaml(Thing("v1.0.0")));
        _f.Platform.SubmitRequest(Yaml(Workflows.WorkflowPromises.Request()));
        _f.Platform.InstallPromise(Yaml(Thing("v2.0.0")));

        _f.Platform.UninstallPromise("thing");

        Assert.Empty(_f.Platform.GetPromiseRevisions());
        Assert.Empty(_f.Platform.GetResourceBindings());
    }

    [Fact]
    public void Removing_a_request_removes_its_binding()
    {
        _f.Platform.InstallPromise(Yaml(Thing("v1.0.0")));
        _f.Platform.SubmitRequest(Yaml(Workflows.WorkflowPromises.Request()));
        _f.Platform.RemoveRequest("thing", "default", "example");
        Assert.Empty(_f.Platform.GetResourceBindings());
    }

    [Fact]
    public void A_required_version_is_met_by_a_revision_at_that_version_even_after_an_upgrade()
    {
        _f.Platform.InstallPromise(Yaml(Thing("v1.0.0")));
        var compound = _f.Platform.InstallPromise(Yaml(Requiring("compound", "    - {name: thing, version: v2.0.0}")));
        Assert.Equal("Requirement not installed at the specified version", compound.Status["requiredPromises"]![0]!["state"]!.ToString());
        var fulfilled = compound.Conditions.Get("RequirementsFulfilled")!;
        Assert.Equal(("False", "RequirementsNotInstalled", "Requirements not fulfilled"), (fulfilled.Status, fulfilled.Reason, fulfilled.Message));

        _f.Platform.InstallPromise(Yaml(Thing("v2.0.0")));
        compound = _f.Platform.GetPromises().Single(p => p.Name == "compound");
        Assert.Equal("Requirement installed", compound.Status["requiredPromises"]![0]!["state"]!.ToString());
        Assert.Equal(("True", "RequirementsInstalled"), (compound.Conditions.Get("RequirementsFulfilled")!.Status, compound.Conditions.Get("RequirementsFulfilled")!.Reason));
        Assert.Equal("Available", compound.Status.GetString("status"));

        // Upgrading past the required version keeps its revision, so the requirement still holds.
        _f.Platform.InstallPromise(Yaml(Thing("v3.0.0")));
        compound = _f.Platform.GetPromises().Single(p => p.Name == "compound");
        Assert.Equal("Requirement installed", compound.Status["requiredPromises"]![0]!["state"]!.ToString());
        var requiredBy = (JsonArray)_f.Platform.GetPromises().Single(p => p.Name == "thing").Status["requiredBy"]!;
        Assert.Equal("v2.0.0", requiredBy.Single()!["requiredVersion"]!.ToString());
    }
}
