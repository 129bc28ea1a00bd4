using System.Collections.ObjectModel;
using System.Globalization;
using System.Text.Json.Nodes;

namespace Kratix.Schema;

/// <summary>
/// A parsed OpenAPI v3 schema as Kubernetes uses it for custom resources: a tree of immutable <see cref="SchemaNode"/>s with
/// precompiled patterns and pruned defaults. Parse it once (a <see cref="CustomResourceDefinition"/> does so for every
/// version) and apply it to as many values as needed with <see cref="SchemaPruner"/>, <see cref="SchemaDefaulter"/> and
/// <see cref="SchemaValidator"/>; it is safe to share between threads.
/// </summary>
public sealed class StructuralSchema
{
    private StructuralSchema(SchemaNode root, JsonObject source)
    {
        Root = root;
        Source = source;
    }

    /// <summary>The root node.</summary>
    public SchemaNode Root { get; }

    /// <summary>The schema as given (not modified).</summary>
    public JsonObject Source { get; }

    /// <summary>True if any <c>x-kubernetes-validations</c> (CEL) rule appears anywhere in the schema.</summary>
    public bool HasCelRules => Root.HasCelRulesBelow;

    /// <summary>
    /// Parses a schema leniently: keywords Kubernetes forbids in CRDs are ignored (use
    /// <see cref="CustomResourceDefinition.Parse"/> for the full CRD rules), but malformed keywords (a string where a
    /// number is needed, a pattern that does not compile, ...) are refused.
    /// </summary>
    /// <exception cref="KratixException">ErrorId <c>InvalidSchema</c>, listing every problem.</exception>
    public static StructuralSchema Parse(JsonObject openApiV3Schema)
    {
        ArgumentNullException.ThrowIfNull(openApiV3Schema);
        var errors = new List<FieldError>();
        var schema = Parse(openApiV3Schema, "openAPIV3Schema", errors, crdRules: false);
        if (errors.Count > 0)
        {
            throw new KratixException(
                "InvalidSchema",
                KratixErrorCategory.InvalidData,
                "The OpenAPI v3 schema is invalid:" + Environment.NewLine + string.Join(Environment.NewLine, errors.Select(e => "  " + e)),
                errors);
        }

        return schema;
    }

    /// <summary>Parses, collecting problems into <paramref name="errors"/> with paths below <paramref name="basePath"/>.</summary>
    internal static StructuralSchema Parse(JsonObject openApiV3Schema, string basePath, List<FieldError> errors, bool crdRules)
    {
        var parser = new Parser(errors, crdRules);
        var root = parser.ParseNode(openApiV3Schema, basePath);
        Finish(root);
        PruneDefaults(root, basePath, errors, crdRules);
        return new StructuralSchema(root, openApiV3Schema);
    }

    /// <summary>Fills the "below" flags bottom-up.</summary>
    private static void Finish(SchemaNode n)
    {
        bool cel = n.Validations.Count > 0;
        bool lists = n.ListType is "set" or "map";
        bool embedded = false;
        bool defaults = n.Default is not null;
        foreach (var child in Children(n))
        {
            Finish(child);
            cel |= child.HasCelRulesBelow;
            lists |= child.HasListSetsOrMapsBelow;
            embedded |= child.EmbeddedResource || child.HasEmbeddedResourceBelow;
            defaults |= child.HasDefaultsBelow;
        }

        // Rules inside allOf run too (the server's AllOfValidators), on the same value.
        foreach (var sub in n.AllOf)
        {
            Finish(sub);
            cel |= sub.HasCelRulesBelow;
        }

        n.HasCelRulesBelow = cel;
        n.HasListSetsOrMapsBelow = lists;
        n.HasEmbeddedResourceBelow = embedded;
        n.HasDefaultsBelow = defaults;
    }

    /// <summary>The structural children (properties, items, additionalProperties).</summary>
    internal static IEnumerable<SchemaNode> Children(SchemaNode n)
    {
        foreach (var p in n.Properties.Values)
        {
            yield return p;
        }

        if (n.Items is not null)
        {
            yield return n.Items;
        }

        if (n.AdditionalProperties is not null)
        {
            yield return n.AdditionalProperties;
        }
    }

