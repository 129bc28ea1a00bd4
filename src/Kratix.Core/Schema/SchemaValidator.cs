using System.Globalization;
using System.Text.Json.Nodes;

namespace Kratix.Schema;

/// <summary>
/// Validates a value against a schema exactly as the Kubernetes API server validates custom resources: a port of
/// kube-openapi's <c>validate.SchemaValidator</c> (type, allOf/anyOf/oneOf/not, string, format, number, array, enum and
/// object validators, in that order, with its messages) and of apiextensions-apiserver's conversion of its results into
/// <see cref="FieldError"/>s. Every failing field is reported, in a deterministic order: for each object, its own
/// problems first, then its fields in the order they appear in the value, then missing required fields in the order of
/// <c>required</c>.
/// </summary>
public static class SchemaValidator
{
    private const string In = "body";

    /// <summary>Validates <paramref name="value"/> (a whole resource, or any value) against <paramref name="schema"/>.</summary>
    public static IReadOnlyList<FieldError> Validate(JsonNode? value, StructuralSchema schema)
    {
        ArgumentNullException.ThrowIfNull(schema);
        var output = new List<FieldError>();
        Validate(value, schema.Root, null, output);
        return output;
    }

    /// <summary>Validates and appends field errors, with paths below <paramref name="fieldPrefix"/> (null: none).</summary>
    internal static void Validate(JsonNode? value, SchemaNode root, string? fieldPrefix, List<FieldError> output)
    {
        var acc = new Acc();
        var path = new FieldPath();
        ValidateNode(root, value, acc, path);
        if (acc.Errors is null)
        {
            return;
        }

        foreach (var e in acc.Errors)
        {
            output.Add(ToFieldError(e, fieldPrefix));
        }
    }

    private static FieldError ToFieldError(OpenApiError e, string? prefix)
    {
        string Join(string name)
        {
            var n = name.StartsWith('.') ? name.Substring(1) : name;
            if (n.Length == 0 || n == ".")
            {
                return prefix ?? "<nil>";
            }

            return prefix is null ? n : prefix + "." + n;
        }

        string field = Join(e.Name);
        switch (e.Kind)
        {
            case ErrorKind.Required:
                return FieldError.Required(field);
            case ErrorKind.Enum:
                {
                    var values = new List<string>(e.EnumValues!.Count);
                    foreach (var v in e.EnumValues)
                    {
                        values.Add(JsonData.GetString(v) ?? GoFormat.MarshalJson(v));
                    }

                    return FieldError.NotSupported(field, e.Value, values);
                }

            case ErrorKind.TooLong:
                return FieldError.TooLong(field, e.Limit);
            case ErrorKind.TooMany:
                return FieldError.TooMany(field, e.Actual, e.Limit);
            case ErrorKind.InvalidType:
                return FieldError.TypeInvalid(field, e.Value ?? string.Empty, e.Message);
            case ErrorKind.Composite:
                // Not an openapierrors.Validation (anyOf/oneOf/allOf/not, range checks): the server reports it at the
                // validation's root path, which is nil for a custom resource, with an empty value.
                return FieldError.Invalid(prefix ?? "<nil>", string.Empty, e.Message);
            default:
                return FieldError.Invalid(field, e.Value ?? string.Empty, e.Message);
        }
    }

