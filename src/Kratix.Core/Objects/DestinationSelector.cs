using System.Text.Json.Nodes;

namespace Kratix.Objects;

/// <summary>
/// A set of labels a Destination must carry, and where the rule came from: <c>promise</c>, <c>promise-workflow</c>
/// or <c>resource-workflow</c> (the order of precedence when rules are merged).
/// </summary>
public sealed record DestinationSelector(IReadOnlyDictionary<string, string> MatchLabels, string Source)
{
    public const string FromPromise = "promise";
    public const string FromPromiseWorkflow = "promise-workflow";
    public const string FromResourceWorkflow = "resource-workflow";

    public JsonObject ToJson()
    {
        var node = new JsonObject();
        if (MatchLabels.Count > 0)
        {
            node["matchLabels"] = MatchLabels.ToJsonObject();
        }

        if (Source.Length > 0)
        {
            node["source"] = Source;
        }

        return node;
    }

    public static DestinationSelector FromJson(JsonObject node, string defaultSource = "") =>
        new(node["matchLabels"].ToStringMap(), node.GetString("source") ?? defaultSource);

    public override string ToString() =>
        "{" + string.Join(",", MatchLabels.OrderBy(kv => kv.Key, StringComparer.Ordinal).Select(kv => $"{kv.Key}={kv.Value}")) + "}";
}
