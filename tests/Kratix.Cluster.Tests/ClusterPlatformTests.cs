using System.Text;
using System.Text.Json.Nodes;
using k8s;
using k8s.Models;
using Kratix.Admission;
using Kratix.Kubernetes;
using Kratix.Objects;
using Kratix.Platforms;
using Kratix.StateStores;

namespace Kratix.Cluster.Tests;

/// <summary>Writes by server-side apply, reads as the embedded platform's types, the API server's validation, Secrets, labels, deletion.</summary>
public class ClusterPlatformTests
{
    private static readonly TimeSpan Timeout = TimeSpan.FromSeconds(30);

    private static async Task<(ClusterHarness Cluster, Platforms.Cluster.ClusterPlatform Platform)> WithRedisAsync()
    {
        var cluster = await ClusterHarness.StartAsync();
        var platform = cluster.Open();
        platform.InstallPromise(TestObjects.RedisPromise());
        platform.Wait(new WaitTarget(null, null, "redis", "Available"), Timeout);
        return (cluster, platform);
    }

    [Fact]
    public async Task A_Promise_is_applied_with_this_modules_field_manager_and_applying_it_again_changes_nothing()
    {
        await using var cluster = await ClusterHarness.StartAsync();
        using var platform = cluster.Open();
        var first = platform.InstallPromise(TestObjects.RedisPromise());
        var managers = ((JsonArray)first.Metadata["managedFields"]!).OfType<JsonObject>().Select(m => (string?)m["manager"]).ToList();
        Assert.Contains(KubeApi.FieldManager, managers);
        var again = platform.InstallPromise(TestObjects.RedisPromise());
        Assert.Equal(first.Metadata["resourceVersion"]!.ToString(), again.Metadata["resourceVersion"]!.ToString());

        var available = Assert.IsType<Promise>(platform.Wait(new WaitTarget(null, null, "redis", "Available"), Timeout));
        Assert.True(available.Conditions.IsTrue("Available"));
        var listed = Assert.Single(platform.GetPromises());
        Assert.Equal("redis", listed.Name);
        Assert.Equal("Available", listed.Status["status"]!.ToString());
    }

    [Fact]
    public async Task A_field_another_manager_owns_is_a_conflict_naming_it_unless_forced()
    {
        await using var cluster = await ClusterHarness.StartAsync();
        var config = KubernetesClientConfiguration.BuildConfigFromConfigFile(cluster.Kubeconfig);
        using (var kubectl = new k8s.Kubernetes(config))
        {
            await kubectl.CustomObjects.PatchClusterCustomObjectAsync(
                new V1Patch(TestObjects.Destination(path: "from-kubectl").ToJsonString(), V1Patch.PatchType.ApplyPatch),
                "platform.kratix.io", "v1alpha1", "destinations", "worker-1", fieldManager: "kubectl");
        }

        using var platform = cluster.Open();
        var ex = Assert.Throws<KubeApiException>(() => platform.RegisterDestination(TestObjects.Destination(path: "from-kratix")));
        Assert.Equal("ApplyConflict", ex.ErrorId);
        Assert.Contains("\"kubectl\"", ex.Message, StringComparison.Ordinal);
        Assert.Contains(".spec.path", ex.Message, StringComparison.Ordinal);
        Assert.Contains("-Force", ex.Message, StringComparison.Ordinal);

        using var forced = cluster.Open(force: true);
        Assert.Equal("from-kratix", forced.RegisterDestination(TestObjects.Destination(path: "from-kratix")).Path);
        Assert.Equal("from-kratix", Assert.Single(forced.GetDestinations()).Path);
    }