    private static void ValidateNode(SchemaNode s, JsonNode? data, Acc acc, FieldPath path)
    {
        var kind = JsonData.KindOf(data);
        if (kind == JsonKind.Null)
        {
            // Only the type and enum validators see a null.
            if (s.ValidatorTypes.Length > 0 && !s.Nullable)
            {
                acc.Add(InvalidType(path.ToOpenApiString(), string.Join(",", s.ValidatorTypes), "null"));
            }
            else
            {
                acc.MatchCount++;
            }

            if (s.Enum is { Count: > 0 })
            {
                acc.Add(EnumFail(path.ToOpenApiString(), data, s.Enum));
            }

            return;
        }

        // 1. type
        if (s.ValidatorTypes.Length > 0 || s.EffectiveFormat is not null)
        {
            ValidateType(s, data!, kind, acc, path);
            acc.MatchCount++;
        }

        // 2. allOf / anyOf / oneOf / not
        ValidateSchemaProps(s, data, acc, path);
        acc.MatchCount++;

        // 3. string
        if (kind == JsonKind.String)
        {
            ValidateString(s, data!.GetValue<string>(), acc, path);
            acc.MatchCount++;

            // 4. format
            if (s.EffectiveFormat is not null && StringFormats.IsKnown(s.EffectiveFormat))
            {
                var str = data.GetValue<string>();
                if (!StringFormats.Validate(s.EffectiveFormat, str))
                {
                    acc.Add(InvalidType(path.ToOpenApiString(), s.EffectiveFormat, str));
                }

                acc.MatchCount++;
            }
        }

        // 5. number
        if (kind is JsonKind.Integer or JsonKind.Float)
        {
            ValidateNumber(s, JsonData.GetNumber(data!), data!, acc, path);
            acc.MatchCount++;
        }

        // 6. array
        if (kind == JsonKind.Array)
        {
            ValidateArray(s, data!.AsArray(), acc, path);
            acc.MatchCount++;
        }

        // 7. enum
        if (s.Enum is { Count: > 0 } && !EnumContains(s, data, kind))
        {
            acc.Add(EnumFail(path.ToOpenApiString(), data, s.Enum));
        }

        acc.MatchCount++;

        // 8. object
        if (kind == JsonKind.Object)
        {
            ValidateObject(s, data!.AsObject(), acc, path);
            acc.MatchCount++;
        }

        acc.MatchCount++;
    }

    private static void ValidateType(SchemaNode s, JsonNode data, JsonKind kind, Acc acc, FieldPath path)
    {
        string schType;
        string format;
        switch (kind)
        {
            case JsonKind.Bool: schType = "boolean"; format = string.Empty; break;
            case JsonKind.String: schType = "string"; format = string.Empty; break;
            case JsonKind.Integer: schType = "integer"; format = "int64"; break;
            case JsonKind.Float: schType = "number"; format = "float64"; break;
            case JsonKind.Array: schType = "array"; format = string.Empty; break;
            default: schType = "object"; format = string.Empty; break;
        }

        var types = s.ValidatorTypes;
        bool containsSch = Array.IndexOf(types, schType) >= 0;
        bool isFloatInt = kind == JsonKind.Float && Array.IndexOf(types, "integer") >= 0
            && JsonData.IsFloat64AJSONInteger(JsonData.GetNumber(data).Float);
        bool isIntFloat = kind == JsonKind.Integer && Array.IndexOf(types, "number") >= 0;
        string tFormat = s.EffectiveFormat ?? string.Empty;

        if (kind != JsonKind.String && kind != JsonKind.Array && tFormat.Length != 0
            && !(containsSch || format == tFormat || isFloatInt || isIntFloat))
        {
            acc.Add(InvalidType(path.ToOpenApiString(), tFormat, format));
            return;
        }

        if (Array.IndexOf(types, "number") < 0 && Array.IndexOf(types, "integer") < 0 && tFormat.Length != 0
            && (kind == JsonKind.String || kind == JsonKind.Array))
        {
            return;
        }

        if (!(containsSch || isFloatInt || isIntFloat))
        {
            acc.Add(InvalidType(path.ToOpenApiString(), string.Join(",", types), schType));
        }
    }

