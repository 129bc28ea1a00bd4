using System.Diagnostics;

namespace Kratix.Bench;

/// <summary>
/// (j) What a user waits for in a new session: a fresh pwsh that imports the module from out/Kratix and runs a first
/// command (Get-KratixPlatform on an empty home), beside the floor of a fresh pwsh that only exits, each the median of
/// ten runs measured alternately so both see the same load. The target is under 300 ms more than the floor.
/// </summary>
internal static class StartupBenchmark
{
    private const int Runs = 10;

    public static IEnumerable<Program.Result> Run(string repositoryRoot, string work)
    {
        Console.WriteLine("(j) Import-Module plus the first command in a fresh pwsh, beside `pwsh -c exit`");
        var manifest = Path.Combine(repositoryRoot, "out", "Kratix", "Kratix.psd1");
        if (!File.Exists(manifest))
        {
            throw new BenchmarkException($"the module is not built at {manifest}: run `dotnet build Kratix.PowerShell.sln -c Release` first.");
        }

        var pwsh = FindPwsh(repositoryRoot);
        Directory.CreateDirectory(work);
        var home = Path.Combine(work, "home");
        var first = $"Import-Module '{manifest.Replace("'", "''")}'; $null = Get-KratixPlatform -Platform '{home.Replace("'", "''")}'";

        // One of each first, so the disk cache holds pwsh and the module for both.
        Time(pwsh, "exit");
        Time(pwsh, first);
        var floor = new List<double>();
        var measured = new List<double>();
        for (var i = 0; i < Runs; i++)
        {
            floor.Add(Time(pwsh, "exit"));
            measured.Add(Time(pwsh, first));
        }

        var overhead = (Floors.Median(measured) - Floors.Median(floor)) * 1000;
        Console.WriteLine($"    pwsh -c exit:                    {Floors.Spread(floor, "0.000")}");
        Console.WriteLine($"    Import-Module + first command:   {Floors.Spread(measured, "0.000")}");
        Console.WriteLine($"    the module's part: {overhead:0} ms (target < 300 ms)");
        yield return new Program.Result(
            "j Import-Module + first command",
            $"{overhead:0} ms over pwsh",
            $"median {Floors.Median(measured) * 1000:0} ms vs {Floors.Median(floor) * 1000:0} ms for `pwsh -c exit`; ratio {Floors.Median(measured) / Floors.Median(floor):0.00}x; target < 300 ms");
    }

    /// <summary>The pwsh executable: the local .NET tool's (in $PSHOME) when the repository's tool manifest is restored, else pwsh on PATH.</summary>
    internal static string FindPwsh(string repositoryRoot)
    {
        var info = new ProcessStartInfo("dotnet") { WorkingDirectory = repositoryRoot, RedirectStandardOutput = true, RedirectStandardError = true };
        foreach (var argument in new[] { "pwsh", "-NoProfile", "-NonInteractive", "-Command", "$PSHOME" })
        {
            info.ArgumentList.Add(argument);
        }

        using (var process = Process.Start(info)!)
        {
            var home = process.StandardOutput.ReadToEnd().Trim();
            process.WaitForExit();
            var candidate = Path.Combine(home, OperatingSystem.IsWindows() ? "pwsh.exe" : "pwsh");
            if (process.ExitCode == 0 && File.Exists(candidate))
            {
                return candidate;
            }
        }

        return OperatingSystem.IsWindows() ? "pwsh.exe" : "pwsh";
    }

    private static double Time(string pwsh, string command)
    {
        var info = new ProcessStartInfo(pwsh) { RedirectStandardOutput = true, RedirectStandardError = true };
        foreach (var argument in new[] { "-NoProfile", "-NonInteractive", "-Command", command })
        {
            info.ArgumentList.Add(argument);
        }

        var clock = Stopwatch.StartNew();
        using var process = Process.Start(info) ?? throw new BenchmarkException($"could not start {pwsh}");
        var output = process.StandardOutput.ReadToEndAsync();
        var error = process.StandardError.ReadToEnd();
        if (!process.WaitForExit(60_000))
        {
            process.Kill(entireProcessTree: true);
            throw new BenchmarkException($"{pwsh} -Command \"{command}\" did not end within a minute.");
        }

        var seconds = clock.Elapsed.TotalSeconds;
        if (process.ExitCode != 0)
        {
            throw new BenchmarkException($"{pwsh} -Command \"{command}\" failed with exit code {process.ExitCode}: {error}{output.Result}");
        }

        return seconds;
    }
}
