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

    private static Process StartHarness(params string[] args)
    {
        var info = new ProcessStartInfo("dotnet") { RedirectStandardOutput = true, RedirectStandardError = true };
        info.ArgumentList.Add(Path.Combine(AppContext.BaseDirectory, "Kratix.TestHarness.dll"));
        foreach (var arg in args)
        {
            info.ArgumentList.Add(arg);
        }

        return Process.Start(info)!;
    }

    private static async Task<(int Code, string Output)> WaitAsync(Process process)
    {
        using var timeout = new CancellationTokenSource(TimeSpan.FromMinutes(3));
        var stdout = process.StandardOutput.ReadToEndAsync(timeout.Token);
        var stderr = process.StandardError.ReadToEndAsync(timeout.Token);
        await process.WaitForExitAsync(timeout.Token);
        return (process.ExitCode, await stdout + await stderr);
    }
}