    private static void ValidateSchemaProps(SchemaNode s, JsonNode? data, Acc acc, FieldPath path)
    {
        if (!s.HasValueValidations)
        {
            acc.MatchCount++; // mainResult.Inc()
            return;
        }

        int depth = path.Depth;
        if (s.AnyOf.Count > 0)
        {
            Acc? best = null;
            Acc? firstSuccess = null;
            bool succeeded = false;
            foreach (var sub in s.AnyOf)
            {
                var r = new Acc();
                ValidateNode(sub, data, r, path);
                path.TruncateTo(depth);
                if (r.IsValid)
                {
                    best = null;
                    succeeded = true;
                    firstSuccess ??= r;
                    break;
                }

                if (best is null || r.MatchCount > best.MatchCount)
                {
                    best = r;
                }
            }

            if (!succeeded)
            {
                acc.Add(Composite(path.ToOpenApiString(), GoFormat.Quote(path.ToOpenApiString()) + " must validate at least one schema (anyOf)"));
            }

            acc.Merge(best ?? firstSuccess);
        }

        if (s.OneOf.Count > 0)
        {
            Acc? best = null;
            Acc? firstSuccess = null;
            int validated = 0;
            foreach (var sub in s.OneOf)
            {
                var r = new Acc();
                ValidateNode(sub, data, r, path);
                path.TruncateTo(depth);
                if (r.IsValid)
                {
                    validated++;
                    best = null;
                    firstSuccess ??= r;
                    continue;
                }

                if (validated == 0 && (best is null || r.MatchCount > best.MatchCount))
                {
                    best = r;
                }
            }

            if (validated != 1)
            {
                string more = validated == 0 ? "Found none valid" : string.Create(CultureInfo.InvariantCulture, $"Found {validated} valid alternatives");
                acc.Add(Composite(path.ToOpenApiString(), GoFormat.Quote(path.ToOpenApiString()) + " must validate one and only one schema (oneOf). " + more));
                acc.Merge(best);
            }
            else
            {
                acc.Merge(firstSuccess);
            }
        }

        if (s.AllOf.Count > 0)
        {
            int validated = 0;
            foreach (var sub in s.AllOf)
            {
                var r = new Acc();
                ValidateNode(sub, data, r, path);
                path.TruncateTo(depth);
                if (r.IsValid)
                {
                    validated++;
                }

                acc.Merge(r);
            }

            if (validated != s.AllOf.Count)
            {
                acc.Add(Composite(path.ToOpenApiString(), GoFormat.Quote(path.ToOpenApiString()) + " must validate all the schemas (allOf)" + (validated == 0 ? ". None validated" : string.Empty)));
            }
        }

        if (s.Not is not null)
        {
            var r = new Acc();
            ValidateNode(s.Not, data, r, path);
            path.TruncateTo(depth);
            if (r.IsValid)
            {
                acc.Add(Composite(path.ToOpenApiString(), GoFormat.Quote(path.ToOpenApiString()) + " must not validate the schema (not)"));
            }
        }

        acc.MatchCount++;
    }

    private static void ValidateString(SchemaNode s, string str, Acc acc, FieldPath path)
    {
        if (s.MaxLength is null && s.MinLength is null && s.Pattern is null)
        {
            return;
        }

        if (s.MaxLength is not null || s.MinLength is not null)
        {
            long len = CountRunes(str);
            if (s.MaxLength is long mx && len > mx)
            {
                string p = path.ToOpenApiString();
                acc.Add(new OpenApiError(ErrorKind.TooLong, p, Msg(p, Inv($"should be at most {mx} chars long")), str) { Limit = mx });
                return;
            }

            if (s.MinLength is long mn && len < mn)
            {
                string p = path.ToOpenApiString();
                acc.Add(new OpenApiError(ErrorKind.Other, p, Msg(p, Inv($"should be at least {mn} chars long")), str));
                return;
            }
        }

        if (!string.IsNullOrEmpty(s.Pattern))
        {
            if (s.PatternRegex is null)
            {
                string p = path.ToOpenApiString();
                acc.Add(new OpenApiError(ErrorKind.Other, p, Msg(p, "should match '" + s.Pattern + ", but pattern is invalid: " + s.PatternError + "'"), str));
                return;
            }

            bool matched;
            try
            {
                matched = s.PatternRegex.IsMatch(str);
            }
            catch (System.Text.RegularExpressions.RegexMatchTimeoutException)
            {
                matched = false;
            }

            if (!matched)
            {
                string p = path.ToOpenApiString();
                acc.Add(new OpenApiError(ErrorKind.Other, p, Msg(p, "should match '" + s.Pattern + "'"), str));
            }
        }
    }

    /// <summary>Unicode code points, as Go's utf8.RuneCountInString (a lone surrogate counts as one).</summary>
    internal static long CountRunes(string s)
    {
        long n = s.Length;
        for (int i = 0; i < s.Length - 1; i++)
        {
            if (char.IsHighSurrogate(s[i]) && char.IsLowSurrogate(s[i + 1]))
            {
                n--;
                i++;
            }
        }

        return n;
    }

