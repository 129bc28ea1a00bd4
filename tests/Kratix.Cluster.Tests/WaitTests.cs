using Kratix.Platforms;

namespace Kratix.Cluster.Tests;

/// <summary>Waiting on upstream's controllers: watch, resume, reconnect, 410 Gone, timeouts that say why.</summary>
public class WaitTests
{
    private static readonly TimeSpan Timeout = TimeSpan.FromSeconds(30);

    [Fact]
    public async Task A_timeout_says_which_condition_is_not_true_and_why()
    {
        await using var cluster = await ClusterHarness.StartAsync();
        using var platform = cluster.Open();
        platform.InstallPromise(TestObjects.RedisPromise());
        platform.Wait(new WaitTarget(null, null, "redis", "Available"), Timeout);
        cluster.Controller!.Script.FailingRequests["cache"] = "pipeline instance-configure failed: exit code 1";
        platform.SubmitRequest(TestObjects.Redis("cache"));

        var ex = Assert.Throws<KratixException>(() => platform.Wait(new WaitTarget("redis", "default", "cache", "Reconciled"), TimeSpan.FromSeconds(2)));
        Assert.Equal("WaitConditionNotMet", ex.ErrorId);
        Assert.Equal(KratixErrorCategory.OperationTimeout, ex.Category);
        Assert.Contains("request \"default/cache\" of Promise \"redis\" was not Reconciled within 00:00:02", ex.Message, StringComparison.Ordinal);
        Assert.Contains("condition Reconciled is False (reason ConfigureWorkflowFailed)", ex.Message, StringComparison.Ordinal);

        var why = Assert.Throws<KratixException>(() => platform.Wait(new WaitTarget("redis", "default", "cache", "ConfigureWorkflowCompleted"), TimeSpan.FromSeconds(1)));
        Assert.Contains("pipeline instance-configure failed: exit code 1", why.Message, StringComparison.Ordinal);

        // Any condition type may be awaited; one that never comes says so.
        var never = Assert.Throws<KratixException>(() => platform.Wait(new WaitTarget("redis", "default", "cache", "HealthChecked"), TimeSpan.FromSeconds(1)));
        Assert.Contains("has no HealthChecked condition yet", never.Message, StringComparison.Ordinal);

        Assert.NotEmpty(cluster.Log.DrainProgress());
    }

    [Fact]
    public async Task A_stopped_controller_leaves_a_Promise_without_conditions()
    {
        await using var cluster = await ClusterHarness.StartAsync();
        cluster.Controller!.Script.Stopped = true;
        using var platform = cluster.Open();
        platform.InstallPromise(TestObjects.RedisPromise());
        var ex = Assert.Throws<KratixException>(() => platform.Wait(new WaitTarget(null, null, "redis", "Available"), TimeSpan.FromSeconds(1)));
        Assert.Contains("has no Available condition yet (no controller has reconciled it)", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_dropped_watch_is_reconnected_and_the_wait_ends_when_the_condition_comes()
    {
        await using var cluster = await ClusterHarness.StartAsync();
        cluster.Controller!.Script.Stopped = true;
        using var platform = cluster.Open();
        platform.InstallPromise(TestObjects.RedisPromise());
        var waiting = Task.Run(() => platform.Wait(new WaitTarget(null, null, "redis", "Available"), Timeout));
        await WatchOpen(cluster);
        Assert.True(cluster.Server.Faults.DropWatches() > 0);
        await Task.Delay(300);
        Assert.False(waiting.IsCompleted);
        cluster.Controller.Script.Stopped = false;
        Assert.NotNull(await waiting.WaitAsync(Timeout));
    }

    [Fact]
    public async Task After_410_Gone_the_wait_lists_again()
    {
        await using var cluster = await ClusterHarness.StartAsync();
        cluster.Controller!.Script.Stopped = true;
        using var platform = cluster.Open();
        platform.InstallPromise(TestObjects.RedisPromise());
        var waiting = Task.Run(() => platform.Wait(new WaitTarget(null, null, "redis", "Available"), Timeout));
        await WatchOpen(cluster);

        // History moves on and is compacted while the watch is down: resuming from its resourceVersion is 410 Gone.
        cluster.Server.Faults.FailNext(503, times: 3, when: (info, _) => info?.Resource == "promises" && info.Verb == "watch");
        cluster.Server.Faults.DropWatches();
        platform.RegisterDestination(TestObjects.Destination());
        cluster.Server.Faults.CompactHistory();
        cluster.Controller.Script.Stopped = false;
        Assert.NotNull(await waiting.WaitAsync(Timeout));
    }

    [Fact]
    public async Task Bookmarks_keep_the_resourceVersion_moving()
    {
        await using var cluster = await ClusterHarness.StartAsync();
        cluster.Controller!.Script.Stopped = true;
        using var platform = cluster.Open();
        platform.InstallPromise(TestObjects.RedisPromise());
        var waiting = Task.Run(() => platform.Wait(new WaitTarget(null, null, "redis", "Available"), Timeout));
        await WatchOpen(cluster);
        for (var i = 0; i < 3; i++)
        {
            platform.RegisterDestination(TestObjects.Destination("d" + i));
            cluster.Server.Faults.SendBookmarks();
        }

        cluster.Server.Faults.CompactHistory();
        cluster.Server.Faults.DropWatches();
        cluster.Controller.Script.Stopped = false;
        Assert.NotNull(await waiting.WaitAsync(Timeout));
    }

    [Fact]
    public async Task Waiting_for_a_request_of_a_Promise_that_is_gone_is_over_when_waiting_for_deletion()
    {
        await using var cluster = await ClusterHarness.StartAsync();
        using var platform = cluster.Open();
        Assert.Null(platform.Wait(new WaitTarget("nothing", "default", "cache", null), Timeout));
        Assert.Equal("PromiseNotFound", Assert.Throws<KratixException>(() => platform.Wait(new WaitTarget("nothing", "default", "cache", "Reconciled"), Timeout)).ErrorId);
    }

    private static async Task WatchOpen(ClusterHarness cluster)
    {
        var deadline = DateTime.UtcNow + Timeout;
        while (cluster.Server.Storage.WatchCount == 0 && DateTime.UtcNow < deadline)
        {
            await Task.Delay(20);
        }
    }
}