    /// <summary>
    /// Prunes every default by its own schema (defaulting.PruneDefaults). For a CRD, Kubernetes refuses a default with
    /// unknown fields ("must not have unknown fields"); that is reported when <paramref name="crdRules"/> is set.
    /// </summary>
    private static void PruneDefaults(SchemaNode n, string path, List<FieldError> errors, bool crdRules)
    {
        if (n.Default is not null && n.Default is JsonObject or JsonArray)
        {
            var pruned = n.Default.DeepClone();
            SchemaPruner.PruneNode(pruned, n, n.EmbeddedResource, null);
            if (!JsonData.DeepEqual(pruned, n.Default))
            {
                if (crdRules)
                {
                    errors.Add(FieldError.Invalid(path + ".default", n.Default, "must not have unknown fields"));
                }

                n.Default = pruned;
            }
        }

        foreach (var kv in n.Properties)
        {
            PruneDefaults(kv.Value, path + ".properties[" + kv.Key + "]", errors, crdRules);
        }

        if (n.Items is not null)
        {
            PruneDefaults(n.Items, path + ".items", errors, crdRules);
        }

        if (n.AdditionalProperties is not null)
        {
            PruneDefaults(n.AdditionalProperties, path + ".additionalProperties", errors, crdRules);
        }
    }

    private sealed class Parser(List<FieldError> errors, bool crdRules)
    {
        private static readonly HashSet<string> ForbiddenInCrd = new(StringComparer.Ordinal)
        {
            "id", "$ref", "definitions", "patternProperties", "additionalItems", "dependencies",
        };

