using System.Diagnostics;
using System.Runtime.InteropServices;
using System.Text;
using System.Text.Json.Nodes;
using Kratix.Manifests;
using Kratix.Platforms;
using Kratix.Platforms.Embedded;
using Kratix.Schema;

namespace Kratix.Bench;

/// <summary>
/// Times what the embedded platform does, with a Stopwatch (one warm-up, then measured runs), on real git
/// repositories in a temporary directory that is deleted afterwards. Run from the repository root:
/// <c>dotnet run -c Release --project bench/Kratix.Bench [-- install|validate|requests|runtimes|workflow|writer|endtoend]</c>.
/// </summary>
internal static class Program
{
    private static readonly string[] Benchmarks = ["install", "validate", "requests", "bulk", "scale", "runtimes", "workflow", "writer", "endtoend", "startup", "cmdlets", "cluster"];

    /// <summary>The whole run is stopped after this long, whatever it is doing.</summary>
    private static readonly TimeSpan HardLimit = TimeSpan.FromMinutes(25);

    private static int Main(string[] args)
    {
        var selected = args.Length == 0 ? Benchmarks : args.Select(Normalise).ToArray();
        if (selected.Any(s => s is null) || args.Length > 1)
        {
            Console.Error.WriteLine("usage: dotnet run -c Release --project bench/Kratix.Bench [-- install|validate|requests|bulk|scale|runtimes|workflow|writer|endtoend|startup|cmdlets|cluster]");
            Console.Error.WriteLine("  install   (a) install the largest upstream Promise until its dependencies are on the remote");
            Console.Error.WriteLine("  validate  (b) requests validated per second against the largest Promise API schema");
            Console.Error.WriteLine("  requests  (c) create 1,000 requests on one platform, one operation each, beside the floor of one durable batch");
            Console.Error.WriteLine("  bulk      (h) create 1,000 requests in one operation, beside the floor of one durable batch");
            Console.Error.WriteLine("  scale     (i) 250, 1,000, 4,000 and 10,000 requests in one operation: time and memory per request");
            Console.Error.WriteLine("  runtimes  (d) per-container overhead of each pipeline runtime over a no-op command");
            Console.Error.WriteLine("  workflow  (e) requests per second through a one-container workflow on the Host runtime, one per operation");
            Console.Error.WriteLine("  writer    (f) 1,000 WorkPlacements: this project's Git writer vs an upstream-style writer");
            Console.Error.WriteLine("  endtoend  (g) 1,000 requests submitted together, through a Host workflow, until all are on the remote");
            Console.Error.WriteLine("  startup   (j) Import-Module and a first command in a fresh pwsh, beside `pwsh -c exit`");
            Console.Error.WriteLine("  cmdlets   (k) New-KratixRequest -Path *.yaml over 1,000 files in a fresh pwsh, beside SubmitRequests of the same documents");
            Console.Error.WriteLine("  cluster   (l) 1,000 request files to the API server double: kubectl apply --server-side, SubmitRequests, New-KratixRequest -Path; Connect-KratixPlatform to first answer");
            return 2;
        }

        string root;
        string promises;
        try
        {
            root = RepositoryRoot();
            promises = Path.GetFullPath(Path.Combine(root, "..", "shared", "kratix", "promises"));
            if (!Directory.Exists(promises))
            {
                throw new InvalidOperationException($"the shared upstream Promises are missing: expected {promises} (../shared beside the repository)");
            }
        }
        catch (InvalidOperationException ex)
        {
            Console.Error.WriteLine("kratix-bench: " + ex.Message);
            return 2;
        }

        var scratch = Path.Combine(Path.GetTempPath(), "kratix-bench-" + Guid.NewGuid().ToString("N")[..12]);
        Directory.CreateDirectory(scratch);
        using var watchdog = new Timer(_ =>
        {
            Console.Error.WriteLine($"kratix-bench: stopped after the hard limit of {HardLimit.TotalMinutes:0} minutes.");
            DeleteDirectory(scratch);
            Environment.Exit(3);
        }, null, HardLimit, Timeout.InfiniteTimeSpan);
        Console.CancelKeyPress += (_, _) => DeleteDirectory(scratch);

        var total = Stopwatch.StartNew();
        var data = new SharedData(promises);
        var results = new List<Result>();
        PrintHeader(root, promises);
        try
        {
            foreach (var name in selected)
            {
                Console.WriteLine();
                Console.WriteLine($"[load average {Floors.LoadAverage()} before {name}]");
                results.AddRange(name switch
                {
                    "install" => InstallLargestPromise(data, Path.Combine(scratch, "install")),
                    "validate" => ValidateAgainstLargestSchema(data),
                    "runtimes" => PipelineBenchmarks.RuntimeOverhead(scratch),
                    "workflow" => PipelineBenchmarks.WorkflowThroughput(Path.Combine(scratch, "workflow"), count: 200),
                    "writer" => WriterBenchmark.Run(Path.Combine(scratch, "writer"), count: 1000),
                    "endtoend" => PipelineBenchmarks.EndToEnd(Path.Combine(scratch, "endtoend"), count: 1000),
                    "bulk" => CreateRequests(Path.Combine(scratch, "bulk"), count: 1000, bulk: true),
                    "scale" => Scale(Path.Combine(scratch, "scale")),
                    "startup" => StartupBenchmark.Run(root, Path.Combine(scratch, "startup")),
                    "cmdlets" => CmdletsBenchmark.Run(root, Path.Combine(scratch, "cmdlets"), count: 1000),
                    "cluster" => ClusterBenchmark.Run(root, Path.Combine(scratch, "cluster"), count: 1000),
                    _ => CreateRequests(Path.Combine(scratch, "requests"), count: 1000, bulk: false),
                });
            }
        }
        catch (BenchmarkException ex)
        {
            Console.Error.WriteLine("kratix-bench: " + ex.Message);
            return 1;
        }
        finally
        {
            DeleteDirectory(scratch);
        }

        Console.WriteLine();
        Console.WriteLine($"[load average {Floors.LoadAverage()} at the end]");
        PrintTable(results);
        Console.WriteLine();
        Console.WriteLine($"Total run time {total.Elapsed.TotalSeconds:0.0} s; temporary directory {scratch} deleted.");
        return 0;
    }

