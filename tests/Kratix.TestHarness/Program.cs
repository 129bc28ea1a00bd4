using System.Text.Json.Nodes;
using Kratix.Platforms.Embedded;

// Usage: Kratix.TestHarness submit <platform-home> <name-prefix> <count>
//   Submits <count> requests for the test Promise "redis" (kind redis, group marketplace.kratix.io), one operation each,
//   so that several harness processes interleave on one platform. Exit code 0 when every submit succeeded.
if (args.Length != 4 || args[0] != "submit")
{
    Console.Error.WriteLine("usage: Kratix.TestHarness submit <platform-home> <name-prefix> <count>");
    return 2;
}

var home = args[1];
var prefix = args[2];
var count = int.Parse(args[3], System.Globalization.CultureInfo.InvariantCulture);
using var platform = new EmbeddedPlatform(new EmbeddedPlatformOptions { Home = home, LockTimeout = TimeSpan.FromMinutes(2) });
for (var i = 0; i < count; i++)
{
    platform.SubmitRequest(new JsonObject
    {
        ["apiVersion"] = "marketplace.kratix.io/v1alpha1",
        ["kind"] = "redis",
        ["metadata"] = new JsonObject { ["name"] = $"{prefix}-{i}", ["namespace"] = "default" },
        ["spec"] = new JsonObject { ["replicas"] = 1 + (i % 5) },
    });
}

Console.WriteLine($"submitted {count}");
return 0;
