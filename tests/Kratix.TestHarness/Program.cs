using System.Globalization;
using System.Text.Json.Nodes;
using Kratix;
using Kratix.Manifests;
using Kratix.Platforms;
using Kratix.Platforms.Embedded;

// A separate process for tests that need several processes on one platform (locking) or a process that dies (crashes).
//
//   Kratix.TestHarness submit <home> <name-prefix> <count>
//       Submits <count> requests for the test Promise "redis" (kind redis, group marketplace.kratix.io), one operation each.
//   Kratix.TestHarness submit-file <home> <name-prefix> <count> <template.yaml>
//       Submits <count> requests read from a template in which every "{name}" becomes <name-prefix>-<i>.
//   Kratix.TestHarness submit-batch <home> <name-prefix> <count> <template.yaml>
//       The same requests submitted together, as one operation (New-KratixRequest -Path *.yaml).
//   Kratix.TestHarness install <home> <promise.yaml>
//   Kratix.TestHarness remove <home> <promise> <namespace> <name>
//   Kratix.TestHarness sync <home>
//
// The platform is opened as the cmdlets open it (EmbeddedPlatform.OptionsFor: the runtime of <home>/platform.yaml).
// Each operation that completes is reported on stdout ("submitted <name>", "installed <name>", ...) before the next
// starts, so a test knows what was acknowledged before a crash. KRATIX_TEST_CRASH_AT=<point>[#<n>] arms a crash point
// (Kratix.CrashPoints): the process kills itself with SIGKILL the n-th time it reaches that point. Exit code 0 when every
// operation succeeded.
CrashPoints.Arm(Environment.GetEnvironmentVariable("KRATIX_TEST_CRASH_AT"));
var stdout = new StreamWriter(Console.OpenStandardOutput()) { AutoFlush = true };

if (args.Length < 2)
{
    return Usage();
}

var home = args[1];
using var platform = new EmbeddedPlatform(EmbeddedPlatform.OptionsFor(home, NullPlatformLog.Instance) with { LockTimeout = TimeSpan.FromMinutes(2) });
switch (args[0])
{
    case "submit" when args.Length == 4:
        for (var i = 0; i < Count(args[3]); i++)
        {
            var name = $"{args[2]}-{i}";
            platform.SubmitRequest(new JsonObject
            {
                ["apiVersion"] = "marketplace.kratix.io/v1alpha1",
                ["kind"] = "redis",
                ["metadata"] = new JsonObject { ["name"] = name, ["namespace"] = "default" },
                ["spec"] = new JsonObject { ["replicas"] = 1 + (i % 5) },
            });
            stdout.WriteLine($"submitted {name}");
        }

        return 0;

    case "submit-file" when args.Length == 5:
        var template = File.ReadAllText(args[4]);
        for (var i = 0; i < Count(args[3]); i++)
        {
            var name = $"{args[2]}-{i}";
            platform.SubmitRequest(Single(template.Replace("{name}", name, StringComparison.Ordinal)));
            stdout.WriteLine($"submitted {name}");
        }

        return 0;

    case "submit-batch" when args.Length == 5:
        var batchTemplate = File.ReadAllText(args[4]);
        var names = Enumerable.Range(0, Count(args[3])).Select(i => $"{args[2]}-{i}").ToList();
        var outcomes = platform.SubmitRequests(names.Select(n => new RequestSubmission(Single(batchTemplate.Replace("{name}", n, StringComparison.Ordinal)))).ToList());
        foreach (var (name, outcome) in names.Zip(outcomes))
        {
            stdout.WriteLine(outcome.Error is null ? $"submitted {name}" : $"failed {name}: {outcome.Error.Message}");
        }

        return outcomes.All(o => o.Error is null) ? 0 : 1;

    case "install" when args.Length == 3:
        stdout.WriteLine($"installed {platform.InstallPromise(Single(File.ReadAllText(args[2]))).Name}");
        return 0;

    case "remove" when args.Length == 5:
        platform.RemoveRequest(args[2], args[3], args[4]);
        stdout.WriteLine($"removed {args[4]}");
        return 0;

    case "sync" when args.Length == 2:
        var summary = platform.SyncPlatform();
        stdout.WriteLine($"synced pipelines={summary.PipelinesRun} written={summary.PlacementsWritten} failures={summary.Failures.Count}");
        return summary.Failures.Count == 0 ? 0 : 1;

    default:
        return Usage();
}

static int Count(string text) => int.Parse(text, CultureInfo.InvariantCulture);

static JsonObject Single(string yaml) => (JsonObject)ManifestReader.Default.ReadString(yaml).Single().Content!;

static int Usage()
{
    Console.Error.WriteLine("usage: Kratix.TestHarness submit <home> <prefix> <count> | submit-file <home> <prefix> <count> <template> | submit-batch <home> <prefix> <count> <template> | install <home> <promise.yaml> | remove <home> <promise> <namespace> <name> | sync <home>");
    return 2;
}
