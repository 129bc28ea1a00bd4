using Kratix.Kubernetes;
using Kratix.Platforms.Cluster;

namespace Kratix.Cluster.Tests;

/// <summary>Where to connect, as kubectl resolves it, and what Get-KratixPlatform reads of a cluster.</summary>
public class ConnectionTests
{
    [Theory]
    [InlineData("kube:", null, null, false)]
    [InlineData("kube:kind-dev", "kind-dev", null, false)]
    [InlineData("KUBE:kubernetes-admin@kubernetes", "kubernetes-admin@kubernetes", null, false)]
    [InlineData("kube:arn:aws:eks:eu-west-1:1:cluster/x?kubeconfig=/tmp/a b/config", "arn:aws:eks:eu-west-1:1:cluster/x", "/tmp/a b/config", false)]
    [InlineData("kube:?kubeconfig=/etc/k", null, "/etc/k", false)]
    [InlineData("kube:?in-cluster", null, null, true)]
    public void Cluster_locations_read_back(string text, string? context, string? kubeconfig, bool inCluster)
    {
        var location = ClusterLocation.Parse(text);
        Assert.Equal(new ClusterLocation(context, kubeconfig, inCluster), location);
        Assert.Equal(location, ClusterLocation.Parse(location.ToString()));
        Assert.True(ClusterLocation.IsCluster(text));
    }

