using Kratix.Kubernetes;
using Kratix.Platforms;
using Kratix.Platforms.Cluster;

namespace Kratix.Cluster.Tests;

/// <summary>
/// Optimistic-concurrency 409s on the module's writes are sent again, bounded; a request of a Promise whose API is not
/// served yet waits for it, bounded and in progress, then applies or is refused clearly.
/// </summary>
public class ConflictAndApiWaitTests
{
    private static readonly TimeSpan Timeout = TimeSpan.FromSeconds(30);

    private static ClusterPlatform Open(ClusterHarness cluster, TimeSpan? apiWait = null) =>
        new(KubeConnection.Open(cluster.Location), new ClusterPlatformOptions { Log = cluster.Log, ApiWaitTimeout = apiWait ?? TimeSpan.FromSeconds(30) });

    [Fact]
    public async Task A_409_the_object_has_been_modified_is_sent_again_and_the_write_succeeds()
    {
        await using var cluster = await ClusterHarness.StartAsync(controller: false);
        using var platform = Open(cluster);
        var fault = cluster.Server.Faults.FailNext(409, times: 2, when: (info, method) => method == "PATCH" && info?.Resource == "promises");

        Assert.Equal("redis", platform.InstallPromise(TestObjects.RedisPromise()).Name);
        Assert.Equal(0, fault.Remaining);
        Assert.Equal(2, cluster.Log.Drain().Count(m => m.Message.Contains("409 Conflict", StringComparison.Ordinal)));
    }

    [Fact]
    public async Task A_409_that_keeps_coming_is_an_error_after_the_bounded_attempts()
    {
        await using var cluster = await ClusterHarness.StartAsync(controller: false);
        using var platform = Open(cluster);
        cluster.Server.Faults.FailNext(409, times: 100, when: (info, method) => method == "PATCH" && info?.Resource == "destinations");

        var ex = Assert.Throws<KubeApiException>(() => platform.RegisterDestination(TestObjects.Destination()));
        Assert.Equal("ClusterConflict", ex.ErrorId);
        Assert.Contains("still after 5 attempts", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_request_sent_before_its_Promises_API_is_served_waits_for_it_in_progress()
    {
        await using var cluster = await ClusterHarness.StartAsync();
        cluster.Controller!.Script.PromiseDelay = TimeSpan.FromSeconds(2);
        using var platform = Open(cluster);
        platform.InstallPromise(TestObjects.RedisPromise());

        var request = platform.SubmitRequest(TestObjects.Redis("early")); // at once: the CRD comes 2 s later
        Assert.Equal("early", request.Name);
        Assert.Contains(cluster.Log.DrainProgress(), p => p.Activity.StartsWith("Waiting for Promise \"redis\"'s API (Redis, marketplace.kratix.io/v1alpha1)", StringComparison.Ordinal));
        platform.Wait(new WaitTarget("redis", "default", "early", "Reconciled"), Timeout);
    }

    [Fact]
    public async Task A_Promises_API_that_never_comes_is_a_clear_error_after_the_bounded_wait()
    {
        await using var cluster = await ClusterHarness.StartAsync();
        cluster.Controller!.Script.Stopped = true;
        using var platform = Open(cluster, TimeSpan.FromSeconds(1));
        platform.InstallPromise(TestObjects.RedisPromise());

        var clock = System.Diagnostics.Stopwatch.StartNew();
        var outcomes = platform.SubmitRequests([new RequestSubmission(TestObjects.Redis("a")), new RequestSubmission(TestObjects.Redis("b"))]);
        Assert.True(clock.Elapsed < TimeSpan.FromSeconds(10), $"waited {clock.Elapsed}");
        Assert.All(outcomes, o =>
        {
            Assert.Equal("PromiseApiNotServed", o.Error?.ErrorId);
            Assert.Contains("still after waiting 1 s", o.Error!.Message, StringComparison.Ordinal);
            Assert.Contains("Wait-KratixPromise redis", o.Error.Message, StringComparison.Ordinal);
        });
        Assert.Single(cluster.Log.DrainProgress(), p => p.Finished && p.Activity.StartsWith("Waiting for Promise", StringComparison.Ordinal)); // one wait for both
    }
}
