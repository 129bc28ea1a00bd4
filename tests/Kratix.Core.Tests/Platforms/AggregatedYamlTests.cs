using System.Text.Json.Nodes;
using Kratix.Objects;
using Kratix.Pipelines.Runtimes;
using static Kratix.Tests.Platforms.PlatformFixture;
using static Kratix.Tests.Workflows.WorkflowPromises;
using static Kratix.Tests.Platforms.TestPromises;

namespace Kratix.Tests.Platforms;

/// <summary>
/// The aggregatedYAML filepath mode on the embedded platform, on real bare git repositories and a directory store,
/// against upstream's workplacement_controller.go (writeWorkloadsToStateStore, getAggregatedWorkload,
/// getAllWorkplacementsForDestination, combineAllWorkloads, deleteWorkPlacement) and its system test
/// "aggregates workplacements into a single file" (test/system/destination_test.go).
/// </summary>
[System.Runtime.Versioning.SupportedOSPlatform("linux")]
public sealed class AggregatedYamlTests : IDisposable
{
    private const string Aggregated = "  filepath:\n    mode: aggregatedYAML";
    private static readonly string[] CanaryFiles = ["kratix-canary-configmap.yaml", "kratix-canary-namespace.yaml"];
    private readonly PlatformFixture _f = new(PipelineRuntimes.Create("Host"));

    public void Dispose() => _f.Dispose();

    [Fact]
    public void Two_promises_share_one_file_sorted_by_placement_name_with_nothing_else_written()
    {
        _f.RegisterGitStore();
        _f.RegisterDestination("agg", "{environment: dev}", extraSpec: Aggregated);

        _f.Platform.InstallPromise(Yaml(DependenciesPromise("zebra", "z")));
        _f.Platform.InstallPromise(Yaml(DependenciesPromise("apple", "a")));

        // Installed zebra first, but apple's placement sorts first.
        var names = _f.Platform.GetWorkPlacements().Select(p => p.Name).Order(StringComparer.Ordinal).ToList();
        Assert.StartsWith("apple-static-deps-", names[0], StringComparison.Ordinal);
        Assert.StartsWith("zebra-static-deps-", names[1], StringComparison.Ordinal);
        Assert.Equal(Dependencies("apple", "a") + "\n---\n" + Dependencies("zebra", "z"), _f.RemoteFile("agg/aggregated.yaml"));
        Assert.Equal(["agg/aggregated.yaml", .. CanaryFiles.Select(f => "agg/" + f)], _f.RemoteFiles());
        Assert.Equal([$"Update from: {names[0]}", $"Update from: {names[1]}", "Update from: kratix-canary"], _f.RemoteCommitSubjects());
        Assert.All(_f.Platform.GetWorkPlacements(), p =>
        {
            Assert.True(p.Conditions.IsTrue("WriteSucceeded"));
            Assert.True(p.Conditions.IsTrue("Ready"));
        });
        Assert.Equal("aggregated.yaml", _f.Platform.GetDestinations().Single().Spec["filepath"]!["filename"]!.GetValue<string>());
    }

    [Fact]
    public void An_update_rewrites_the_file_a_removal_leaves_the_others_and_the_last_removal_deletes_it()
    {
        _f.RegisterGitStore();
        _f.RegisterDestination("agg", "{environment: dev}", extraSpec: Aggregated);
        _f.Platform.InstallPromise(Yaml(DependenciesPromise("apple", "a")));
        _f.Platform.InstallPromise(Yaml(DependenciesPromise("zebra", "z")));
        var apple = PlacementOf("apple");
        var zebra = PlacementOf("zebra");

        _f.Platform.InstallPromise(Yaml(DependenciesPromise("zebra", "z2")));
        Assert.Equal(Dependencies("apple", "a") + "\n---\n" + Dependencies("zebra", "z2"), _f.RemoteFile("agg/aggregated.yaml"));
        Assert.Equal($"Update from: {zebra}", _f.RemoteCommitSubjects()[0]);

        // Upstream rewrites the aggregate in the removed placement's name while others remain.
        _f.Platform.UninstallPromise("apple");
        Assert.Equal(Dependencies("zebra", "z2"), _f.RemoteFile("agg/aggregated.yaml"));
        Assert.Equal($"Update from: {apple}", _f.RemoteCommitSubjects()[0]);

        _f.Platform.UninstallPromise("zebra");
        Assert.Null(_f.RemoteFile("agg/aggregated.yaml"));
        Assert.Equal($"Delete from: {zebra}", _f.RemoteCommitSubjects()[0]);
        Assert.Equal(CanaryFiles.Select(f => "agg/" + f), _f.RemoteFiles());
        Assert.Empty(_f.Platform.GetWorkPlacements());
    }

