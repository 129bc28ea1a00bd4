using System.Text.Json.Nodes;

namespace Kratix.ApiServerDouble;

/// <summary>
/// Discovery as the API server serves it (the legacy, unaggregated form, which clients fall back to): <c>/api</c>,
/// <c>/api/v1</c>, <c>/apis</c>, <c>/apis/{group}</c>, <c>/apis/{group}/{version}</c>, and <c>/version</c>.
/// </summary>
internal static class Discovery
{
    public const string GitVersion = "v1.32.0-kratix-apiserver-double";

    public static JsonObject Version() => new()
    {
        ["major"] = "1",
        ["minor"] = "32",
        ["gitVersion"] = GitVersion,
        ["gitCommit"] = "0000000000000000000000000000000000000000",
        ["gitTreeState"] = "clean",
        ["buildDate"] = "2026-01-01T00:00:00Z",
        ["goVersion"] = "go1.23.0 (TEST DOUBLE: not a Kubernetes API server)",
        ["compiler"] = "gc",
        ["platform"] = "linux/amd64",
    };

    public static JsonObject CoreVersions(string serverAddress) => new()
    {
        ["kind"] = "APIVersions",
        ["versions"] = new JsonArray("v1"),
        ["serverAddressByClientCIDRs"] = new JsonArray(new JsonObject { ["clientCIDR"] = "0.0.0.0/0", ["serverAddress"] = serverAddress }),
    };

    public static JsonObject Groups(Registry registry) => new()
    {
        ["kind"] = "APIGroupList",
        ["apiVersion"] = "v1",
        ["groups"] = new JsonArray(registry.Types.Where(t => t.Group.Length > 0).GroupBy(t => t.Group).Select(g => (JsonNode?)Group(g.Key, g)).ToArray()),
    };

    public static JsonObject? Group(Registry registry, string group)
    {
        var types = registry.Types.Where(t => t.Group == group).ToList();
        return types.Count == 0 ? null : Group(group, types);
    }

    private static JsonObject Group(string name, IEnumerable<ResourceType> types)
    {
        var versions = types.SelectMany(t => t.Versions).Distinct().OrderBy(v => v, Comparer<string>.Create(CompareVersions)).ToList();
        return new JsonObject
        {
            ["kind"] = "APIGroup",
            ["apiVersion"] = "v1",
            ["name"] = name,
            ["versions"] = new JsonArray(versions.Select(v => (JsonNode?)new JsonObject { ["groupVersion"] = name + "/" + v, ["version"] = v }).ToArray()),
            ["preferredVersion"] = new JsonObject { ["groupVersion"] = name + "/" + versions[0], ["version"] = versions[0] },
        };
    }

    /// <summary>Kubernetes' version priority, highest first: GA, then beta, then alpha, newer first.</summary>
    private static int CompareVersions(string a, string b)
    {
        static (int Level, int Major, int Minor) Key(string v)
        {
            var m = System.Text.RegularExpressions.Regex.Match(v, "^v([0-9]+)(?:(alpha|beta)([0-9]+))?$");
            if (!m.Success)
            {
                return (-1, 0, 0);
            }

            int level = !m.Groups[2].Success ? 2 : m.Groups[2].Value == "beta" ? 1 : 0;
            return (level, int.Parse(m.Groups[1].Value), m.Groups[3].Success ? int.Parse(m.Groups[3].Value) : 0);
        }

        var (ka, kb) = (Key(a), Key(b));
        return ka == kb ? string.CompareOrdinal(a, b) : (kb.Level, kb.Major, kb.Minor).CompareTo((ka.Level, ka.Major, ka.Minor));
    }

    public static JsonObject? Resources(Registry registry, string group, string version)
    {
        var types = registry.Types.Where(t => t.Group == group && t.Versions.Contains(version)).ToList();
        if (types.Count == 0)
        {
            return null;
        }

        var resources = new JsonArray();
        foreach (var t in types)
        {
            var r = new JsonObject
            {
                ["name"] = t.Plural,
                ["singularName"] = t.Singular,
                ["namespaced"] = t.Namespaced,
                ["kind"] = t.Kind,
                ["verbs"] = new JsonArray("create", "delete", "deletecollection", "get", "list", "patch", "update", "watch"),
            };
            if (t.ShortNames.Count > 0)
            {
                r["shortNames"] = new JsonArray(t.ShortNames.Select(s => (JsonNode?)s).ToArray());
            }

            if (t.Categories.Count > 0)
            {
                r["categories"] = new JsonArray(t.Categories.Select(s => (JsonNode?)s).ToArray());
            }

            resources.Add(r);
            if (t.HasStatus)
            {
                resources.Add(new JsonObject { ["name"] = t.Plural + "/status", ["singularName"] = string.Empty, ["namespaced"] = t.Namespaced, ["kind"] = t.Kind, ["verbs"] = new JsonArray("get", "patch", "update") });
            }

            if (t.HasLog)
            {
                resources.Add(new JsonObject { ["name"] = t.Plural + "/log", ["singularName"] = string.Empty, ["namespaced"] = t.Namespaced, ["kind"] = t.Kind, ["verbs"] = new JsonArray("get") });
            }
        }

        return new JsonObject
        {
            ["kind"] = "APIResourceList",
            ["apiVersion"] = "v1",
            ["groupVersion"] = group.Length == 0 ? version : group + "/" + version,
            ["resources"] = resources,
        };
    }
}
