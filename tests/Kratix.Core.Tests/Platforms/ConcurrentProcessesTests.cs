using System.Diagnostics;
using Kratix.Manifests;
using Kratix.Platforms.Embedded;

namespace Kratix.Tests.Platforms;

/// <summary>Real processes working on one platform home at once: the platform lock keeps every write whole.</summary>
public class ConcurrentProcessesTests : IDisposable
{
    private readonly PlatformFixture _f = new();

    public void Dispose() => _f.Dispose();

    [Fact]
    public async Task Several_processes_submitting_at_once_lose_and_corrupt_nothing()
    {
        _f.RegisterGitStore();
        _f.RegisterDestination("dev-1", "{environment: dev}");
        _f.Platform.InstallPromise(PlatformFixture.Yaml(TestPromises.WithDependencies));

        var processes = Enumerable.Range(0, 3).Select(i => StartHarness("submit", _f.Home, $"p{i}", "25")).ToList();
        for (var i = 0; i < 10; i++)
        {
            _f.Platform.SubmitRequest(PlatformFixture.Yaml(TestPromises.RedisRequest.Replace("name: example", $"name: local-{i}", StringComparison.Ordinal)));
        }

        foreach (var process in processes)
        {
            var (code, output) = await WaitAsync(process);
            Assert.True(code == 0, output);
        }

        var requests = _f.Platform.GetRequests("redis");
        Assert.Equal(85, requests.Count);
        Assert.All(requests, r => Assert.Equal(1, r.Generation));
        Assert.Equal(85, requests.Select(r => r.Uid).Distinct().Count());
        var files = Directory.GetFiles(Path.Combine(_f.Home, "objects"), "*", SearchOption.AllDirectories);
        Assert.DoesNotContain(files, f => f.EndsWith(".tmp", StringComparison.Ordinal));
        Assert.All(files.Where(f => f.EndsWith(".yaml", StringComparison.Ordinal)), f => Assert.Single(ManifestReader.Default.ReadFile(f)));
    }

