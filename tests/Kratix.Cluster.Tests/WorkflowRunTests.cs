using Kratix.Objects;
using Kratix.Pipelines;
using Kratix.Platforms;
using Kratix.Tracing;

namespace Kratix.Cluster.Tests;

/// <summary>
/// Workflow runs on a cluster are read from upstream's Jobs and their Pods (the controller stand-in makes them with
/// upstream's kratix.io labels, init containers and logs): GetWorkflowRun, the trace built on it, and the Pods' logs.
/// </summary>
public class WorkflowRunTests
{
    private static readonly TimeSpan Timeout = TimeSpan.FromSeconds(30);

    [Fact]
    public async Task A_requests_configure_run_is_its_Jobs_with_the_Pods_init_containers_and_their_logs()
    {
        await using var cluster = await ClusterHarness.StartAsync();
        cluster.Controller!.Script.ContainerLogs["render"] = "rendering redis\nwrote 1 document\n";
        using var platform = cluster.Open();
        platform.InstallPromise(TestObjects.RedisPromise());
        platform.Wait(new WaitTarget(null, null, "redis", "Available"), Timeout);
        platform.SubmitRequest(TestObjects.Redis("cache"));
        platform.Wait(new WaitTarget("redis", "default", "cache", "Reconciled"), Timeout);

        var run = Assert.IsType<WorkflowRunRecord>(platform.GetWorkflowRun(WorkflowTypes.Resource, WorkflowTypes.Configure, "redis", "default", "cache"));
        Assert.Equal("Kubernetes", run.Runtime);
        Assert.Equal("resource.configure", run.Workflow);
        Assert.NotNull(run.FinishedAt);
        Assert.StartsWith("Job default/kratix-redis-cache-instance-configure-", run.RecordPath, StringComparison.Ordinal);
        var pipeline = Assert.Single(run.Pipelines);
        Assert.Equal("instance-configure", pipeline.Name);
        Assert.Equal(PipelinePhases.Succeeded, pipeline.Phase);
        Assert.Equal(["reader", "render", "work-writer", "status-writer"], pipeline.Containers.Select(c => c.Name));
        Assert.All(pipeline.Containers, c => Assert.True(c.Succeeded));
        Assert.Equal("ghcr.io/acme/redis-pipeline:v1", pipeline.Containers[1].Image);

        var logs = platform.GetPipelineLogs(run).ToList();
        Assert.Equal("rendering redis\nwrote 1 document\n", logs.Single(l => l.Container == "render").Log);
        Assert.Equal("cache", logs[0].Request);
        Assert.Equal("wrote 1 document\n", platform.GetPipelineLogs(run, tail: 1).Single(l => l.Container == "render").Log);

        // No run of another request, nor of a delete workflow.
        Assert.Null(platform.GetWorkflowRun(WorkflowTypes.Resource, WorkflowTypes.Configure, "redis", "default", "other"));
        Assert.Null(platform.GetWorkflowRun(WorkflowTypes.Resource, WorkflowTypes.Delete, "redis", "default", "cache"));
    }

