using System.Security.Cryptography;
using System.Text.Json.Nodes;
using Kratix.Pipelines.Runtimes;
using Kratix.Objects;
using Kratix.Platforms;
using static Kratix.Tests.Platforms.PlatformFixture;
using static Kratix.Tests.Workflows.WorkflowPromises;

namespace Kratix.Tests.Platforms.DryRun;

/// <summary>
/// Dry runs on the embedded platform (upstream's DryRun, a preview): a request's workflows run for real (Host runtime,
/// real bubblewrap) with KRATIX_DRY_RUN=true on a scratch copy, and what would change is read from two real bare Git
/// remotes, file by file; the platform home and the remotes stay byte for byte as they were.
/// </summary>
[System.Runtime.Versioning.SupportedOSPlatform("linux")]
public sealed class DryRunTests : IDisposable
{
    private readonly PlatformFixture _f = new(PipelineRuntimes.Create("Host"));
    private readonly string _second;

    public DryRunTests()
    {
        _second = Path.Combine(_f.Root, "second.git");
        Git(_f.Root, "init", "--quiet", "--bare", "--initial-branch=main", _second);
        _f.RegisterGitStore();
        _f.Platform.RegisterStateStore(Yaml($"""
            apiVersion: platform.kratix.io/v1alpha1
            kind: GitStateStore
            metadata:
              name: second
            spec:
              url: {_second}
              branch: main
            """));
        _f.RegisterDestination("dev", "{environment: dev}");
        _f.RegisterDestination("prod", "{environment: prod}", store: "second");
    }

    public void Dispose() => _f.Dispose();

    /// <summary>
    /// Writes to dev and prod: config.yaml (the size), dry-run.txt (what KRATIX_DRY_RUN said), small.yaml only for a
    /// small Thing, and big.yaml to prod only for a large one.
    /// </summary>
    private const string ThingPipeline = """
        size=$(grep 'size:' /kratix/input/object.yaml | head -1 | sed 's/.*size: //')
        for d in dev prod; do
          mkdir -p /kratix/output/$d
          printf 'name: %s\nsize: %s\nreplicas: 1\nzone: a\n' "$KRATIX_OBJECT_NAME" "$size" > /kratix/output/$d/config.yaml
          echo "KRATIX_DRY_RUN=${KRATIX_DRY_RUN:-unset}" > /kratix/output/$d/dry-run.txt
          if [ "$size" = small ]; then echo small > /kratix/output/$d/small.yaml; fi
        done
        if [ "$size" = large ]; then echo big > /kratix/output/prod/big.yaml; fi
        printf -- '- directory: dev\n  matchLabels: {environment: dev}\n- directory: prod\n  matchLabels: {environment: prod}\n' > /kratix/metadata/destination-selectors.yaml
        """;