    private static string? Normalise(string arg) => arg.ToLowerInvariant() switch
    {
        "install" or "a" => "install",
        "validate" or "validation" or "b" => "validate",
        "requests" or "c" => "requests",
        "bulk" or "h" => "bulk",
        "scale" or "i" => "scale",
        "runtimes" or "d" => "runtimes",
        "workflow" or "e" => "workflow",
        "writer" or "f" => "writer",
        "endtoend" or "g" => "endtoend",
        "startup" or "j" => "startup",
        "cmdlets" or "k" => "cmdlets",
        "cluster" or "l" => "cluster",
        _ => null,
    };

    // (a) ------------------------------------------------------------------------------------------------------------

    private static IEnumerable<Result> InstallLargestPromise(SharedData data, string work)
    {
        const int runs = 5;
        Console.WriteLine("(a) Install the largest Promise until its dependencies are on the remote");
        foreach (var file in data.PromiseFiles.OrderByDescending(f => new FileInfo(f).Length).ThenBy(f => f, StringComparer.Ordinal))
        {
            var size = new FileInfo(file).Length;
            var promise = ReadDocuments(file).FirstOrDefault(d => d["kind"]?.ToString() == "Promise");
            if (promise is null)
            {
                Console.WriteLine($"    skipped {data.Describe(file)} ({Kb(size)}): no Promise document in it");
                continue;
            }

            var name = promise["metadata"]?["name"]?.ToString() ?? "";
            if (promise["spec"]?["dependencies"] is not JsonArray { Count: > 0 })
            {
                Console.WriteLine($"    skipped {data.Describe(file)} ({Kb(size)}): Promise \"{name}\" has no spec.dependencies, so nothing reaches the remote");
                continue;
            }

            // The warm-up run doubles as the check that this Promise installs at all.
            var warmUp = InstallOnce(promise, Path.Combine(work, "warm-up"));
            if (warmUp.Error is not null)
            {
                Console.WriteLine($"    skipped {data.Describe(file)} ({Kb(size)}): it does not install on the embedded platform: {warmUp.Error}");
                continue;
            }

            Console.WriteLine($"    Promise \"{name}\" from {data.Describe(file)}, {size:N0} bytes; Destination labels {warmUp.Labels}");
            Console.WriteLine($"    warm-up {warmUp.Seconds * 1000:0} ms, {warmUp.Warnings} warning(s); verified {warmUp.DependencyFile} on the remote");
            var times = new List<double>();
            for (var i = 1; i <= runs; i++)
            {
                var run = InstallOnce(promise, Path.Combine(work, "run-" + i));
                if (run.Error is not null)
                {
                    throw new BenchmarkException($"run {i} of installing \"{name}\" failed after the warm-up succeeded: {run.Error}");
                }

                times.Add(run.Seconds);
                Console.WriteLine($"    run {i}: {run.Seconds * 1000:0} ms");
            }

            times.Sort();
            yield return new Result(
                "(a) install largest Promise",
                $"{times[runs / 2] * 1000:0} ms",
                $"median of {runs} (min {times[0] * 1000:0}, max {times[^1] * 1000:0}); \"{name}\", {Kb(size)}, fresh platform and remote each run");
            yield break;
        }

        throw new BenchmarkException("no Promise in the shared data has dependencies and installs on the embedded platform");
    }