    [Fact]
    public async Task A_failed_run_names_the_container_that_failed_and_the_trace_shows_its_log_tail()
    {
        await using var cluster = await ClusterHarness.StartAsync();
        cluster.Controller!.Script.FailingRequests["broken"] = "render: the size \"small\" has no template";
        using var platform = cluster.Open();
        platform.InstallPromise(TestObjects.RedisPromise());
        platform.Wait(new WaitTarget(null, null, "redis", "Available"), Timeout);
        platform.SubmitRequest(TestObjects.Redis("broken"));
        await WaitUntil(() => platform.GetWorkflowRun(WorkflowTypes.Resource, WorkflowTypes.Configure, "redis", "default", "broken") is not null);

        var run = platform.GetWorkflowRun(WorkflowTypes.Resource, WorkflowTypes.Configure, "redis", "default", "broken")!;
        var pipeline = Assert.Single(run.Pipelines);
        Assert.Equal(PipelinePhases.Failed, pipeline.Phase);
        Assert.Contains("container \"render\" exited with code 1", pipeline.Error, StringComparison.Ordinal);
        Assert.Equal(["reader", "render"], pipeline.Containers.Select(c => c.Name)); // nothing after the failure ran

        await WaitUntil(() => platform.GetRequests("redis").Single().Conditions.Get("ConfigureWorkflowCompleted")?.Reason == "ConfigureWorkflowFailed");
        var request = Assert.Single(platform.GetRequests("redis"));
        var trace = PlatformTrace.Request(TraceSnapshot.From(platform), request);
        var workflow = Assert.Single(trace.Find("Workflow"));
        Assert.Equal(PipelinePhases.Failed, workflow.Status);
        Assert.Contains("Kubernetes", workflow.Summary, StringComparison.Ordinal);
        var render = trace.Find("Container").Single(c => c.Name == "render");
        Assert.Equal("ContainerFailed", render.Reason);
        Assert.Contains("│ render: the size \"small\" has no template", render.Notes);
        Assert.Contains("pod default/kratix-redis-broken-instance-configure-", render.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task The_trace_lookup_reads_every_Job_once_and_finds_the_same_runs_as_one_by_one()
    {
        await using var cluster = await ClusterHarness.StartAsync();
        using var platform = cluster.Open();
        platform.InstallPromise(TestObjects.RedisPromise());
        platform.Wait(new WaitTarget(null, null, "redis", "Available"), Timeout);
        cluster.Server.Create(ClusterHarness.Json("""{"apiVersion":"v1","kind":"Namespace","metadata":{"name":"team-a"}}"""));
        platform.SubmitRequest(TestObjects.Redis("one"));
        platform.SubmitRequest(TestObjects.Redis("one", ns: "team-a"));
        platform.Wait(new WaitTarget("redis", "default", "one", "Reconciled"), Timeout);
        platform.Wait(new WaitTarget("redis", "team-a", "one", "Reconciled"), Timeout);

        var lookup = platform.WorkflowRunLookup();
        foreach (var ns in new[] { "default", "team-a" })
        {
            var bulk = lookup(WorkflowTypes.Resource, WorkflowTypes.Configure, "redis", ns, "one");
            var single = platform.GetWorkflowRun(WorkflowTypes.Resource, WorkflowTypes.Configure, "redis", ns, "one");
            Assert.NotNull(bulk);
            Assert.Equal(single!.RecordPath, bulk.RecordPath);
            Assert.StartsWith($"Job {ns}/", bulk.RecordPath, StringComparison.Ordinal);
        }

        Assert.Null(lookup(WorkflowTypes.Resource, WorkflowTypes.Configure, "redis", "team-b", "one"));
    }

    [Fact]
    public async Task A_manual_reconciliation_is_a_new_run_and_the_last_run_is_the_newest_Jobs()
    {
        await using var cluster = await ClusterHarness.StartAsync();
        using var platform = cluster.Open();
        platform.InstallPromise(TestObjects.RedisPromise());
        platform.Wait(new WaitTarget(null, null, "redis", "Available"), Timeout);
        platform.SubmitRequest(TestObjects.Redis("cache"));
        platform.Wait(new WaitTarget("redis", "default", "cache", "Reconciled"), Timeout);
        var first = platform.GetWorkflowRun(WorkflowTypes.Resource, WorkflowTypes.Configure, "redis", "default", "cache")!;

        await Task.Delay(1100); // creation timestamps have whole seconds
        platform.SyncRequest("redis", "default", "cache");
        await WaitUntil(() => cluster.Controller!.PipelineJobs.Count(j => j.StartsWith("default/kratix-redis-cache-", StringComparison.Ordinal)) == 2);
        var second = platform.GetWorkflowRun(WorkflowTypes.Resource, WorkflowTypes.Configure, "redis", "default", "cache")!;
        Assert.NotEqual(first.RecordPath, second.RecordPath);
        Assert.Single(second.Pipelines);
    }

    private static async Task WaitUntil(Func<bool> condition)
    {
        var until = DateTimeOffset.UtcNow + Timeout;
        while (!condition())
        {
            Assert.True(DateTimeOffset.UtcNow < until, "timed out");
            await Task.Delay(50);
        }
    }
}
