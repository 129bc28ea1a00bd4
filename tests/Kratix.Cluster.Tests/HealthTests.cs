using System.Text.Json.Nodes;
using Kratix.Admission;
using Kratix.Health;
using Kratix.Kubernetes;
using Kratix.Objects;
using Kratix.Platforms;

namespace Kratix.Cluster.Tests;

/// <summary>
/// HealthRecords and the probe on a cluster: applied and read through the API server (which validates them against
/// upstream's CRD); the request's healthStatus is what the controller stand-in aggregates, read from the request's status.
/// </summary>
public class HealthTests
{
    private static readonly TimeSpan Timeout = TimeSpan.FromSeconds(30);

    private static JsonObject Record(string name, string state, string request = "example") => ClusterHarness.Json("""
        {"apiVersion":"platform.kratix.io/v1alpha1","kind":"HealthRecord","metadata":{"name":"NAME","namespace":"default"},
         "data":{"promiseRef":{"name":"redis"},"resourceRef":{"name":"REQUEST","namespace":"default","generation":1},
                 "state":"STATE","lastRun":1738158772,"details":{"info":"message"}}}
        """.Replace("NAME", name, StringComparison.Ordinal).Replace("REQUEST", request, StringComparison.Ordinal).Replace("STATE", state, StringComparison.Ordinal));

    private static async Task<(ClusterHarness Cluster, Platforms.Cluster.ClusterPlatform Platform)> WithRequestAsync()
    {
        var cluster = await ClusterHarness.StartAsync();
        var platform = cluster.Open();
        platform.InstallPromise(TestObjects.RedisPromise());
        platform.Wait(new WaitTarget(null, null, "redis", "Available"), Timeout);
        platform.SubmitRequest(TestObjects.Redis("example"));
        platform.Wait(new WaitTarget("redis", "default", "example", "Reconciled"), Timeout);
        return (cluster, platform);
    }

    private static async Task<JsonObject?> EventuallyAsync(Platforms.Cluster.ClusterPlatform platform, Func<JsonObject?, bool> healthStatusIs)
    {
        JsonObject? last = null;
        for (var deadline = DateTime.UtcNow + Timeout; DateTime.UtcNow < deadline; await Task.Delay(50))
        {
            last = platform.GetRequests("redis", "default").Single(r => r.Name == "example").Status["healthStatus"] as JsonObject;
            if (healthStatusIs(last))
            {
                return last;
            }
        }

        Assert.Fail($"healthStatus never became as expected; last: {last?.ToJsonString() ?? "none"}");
        return null;
    }

    [Fact]
    public async Task Records_are_applied_by_server_side_apply_and_the_requests_healthStatus_aggregates_them_as_upstream()
    {
        var (cluster, platform) = await WithRequestAsync();
        await using var _ = cluster;
        using var __ = platform;

        var healthy = platform.ApplyHealthRecord(Record("healthy-example", "healthy"));
        platform.ApplyHealthRecord(Record("unhealthy-example", "unhealthy"));

        Assert.Contains(KubeApi.FieldManager, ((JsonArray)healthy.Metadata["managedFields"]!).OfType<JsonObject>().Select(m => (string?)m["manager"]));
        Assert.Equal(["healthy-example", "unhealthy-example"], platform.GetHealthRecords("default").Select(r => r.Name));
        var status = await EventuallyAsync(platform, s => s?["healthRecords"] is JsonArray { Count: 2 });
        Assert.Equal("unhealthy", status!["state"]!.GetValue<string>());
        Assert.Equal("healthy-example", status["healthRecords"]![0]!["source"]!["name"]!.GetValue<string>());
        Assert.Equal("message", status["healthRecords"]![0]!["details"]!["info"]!.GetValue<string>());
        Assert.Contains("kratix.io/health-record-cleanup", platform.GetHealthRecords().Select(r => r.Node["metadata"]?["finalizers"]?[0]?.GetValue<string>()));

        platform.RemoveHealthRecord("default", "unhealthy-example");
        status = await EventuallyAsync(platform, s => s?["healthRecords"] is JsonArray { Count: 1 });
        Assert.Equal("healthy", status!["state"]!.GetValue<string>());

        platform.RemoveHealthRecord("default", "healthy-example");
        status = await EventuallyAsync(platform, s => s?["healthRecords"] is null && s?["state"]?.GetValue<string>() == "ready");
        for (var deadline = DateTime.UtcNow + Timeout; platform.GetHealthRecords().Count > 0 && DateTime.UtcNow < deadline;)
        {
            await Task.Delay(50);
        }

        Assert.Empty(platform.GetHealthRecords());
        Assert.Equal("HealthRecordNotFound", Assert.Throws<KratixException>(() => platform.RemoveHealthRecord("default", "healthy-example")).ErrorId);
    }

