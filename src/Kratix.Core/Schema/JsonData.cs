using System.Text.Json;
using System.Text.Json.Nodes;

namespace Kratix.Schema;

/// <summary>The JSON kind of a decoded value, with numbers split the way the API server's decoder splits them.</summary>
internal enum JsonKind
{
    Null,
    Object,
    Array,
    String,
    Bool,

    /// <summary>A number that decodes as an int64 (Go: <c>int64</c>).</summary>
    Integer,

    /// <summary>Any other number (Go: <c>float64</c>), including integral doubles such as 1.0.</summary>
    Float,
}

/// <summary>A decoded JSON number: either an int64 or a float64, as k8s.io/apimachinery's JSON decoder produces.</summary>
internal readonly record struct JsonNumber(bool IsInteger, long Integer, double Float)
{
    public double AsDouble => IsInteger ? Integer : Float;
}

/// <summary>Helpers over <see cref="JsonNode"/> documents that follow Go's unstructured-JSON semantics.</summary>
internal static class JsonData
{
    public static JsonKind KindOf(JsonNode? node)
    {
        switch (node)
        {
            case null: return JsonKind.Null;
            case JsonObject: return JsonKind.Object;
            case JsonArray: return JsonKind.Array;
        }

        var v = (JsonValue)node;
        switch (v.GetValueKind())
        {
            case JsonValueKind.String: return JsonKind.String;
            case JsonValueKind.True:
            case JsonValueKind.False: return JsonKind.Bool;
            case JsonValueKind.Null: return JsonKind.Null;
            case JsonValueKind.Number: return GetNumber(v).IsInteger ? JsonKind.Integer : JsonKind.Float;
            default: return JsonKind.Null;
        }
    }

    public static bool GetBool(JsonNode node) => node.GetValueKind() == JsonValueKind.True;

    public static string? GetString(JsonNode? node) =>
        node is JsonValue v && v.GetValueKind() == JsonValueKind.String ? v.GetValue<string>() : null;

    /// <summary>The number held by a JSON number value. Integers that fit int64 are integers; anything else is a float64.</summary>
    public static JsonNumber GetNumber(JsonNode node)
    {
        var v = node.AsValue();
        if (v.TryGetValue(out long l))
        {
            return new JsonNumber(true, l, l);
        }

        if (v.TryGetValue(out double d))
        {
            return new JsonNumber(false, 0, d);
        }

        if (v.TryGetValue(out int i))
        {
            return new JsonNumber(true, i, i);
        }

        if (v.TryGetValue(out JsonElement e))
        {
            if (e.TryGetInt64(out var el))
            {
                return new JsonNumber(true, el, el);
            }

            return new JsonNumber(false, 0, e.GetDouble());
        }

        if (v.TryGetValue(out float f))
        {
            return new JsonNumber(false, 0, f);
        }

        if (v.TryGetValue(out decimal m))
        {
            return decimal.Truncate(m) == m && m >= long.MinValue && m <= long.MaxValue
                ? new JsonNumber(true, (long)m, (double)m)
                : new JsonNumber(false, 0, (double)m);
        }

        if (v.TryGetValue(out ulong ul))
        {
            return ul <= long.MaxValue ? new JsonNumber(true, (long)ul, ul) : new JsonNumber(false, 0, ul);
        }

        if (v.TryGetValue(out uint ui))
        {
            return new JsonNumber(true, ui, ui);
        }

        if (v.TryGetValue(out short s))
        {
            return new JsonNumber(true, s, s);
        }

        if (v.TryGetValue(out ushort us))
        {
            return new JsonNumber(true, us, us);
        }

        if (v.TryGetValue(out byte b))
        {
            return new JsonNumber(true, b, b);
        }

        if (v.TryGetValue(out sbyte sb))
        {
            return new JsonNumber(true, sb, sb);
        }

        // Last resort: go through its JSON text.
        var text = v.ToJsonString();
        if (long.TryParse(text, System.Globalization.NumberStyles.AllowLeadingSign, System.Globalization.CultureInfo.InvariantCulture, out var pl))
        {
            return new JsonNumber(true, pl, pl);
        }

        return new JsonNumber(false, 0, double.Parse(text, System.Globalization.CultureInfo.InvariantCulture));
    }

    /// <summary>
    /// go-openapi/swag's IsFloat64AJSONInteger: true when a float64 is (almost) an integer within ±(2^53-1).
    /// The API server accepts such floats (1.0, 2e3) for <c>type: integer</c>.
    /// </summary>
    public static bool IsFloat64AJSONInteger(double f)
    {
        const double maxJsonFloat = 9007199254740991; // 1<<53 - 1
        const double minJsonFloat = -9007199254740991;
        const double epsilon = 1e-9;
        if (double.IsNaN(f) || double.IsInfinity(f) || f < minJsonFloat || f > maxJsonFloat)
        {
            return false;
        }

        double fa = Math.Abs(f);
        double g = Math.Truncate(f);
        double ga = Math.Abs(g);
        double diff = Math.Abs(f - g);
        if (f == g)
        {
            return true;
        }

        if (f == 0 || g == 0 || diff < double.Epsilon)
        {
            return diff < epsilon * double.Epsilon;
        }

        return diff / Math.Min(fa + ga, double.MaxValue) < epsilon;
    }

    /// <summary>Go's <c>reflect.DeepEqual</c> over decoded JSON: int64 and float64 are different types.</summary>
    public static bool DeepEqual(JsonNode? a, JsonNode? b)
    {
        var ka = KindOf(a);
        var kb = KindOf(b);
        if (ka != kb)
        {
            return false;
        }

        switch (ka)
        {
            case JsonKind.Null: return true;
            case JsonKind.Bool: return GetBool(a!) == GetBool(b!);
            case JsonKind.String: return string.Equals(a!.GetValue<string>(), b!.GetValue<string>(), StringComparison.Ordinal);
            case JsonKind.Integer: return GetNumber(a!).Integer == GetNumber(b!).Integer;
            case JsonKind.Float: return GetNumber(a!).Float.Equals(GetNumber(b!).Float) && !double.IsNaN(GetNumber(a!).Float);
            case JsonKind.Array:
                {
                    var xa = a!.AsArray();
                    var xb = b!.AsArray();
                    if (xa.Count != xb.Count)
                    {
                        return false;
                    }

                    for (int i = 0; i < xa.Count; i++)
                    {
                        if (!DeepEqual(xa[i], xb[i]))
                        {
                            return false;
                        }
                    }

                    return true;
                }

            case JsonKind.Object:
                {
                    var oa = a!.AsObject();
                    var ob = b!.AsObject();
                    if (oa.Count != ob.Count)
                    {
                        return false;
                    }

                    foreach (var kv in oa)
                    {
                        if (!ob.TryGetPropertyValue(kv.Key, out var other) || !DeepEqual(kv.Value, other))
                        {
                            return false;
                        }
                    }

                    return true;
                }
        }

        return false;
    }

    /// <summary>A deep copy of a value, detached from any parent (runtime.DeepCopyJSONValue).</summary>
    public static JsonNode? DeepClone(JsonNode? node) => node?.DeepClone();
}
