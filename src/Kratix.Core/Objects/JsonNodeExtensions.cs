using System.Text.Json;
using System.Text.Json.Nodes;

namespace Kratix.Objects;

/// <summary>Small null-tolerant accessors for reading objects held as JSON trees.</summary>
public static class JsonNodeExtensions
{
    public static JsonObject? AsObjectOrNull(this JsonNode? node) => node as JsonObject;

    /// <summary>The string at <paramref name="key"/>, or null when absent or not a string.</summary>
    public static string? GetString(this JsonObject node, string key) =>
        node[key] is JsonValue value && value.GetValueKind() == JsonValueKind.String ? value.GetValue<string>() : null;

    public static bool? GetBool(this JsonObject node, string key) =>
        node[key] is JsonValue value && value.GetValueKind() is JsonValueKind.True or JsonValueKind.False ? value.GetValue<bool>() : null;

    /// <summary>The integer at <paramref name="key"/>, whatever numeric type backs it (values set in code may be int).</summary>
    public static long? GetLong(this JsonObject node, string key) =>
        node[key] is JsonValue value && value.GetValueKind() == JsonValueKind.Number && Manifests.JsonValues.ToDouble(value) is var d && d == Math.Floor(d)
            ? (long)d
            : null;

    /// <summary>The object at <paramref name="key"/>, created (replacing a non-object) when absent.</summary>
    public static JsonObject GetOrAddObject(this JsonObject node, string key)
    {
        if (node[key] is JsonObject existing)
        {
            return existing;
        }

        var created = new JsonObject();
        node[key] = created;
        return created;
    }

    /// <summary>A string map (labels, matchLabels) read from an object; empty when absent.</summary>
    public static IReadOnlyDictionary<string, string> ToStringMap(this JsonNode? node) =>
        node is JsonObject map
            ? map.ToDictionary(kv => kv.Key, kv => kv.Value?.ToString() ?? string.Empty, StringComparer.Ordinal)
            : new Dictionary<string, string>(StringComparer.Ordinal);

    public static JsonObject ToJsonObject(this IReadOnlyDictionary<string, string> map)
    {
        var node = new JsonObject();
        foreach (var (key, value) in map.OrderBy(kv => kv.Key, StringComparer.Ordinal))
        {
            node[key] = value;
        }

        return node;
    }
}