    private sealed record InstallRun(double Seconds, string? Error, int Warnings, string Labels, string DependencyFile);

    private static InstallRun InstallOnce(JsonObject promise, string directory)
    {
        Directory.CreateDirectory(directory);
        try
        {
            var remote = Path.Combine(directory, "remote.git");
            Git.Check(directory, "init", "--quiet", "--bare", "--initial-branch=main", remote);
            var log = new CollectingPlatformLog();
            using var platform = new EmbeddedPlatform(new EmbeddedPlatformOptions { Home = Path.Combine(directory, "home"), Log = log });

            var store = platform.RegisterStateStore(Object(("apiVersion", "platform.kratix.io/v1alpha1"), ("kind", "GitStateStore"),
                ("metadata", Object(("name", "bench"))), ("spec", Object(("url", remote), ("branch", "main")))));
            if (store.Status["status"]?.ToString() != "Ready")
            {
                return new InstallRun(0, "the git state store did not become Ready: " + store.Node["status"]?.ToJsonString(), 0, "", "");
            }

            var labels = SquashedSelectors(promise);
            var destination = platform.RegisterDestination(Object(("apiVersion", "platform.kratix.io/v1alpha1"), ("kind", "Destination"),
                ("metadata", Object(("name", "bench"), ("labels", labels))),
                ("spec", Object(("path", "bench"), ("stateStoreRef", Object(("kind", "GitStateStore"), ("name", "bench")))))));
            var ready = destination.Conditions.Get("Ready");
            if (ready is not { Status: "True" })
            {
                return new InstallRun(0, "the Destination did not become Ready: " + ready?.Message, 0, "", "");
            }

            log.Drain();
            var clock = Stopwatch.StartNew();
            try
            {
                platform.InstallPromise(promise);
            }
            catch (KratixException ex)
            {
                return new InstallRun(0, $"{ex.ErrorId}: {FirstLine(ex.Message)}", 0, "", "");
            }

            clock.Stop();
            var name = promise["metadata"]!["name"]!.ToString();
            var expected = $"bench/dependencies/{name}/5058f/static/{name}-dependencies.yaml";
            var files = Git.Check(directory, "--git-dir=" + remote, "ls-tree", "-r", "main", "--name-only").Split('\n', StringSplitOptions.RemoveEmptyEntries);
            if (!files.Contains(expected, StringComparer.Ordinal))
            {
                return new InstallRun(0, $"{expected} is not on the remote after the install", 0, "", "");
            }

            return new InstallRun(clock.Elapsed.TotalSeconds, null, log.Drain().Count(m => m.IsWarning), labels.ToJsonString(), expected);
        }
        finally
        {
            DeleteDirectory(directory);
        }
    }

    /// <summary>The Promise's destinationSelectors squashed into one label set (the first value of a key wins, as upstream squashes them).</summary>
    private static JsonObject SquashedSelectors(JsonObject promise)
    {
        var labels = new JsonObject();
        foreach (var selector in (promise["spec"]?["destinationSelectors"] as JsonArray)?.OfType<JsonObject>() ?? [])
        {
            foreach (var (key, value) in selector["matchLabels"] as JsonObject ?? new JsonObject())
            {
                if (!labels.ContainsKey(key))
                {
                    labels[key] = value?.ToString();
                }
            }
        }

        return labels;
    }

    // (b) ------------------------------------------------------------------------------------------------------------