    private static void ValidateNumber(SchemaNode s, JsonNumber num, JsonNode data, Acc acc, FieldPath path)
    {
        string typeName = string.Empty;
        string format = string.Empty;
        if (s.ValidatorTypes.Length == 1 && s.ValidatorTypes[0] is "integer" or "number")
        {
            // numberValidator's Type and Format: the schema's type and (supported) format, whatever it is.
            typeName = s.ValidatorTypes[0];
            format = s.EffectiveFormat ?? string.Empty;
        }

        // Is the value within the range of the type and format? (kube-openapi reports this as a plain error.)
        if (!InRange(num, typeName, format))
        {
            acc.Add(RangeError("Checked", typeName, format, path));
        }

        if (s.MultipleOf is double factor)
        {
            bool factorInRange = InRange(new JsonNumber(false, 0, factor), typeName, format);
            if (!factorInRange)
            {
                acc.Add(RangeError("MultipleOf", typeName, format, path));
            }

            if (num.IsInteger && factorInRange)
            {
                long f = GoFloatToInt(factor);
                if (f <= 0)
                {
                    string p = path.ToOpenApiString();
                    acc.Add(new OpenApiError(ErrorKind.Other, p, Inv($"factor MultipleOf declared for {p} must be positive: {f}"), f));
                }
                else if (num.Integer % f != 0)
                {
                    string p = path.ToOpenApiString();
                    acc.Add(new OpenApiError(ErrorKind.Other, p, Msg(p, Inv($"should be a multiple of {f}")), data));
                }
            }
            else
            {
                double d = num.AsDouble;
                if (factor <= 0)
                {
                    string p = path.ToOpenApiString();
                    acc.Add(new OpenApiError(ErrorKind.Other, p, $"factor MultipleOf declared for {p} must be positive: {GoFormat.FormatFloatV(factor)}", factor));
                }
                else
                {
                    double mult = factor < 1 ? 1 / factor * d : d / factor;
                    if (!JsonData.IsFloat64AJSONInteger(mult))
                    {
                        string p = path.ToOpenApiString();
                        acc.Add(new OpenApiError(ErrorKind.Other, p, Msg(p, "should be a multiple of " + GoFormat.FormatFloatV(factor)), data));
                    }
                }
            }
        }

        if (s.Minimum is double min)
        {
            bool excl = s.ExclusiveMinimum;
            bool minInRange = InRange(new JsonNumber(false, 0, min), typeName, format);
            if (!minInRange)
            {
                acc.Add(RangeError("Minimum boundary", typeName, format, path));
            }

            if (num.IsInteger && minInRange)
            {
                long m = GoFloatToInt(min);
                if ((!excl && num.Integer < m) || (excl && num.Integer <= m))
                {
                    string p = path.ToOpenApiString();
                    acc.Add(new OpenApiError(ErrorKind.Other, p, Msg(p, (excl ? "should be greater than " : "should be greater than or equal to ") + m.ToString(CultureInfo.InvariantCulture)), data));
                }
            }
            else
            {
                double d = num.AsDouble;
                if ((!excl && d < min) || (excl && d <= min))
                {
                    string p = path.ToOpenApiString();
                    acc.Add(new OpenApiError(ErrorKind.Other, p, Msg(p, (excl ? "should be greater than " : "should be greater than or equal to ") + GoFormat.FormatFloatV(min)), data));
                }
            }
        }

        if (s.Maximum is double max)
        {
            bool excl = s.ExclusiveMaximum;
            bool maxInRange = InRange(new JsonNumber(false, 0, max), typeName, format);
            if (!maxInRange)
            {
                acc.Add(RangeError("Maximum boundary", typeName, format, path));
            }

            if (num.IsInteger && maxInRange)
            {
                long m = GoFloatToInt(max);
                if ((!excl && num.Integer > m) || (excl && num.Integer >= m))
                {
                    string p = path.ToOpenApiString();
                    acc.Add(new OpenApiError(ErrorKind.Other, p, Msg(p, (excl ? "should be less than " : "should be less than or equal to ") + m.ToString(CultureInfo.InvariantCulture)), data));
                }
            }
            else
            {
                double d = num.AsDouble;
                if ((!excl && d > max) || (excl && d >= max))
                {
                    string p = path.ToOpenApiString();
                    acc.Add(new OpenApiError(ErrorKind.Other, p, Msg(p, (excl ? "should be less than " : "should be less than or equal to ") + GoFormat.FormatFloatV(max)), data));
                }
            }
        }

        acc.MatchCount++;
    }

    /// <summary>IsValueValidAgainstRange's error: "Checked value must be of type integer with format int32 in spec.x".</summary>
    private static OpenApiError RangeError(string prefix, string typeName, string format, FieldPath path)
    {
        string p = path.ToOpenApiString();
        string msg = format.Length != 0
            ? $"{prefix} value must be of type {typeName} with format {format} in {p}"
            : $"{prefix} value must be of type {typeName} (default format) in {p}";
        return new OpenApiError(ErrorKind.Composite, p, msg, null);
    }

