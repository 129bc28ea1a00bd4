using System.Text.Json.Nodes;

namespace Kratix.Authoring;

/// <summary>A change to a Promise's API: properties to add or remove, and the group, kind, version or plural.</summary>
public sealed class PromiseApiChange
{
    /// <summary><c>name:type</c> (nested with dots: <c>tls.enabled:boolean</c>) adds or replaces; <c>name-</c> removes.</summary>
    public IReadOnlyList<string> Properties { get; init; } = [];

    /// <summary>Dotted property names to remove (the same as <c>name-</c>).</summary>
    public IReadOnlyList<string> Remove { get; init; } = [];

    public string? Group { get; init; }

    public string? Kind { get; init; }

    public string? Version { get; init; }

    public string? Plural { get; init; }

    public bool RenamesApi => !string.IsNullOrEmpty(Group) || !string.IsNullOrEmpty(Kind) || !string.IsNullOrEmpty(Version) || !string.IsNullOrEmpty(Plural);
}

/// <summary>
/// Edits a Promise's API as kratix-cli's <c>update api</c>: properties of the first version's spec schema are added
/// (with object parents made on the way), replaced or removed; a new group, kind, version or plural renames the CRD
/// and updates example-resource.yaml's apiVersion and kind.
/// </summary>
public static class PromiseApiEditor
{
    public const string PropertyInvalidErrorId = "PromiseApiPropertyInvalid";

    public static readonly string[] PropertyTypes = ["string", "number", "integer", "object", "boolean"];

    /// <summary>Applies the change to the folder's Promise; returns the files written.</summary>
    public static IReadOnlyList<string> Update(string directory, PromiseApiChange change)
    {
        var folder = new PromiseFolder(directory);
        var crd = folder.ReadApi();
        Apply(crd, change);
        var written = new List<string> { File.Exists(folder.ApiFile) ? folder.ApiFile : folder.PromiseFile };
        folder.WriteApi(crd);
        if (change.RenamesApi && File.Exists(folder.ExampleResourceFile))
        {
            var example = PromiseFolder.ReadObject(folder.ExampleResourceFile);
            example["apiVersion"] = $"{crd["spec"]?["group"]}/{crd["spec"]?["versions"]?[0]?["name"]}";
            example["kind"] = (string?)crd["spec"]?["names"]?["kind"];
            PromiseFolder.WriteYaml(folder.ExampleResourceFile, example);
            written.Add(folder.ExampleResourceFile);
        }

        return written;
    }

    /// <summary>Applies the change to a CRD in place.</summary>
    public static void Apply(JsonObject crd, PromiseApiChange change)
    {
        var spec = PromiseFolder.Child(crd, "spec");
        if (change.RenamesApi)
        {
            var names = PromiseFolder.Child(spec, "names");
            if (!string.IsNullOrEmpty(change.Kind))
            {
                names["kind"] = change.Kind;
                names["singular"] = change.Kind.ToLowerInvariant();
            }

            if (!string.IsNullOrEmpty(change.Version))
            {
                FirstVersion(spec)["name"] = change.Version;
            }

            if (!string.IsNullOrEmpty(change.Group))
            {
                spec["group"] = change.Group;
            }

            if (!string.IsNullOrEmpty(change.Plural))
            {
                names["plural"] = change.Plural;
            }

            PromiseFolder.Child(crd, "metadata")["name"] = $"{names["plural"]}.{spec["group"]}";
        }

        if (change.Properties.Count == 0 && change.Remove.Count == 0)
        {
            return;
        }

        var properties = SpecProperties(FirstVersion(spec));
        foreach (var property in change.Properties)
        {
            var parts = property.Split(':');
            if (parts.Length != 2)
            {
                if (property.EndsWith('-') && !property.Contains(':'))
                {
                    RemoveProperty(properties, property.TrimEnd('-'));
                    continue;
                }

                throw new KratixException(
                    PropertyInvalidErrorId, KratixErrorCategory.InvalidArgument,
                    $"invalid property format: {property}. Give name:type (types: {string.Join(", ", PropertyTypes)}; nest with dots, as tls.enabled:boolean), or name- to remove one.",
                    property);
            }

            AddProperty(properties, parts[0], parts[1]);
        }

        foreach (var name in change.Remove)
        {
            RemoveProperty(properties, name);
        }
    }

    private static JsonObject FirstVersion(JsonObject spec) =>
        spec["versions"] is JsonArray { Count: > 0 } versions && versions[0] is JsonObject first
            ? first
            : throw new KratixException(
                "PromiseApiInvalid", KratixErrorCategory.InvalidData, "The API has no spec.versions: give it one (New-KratixPromise writes one).", spec);

    private static JsonObject SpecProperties(JsonObject version)
    {
        var schema = PromiseFolder.Child(PromiseFolder.Child(version, "schema"), "openAPIV3Schema");
        schema["type"] ??= "object";
        var root = PromiseFolder.Child(schema, "properties");
        if (root["spec"] is not JsonObject spec)
        {
            spec = new JsonObject { ["type"] = "object" };
            root["spec"] = spec;
        }

        return PromiseFolder.Child(spec, "properties");
    }

    private static void AddProperty(JsonObject properties, string path, string type)
    {
        if (!PropertyTypes.Contains(type))
        {
            throw new KratixException(
                PropertyInvalidErrorId, KratixErrorCategory.InvalidArgument,
                $"unsupported property type: {type} (in {path}:{type}); give one of {string.Join(", ", PropertyTypes)}.", path);
        }

        var names = path.Split('.');
        if (names.Any(n => n.Length == 0))
        {
            throw new KratixException(PropertyInvalidErrorId, KratixErrorCategory.InvalidArgument, $"invalid property name: \"{path}\" has an empty part.", path);
        }

        var current = properties;
        for (var i = 0; i < names.Length - 1; i++)
        {
            if (current[names[i]] is not JsonObject parent || parent["properties"] is not JsonObject)
            {
                if (current[names[i]] is JsonObject existing && (string?)existing["type"] is { } existingType && existingType != "object")
                {
                    throw new KratixException(
                        PropertyInvalidErrorId, KratixErrorCategory.InvalidArgument,
                        $"nested field {names[i]} is not an object (it is a {existingType}): remove it first ({names[i]}-) to nest under it.", path);
                }

                parent = new JsonObject { ["type"] = "object", ["properties"] = new JsonObject() };
                current[names[i]] = parent;
            }

            current = (JsonObject)parent["properties"]!;
        }

        current[names[^1]] = new JsonObject { ["type"] = type };
    }

    private static void RemoveProperty(JsonObject properties, string path)
    {
        var names = path.Split('.');
        var current = properties;
        for (var i = 0; i < names.Length - 1; i++)
        {
            if (current[names[i]]?["properties"] is not JsonObject next)
            {
                return;
            }

            current = next;
        }

        current.Remove(names[^1]);
    }
}
