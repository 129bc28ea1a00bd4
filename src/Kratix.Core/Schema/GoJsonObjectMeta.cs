using System.Globalization;
using System.Text.Json.Nodes;

namespace Kratix.Schema;

/// <summary>
/// Decodes <c>metadata</c> the way the API server does for a custom resource (objectmeta.GetObjectMetaWithOptions:
/// the value is marshalled and unmarshalled into a Go <c>metav1.ObjectMeta</c> with sigs.k8s.io/json), and returns
/// the first error Go's decoder reports, word for word: <c>json: cannot unmarshal string into Go value of type
/// v1.ObjectMeta</c>, <c>json: cannot unmarshal number into Go struct field ObjectMeta.labels of type string</c>,
/// <c>parsing time "x" as "2006-01-02T15:04:05Z07:00": cannot parse "x" as "2006"</c>. Fields are visited in the order
/// they are written, as the decoder reads them; only the first error counts, as in Go.
/// </summary>
internal static class GoJsonObjectMeta
{
    private enum GoType
    {
        String,
        Int64,
        Bool,
        Time,
        StringMap,
        StringList,
        OwnerReferences,
        ManagedFields,
        Raw,
    }

    private static readonly Dictionary<string, (GoType Type, string Name)> ObjectMetaFields = new(StringComparer.Ordinal)
    {
        ["name"] = (GoType.String, "string"),
        ["generateName"] = (GoType.String, "string"),
        ["namespace"] = (GoType.String, "string"),
        ["selfLink"] = (GoType.String, "string"),
        ["uid"] = (GoType.String, "types.UID"),
        ["resourceVersion"] = (GoType.String, "string"),
        ["generation"] = (GoType.Int64, "int64"),
        ["creationTimestamp"] = (GoType.Time, "v1.Time"),
        ["deletionTimestamp"] = (GoType.Time, "v1.Time"),
        ["deletionGracePeriodSeconds"] = (GoType.Int64, "int64"),
        ["labels"] = (GoType.StringMap, "map[string]string"),
        ["annotations"] = (GoType.StringMap, "map[string]string"),
        ["ownerReferences"] = (GoType.OwnerReferences, "[]v1.OwnerReference"),
        ["finalizers"] = (GoType.StringList, "[]string"),
        ["managedFields"] = (GoType.ManagedFields, "[]v1.ManagedFieldsEntry"),
    };

    private static readonly Dictionary<string, (GoType Type, string Name)> OwnerReferenceFields = new(StringComparer.Ordinal)
    {
        ["apiVersion"] = (GoType.String, "string"),
        ["kind"] = (GoType.String, "string"),
        ["name"] = (GoType.String, "string"),
        ["uid"] = (GoType.String, "types.UID"),
        ["controller"] = (GoType.Bool, "bool"),
        ["blockOwnerDeletion"] = (GoType.Bool, "bool"),
    };

    private static readonly Dictionary<string, (GoType Type, string Name)> ManagedFieldsEntryFields = new(StringComparer.Ordinal)
    {
        ["manager"] = (GoType.String, "string"),
        ["operation"] = (GoType.String, "v1.ManagedFieldsOperationType"),
        ["apiVersion"] = (GoType.String, "string"),
        ["time"] = (GoType.Time, "v1.Time"),
        ["fieldsType"] = (GoType.String, "string"),
        ["fieldsV1"] = (GoType.Raw, "v1.FieldsV1"),
        ["subresource"] = (GoType.String, "string"),
    };

    /// <summary>The known ObjectMeta fields (json tags), for pruning unknown ones.</summary>
    public static bool IsField(string name) => ObjectMetaFields.ContainsKey(name);

    /// <summary>The first error decoding <paramref name="meta"/> into ObjectMeta, or null.</summary>
    public static string? Decode(JsonNode? meta)
    {
        if (meta is null)
        {
            return null;
        }

        if (meta is not JsonObject obj)
        {
            return TypeError(meta, null, null, "v1.ObjectMeta");
        }

        return Struct(obj, "ObjectMeta", string.Empty, ObjectMetaFields);
    }

