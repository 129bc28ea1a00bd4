using System.Text;
using System.Text.Json.Nodes;
using Kratix.Manifests;
using Kratix.Objects;
using Kratix.Scheduling;

namespace Kratix.Platforms.Embedded;

/// <summary>
/// The static-dependencies Work of a Promise: its spec.dependencies as one file, <c>static/&lt;promise&gt;-dependencies.yaml</c>,
/// in the default workload group, scheduled with the Promise's own selectors to every matching Destination.
/// </summary>
internal static class StaticDependencies
{
    /// <summary>The Work's name: upstream's <c>&lt;promise&gt;-static-deps-xxxxx</c>, with a suffix derived from the Promise name instead of random.</summary>
    public static string WorkName(string promise) => GeneratedNames.For(promise + "-static-deps");

    public static Work Build(Promise promise)
    {
        var content = string.Concat(promise.Dependencies.Select((d, i) => (i > 0 ? "---\n" : string.Empty) + ManifestWriter.ToYaml(SortKeys(d))));
        var squashed = SelectorMatcher.Merge(promise.DestinationSelectors);

        IReadOnlyList<DestinationSelector> selectors = squashed.Count > 0 ? [new DestinationSelector(squashed, DestinationSelector.FromPromise)] : [];
        var group = new WorkloadGroup(
            KratixApi.DefaultWorkloadGroupId,
            ".",
            [Workload.FromBytes($"static/{promise.Name}-dependencies.yaml", Encoding.UTF8.GetBytes(content))],
            selectors);
        return new Work(new JsonObject
        {
            ["apiVersion"] = KratixApi.ApiVersion,
            ["kind"] = KratixApi.WorkKind,
            ["metadata"] = new JsonObject
            {
                ["name"] = WorkName(promise.Name),
                ["namespace"] = KratixApi.SystemNamespace,
                ["labels"] = new JsonObject
                {
                    [KratixApi.PromiseNameLabel] = promise.Name,
                    [KratixApi.WorkTypeLabel] = KratixApi.WorkTypeStaticDependency,
                },
            },
            ["spec"] = new JsonObject
            {
                ["workloadGroups"] = new JsonArray(group.ToJson()),
                ["promiseName"] = promise.Name,
            },
        });
    }

    // Upstream serialises dependencies with yaml.v2, which sorts keys; GitOps diffs then match.
    private static JsonNode? SortKeys(JsonNode? node) => node switch
    {
        JsonObject map => new JsonObject(map.OrderBy(kv => kv.Key, NaturalOrder.Instance).Select(kv => KeyValuePair.Create(kv.Key, SortKeys(kv.Value)))),
        JsonArray list => new JsonArray(list.Select(SortKeys).ToArray()),
        _ => node?.DeepClone(),
    };

    /// <summary>yaml.v2's key order: runs of digits compare as numbers, otherwise by character.</summary>
    private sealed class NaturalOrder : IComparer<string>
    {
        public static NaturalOrder Instance { get; } = new();

        public int Compare(string? x, string? y)
        {
            x ??= string.Empty;
            y ??= string.Empty;
            int i = 0, j = 0;
            while (i < x.Length && j < y.Length)
            {
                if (char.IsAsciiDigit(x[i]) && char.IsAsciiDigit(y[j]))
                {
                    var si = i;
                    var sj = j;
                    while (i < x.Length && char.IsAsciiDigit(x[i]))
                    {
                        i++;
                    }

                    while (j < y.Length && char.IsAsciiDigit(y[j]))
                    {
                        j++;
                    }

                    var a = x[si..i].TrimStart('0');
                    var b = y[sj..j].TrimStart('0');
                    var byNumber = a.Length != b.Length ? a.Length.CompareTo(b.Length) : string.CompareOrdinal(a, b);
                    if (byNumber != 0)
                    {
                        return byNumber;
                    }

                    continue;
                }

                if (x[i] != y[j])
                {
                    return x[i].CompareTo(y[j]);
                }

                i++;
                j++;
            }

            return (x.Length - i).CompareTo(y.Length - j);
        }
    }
}