        public SchemaNode ParseNode(JsonObject o, string path)
        {
            var n = new SchemaNode();
            foreach (var (key, value) in o)
            {
                string kp = path + "." + key;
                switch (key)
                {
                    case "type":
                        n.Type = String(value, kp);
                        if (n.Type == "null")
                        {
                            n.TypeIsNull = true;
                        }

                        break;
                    case "format": n.Format = String(value, kp); break;
                    case "description": n.Description = String(value, kp); break;
                    case "title": n.HasTitle = value is not null; break;
                    case "nullable": n.Nullable = Bool(value, kp) ?? false; break;
                    case "default": n.Default = value?.DeepClone(); break;
                    case "properties":
                        if (value is JsonObject props)
                        {
                            var dict = new Dictionary<string, SchemaNode>(props.Count, StringComparer.Ordinal);
                            foreach (var (pname, pschema) in props)
                            {
                                string pp = path + ".properties[" + pname + "]";
                                if (pschema is JsonObject po)
                                {
                                    dict[pname] = ParseNode(po, pp);
                                }
                                else
                                {
                                    errors.Add(FieldError.Invalid(pp, pschema, "must be a schema object"));
                                }
                            }

                            n.Properties = new ReadOnlyDictionary<string, SchemaNode>(dict);
                        }
                        else if (value is not null)
                        {
                            errors.Add(FieldError.Invalid(kp, value, "must be a map of property names to schemas"));
                        }

                        break;
                    case "items":
                        if (value is JsonObject io)
                        {
                            n.Items = ParseNode(io, kp);
                        }
                        else if (value is JsonArray ia)
                        {
                            n.ItemsIsArray = true;
                            if (ia.Count > 0 && ia[0] is JsonObject first)
                            {
                                n.Items = ParseNode(first, kp + "[0]");
                            }
                        }
                        else if (value is not null)
                        {
                            errors.Add(FieldError.Invalid(kp, value, "must be a schema object"));
                        }

                        break;
                    case "additionalProperties":
                        n.HasAdditionalPropertiesKeyword = value is not null;
                        if (value is JsonObject ao)
                        {
                            n.AdditionalProperties = ParseNode(ao, kp);
                        }
                        else if (Bool(value, kp) is bool allowed)
                        {
                            n.AdditionalPropertiesAllowed = allowed;
                            if (allowed)
                            {
                                // additionalProperties: true means "any value", i.e. an empty schema that preserves.
                                n.AdditionalProperties = new SchemaNode { PreserveUnknownFields = true };
                                n.AdditionalPropertiesIsTrue = true;
                            }
                        }

                        break;
                    case "required": n.Required = StringList(value, kp); break;
                    case "enum":
                        if (value is JsonArray ea)
                        {
                            var list = ea.Select(x => x?.DeepClone()).ToList();
                            n.Enum = list;
                            var strings = new HashSet<string>(StringComparer.Ordinal);
                            foreach (var x in list)
                            {
                                if (JsonData.GetString(x) is string s)
                                {
                                    strings.Add(s);
                                }
                            }

                            n.EnumStrings = strings;
                        }
                        else if (value is not null)
                        {
                            errors.Add(FieldError.Invalid(kp, value, "must be a list of values"));
                        }

                        break;
                    case "pattern":
                        n.Pattern = String(value, kp);
                        if (!string.IsNullOrEmpty(n.Pattern))
                        {
                            n.PatternRegex = GoRegex.TryCompile(n.Pattern, out var err);
                            n.PatternError = err;
                            if (err is not null)
                            {
                                errors.Add(FieldError.Invalid(kp, n.Pattern, "must be a valid regular expression, but isn't: " + err));
                            }
                        }

                        break;
                    case "minimum": n.Minimum = Number(value, kp); break;
                    case "maximum": n.Maximum = Number(value, kp); break;
                    case "multipleOf": n.MultipleOf = Number(value, kp); break;
                    case "exclusiveMinimum": n.ExclusiveMinimum = Bool(value, kp) ?? false; break;
                    case "exclusiveMaximum": n.ExclusiveMaximum = Bool(value, kp) ?? false; break;
                    case "minLength": n.MinLength = Count(value, kp); break;
                    case "maxLength": n.MaxLength = Count(value, kp); break;
                    case "minItems": n.MinItems = Count(value, kp); break;
                    case "maxItems": n.MaxItems = Count(value, kp); break;
                    case "minProperties": n.MinProperties = Count(value, kp); break;
                    case "maxProperties": n.MaxProperties = Count(value, kp); break;
                    case "uniqueItems": n.UniqueItems = Bool(value, kp) ?? false; break;
                    case "allOf": n.AllOf = SchemaList(value, kp); break;
                    case "anyOf": n.AnyOf = SchemaList(value, kp); break;
                    case "oneOf": n.OneOf = SchemaList(value, kp); break;
                    case "not":
                        if (value is JsonObject no)
                        {
                            n.Not = ParseNode(no, kp);
                        }
                        else if (value is not null)
                        {
                            errors.Add(FieldError.Invalid(kp, value, "must be a schema object"));
                        }

                        break;
                    case "x-kubernetes-preserve-unknown-fields":
                        n.PreserveUnknownFieldsKeyword = Bool(value, kp);
                        n.PreserveUnknownFields = n.PreserveUnknownFieldsKeyword ?? false;
                        break;
                    case "x-kubernetes-embedded-resource": n.EmbeddedResource = Bool(value, kp) ?? false; break;
                    case "x-kubernetes-int-or-string": n.IntOrString = Bool(value, kp) ?? false; break;
                    case "x-kubernetes-list-type": n.ListType = String(value, kp); break;
                    case "x-kubernetes-list-map-keys": n.ListMapKeys = StringList(value, kp); break;
                    case "x-kubernetes-map-type": n.MapType = String(value, kp); break;
                    case "x-kubernetes-validations": n.Validations = CelRules(value, kp); break;
                    default:
                        if (ForbiddenInCrd.Contains(key) && value is not null)
                        {
                            n.ForbiddenKeywords.Add(key);
                        }

                        break;
                }
            }

            n.ValidatorTypes = n.IntOrString ? ["integer", "string"] : string.IsNullOrEmpty(n.Type) ? [] : [n.Type];
            // Kubernetes strips unsupported formats after int-or-string became type [integer, string], i.e. "no single type".
            n.EffectiveFormat = StringFormats.Effective(n.IntOrString ? string.Empty : n.Type, n.Format);
            return n;
        }

        private string? String(JsonNode? v, string path)
        {
            if (v is null)
            {
                return null;
            }

            if (JsonData.GetString(v) is string s)
            {
                return s;
            }

            errors.Add(FieldError.Invalid(path, v, "must be a string"));
            return null;
        }

