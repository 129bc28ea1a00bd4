using Kratix.Kubernetes;
using Kratix.Platforms.Cluster;

namespace Kratix.Cluster.Tests;

/// <summary>
/// The same location shares one connection for the process (ClusterPlatform.Open, which the cmdlets use), and a changed
/// kubeconfig builds a new one. Each test has its own server and kubeconfig, so the process-wide cache holds nothing another test uses.
/// </summary>
public class ConnectionCacheTests
{
    [Fact]
    public async Task The_same_location_reuses_one_connection_and_discovers_Kratix_once()
    {
        await using var cluster = await ClusterHarness.StartAsync(controller: false);
        var location = cluster.Location;
        var requests = 0;
        cluster.Server.Faults.FailNext(500, when: (_, _) =>
        {
            Interlocked.Increment(ref requests);
            return false; // a probe: counts every request, fails none
        });

        var built = KubeConnectionCache.Built;
        using (var first = ClusterPlatform.Open(location))
        {
            Assert.Empty(first.GetPromises());
        }

        var afterFirst = Volatile.Read(ref requests);
        Assert.Equal(2, afterFirst); // discovery, then the list
        using (var second = ClusterPlatform.Open(location))
        {
            Assert.Empty(second.GetPromises()); // the connection disposed with the first platform is still open
            Assert.Same(ClusterPlatform.Open(location).Connection, second.Connection);
        }

        Assert.Equal(afterFirst + 1, Volatile.Read(ref requests)); // the list only
        Assert.Equal(built + 1, KubeConnectionCache.Built);
    }

    [Fact]
    public async Task A_changed_kubeconfig_builds_a_new_connection_even_with_the_same_modification_time()
    {
        await using var cluster = await ClusterHarness.StartAsync(controller: false);
        var location = cluster.Location;
        var first = ClusterPlatform.Open(location).Connection;
        Assert.Equal("default", first.Namespace);

        var written = File.GetLastWriteTimeUtc(cluster.Kubeconfig);
        cluster.Server.WriteKubeconfig(cluster.Kubeconfig, ns: "team-a");
        File.SetLastWriteTimeUtc(cluster.Kubeconfig, written);
        var second = ClusterPlatform.Open(location).Connection;
        Assert.NotSame(first, second);
        Assert.Equal("team-a", second.Namespace);
        Assert.Same(second, ClusterPlatform.Open(location).Connection);
    }

    [Fact]
    public async Task Another_location_or_a_missing_kubeconfig_is_not_served_from_the_cache()
    {
        await using var cluster = await ClusterHarness.StartAsync(controller: false);
        var one = ClusterPlatform.Open(cluster.Location).Connection;
        var copy = Path.Combine(cluster.Dir, "other-kubeconfig");
        File.Copy(cluster.Kubeconfig, copy);
        Assert.NotSame(one, ClusterPlatform.Open(cluster.Location with { Kubeconfig = copy }).Connection);

        File.Delete(copy);
        Assert.Equal("KubeconfigNotFound", Assert.Throws<KratixException>(() => ClusterPlatform.Open(cluster.Location with { Kubeconfig = copy })).ErrorId);
    }
}