    [Fact]
    [System.Runtime.Versioning.SupportedOSPlatform("linux")]
    public async Task Several_processes_submitting_requests_with_a_workflow_lose_and_duplicate_nothing()
    {
        // Three sessions, each submitting 20 requests whose one-container workflow runs on the Host runtime (bubblewrap)
        // and writes a file to the Git state store; the platform lock serialises them, the writer's lease keeps every push.
        PlatformSettings.Load(_f.Home).With(runtime: "Host").Save(_f.Home);
        _f.RegisterGitStore();
        _f.RegisterDestination("dev", "{environment: dev}");
        using (var setup = new EmbeddedPlatform(EmbeddedPlatform.OptionsFor(_f.Home, new Kratix.Platforms.CollectingPlatformLog())))
        {
            var promise = setup.InstallPromise(PlatformFixture.Yaml(Workflows.WorkflowPromises.Promise(Workflows.WorkflowPromises.WorkflowSpec(resourceConfigure: [
                Workflows.WorkflowPromises.Pipeline("instance", "printf 'kind: ConfigMap\nmetadata:\n  name: %s\n' \"$KRATIX_OBJECT_NAME\" > /kratix/output/configmap.yaml")]))));
            Assert.True(promise.Conditions.IsTrue("Available"));
        }

        var template = Path.Combine(_f.Root, "request.yaml");
        File.WriteAllText(template, Workflows.WorkflowPromises.Request(name: "{name}"));
        const int Processes = 3;
        const int PerProcess = 20;
        var processes = Enumerable.Range(0, Processes).Select(i => StartHarness("submit-file", _f.Home, $"p{i}", PerProcess.ToString(System.Globalization.CultureInfo.InvariantCulture), template)).ToList();
        try
        {
            foreach (var process in processes)
            {
                var (code, output) = await WaitAsync(process);
                Assert.True(code == 0, output);
            }
        }
        finally
        {
            foreach (var process in processes.Where(p => !p.HasExited))
            {
                process.Kill(entireProcessTree: true);
            }

            if (Directory.Exists(PlatformContext.DefaultWorkspaceRoot(_f.Home)))
            {
                Directory.Delete(PlatformContext.DefaultWorkspaceRoot(_f.Home), recursive: true);
            }
        }

        var expected = Enumerable.Range(0, Processes).SelectMany(i => Enumerable.Range(0, PerProcess).Select(j => $"p{i}-{j}")).Order(StringComparer.Ordinal).ToList();
        var requests = _f.Platform.GetRequests("thing");
        Assert.Equal(expected, requests.Select(r => r.Name).Order(StringComparer.Ordinal));
        Assert.All(requests, r => Assert.True(r.Conditions.IsTrue("Reconciled"), ManifestWriter.ToYaml(r.Node)));
        var works = _f.Platform.GetWorks("default");
        Assert.Equal(expected, works.Select(w => w.GetLabel(Objects.KratixApi.ResourceNameLabel)!).Order(StringComparer.Ordinal));
        var placements = _f.Platform.GetWorkPlacements("default");
        Assert.Equal(works.Select(w => w.Name).Order(StringComparer.Ordinal), placements.Select(p => p.WorkName).Order(StringComparer.Ordinal));
        var remote = _f.RemoteFiles().Where(f => f.StartsWith("dev/resources/default/thing/", StringComparison.Ordinal)).ToList();
        Assert.Equal(expected.Select(n => $"dev/resources/default/thing/{n}/instance/5058f/configmap.yaml").Order(StringComparer.Ordinal), remote.Order(StringComparer.Ordinal));
        Assert.All(expected, n => Assert.Equal($"kind: ConfigMap\nmetadata:\n  name: {n}\n", _f.RemoteFile($"dev/resources/default/thing/{n}/instance/5058f/configmap.yaml")));

        // Nothing was left half-done: a sync finds nothing to run or write.
        var head = PlatformFixture.TryGit(_f.Root, "--git-dir", _f.Remote, "rev-parse", "main").Output;
        var summary = _f.Platform.SyncPlatform();
        Assert.Empty(summary.Failures);
        Assert.Equal((0, 0), (summary.PipelinesRun, summary.PlacementsWritten));
        Assert.Equal(head, PlatformFixture.TryGit(_f.Root, "--git-dir", _f.Remote, "rev-parse", "main").Output);
    }

    [Fact]
    public async Task Another_process_waits_while_the_platform_is_locked()
    {
        _f.Platform.InstallPromise(PlatformFixture.Yaml(TestPromises.WithDependencies));
        Process waiting;
        using (PlatformLock.Acquire(_f.Home, TimeSpan.FromSeconds(5)))
        {
            waiting = StartHarness("submit", _f.Home, "blocked", "1");
            await Task.Delay(TimeSpan.FromSeconds(2));
            Assert.False(waiting.HasExited, "the other process finished while the platform was locked");
            Assert.Empty(_f.Platform.GetRequests());
        }

        var (code, output) = await WaitAsync(waiting);
        Assert.True(code == 0, output);
        Assert.Equal("blocked-0", Assert.Single(_f.Platform.GetRequests()).Name);
    }

    [Fact]
    public void A_lock_held_too_long_is_a_clear_error()
    {
        using var held = PlatformLock.Acquire(_f.Home, TimeSpan.FromSeconds(1));
        var ex = Assert.Throws<KratixException>(() => PlatformLock.Acquire(_f.Home, TimeSpan.FromMilliseconds(200)));
        Assert.Equal("PlatformBusy", ex.ErrorId);
        Assert.Contains(_f.Home, ex.Message, StringComparison.Ordinal);
    }

    private static Process StartHarness(params string[] args) => Harness.Start(null, args);

    private static async Task<(int Code, string Output)> WaitAsync(Process process)
    {
        var (code, stdout, stderr) = await Harness.WaitAsync(process);
        return (code, stdout + stderr);
    }
}
