using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using Kratix.Platforms;
using Kratix.Platforms.Cluster;

namespace Kratix.Cluster.Tests;

/// <summary>Tab completion's names on a cluster: listed from the API server, and never waited for longer than the budget.</summary>
public class ClusterCatalogTests
{
    private static readonly TimeSpan Timeout = TimeSpan.FromSeconds(30);

    [Fact]
    public async Task Names_come_from_the_cluster()
    {
        await using var cluster = await ClusterHarness.StartAsync();
        using (var platform = cluster.Open())
        {
            platform.InstallPromise(TestObjects.RedisPromise());
            platform.Wait(new WaitTarget(null, null, "redis", "Available"), Timeout);
            cluster.Server.Create(ClusterHarness.Json("""{"apiVersion":"v1","kind":"Namespace","metadata":{"name":"team-a"}}"""));
            platform.SubmitRequest(TestObjects.Redis("cache", ns: "team-a"));
            platform.RegisterStateStore(TestObjects.GitStore());
            platform.RegisterDestination(TestObjects.Destination());
        }

        var catalog = new ClusterCatalog(cluster.Location.ToString(), TimeSpan.FromSeconds(20));
        Assert.Equal(["redis"], catalog.Promises());
        Assert.Equal("Redis", catalog.Outline("redis")?.RequestKind);
        var request = Assert.Single(catalog.Requests("redis"));
        Assert.Equal(("team-a", "cache"), (request.Namespace, request.Name));
        Assert.Empty(catalog.Requests("redis", "default"));
        Assert.Contains("team-a", catalog.RequestNamespaces());
        Assert.Contains("kratix-platform-system", catalog.RequestNamespaces()); // the cluster's namespaces, for new requests
        Assert.Equal(["worker-1"], catalog.Destinations());
        Assert.Equal("dev", Assert.Single(catalog.DestinationLabels()).Labels["env"]);
        Assert.Equal(("GitStateStore", "default"), (Assert.Single(catalog.StateStores()).Kind, catalog.StateStores("GitStateStore")[0].Name));
        Assert.Empty(catalog.StateStores("BucketStateStore"));
    }

    [Fact]
    public async Task A_server_that_never_answers_costs_at_most_the_budget_and_offers_nothing()
    {
        using var silent = new TcpListener(IPAddress.Loopback, 0);
        silent.Start(); // accepts connections (the backlog) and never says a word, not even TLS
        var port = ((IPEndPoint)silent.LocalEndpoint).Port;
        var dir = Directory.CreateTempSubdirectory("kratix-catalog-").FullName;
        try
        {
            var kubeconfig = Path.Combine(dir, "kubeconfig");
            await File.WriteAllTextAsync(kubeconfig, $$"""
                apiVersion: v1
                kind: Config
                clusters:
                - name: silent
                  cluster: { server: "https://127.0.0.1:{{port}}", insecure-skip-tls-verify: true }
                users:
                - name: someone
                  user: { token: abc }
                contexts:
                - name: silent
                  context: { cluster: silent, user: someone }
                current-context: silent
                """);
            var location = $"kube:silent?kubeconfig={kubeconfig}";
            var clock = Stopwatch.StartNew();
            var catalog = new ClusterCatalog(location, TimeSpan.FromMilliseconds(300));
            Assert.Empty(catalog.Promises());
            Assert.Empty(catalog.Requests());
            Assert.Empty(catalog.Destinations());
            clock.Stop();
            Assert.True(clock.Elapsed < TimeSpan.FromSeconds(1.5), $"completion waited {clock.Elapsed}");
            Assert.True(clock.Elapsed >= TimeSpan.FromMilliseconds(250), $"it did ask the server ({clock.Elapsed})");

            // A second completion right after reuses the listing in flight (no new call) and waits at most its own budget.
            clock.Restart();
            Assert.Empty(new ClusterCatalog(location, TimeSpan.FromMilliseconds(300)).Promises());
            Assert.True(clock.Elapsed < TimeSpan.FromSeconds(1), $"second completion waited {clock.Elapsed}");
        }
        finally
        {
            Directory.Delete(dir, recursive: true);
        }
    }
}
