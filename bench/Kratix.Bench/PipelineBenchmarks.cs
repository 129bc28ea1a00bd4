using System.Diagnostics;
using System.Text.Json.Nodes;
using Kratix.Manifests;
using Kratix.Pipelines;
using Kratix.Platforms;
using Kratix.Pipelines.Runtimes;
using Kratix.Platforms.Embedded;
using static Kratix.Bench.Program;

namespace Kratix.Bench;

/// <summary>
/// (d) what each pipeline runtime adds to a no-op container over starting the same no-op as a plain process, and
/// (e) requests per second through a one-container resource workflow on the Host runtime into a Git state store.
/// </summary>
internal static class PipelineBenchmarks
{
    private const string NoOpImage = "localhost/kratix-bench/busybox:1";

    public static IEnumerable<Result> RuntimeOverhead(string scratch)
    {
        const int runs = 15;
        Console.WriteLine("(d) Per-container overhead of each runtime over a no-op command (`true`)");
        var baseline = Median(runs, () => RunProcess("/bin/true", []));
        Console.WriteLine($"    baseline: /bin/true as a plain process, median {baseline * 1000:0.0} ms");
        yield return new Result("(d) plain process `true`", $"{baseline * 1000:0.0} ms", $"median of {runs}; the baseline the overheads below subtract");

        var options = new PipelineRuntimeOptions();
        foreach (var name in PipelineRuntimes.Names)
        {
            var runtime = PipelineRuntimes.Create(name, options);
            var problem = runtime.ProbeAsync(CancellationToken.None).GetAwaiter().GetResult();
            if (problem is null && name != "Host" && !EnsureNoOpImage(name))
            {
                problem = $"could not build {NoOpImage} locally";
            }

            if (problem is not null)
            {
                Console.WriteLine($"    {name}: not measured: {FirstLine(problem)}");
                yield return new Result($"(d) {name} overhead", "n/a", FirstLine(problem));
                continue;
            }

            var workspace = Path.Combine(scratch, "runtime-" + name);
            var dirs = new[] { "input", "output", "metadata" }.Select(d => Directory.CreateDirectory(Path.Combine(workspace, d)).FullName).ToArray();
            var spec = new ContainerSpec("noop", name == "Host" ? "host" : NoOpImage, ["true"], null, null, ContainerLimits.None);
            var index = 0;
            double RunOnce()
            {
                var request = new ContainerRunRequest(spec, dirs[0], dirs[1], dirs[2], [], false, TimeSpan.FromMinutes(1), $"bench-{Environment.ProcessId}-{index++}");
                var clock = Stopwatch.StartNew();
                var result = runtime.RunAsync(request, CancellationToken.None).GetAwaiter().GetResult();
                if (!result.Succeeded)
                {
                    throw new BenchmarkException($"{name} could not run `true`: exit {result.ExitCode}: {FirstLine(result.Log)} (in a restricted sandbox set KRATIX_PODMAN_ARGS, e.g. \"--ulimit nofile=1024:1024 --ulimit nproc=4096:4096 --runtime runc\")");
                }

                return clock.Elapsed.TotalSeconds;
            }

            RunOnce();
            var median = Median(runs, RunOnce);
            Console.WriteLine($"    {name}: median {median * 1000:0.0} ms per container, overhead {(median - baseline) * 1000:0.0} ms");
            yield return new Result($"(d) {name} overhead", $"{(median - baseline) * 1000:0.0} ms", $"median {median * 1000:0.0} ms of {runs} runs minus the baseline; {(name == "Host" ? "bwrap sandbox, no image folder" : NoOpImage + ", --network=none")}");
        }
    }