    /// <summary>kube-openapi's IsValueValidAgainstRange: can the number be parsed as the type and format without loss?</summary>
    private static bool InRange(JsonNumber n, string typeName, string format)
    {
        if (typeName == "integer")
        {
            if (n.IsInteger)
            {
                return format != "int32" || (n.Integer >= int.MinValue && n.Integer <= int.MaxValue);
            }

            // The float is printed with strconv 'f' -1 and parsed as an integer: only integral values in range pass.
            double d = n.Float;
            if (double.IsNaN(d) || double.IsInfinity(d) || Math.Truncate(d) != d)
            {
                return false;
            }

            return format == "int32"
                ? d >= int.MinValue && d <= int.MaxValue
                : d >= -9.2233720368547758E+18 && d < 9.2233720368547758E+18;
        }

        if (typeName == "number" && format == "float")
        {
            double d = n.AsDouble;
            return double.IsNaN(d) || Math.Abs(d) <= float.MaxValue * (1 + 1e-8);
        }

        return true;
    }

    /// <summary>Go's int64(float64) conversion: truncation toward zero (out-of-range values give MinInt64 on amd64).</summary>
    private static long GoFloatToInt(double d)
    {
        if (double.IsNaN(d) || d >= 9.2233720368547758E+18 || d < -9.2233720368547758E+18)
        {
            return long.MinValue;
        }

        return (long)Math.Truncate(d);
    }

    private static void ValidateArray(SchemaNode s, JsonArray arr, Acc acc, FieldPath path)
    {
        if (s.Items is { } items)
        {
            for (int i = 0; i < arr.Count; i++)
            {
                path.PushIndex(i);
                ValidateNode(items, arr[i], acc, path);
                path.Pop();
            }
        }

        long size = arr.Count;
        if (s.MinItems is long min && size < min)
        {
            string p = path.ToOpenApiString();
            acc.Add(new OpenApiError(ErrorKind.Other, p, Msg(p, Inv($"should have at least {min} items")), size));
        }

        if (s.MaxItems is long max && size > max)
        {
            string p = path.ToOpenApiString();
            acc.Add(new OpenApiError(ErrorKind.TooMany, p, Msg(p, Inv($"should have at most {max} items")), size) { Limit = max, Actual = size });
        }

        if (s.UniqueItems)
        {
            bool dup = false;
            for (int i = 1; i < arr.Count && !dup; i++)
            {
                for (int j = 0; j < i; j++)
                {
                    if (JsonData.DeepEqual(arr[i], arr[j]))
                    {
                        dup = true;
                        break;
                    }
                }
            }

            if (dup)
            {
                string p = path.ToOpenApiString();
                acc.Add(new OpenApiError(ErrorKind.Other, p, Msg(p, "shouldn't contain duplicates"), null));
            }
        }

        acc.MatchCount++;
    }

    private static void ValidateObject(SchemaNode s, JsonObject obj, Acc acc, FieldPath path)
    {
        long numKeys = obj.Count;
        if (s.MinProperties is long minP && numKeys < minP)
        {
            string p = path.ToOpenApiString();
            acc.Add(new OpenApiError(ErrorKind.Other, p, Msg(p, Inv($"should have at least {minP} properties")), numKeys));
        }

        if (s.MaxProperties is long maxP && numKeys > maxP)
        {
            string p = path.ToOpenApiString();
            acc.Add(new OpenApiError(ErrorKind.TooMany, p, Msg(p, Inv($"should have at most {maxP} properties")), numKeys) { Limit = maxP, Actual = numKeys });
        }

        if (!s.AdditionalPropertiesAllowed)
        {
            foreach (var (k, _) in obj)
            {
                if (!s.Properties.ContainsKey(k))
                {
                    string p = path.ToOpenApiString();
                    string msg = p + "." + k + " in " + In + " is a forbidden property";
                    acc.Add(new OpenApiError(ErrorKind.Other, p, msg, k));
                }
            }
        }

        var additional = s.AdditionalPropertiesAllowed && !s.AdditionalPropertiesIsTrue ? s.AdditionalProperties : null;
        foreach (var (k, v) in obj)
        {
            if (s.Properties.TryGetValue(k, out var prop))
            {
                path.PushField(k);
                ValidateNode(prop, v, acc, path);
                path.Pop();
            }
            else if (additional is not null)
            {
                path.PushKey(k);
                ValidateNode(additional, v, acc, path);
                path.Pop();
            }
        }

        if (s.Required.Count > 0)
        {
            foreach (var k in s.Required)
            {
                if (!obj.ContainsKey(k))
                {
                    string name = path.ToOpenApiString() + "." + k;
                    acc.Add(new OpenApiError(ErrorKind.Required, name, Msg(name, "is required"), null));
                }
            }
        }
    }