    private static string? Struct(JsonObject obj, string structName, string stack, Dictionary<string, (GoType Type, string Name)> fields)
    {
        // The server re-encodes the map before decoding it, so the keys come sorted.
        foreach (var (k, v) in obj.OrderBy(kv => kv.Key, StringComparer.Ordinal))
        {
            if (!fields.TryGetValue(k, out var f) || v is null)
            {
                continue;
            }

            string field = stack.Length == 0 ? k : stack + "." + k;
            string? error = f.Type switch
            {
                GoType.String => JsonData.KindOf(v) == JsonKind.String ? null : TypeError(v, structName, field, f.Name),
                GoType.Bool => JsonData.KindOf(v) == JsonKind.Bool ? null : TypeError(v, structName, field, f.Name),
                GoType.Int64 => Int64(v, structName, field),
                GoType.Time => Time(v),
                GoType.Raw => null,
                GoType.StringMap => v is JsonObject map
                    ? map.Select(kv => kv.Value is null || JsonData.KindOf(kv.Value) == JsonKind.String ? null : TypeError(kv.Value, structName, field, "string")).FirstOrDefault(e => e is not null)
                    : TypeError(v, structName, field, f.Name),
                GoType.StringList => v is JsonArray list
                    ? list.Select(i => i is null || JsonData.KindOf(i) == JsonKind.String ? null : TypeError(i, structName, field, "string")).FirstOrDefault(e => e is not null)
                    : TypeError(v, structName, field, f.Name),
                GoType.OwnerReferences => List(v, structName, field, f.Name, "v1.OwnerReference", "OwnerReference", OwnerReferenceFields),
                GoType.ManagedFields => List(v, structName, field, f.Name, "v1.ManagedFieldsEntry", "ManagedFieldsEntry", ManagedFieldsEntryFields),
                _ => null,
            };
            if (error is not null)
            {
                return error;
            }
        }

        return null;
    }

    private static string? List(JsonNode v, string structName, string field, string listType, string itemType, string itemStruct, Dictionary<string, (GoType Type, string Name)> itemFields)
    {
        if (v is not JsonArray list)
        {
            return TypeError(v, structName, field, listType);
        }

        foreach (var item in list)
        {
            if (item is null)
            {
                continue;
            }

            var error = item is JsonObject o ? Struct(o, itemStruct, field, itemFields) : TypeError(item, structName, field, itemType);
            if (error is not null)
            {
                return error;
            }
        }

        return null;
    }

    private static string? Int64(JsonNode v, string structName, string field)
    {
        var kind = JsonData.KindOf(v);
        if (kind == JsonKind.Integer)
        {
            return null;
        }

        if (kind == JsonKind.Float)
        {
            // A float reaches the server as Go marshals it; an integral one in range is written without a fraction and decodes.
            double d = JsonData.GetNumber(v).Float;
            if (Math.Truncate(d) == d && d >= -9.2233720368547758E+18 && d < 9.2233720368547758E+18 && Math.Abs(d) < 1e21)
            {
                return null;
            }

            return "json: cannot unmarshal number " + GoFormat.FormatFloatJson(d) + " into Go struct field " + structName + "." + field + " of type int64";
        }

        return TypeError(v, structName, field, "int64");
    }

    /// <summary>metav1.Time.UnmarshalJSON: null, or an RFC 3339 string.</summary>
    private static string? Time(JsonNode v)
    {
        if (JsonData.KindOf(v) != JsonKind.String)
        {
            return "json: cannot unmarshal " + GoKind(v) + " into Go value of type string";
        }

        return GoTime.ParseRfc3339Error(v.GetValue<string>());
    }

    private static string TypeError(JsonNode v, string? structName, string? field, string type) =>
        structName is null
            ? "json: cannot unmarshal " + GoKind(v) + " into Go value of type " + type
            : "json: cannot unmarshal " + GoKind(v) + " into Go struct field " + structName + "." + field + " of type " + type;

