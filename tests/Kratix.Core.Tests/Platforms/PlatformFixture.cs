using System.Diagnostics;
using System.Text.Json.Nodes;
using Kratix.Manifests;
using Kratix.Platforms;
using Kratix.Platforms.Embedded;

namespace Kratix.Tests.Platforms;

/// <summary>A throwaway platform home and a real bare git repository on disk, deleted afterwards.</summary>
public sealed class PlatformFixture : IDisposable
{
    public PlatformFixture(Kratix.Pipelines.Runtimes.IContainerRuntime? runtime = null, TimeProvider? clock = null, int? parallelWorkflows = null, TimeSpan? progressInterval = null, ReconciliationOptions? reconciliation = null)
    {
        Root = Path.Combine(Path.GetTempPath(), "kratix-test-" + Guid.NewGuid().ToString("N")[..12]);
        Home = Path.Combine(Root, "home");
        Remote = Path.Combine(Root, "remote.git");
        Directory.CreateDirectory(Root);
        Git(Root, "init", "--quiet", "--bare", "--initial-branch=main", Remote);
        Log = new CollectingPlatformLog();
        Platform = new EmbeddedPlatform(new EmbeddedPlatformOptions
        {
            Home = Home,
            Log = Log,
            Runtime = runtime,
            Clock = clock ?? TimeProvider.System,
            Workflows = new Kratix.Pipelines.WorkflowExecutorOptions { Clock = clock ?? TimeProvider.System, WorkspaceRoot = Path.Combine(Root, "workspaces") },
            ParallelWorkflows = parallelWorkflows ?? Environment.ProcessorCount,
            ProgressInterval = progressInterval ?? TimeSpan.FromMilliseconds(100),
            Reconciliation = reconciliation ?? new ReconciliationOptions(),
        });
    }

    public string Root { get; }

    public string Home { get; }

    public string Remote { get; }

    public CollectingPlatformLog Log { get; }

    public EmbeddedPlatform Platform { get; }

    public static JsonObject Yaml(string yaml) => (JsonObject)ManifestReader.Default.ReadString(yaml).Single().Content!;

    public void RegisterGitStore(string name = "default", string? path = null) =>
        Platform.RegisterStateStore(Yaml($"""
            apiVersion: platform.kratix.io/v1alpha1
            kind: GitStateStore
            metadata:
              name: {name}
            spec:
              url: {Remote}
              branch: main
            {(path is null ? string.Empty : $"  path: {path}")}
            """));

    public void RegisterDestination(string name, string labels = "{}", string store = "default", string extraSpec = "") =>
        Platform.RegisterDestination(Yaml($"""
            apiVersion: platform.kratix.io/v1alpha1
            kind: Destination
            metadata:
              name: {name}
              labels: {labels}
            spec:
              path: {name}
              stateStoreRef:
                kind: GitStateStore
                name: {store}
            {extraSpec}
            """));

    /// <summary>The file on the remote's main branch, read with git itself, or null.</summary>
    public string? RemoteFile(string path)
    {
        var (code, output) = TryGit(Root, "--git-dir", Remote, "show", $"main:{path}");
        return code == 0 ? output : null;
    }

    public IReadOnlyList<string> RemoteFiles() =>
        TryGit(Root, "--git-dir", Remote, "ls-tree", "-r", "--name-only", "main") is (0, var output)
            ? output.Split('\n', StringSplitOptions.RemoveEmptyEntries)
            : [];

    public IReadOnlyList<string> RemoteCommitSubjects() =>
        TryGit(Root, "--git-dir", Remote, "log", "--format=%s", "main") is (0, var output)
            ? output.Split('\n', StringSplitOptions.RemoveEmptyEntries)
            : [];

    /// <summary>The line of every commit message on the remote's main branch (subjects and bodies), newest first.</summary>
    public IReadOnlyList<string> RemoteCommitLines() =>
        TryGit(Root, "--git-dir", Remote, "log", "--format=%B", "main") is (0, var output)
            ? output.Split('\n', StringSplitOptions.RemoveEmptyEntries)
            : [];

    public string RemoteAuthorOfHead() => TryGit(Root, "--git-dir", Remote, "log", "-1", "--format=%an <%ae>", "main").Output.Trim();

    public static void Git(string cwd, params string[] args)
    {
        var (code, output) = TryGit(cwd, args);
        if (code != 0)
        {
            throw new InvalidOperationException($"git {string.Join(' ', args)} failed: {output}");
        }
    }

    public static (int Code, string Output) TryGit(string cwd, params string[] args)
    {
        var info = new ProcessStartInfo("git") { WorkingDirectory = cwd, RedirectStandardOutput = true, RedirectStandardError = true };
        foreach (var arg in args)
        {
            info.ArgumentList.Add(arg);
        }

        using var process = Process.Start(info)!;
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEnd();
        process.WaitForExit();
        return (process.ExitCode, stdout.Result + stderr);
    }

    public void Dispose()
    {
        Platform.Dispose();
        try
        {
            Directory.Delete(Root, recursive: true);
        }
        catch (IOException)
        {
            // A git process may still hold a file for a moment; the temp folder is cleaned by the OS eventually.
        }
    }
}