    [Theory]
    [InlineData("kube:dev?color=blue")]
    [InlineData("kube:dev?in-cluster")]
    public void Malformed_locations_are_refused_with_the_syntax(string text)
    {
        var ex = Assert.Throws<KratixException>(() => ClusterLocation.Parse(text));
        Assert.Equal("ClusterLocationInvalid", ex.ErrorId);
        Assert.Contains("kube:<context>", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void A_path_is_not_a_cluster() => Assert.False(ClusterLocation.IsCluster("/home/me/.kratix"));

    [Fact]
    public async Task Describe_names_server_context_namespace_and_the_Kratix_there()
    {
        await using var cluster = await ClusterHarness.StartAsync();
        using var platform = cluster.Open();
        var info = platform.Describe();
        Assert.Equal(cluster.Server.Uri.ToString().TrimEnd('/'), info.Server);
        Assert.Equal("apiserver-double", info.Context);
        Assert.Equal("default", info.Namespace);
        Assert.Contains("kratix-apiserver-double", info.ServerVersion, StringComparison.Ordinal);
        Assert.True(info.CrdsInstalled);
        Assert.True(info.KratixInstalled);
        Assert.Equal("v0.140.0", info.KratixVersion);
        Assert.Equal("Cluster", platform.Backend);
        Assert.Equal("kube:apiserver-double?kubeconfig=" + cluster.Kubeconfig, platform.Location);
    }

    [Fact]
    public async Task Without_Kratix_CRDs_every_operation_gives_one_clear_error()
    {
        await using var cluster = await ClusterHarness.StartAsync(kratix: false);
        using var platform = cluster.Open();
        Assert.False(platform.Describe().KratixInstalled);
        var ex = Assert.Throws<KratixException>(() => platform.GetPromises());
        Assert.Equal("KratixNotInstalled", ex.ErrorId);
        Assert.Contains(cluster.Server.Uri.ToString().TrimEnd('/'), ex.Message, StringComparison.Ordinal);
        Assert.Contains("platform.kratix.io/v1alpha1", ex.Message, StringComparison.Ordinal);
        Assert.Equal("KratixNotInstalled", Assert.Throws<KratixException>(() => platform.InstallPromise(TestObjects.RedisPromise())).ErrorId);
    }

    [Fact]
    public async Task The_namespace_of_the_context_is_where_requests_go()
    {
        await using var cluster = await ClusterHarness.StartAsync(configure: o => o.Namespaces.Add("team-a"));
        var kubeconfig = cluster.Server.WriteKubeconfig(Path.Combine(cluster.Dir, "team-a"), ns: "team-a");
        using var platform = cluster.Open(kubeconfig: kubeconfig);
        Assert.Equal("team-a", platform.DefaultNamespace);
        platform.InstallPromise(TestObjects.RedisPromise());
        platform.Wait(new Platforms.WaitTarget(null, null, "redis", "Available"), TimeSpan.FromSeconds(20));
        var request = platform.SubmitRequest(TestObjects.Redis("cache", ns: null));
        Assert.Equal("team-a", request.Namespace);
    }

    [Fact]
    public async Task Several_kubeconfig_files_in_KUBECONFIG_are_merged_the_first_winning()
    {
        await using var cluster = await ClusterHarness.StartAsync(kratix: false);
        var other = Path.Combine(cluster.Dir, "other");
        File.WriteAllText(other, """
            apiVersion: v1
            kind: Config
            clusters:
            - name: elsewhere
              cluster:
                server: https://127.0.0.1:1
            users:
            - name: nobody
              user:
                token: not-a-token
            contexts:
            - name: elsewhere
              context: {cluster: elsewhere, user: nobody, namespace: far}
            current-context: elsewhere
            """);
        var previous = Environment.GetEnvironmentVariable("KUBECONFIG");
        try
        {
            Environment.SetEnvironmentVariable("KUBECONFIG", string.Join(Path.PathSeparator, other, Path.Combine(cluster.Dir, "missing"), cluster.Kubeconfig));
            using (var current = ClusterPlatform.Open(ClusterLocation.Parse("kube:")))
            {
                // The first file's current-context wins.
                Assert.Equal("elsewhere", current.Connection.Context);
                Assert.Equal("far", current.DefaultNamespace);
            }

            using var named = ClusterPlatform.Open(ClusterLocation.Parse("kube:apiserver-double"));
            Assert.Equal(cluster.Server.Uri.ToString().TrimEnd('/'), named.Describe().Server);

            var ex = Assert.Throws<KratixException>(() => ClusterPlatform.Open(ClusterLocation.Parse("kube:prod")));
            Assert.Equal("KubeconfigContextNotFound", ex.ErrorId);
            Assert.Contains("elsewhere, apiserver-double", ex.Message, StringComparison.Ordinal);
        }
        finally
        {
            Environment.SetEnvironmentVariable("KUBECONFIG", previous);
        }
    }

    [Fact]
    public async Task An_exec_plugin_gives_the_token_as_kubectl_would_run_it()
    {
        await using var cluster = await ClusterHarness.StartAsync(controller: false);
        var credential = """{"apiVersion":"client.authentication.k8s.io/v1","kind":"ExecCredential","status":{"token":"TOKEN"}}""".Replace("TOKEN", cluster.Server.AdminToken, StringComparison.Ordinal);
        var script = Path.Combine(cluster.Dir, "token.sh");
        File.WriteAllText(script, "#!/bin/sh\nprintf '%s' '" + credential + "'\n");
        if (!OperatingSystem.IsWindows())
        {
            File.SetUnixFileMode(script, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute);
        }
        var kubeconfig = Path.Combine(cluster.Dir, "exec");
        File.WriteAllText(kubeconfig, Users(cluster, $$"""
                exec:
                  apiVersion: client.authentication.k8s.io/v1
                  command: {{script}}
                  interactiveMode: Never
            """));
        using var platform = cluster.Open(kubeconfig: kubeconfig);
        Assert.Empty(platform.GetPromises());
    }

    [Fact]
    public async Task Insecure_skip_tls_verify_connects_without_the_CA()
    {
        await using var cluster = await ClusterHarness.StartAsync(controller: false);
        var kubeconfig = Path.Combine(cluster.Dir, "insecure");
        File.WriteAllText(kubeconfig, Users(cluster, $"    token: {cluster.Server.AdminToken}", insecure: true));
        using var platform = cluster.Open(kubeconfig: kubeconfig);
        Assert.Empty(platform.GetPromises());
    }

    [Fact]
    public void In_cluster_outside_a_pod_says_how_to_connect_instead()
    {
        var ex = Assert.Throws<KratixException>(() => KubeConnection.Open(ClusterLocation.Parse("kube:?in-cluster")));
        Assert.Equal("ClusterNotInCluster", ex.ErrorId);
        Assert.Contains("-Kubeconfig", ex.Message, StringComparison.Ordinal);
    }

    /// <summary>A kubeconfig for the double's server with the given user entry (indented under "user:").</summary>
    private static string Users(ClusterHarness cluster, string user, bool insecure = false) => $"""
        apiVersion: v1
        kind: Config
        clusters:
        - name: double
          cluster:
            server: {cluster.Server.Uri.ToString().TrimEnd('/')}
        {(insecure ? "    insecure-skip-tls-verify: true" : "    certificate-authority-data: " + Convert.ToBase64String(System.Text.Encoding.UTF8.GetBytes(cluster.Server.CertificateAuthorityPem)))}
        users:
        - name: someone
          user:
        {user}
        contexts:
        - name: apiserver-double
          context: {"{"}cluster: double, user: someone{"}"}
        current-context: apiserver-double
        """;

    [Fact]
    public void A_missing_kubeconfig_says_so() =>
        Assert.Equal("KubeconfigNotFound", Assert.Throws<KratixException>(() => KubeConnection.Open(new ClusterLocation(null, "/nonexistent/kubeconfig", false))).ErrorId);
}
