using System.Diagnostics;

namespace Kratix.Tests.Platforms;

/// <summary>Runs tests/Kratix.TestHarness as a real, separate process (see its Program.cs for the commands).</summary>
internal static class Harness
{
    /// <summary>The exit code of a process killed by SIGKILL, as .NET reports it on Unix.</summary>
    public const int KilledExitCode = 128 + 9;

    public static Process Start(string? crashAt, params string[] args)
    {
        var info = new ProcessStartInfo("dotnet") { RedirectStandardOutput = true, RedirectStandardError = true };
        info.ArgumentList.Add(Path.Combine(AppContext.BaseDirectory, "Kratix.TestHarness.dll"));
        foreach (var arg in args)
        {
            info.ArgumentList.Add(arg);
        }

        info.Environment.Remove("KRATIX_TEST_CRASH_AT");
        if (crashAt is not null)
        {
            info.Environment["KRATIX_TEST_CRASH_AT"] = crashAt;
        }

        return Process.Start(info)!;
    }

    /// <summary>Waits for the process (killing it after <paramref name="timeout"/>, 3 minutes by default) and returns its exit code and output.</summary>
    public static async Task<(int Code, string Stdout, string Stderr)> WaitAsync(Process process, TimeSpan? timeout = null)
    {
        using var limit = new CancellationTokenSource(timeout ?? TimeSpan.FromMinutes(3));
        var stdout = process.StandardOutput.ReadToEndAsync(CancellationToken.None);
        var stderr = process.StandardError.ReadToEndAsync(CancellationToken.None);
        try
        {
            await process.WaitForExitAsync(limit.Token);
        }
        catch (OperationCanceledException)
        {
            process.Kill(entireProcessTree: true);
            await process.WaitForExitAsync(CancellationToken.None);
            Assert.Fail($"The harness did not finish within {timeout ?? TimeSpan.FromMinutes(3)}: {await stdout}{await stderr}");
        }

        return (process.ExitCode, await stdout, await stderr);
    }

    public static async Task<(int Code, string Stdout, string Stderr)> RunAsync(string? crashAt, params string[] args)
    {
        using var process = Start(crashAt, args);
        return await WaitAsync(process);
    }
}
