using System.Collections.Concurrent;
using System.Text.Json;
using System.Text.Json.Nodes;
using k8s;
using k8s.Models;

namespace Kratix.ApiServerDouble.Tests;

/// <summary>Watches through the official client's watcher: events, selectors, bookmarks, 410 Gone, dropped connections.</summary>
public sealed class WatchTests
{
    private const string G = "platform.kratix.io";
    private const string V = "v1alpha1";

    private static async Task Until(Func<bool> condition, string what)
    {
        for (int i = 0; i < 300; i++)
        {
            if (condition())
            {
                return;
            }

            await Task.Delay(50);
        }

        throw new Xunit.Sdk.XunitException("timed out waiting for " + what);
    }

    [Fact(Timeout = TestSupport.Timeout)]
    public async Task A_watch_from_a_resourceVersion_sees_every_change_after_it_in_order()
    {
        await using var server = await TestSupport.StartAsync();
        using var client = TestSupport.Client(server);
        var list = await client.CoreV1.ListNamespacedConfigMapAsync("default");
        await client.CoreV1.CreateNamespacedConfigMapAsync(new V1ConfigMap { Metadata = new() { Name = "a", Labels = new Dictionary<string, string> { ["w"] = "yes" } } }, "default");

        var events = new ConcurrentQueue<(WatchEventType Type, string Name, string Rv)>();
        using var watcher = client.CoreV1.WatchListNamespacedConfigMap("default", resourceVersion: list.Metadata.ResourceVersion, labelSelector: "w=yes",
            onEvent: (type, cm) => events.Enqueue((type, cm.Metadata.Name, cm.Metadata.ResourceVersion)));
        await Until(() => events.Count == 1, "the ADDED event from before the watch");

        var b = await client.CoreV1.CreateNamespacedConfigMapAsync(new V1ConfigMap { Metadata = new() { Name = "b", Labels = new Dictionary<string, string> { ["w"] = "yes" } } }, "default");
        await client.CoreV1.CreateNamespacedConfigMapAsync(new V1ConfigMap { Metadata = new() { Name = "unseen" } }, "default");
        b.Data = new Dictionary<string, string> { ["k"] = "v" };
        await client.CoreV1.ReplaceNamespacedConfigMapAsync(b, "b", "default");
        // Leaving the selector is a DELETED event for this watch.
        await client.CoreV1.PatchNamespacedConfigMapAsync(new V1Patch("""{"metadata":{"labels":{"w":"no"}}}""", V1Patch.PatchType.MergePatch), "b", "default");
        await client.CoreV1.DeleteNamespacedConfigMapAsync("a", "default");
        await Until(() => events.Count == 5, "five events");
        Assert.Equal(
            [(WatchEventType.Added, "a"), (WatchEventType.Added, "b"), (WatchEventType.Modified, "b"), (WatchEventType.Deleted, "b"), (WatchEventType.Deleted, "a")],
            events.Select(e => (e.Type, e.Name)));
        var rvs = events.Select(e => long.Parse(e.Rv)).ToList();
        Assert.Equal(rvs.Order(), rvs);
    }

    [Fact(Timeout = TestSupport.Timeout)]
    public async Task Bookmarks_carry_the_current_resourceVersion_and_initial_events_end_with_one()
    {
        await using var server = await TestSupport.StartAsync(o => o.BookmarkInterval = TimeSpan.Zero);
        using var client = TestSupport.Client(server);
        await client.CustomObjects.CreateClusterCustomObjectAsync(TestSupport.Yaml(TestSupport.Promise("configtest", "promise.yaml")), G, V, "promises");
        var events = new ConcurrentQueue<(WatchEventType Type, JsonObject Obj)>();
        // sendInitialEvents is not a parameter of the generated client: ask over HTTP for the streaming-list form.
        using var http = new HttpClient(new HttpClientHandler { ServerCertificateCustomValidationCallback = (_, _, _, _) => true });
        http.DefaultRequestHeaders.Authorization = new System.Net.Http.Headers.AuthenticationHeaderValue("Bearer", server.AdminToken);
        using var stream = await http.GetStreamAsync(new Uri(server.Uri, "/apis/platform.kratix.io/v1alpha1/promises?watch=1&allowWatchBookmarks=true&sendInitialEvents=true&resourceVersionMatch=NotOlderThan&timeoutSeconds=5"));
        using var reader = new StreamReader(stream);
        var added = JsonNode.Parse((await reader.ReadLineAsync())!)!;
        Assert.Equal("ADDED", added["type"]!.GetValue<string>());
        var end = JsonNode.Parse((await reader.ReadLineAsync())!)!;
        Assert.Equal("BOOKMARK", end["type"]!.GetValue<string>());
        Assert.Equal("true", end["object"]!["metadata"]!["annotations"]!["k8s.io/initial-events-end"]!.GetValue<string>());
        Assert.Equal(server.Storage.Revision.ToString(), end["object"]!["metadata"]!["resourceVersion"]!.GetValue<string>());

        // Through the client's watcher: a bookmark is an event of its own.
        var list = TestSupport.Node(await client.CustomObjects.ListClusterCustomObjectAsync(G, V, "promises"));
        using var watcher = client.CustomObjects.WatchListClusterCustomObject(G, V, "promises", allowWatchBookmarks: true,
            resourceVersion: list["metadata"]!["resourceVersion"]!.GetValue<string>(), onEvent: (type, o) => events.Enqueue((type, TestSupport.Node(o))));
        // The streaming list above is still open: this is the second watch.
        await Until(() => server.Storage.WatchCount == 2, "the watch to start");
        server.Faults.SendBookmarks();
        await Until(() => events.Any(e => e.Type == WatchEventType.Bookmark), "a bookmark");
        var bookmark = events.First(e => e.Type == WatchEventType.Bookmark).Obj;
        Assert.Equal("Promise", bookmark["kind"]!.GetValue<string>());
        Assert.Equal(list["metadata"]!["resourceVersion"]!.GetValue<string>(), bookmark["metadata"]!["resourceVersion"]!.GetValue<string>());
    }

