using System.Collections.ObjectModel;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;

namespace Kratix.Schema;

/// <summary>One <c>x-kubernetes-validations</c> rule (a CEL expression), evaluated by <see cref="CelValidator"/>.</summary>
public sealed record CelRule(string Rule, string? Message, string? MessageExpression, string? Reason, string? FieldPath)
{
    /// <summary><c>optionalOldSelf</c>, when written.</summary>
    public bool? OptionalOldSelf { get; init; }

    /// <summary>The rule as the server's error prints the internal apiextensions.ValidationRule (json.Marshal without tags).</summary>
    internal string GoJson()
    {
        string Str(string? v) => GoFormat.MarshalJson(System.Text.Json.Nodes.JsonValue.Create(v ?? string.Empty));
        string Ptr(string? v) => v is null ? "null" : Str(v);
        return "{\"Rule\":" + Str(Rule) + ",\"Message\":" + Str(Message) + ",\"MessageExpression\":" + Str(MessageExpression)
            + ",\"Reason\":" + Ptr(Reason) + ",\"FieldPath\":" + Str(FieldPath) + ",\"OptionalOldSelf\":" + (OptionalOldSelf is { } b ? (b ? "true" : "false") : "null") + "}";
    }
}

/// <summary>
/// One node of a parsed OpenAPI v3 schema (a CRD's <c>openAPIV3Schema</c> or any schema below it). Immutable once parsed;
/// <c>pattern</c> is precompiled and <c>enum</c> strings are hashed, so applying a node to many values is cheap.
/// The structural parts (<see cref="Properties"/>, <see cref="Items"/>, <see cref="AdditionalProperties"/>) drive pruning
/// and defaulting; the value validations (<see cref="AllOf"/>, <see cref="AnyOf"/>, <see cref="OneOf"/>, <see cref="Not"/>)
/// only validate.
/// </summary>
public sealed class SchemaNode
{
    internal static readonly IReadOnlyDictionary<string, SchemaNode> NoProperties =
        new ReadOnlyDictionary<string, SchemaNode>(new Dictionary<string, SchemaNode>(StringComparer.Ordinal));

    internal SchemaNode()
    {
    }

    /// <summary><c>type</c> as written (object, array, string, integer, number, boolean), or null.</summary>
    public string? Type { get; internal set; }

    /// <summary>The types the validator accepts: <c>[Type]</c>, or integer and string for <c>x-kubernetes-int-or-string</c>.</summary>
    internal string[] ValidatorTypes { get; set; } = [];

    /// <summary><c>nullable</c>.</summary>
    public bool Nullable { get; internal set; }

    /// <summary><c>format</c> as written.</summary>
    public string? Format { get; internal set; }

    /// <summary>The format the API server enforces: unsupported formats are dropped, as Kubernetes does.</summary>
    internal string? EffectiveFormat { get; set; }

    /// <summary><c>description</c>.</summary>
    public string? Description { get; internal set; }

    /// <summary>Whether a <c>default</c> is set (a default of JSON null is not a default).</summary>
    public bool HasDefault => Default is not null;

    /// <summary>The <c>default</c>, already pruned by this node's schema. Never modify it: defaulting deep-copies it.</summary>
    public JsonNode? Default { get; internal set; }

    /// <summary><c>properties</c>, in the order written.</summary>
    public IReadOnlyDictionary<string, SchemaNode> Properties { get; internal set; } = NoProperties;

    /// <summary><c>items</c>.</summary>
    public SchemaNode? Items { get; internal set; }

    /// <summary><c>additionalProperties</c> when it is a schema (or <c>true</c>, as an empty schema).</summary>
    public SchemaNode? AdditionalProperties { get; internal set; }

    /// <summary>False when <c>additionalProperties: false</c> was written; otherwise true.</summary>
    public bool AdditionalPropertiesAllowed { get; internal set; } = true;

    /// <summary>True when <c>additionalProperties: true</c> was written (go-openapi then has no schema to validate with).</summary>
    internal bool AdditionalPropertiesIsTrue { get; set; }

    /// <summary>Whether <c>additionalProperties</c> was written at all.</summary>
    internal bool HasAdditionalPropertiesKeyword { get; set; }

    /// <summary><c>required</c>.</summary>
    public IReadOnlyList<string> Required { get; internal set; } = [];

    /// <summary><c>enum</c>, or null when absent.</summary>
    public IReadOnlyList<JsonNode?>? Enum { get; internal set; }

    /// <summary>The string members of <see cref="Enum"/>, for a fast membership test of string values.</summary>
    internal HashSet<string>? EnumStrings { get; set; }

    /// <summary><c>pattern</c> as written (Go RE2 syntax, as Kubernetes compiles it).</summary>
    public string? Pattern { get; internal set; }