    /// <summary>
    /// (g) The issue's end-to-end target: <paramref name="count"/> requests submitted as one operation (what
    /// <c>New-KratixRequest -Path requests/*.yaml</c> does), through a one-container workflow on the Host runtime,
    /// timed until every request is Reconciled and its file is on the bare remote.
    /// </summary>
    public static IEnumerable<Result> EndToEnd(string directory, int count)
    {
        const int runs = 3;
        var parallel = Environment.ProcessorCount;
        Console.WriteLine($"(g) End to end: {count:N0} requests submitted together, one-container workflow on the Host runtime, one Git state store; three runs, each beside its floor");
        var times = new List<double>();
        var floors = new List<double>();
        var launchTimes = new List<double>();
        var pushTimes = new List<double>();
        for (var run = 1; run <= runs; run++)
        {
            var runDirectory = Path.Combine(directory, "run-" + run);
            double seconds;
            List<string> paths;
            using (var platform = WorkflowPlatform(runDirectory, out var remote, quiet: run > 1))
            {
                platform.SubmitRequest(Request("warm-up"));
                var submissions = Enumerable.Range(1, count).Select(i => new RequestSubmission(Request($"app-{i:D4}"))).ToList();
                var clock = Stopwatch.StartNew();
                var outcomes = platform.SubmitRequests(submissions);
                seconds = clock.Elapsed.TotalSeconds;
                var notReconciled = outcomes.Where(o => o.Error is not null || o.Request?.Conditions.IsTrue("Reconciled") != true).ToList();
                if (notReconciled.Count > 0)
                {
                    throw new BenchmarkException($"{notReconciled.Count} requests did not reconcile; the first: {notReconciled[0].Error?.Message ?? notReconciled[0].Request?.Conditions.Get("Reconciled")?.Message}");
                }

                paths = Git.Check(runDirectory, "--git-dir=" + remote, "ls-tree", "-r", "--name-only", "main")
                    .Split('\n').Where(f => f.EndsWith("/configmap.yaml", StringComparison.Ordinal)).ToList();
                if (paths.Count != count + 1)
                {
                    throw new BenchmarkException($"expected {count + 1} ConfigMaps on the remote, found {paths.Count}");
                }

                var commits = Git.Check(runDirectory, "--git-dir=" + remote, "rev-list", "--count", "main").Trim();
                Console.WriteLine($"    run {run}: {count:N0} requests Reconciled and on the remote in {seconds:0.00} s ({count / seconds:N1} req/s); {paths.Count:N0} files, {commits} commits on main; {parallel} workflows at once [load {Floors.LoadAverage()}]");
            }

            DeleteDirectory(runDirectory);
            var names = Enumerable.Range(1, count).Select(i => $"app-{i:D4}").ToList();
            var (launches, push) = Floors.SandboxAndPush(names, parallel, Script, paths, Path.Combine(directory, "floor-" + run));
            var floor = launches + push;
            Console.WriteLine($"    floor {run}: {count:N0} bare sandbox launches of the same command, {parallel} at once, {launches:0.00} s + one push of the {paths.Count:N0} files {push:0.00} s = {floor:0.00} s; ratio {seconds / floor:0.00}x [load {Floors.LoadAverage()}]");
            times.Add(seconds);
            floors.Add(floor);
            launchTimes.Add(launches);
            pushTimes.Add(push);
        }

        DeleteDirectory(directory);
        yield return new Result($"(g) {count:N0} requests end to end", $"{Floors.Median(times):0.00} s", $"{Floors.Spread(times)}; {count / Floors.Median(times):N1} req/s: admit, {parallel} bwrap pipelines at once, Works, placements, one commit and push");
        yield return new Result("(g) floor: launches + push", $"{Floors.Median(floors):0.00} s", $"{Floors.Spread(floors)}; launches {Floors.Spread(launchTimes)}, push {Floors.Spread(pushTimes)}");
        yield return new Result("(g) ratio to floor", $"{Floors.Median(times) / Floors.Median(floors):0.00}x", "median / median (goal: within 1.5x)");
    }

    private const string Script = "printf \"kind: ConfigMap\\nmetadata:\\n  name: %s\\n\" \"$KRATIX_OBJECT_NAME\" > /kratix/output/configmap.yaml";

    public static IEnumerable<Result> WorkflowThroughput(string directory, int count)
    {
        Console.WriteLine($"(e) {count:N0} requests one at a time through a one-container resource workflow on the Host runtime into a Git state store");
        using (var platform = WorkflowPlatform(directory, out var remote))
        {
            platform.SubmitRequest(Request("warm-up"));
            var clock = Stopwatch.StartNew();
            for (var i = 1; i <= count; i++)
            {
                var request = platform.SubmitRequest(Request($"app-{i:D4}"));
                if (!request.Conditions.IsTrue("Reconciled"))
                {
                    throw new BenchmarkException($"request app-{i:D4} did not reconcile: {request.Conditions.Get("ConfigureWorkflowCompleted")?.Message}");
                }
            }

            clock.Stop();
            var onRemote = ConfigMapsOn(directory, remote);
            if (onRemote != count + 1)
            {
                throw new BenchmarkException($"expected {count + 1} ConfigMaps on the remote, found {onRemote}");
            }

            var seconds = clock.Elapsed.TotalSeconds;
            Console.WriteLine($"    {count:N0} requests reconciled in {seconds:0.00} s; {onRemote:N0} files on the remote");
            yield return new Result(
                $"(e) {count:N0} requests, Host workflow",
                $"{count / seconds:N1} req/s",
                $"{seconds:0.00} s, {seconds * 1000 / count:0.0} ms each: admit, run the pipeline in bwrap, Work, placement, commit and push, one request per operation");
        }

        DeleteDirectory(directory);
    }