    [Fact]
    public async Task A_request_the_API_server_refuses_lists_every_field_error_as_RequestInvalid()
    {
        var (cluster, platform) = await WithRedisAsync();
        await using var _ = cluster;
        using var __ = platform;
        var ex = Assert.Throws<AdmissionException>(() => platform.SubmitRequest(TestObjects.Redis("cache", size: "huge", replicas: 9)));
        Assert.Equal("RequestInvalid", ex.ErrorId);
        Assert.Equal(2, ex.Problems.Count);
        Assert.Contains(ex.Problems, p => p.StartsWith("spec.size: Unsupported value: \"huge\"", StringComparison.Ordinal));
        Assert.Contains(ex.Problems, p => p.StartsWith("spec.replicas: Invalid value: 9", StringComparison.Ordinal));
        Assert.Empty(platform.GetRequests("redis"));
    }

    [Fact]
    public async Task The_field_validation_mode_is_the_servers_Strict_unless_another_is_given()
    {
        var (cluster, platform) = await WithRedisAsync();
        await using var _ = cluster;
        using var __ = platform;
        static System.Text.Json.Nodes.JsonObject WithColour(string name)
        {
            var request = TestObjects.Redis(name);
            request["spec"]!["colour"] = "blue";
            return request;
        }

        var outcomes = platform.SubmitRequests(
        [
            new RequestSubmission(WithColour("strict")),
            new RequestSubmission(WithColour("warn"), FieldValidation: Kratix.Schema.FieldValidationMode.Warn),
            new RequestSubmission(WithColour("ignore"), FieldValidation: Kratix.Schema.FieldValidationMode.Ignore),
        ]);

        var refused = Assert.IsAssignableFrom<KratixException>(outcomes[0].Error);
        Assert.Contains("unknown field \"spec.colour\"", refused.Message, StringComparison.Ordinal);
        Assert.Equal(["ignore", "warn"], platform.GetRequests("redis").Select(r => r.Name).Order().ToArray());
        Assert.All(platform.GetRequests("redis"), r => Assert.Null(r.Node["spec"]!["colour"]));
    }

    [Fact]
    public async Task Testing_a_request_is_a_server_side_dry_run_that_stores_nothing()
    {
        var (cluster, platform) = await WithRedisAsync();
        await using var _ = cluster;
        using var __ = platform;
        var (request, result) = platform.TestRequest(TestObjects.Redis("cache"));
        Assert.True(result.IsValid);
        Assert.Equal("cache", request.Name);
        var (_, invalid) = platform.TestRequest(TestObjects.Redis("cache", size: "huge"));
        Assert.False(invalid.IsValid);
        Assert.Equal("spec.size", Assert.Single(invalid.Errors).Field);
        Assert.Empty(platform.GetRequests());
    }

    [Fact]
    public async Task Requests_are_applied_reconciled_listed_with_their_Works_and_removed_after_their_finalizers()
    {
        var (cluster, platform) = await WithRedisAsync();
        await using var _ = cluster;
        using var __ = platform;
        var created = platform.SubmitRequest(TestObjects.Redis("cache"));
        Assert.Equal("redis", created.PromiseName);
        Assert.Equal("RequestExists", Assert.Throws<KratixException>(() => platform.SubmitRequest(TestObjects.Redis("cache"))).ErrorId);
        var reconciled = Assert.IsType<ResourceRequest>(platform.Wait(new WaitTarget("redis", "default", "cache", "Reconciled"), Timeout));
        Assert.Equal("Resource requested", reconciled.Status["message"]!.ToString());

        var work = Assert.Single(platform.GetWorks("default"));
        Assert.Equal("cache", work.ResourceName);
        Assert.Equal("worker-1", Assert.Single(platform.GetWorkPlacements()).TargetDestinationName);

        // What Get- outputs applies again: the server's fields and upstream's finalizers are not claimed by this module.
        var again = platform.SubmitRequest(reconciled.Node, allowUpdate: true);
        Assert.Equal(again.Metadata["resourceVersion"]!.ToString(), platform.SubmitRequest(reconciled.Node, allowUpdate: true).Metadata["resourceVersion"]!.ToString());
        Assert.NotEmpty((JsonArray)again.Metadata["finalizers"]!);
        var ours = ((JsonArray)again.Metadata["managedFields"]!).OfType<JsonObject>().Single(m => (string?)m["manager"] == KubeApi.FieldManager && (string?)m["operation"] == "Apply");
        Assert.DoesNotContain("f:finalizers", ours["fieldsV1"]!.ToJsonString(), StringComparison.Ordinal);
        Assert.DoesNotContain("f:status", ours["fieldsV1"]!.ToJsonString(), StringComparison.Ordinal);

        var updated = platform.SubmitRequest(TestObjects.Redis("cache", size: "large"), allowUpdate: true);
        Assert.Equal(2, updated.Generation);
        platform.Wait(new WaitTarget("redis", "default", "cache", "Reconciled"), Timeout);

        platform.RemoveRequest("redis", "default", "cache");
        Assert.True(Assert.Single(platform.GetRequests()).IsBeingDeleted);
        Assert.Null(platform.Wait(new WaitTarget("redis", "default", "cache", null), Timeout));
        Assert.Empty(platform.GetRequests());
        Assert.Empty(platform.GetWorks());
        Assert.Equal("RequestNotFound", Assert.Throws<KratixException>(() => platform.RemoveRequest("redis", "default", "cache")).ErrorId);
    }

