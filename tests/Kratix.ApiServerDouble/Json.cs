using System.Globalization;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace Kratix.ApiServerDouble;

/// <summary>JSON helpers shared by the double: reading fields, timestamps as the API server writes them, serialising.</summary>
internal static class Json
{
    public static readonly JsonSerializerOptions Compact = new() { WriteIndented = false };

    public static string? Str(JsonNode? node) =>
        node is JsonValue v && v.GetValueKind() == JsonValueKind.String ? v.GetValue<string>() : null;

    /// <summary>An integer, whichever CLR type the node holds it in.</summary>
    public static long Long(JsonNode? node) => node switch
    {
        JsonValue v when v.TryGetValue<long>(out var l) => l,
        JsonValue v when v.TryGetValue<int>(out var i) => i,
        JsonValue v when v.TryGetValue<JsonElement>(out var e) && e.ValueKind == JsonValueKind.Number => e.GetInt64(),
        _ => 0,
    };

    /// <summary>
    /// Drops null-valued fields everywhere, as decoding into Go structs does for built-in kinds (a client that
    /// serialises every unset field as null, like KubernetesClient's typed models, sends an object that means the same).
    /// </summary>
    public static void StripNulls(JsonNode? node)
    {
        switch (node)
        {
            case JsonObject o:
                foreach (var key in o.Where(p => p.Value is null).Select(p => p.Key).ToList())
                {
                    o.Remove(key);
                }

                foreach (var (_, v) in o)
                {
                    StripNulls(v);
                }

                break;
            case JsonArray a:
                foreach (var item in a)
                {
                    StripNulls(item);
                }

                break;
        }
    }

    /// <summary>True only for the JSON value true.</summary>
    public static bool True(JsonNode? node) => node is JsonValue v && v.GetValueKind() == JsonValueKind.True;

    public static JsonObject Meta(JsonObject obj)
    {
        if (obj["metadata"] is not JsonObject m)
        {
            m = [];
            obj["metadata"] = m;
        }

        return m;
    }

    public static string Name(JsonObject obj) => Str(obj["metadata"]?["name"]) ?? string.Empty;

    public static string Namespace(JsonObject obj) => Str(obj["metadata"]?["namespace"]) ?? string.Empty;

    public static JsonObject Clone(JsonObject o) => o.DeepClone().AsObject();

    /// <summary>metav1.Time: RFC 3339 in UTC, to the second.</summary>
    public static string Time(DateTimeOffset t) => t.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss'Z'", CultureInfo.InvariantCulture);

    public static DateTimeOffset? ParseTime(JsonNode? node) =>
        Str(node) is { } s && DateTimeOffset.TryParse(s, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal, out var t) ? t : null;

    public static bool DeepEquals(JsonNode? a, JsonNode? b) => JsonNode.DeepEquals(a, b);

    public static IReadOnlyDictionary<string, string> StringMap(JsonNode? node)
    {
        var result = new Dictionary<string, string>(StringComparer.Ordinal);
        if (node is JsonObject o)
        {
            foreach (var (k, v) in o)
            {
                result[k] = Str(v) ?? v?.ToJsonString() ?? string.Empty;
            }
        }

        return result;
    }

    public static List<string> StringList(JsonNode? node) =>
        node is JsonArray a ? a.Select(Str).Where(s => s is not null).Select(s => s!).ToList() : [];

    /// <summary>The value at a simple JSONPath such as <c>.status.conditions[0].type</c> or <c>.spec.size</c>.</summary>
    public static JsonNode? SimplePath(JsonNode? root, string path)
    {
        var p = path.Trim();
        if (p.StartsWith('{') && p.EndsWith('}'))
        {
            p = p[1..^1];
        }

        JsonNode? cur = root;
        int i = 0;
        while (i < p.Length && cur is not null)
        {
            if (p[i] == '.')
            {
                int j = i + 1;
                while (j < p.Length && p[j] != '.' && p[j] != '[')
                {
                    j++;
                }

                string field = p[(i + 1)..j];
                cur = field.Length == 0 ? cur : (cur as JsonObject)?[field];
                i = j;
            }
            else if (p[i] == '[')
            {
                int j = p.IndexOf(']', i);
                if (j < 0)
                {
                    return null;
                }

                string idx = p[(i + 1)..j].Trim('\'', '"');
                cur = int.TryParse(idx, NumberStyles.Integer, CultureInfo.InvariantCulture, out int n)
                    ? (cur is JsonArray arr && n >= 0 && n < arr.Count ? arr[n] : null)
                    : (cur as JsonObject)?[idx];
                i = j + 1;
            }
            else
            {
                return null;
            }
        }

        return cur;
    }
}