    [Fact]
    public async Task The_API_server_validates_a_record_against_upstreams_crd()
    {
        await using var cluster = await ClusterHarness.StartAsync();
        using var platform = cluster.Open();
        var bad = Record("bad", "great");

        var refused = Assert.Throws<AdmissionException>(() => platform.ApplyHealthRecord(bad));

        Assert.Equal("HealthRecordInvalid", refused.ErrorId);
        Assert.Contains(refused.Problems, p => p.Contains("data.state", StringComparison.Ordinal) && p.Contains("great", StringComparison.Ordinal));
        Assert.Empty(platform.GetHealthRecords());
    }

    [Fact]
    public async Task A_probe_waits_for_Reconciled_and_for_upstream_to_report_the_write_then_removes_its_request()
    {
        var (cluster, platform) = await WithRequestAsync();
        await using var _ = cluster;
        using var __ = platform;
        var promise = platform.GetPromises().Single();

        var result = PromiseProbe.Run(platform, "redis", PromiseProbe.BuildRequest(promise, TestObjects.Redis("cache"), null, null), Timeout, TimeSpan.FromMilliseconds(100));

        Assert.True(result.Success, result.Message);
        Assert.Equal("Cluster", result.Backend);
        Assert.Matches("^cache-probe-[a-z0-9]{5}$", result.Request);
        var check = Assert.Single(result.Placements);
        Assert.True(check.Written);
        Assert.Equal("worker-1", check.Destination);
        // The stand-in takes RequestDelay (200 ms) to reconcile; removal waits for the finalizers (DeletionDelay, 200 ms).
        Assert.True(result.TimeToReconciled >= TimeSpan.FromMilliseconds(150), $"{result.TimeToReconciled}");
        Assert.True(result.TimeToRemoved >= TimeSpan.FromMilliseconds(150), $"{result.TimeToRemoved}");
        Assert.DoesNotContain(platform.GetRequests("redis"), r => r.Name == result.Request);

        var record = PromiseProbe.Record(platform, "redis", "default", "redis-probe", HealthRecord.StateHealthy, result.ToDetails());
        Assert.False(record.HasRequest);
        Assert.Equal("redis-probe", Assert.Single(platform.GetHealthRecords(), r => r.Name == "redis-probe").Name);
    }

    [Fact]
    public async Task A_probe_whose_workflow_fails_fails_at_Reconciled()
    {
        var (cluster, platform) = await WithRequestAsync();
        await using var _ = cluster;
        using var __ = platform;
        var request = PromiseProbe.BuildRequest(platform.GetPromises().Single(), TestObjects.Redis("broken"), null, null);
        cluster.Controller!.Script.FailingRequests[new KubeObject(request).Name] = "render: exit status 1";

        var result = PromiseProbe.Run(platform, "redis", request, TimeSpan.FromSeconds(3), TimeSpan.FromMilliseconds(100));

        Assert.False(result.Success);
        Assert.Equal(PromiseProbe.StepReconciled, result.FailedStep);
        Assert.Contains("Reconciled", result.Message, StringComparison.Ordinal);
        Assert.DoesNotContain(platform.GetRequests("redis"), r => r.Name == result.Request);
    }
}
