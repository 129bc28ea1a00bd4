using Kratix.Kubernetes;

namespace Kratix.Cluster.Tests;

/// <summary>What a user reads when the cluster refuses or cannot be reached, and the bounded retries before that.</summary>
public class FailureTests
{
    [Fact]
    public async Task Credentials_the_server_does_not_accept_are_401_naming_the_context()
    {
        await using var cluster = await ClusterHarness.StartAsync(controller: false);
        using var platform = cluster.Open(kubeconfig: cluster.WriteKubeconfig("bad-token", "mallory", token: "not-a-valid-token"));
        var ex = Assert.Throws<KubeApiException>(() => platform.GetPromises());
        Assert.Equal("ClusterUnauthorized", ex.ErrorId);
        Assert.Equal(KratixErrorCategory.PermissionDenied, ex.Category);
        Assert.Contains("context \"apiserver-double\"", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_user_without_a_verb_is_told_which_verb_on_which_resource()
    {
        await using var cluster = await ClusterHarness.StartAsync(controller: false);
        var token = cluster.Server.Authentication.AddUser("bob");
        cluster.Server.Authorization.Allow("bob", new ApiServerDouble.AccessRule(["get", "list"], ["promises"], ["platform.kratix.io"], null));
        using var platform = cluster.Open(kubeconfig: cluster.WriteKubeconfig("bob", "bob", token));
        Assert.Empty(platform.GetPromises());
        var ex = Assert.Throws<KubeApiException>(() => platform.InstallPromise(TestObjects.RedisPromise()));
        Assert.Equal("ClusterForbidden", ex.ErrorId);
        Assert.Contains("Not allowed to patch promises.platform.kratix.io \"redis\"", ex.Message, StringComparison.Ordinal);
        Assert.Contains("User \"bob\" cannot patch resource \"promises\"", ex.Message, StringComparison.Ordinal);
        Assert.Contains("kubectl auth can-i patch promises.platform.kratix.io", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_closed_port_is_connection_refused_naming_the_server()
    {
        await using var cluster = await ClusterHarness.StartAsync(controller: false);
        var listener = new System.Net.Sockets.TcpListener(System.Net.IPAddress.Loopback, 0);
        listener.Start();
        var port = ((System.Net.IPEndPoint)listener.LocalEndpoint).Port;
        listener.Stop();
        var kubeconfig = File.ReadAllText(cluster.Kubeconfig).Replace(cluster.Server.Uri.ToString().TrimEnd('/'), $"https://127.0.0.1:{port}", StringComparison.Ordinal);
        File.WriteAllText(Path.Combine(cluster.Dir, "closed"), kubeconfig);
        using var platform = cluster.Open(kubeconfig: Path.Combine(cluster.Dir, "closed"));
        var ex = Assert.Throws<KratixException>(() => platform.GetPromises());
        Assert.Equal("ClusterConnectionRefused", ex.ErrorId);
        Assert.Equal(KratixErrorCategory.ConnectionError, ex.Category);
        Assert.Contains($"https://127.0.0.1:{port}", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_server_certificate_the_CA_does_not_sign_is_a_TLS_error()
    {
        await using var cluster = await ClusterHarness.StartAsync(controller: false);
        await using var other = await ApiServerDouble.ApiServerDouble.StartAsync();
        var theirs = other.WriteKubeconfig(Path.Combine(cluster.Dir, "theirs"));
        // Our server, their CA.
        var text = File.ReadAllText(theirs).Replace(other.Uri.ToString().TrimEnd('/'), cluster.Server.Uri.ToString().TrimEnd('/'), StringComparison.Ordinal);
        File.WriteAllText(theirs, text);
        using var platform = cluster.Open(kubeconfig: theirs);
        var ex = Assert.Throws<KratixException>(() => platform.GetPromises());
        Assert.Equal("ClusterTlsFailed", ex.ErrorId);
        Assert.Contains("certificate-authority", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Throttling_is_retried_after_Retry_After()
    {
        await using var cluster = await ClusterHarness.StartAsync(controller: false);
        using var platform = cluster.Open();
        var fault = cluster.Server.Faults.Throttle(retryAfterSeconds: 1, times: 2);
        var clock = System.Diagnostics.Stopwatch.StartNew();
        Assert.Empty(platform.GetPromises());
        Assert.Equal(0, fault.Remaining);
        Assert.True(clock.Elapsed >= TimeSpan.FromSeconds(1.8), clock.Elapsed.ToString());
        Assert.Contains(cluster.Log.Drain(), m => m.Message.Contains("answered 429", StringComparison.Ordinal));
    }

    [Fact]
    public async Task Server_errors_are_retried_a_bounded_number_of_times()
    {
        await using var cluster = await ClusterHarness.StartAsync(controller: false);
        using var platform = cluster.Open(maxAttempts: 3);
        var fault = cluster.Server.Faults.FailNext(503, times: 10);
        var ex = Assert.Throws<KubeApiException>(() => platform.GetPromises());
        Assert.Equal("ClusterUnavailable", ex.ErrorId);
        Assert.Contains("still after 3 attempts", ex.Message, StringComparison.Ordinal);
        Assert.Equal(7, fault.Remaining);
    }
}