    /// <summary>The JSON kind as encoding/json names it in an UnmarshalTypeError.</summary>
    internal static string GoKind(JsonNode? v) => JsonData.KindOf(v) switch
    {
        JsonKind.String => "string",
        JsonKind.Bool => "bool",
        JsonKind.Integer or JsonKind.Float => "number",
        JsonKind.Array => "array",
        JsonKind.Object => "object",
        _ => "null",
    };
}

/// <summary>Go's <c>time.Parse(time.RFC3339, s)</c> errors, for the layouts metav1.Time decodes.</summary>
internal static class GoTime
{
    private const string Layout = "2006-01-02T15:04:05Z07:00";

    /// <summary>Null when <paramref name="s"/> parses as Go parses RFC 3339, else Go's error text.</summary>
    public static string? ParseRfc3339Error(string s)
    {
        string quoted = GoFormat.Quote(s);
        string layoutQuoted = GoFormat.Quote(Layout);
        string Cannot(string rest, string elem) =>
            "parsing time " + quoted + " as " + layoutQuoted + ": cannot parse " + GoFormat.Quote(rest) + " as " + GoFormat.Quote(elem);

        int i = 0;
        bool Digits(int n, out int value)
        {
            value = 0;
            if (i + n > s.Length)
            {
                return false;
            }

            for (int j = 0; j < n; j++)
            {
                char c = s[i + j];
                if (c < '0' || c > '9')
                {
                    return false;
                }

                value = (value * 10) + (c - '0');
            }

            i += n;
            return true;
        }

        bool Literal(char c)
        {
            if (i < s.Length && s[i] == c)
            {
                i++;
                return true;
            }

            return false;
        }

        if (!Digits(4, out int year))
        {
            return Cannot(s[i..], "2006");
        }

        if (!Literal('-'))
        {
            return Cannot(s[i..], "-");
        }

        if (!Digits(2, out int month))
        {
            return Cannot(s[i..], "01");
        }

        if (month is < 1 or > 12)
        {
            return "parsing time " + quoted + ": month out of range";
        }

        if (!Literal('-'))
        {
            return Cannot(s[i..], "-");
        }

        if (!Digits(2, out int day))
        {
            return Cannot(s[i..], "02");
        }

        if (!Literal('T'))
        {
            return Cannot(s[i..], "T");
        }

        if (!Digits(2, out int hour))
        {
            return Cannot(s[i..], "15");
        }

        if (hour > 23)
        {
            return "parsing time " + quoted + ": hour out of range";
        }

        if (!Literal(':'))
        {
            return Cannot(s[i..], ":");
        }

        if (!Digits(2, out int minute))
        {
            return Cannot(s[i..], "04");
        }

        if (minute > 59)
        {
            return "parsing time " + quoted + ": minute out of range";
        }

        if (!Literal(':'))
        {
            return Cannot(s[i..], ":");
        }

        if (!Digits(2, out int second))
        {
            return Cannot(s[i..], "05");
        }

        if (second > 59)
        {
            return "parsing time " + quoted + ": second out of range";
        }

        if (i < s.Length && s[i] is '.' or ',' && i + 1 < s.Length && char.IsAsciiDigit(s[i + 1]))
        {
            i++;
            while (i < s.Length && char.IsAsciiDigit(s[i]))
            {
                i++;
            }
        }

        if (i < s.Length && s[i] == 'Z')
        {
            i++;
        }
        else if (i < s.Length && s[i] is '+' or '-')
        {
            int start = i;
            i++;
            if (!Digits(2, out int zh) || !Literal(':') || !Digits(2, out int zm))
            {
                return Cannot(s[start..], "Z07:00");
            }

            if (zh > 24 || zm > 59)
            {
                return "parsing time " + quoted + ": time zone offset out of range";
            }
        }
        else
        {
            return Cannot(s[i..], "Z07:00");
        }

        if (i != s.Length)
        {
            return "parsing time " + quoted + ": extra text: " + GoFormat.Quote(s[i..]);
        }

        if (day < 1 || day > DateTime.DaysInMonth(Math.Max(1, year), month))
        {
            return "parsing time " + quoted + ": day out of range";
        }

        return null;
    }
}
