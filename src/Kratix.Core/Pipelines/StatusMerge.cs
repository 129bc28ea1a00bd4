using System.Text.Json.Nodes;

namespace Kratix.Pipelines;

/// <summary>
/// How a pipeline's <c>metadata/status.yaml</c> lands in the object's status, as upstream's status-writer does it:
/// top-level keys overwrite, <c>conditions</c> merge by <c>type</c>, a <c>kratix</c> key is refused (it is Kratix's own),
/// and a Promise keeps only <c>message</c> (its status schema prunes the rest).
/// </summary>
public static class StatusMerge
{
    public const string ReservedKeyMessage =
        "'kratix' is a kratix managed status field that cannot be updated via workflows; remove update to 'kratix' from the '/kratix/metadata/status.yaml' file";

    /// <summary>Returns the merged status (a new object); the inputs are not changed.</summary>
    /// <exception cref="KratixException">The incoming status has a <c>kratix</c> key (<c>PipelineStatusReserved</c>).</exception>
    public static JsonObject Merge(JsonObject existing, JsonObject incoming, bool isPromise, Action<string>? warn = null)
    {
        if (incoming.ContainsKey("kratix"))
        {
            throw new KratixException("PipelineStatusReserved", KratixErrorCategory.InvalidData, ReservedKeyMessage, "status.yaml");
        }

        var result = existing.DeepClone().AsObject();
        if (isPromise)
        {
            var ignored = incoming.Select(kv => kv.Key).Where(k => k != "message").ToList();
            if (ignored.Count > 0)
            {
                warn?.Invoke($"Warning: promise workflow status has unsupported keys: {string.Join(", ", ignored)} in status.yaml; only 'message' can be updated in Promise status.");
            }

            if (incoming.TryGetPropertyValue("message", out var message))
            {
                result["message"] = message?.DeepClone();
            }

            return result;
        }

        foreach (var (key, value) in incoming)
        {
            if (key == "conditions" && result["conditions"] is JsonArray current && value is JsonArray added)
            {
                result["conditions"] = MergeConditions(current, added);
                continue;
            }

            result[key] = value?.DeepClone();
        }

        return result;
    }

    // Upstream merges through a Go map, so the order of the result is unspecified; keeping the existing order and
    // appending new types is one of its possible orders and the only stable one.
    private static JsonArray MergeConditions(JsonArray existing, JsonArray incoming)
    {
        var merged = new List<JsonNode?>();
        foreach (var condition in existing)
        {
            if (TypeOf(condition) is { } type && !merged.Any(c => TypeOf(c) == type))
            {
                merged.Add(incoming.LastOrDefault(c => TypeOf(c) == type) ?? condition);
            }
        }

        foreach (var condition in incoming)
        {
            if (TypeOf(condition) is { } type && !merged.Any(c => TypeOf(c) == type))
            {
                merged.Add(incoming.Last(c => TypeOf(c) == type));
            }
        }

        return new JsonArray(merged.Select(c => c?.DeepClone()).ToArray());
    }

    private static string? TypeOf(JsonNode? condition) =>
        condition is JsonObject o && o["type"] is JsonValue v && v.TryGetValue<string>(out var type) ? type : null;
}