    private static IEnumerable<Result> ValidateAgainstLargestSchema(SharedData data)
    {
        var duration = TimeSpan.FromSeconds(3);
        Console.WriteLine("(b) Requests validated per second against the largest Promise API schema");
        var candidates = new List<(string File, JsonObject Promise, int SchemaBytes)>();
        foreach (var file in data.PromiseFiles)
        {
            foreach (var promise in ReadDocuments(file).Where(d => d["kind"]?.ToString() == "Promise"))
            {
                var versions = promise["spec"]?["api"]?["spec"]?["versions"] as JsonArray;
                var bytes = versions?.OfType<JsonObject>().Sum(v => v["schema"]?["openAPIV3Schema"] is { } s ? Encoding.UTF8.GetByteCount(s.ToJsonString()) : 0) ?? 0;
                if (bytes > 0)
                {
                    candidates.Add((file, promise, bytes));
                }
            }
        }

        foreach (var (file, promise, schemaBytes) in candidates.OrderByDescending(c => c.SchemaBytes).ThenBy(c => c.File, StringComparer.Ordinal))
        {
            var name = promise["metadata"]?["name"]?.ToString() ?? "";
            CustomResourceDefinition crd;
            try
            {
                crd = CustomResourceDefinition.Parse((JsonObject)promise["spec"]!["api"]!);
            }
            catch (KratixException ex)
            {
                Console.WriteLine($"    skipped \"{name}\" ({data.Describe(file)}): its API does not parse: {FirstLine(ex.Message)}");
                continue;
            }

            var (request, origin) = RequestFor(data, file, crd);
            if (request is null)
            {
                Console.WriteLine($"    skipped \"{name}\" ({data.Describe(file)}): {origin}");
                continue;
            }

            Console.WriteLine($"    Promise \"{name}\" from {data.Describe(file)}: openAPIV3Schema {schemaBytes:N0} bytes (JSON), kind {crd.Names.Kind}");
            Console.WriteLine($"    request: {origin}");

            // Warm up for half a second (JIT, tiering), then measure for the full duration: the default (Strict, as
            // kubectl), Warn (the mode the validator had before field-validation modes), and a baseline measured in the
            // same run, on the same machine load: the DeepClone each validation starts with, alone.
            // Two seconds: under load the tiered JIT promotes the hot methods late, and a shorter warm-up measured tier-0 code.
            Loop(request, crd, TimeSpan.FromSeconds(2));
            var (count, elapsed) = Loop(request, crd, duration);
            var perSecond = count / elapsed.TotalSeconds;
            Console.WriteLine($"    {count:N0} validations (Strict) in {elapsed.TotalSeconds:0.00} s");
            var warnOptions = new RequestValidationOptions { FieldValidation = FieldValidationMode.Warn };
            var (warnCount, warnElapsed) = Loop(request, crd, duration, warnOptions);
            Console.WriteLine($"    {warnCount:N0} validations (Warn) in {warnElapsed.TotalSeconds:0.00} s");
            var (cloneCount, cloneElapsed) = CloneLoop(request, duration);
            Console.WriteLine($"    {cloneCount:N0} DeepClone()s alone in {cloneElapsed.TotalSeconds:0.00} s (baseline)");
            yield return new Result(
                "(b) validate against largest schema",
                $"{perSecond:N0} req/s",
                $"{elapsed.TotalMilliseconds * 1000 / count:0.0} µs each; \"{name}\" ({crd.Names.Kind}), schema {Kb(schemaBytes)}; Validate(request.DeepClone(), crd), Strict");
            yield return new Result(
                "(b) validate, -FieldValidation Warn",
                $"{warnCount / warnElapsed.TotalSeconds:N0} req/s",
                $"{warnElapsed.TotalMilliseconds * 1000 / warnCount:0.0} µs each");
            yield return new Result(
                "(b) baseline: DeepClone alone",
                $"{cloneCount / cloneElapsed.TotalSeconds:N0} /s",
                $"{cloneElapsed.TotalMilliseconds * 1000 / cloneCount:0.0} µs each; the same run, the same load");
            yield break;
        }

        throw new BenchmarkException("no Promise API in the shared data has a request that validates");
    }

    private static (long Count, TimeSpan Elapsed) CloneLoop(JsonObject request, TimeSpan duration)
    {
        var clock = Stopwatch.StartNew();
        long count = 0;
        while (clock.Elapsed < duration)
        {
            if (request.DeepClone() is null)
            {
                throw new BenchmarkException("DeepClone returned null");
            }

            count++;
        }

        return (count, clock.Elapsed);
    }

