using System.Text.Json.Nodes;

namespace Kratix.Schema;

/// <summary>
/// The uniqueness rules of <c>x-kubernetes-list-type: set</c> (whole items) and <c>map</c> (the
/// <c>x-kubernetes-list-map-keys</c>), as apiextensions-apiserver's <c>listtype.ValidateListSetsAndMaps</c> checks them:
/// the second occurrence of a value is reported as <c>Duplicate value</c>.
/// </summary>
internal static class ListTypeValidator
{
    public static void Validate(JsonNode? value, SchemaNode root, List<FieldError> output)
    {
        if (!root.HasListSetsOrMapsBelow || value is not JsonObject obj)
        {
            return;
        }

        var path = new FieldPath();
        ValidateObject(obj, root, path, output);
    }

    private static void ValidateObject(JsonObject obj, SchemaNode s, FieldPath path, List<FieldError> output)
    {
        foreach (var (k, v) in obj)
        {
            if (s.Properties.TryGetValue(k, out var sub))
            {
                if (!sub.HasListSetsOrMapsBelow)
                {
                    continue;
                }

                path.PushField(k);
                ValidateValue(v, sub, path, output);
                path.Pop();
            }
            else if (s.AdditionalProperties is { HasListSetsOrMapsBelow: true } ap)
            {
                path.PushKey(k);
                ValidateValue(v, ap, path, output);
                path.Pop();
            }
        }
    }

    private static void ValidateValue(JsonNode? v, SchemaNode s, FieldPath path, List<FieldError> output)
    {
        switch (v)
        {
            case JsonArray arr:
                ValidateArray(arr, s, path, output);
                break;
            case JsonObject obj:
                ValidateObject(obj, s, path, output);
                break;
        }
    }

    private static void ValidateArray(JsonArray arr, SchemaNode s, FieldPath path, List<FieldError> output)
    {
        if (s.ListType == "set")
        {
            foreach (var i in NonUnique(arr.Select(x => (JsonNode?)x).ToList()))
            {
                path.PushIndex(i);
                output.Add(FieldError.Duplicate(path.ToFieldPathString(), arr[i]?.DeepClone()));
                path.Pop();
            }
        }
        else if (s.ListType == "map")
        {
            ValidateListMap(arr, s, path, output);
        }

        if (s.Items is { HasListSetsOrMapsBelow: true } items)
        {
            for (int i = 0; i < arr.Count; i++)
            {
                path.PushIndex(i);
                ValidateValue(arr[i], items, path, output);
                path.Pop();
            }
        }
    }

    private static void ValidateListMap(JsonArray arr, SchemaNode s, FieldPath path, List<FieldError> output)
    {
        for (int i = 0; i < arr.Count; i++)
        {
            if (arr[i] is not null && arr[i] is not JsonObject)
            {
                path.PushIndex(i);
                output.Add(FieldError.Invalid(path.ToFieldPathString(), arr[i]?.DeepClone(), "must be an object for an array of list-type map"));
                path.Pop();
                return;
            }
        }

        if (arr.Count <= 1)
        {
            return;
        }

        // Each item's key: an object of the map-key fields it has (missing keys are left out, as upstream).
        var keys = new List<JsonNode?>(arr.Count);
        foreach (var x in arr)
        {
            var key = new JsonObject();
            if (x is JsonObject o)
            {
                foreach (var k in s.ListMapKeys)
                {
                    if (o.TryGetPropertyValue(k, out var kv))
                    {
                        key[k] = kv?.DeepClone();
                    }
                }
            }

            keys.Add(key);
        }

        foreach (var i in NonUnique(keys))
        {
            path.PushIndex(i);
            output.Add(FieldError.Duplicate(path.ToFieldPathString(), keys[i]));
            path.Pop();
        }
    }

    /// <summary>Indices of the second occurrence of each repeated value (validateListSet).</summary>
    private static List<int> NonUnique(List<JsonNode?> items)
    {
        var result = new List<int>();
        if (items.Count <= 1)
        {
            return result;
        }

        var seen = new Dictionary<string, int>(StringComparer.Ordinal);
        for (int i = 0; i < items.Count; i++)
        {
            // int64 and float64 are distinct Go map keys; tag scalars with their kind.
            var kind = JsonData.KindOf(items[i]);
            string key = kind + ":" + GoFormat.MarshalJson(items[i]);
            if (seen.TryGetValue(key, out int times))
            {
                seen[key] = times + 1;
                if (times == 1)
                {
                    result.Add(i);
                }
            }
            else
            {
                seen[key] = 1;
            }
        }

        return result;
    }
}
