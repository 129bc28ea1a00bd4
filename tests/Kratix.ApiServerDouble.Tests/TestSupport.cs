using System.Diagnostics;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using k8s;
using k8s.Autorest;

namespace Kratix.ApiServerDouble.Tests;

/// <summary>Where the shared upstream data is, and how tests start doubles, clients and kubectl.</summary>
internal static class TestSupport
{
    public const int Timeout = 60_000;

    public static string RepositoryRoot { get; } = FindRoot();

    /// <summary>../shared/kratix beside the repository.</summary>
    public static string SharedKratix => Path.GetFullPath(Path.Combine(RepositoryRoot, "..", "shared", "kratix"));

    public static string Promise(string folder, string file) => Path.Combine(SharedKratix, "promises", folder, file);

    /// <summary>A double with upstream Kratix's CRDs installed, bookmarks every 200 ms.</summary>
    public static Task<ApiServerDouble> StartAsync(Action<ApiServerDoubleOptions>? configure = null)
    {
        var options = new ApiServerDoubleOptions { BookmarkInterval = TimeSpan.FromMilliseconds(200) }.WithUpstreamKratixCrds();
        configure?.Invoke(options);
        return ApiServerDouble.StartAsync(options);
    }

    public static k8s.Kubernetes Client(ApiServerDouble server, string? user = null, string? token = null)
    {
        string dir = Directory.CreateTempSubdirectory("apiserver-double-").FullName;
        string path = server.WriteKubeconfig(Path.Combine(dir, "kubeconfig"), user ?? ApiServerDouble.AdminUser, token);
        var config = KubernetesClientConfiguration.BuildConfigFromConfigFile(path);
        return new k8s.Kubernetes(config);
    }

    public static JsonObject Node(object? o) => o switch
    {
        JsonElement e => JsonNode.Parse(e.GetRawText())!.AsObject(),
        JsonObject j => j,
        _ => JsonNode.Parse(JsonSerializer.Serialize(o))!.AsObject(),
    };

    /// <summary>The Status body of a failed request, and its HTTP code.</summary>
    public static async Task<(int Code, JsonObject Status)> Fails(Func<Task> action)
    {
        try
        {
            await action();
        }
        catch (HttpOperationException e)
        {
            return ((int)e.Response.StatusCode, JsonNode.Parse(e.Response.Content)!.AsObject());
        }

        throw new Xunit.Sdk.XunitException("the request succeeded; a failure was expected");
    }

    public static JsonObject Yaml(string path) => Kratix.Manifests.ManifestReader.Default.ReadFile(path)[0].Content!.AsObject();

    private static string FindRoot()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            if (File.Exists(Path.Combine(dir.FullName, "Kratix.PowerShell.sln")))
            {
                return dir.FullName;
            }
        }

        throw new InvalidOperationException("Kratix.PowerShell.sln not found above " + AppContext.BaseDirectory);
    }
}

/// <summary>Runs the machine's kubectl against a double, with a kubeconfig and a discovery cache of its own, bounded in time.</summary>
internal sealed class Kubectl : IDisposable
{
    private readonly string dir;

    public Kubectl(ApiServerDouble server, string? user = null, string? token = null)
    {
        dir = Directory.CreateTempSubdirectory("kubectl-").FullName;
        Kubeconfig = server.WriteKubeconfig(Path.Combine(dir, "kubeconfig"), user ?? ApiServerDouble.AdminUser, token);
    }

    public string Kubeconfig { get; }

    public string Dir => dir;

    public static string Executable { get; } = Find();

    public string WriteFile(string name, string content)
    {
        string path = Path.Combine(dir, name);
        File.WriteAllText(path, content);
        return path;
    }

    /// <summary>Runs kubectl; kills it after <paramref name="timeout"/> (then ExitCode is -1).</summary>
    public async Task<(int ExitCode, string Stdout, string Stderr)> RunAsync(TimeSpan timeout, params string[] args)
    {
        var psi = new ProcessStartInfo(Executable)
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        psi.ArgumentList.Add("--kubeconfig");
        psi.ArgumentList.Add(Kubeconfig);
        psi.ArgumentList.Add("--cache-dir");
        psi.ArgumentList.Add(Path.Combine(dir, "cache"));
        foreach (var a in args)
        {
            psi.ArgumentList.Add(a);
        }

        psi.Environment["HOME"] = dir;
        psi.Environment.Remove("KUBECONFIG");
        using var process = Process.Start(psi)!;
        var stdout = new StringBuilder();
        var stderr = new StringBuilder();
        process.OutputDataReceived += (_, e) => { if (e.Data is not null) { lock (stdout) { stdout.AppendLine(e.Data); } } };
        process.ErrorDataReceived += (_, e) => { if (e.Data is not null) { lock (stderr) { stderr.AppendLine(e.Data); } } };
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        using var cts = new CancellationTokenSource(timeout);
        int code;
        try
        {
            await process.WaitForExitAsync(cts.Token);
            code = process.ExitCode;
        }
        catch (OperationCanceledException)
        {
            process.Kill(entireProcessTree: true);
            await process.WaitForExitAsync();
            code = -1;
        }

        process.WaitForExit();
        lock (stdout)
        {
            lock (stderr)
            {
                return (code, stdout.ToString(), stderr.ToString());
            }
        }
    }

    public Task<(int ExitCode, string Stdout, string Stderr)> RunAsync(params string[] args) => RunAsync(TimeSpan.FromSeconds(30), args);

    public void Dispose()
    {
        try
        {
            Directory.Delete(dir, recursive: true);
        }
        catch (IOException)
        {
        }
    }

    private static string Find()
    {
        foreach (var d in (Environment.GetEnvironmentVariable("PATH") ?? string.Empty).Split(':'))
        {
            string p = Path.Combine(d, "kubectl");
            if (File.Exists(p))
            {
                return p;
            }
        }

        throw new InvalidOperationException("kubectl is not on PATH: the API server double's tests run the real kubectl (.ci/run installs it)");
    }
}