    private static (long Count, TimeSpan Elapsed) Loop(JsonObject request, CustomResourceDefinition crd, TimeSpan duration, RequestValidationOptions? options = null)
    {
        var clock = Stopwatch.StartNew();
        long count = 0;
        while (clock.Elapsed < duration)
        {
            var result = RequestValidator.Validate(request.DeepClone().AsObject(), crd, options);
            if (!result.IsValid)
            {
                throw new BenchmarkException("a request that validated once stopped validating: " + result);
            }

            count++;
        }

        return (count, clock.Elapsed);
    }

    /// <summary>An example request from the Promise's folder that validates, else a minimal one built from the API; null with the reason when neither validates.</summary>
    private static (JsonObject? Request, string Origin) RequestFor(SharedData data, string promiseFile, CustomResourceDefinition crd)
    {
        var problems = new List<string>();
        foreach (var file in data.RequestFilesBeside(promiseFile))
        {
            foreach (var document in ReadDocuments(file))
            {
                var apiVersion = document["apiVersion"]?.ToString() ?? "";
                if (document["kind"]?.ToString() != crd.Names.Kind || !apiVersion.StartsWith(crd.Group + "/", StringComparison.Ordinal))
                {
                    continue;
                }

                var result = RequestValidator.Validate(document.DeepClone().AsObject(), crd);
                if (result.IsValid)
                {
                    return (document, $"{data.Describe(file)} ({document["metadata"]?["name"]}), {Encoding.UTF8.GetByteCount(document.ToJsonString())} bytes, {result.Warnings.Count} warning(s)");
                }

                problems.Add($"{data.Describe(file)} does not validate: {FirstLine(result.ToString())}");
            }
        }

        var built = Object(
            ("apiVersion", $"{crd.Group}/{crd.StorageVersion.Name}"),
            ("kind", crd.Names.Kind),
            ("metadata", Object(("name", "bench"), ("namespace", "default"))),
            ("spec", new JsonObject()));
        var check = RequestValidator.Validate(built.DeepClone().AsObject(), crd);
        if (check.IsValid)
        {
            var why = problems.Count == 0 ? "no example request for this kind in its folder" : string.Join("; ", problems);
            return (built, $"built {{apiVersion, kind, metadata{{name, namespace}}, spec: {{}}}} ({why})");
        }

        problems.Add("an empty spec does not validate: " + FirstLine(check.ToString()));
        return (null, string.Join("; ", problems));
    }

    // (c) ------------------------------------------------------------------------------------------------------------

    internal const string SmallPromise = """
        apiVersion: platform.kratix.io/v1alpha1
        kind: Promise
        metadata:
          name: bench-database
          labels:
            kratix.io/promise-version: v1.0.0
        spec:
          api:
            apiVersion: apiextensions.k8s.io/v1
            kind: CustomResourceDefinition
            metadata:
              name: databases.bench.kratix.io
            spec:
              group: bench.kratix.io
              names:
                kind: Database
                plural: databases
                singular: database
              scope: Namespaced
              versions:
              - name: v1alpha1
                served: true
                storage: true
                schema:
                  openAPIV3Schema:
                    type: object
                    properties:
                      spec:
                        type: object
                        properties:
                          engine:
                            type: string
                            enum: [postgres, mysql]
                            default: postgres
                          size:
                            type: string
                            default: small
                          replicas:
                            type: integer
                            minimum: 1
                            maximum: 5
                            default: 1
        """;

