using System.Diagnostics;
using System.Text.Json.Nodes;
using k8s;

namespace Kratix.ApiServerDouble.Tests;

/// <summary>The double is concurrent-safe and quick enough for a benchmark of a thousand requests.</summary>
public sealed class LoadTests
{
    [Fact(Timeout = TestSupport.Timeout)]
    public async Task A_thousand_concurrent_applies_each_get_a_distinct_resourceVersion_and_none_is_lost()
    {
        await using var server = await TestSupport.StartAsync(o => o.BookmarkInterval = TimeSpan.Zero);
        using var client = TestSupport.Client(server);
        var events = 0;
        using var watcher = client.CoreV1.WatchListNamespacedConfigMap("default", resourceVersion: server.Storage.Revision.ToString(), onEvent: (_, _) => Interlocked.Increment(ref events));
        var watch = Stopwatch.StartNew();
        var versions = new System.Collections.Concurrent.ConcurrentBag<string>();
        await Parallel.ForEachAsync(Enumerable.Range(0, 1000), new ParallelOptions { MaxDegreeOfParallelism = 8 }, async (i, ct) =>
        {
            string body = $$$"""{"apiVersion":"v1","kind":"ConfigMap","metadata":{"name":"cm-{{{i}}}","labels":{"batch":"load"}},"data":{"i":"{{{i}}}"}}""";
            var cm = await client.CoreV1.PatchNamespacedConfigMapAsync(new k8s.Models.V1Patch(body, k8s.Models.V1Patch.PatchType.ApplyPatch), "cm-" + i, "default", fieldManager: "load", cancellationToken: ct);
            versions.Add(cm.Metadata.ResourceVersion);
        });
        watch.Stop();
        Assert.Equal(1000, versions.Distinct().Count());
        Assert.Equal(1000, (await client.CoreV1.ListNamespacedConfigMapAsync("default", labelSelector: "batch=load")).Items.Count);
        for (int i = 0; i < 300 && Volatile.Read(ref events) < 1000; i++)
        {
            await Task.Delay(50);
        }

        Assert.Equal(1000, Volatile.Read(ref events));
        // Generous bound for a shared 2-core machine; typically well under 10 s.
        Assert.True(watch.Elapsed < TimeSpan.FromSeconds(40), "1,000 applies took " + watch.Elapsed);
    }
}
