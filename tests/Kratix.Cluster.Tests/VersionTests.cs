using System.Text.Json.Nodes;
using k8s;
using k8s.Models;
using Kratix.Kubernetes;
using Kratix.Objects;
using Kratix.Platforms;

namespace Kratix.Cluster.Tests;

/// <summary>
/// Promise versions on a cluster: upstream's controller makes the PromiseRevisions and ResourceBindings (here the
/// controller stand-in, tests/Kratix.ClusterDouble, and the test for an older revision, through the API server double,
/// which serves upstream's CRDs); the platform reads them, moves
/// a request by applying its binding's spec.version, deletes old revisions and applies PromiseReleases.
/// </summary>
public class VersionTests
{
    private static readonly TimeSpan Timeout = TimeSpan.FromSeconds(30);

    private static async Task<(ClusterHarness Cluster, Platforms.Cluster.ClusterPlatform Platform, k8s.Kubernetes Kubectl)> WithRevisionsAsync()
    {
        var cluster = await ClusterHarness.StartAsync();
        var platform = cluster.Open();
        var promise = TestObjects.RedisPromise();
        promise["metadata"]!["labels"] = new JsonObject { [KratixApi.PromiseVersionLabel] = "v2.0.0" };
        platform.InstallPromise(promise);
        platform.Wait(new WaitTarget(null, null, "redis", "Available"), Timeout);
        platform.SubmitRequest(TestObjects.Redis("cache"));
        var kubectl = new k8s.Kubernetes(KubernetesClientConfiguration.BuildConfigFromConfigFile(cluster.Kubeconfig));
        // The controller stand-in makes v2.0.0's revision (the installed version); v1.0.0's is an older one, as an upgrade leaves it.
        var deadline = DateTime.UtcNow + Timeout;
        while (platform.GetPromiseRevisions("redis").Count == 0 && DateTime.UtcNow < deadline)
        {
            await Task.Delay(50);
        }

        await RevisionAsync(kubectl, "v1.0.0", latest: false);
        return (cluster, platform, kubectl);
    }

    /// <summary>A revision as upstream's Promise controller makes it: name, labels, spec, then status.latest through the status subresource.</summary>
    private static async Task RevisionAsync(k8s.Kubernetes kubectl, string version, bool latest)
    {
        var revision = Versioning.NewRevision("redis", version, TestObjects.RedisPromise()["spec"]!.AsObject());
        if (latest)
        {
            revision["metadata"]!["labels"]![Versioning.LatestRevisionLabel] = "true";
        }

        var name = revision["metadata"]!["name"]!.ToString();
        await kubectl.CustomObjects.PatchClusterCustomObjectAsync(new V1Patch(revision.ToJsonString(), V1Patch.PatchType.ApplyPatch), KratixApi.Group, KratixApi.Version, "promiserevisions", name, fieldManager: "manager");
        await kubectl.CustomObjects.PatchClusterCustomObjectStatusAsync(new V1Patch(new JsonObject { ["status"] = new JsonObject { ["latest"] = latest } }.ToJsonString(), V1Patch.PatchType.MergePatch), KratixApi.Group, KratixApi.Version, "promiserevisions", name);
    }

    [Fact]
    public async Task Revisions_are_read_as_upstream_made_them_and_filtered_by_promise()
    {
        var (cluster, platform, kubectl) = await WithRevisionsAsync();
        await using var _ = cluster;
        using var __ = platform;
        using var ___ = kubectl;

        var revisions = platform.GetPromiseRevisions("redis");
        Assert.Equal(2, revisions.Count);
        Assert.All(revisions, r => Assert.Equal(KratixApi.PromiseRevisionKind, r.Kind));
        var latest = Assert.Single(revisions, r => r.Status.GetBool("latest") == true);
        Assert.Equal("v2.0.0", latest.Spec.GetString("version"));
        Assert.Equal("redis-" + GeneratedNames.Md5("v2.0.0")[..5], latest.Name);
        Assert.Empty(platform.GetPromiseRevisions("other"));
    }