    [Fact]
    public void A_changed_request_reports_added_changed_and_removed_files_per_destination_and_state_store_and_writes_nothing()
    {
        _f.Platform.InstallPromise(Yaml(Promise(WorkflowSpec(resourceConfigure: [Pipeline("instance", ThingPipeline)]))));
        _f.Platform.SubmitRequest(Yaml(Request(size: "small")));
        var before = Snapshot();

        var result = _f.Platform.DryRunRequest(Yaml(Request(size: "large")));

        Assert.Equal("Thing default/example", result.Subject);
        Assert.Empty(result.Failures);
        var changes = result.Changes.Select(c => (c.Change, c.Destination, c.StateStore, File: Path.GetFileName(c.Path))).ToList();
        Assert.Equal(
            [
                ("Changed", "dev", "default", "config.yaml"),
                ("Changed", "dev", "default", "dry-run.txt"),
                ("Removed", "dev", "default", "small.yaml"),
                ("Added", "prod", "second", "big.yaml"),
                ("Changed", "prod", "second", "config.yaml"),
                ("Changed", "prod", "second", "dry-run.txt"),
                ("Removed", "prod", "second", "small.yaml"),
            ],
            changes.OrderBy(c => c.StateStore, StringComparer.Ordinal).ThenBy(c => c.File, StringComparer.Ordinal).ToList());
        Assert.All(result.Changes, c => Assert.Equal("GitStateStore", c.StateStoreKind));

        // Paths are the store's; the one changed file's diff is diff -u's, and the environment reached the container.
        var config = result.Changes.Single(c => c.StateStore == "default" && c.Path.EndsWith("config.yaml", StringComparison.Ordinal));
        Assert.StartsWith("dev/resources/default/thing/example/instance/", config.Path, StringComparison.Ordinal);
        Assert.Equal(_f.RemoteFile(config.Path), config.Before);
        Assert.Equal(
            $"--- a/{config.Path}\n+++ b/{config.Path}\n@@ -1,4 +1,4 @@\n name: example\n-size: small\n+size: large\n replicas: 1\n zone: a\n",
            config.Diff);
        var dryRun = result.Changes.Single(c => c.StateStore == "second" && c.Path.EndsWith("dry-run.txt", StringComparison.Ordinal));
        Assert.Equal(("KRATIX_DRY_RUN=unset\n", "KRATIX_DRY_RUN=true\n"), (dryRun.Before, dryRun.After));
        var added = result.Changes.Single(c => c.Change == "Added");
        Assert.Equal((null, "big\n"), (added.Before, added.After));
        Assert.StartsWith("--- /dev/null\n", added.Diff, StringComparison.Ordinal);
        Assert.Null(result.Changes.Single(c => c.Change == "Removed" && c.StateStore == "default").After);

        // Nothing was written: the home (objects, run records, logs) and both remotes are as they were.
        Assert.Contains(before.Keys, k => k.StartsWith("home:workflows/resource-configure/", StringComparison.Ordinal));
        Assert.Contains(before.Keys, k => k.StartsWith("second:objects/", StringComparison.Ordinal));
        Assert.Equal(before, Snapshot());
        Assert.Equal("small", Assert.Single(_f.Platform.GetRequests("thing")).Spec.GetString("size"));
    }

    [Fact]
    public void A_new_request_is_all_added_and_an_unchanged_one_reruns_to_show_what_a_rerun_would_change()
    {
        _f.Platform.InstallPromise(Yaml(Promise(WorkflowSpec(resourceConfigure: [Pipeline("instance", ThingPipeline)]))));
        var before = Snapshot();

        var fresh = _f.Platform.DryRunRequest(Yaml(Request(name: "fresh", size: "small")));

        Assert.Equal(6, fresh.Changes.Count);
        Assert.All(fresh.Changes, c => Assert.Equal("Added", c.Change));
        Assert.Equal(before, Snapshot());
        Assert.Empty(_f.Platform.GetRequests("thing"));

        _f.Platform.SubmitRequest(Yaml(Request(size: "small")));
        var rerun = _f.Platform.DryRunRequest(Yaml(Request(size: "small")));

        // Only what KRATIX_DRY_RUN itself changes: the pipeline ran again.
        Assert.Equal(["dev/dry-run.txt", "prod/dry-run.txt"], rerun.Changes.Select(c => $"{c.Destination}/{Path.GetFileName(c.Path)}").Order(StringComparer.Ordinal).ToList());
    }

    [Fact]
    public void A_failing_workflow_is_reported_and_an_invalid_request_refused_as_for_real()
    {
        _f.Platform.InstallPromise(Yaml(Promise(WorkflowSpec(resourceConfigure: [Pipeline("instance", """
            if [ -n "$KRATIX_DRY_RUN" ]; then echo 'no dry runs here' >&2; exit 3; fi
            """)]))));

        var result = _f.Platform.DryRunRequest(Yaml(Request()));

        Assert.Empty(result.Changes);
        Assert.Contains("Thing default/example", Assert.Single(result.Failures), StringComparison.Ordinal);
        var refused = Assert.ThrowsAny<KratixException>(() => _f.Platform.DryRunRequest(Yaml(Request().Replace("size: small", "size: [1]", StringComparison.Ordinal))));
        Assert.Equal("RequestInvalid", refused.ErrorId);
    }

