using System.Diagnostics;
using System.Globalization;
using System.Text.Json.Nodes;
using Kratix.ApiServerDouble;
using Kratix.Kubernetes;
using Kratix.Manifests;
using Kratix.Platforms;
using Kratix.Platforms.Cluster;

namespace Kratix.Bench;

/// <summary>
/// (l) The cluster backend against kubectl: 1,000 request files applied to the Kubernetes API server double (on
/// 127.0.0.1 over HTTPS, in this process, with upstream Kratix's CRDs and the small Promise's API) by
/// <c>kubectl apply --server-side -f &lt;dir&gt;</c> (the baseline, timed as the process runs, after one warm-up apply
/// that fills kubectl's discovery cache), by the engine's <c>ClusterPlatform.SubmitRequests</c> of the same documents
/// in this process, and by <c>New-KratixRequest -Path &lt;dir&gt;/*.yaml</c> in a fresh pwsh (timed inside pwsh around
/// the command, after <c>Connect-KratixPlatform</c> and one warm-up request; then a second batch of as many other files
/// in the same session, to tell the fresh process's JIT from the work). Also the time from
/// <c>Connect-KratixPlatform</c> to the first answer (<c>Get-KratixPromise</c>) in that fresh pwsh, a second
/// <c>Get-KratixPromise</c> on the same connection, and <c>kubectl get promises</c> as a process. Three runs, each on a
/// new double; min / median / max, ratios of the medians, load average at the start and end.
/// </summary>
internal static class ClusterBenchmark
{
    private const int Runs = 3;
    private const string Context = "apiserver-double";

