using System.Collections.Concurrent;
using System.Net;
using System.Net.Sockets;
using System.Text;
using Kratix.Kubernetes;
using Kratix.Platforms.Cluster;

namespace Kratix.Cluster.Tests;

/// <summary>A kubeconfig cluster's <c>proxy-url</c>, as kubectl honours it: every call goes through an HTTP CONNECT proxy.</summary>
public class ProxyUrlTests
{
    [Fact]
    public async Task Calls_go_through_the_clusters_proxy_url()
    {
        await using var cluster = await ClusterHarness.StartAsync(controller: false);
        await using var proxy = ConnectProxy.Start();
        var kubeconfig = WithProxy(cluster, "proxied-kubeconfig", $"http://127.0.0.1:{proxy.Port}");

        using var platform = new ClusterPlatform(KubeConnection.Open(cluster.Location with { Kubeconfig = kubeconfig }));
        Assert.Equal($"http://127.0.0.1:{proxy.Port}/", platform.Connection.Proxy?.ToString());
        Assert.Empty(platform.GetPromises());
        Assert.Contains($"{cluster.Server.Uri.Host}:{cluster.Server.Uri.Port}", proxy.Targets);
    }

    [Fact]
    public async Task A_proxy_that_is_not_there_is_an_error_that_names_the_proxy()
    {
        await using var cluster = await ClusterHarness.StartAsync(controller: false);
        using var closed = new TcpListener(IPAddress.Loopback, 0);
        closed.Start();
        var port = ((IPEndPoint)closed.LocalEndpoint).Port;
        closed.Stop(); // nothing listens there now
        var kubeconfig = WithProxy(cluster, "dead-proxy-kubeconfig", $"http://127.0.0.1:{port}");

        using var platform = new ClusterPlatform(KubeConnection.Open(cluster.Location with { Kubeconfig = kubeconfig }), new ClusterPlatformOptions { MaxAttempts = 1 });
        var ex = Assert.ThrowsAny<KratixException>(() => platform.GetPromises());
        Assert.Contains($"proxy http://127.0.0.1:{port}/", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Another_clusters_proxy_url_is_not_used()
    {
        await using var cluster = await ClusterHarness.StartAsync(controller: false);
        var kubeconfig = cluster.Server.WriteKubeconfig(Path.Combine(cluster.Dir, "two-clusters"));
        var text = File.ReadAllText(kubeconfig).Replace("clusters:\n", "clusters:\n- name: elsewhere\n  cluster:\n    server: https://elsewhere.example.com\n    proxy-url: http://127.0.0.1:1\n", StringComparison.Ordinal);
        Assert.Contains("proxy-url: http://127.0.0.1:1", text, StringComparison.Ordinal);
        File.WriteAllText(kubeconfig, text);
        using var platform = new ClusterPlatform(KubeConnection.Open(cluster.Location with { Kubeconfig = kubeconfig }));
        Assert.Null(platform.Connection.Proxy);
        Assert.Empty(platform.GetPromises());
    }

    private static string WithProxy(ClusterHarness cluster, string name, string proxyUrl)
    {
        var kubeconfig = cluster.Server.WriteKubeconfig(Path.Combine(cluster.Dir, name));
        var lines = File.ReadAllLines(kubeconfig).ToList();
        var server = lines.FindIndex(l => l.TrimStart().StartsWith("server:", StringComparison.Ordinal));
        Assert.True(server >= 0, "the double's kubeconfig has a server line");
        var indent = lines[server][..(lines[server].Length - lines[server].TrimStart().Length)];
        lines.Insert(server + 1, $"{indent}proxy-url: {proxyUrl}");
        File.WriteAllLines(kubeconfig, lines);
        return kubeconfig;
    }

    /// <summary>A minimal HTTP CONNECT proxy on 127.0.0.1: records each target and relays the bytes both ways.</summary>
    private sealed class ConnectProxy : IAsyncDisposable
    {
        private readonly TcpListener _listener = new(IPAddress.Loopback, 0);
        private readonly CancellationTokenSource _stop = new();
        private Task _loop = Task.CompletedTask;

        public ConcurrentQueue<string> Targets { get; } = new();

        public int Port => ((IPEndPoint)_listener.LocalEndpoint).Port;

        public static ConnectProxy Start()
        {
            var proxy = new ConnectProxy();
            proxy._listener.Start();
            proxy._loop = Task.Run(proxy.AcceptAsync);
            return proxy;
        }

        private async Task AcceptAsync()
        {
            while (!_stop.IsCancellationRequested)
            {
                TcpClient client;
                try
                {
                    client = await _listener.AcceptTcpClientAsync(_stop.Token);
                }
                catch (OperationCanceledException)
                {
                    return;
                }

                _ = Task.Run(() => RelayAsync(client));
            }
        }

        private async Task RelayAsync(TcpClient client)
        {
            using (client)
            {
                var stream = client.GetStream();
                var head = new StringBuilder();
                var buffer = new byte[1];
                while (!head.ToString().EndsWith("\r\n\r\n", StringComparison.Ordinal) && await stream.ReadAsync(buffer) == 1)
                {
                    head.Append((char)buffer[0]);
                }

                var first = head.ToString().Split("\r\n")[0].Split(' ');
                if (first.Length < 2 || first[0] != "CONNECT")
                {
                    await stream.WriteAsync("HTTP/1.1 405 Method Not Allowed\r\n\r\n"u8.ToArray());
                    return;
                }

                Targets.Enqueue(first[1]);
                var colon = first[1].LastIndexOf(':');
                using var upstream = new TcpClient();
                await upstream.ConnectAsync(first[1][..colon], int.Parse(first[1][(colon + 1)..], System.Globalization.CultureInfo.InvariantCulture));
                await stream.WriteAsync("HTTP/1.1 200 Connection established\r\n\r\n"u8.ToArray());
                var target = upstream.GetStream();
                await Task.WhenAny(stream.CopyToAsync(target), target.CopyToAsync(stream));
            }
        }

        public async ValueTask DisposeAsync()
        {
            await _stop.CancelAsync();
            _listener.Stop();
            await _loop;
            _stop.Dispose();
        }
    }
}