    /// <summary>The compiled <see cref="Pattern"/>, or null when absent or not compilable.</summary>
    internal Regex? PatternRegex { get; set; }

    /// <summary>Why <see cref="Pattern"/> could not be compiled, when it could not.</summary>
    internal string? PatternError { get; set; }

    /// <summary><c>minimum</c>.</summary>
    public double? Minimum { get; internal set; }

    /// <summary><c>maximum</c>.</summary>
    public double? Maximum { get; internal set; }

    /// <summary><c>exclusiveMinimum</c> (OpenAPI v3.0: a bool qualifying <see cref="Minimum"/>).</summary>
    public bool ExclusiveMinimum { get; internal set; }

    /// <summary><c>exclusiveMaximum</c> (OpenAPI v3.0: a bool qualifying <see cref="Maximum"/>).</summary>
    public bool ExclusiveMaximum { get; internal set; }

    /// <summary><c>multipleOf</c>.</summary>
    public double? MultipleOf { get; internal set; }

    /// <summary><c>minLength</c>, in Unicode code points.</summary>
    public long? MinLength { get; internal set; }

    /// <summary><c>maxLength</c>, in Unicode code points.</summary>
    public long? MaxLength { get; internal set; }

    /// <summary><c>minItems</c>.</summary>
    public long? MinItems { get; internal set; }

    /// <summary><c>maxItems</c>.</summary>
    public long? MaxItems { get; internal set; }

    /// <summary><c>minProperties</c>.</summary>
    public long? MinProperties { get; internal set; }

    /// <summary><c>maxProperties</c>.</summary>
    public long? MaxProperties { get; internal set; }

    /// <summary><c>uniqueItems</c>.</summary>
    public bool UniqueItems { get; internal set; }

    /// <summary><c>allOf</c>.</summary>
    public IReadOnlyList<SchemaNode> AllOf { get; internal set; } = [];

    /// <summary><c>anyOf</c>.</summary>
    public IReadOnlyList<SchemaNode> AnyOf { get; internal set; } = [];

    /// <summary><c>oneOf</c>.</summary>
    public IReadOnlyList<SchemaNode> OneOf { get; internal set; } = [];

    /// <summary><c>not</c>.</summary>
    public SchemaNode? Not { get; internal set; }

    /// <summary><c>x-kubernetes-preserve-unknown-fields: true</c>.</summary>
    public bool PreserveUnknownFields { get; internal set; }

    /// <summary>Whether <c>x-kubernetes-preserve-unknown-fields</c> was written (even as false).</summary>
    internal bool? PreserveUnknownFieldsKeyword { get; set; }

    /// <summary><c>x-kubernetes-embedded-resource: true</c>: apiVersion, kind and metadata are kept and checked.</summary>
    public bool EmbeddedResource { get; internal set; }

    /// <summary><c>x-kubernetes-int-or-string: true</c>.</summary>
    public bool IntOrString { get; internal set; }

    /// <summary><c>x-kubernetes-list-type</c>: atomic, set or map.</summary>
    public string? ListType { get; internal set; }

    /// <summary><c>x-kubernetes-list-map-keys</c>.</summary>
    public IReadOnlyList<string> ListMapKeys { get; internal set; } = [];

    /// <summary><c>x-kubernetes-map-type</c>: atomic or granular.</summary>
    public string? MapType { get; internal set; }

    /// <summary><c>x-kubernetes-validations</c> (CEL rules; reported as warnings, not enforced).</summary>
    public IReadOnlyList<CelRule> Validations { get; internal set; } = [];

    /// <summary>True if this node or any node below it has CEL rules.</summary>
    internal bool HasCelRulesBelow { get; set; }

    /// <summary>True if <c>x-kubernetes-list-type</c> set or map is used here or below.</summary>
    internal bool HasListSetsOrMapsBelow { get; set; }

    /// <summary>True if an embedded resource is declared below this node (not counting this node).</summary>
    internal bool HasEmbeddedResourceBelow { get; set; }

    /// <summary>True if any default is declared here or below.</summary>
    internal bool HasDefaultsBelow { get; set; }

    /// <summary>Keywords that Kubernetes forbids in CRD schemas (id, $ref, patternProperties, ...), as found.</summary>
    internal List<string> ForbiddenKeywords { get; } = [];

    /// <summary>True if <c>items</c> was an array of schemas.</summary>
    internal bool ItemsIsArray { get; set; }

    /// <summary>True when <c>type: "null"</c> was written.</summary>
    internal bool TypeIsNull { get; set; }

    /// <summary>True when <c>title</c> was written (forbidden in nested value validations).</summary>
    internal bool HasTitle { get; set; }

    /// <summary>True when the node has anything that validates a value besides its type.</summary>
    internal bool HasValueValidations =>
        AllOf.Count > 0 || AnyOf.Count > 0 || OneOf.Count > 0 || Not is not null;
}