    /// <summary>
    /// (c) and (h): <paramref name="count"/> requests through a Promise without workflows, as separate operations or as
    /// one (<paramref name="bulk"/>), three times on a new platform each; each run beside its floor, the same object
    /// files (the requests and their ResourceBindings) written as one durable batch.
    /// </summary>
    private static IEnumerable<Result> CreateRequests(string directory, int count, bool bulk)
    {
        const int runs = 3;
        var letter = bulk ? "(h)" : "(c)";
        Console.WriteLine(bulk
            ? $"{letter} Create {count:N0} requests in one operation (SubmitRequests), no workflows, on a platform with a git store and a Destination"
            : $"{letter} Create {count:N0} requests, one operation each (SubmitRequest), no workflows, on a platform with a git store and a Destination");
        var times = new List<double>();
        var floors = new List<double>();
        for (var run = 1; run <= runs; run++)
        {
            var (seconds, floor, _) = CreateRequestsOnce(Path.Combine(directory, "run-" + run), count, bulk);
            times.Add(seconds);
            floors.Add(floor);
            Console.WriteLine($"    run {run}: {seconds:0.000} s ({seconds * 1000 / count:0.00} ms each); floor {floor:0.000} s; ratio {seconds / floor:0.0}x [load {Floors.LoadAverage()}]");
        }

        var ratio = Floors.Median(times) / Floors.Median(floors);
        yield return new Result($"{letter} {count:N0} requests, {(bulk ? "one operation" : "one operation each")}", $"{Floors.Median(times):0.000} s", $"{Floors.Spread(times, "0.000")}; {count / Floors.Median(times):N0} req/s");
        yield return new Result($"{letter} floor: one durable batch", $"{Floors.Median(floors):0.000} s", $"{Floors.Spread(floors, "0.000")}; the same object files, written, one syncfs, renamed, one syncfs");
        yield return new Result($"{letter} ratio to floor", $"{ratio:0.0}x", "median / median (goal: within 2x)");
    }

    /// <summary>One run: seconds, the floor's seconds, and the peak working set growth in bytes.</summary>
    private static (double Seconds, double Floor, long Memory) CreateRequestsOnce(string directory, int count, bool bulk)
    {
        Directory.CreateDirectory(directory);
        try
        {
            var remote = Path.Combine(directory, "remote.git");
            Git.Check(directory, "init", "--quiet", "--bare", "--initial-branch=main", remote);
            var home = Path.Combine(directory, "home");
            double seconds;
            long memory;
            using (var platform = new EmbeddedPlatform(new EmbeddedPlatformOptions { Home = home }))
            {
                platform.RegisterStateStore(Object(("apiVersion", "platform.kratix.io/v1alpha1"), ("kind", "GitStateStore"),
                    ("metadata", Object(("name", "bench"))), ("spec", Object(("url", remote)))));
                platform.RegisterDestination(Object(("apiVersion", "platform.kratix.io/v1alpha1"), ("kind", "Destination"),
                    ("metadata", Object(("name", "bench"), ("labels", Object(("environment", "dev"))))),
                    ("spec", Object(("path", "bench"), ("stateStoreRef", Object(("kind", "GitStateStore"), ("name", "bench")))))));
                platform.InstallPromise(ReadDocuments(SmallPromise, "small promise").Single());
                platform.SubmitRequest(Request("warm-up", 1));
                GC.Collect();
                using var self = Process.GetCurrentProcess();
                var before = self.WorkingSet64;
                var clock = Stopwatch.StartNew();
                if (bulk)
                {
                    var outcomes = platform.SubmitRequests(Enumerable.Range(1, count).Select(i => new RequestSubmission(Request($"db-{i:D5}", 1 + (i % 5)))).ToList());
                    if (outcomes.FirstOrDefault(o => o.Error is not null) is { } failed)
                    {
                        throw new BenchmarkException($"a request failed: {failed.Error!.Message}");
                    }
                }
                else
                {
                    for (var i = 1; i <= count; i++)
                    {
                        platform.SubmitRequest(Request($"db-{i:D5}", 1 + (i % 5)));
                    }
                }

                seconds = clock.Elapsed.TotalSeconds;
                self.Refresh();
                memory = Math.Max(0, self.PeakWorkingSet64 - before);
                var stored = platform.GetRequests("bench-database").Count;
                if (stored != count + 1)
                {
                    throw new BenchmarkException($"expected {count + 1} stored requests, found {stored}");
                }
            }

            // The objects the operation stores: each request, and the ResourceBinding that upstream keeps beside it.
            var files = Floors.StoredFiles(home).Where(f =>
                (f.RelativePath.Contains("databases.bench.kratix.io", StringComparison.Ordinal) && !f.RelativePath.EndsWith("warm-up.yaml", StringComparison.Ordinal))
                || (f.RelativePath.Contains("resourcebindings.platform.kratix.io", StringComparison.Ordinal) && !Path.GetFileName(f.RelativePath).StartsWith("warm-up-", StringComparison.Ordinal))).ToList();
            if (files.Count != 2 * count)
            {
                throw new BenchmarkException($"expected {count} request files and {count} ResourceBindings for the floor, found {files.Count} files");
            }

            return (seconds, Floors.DurableBatch(files, home), memory);
        }
        finally
        {
            DeleteDirectory(directory);
        }
    }

