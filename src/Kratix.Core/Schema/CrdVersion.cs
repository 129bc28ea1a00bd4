using System.Text.Json.Nodes;

namespace Kratix.Schema;

/// <summary>One entry of <c>spec.versions</c> of a CustomResourceDefinition.</summary>
public sealed class CrdVersion
{
    internal CrdVersion(string name, bool served, bool storage, bool deprecated, string? deprecationWarning, JsonObject? schema, StructuralSchema? structuralSchema)
    {
        Name = name;
        Served = served;
        Storage = storage;
        Deprecated = deprecated;
        DeprecationWarning = deprecationWarning;
        Schema = schema;
        StructuralSchema = structuralSchema;
    }

    /// <summary>The version name, e.g. <c>v1alpha1</c>.</summary>
    public string Name { get; }

    /// <summary>Whether requests may use this version.</summary>
    public bool Served { get; }

    /// <summary>Whether this is the storage version (exactly one is).</summary>
    public bool Storage { get; }

    /// <summary>Whether the version is deprecated (requests get a warning).</summary>
    public bool Deprecated { get; }

    /// <summary>The custom deprecation warning, if any.</summary>
    public string? DeprecationWarning { get; }

    /// <summary>The <c>schema.openAPIV3Schema</c> as written in the Promise.</summary>
    public JsonObject? Schema { get; }

    /// <summary>
    /// The parsed schema that requests are checked against: <see cref="Schema"/> as Kratix installs it, i.e. with
    /// <c>metadata.name</c> limited to 63 characters and an open <c>status</c> object (Kratix owns status).
    /// </summary>
    public StructuralSchema? StructuralSchema { get; }
}
