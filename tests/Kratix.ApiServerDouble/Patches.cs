using System.Globalization;
using System.Text.Json.Nodes;

namespace Kratix.ApiServerDouble;

/// <summary>
/// The patch formats the API server takes besides apply: JSON merge patch (RFC 7386), JSON patch (RFC 6902) and, for
/// built-in kinds only, strategic merge patch — which the double applies as a merge patch (it knows no patch
/// strategies: lists are replaced whole). Custom resources refuse strategic merge patch with 415, as the API server does.
/// </summary>
internal static class Patches
{
    public const string Merge = "application/merge-patch+json";
    public const string JsonPatch = "application/json-patch+json";
    public const string Strategic = "application/strategic-merge-patch+json";
    public const string Apply = "application/apply-patch+yaml";

    /// <summary>RFC 7386 on <paramref name="target"/> (changed in place where it is an object).</summary>
    public static JsonNode? MergePatch(JsonNode? target, JsonNode? patch)
    {
        if (patch is not JsonObject po)
        {
            return patch?.DeepClone();
        }

        var result = target as JsonObject ?? [];
        foreach (var (k, v) in po)
        {
            int index = result.IndexOf(k);
            if (v is null)
            {
                result.Remove(k);
            }
            else if (index < 0)
            {
                result[k] = MergePatch(null, v);
            }
            else
            {
                // Detach the old value, merge into it, and put it back in the same place.
                var existing = result[k];
                result.SetAt(index, null);
                result.SetAt(index, MergePatch(existing, v));
            }
        }

        return result;
    }

    public static JsonNode? ApplyJsonPatch(JsonNode? doc, JsonArray operations)
    {
        for (int i = 0; i < operations.Count; i++)
        {
            if (operations[i] is not JsonObject op)
            {
                throw StatusErrors.BadRequest("the server rejected our request due to an error in our request");
            }

            string kind = Json.Str(op["op"]) ?? string.Empty;
            string path = Json.Str(op["path"]) ?? throw Invalid("missing path", i);
            switch (kind)
            {
                case "add":
                    doc = Add(doc, path, op["value"]?.DeepClone(), i);
                    break;
                case "remove":
                    Remove(doc, path, i);
                    break;
                case "replace":
                    Remove(doc, path, i);
                    doc = Add(doc, path, op["value"]?.DeepClone(), i);
                    break;
                case "move":
                    {
                        string from = Json.Str(op["from"]) ?? throw Invalid("missing from", i);
                        var value = Get(doc, from, i)?.DeepClone();
                        Remove(doc, from, i);
                        doc = Add(doc, path, value, i);
                        break;
                    }

                case "copy":
                    {
                        string from = Json.Str(op["from"]) ?? throw Invalid("missing from", i);
                        doc = Add(doc, path, Get(doc, from, i)?.DeepClone(), i);
                        break;
                    }

                case "test":
                    if (!JsonNode.DeepEquals(Get(doc, path, i), op["value"]))
                    {
                        throw new ApiStatusException(422, "Invalid", "the server rejected our request due to an error in our request");
                    }

                    break;
                default:
                    throw Invalid("Unexpected kind: " + kind, i);
            }
        }

        return doc;
    }

    private static ApiStatusException Invalid(string why, int index) =>
        new(422, "Invalid", "the server rejected our request due to an error in our request: " + why + " (operation " + index.ToString(CultureInfo.InvariantCulture) + ")");

    private static List<string> Pointer(string path) =>
        path.Length == 0 ? [] : path.Split('/').Skip(1).Select(t => t.Replace("~1", "/", StringComparison.Ordinal).Replace("~0", "~", StringComparison.Ordinal)).ToList();

    private static JsonNode? Get(JsonNode? doc, string path, int i)
    {
        JsonNode? cur = doc;
        foreach (var t in Pointer(path))
        {
            cur = cur switch
            {
                JsonObject o when o.ContainsKey(t) => o[t],
                JsonArray a when int.TryParse(t, NumberStyles.None, CultureInfo.InvariantCulture, out int n) && n < a.Count => a[n],
                _ => throw Invalid("doc is missing path: " + path, i),
            };
        }

        return cur;
    }

    private static JsonNode? Add(JsonNode? doc, string path, JsonNode? value, int i)
    {
        var tokens = Pointer(path);
        if (tokens.Count == 0)
        {
            return value;
        }

        var parent = Get(doc, "/" + string.Join("/", tokens.Take(tokens.Count - 1).Select(t => t.Replace("~", "~0", StringComparison.Ordinal).Replace("/", "~1", StringComparison.Ordinal))), i);
        string last = tokens[^1];
        switch (parent)
        {
            case JsonObject o:
                o[last] = value;
                break;
            case JsonArray a when last == "-":
                a.Add(value);
                break;
            case JsonArray a when int.TryParse(last, NumberStyles.None, CultureInfo.InvariantCulture, out int n) && n <= a.Count:
                a.Insert(n, value);
                break;
            default:
                throw Invalid("doc is missing path: " + path, i);
        }

        return doc;
    }

    private static void Remove(JsonNode? doc, string path, int i)
    {
        var tokens = Pointer(path);
        if (tokens.Count == 0)
        {
            throw Invalid("cannot remove the root", i);
        }

        var parent = Get(doc, "/" + string.Join("/", tokens.Take(tokens.Count - 1).Select(t => t.Replace("~", "~0", StringComparison.Ordinal).Replace("/", "~1", StringComparison.Ordinal))), i);
        string last = tokens[^1];
        switch (parent)
        {
            case JsonObject o when o.ContainsKey(last):
                o.Remove(last);
                break;
            case JsonArray a when int.TryParse(last, NumberStyles.None, CultureInfo.InvariantCulture, out int n) && n < a.Count:
                a.RemoveAt(n);
                break;
            default:
                throw Invalid("Unable to remove nonexistent key: " + last + ": missing value", i);
        }
    }
}