    [Fact]
    public void A_custom_filename_names_the_file_under_the_destination_path()
    {
        _f.RegisterGitStore("default", path: "clusters");
        _f.RegisterDestination("agg", "{environment: dev}", extraSpec: Aggregated + "\n    filename: flux/catalog.yaml");

        _f.Platform.InstallPromise(Yaml(DependenciesPromise("apple", "a")));

        Assert.Equal(Dependencies("apple", "a"), _f.RemoteFile("clusters/agg/flux/catalog.yaml"));
        Assert.Equal(["clusters/agg/flux/catalog.yaml", .. CanaryFiles.Select(f => "clusters/agg/" + f)], _f.RemoteFiles());
    }

    [Fact]
    public void Dependencies_and_resources_go_into_one_file_and_leave_it_as_their_requests_and_promise_go()
    {
        // Upstream's system test, with the pipelines as shell scripts for the Host runtime.
        _f.RegisterGitStore();
        _f.RegisterDestination("aggregated-yaml", "{target: aggregated-yaml}", extraSpec: Aggregated + "\n    filename: catalog.yaml");
        _f.Platform.InstallPromise(Yaml(Promise(
            WorkflowSpec(
                promiseConfigure: [Pipeline("promise", "printf 'apiVersion: v1\\nkind: Namespace\\nmetadata:\\n  name: aggregate-test-ns\\n' > /kratix/output/ns.yaml")],
                resourceConfigure: [Pipeline("resource", """
                    printf 'apiVersion: v1\ndata:\n  key: %s\nkind: ConfigMap\nmetadata:\n  name: %s\n  namespace: aggregate-test-ns\n' "$KRATIX_OBJECT_NAME" "$KRATIX_OBJECT_NAME" > /kratix/output/configmap.yaml
                    printf 'kind: Marker\nname: %s' "$KRATIX_OBJECT_NAME" > /kratix/output/marker.yaml
                    """)]),
            name: "aggregate",
            extraSpec: "  destinationSelectors:\n  - matchLabels: {target: aggregated-yaml}")));

        // req-2 first: the file still lists req-1's placement before req-2's.
        _f.Platform.SubmitRequest(Yaml(Request("req-2", kind: "Aggregate")));
        _f.Platform.SubmitRequest(Yaml(Request("req-1", kind: "Aggregate")));

        var placements = _f.Platform.GetWorkPlacements().OrderBy(p => p.Name, StringComparer.Ordinal).ToList();
        Assert.Equal([string.Empty, "req-1", "req-2"], placements.Select(p => p.ResourceName));
        Assert.Equal(Namespace + Sep + ConfigMap("req-1") + Sep + Marker("req-1") + Sep + ConfigMap("req-2") + Sep + Marker("req-2"), _f.RemoteFile("aggregated-yaml/catalog.yaml"));
        Assert.Equal(["aggregated-yaml/catalog.yaml", .. CanaryFiles.Select(f => "aggregated-yaml/" + f)], _f.RemoteFiles());

        _f.Platform.RemoveRequest("aggregate", "default", "req-1");
        Assert.Equal(Namespace + Sep + ConfigMap("req-2") + Sep + Marker("req-2"), _f.RemoteFile("aggregated-yaml/catalog.yaml"));
        Assert.Equal($"Update from: {placements[1].Name}", _f.RemoteCommitSubjects()[0]);

        _f.Platform.UninstallPromise("aggregate");
        Assert.Equal(CanaryFiles.Select(f => "aggregated-yaml/" + f), _f.RemoteFiles());
    }

