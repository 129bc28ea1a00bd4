using System.Text.Json.Nodes;
using Kratix.Kubernetes;
using Kratix.Platforms;
using Kratix.Platforms.Cluster;

namespace Kratix.Cluster.Tests;

/// <summary>
/// Dry runs on a cluster: upstream's DryRun object is created, its Completed condition awaited, its summary Work read
/// back into DryRunChanges (per pipeline: upstream compares Works), and both deleted. The controller double stands in
/// for upstream's DryRunReconciler (tests/Kratix.ClusterDouble/DryRunControllerDouble.cs).
/// </summary>
public class DryRunTests
{
    private static readonly TimeSpan Timeout = TimeSpan.FromSeconds(30);

    private static async Task<(ClusterHarness Cluster, ClusterPlatform Platform)> WithRedisAsync(Action<Kratix.ApiServerDouble.ApiServerDoubleOptions>? configure = null)
    {
        var cluster = await ClusterHarness.StartAsync(configure: configure);
        var platform = cluster.Open();
        platform.InstallPromise(TestObjects.RedisPromise());
        platform.Wait(new WaitTarget(null, null, "redis", "Available"), Timeout);
        return (cluster, platform);
    }

    [Fact]
    public async Task A_change_to_a_request_is_previewed_through_upstreams_DryRun_and_nothing_is_left_behind()
    {
        var (cluster, platform) = await WithRedisAsync();
        await using var _ = cluster;
        platform.SubmitRequest(TestObjects.Redis("cache"));
        platform.Wait(new WaitTarget("redis", "default", "cache", "Reconciled"), Timeout);
        var worksBefore = platform.GetWorks("default").Select(w => w.Name).ToList();

        var result = platform.DryRunRequest(TestObjects.Redis("cache", size: "large", replicas: 3), timeout: Timeout);

        Assert.Equal("Redis default/cache", result.Subject);
        Assert.Empty(result.Failures);
        var change = Assert.Single(result.Changes);
        Assert.Equal((DryRunChange.Changed, "configmap.yaml", "instance-configure", string.Empty, string.Empty), (change.Change, change.Path, change.Pipeline, change.Destination, change.StateStore));
        Assert.Equal("apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: cache\n", change.Before);
        Assert.Equal("apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: cache\ndata:\n  size: large\n  replicas: 3\n", change.After);
        Assert.Equal("--- a/configmap.yaml\n+++ b/configmap.yaml\n@@ -2,3 +2,6 @@\n kind: ConfigMap\n metadata:\n   name: cache\n+data:\n+  size: large\n+  replicas: 3\n", change.Diff);

        // The DryRun asked for what upstream's spec says, and it and its summary are gone; the request is unchanged.
        var api = KubeApi(cluster);
        Assert.Empty(await api.ListItemsAsync(ClusterPlatform.DryRunType, "default"));
        Assert.Equal(worksBefore, platform.GetWorks("default").Select(w => w.Name).ToList());
        Assert.Equal("small", platform.GetRequests("redis").Single().Spec["size"]!.GetValue<string>());
    }

    [Fact]
    public async Task The_DryRun_names_the_Promise_the_live_request_and_the_spec_tried()
    {
        var (cluster, platform) = await WithRedisAsync();
        await using var _ = cluster;
        cluster.Controller!.Script.RequestDelay = TimeSpan.FromSeconds(2);
        var api = KubeApi(cluster);

        var running = Task.Run(() => platform.DryRunRequest(TestObjects.Redis("fresh", size: "large"), timeout: Timeout));
        JsonObject? seen = null;
        for (var i = 0; i < 100 && seen is null; i++)
        {
            seen = (await api.ListItemsAsync(ClusterPlatform.DryRunType, "default")).FirstOrDefault();
            await Task.Delay(20);
        }

        var result = await running;

        Assert.NotNull(seen);
        Assert.StartsWith("fresh-preview-", seen!["metadata"]!["name"]!.GetValue<string>(), StringComparison.Ordinal);
        Assert.Equal("redis", seen["spec"]!["promiseRef"]!["name"]!.GetValue<string>());
        Assert.Equal(("fresh", "default"), (seen["spec"]!["resourceRequestRef"]!["name"]!.GetValue<string>(), seen["spec"]!["resourceRequestRef"]!["namespace"]!.GetValue<string>()));
        Assert.Equal("large", seen["spec"]!["resource"]!["size"]!.GetValue<string>());
        var added = Assert.Single(result.Changes);
        Assert.Equal((DryRunChange.Added, (string?)null), (added.Change, added.Before));
        Assert.Empty(platform.GetRequests("redis"));
    }