    /// <summary>A platform with a Git store on a new bare remote, a Destination, and the bench-app Promise installed.</summary>
    private static EmbeddedPlatform WorkflowPlatform(string directory, out string remote, bool quiet = false)
    {
        Directory.CreateDirectory(directory);
        remote = Path.Combine(directory, "remote.git");
        Git.Check(directory, "init", "--quiet", "--bare", "--initial-branch=main", remote);
        var platform = new EmbeddedPlatform(new EmbeddedPlatformOptions
        {
            Home = Path.Combine(directory, "home"),
            Runtime = PipelineRuntimes.Create("Host"),
            // Workspaces where the platform puts them by default (/dev/shm when it is there).
        });
        platform.RegisterStateStore(Object(("apiVersion", "platform.kratix.io/v1alpha1"), ("kind", "GitStateStore"),
            ("metadata", Object(("name", "bench"))), ("spec", Object(("url", remote)))));
        platform.RegisterDestination(Object(("apiVersion", "platform.kratix.io/v1alpha1"), ("kind", "Destination"),
            ("metadata", Object(("name", "bench"), ("labels", Object(("environment", "dev"))))),
            ("spec", Object(("path", "bench"), ("stateStoreRef", Object(("kind", "GitStateStore"), ("name", "bench")))))));
        platform.InstallPromise(WorkflowPromise());
        if (!quiet)
        {
            Console.WriteLine("    Promise \"bench-app\": one resource.configure pipeline, one container: sh -c writing a ConfigMap");
        }

        return platform;
    }

    private static int ConfigMapsOn(string directory, string remote) =>
        Git.Check(directory, "--git-dir=" + remote, "ls-tree", "-r", "--name-only", "main")
            .Split('\n').Count(f => f.EndsWith("/configmap.yaml", StringComparison.Ordinal));

    private static JsonObject WorkflowPromise() => (JsonObject)ManifestReader.Default.ReadString("""
        apiVersion: platform.kratix.io/v1alpha1
        kind: Promise
        metadata:
          name: bench-app
        spec:
          api:
            apiVersion: apiextensions.k8s.io/v1
            kind: CustomResourceDefinition
            metadata: {name: apps.bench.kratix.io}
            spec:
              group: bench.kratix.io
              names: {kind: App, plural: apps, singular: app}
              scope: Namespaced
              versions:
              - name: v1alpha1
                served: true
                storage: true
                schema:
                  openAPIV3Schema:
                    type: object
                    properties:
                      spec: {type: object, properties: {size: {type: string, default: small}}}
          workflows:
            resource:
              configure:
              - apiVersion: platform.kratix.io/v1alpha1
                kind: Pipeline
                metadata: {name: instance}
                spec:
                  containers:
                  - name: write
                    image: bench/app:v1
                    command: [sh, -c, 'printf "kind: ConfigMap\nmetadata:\n  name: %s\n" "$KRATIX_OBJECT_NAME" > /kratix/output/configmap.yaml']
        """, "bench-app").Single().Content!;

    private static JsonObject Request(string name) => Object(
        ("apiVersion", "bench.kratix.io/v1alpha1"), ("kind", "App"),
        ("metadata", Object(("name", name), ("namespace", "default"))), ("spec", new JsonObject()));

    private static double Median(int runs, Func<double> run)
    {
        var times = Enumerable.Range(0, runs).Select(_ => run()).Order().ToList();
        return times[runs / 2];
    }

    private static double RunProcess(string file, string[] args)
    {
        var clock = Stopwatch.StartNew();
        using var process = Process.Start(new ProcessStartInfo(file, args) { UseShellExecute = false })!;
        process.WaitForExit();
        return clock.Elapsed.TotalSeconds;
    }

    /// <summary>A busybox image built locally with `import` (no registry), as the tests build theirs.</summary>
    private static bool EnsureNoOpImage(string engine)
    {
        var exe = engine.ToLowerInvariant();
        if (Run(exe, ["image", "inspect", NoOpImage]) == 0)
        {
            return true;
        }

        if (!File.Exists("/bin/busybox"))
        {
            return false;
        }

        var root = Path.Combine(Path.GetTempPath(), "kratix-bench-rootfs-" + Guid.NewGuid().ToString("N")[..8]);
        try
        {
            Directory.CreateDirectory(Path.Combine(root, "bin"));
            File.Copy("/bin/busybox", Path.Combine(root, "bin", "busybox"));
            foreach (var applet in new[] { "sh", "true" })
            {
                File.CreateSymbolicLink(Path.Combine(root, "bin", applet), "busybox");
            }

            var tar = Path.Combine(Path.GetTempPath(), Path.GetFileName(root) + ".tar");
            return Run("tar", ["-C", root, "-cf", tar, "."]) == 0 && Run(exe, ["import", tar, NoOpImage]) == 0 && File.Exists(tar) && Delete(tar);
        }
        finally
        {
            DeleteDirectory(root);
        }
    }

    private static bool Delete(string file)
    {
        File.Delete(file);
        return true;
    }

    private static int Run(string file, string[] args)
    {
        using var process = Process.Start(new ProcessStartInfo(file, args) { RedirectStandardOutput = true, RedirectStandardError = true })!;
        process.StandardOutput.ReadToEnd();
        process.StandardError.ReadToEnd();
        process.WaitForExit();
        return process.ExitCode;
    }
}