    [Fact]
    public void Several_placements_of_one_work_on_the_destination_are_written_as_one_consistent_aggregate()
    {
        _f.RegisterGitStore();
        _f.RegisterDestination("agg", "{environment: dev}", extraSpec: Aggregated);
        _f.Platform.InstallPromise(Yaml(Promise(WorkflowSpec(resourceConfigure: [Pipeline("split", """
            size=$(grep 'size:' /kratix/input/object.yaml | head -1 | sed 's/.*size: //')
            mkdir -p /kratix/output/extra
            printf 'root: %s\n' "$size" > /kratix/output/root.yaml
            printf 'extra: %s\n' "$size" > /kratix/output/extra/extra.yaml
            printf -- '- directory: extra\n  matchLabels: {environment: dev}\n' > /kratix/metadata/destination-selectors.yaml
            """)]))));
        var before = _f.RemoteCommitSubjects().Count;

        _f.Platform.SubmitRequest(Yaml(Request(size: "small")));

        var placements = _f.Platform.GetWorkPlacements("default").OrderBy(p => p.Name, StringComparer.Ordinal).ToList();
        Assert.Equal(2, placements.Count);
        Assert.Equal(Expected(placements, "small"), _f.RemoteFile("agg/aggregated.yaml"));
        Assert.Equal(before + 1, _f.RemoteCommitSubjects().Count);

        // Both placements change in one batch: the file holds both new contents, not one new and one stale.
        _f.Platform.SubmitRequest(Yaml(Request(size: "large")), allowUpdate: true);

        Assert.Equal(Expected(placements, "large"), _f.RemoteFile("agg/aggregated.yaml"));
        Assert.Equal(before + 2, _f.RemoteCommitSubjects().Count);
        Assert.All(_f.Platform.GetWorkPlacements("default"), p => Assert.True(p.Conditions.IsTrue("Ready")));

        static string Expected(List<WorkPlacement> placements, string size) =>
            string.Join(Sep, placements.Select(p => p.Id == KratixApi.DefaultWorkloadGroupId ? $"root: {size}\n" : $"extra: {size}\n"));
    }

    [Fact]
    public void Destinations_in_other_modes_sharing_the_repository_are_unaffected()
    {
        _f.RegisterGitStore();
        _f.RegisterDestination("nested", "{environment: dev}");
        _f.RegisterDestination("flat", "{environment: dev}", extraSpec: "  filepath:\n    mode: none");
        _f.RegisterDestination("agg", "{environment: dev}", extraSpec: Aggregated);

        _f.Platform.InstallPromise(Yaml(DependenciesPromise("apple", "a")));

        var deps = Dependencies("apple", "a");
        var flat = PlacementOf("apple", "flat");
        Assert.Equal(deps, _f.RemoteFile("agg/aggregated.yaml"));
        Assert.Equal(deps, _f.RemoteFile("nested/dependencies/apple/5058f/static/apple-dependencies.yaml"));
        Assert.Equal(deps, _f.RemoteFile("flat/static/apple-dependencies.yaml"));
        Assert.Equal("files:\n- flat/static/apple-dependencies.yaml\n", _f.RemoteFile($"flat/.kratix/kratix-platform-system-{flat}.yaml"));
        Assert.DoesNotContain(_f.RemoteFiles(), f => f.StartsWith("agg/", StringComparison.Ordinal) && f != "agg/aggregated.yaml" && !CanaryFiles.Contains(f[4..]));

        _f.Platform.UninstallPromise("apple");

        Assert.Equal(
            [.. CanaryFiles.Select(f => "agg/" + f), .. CanaryFiles.Select(f => "flat/" + f), "nested/dependencies/kratix-canary-namespace.yaml", "nested/resources/kratix-canary-configmap.yaml"],
            _f.RemoteFiles());
    }

