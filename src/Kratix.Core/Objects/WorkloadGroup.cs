using System.Text.Json.Nodes;

namespace Kratix.Objects;

/// <summary>Workloads that are scheduled together: the files of one output directory and the selectors that place them.</summary>
public sealed record WorkloadGroup(string Id, string Directory, IReadOnlyList<Workload> Workloads, IReadOnlyList<DestinationSelector> DestinationSelectors)
{
    public JsonObject ToJson()
    {
        var node = new JsonObject
        {
            ["workloads"] = new JsonArray(Workloads.Select(w => (JsonNode)w.ToJson()).ToArray()),
            ["directory"] = Directory,
            ["id"] = Id,
        };
        if (DestinationSelectors.Count > 0)
        {
            node["destinationSelectors"] = new JsonArray(DestinationSelectors.Select(s => (JsonNode)s.ToJson()).ToArray());
        }

        return node;
    }

    public static WorkloadGroup FromJson(JsonObject node) => new(
        node.GetString("id") ?? string.Empty,
        node.GetString("directory") ?? ".",
        (node["workloads"] as JsonArray)?.OfType<JsonObject>().Select(Workload.FromJson).ToList() ?? [],
        (node["destinationSelectors"] as JsonArray)?.OfType<JsonObject>().Select(s => DestinationSelector.FromJson(s)).ToList() ?? []);
}