    [Fact]
    public async Task A_failed_dry_run_an_invalid_request_a_disabled_feature_and_a_Promise_are_refused_by_name()
    {
        var (cluster, platform) = await WithRedisAsync();
        await using var _ = cluster;
        cluster.Controller!.Script.FailingRequests["broken"] = "A Configure Pipeline has failed: instance-configure";

        var failed = Assert.Throws<KratixException>(() => platform.DryRunRequest(TestObjects.Redis("broken"), timeout: Timeout));
        Assert.Equal("DryRunWorkflowFailed", failed.ErrorId);
        Assert.Contains("A Configure Pipeline has failed", failed.Message, StringComparison.Ordinal);
        Assert.Equal("RequestInvalid", Assert.ThrowsAny<KratixException>(() => platform.DryRunRequest(TestObjects.Redis("bad", size: "huge"), timeout: Timeout)).ErrorId);
        Assert.Equal("NotSupportedOnCluster", Assert.Throws<KratixException>(() => platform.DryRunPromise(TestObjects.RedisPromise())).ErrorId);

        var (off, offPlatform) = await WithRedisAsync(o =>
        {
            var folder = o.CrdPaths.Single();
            o.CrdPaths.Clear();
            foreach (var file in Directory.GetFiles(folder, "*.yaml").Where(f => !f.EndsWith("_dryruns.yaml", StringComparison.Ordinal)))
            {
                o.CrdPaths.Add(file);
            }
        });
        await using var __ = off;
        Assert.Equal("DryRunNotEnabled", Assert.Throws<KratixException>(() => offPlatform.DryRunRequest(TestObjects.Redis("cache"), timeout: Timeout)).ErrorId);
    }

    [Fact]
    public void Upstreams_summary_markdown_becomes_changes_per_pipeline_and_component()
    {
        const string summary = """
            # Kratix Dry Run Summary

            ## Compound request: `app` / `web`

            ### Pipeline: `app-configure`

            **1 added · 1 modified · 1 removed**

            ---

            ## ➕ Added: `sub-request.yaml`

            ```yaml
            kind: Sub
            ```

            ---

            ## ✏️ Modified: `app.yaml`

            ```diff
            --- a/app.yaml
            +++ b/app.yaml
             name: web
            -size: small
            +size: large
            ```

            ---

            ## 🗑️ Removed: `old.yaml`

            ```yaml
            old: true
            ```

            ---

            ## Component request: `sub` / `web-db`

            ### Pipeline: `sub-configure`

            **1 added · 0 modified · 0 removed**

            ---

            ## ➕ Added: `db.yaml`

            ```yaml
            db: web-db
            ```
            """;

        var changes = ClusterPlatform.ParseDryRunSummary(summary);

        Assert.Equal(
            [
                ("Added", "sub-request.yaml", "app-configure", (string?)null, (string?)"kind: Sub\n"),
                ("Changed", "app.yaml", "app-configure", "name: web\nsize: small\n", "name: web\nsize: large\n"),
                ("Removed", "old.yaml", "app-configure", "old: true\n", null),
                ("Added", "db.yaml", "sub/web-db sub-configure", null, "db: web-db\n"),
            ],
            changes.Select(c => (c.Change, c.Path, c.Pipeline, c.Before, c.After)).ToList());
        Assert.Equal("--- a/app.yaml\n+++ b/app.yaml\n@@ -1,2 +1,2 @@\n name: web\n-size: small\n+size: large\n", changes[1].Diff);
    }

    private static KubeApi KubeApi(ClusterHarness cluster) => new(KubeConnection.Open(cluster.Location), NullPlatformLog.Instance);
}