    [Fact(Timeout = TestSupport.Timeout)]
    public async Task A_watch_from_a_compacted_resourceVersion_gets_410_Gone()
    {
        await using var server = await TestSupport.StartAsync();
        using var client = TestSupport.Client(server);
        var old = await client.CoreV1.ListNamespacedSecretAsync("default");
        await client.CoreV1.CreateNamespacedSecretAsync(new V1Secret { Metadata = new() { Name = "s" }, StringData = new Dictionary<string, string> { ["a"] = "b" } }, "default");
        server.Faults.CompactHistory();

        var errors = new ConcurrentQueue<Exception>();
        var closed = new TaskCompletionSource();
        using var watcher = client.CoreV1.WatchListNamespacedSecret("default", resourceVersion: old.Metadata.ResourceVersion,
            onEvent: (_, _) => { }, onError: errors.Enqueue, onClosed: () => closed.TrySetResult());
        await closed.Task.WaitAsync(TimeSpan.FromSeconds(10));
        var error = Assert.IsType<KubernetesException>(Assert.Single(errors));
        Assert.Equal(410, error.Status.Code);
        Assert.Equal("Expired", error.Status.Reason);
        Assert.StartsWith("too old resource version: " + old.Metadata.ResourceVersion, error.Status.Message);

        // A list with an expired continue token is 410 too.
        await client.CoreV1.CreateNamespacedSecretAsync(new V1Secret { Metadata = new() { Name = "t" } }, "default");
        var page = await client.CoreV1.ListNamespacedSecretAsync("default", limit: 1);
        await client.CoreV1.CreateNamespacedSecretAsync(new V1Secret { Metadata = new() { Name = "u" } }, "default");
        server.Faults.CompactHistory();
        var (code, status) = await TestSupport.Fails(() => client.CoreV1.ListNamespacedSecretAsync("default", limit: 1, continueParameter: page.Metadata.ContinueProperty));
        Assert.Equal(410, code);
        Assert.Equal("Expired", status["reason"]!.GetValue<string>());
    }

    [Fact(Timeout = TestSupport.Timeout)]
    public async Task A_dropped_watch_closes_and_a_new_one_resumes_without_losing_events()
    {
        await using var server = await TestSupport.StartAsync();
        using var client = TestSupport.Client(server);
        var list = await client.CoreV1.ListNamespacedConfigMapAsync("default");
        string rv = list.Metadata.ResourceVersion;
        var seen = new ConcurrentQueue<string>();
        var closed = new TaskCompletionSource();
        var watcher = client.CoreV1.WatchListNamespacedConfigMap("default", resourceVersion: rv,
            onEvent: (_, cm) => { seen.Enqueue(cm.Metadata.Name); rv = cm.Metadata.ResourceVersion; }, onClosed: () => closed.TrySetResult());
        await client.CoreV1.CreateNamespacedConfigMapAsync(new V1ConfigMap { Metadata = new() { Name = "before-drop" } }, "default");
        await Until(() => seen.Count == 1, "the first event");
        Assert.Equal(1, server.Faults.DropWatches());
        await closed.Task.WaitAsync(TimeSpan.FromSeconds(10));
        watcher.Dispose();

        await client.CoreV1.CreateNamespacedConfigMapAsync(new V1ConfigMap { Metadata = new() { Name = "while-away" } }, "default");
        using var again = client.CoreV1.WatchListNamespacedConfigMap("default", resourceVersion: rv, onEvent: (_, cm) => seen.Enqueue(cm.Metadata.Name));
        await Until(() => seen.Count == 2, "the event missed while away");
        Assert.Equal(["before-drop", "while-away"], seen);
    }
}