    [Fact]
    public async Task A_batch_reports_each_requests_outcome()
    {
        var (cluster, platform) = await WithRedisAsync();
        await using var _ = cluster;
        using var __ = platform;
        var outcomes = platform.SubmitRequests(
        [
            new RequestSubmission(TestObjects.Redis("a")),
            new RequestSubmission(TestObjects.Redis("b", size: "huge")),
            new RequestSubmission(ClusterHarness.Json("""{"apiVersion":"nope.example.com/v1","kind":"Nope","metadata":{"name":"c"}}""")),
            new RequestSubmission(TestObjects.Redis("d")),
        ]);
        Assert.Equal("a", outcomes[0].Request!.Name);
        Assert.Equal("RequestInvalid", outcomes[1].Error!.ErrorId);
        Assert.Equal("PromiseNotFoundForRequest", outcomes[2].Error!.ErrorId);
        Assert.Equal("d", outcomes[3].Request!.Name);
        Assert.Equal(["a", "d"], platform.GetRequests().Select(r => r.Name).Order().ToArray());
    }

    [Fact]
    public async Task Credentials_become_the_Secret_upstream_reads_and_never_reach_a_message()
    {
        await using var cluster = await ClusterHarness.StartAsync();
        using var platform = cluster.Open();
        const string password = "s3cr3t-Pa55word";
        var store = platform.RegisterStateStore(TestObjects.GitStore(), new PasswordCredentials("kratix-bot", password));
        Assert.Equal("basicAuth", store.Spec["authMethod"]!.ToString());
        Assert.Equal("default-git-credentials", store.Spec["secretRef"]!["name"]!.ToString());

        var bucketSecret = ClusterHarness.Json("""{"apiVersion":"platform.kratix.io/v1alpha1","kind":"BucketStateStore","metadata":{"name":"minio"},"spec":{"endpoint":"minio.example.com","bucketName":"kratix","secretRef":{"name":"minio-keys","namespace":"kratix-platform-system"}}}""");
        platform.RegisterStateStore(bucketSecret, new BucketCredentials("AKIAEXAMPLE", password));

        using var client = new k8s.Kubernetes(KubernetesClientConfiguration.BuildConfigFromConfigFile(cluster.Kubeconfig));
        var git = await client.CoreV1.ReadNamespacedSecretAsync("default-git-credentials", "default");
        Assert.Equal("kratix-bot", Encoding.UTF8.GetString(git.Data["username"]));
        Assert.Equal(password, Encoding.UTF8.GetString(git.Data["password"]));
        var bucket = await client.CoreV1.ReadNamespacedSecretAsync("minio-keys", "kratix-platform-system");
        Assert.Equal("AKIAEXAMPLE", Encoding.UTF8.GetString(bucket.Data["accessKeyID"]));
        Assert.Equal(password, Encoding.UTF8.GetString(bucket.Data["secretAccessKey"]));

        Assert.Equal(["minio", "default"], platform.GetStateStores().Select(s => s.Name).ToArray());
        var messages = cluster.Log.Drain();
        Assert.Contains(messages, m => m.Message.Contains("default-git-credentials", StringComparison.Ordinal));
        Assert.DoesNotContain(messages, m => m.Message.Contains(password, StringComparison.Ordinal));
        Assert.Equal("NotSupportedOnCluster", Assert.Throws<KratixException>(() => platform.TestStateStore("GitStateStore", "default")).ErrorId);
    }