    [Fact]
    public async Task Moving_a_request_applies_its_bindings_version_keeping_upstreams_fields()
    {
        var (cluster, platform, kubectl) = await WithRevisionsAsync();
        await using var _ = cluster;
        using var __ = platform;
        using var ___ = kubectl;
        // The binding as upstream's dynamic controller made it (another field manager, version latest).
        var binding = Versioning.NewBinding("redis", "default", "cache", "latest");
        var name = binding["metadata"]!["name"]!.ToString();
        await kubectl.CustomObjects.PatchNamespacedCustomObjectAsync(new V1Patch(binding.ToJsonString(), V1Patch.PatchType.ApplyPatch), KratixApi.Group, KratixApi.Version, "default", "resourcebindings", name, fieldManager: "manager");

        var request = platform.SetRequestVersion("redis", "default", "cache", "v1.0.0");

        Assert.Equal("cache", request.Name);
        var moved = Assert.Single(platform.GetResourceBindings("redis", "default"));
        Assert.Equal(name, moved.Name);
        Assert.Equal("v1.0.0", moved.Spec.GetString("version"));
        Assert.Equal("cache", moved.Spec["resourceRef"]?["name"]?.ToString());
        Assert.Equal("redis", moved.Spec["promiseRef"]?["name"]?.ToString());
        var managers = ((JsonArray)moved.Metadata["managedFields"]!).OfType<JsonObject>().Select(m => m["manager"]?.ToString()).ToList();
        Assert.Contains(KubeApi.FieldManager, managers);

        platform.SetRequestVersion("redis", "default", "cache", "latest");
        Assert.Equal("latest", Assert.Single(platform.GetResourceBindings()).Spec.GetString("version"));
    }

    [Fact]
    public async Task A_request_without_a_binding_gets_one_named_and_labelled_as_upstream_would()
    {
        var (cluster, platform, kubectl) = await WithRevisionsAsync();
        await using var _ = cluster;
        using var __ = platform;
        using var ___ = kubectl;

        platform.SetRequestVersion("redis", "default", "cache", "v2.0.0");

        var binding = Assert.Single(platform.GetResourceBindings());
        Assert.Equal("cache-redis-" + GeneratedNames.Md5("cache-redis")[..5], binding.Name);
        Assert.Equal("redis", binding.GetLabel(KratixApi.PromiseNameLabel));
        Assert.Equal("cache", binding.GetLabel(KratixApi.ResourceNameLabel));
        Assert.Equal("v2.0.0", binding.Spec.GetString("version"));
    }

    [Fact]
    public async Task A_version_without_a_revision_or_a_missing_request_is_refused()
    {
        var (cluster, platform, kubectl) = await WithRevisionsAsync();
        await using var _ = cluster;
        using var __ = platform;
        using var ___ = kubectl;

        var error = Assert.Throws<KratixException>(() => platform.SetRequestVersion("redis", "default", "cache", "v9"));
        Assert.Equal("PromiseRevisionNotFound", error.ErrorId);
        Assert.Contains("v1.0.0, v2.0.0", error.Message, StringComparison.Ordinal);
        Assert.Equal("RequestNotFound", Assert.Throws<KratixException>(() => platform.SetRequestVersion("redis", "default", "absent", "latest")).ErrorId);
        Assert.DoesNotContain(platform.GetResourceBindings(), b => b.Spec.GetString("version") == "v9");
    }

    [Fact]
    public async Task The_latest_revision_is_not_deleted_and_an_older_one_is()
    {
        var (cluster, platform, kubectl) = await WithRevisionsAsync();
        await using var _ = cluster;
        using var __ = platform;
        using var ___ = kubectl;
        var latest = "redis-" + GeneratedNames.Md5("v2.0.0")[..5];

        Assert.Equal("PromiseRevisionIsLatest", Assert.Throws<KratixException>(() => platform.RemovePromiseRevision(latest)).ErrorId);
        platform.RemovePromiseRevision("redis-" + GeneratedNames.Md5("v1.0.0")[..5]);

        Assert.Equal([latest], platform.GetPromiseRevisions().Select(r => r.Name));
        Assert.Equal("PromiseRevisionNotFound", Assert.Throws<KratixException>(() => platform.RemovePromiseRevision("absent")).ErrorId);
    }

    [Fact]
    public async Task A_promise_release_is_applied_for_upstreams_controller_to_fetch()
    {
        await using var cluster = await ClusterHarness.StartAsync();
        using var platform = cluster.Open();

        var release = platform.InstallPromiseRelease(PromiseReleases.New("redis", new Uri("https://promises.example.test/redis.yaml"), "v2.0.0", "promise-token", "kratix-platform-system"));

        Assert.Equal(KratixApi.PromiseReleaseKind, release.Kind);
        Assert.Equal("v2.0.0", release.Spec.GetString("version"));
        Assert.Equal("https://promises.example.test/redis.yaml", release.Spec["sourceRef"]?["url"]?.ToString());
        Assert.Equal("promise-token", release.Spec["sourceRef"]?["secretRef"]?["name"]?.ToString());
        Assert.Equal("PromiseReleaseInvalid", Assert.Throws<KratixException>(() => platform.InstallPromiseRelease(new JsonObject { ["apiVersion"] = KratixApi.ApiVersion, ["kind"] = "PromiseRelease", ["metadata"] = new JsonObject { ["name"] = "x" }, ["spec"] = new JsonObject { ["sourceRef"] = new JsonObject { ["type"] = "http" } } })).ErrorId);
    }
}
