using System.Diagnostics;
using System.Globalization;
using Kratix.Manifests;
using Kratix.Platforms;
using Kratix.Platforms.Embedded;

namespace Kratix.Bench;

/// <summary>
/// (k) What the cmdlet layer adds to a batch: <c>New-KratixRequest -Path &lt;dir&gt;/*.yaml</c> over 1,000 request files
/// in a fresh pwsh (timed inside pwsh around the command only, after one warm-up request in the same session), beside
/// the engine's <c>SubmitRequests</c> of the same 1,000 documents in this process on an identical fresh home (after one
/// warm-up request too). Three runs of each, alternating, each on its own new home and bare remote. Target: within 1.2x.
/// </summary>
internal static class CmdletsBenchmark
{
    private const int Runs = 3;

    public static IEnumerable<Program.Result> Run(string repositoryRoot, string work, int count)
    {
        Console.WriteLine($"(k) New-KratixRequest -Path *.yaml over {count:N0} files in a fresh pwsh, beside SubmitRequests of the same documents in-process");
        // KRATIX_BENCH_MODULE names another build's Kratix.psd1 (a copy of an earlier out/Kratix), to compare builds.
        var manifest = Environment.GetEnvironmentVariable("KRATIX_BENCH_MODULE") is { Length: > 0 } other
            ? Path.GetFullPath(other)
            : Path.Combine(repositoryRoot, "out", "Kratix", "Kratix.psd1");
        Console.WriteLine($"    module {manifest}");
        if (!File.Exists(manifest))
        {
            throw new BenchmarkException($"the module is not built at {manifest}: run `dotnet build Kratix.PowerShell.sln -c Release` first.");
        }

        var pwsh = StartupBenchmark.FindPwsh(repositoryRoot);
        Directory.CreateDirectory(work);
        var loadAtStart = Floors.LoadAverage();

        // The request files, written once: one YAML document each, as a user would keep them.
        var requests = Path.Combine(work, "requests");
        Directory.CreateDirectory(requests);
        for (var i = 1; i <= count; i++)
        {
            File.WriteAllText(Path.Combine(requests, $"db-{i:D5}.yaml"), Yaml($"db-{i:D5}", 1 + (i % 5)));
        }

        var warmUp = Path.Combine(work, "warm-up.yaml");
        File.WriteAllText(warmUp, Yaml("warm-up", 1));
        var documents = Directory.GetFiles(requests, "*.yaml").Order(StringComparer.Ordinal)
            .SelectMany(f => ManifestReader.Default.ReadFile(f)).Select(d => d.Content!.AsObject()).ToList();

        var engine = new List<double>();
        var cmdlet = new List<double>();
        for (var run = 1; run <= Runs; run++)
        {
            engine.Add(Engine(Path.Combine(work, $"engine-{run}"), documents));
            cmdlet.Add(Cmdlet(pwsh, manifest, Path.Combine(work, $"cmdlet-{run}"), requests, warmUp, count));
            Console.WriteLine($"    run {run}: engine {engine[^1]:0.000} s; New-KratixRequest {cmdlet[^1]:0.000} s; ratio {cmdlet[^1] / engine[^1]:0.00}x [load {Floors.LoadAverage()}]");
        }

        var ratio = Floors.Median(cmdlet) / Floors.Median(engine);
        var loadAtEnd = Floors.LoadAverage();
        Console.WriteLine($"    engine (SubmitRequests):      {Floors.Spread(engine, "0.000")}");
        Console.WriteLine($"    New-KratixRequest -Path:      {Floors.Spread(cmdlet, "0.000")}");
        Console.WriteLine($"    ratio of the medians: {ratio:0.00}x (target within 1.2x); load {loadAtStart} at the start, {loadAtEnd} at the end");
        yield return new Program.Result($"(k) New-KratixRequest -Path, {count:N0} files", $"{Floors.Median(cmdlet):0.000} s", $"{Floors.Spread(cmdlet, "0.000")}; timed inside a fresh pwsh");
        yield return new Program.Result("(k) engine: SubmitRequests, same documents", $"{Floors.Median(engine):0.000} s", Floors.Spread(engine, "0.000"));
        yield return new Program.Result("(k) ratio cmdlet / engine", $"{ratio:0.00}x", $"median / median (target within 1.2x); load {loadAtStart} -> {loadAtEnd}");
    }

