using System.Text.Json.Nodes;
using Kratix.ApiServerDouble;
using Kratix.ClusterDouble;
using Kratix.Kubernetes;
using Kratix.Manifests;
using Kratix.Platforms;
using Kratix.Platforms.Cluster;

namespace Kratix.Cluster.Tests;

/// <summary>
/// One test's cluster: the API server double on 127.0.0.1 (with upstream Kratix's CRDs unless told otherwise), the
/// scripted controller stand-in, an admin kubeconfig in a folder of its own, and platforms opened on it.
/// </summary>
internal sealed class ClusterHarness : IAsyncDisposable
{
    private ClusterHarness(ApiServerDouble.ApiServerDouble server, KratixControllerDouble? controller, string dir)
    {
        Server = server;
        Controller = controller;
        Dir = dir;
        Kubeconfig = server.WriteKubeconfig(Path.Combine(dir, "kubeconfig"));
    }

    public ApiServerDouble.ApiServerDouble Server { get; }

    public KratixControllerDouble? Controller { get; }

    public string Dir { get; }

    public string Kubeconfig { get; }

    public CollectingPlatformLog Log { get; } = new();

    public ClusterLocation Location => new("apiserver-double", Kubeconfig, false);

    public static async Task<ClusterHarness> StartAsync(bool kratix = true, bool controller = true, Action<ApiServerDoubleOptions>? configure = null)
    {
        var options = new ApiServerDoubleOptions { BookmarkInterval = TimeSpan.FromMilliseconds(200) };
        if (kratix)
        {
            options.WithUpstreamKratixCrds();
        }

        configure?.Invoke(options);
        var server = await ApiServerDouble.ApiServerDouble.StartAsync(options);
        var dir = Directory.CreateTempSubdirectory("kratix-cluster-tests-").FullName;
        var stub = kratix && controller ? await KratixControllerDouble.StartAsync(server) : null;
        return new ClusterHarness(server, stub, dir);
    }

    public ClusterPlatform Open(bool force = false, string? kubeconfig = null, int maxAttempts = 5) =>
        new(KubeConnection.Open(Location with { Kubeconfig = kubeconfig ?? Kubeconfig }), new ClusterPlatformOptions { Log = Log, ForceConflicts = force, MaxAttempts = maxAttempts })
        {
            WatchReconnectDelay = TimeSpan.FromMilliseconds(50),
        };

    public string WriteKubeconfig(string name, string user, string? token = null) => Server.WriteKubeconfig(Path.Combine(Dir, name), user, token);

    public static string SharedKratix { get; } = FindShared();

    public static JsonObject Yaml(string relative) => ManifestReader.Default.ReadFile(Path.Combine(SharedKratix, relative))[0].Content!.AsObject();

    public static JsonObject Json(string text) => JsonNode.Parse(text)!.AsObject();

    public async ValueTask DisposeAsync()
    {
        if (Controller is not null)
        {
            await Controller.DisposeAsync();
        }

        await Server.DisposeAsync();
        try
        {
            Directory.Delete(Dir, recursive: true);
        }
        catch (IOException)
        {
        }
    }

    private static string FindShared()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            if (File.Exists(Path.Combine(dir.FullName, "Kratix.PowerShell.sln")))
            {
                return Path.GetFullPath(Path.Combine(dir.FullName, "..", "shared", "kratix"));
            }
        }

        throw new DirectoryNotFoundException("Kratix.PowerShell.sln not found above " + AppContext.BaseDirectory);
    }
}