        private bool? Bool(JsonNode? v, string path)
        {
            if (v is null)
            {
                return null;
            }

            if (JsonData.KindOf(v) == JsonKind.Bool)
            {
                return JsonData.GetBool(v);
            }

            errors.Add(FieldError.Invalid(path, v, "must be a boolean"));
            return null;
        }

        private double? Number(JsonNode? v, string path)
        {
            if (v is null)
            {
                return null;
            }

            var k = JsonData.KindOf(v);
            if (k is JsonKind.Integer or JsonKind.Float)
            {
                return JsonData.GetNumber(v).AsDouble;
            }

            errors.Add(FieldError.Invalid(path, v, "must be a number"));
            return null;
        }

        private long? Count(JsonNode? v, string path)
        {
            if (v is null)
            {
                return null;
            }

            var k = JsonData.KindOf(v);
            if (k == JsonKind.Integer || (k == JsonKind.Float && Math.Truncate(JsonData.GetNumber(v).Float) == JsonData.GetNumber(v).Float))
            {
                var n = JsonData.GetNumber(v);
                long l = n.IsInteger ? n.Integer : (long)n.Float;
                if (l < 0)
                {
                    errors.Add(FieldError.Invalid(path, v, "must be a non-negative integer"));
                    return null;
                }

                return l;
            }

            errors.Add(FieldError.Invalid(path, v, "must be an integer"));
            return null;
        }

        private IReadOnlyList<string> StringList(JsonNode? v, string path)
        {
            if (v is null)
            {
                return [];
            }

            if (v is not JsonArray a)
            {
                errors.Add(FieldError.Invalid(path, v, "must be a list of strings"));
                return [];
            }

            var list = new List<string>(a.Count);
            for (int i = 0; i < a.Count; i++)
            {
                if (JsonData.GetString(a[i]) is string s)
                {
                    list.Add(s);
                }
                else
                {
                    errors.Add(FieldError.Invalid(path + "[" + i.ToString(CultureInfo.InvariantCulture) + "]", a[i], "must be a string"));
                }
            }

            return list;
        }

        private IReadOnlyList<SchemaNode> SchemaList(JsonNode? v, string path)
        {
            if (v is null)
            {
                return [];
            }

            if (v is not JsonArray a)
            {
                errors.Add(FieldError.Invalid(path, v, "must be a list of schemas"));
                return [];
            }

            var list = new List<SchemaNode>(a.Count);
            for (int i = 0; i < a.Count; i++)
            {
                string ip = path + "[" + i.ToString(CultureInfo.InvariantCulture) + "]";
                if (a[i] is JsonObject o)
                {
                    list.Add(ParseNode(o, ip));
                }
                else
                {
                    errors.Add(FieldError.Invalid(ip, a[i], "must be a schema object"));
                }
            }

            return list;
        }

        private IReadOnlyList<CelRule> CelRules(JsonNode? v, string path)
        {
            if (v is null)
            {
                return [];
            }

            if (v is not JsonArray a)
            {
                errors.Add(FieldError.Invalid(path, v, "must be a list of validation rules"));
                return [];
            }

            var list = new List<CelRule>(a.Count);
            for (int i = 0; i < a.Count; i++)
            {
                string ip = path + "[" + i.ToString(CultureInfo.InvariantCulture) + "]";
                if (a[i] is not JsonObject r)
                {
                    errors.Add(FieldError.Invalid(ip, a[i], "must be a validation rule object"));
                    continue;
                }

                var rule = JsonData.GetString(r["rule"]) ?? string.Empty;
                if (crdRules && rule.Trim().Length == 0)
                {
                    errors.Add(FieldError.Required(ip + ".rule", "rule is not specified"));
                }

                list.Add(new CelRule(rule, JsonData.GetString(r["message"]), JsonData.GetString(r["messageExpression"]),
                    JsonData.GetString(r["reason"]), JsonData.GetString(r["fieldPath"]))
                {
                    OptionalOldSelf = r["optionalOldSelf"] is JsonNode o && JsonData.KindOf(o) == JsonKind.Bool ? JsonData.GetBool(o) : null,
                });
            }

            return list;
        }
    }
}
