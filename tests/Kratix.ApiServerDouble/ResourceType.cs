using System.Text.Json.Nodes;
using Kratix.Schema;

namespace Kratix.ApiServerDouble;

/// <summary>An <c>additionalPrinterColumns</c> entry: what <c>kubectl get</c> shows in a column.</summary>
public sealed record PrinterColumn(string Name, string Type, string JsonPath, string Description = "", int Priority = 0, string Format = "");

/// <summary>
/// One REST resource the double serves: a built-in kind or a custom resource of an established CRD. Immutable: the
/// registry swaps a whole new set when CRDs change.
/// </summary>
public sealed class ResourceType
{
    public required string Group { get; init; }

    /// <summary>Served versions, the preferred (storage) one first.</summary>
    public required IReadOnlyList<string> Versions { get; init; }

    public required string StorageVersion { get; init; }

    public required string Plural { get; init; }

    public required string Singular { get; init; }

    public required string Kind { get; init; }

    public string ListKind => Kind + "List";

    public required bool Namespaced { get; init; }

    public IReadOnlyList<string> ShortNames { get; init; } = [];

    public IReadOnlyList<string> Categories { get; init; } = [];

    /// <summary>Whether the status subresource is served (and status is ignored by writes to the main resource).</summary>
    public bool HasStatus { get; init; }

    /// <summary>Whether <c>pods/log</c> is served for this type.</summary>
    public bool HasLog { get; init; }

    /// <summary>Whether metadata.generation is kept (bumped when the spec changes).</summary>
    public bool TracksGeneration { get; init; }

    /// <summary>Whether DELETE answers with the object (custom resources, pods, namespaces...) or a Success Status.</summary>
    public bool ReturnsDeletedObject { get; init; } = true;

    /// <summary>The columns of <c>kubectl get</c> (Name is always first; Age last unless the CRD names its own columns).</summary>
    public IReadOnlyDictionary<string, IReadOnlyList<PrinterColumn>> Columns { get; init; } = new Dictionary<string, IReadOnlyList<PrinterColumn>>();

    /// <summary>Field selectors beyond metadata.name and metadata.namespace: label -> JSONPath.</summary>
    public IReadOnlyDictionary<string, string> SelectableFields { get; init; } = new Dictionary<string, string>();

    /// <summary>For custom resources: each served version's structural schema.</summary>
    public IReadOnlyDictionary<string, StructuralSchema> Schemas { get; init; } = new Dictionary<string, StructuralSchema>();

    /// <summary>For custom resources: the name of the CRD that defines the type.</summary>
    public string? CrdName { get; init; }

    /// <summary>Whether the CRD is being deleted: no new objects may be created.</summary>
    public bool Terminating { get; init; }

    internal KindBehaviour Behaviour { get; init; } = CustomResourceBehaviour.Instance;

    /// <summary>Storage key: group and plural (all versions of a type share their objects).</summary>
    public string StoreKey => Group + "/" + Plural;

    public string ApiVersion(string version) => Group.Length == 0 ? version : Group + "/" + version;

    public bool IsCustom => CrdName is not null;

    /// <summary>The schema node at a managed-fields path (null outside the schema or for built-in kinds).</summary>
    internal SchemaNode? SchemaAt(string version, IReadOnlyList<string> path)
    {
        if (!Schemas.TryGetValue(version, out var schema))
        {
            return null;
        }

        SchemaNode? node = schema.Root;
        foreach (var token in path)
        {
            if (node is null)
            {
                return null;
            }

            if (token.StartsWith("f:", StringComparison.Ordinal))
            {
                string field = token[2..];
                node = node.Properties.TryGetValue(field, out var p) ? p : node.AdditionalProperties;
            }
            else if (token.StartsWith("k:", StringComparison.Ordinal) || token.StartsWith("v:", StringComparison.Ordinal) || token.StartsWith("i:", StringComparison.Ordinal))
            {
                node = node.Items;
            }
        }

        return node;
    }

    public override string ToString() => StatusErrors.Qualified(Plural, Group);
}

/// <summary>What differs between kinds: defaults, status on create, validation and pruning.</summary>
internal abstract class KindBehaviour
{
    /// <summary>Sets what the server sets on create (status, defaults that do not come from a schema).</summary>
    public virtual void PrepareForCreate(JsonObject obj)
    {
    }

    /// <summary>
    /// Decodes, defaults and validates <paramref name="obj"/> in place (the whole object, metadata included); fields
    /// dropped are reported as warnings (<c>unknown field "spec.foo"</c>).
    /// </summary>
    public abstract void Admit(ResourceType type, string version, JsonObject obj, JsonObject? old, List<FieldError> errors, List<string> warnings);
}

/// <summary>Custom resources: the served version's structural schema from the CRD, through the engine's validator.</summary>
internal sealed class CustomResourceBehaviour : KindBehaviour
{
    public static readonly CustomResourceBehaviour Instance = new();

    public override void Admit(ResourceType type, string version, JsonObject obj, JsonObject? old, List<FieldError> errors, List<string> warnings)
    {
        var result = ApiServerAdmission.AdmitCustomResource(obj, type.Schemas[version], type.Namespaced);
        if (result.DecodeError is { } decodeError)
        {
            throw StatusErrors.BadRequest($"{type.Kind} in version \"{version}\" cannot be handled as a {type.Kind}: {decodeError}");
        }

        errors.AddRange(result.Errors);
        warnings.AddRange(result.Warnings);
    }
}