    /// <summary>(i) Time and memory per request as the batch grows: nothing may grow faster than linearly.</summary>
    private static IEnumerable<Result> Scale(string directory)
    {
        Console.WriteLine("(i) Requests in one operation (no workflows) at 250, 1,000, 4,000 and 10,000: time per request, peak working set growth");
        var perRequest = new Dictionary<int, double>();
        var results = new List<Result>();
        foreach (var size in new[] { 250, 1000, 4000, 10000 })
        {
            var times = new List<double>();
            long memory = 0;
            for (var run = 1; run <= 3; run++)
            {
                var (seconds, _, grown) = CreateRequestsOnce(Path.Combine(directory, $"{size}-{run}"), size, bulk: true);
                times.Add(seconds * 1000 / size);
                memory = Math.Max(memory, grown);
            }

            perRequest[size] = Floors.Median(times);
            using var self = Process.GetCurrentProcess();
            Console.WriteLine($"    {size,6:N0}: {Floors.Spread(times, "0.000", "ms")} per request; peak working set grew {memory / 1024.0 / 1024:0.0} MB ({memory / 1024.0 / size:0.0} KB per request; process peak {self.PeakWorkingSet64 / 1024.0 / 1024:0} MB) [load {Floors.LoadAverage()}]");
            results.Add(new Result($"(i) {size:N0} requests", $"{perRequest[size]:0.000} ms/req", $"{Floors.Spread(times, "0.000", "ms")}; {memory / 1024.0 / size:0.0} KB per request (peak working set growth)"));
        }

        results.Add(new Result("(i) 10,000 vs 1,000 per request", $"{perRequest[10000] / perRequest[1000]:0.00}x", "median time per request at 10,000 / at 1,000 (goal: within 1.3x)"));
        return results;
    }

    internal static JsonObject Request(string name, int replicas) => Object(
        ("apiVersion", "bench.kratix.io/v1alpha1"),
        ("kind", "Database"),
        ("metadata", Object(("name", name), ("namespace", "default"))),
        ("spec", Object(("replicas", replicas))));

    // Helpers ---------------------------------------------------------------------------------------------------------

    private static void PrintHeader(string root, string promises)
    {
        Console.WriteLine("Kratix for PowerShell - embedded platform benchmark");
        Console.WriteLine($"  cores      {Environment.ProcessorCount}");
        Console.WriteLine($"  load       {Floors.LoadAverage()} (1, 5, 15 min) at the start");
        Console.WriteLine($"  git        {Git.Version()}");
        Console.WriteLine($"  runtime    {RuntimeInformation.FrameworkDescription}, {RuntimeInformation.OSDescription} ({RuntimeInformation.ProcessArchitecture})");
        Console.WriteLine($"  repository {root}");
        Console.WriteLine($"  promises   {promises}");
    }

    private static void PrintTable(IReadOnlyList<Result> results)
    {
        var headers = new[] { "Benchmark", "Result", "Details" };
        var widths = new[]
        {
            Math.Max(headers[0].Length, results.Select(r => r.Name.Length).DefaultIfEmpty().Max()),
            Math.Max(headers[1].Length, results.Select(r => r.Value.Length).DefaultIfEmpty().Max()),
        };
        Console.WriteLine($"{headers[0].PadRight(widths[0])}  {headers[1].PadLeft(widths[1])}  {headers[2]}");
        Console.WriteLine($"{new string('-', widths[0])}  {new string('-', widths[1])}  {new string('-', headers[2].Length)}");
        foreach (var r in results)
        {
            Console.WriteLine($"{r.Name.PadRight(widths[0])}  {r.Value.PadLeft(widths[1])}  {r.Detail}");
        }
    }

    private static string RepositoryRoot()
    {
        foreach (var start in new[] { Directory.GetCurrentDirectory(), AppContext.BaseDirectory })
        {
            for (var dir = new DirectoryInfo(start); dir is not null; dir = dir.Parent)
            {
                if (File.Exists(Path.Combine(dir.FullName, "Kratix.PowerShell.sln")))
                {
                    return dir.FullName;
                }
            }
        }

        throw new InvalidOperationException("Kratix.PowerShell.sln was not found above the current directory or the benchmark's binaries; run from the repository.");
    }