    private static bool EnumContains(SchemaNode s, JsonNode? data, JsonKind kind)
    {
        if (kind == JsonKind.String)
        {
            return s.EnumStrings!.Contains(data!.GetValue<string>());
        }

        foreach (var e in s.Enum!)
        {
            if (EnumMatches(data, kind, e))
            {
                return true;
            }
        }

        return false;
    }

    /// <summary>reflect's ConvertibleTo + DeepEqual, as kube-openapi compares a value with an enum member.</summary>
    private static bool EnumMatches(JsonNode? data, JsonKind dk, JsonNode? e)
    {
        var ek = JsonData.KindOf(e);
        switch (ek)
        {
            case JsonKind.Null:
                return false;
            case JsonKind.String:
                if (dk == JsonKind.Integer)
                {
                    // Go converts an integer to the string of that code point.
                    long cp = JsonData.GetNumber(data!).Integer;
                    string conv = cp is >= 0 and <= 0x10FFFF and not (>= 0xD800 and <= 0xDFFF) ? char.ConvertFromUtf32((int)cp) : "\uFFFD";
                    return conv == e!.GetValue<string>();
                }

                return dk == JsonKind.String && data!.GetValue<string>() == e!.GetValue<string>();
            case JsonKind.Integer:
                if (dk == JsonKind.Integer)
                {
                    return JsonData.GetNumber(data!).Integer == JsonData.GetNumber(e!).Integer;
                }

                return dk == JsonKind.Float && GoFloatToInt(JsonData.GetNumber(data!).Float) == JsonData.GetNumber(e!).Integer;
            case JsonKind.Float:
                if (dk is JsonKind.Integer or JsonKind.Float)
                {
                    return JsonData.GetNumber(data!).AsDouble == JsonData.GetNumber(e!).Float;
                }

                return false;
            case JsonKind.Bool:
                return dk == JsonKind.Bool && JsonData.GetBool(data!) == JsonData.GetBool(e!);
            default:
                return dk == ek && JsonData.DeepEqual(data, e);
        }
    }

    private static string Msg(string name, string text) => name + " in " + In + " " + text;

    private static string Inv(FormattableString s) => s.ToString(CultureInfo.InvariantCulture);

    private static OpenApiError InvalidType(string name, string typeName, string actual) =>
        new(ErrorKind.InvalidType, name, $"{name} in {In} must be of type {typeName}: {GoFormat.Quote(actual)}", actual);

    private static OpenApiError EnumFail(string name, JsonNode? data, IReadOnlyList<JsonNode?> values)
    {
        var rendered = string.Join(" ", values.Select(GoFormat.FormatV));
        return new OpenApiError(ErrorKind.Enum, name, $"{name} in {In} should be one of [{rendered}]", data) { EnumValues = values };
    }

    private static OpenApiError Composite(string name, string message) => new(ErrorKind.Composite, name, message, null);

    private enum ErrorKind
    {
        Required,
        Enum,
        TooLong,
        TooMany,
        InvalidType,
        Composite,
        Other,
    }

    private sealed record OpenApiError(ErrorKind Kind, string Name, string Message, object? Value)
    {
        public long Limit { get; init; }

        public long Actual { get; init; }

        public IReadOnlyList<JsonNode?>? EnumValues { get; init; }
    }

    /// <summary>kube-openapi's Result: errors de-duplicated by message, and the MatchCount used to pick anyOf/oneOf failures.</summary>
    private sealed class Acc
    {
        public List<OpenApiError>? Errors;
        public int MatchCount;

        public bool IsValid => Errors is null || Errors.Count == 0;

        public void Add(OpenApiError e)
        {
            Errors ??= [];
            foreach (var x in Errors)
            {
                if (x.Message == e.Message)
                {
                    return;
                }
            }

            Errors.Add(e);
        }

        public void Merge(Acc? other)
        {
            if (other is null)
            {
                return;
            }

            if (other.Errors is not null)
            {
                foreach (var e in other.Errors)
                {
                    Add(e);
                }
            }

            MatchCount += other.MatchCount;
        }
    }
}