    public static IEnumerable<Program.Result> Run(string repositoryRoot, string work, int count)
    {
        Console.WriteLine($"(l) {count:N0} request files applied to the API server double: kubectl apply --server-side, the engine's SubmitRequests, New-KratixRequest -Path");
        var kubectl = FindOnPath("kubectl") ?? throw new BenchmarkException("kubectl is not on PATH: (l) compares with it.");
        var manifest = Path.Combine(repositoryRoot, "out", "Kratix", "Kratix.psd1");
        if (!File.Exists(manifest))
        {
            throw new BenchmarkException($"the module is not built at {manifest}: run `dotnet pwsh ./build.ps1` first.");
        }

        var pwsh = StartupBenchmark.FindPwsh(repositoryRoot);
        Console.WriteLine($"    {Version(kubectl, "version", "--client")}; module {manifest}");
        Directory.CreateDirectory(work);
        var loadAtStart = Floors.LoadAverage();

        var requests = Path.Combine(work, "requests");
        Directory.CreateDirectory(requests);
        for (var i = 1; i <= count; i++)
        {
            File.WriteAllText(Path.Combine(requests, $"db-{i:D5}.yaml"), Yaml($"db-{i:D5}", 1 + (i % 5)));
        }

        // A second batch for the same pwsh session: is the cmdlet's time the fresh process's (JIT), or the work?
        var again = Path.Combine(work, "requests-again");
        Directory.CreateDirectory(again);
        for (var i = 1; i <= count; i++)
        {
            File.WriteAllText(Path.Combine(again, $"again-{i:D5}.yaml"), Yaml($"again-{i:D5}", 1 + (i % 5)));
        }

        var warmUp = Path.Combine(work, "warm-up.yaml");
        File.WriteAllText(warmUp, Yaml("warm-up", 1));
        var documents = Directory.GetFiles(requests, "*.yaml").Order(StringComparer.Ordinal)
            .SelectMany(f => ManifestReader.Default.ReadFile(f)).Select(d => d.Content!.AsObject()).ToList();

        var kubectlApply = new List<double>();
        var engine = new List<double>();
        var cmdlet = new List<double>();
        var cmdletAgain = new List<double>();
        var connect = new List<double>();
        var warmAnswer = new List<double>();
        var kubectlGet = new List<double>();
        for (var run = 1; run <= Runs; run++)
        {
            var (apply, get) = Kubectl(kubectl, Path.Combine(work, $"kubectl-{run}"), requests, warmUp, count);
            kubectlApply.Add(apply);
            kubectlGet.Add(get);
            engine.Add(Engine(Path.Combine(work, $"engine-{run}"), documents));
            var (seconds, secondBatch, first, second) = Cmdlet(pwsh, manifest, Path.Combine(work, $"cmdlet-{run}"), requests, again, warmUp, count);
            cmdlet.Add(seconds);
            cmdletAgain.Add(secondBatch);
            connect.Add(first);
            warmAnswer.Add(second);
            Console.WriteLine($"    run {run}: kubectl apply {apply:0.000} s; engine {engine[^1]:0.000} s; New-KratixRequest {seconds:0.000} s (a second batch in the same session {secondBatch:0.000} s); "
                + $"Connect-KratixPlatform to first answer {first:0.000} s, next answer {second:0.000} s; kubectl get {get:0.000} s [load {Floors.LoadAverage()}]");
        }

        var loadAtEnd = Floors.LoadAverage();
        var engineRatio = Floors.Median(kubectlApply) / Floors.Median(engine);
        var cmdletRatio = Floors.Median(kubectlApply) / Floors.Median(cmdlet);
        Console.WriteLine($"    kubectl apply --server-side -f <dir>:  {Floors.Spread(kubectlApply, "0.000")}");
        Console.WriteLine($"    engine SubmitRequests:                {Floors.Spread(engine, "0.000")}  ({engineRatio:0.0}x faster than kubectl, medians)");
        Console.WriteLine($"    New-KratixRequest -Path *.yaml:       {Floors.Spread(cmdlet, "0.000")}  ({cmdletRatio:0.0}x faster than kubectl, medians)");
        Console.WriteLine($"    the same, a second batch of {count:N0} in that session: {Floors.Spread(cmdletAgain, "0.000")}  ({Floors.Median(kubectlApply) / Floors.Median(cmdletAgain):0.0}x faster than kubectl, medians)");
        Console.WriteLine($"    Connect-KratixPlatform + first answer: {Floors.Spread(connect, "0.000")}; next answer {Floors.Spread(warmAnswer, "0.000")}; kubectl get promises (a process) {Floors.Spread(kubectlGet, "0.000")}");
        Console.WriteLine($"    load {loadAtStart} at the start, {loadAtEnd} at the end");
        yield return new Program.Result($"(l) kubectl apply --server-side, {count:N0} files", $"{Floors.Median(kubectlApply):0.000} s", Floors.Spread(kubectlApply, "0.000"));
        yield return new Program.Result("(l) engine SubmitRequests on the cluster", $"{Floors.Median(engine):0.000} s", $"{Floors.Spread(engine, "0.000")}; {engineRatio:0.0}x faster than kubectl");
        yield return new Program.Result("(l) New-KratixRequest -Path on the cluster", $"{Floors.Median(cmdlet):0.000} s", $"{Floors.Spread(cmdlet, "0.000")}; {cmdletRatio:0.0}x faster than kubectl");
        yield return new Program.Result("(l) New-KratixRequest -Path, second batch", $"{Floors.Median(cmdletAgain):0.000} s", $"{Floors.Spread(cmdletAgain, "0.000")}; same pwsh session; {Floors.Median(kubectlApply) / Floors.Median(cmdletAgain):0.0}x faster than kubectl");
        yield return new Program.Result("(l) Connect-KratixPlatform to first answer", $"{Floors.Median(connect):0.000} s", $"{Floors.Spread(connect, "0.000")}; next answer {Floors.Median(warmAnswer):0.000} s; kubectl get {Floors.Median(kubectlGet):0.000} s; load {loadAtStart} -> {loadAtEnd}");
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

    /// <summary>A new double with Kratix's CRDs, the small Promise and the CRD of its API (as upstream would make it), and an admin kubeconfig.</summary>
    private static (ApiServerDouble.ApiServerDouble Server, string Kubeconfig) StartDouble(string directory)
    {
        Directory.CreateDirectory(directory);
        var server = ApiServerDouble.ApiServerDouble.StartAsync(new ApiServerDoubleOptions().WithUpstreamKratixCrds()).GetAwaiter().GetResult();
        var promise = Program.ReadDocuments(Program.SmallPromise, "small promise").Single();
        server.Create(promise);
        var crd = (JsonObject)promise["spec"]!["api"]!.DeepClone();
        crd["metadata"] = new JsonObject { ["name"] = crd["metadata"]!["name"]!.GetValue<string>(), ["labels"] = new JsonObject { ["kratix.io/promise-name"] = "bench-database" } };
        server.Create(crd);
        return (server, server.WriteKubeconfig(Path.Combine(directory, "kubeconfig")));
    }

    private static void CheckCount(string kubeconfig, int expected)
    {
        using var platform = new ClusterPlatform(KubeConnection.Open(new ClusterLocation(Context, kubeconfig, false)));
        var found = platform.GetRequests("bench-database").Count;
        if (found != expected)
        {
            throw new BenchmarkException($"expected {expected} requests on the double, found {found}.");
        }
    }

    private static (double Apply, double Get) Kubectl(string kubectl, string directory, string requests, string warmUp, int count)
    {
        var (server, kubeconfig) = StartDouble(directory);
        try
        {
            var cache = Path.Combine(directory, "kube-cache");
            RunProcess(kubectl, cache, "--kubeconfig", kubeconfig, "apply", "--server-side", "-f", warmUp);
            var clock = Stopwatch.StartNew();
            var output = RunProcess(kubectl, cache, "--kubeconfig", kubeconfig, "apply", "--server-side", "-f", requests);
            var apply = clock.Elapsed.TotalSeconds;
            var applied = output.Split('\n').Count(l => l.Contains("serverside-applied", StringComparison.Ordinal));
            if (applied != count)
            {
                throw new BenchmarkException($"kubectl applied {applied} of {count}: {output[..Math.Min(500, output.Length)]}");
            }

            clock.Restart();
            RunProcess(kubectl, cache, "--kubeconfig", kubeconfig, "get", "promises.platform.kratix.io", "-o", "name");
            var get = clock.Elapsed.TotalSeconds;
            CheckCount(kubeconfig, count + 1);
            return (apply, get);
        }
        finally
        {
            server.DisposeAsync().AsTask().GetAwaiter().GetResult();
            Program.DeleteDirectory(directory);
        }
    }

    private static double Engine(string directory, IReadOnlyList<JsonObject> documents)
    {
        var (server, kubeconfig) = StartDouble(directory);
        try
        {
            double seconds;
            using (var platform = new ClusterPlatform(KubeConnection.Open(new ClusterLocation(Context, kubeconfig, false))))
            {
                platform.SubmitRequests([new RequestSubmission(ManifestReader.Default.ReadString(Yaml("warm-up", 1))[0].Content!.AsObject())]);
                var submissions = documents.Select(d => new RequestSubmission(d.DeepClone().AsObject())).ToList();
                var clock = Stopwatch.StartNew();
                var outcomes = platform.SubmitRequests(submissions);
                seconds = clock.Elapsed.TotalSeconds;
                if (outcomes.FirstOrDefault(o => o.Error is not null) is { } failed)
                {
                    throw new BenchmarkException($"a request failed: {failed.Error!.Message}");
                }
            }

            CheckCount(kubeconfig, documents.Count + 1);
            return seconds;
        }
        finally
        {
            server.DisposeAsync().AsTask().GetAwaiter().GetResult();
            Program.DeleteDirectory(directory);
        }
    }

    private static (double Seconds, double Again, double Connect, double Warm) Cmdlet(string pwsh, string manifest, string directory, string requests, string again, string warmUp, int count)
    {
        var (server, kubeconfig) = StartDouble(directory);
        try
        {
            static string Quote(string s) => "'" + s.Replace("'", "''") + "'";
            var script = $$"""
                $ErrorActionPreference = 'Stop'
                Import-Module {{Quote(manifest)}}
                $clock = [System.Diagnostics.Stopwatch]::StartNew()
                Connect-KratixPlatform -Kubeconfig {{Quote(kubeconfig)}} -Context {{Context}}
                $null = Get-KratixPromise
                'CONNECT ' + $clock.Elapsed.TotalSeconds.ToString([cultureinfo]::InvariantCulture)
                $clock.Restart()
                $null = Get-KratixPromise
                'WARM ' + $clock.Elapsed.TotalSeconds.ToString([cultureinfo]::InvariantCulture)
                $null = New-KratixRequest -Path {{Quote(warmUp)}}
                $clock.Restart()
                $out = New-KratixRequest -Path {{Quote(Path.Combine(requests, "*.yaml"))}}
                $clock.Stop()
                if (@($out).Count -ne {{count}}) { throw "expected {{count}} requests out, got $(@($out).Count)" }
                'ELAPSED ' + $clock.Elapsed.TotalSeconds.ToString([cultureinfo]::InvariantCulture)
                $clock.Restart()
                $out = New-KratixRequest -Path {{Quote(Path.Combine(again, "*.yaml"))}}
                $clock.Stop()
                if (@($out).Count -ne {{count}}) { throw "expected {{count}} requests out, got $(@($out).Count)" }
                'AGAIN ' + $clock.Elapsed.TotalSeconds.ToString([cultureinfo]::InvariantCulture)
                """;
            var output = RunProcess(pwsh, null, "-NoProfile", "-NonInteractive", "-Command", script);
            double Read(string key) =>
                output.Split('\n').Select(l => l.Trim()).FirstOrDefault(l => l.StartsWith(key + " ", StringComparison.Ordinal)) is { } line
                    ? double.Parse(line[(key.Length + 1)..], CultureInfo.InvariantCulture)
                    : throw new BenchmarkException($"pwsh printed no {key}: {output}");
            var result = (Read("ELAPSED"), Read("AGAIN"), Read("CONNECT"), Read("WARM"));
            CheckCount(kubeconfig, (2 * count) + 1);
            return result;
        }
        finally
        {
            server.DisposeAsync().AsTask().GetAwaiter().GetResult();
            Program.DeleteDirectory(directory);
        }
    }

    /// <summary>Runs a program to its end (five minutes at most) and returns its output; a failure is a BenchmarkException with its words.</summary>
    private static string RunProcess(string file, string? kubeCache, params string[] arguments)
    {
        var info = new ProcessStartInfo(file) { RedirectStandardOutput = true, RedirectStandardError = true };
        foreach (var argument in arguments)
        {
            info.ArgumentList.Add(argument);
        }

        if (kubeCache is not null)
        {
            info.Environment["KUBECACHEDIR"] = kubeCache;
        }

        using var process = Process.Start(info) ?? throw new BenchmarkException($"could not start {file}");
        var error = process.StandardError.ReadToEndAsync();
        var output = process.StandardOutput.ReadToEnd();
        if (!process.WaitForExit(300_000))
        {
            process.Kill(entireProcessTree: true);
            throw new BenchmarkException($"{Path.GetFileName(file)} did not end within five minutes.");
        }

        if (process.ExitCode != 0)
        {
            throw new BenchmarkException($"{Path.GetFileName(file)} {string.Join(' ', arguments.Take(4))} failed (exit code {process.ExitCode}): {error.Result}{output[..Math.Min(2000, output.Length)]}");
        }

        return output;
    }

    private static string Version(string file, params string[] arguments)
    {
        try
        {
            return RunProcess(file, null, arguments).Split('\n')[0].Trim();
        }
        catch (BenchmarkException ex)
        {
            return ex.Message;
        }
    }

    private static string? FindOnPath(string name) =>
        (Environment.GetEnvironmentVariable("PATH") ?? string.Empty).Split(Path.PathSeparator, StringSplitOptions.RemoveEmptyEntries)
            .Select(d => Path.Combine(d, name)).FirstOrDefault(File.Exists);
}