    [Fact]
    public void A_directory_store_gets_the_same_bytes()
    {
        var bucket = Path.Combine(_f.Root, "buckets");
        _f.Platform.RegisterStateStore(Yaml($"apiVersion: platform.kratix.io/v1alpha1\nkind: BucketStateStore\nmetadata:\n  name: local\nspec:\n  endpoint: {bucket}\n  bucketName: kratix\n  authMethod: IAM\n  path: platform\n"));
        _f.Platform.RegisterDestination(Yaml("apiVersion: platform.kratix.io/v1alpha1\nkind: Destination\nmetadata:\n  name: agg\n  labels:\n    environment: dev\nspec:\n  path: agg\n  stateStoreRef:\n    kind: BucketStateStore\n    name: local\n  filepath:\n    mode: aggregatedYAML\n    filename: catalog.yaml\n"));
        var root = Path.Combine(bucket, "kratix", "platform", "agg");
        var file = Path.Combine(root, "catalog.yaml");

        _f.Platform.InstallPromise(Yaml(DependenciesPromise("zebra", "z")));
        _f.Platform.InstallPromise(Yaml(DependenciesPromise("apple", "a")));
        Assert.Equal(Dependencies("apple", "a") + "\n---\n" + Dependencies("zebra", "z"), File.ReadAllText(file));
        Assert.Equal(["catalog.yaml", .. CanaryFiles], Directory.GetFileSystemEntries(root).Select(Path.GetFileName).Order(StringComparer.Ordinal));

        _f.Platform.UninstallPromise("apple");
        Assert.Equal(Dependencies("zebra", "z"), File.ReadAllText(file));

        _f.Platform.UninstallPromise("zebra");
        Assert.False(File.Exists(file));
        Assert.Equal(CanaryFiles, Directory.GetFileSystemEntries(root).Select(Path.GetFileName).Order(StringComparer.Ordinal));
    }

    [Fact]
    public void Unregistering_with_cleanup_all_deletes_the_aggregate_and_without_it_leaves_it()
    {
        _f.RegisterGitStore();
        _f.RegisterDestination("kept", "{environment: dev}", extraSpec: Aggregated);
        _f.RegisterDestination("cleaned", "{environment: dev}", extraSpec: Aggregated + "\n  cleanup: all");
        _f.Platform.InstallPromise(Yaml(DependenciesPromise("apple", "a")));
        _f.Platform.InstallPromise(Yaml(DependenciesPromise("zebra", "z")));
        var first = PlacementOf("apple", "cleaned");

        _f.Platform.UnregisterDestination("cleaned");
        _f.Platform.UnregisterDestination("kept");

        Assert.DoesNotContain(_f.RemoteFiles(), f => f.StartsWith("cleaned/", StringComparison.Ordinal));
        Assert.Contains($"Delete from: {first}", _f.RemoteCommitSubjects());
        Assert.Equal(Dependencies("apple", "a") + "\n---\n" + Dependencies("zebra", "z"), _f.RemoteFile("kept/aggregated.yaml"));
    }

    [Fact]
    public void A_new_filename_is_used_from_the_next_write_and_the_old_file_stays_as_upstream()
    {
        _f.RegisterGitStore();
        _f.RegisterDestination("agg", "{environment: dev}", extraSpec: Aggregated);
        _f.Platform.InstallPromise(Yaml(DependenciesPromise("apple", "a")));

        // Upstream's WorkPlacement controller does not watch Destinations: nothing is rewritten when the filename changes.
        _f.RegisterDestination("agg", "{environment: dev}", extraSpec: Aggregated + "\n    filename: renamed.yaml");
        Assert.Null(_f.RemoteFile("agg/renamed.yaml"));

        _f.Platform.InstallPromise(Yaml(DependenciesPromise("zebra", "z")));
        var both = Dependencies("apple", "a") + "\n---\n" + Dependencies("zebra", "z");
        Assert.Equal(both, _f.RemoteFile("agg/renamed.yaml"));
        Assert.Equal(Dependencies("apple", "a"), _f.RemoteFile("agg/aggregated.yaml"));

        _f.Platform.UninstallPromise("apple");
        _f.Platform.UninstallPromise("zebra");
        Assert.Null(_f.RemoteFile("agg/renamed.yaml"));
        Assert.Equal(Dependencies("apple", "a"), _f.RemoteFile("agg/aggregated.yaml"));
    }

    private const string Sep = "\n---\n";

    private const string Namespace = "apiVersion: v1\nkind: Namespace\nmetadata:\n  name: aggregate-test-ns\n";

    private static string ConfigMap(string name) =>
        $"apiVersion: v1\ndata:\n  key: {name}\nkind: ConfigMap\nmetadata:\n  name: {name}\n  namespace: aggregate-test-ns\n";

    private static string Marker(string name) => $"kind: Marker\nname: {name}";

    private string PlacementOf(string promise, string destination = "agg") =>
        _f.Platform.GetWorkPlacements().Single(p => p.PromiseName == promise && p.TargetDestinationName == destination).Name;
}