    [Fact]
    public async Task Sync_sets_upstreams_labels_and_the_controller_reruns_and_removes_them()
    {
        var (cluster, platform) = await WithRedisAsync();
        await using var _ = cluster;
        using var __ = platform;
        platform.SubmitRequest(TestObjects.Redis("cache"));
        platform.Wait(new WaitTarget("redis", "default", "cache", "Reconciled"), Timeout);

        var synced = platform.SyncRequest("redis", "default", "cache");
        Assert.Equal("true", synced.GetLabel(KratixApi.ManualReconciliationLabel));
        var promise = platform.SyncPromise("redis", includeRequests: true);
        Assert.Equal("true", promise.GetLabel(KratixApi.ReconcileResourcesLabel));

        var deadline = DateTime.UtcNow + Timeout;
        while (cluster.Controller!.ManualReconciliations.Count < 3 && DateTime.UtcNow < deadline)
        {
            await Task.Delay(50);
        }

        Assert.Contains("Redis/default/cache", cluster.Controller.ManualReconciliations);
        Assert.Contains("Promise/redis", cluster.Controller.ManualReconciliations);
        platform.Wait(new WaitTarget(null, null, "redis", "Available"), Timeout);
        Assert.Null(platform.GetPromises()[0].GetLabel(KratixApi.ManualReconciliationLabel));
        Assert.Equal("RequestNotFound", Assert.Throws<KratixException>(() => platform.SyncRequest("redis", "default", "nope")).ErrorId);
        Assert.Equal("NotSupportedOnCluster", Assert.Throws<KratixException>(() => platform.SyncPlatform()).ErrorId);
    }

    [Fact]
    public async Task Uninstalling_a_Promise_deletes_it_and_waits_for_its_finalizers()
    {
        var (cluster, platform) = await WithRedisAsync();
        await using var _ = cluster;
        using var __ = platform;
        platform.UninstallPromise("redis");
        Assert.Null(platform.Wait(new WaitTarget(null, null, "redis", null), Timeout));
        Assert.Empty(platform.GetPromises());
        Assert.Equal("PromiseNotFound", Assert.Throws<KratixException>(() => platform.UninstallPromise("redis")).ErrorId);
    }

    [Fact]
    public async Task Destinations_and_state_stores_are_listed_and_unregistered()
    {
        await using var cluster = await ClusterHarness.StartAsync();
        using var platform = cluster.Open();
        platform.RegisterStateStore(TestObjects.GitStore());
        platform.RegisterDestination(TestObjects.Destination());
        Assert.Equal("dev", Assert.Single(platform.GetDestinations()).Labels["env"]);
        platform.UnregisterDestination("worker-1");
        platform.UnregisterStateStore("GitStateStore", "default");
        Assert.Empty(platform.GetDestinations());
        Assert.Empty(platform.GetStateStores());
        Assert.Equal("DestinationNotFound", Assert.Throws<KratixException>(() => platform.UnregisterDestination("worker-1")).ErrorId);
        var invalid = Assert.Throws<AdmissionException>(() => platform.RegisterDestination(ClusterHarness.Json("""{"apiVersion":"platform.kratix.io/v1alpha1","kind":"Destination","metadata":{"name":"bad"},"spec":{"stateStoreRef":{"kind":"GitStateStore"}}}""")));
        Assert.Equal("DestinationInvalid", invalid.ErrorId);
        Assert.True(invalid.Problems.Count >= 2, string.Join("; ", invalid.Problems));
    }
}