    [Fact]
    public void A_compound_request_dry_runs_its_sub_requests_too()
    {
        _f.RegisterDestination("platform", "{environment: platform}");
        var platform = _f.Platform.GetDestinations().Single(d => d.Name == "platform").Node.DeepClone().AsObject();
        ((JsonObject)platform["metadata"]!)["annotations"] = new JsonObject { ["kratix.io/apply-to-platform"] = "true" };
        platform.Remove("status");
        _f.Platform.RegisterDestination(platform);
        _f.Platform.InstallPromise(Yaml(Promise(WorkflowSpec(resourceConfigure: [Pipeline("sub", """
            printf 'sub: %s\ndry-run: %s\n' "$KRATIX_OBJECT_NAME" "${KRATIX_DRY_RUN:-unset}" > /kratix/output/sub.yaml
            printf -- '- matchLabels: {environment: dev}\n' > /kratix/metadata/destination-selectors.yaml
            """)]), name: "sub")));
        _f.Platform.InstallPromise(Yaml(Promise(WorkflowSpec(resourceConfigure: [Pipeline("app", """
            printf 'apiVersion: test.kratix.io/v1alpha1\nkind: Sub\nmetadata:\n  name: %s-db\n  namespace: default\nspec:\n  size: small\n' "$KRATIX_OBJECT_NAME" > /kratix/output/sub-request.yaml
            printf -- '- matchLabels: {environment: platform}\n' > /kratix/metadata/destination-selectors.yaml
            """)]), name: "app")));
        var before = Snapshot();

        var result = _f.Platform.DryRunRequest(Yaml(Request(name: "web", kind: "App")));

        Assert.Empty(result.Failures);
        var request = Assert.Single(result.Changes, c => c.Destination == "platform");
        Assert.Equal(("Added", "default"), (request.Change, request.StateStore));
        Assert.Contains("name: web-db", request.After, StringComparison.Ordinal);
        var sub = Assert.Single(result.Changes, c => c.Destination == "dev");
        Assert.Equal("Added", sub.Change);
        Assert.StartsWith("dev/resources/default/sub/web-db/sub/", sub.Path, StringComparison.Ordinal);
        Assert.Equal("sub: web-db\ndry-run: true\n", sub.After);
        Assert.Equal(2, result.Changes.Count);

        Assert.Equal(before, Snapshot());
        Assert.Empty(_f.Platform.GetRequests("sub"));
        Assert.Empty(_f.Platform.GetRequests("app"));
    }

    [Fact]
    public void A_promise_upgrade_dry_runs_its_requests_workflows()
    {
        _f.Platform.InstallPromise(Yaml(Promise(WorkflowSpec(resourceConfigure: [Pipeline("instance", ThingPipeline)]))));
        _f.Platform.SubmitRequest(Yaml(Request(size: "small")));
        var before = Snapshot();

        var result = _f.Platform.DryRunPromise(Yaml(Promise(WorkflowSpec(resourceConfigure: [Pipeline("instance", ThingPipeline.Replace("zone: a", "zone: b", StringComparison.Ordinal))]))));

        Assert.Equal("Promise thing", result.Subject);
        var configs = result.Changes.Where(c => c.Path.EndsWith("config.yaml", StringComparison.Ordinal)).ToList();
        Assert.Equal(["dev", "prod"], configs.Select(c => c.Destination).Order(StringComparer.Ordinal).ToList());
        Assert.All(configs, c => Assert.Contains("-zone: a\n+zone: b\n", c.Diff, StringComparison.Ordinal));
        Assert.Equal(before, Snapshot());
    }

    /// <summary>Every file of the platform home and of both bare remotes, with a hash of its bytes.</summary>
    private SortedDictionary<string, string> Snapshot()
    {
        var files = new SortedDictionary<string, string>(StringComparer.Ordinal);
        foreach (var (label, root) in new[] { ("home", _f.Home), ("remote", _f.Remote), ("second", _second) })
        {
            foreach (var file in Directory.EnumerateFiles(root, "*", SearchOption.AllDirectories))
            {
                files[$"{label}:{Path.GetRelativePath(root, file)}"] = Convert.ToHexString(SHA256.HashData(File.ReadAllBytes(file)));
            }
        }

        return files;
    }
}