    private static IReadOnlyList<JsonObject> ReadDocuments(string path) =>
        ManifestReader.Default.ReadFile(path).Select(d => d.Content).OfType<JsonObject>().ToList();

    internal static IReadOnlyList<JsonObject> ReadDocuments(string text, string source) =>
        ManifestReader.Default.ReadString(text, source).Select(d => d.Content).OfType<JsonObject>().ToList();

    internal static JsonObject Object(params (string Key, JsonNode? Value)[] entries)
    {
        var node = new JsonObject();
        foreach (var (key, value) in entries)
        {
            node[key] = value;
        }

        return node;
    }

    internal static string FirstLine(string text) => text.Split('\n')[0].Trim();

    private static string Kb(long bytes) => $"{bytes / 1024.0:0.#} KB";

    /// <summary>Deletes a directory tree, clearing read-only attributes (git makes its objects read-only) first.</summary>
    internal static void DeleteDirectory(string path)
    {
        if (!Directory.Exists(path))
        {
            return;
        }

        for (var attempt = 1; attempt <= 3; attempt++)
        {
            try
            {
                foreach (var file in Directory.EnumerateFiles(path, "*", SearchOption.AllDirectories))
                {
                    File.SetAttributes(file, FileAttributes.Normal);
                }

                Directory.Delete(path, recursive: true);
                return;
            }
            catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
            {
                if (attempt == 3)
                {
                    Console.Error.WriteLine($"kratix-bench: could not delete {path}: {ex.Message}");
                    return;
                }

                Thread.Sleep(100 * attempt);
            }
        }
    }

    internal sealed record Result(string Name, string Value, string Detail);
}

/// <summary>A benchmark could not run as designed; the message says why.</summary>
internal sealed class BenchmarkException(string message) : Exception(message);

/// <summary>The upstream Promises and requests in ../shared/kratix/promises, by the role each folder's manifest.txt gives them.</summary>
internal sealed class SharedData(string root)
{
    public IReadOnlyList<string> PromiseFiles { get; } = FilesWithRole(root, "promise", null);

    public IReadOnlyList<string> RequestFilesBeside(string promiseFile) => FilesWithRole(root, "resource-request", Path.GetDirectoryName(promiseFile));

    /// <summary>A file as <c>folder/file</c>, relative to the shared Promises directory.</summary>
    public string Describe(string file) => Path.GetRelativePath(root, file).Replace('\\', '/');

    private static List<string> FilesWithRole(string root, string role, string? onlyFolder) =>
        (onlyFolder is null ? Directory.GetDirectories(root) : [onlyFolder])
            .Order(StringComparer.Ordinal)
            .Where(folder => File.Exists(Path.Combine(folder, "manifest.txt")))
            .SelectMany(folder => File.ReadAllLines(Path.Combine(folder, "manifest.txt"))
                .Where(line => line.TrimStart().StartsWith("- ", StringComparison.Ordinal) && line.Contains($"(role: {role},", StringComparison.Ordinal))
                .Select(line => Path.Combine(folder, line.TrimStart()[2..].Split(' ')[0])))
            .Where(File.Exists)
            .ToList();
}

/// <summary>The git command line, for setting up bare remotes and reading what was pushed to them.</summary>
internal static class Git
{
    public static string Version()
    {
        try
        {
            return Check(Directory.GetCurrentDirectory(), "--version").Trim().Replace("git version ", "", StringComparison.Ordinal);
        }
        catch (Exception ex) when (ex is BenchmarkException or System.ComponentModel.Win32Exception)
        {
            return "not found (" + ex.Message + ")";
        }
    }

    /// <summary>Runs git and returns its stdout; throws when it fails.</summary>
    public static string Check(string workingDirectory, params string[] args)
    {
        var info = new ProcessStartInfo("git")
        {
            WorkingDirectory = workingDirectory,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        foreach (var arg in args)
        {
            info.ArgumentList.Add(arg);
        }

        using var process = Process.Start(info) ?? throw new BenchmarkException("could not start git");
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEnd();
        process.WaitForExit();
        if (process.ExitCode != 0)
        {
            throw new BenchmarkException($"git {string.Join(' ', args.Take(3))} failed ({process.ExitCode}): {stderr.Trim()}");
        }

        return stdout.Result;
    }
}
