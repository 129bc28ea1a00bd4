using System.Collections;
using System.Globalization;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace Kratix.Manifests;

/// <summary>Conversions between JSON nodes and plain .NET values (hashtables, lists, primitives).</summary>
public static class JsonValues
{
    /// <summary>
    /// Converts a .NET value - dictionaries (hashtables), lists, strings, numbers, booleans, dates, JsonNodes - to a JSON node.
    /// <paramref name="unwrap"/> lets a host strip its wrappers (PowerShell's PSObject) from every nested value.
    /// </summary>
    public static JsonNode? FromClr(object? value, Func<object, object?>? unwrap = null)
    {
        if (value is not null && unwrap is not null)
        {
            value = unwrap(value);
        }

        return value switch
        {
            null => null,
            JsonNode node => node.DeepClone(),
            string s => JsonValue.Create(s),
            char c => JsonValue.Create(c.ToString()),
            bool b => JsonValue.Create(b),
            byte or sbyte or short or ushort or int or uint or long => JsonValue.Create(Convert.ToInt64(value, CultureInfo.InvariantCulture)),
            ulong u => u <= long.MaxValue ? JsonValue.Create((long)u) : JsonValue.Create((double)u),
            float or double or decimal => FromFloating(Convert.ToDouble(value, CultureInfo.InvariantCulture)),
            DateTime dt => JsonValue.Create(dt.ToUniversalTime().ToString("yyyy-MM-dd'T'HH:mm:ss'Z'", CultureInfo.InvariantCulture)),
            DateTimeOffset dto => JsonValue.Create(dto.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss'Z'", CultureInfo.InvariantCulture)),
            Enum e => JsonValue.Create(e.ToString()),
            Guid g => JsonValue.Create(g.ToString()),
            IDictionary dictionary => FromDictionary(dictionary, unwrap),
            IEnumerable list => new JsonArray(list.Cast<object?>().Select(item => FromClr(item, unwrap)).ToArray()),
            _ => JsonValue.Create(Convert.ToString(value, CultureInfo.InvariantCulture)),
        };
    }

    /// <summary>Converts a JSON node to ordered dictionaries, lists and primitives (long, double, bool, string, null).</summary>
    public static object? ToClr(JsonNode? node) => node switch
    {
        null => null,
        JsonObject map => map.Aggregate(new System.Collections.Specialized.OrderedDictionary(StringComparer.OrdinalIgnoreCase), (d, kv) =>
        {
            d[kv.Key] = ToClr(kv.Value);
            return d;
        }),
        JsonArray list => list.Select(ToClr).ToArray(),
        JsonValue value => value.GetValueKind() switch
        {
            JsonValueKind.String => value.GetValue<string>(),
            JsonValueKind.True => true,
            JsonValueKind.False => false,
            JsonValueKind.Number => value.TryGetValue<long>(out var l) ? l : (object)ToDouble(value),
            _ => null,
        },
        _ => null,
    };

    /// <summary>A number as Go's encoding/json prints it: integers plainly, floats in the shortest form that reads back.</summary>
    public static string FormatNumber(JsonValue value)
    {
        if (value.TryGetValue<long>(out var l))
        {
            return l.ToString(CultureInfo.InvariantCulture);
        }

        if (value.TryGetValue<int>(out var i))
        {
            return i.ToString(CultureInfo.InvariantCulture);
        }

        var d = ToDouble(value);
        return double.IsPositiveInfinity(d) ? ".inf" : double.IsNegativeInfinity(d) ? "-.inf" : double.IsNaN(d) ? ".nan"
            : d.ToString("R", CultureInfo.InvariantCulture);
    }

    /// <summary>Any JSON number as a double, whatever .NET type backs it.</summary>
    public static double ToDouble(JsonValue value)
    {
        if (value.TryGetValue<double>(out var d))
        {
            return d;
        }

        if (value.TryGetValue<long>(out var l))
        {
            return l;
        }

        if (value.TryGetValue<decimal>(out var m))
        {
            return (double)m;
        }

        if (value.TryGetValue<JsonElement>(out var element) && element.ValueKind == JsonValueKind.Number)
        {
            return element.GetDouble();
        }

        return Convert.ToDouble(value.GetValue<object>(), CultureInfo.InvariantCulture);
    }

    /// <summary>True when two nodes hold the same JSON value (numbers compared by value, object key order ignored).</summary>
    public static bool DeepEquals(JsonNode? a, JsonNode? b) => JsonNode.DeepEquals(Normalise(a), Normalise(b));

    private static JsonNode? Normalise(JsonNode? node) => node switch
    {
        JsonValue v when v.GetValueKind() == JsonValueKind.Number => v.TryGetValue<long>(out var l) ? JsonValue.Create(l)
            : ToDouble(v) is var d && d == Math.Floor(d) && Math.Abs(d) < 9e15 ? JsonValue.Create((long)d) : JsonValue.Create(ToDouble(v)),
        JsonObject o => new JsonObject(o.Select(kv => KeyValuePair.Create(kv.Key, Normalise(kv.Value)))),
        JsonArray a => new JsonArray(a.Select(Normalise).ToArray()),
        _ => node?.DeepClone(),
    };

    private static JsonNode FromFloating(double d) =>
        d == Math.Floor(d) && Math.Abs(d) < 9e15 ? JsonValue.Create((long)d) : JsonValue.Create(d);

    private static JsonObject FromDictionary(IDictionary dictionary, Func<object, object?>? unwrap)
    {
        var map = new JsonObject();
        foreach (DictionaryEntry entry in dictionary)
        {
            var key = unwrap is null ? entry.Key : unwrap(entry.Key);
            map[Convert.ToString(key, CultureInfo.InvariantCulture) ?? string.Empty] = FromClr(entry.Value, unwrap);
        }

        return map;
    }
}