    private static string Yaml(string name, int replicas) => $"""
        apiVersion: bench.kratix.io/v1alpha1
        kind: Database
        metadata:
          name: {name}
          namespace: default
        spec:
          replicas: {replicas}

        """;

    /// <summary>A new home with a git state store on a new bare remote, a Destination and the small Promise (API, no workflows).</summary>
    private static EmbeddedPlatform SetUp(string directory)
    {
        Directory.CreateDirectory(directory);
        var remote = Path.Combine(directory, "remote.git");
        Git.Check(directory, "init", "--quiet", "--bare", "--initial-branch=main", remote);
        var platform = new EmbeddedPlatform(new EmbeddedPlatformOptions { Home = Path.Combine(directory, "home") });
        platform.RegisterStateStore(Program.Object(("apiVersion", "platform.kratix.io/v1alpha1"), ("kind", "GitStateStore"),
            ("metadata", Program.Object(("name", "bench"))), ("spec", Program.Object(("url", remote)))));
        platform.RegisterDestination(Program.Object(("apiVersion", "platform.kratix.io/v1alpha1"), ("kind", "Destination"),
            ("metadata", Program.Object(("name", "bench"), ("labels", Program.Object(("environment", "dev"))))),
            ("spec", Program.Object(("path", "bench"), ("stateStoreRef", Program.Object(("kind", "GitStateStore"), ("name", "bench")))))));
        platform.InstallPromise(Program.ReadDocuments(Program.SmallPromise, "small promise").Single());
        return platform;
    }

    private static double Engine(string directory, IReadOnlyList<System.Text.Json.Nodes.JsonObject> documents)
    {
        try
        {
            using var platform = SetUp(directory);
            platform.SubmitRequests([new RequestSubmission(Program.Request("warm-up", 1))]);
            var submissions = documents.Select(d => new RequestSubmission(d.DeepClone().AsObject())).ToList();
            var clock = Stopwatch.StartNew();
            var outcomes = platform.SubmitRequests(submissions);
            var seconds = clock.Elapsed.TotalSeconds;
            if (outcomes.FirstOrDefault(o => o.Error is not null) is { } failed)
            {
                throw new BenchmarkException($"a request failed: {failed.Error!.Message}");
            }

            return seconds;
        }
        finally
        {
            Program.DeleteDirectory(directory);
        }
    }

    private static double Cmdlet(string pwsh, string manifest, string directory, string requests, string warmUp, int count)
    {
        try
        {
            string home;
            using (var platform = SetUp(directory))
            {
                home = platform.Location;
            }

            static string Quote(string s) => "'" + s.Replace("'", "''") + "'";
            var script = $$"""
                $ErrorActionPreference = 'Stop'
                Import-Module {{Quote(manifest)}}
                $null = New-KratixRequest -Path {{Quote(warmUp)}} -Platform {{Quote(home)}}
                $clock = [System.Diagnostics.Stopwatch]::StartNew()
                $out = New-KratixRequest -Path {{Quote(Path.Combine(requests, "*.yaml"))}} -Platform {{Quote(home)}}
                $clock.Stop()
                if (@($out).Count -ne {{count}}) { throw "expected {{count}} requests out, got $(@($out).Count)" }
                'ELAPSED ' + $clock.Elapsed.TotalSeconds.ToString([cultureinfo]::InvariantCulture)
                """;
            var info = new ProcessStartInfo(pwsh) { RedirectStandardOutput = true, RedirectStandardError = true };
            foreach (var argument in new[] { "-NoProfile", "-NonInteractive", "-Command", script })
            {
                info.ArgumentList.Add(argument);
            }

            using var process = Process.Start(info) ?? throw new BenchmarkException($"could not start {pwsh}");
            var error = process.StandardError.ReadToEndAsync();
            var output = process.StandardOutput.ReadToEnd();
            if (!process.WaitForExit(300_000))
            {
                process.Kill(entireProcessTree: true);
                throw new BenchmarkException("New-KratixRequest did not end within five minutes.");
            }

            var line = output.Split('\n').Select(l => l.Trim()).FirstOrDefault(l => l.StartsWith("ELAPSED ", StringComparison.Ordinal));
            if (process.ExitCode != 0 || line is null)
            {
                throw new BenchmarkException($"pwsh failed (exit code {process.ExitCode}): {error.Result}{output}");
            }

            return double.Parse(line["ELAPSED ".Length..], CultureInfo.InvariantCulture);
        }
        finally
        {
            Program.DeleteDirectory(directory);
        }
    }
}
