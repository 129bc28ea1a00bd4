using System.Globalization;
using System.Text.Json.Nodes;

namespace Kratix.Schema;

/// <summary>
/// A parsed <c>apiextensions.k8s.io/v1</c> CustomResourceDefinition: the <c>spec.api</c> of a Promise. Parsing checks
/// what Kubernetes checks when the CRD is created (names, versions, structural schemas, valid defaults) plus Kratix's
/// own rule that the API is Namespaced, and parses every version's schema once for <see cref="RequestValidator"/>.
/// </summary>
public sealed class CustomResourceDefinition
{
    /// <summary>The maximum length of a resource request's name: Kratix adds <c>maxLength: 63</c> to <c>metadata.name</c>.</summary>
    public const int MaxResourceNameLength = 63;

    private CustomResourceDefinition(string name, string group, CrdNames names, string scope, IReadOnlyList<CrdVersion> versions, JsonObject source)
    {
        Name = name;
        Group = group;
        Names = names;
        Scope = scope;
        Versions = versions;
        Source = source;
        StorageVersion = versions.First(v => v.Storage);
    }

    /// <summary><c>metadata.name</c>: <c>&lt;plural&gt;.&lt;group&gt;</c>.</summary>
    public string Name { get; }

    /// <summary><c>spec.group</c>.</summary>
    public string Group { get; }

    /// <summary><c>spec.names</c>, with defaults applied.</summary>
    public CrdNames Names { get; }

    /// <summary><c>spec.scope</c>: always <c>Namespaced</c> (Kratix refuses cluster-scoped Promise APIs).</summary>
    public string Scope { get; }

    /// <summary><c>spec.versions</c>, in the order written.</summary>
    public IReadOnlyList<CrdVersion> Versions { get; }

    /// <summary>The version marked <c>storage: true</c>; Kratix uses it as the Promise's GroupVersionKind.</summary>
    public CrdVersion StorageVersion { get; }

    /// <summary>The CRD as given.</summary>
    public JsonObject Source { get; }

    /// <summary>The served version called <paramref name="version"/>, or null.</summary>
    public CrdVersion? FindServedVersion(string version) =>
        Versions.FirstOrDefault(v => v.Served && string.Equals(v.Name, version, StringComparison.Ordinal));

    /// <summary>
    /// Parses and checks a CRD. Every problem is reported at once, each with its field path in the CRD
    /// (e.g. <c>spec.names.plural: Required value</c>).
    /// </summary>
    /// <exception cref="InvalidCustomResourceDefinitionException">ErrorId <c>InvalidCustomResourceDefinition</c>.</exception>
    public static CustomResourceDefinition Parse(JsonObject crd)
    {
        ArgumentNullException.ThrowIfNull(crd);
        var errors = new List<FieldError>();

        string? apiVersion = JsonData.GetString(crd["apiVersion"]);
        if (apiVersion != "apiextensions.k8s.io/v1")
        {
            errors.Add(apiVersion is null
                ? FieldError.Required("apiVersion", "must be apiextensions.k8s.io/v1")
                : FieldError.NotSupported("apiVersion", apiVersion, ["apiextensions.k8s.io/v1"]));
        }

        string? kind = JsonData.GetString(crd["kind"]);
        if (kind != "CustomResourceDefinition")
        {
            errors.Add(kind is null
                ? FieldError.Required("kind", "must be CustomResourceDefinition")
                : FieldError.NotSupported("kind", kind, ["CustomResourceDefinition"]));
        }

        var spec = crd["spec"] as JsonObject;
        if (spec is null)
        {
            errors.Add(FieldError.Required("spec"));
            spec = [];
        }

        // spec.group
        string group = JsonData.GetString(spec["group"]) ?? string.Empty;
        if (group.Length == 0)
        {
            errors.Add(FieldError.Required("spec.group"));
        }
        else if (NameValidation.IsDns1123Subdomain(group) is { Count: > 0 } gerrs)
        {
            errors.Add(FieldError.Invalid("spec.group", group, string.Join(",", gerrs)));
        }
        else if (!group.Contains('.'))
        {
            errors.Add(FieldError.Invalid("spec.group", group, "should be a domain with at least one dot"));
        }

        // spec.names
        var names = ParseNames(spec["names"] as JsonObject, errors);

        // metadata.name
        string name = JsonData.GetString(crd["metadata"]?["name"]) ?? string.Empty;
        if (name.Length == 0)
        {
            errors.Add(FieldError.Required("metadata.name", "name or generateName is required"));
        }
        else
        {
            var nerrs = NameValidation.IsDns1123Subdomain(name);
            if (name != names.Plural + "." + group)
            {
                nerrs.Add("must be spec.names.plural+\".\"+spec.group");
            }

            foreach (var msg in nerrs)
            {
                errors.Add(FieldError.Invalid("metadata.name", name, msg));
            }
        }

        // spec.scope
        string scope = JsonData.GetString(spec["scope"]) ?? string.Empty;
        if (scope.Length == 0)
        {
            errors.Add(FieldError.Required("spec.scope"));
        }
        else if (scope == "Cluster")
        {
            errors.Add(FieldError.Invalid("spec.scope", scope, "promise api needs to be namespace scoped: Kratix requires spec.scope to be Namespaced"));
        }
        else if (scope != "Namespaced")
        {
            errors.Add(FieldError.NotSupported("spec.scope", scope, ["Namespaced"]));
        }

        if (spec["preserveUnknownFields"] is JsonNode puf && JsonData.KindOf(puf) == JsonKind.Bool && JsonData.GetBool(puf))
        {
            errors.Add(FieldError.Invalid("spec.preserveUnknownFields", true, "cannot set to true, set x-kubernetes-preserve-unknown-fields to true in spec.versions[*].schema instead"));
        }

        var versions = ParseVersions(spec, errors);

        if (errors.Count > 0)
        {
            throw new InvalidCustomResourceDefinitionException(name, errors);
        }

        return new CustomResourceDefinition(name, group, names, scope, versions, crd);
    }

    private static CrdNames ParseNames(JsonObject? n, List<FieldError> errors)
    {
        if (n is null)
        {
            errors.Add(FieldError.Required("spec.names"));
            n = [];
        }

        string plural = JsonData.GetString(n["plural"]) ?? string.Empty;
        string kind = JsonData.GetString(n["kind"]) ?? string.Empty;
        string singular = JsonData.GetString(n["singular"]) ?? kind.ToLowerInvariant();
        string listKind = JsonData.GetString(n["listKind"]) ?? (kind.Length > 0 ? kind + "List" : string.Empty);
        var shortNames = StringList(n["shortNames"]);
        var categories = StringList(n["categories"]);

        if (plural.Length == 0)
        {
            errors.Add(FieldError.Required("spec.names.plural"));
        }
        else if (NameValidation.IsDns1035Label(plural) is { Count: > 0 } e1)
        {
            errors.Add(FieldError.Invalid("spec.names.plural", plural, string.Join(",", e1)));
        }

        if (singular.Length != 0 && NameValidation.IsDns1035Label(singular) is { Count: > 0 } e2)
        {
            errors.Add(FieldError.Invalid("spec.names.singular", singular, string.Join(",", e2)));
        }

        if (kind.Length == 0)
        {
            errors.Add(FieldError.Required("spec.names.kind"));
        }
        else if (NameValidation.IsDns1035Label(kind.ToLowerInvariant()) is { Count: > 0 } e3)
        {
            errors.Add(FieldError.Invalid("spec.names.kind", kind, "may have mixed case, but should otherwise match: " + string.Join(",", e3)));
        }

        if (listKind.Length != 0 && NameValidation.IsDns1035Label(listKind.ToLowerInvariant()) is { Count: > 0 } e4)
        {
            errors.Add(FieldError.Invalid("spec.names.listKind", listKind, "may have mixed case, but should otherwise match: " + string.Join(",", e4)));
        }

        for (int i = 0; i < shortNames.Count; i++)
        {
            if (NameValidation.IsDns1035Label(shortNames[i]) is { Count: > 0 } e5)
            {
                errors.Add(FieldError.Invalid("spec.names.shortNames[" + i + "]", shortNames[i], string.Join(",", e5)));
            }
        }

        if (kind.Length != 0 && kind == listKind)
        {
            errors.Add(FieldError.Invalid("spec.names.listKind", listKind, "kind and listKind may not be the same"));
        }

        for (int i = 0; i < categories.Count; i++)
        {
            if (NameValidation.IsDns1035Label(categories[i]) is { Count: > 0 } e6)
            {
                errors.Add(FieldError.Invalid("spec.names.categories[" + i + "]", categories[i], string.Join(",", e6)));
            }
        }

        return new CrdNames(kind, plural, singular, listKind, shortNames, categories);
    }

    private static List<CrdVersion> ParseVersions(JsonObject spec, List<FieldError> errors)
    {
        var result = new List<CrdVersion>();
        if (spec["versions"] is not JsonArray versions || versions.Count == 0)
        {
            errors.Add(FieldError.Required("spec.versions", "must have exactly one version marked as storage version"));
            return result;
        }

        var seen = new HashSet<string>(StringComparer.Ordinal);
        bool unique = true;
        int storageCount = 0;
        for (int i = 0; i < versions.Count; i++)
        {
            string vp = "spec.versions[" + i.ToString(CultureInfo.InvariantCulture) + "]";
            if (versions[i] is not JsonObject v)
            {
                errors.Add(FieldError.Invalid(vp, versions[i]?.DeepClone(), "must be an object"));
                continue;
            }

            string vname = JsonData.GetString(v["name"]) ?? string.Empty;
            if (vname.Length == 0)
            {
                errors.Add(FieldError.Required(vp + ".name"));
            }
            else if (NameValidation.IsDns1035Label(vname) is { Count: > 0 } verrs)
            {
                errors.Add(FieldError.Invalid(vp + ".name", vname, string.Join(",", verrs)));
            }

            unique &= seen.Add(vname);
            bool served = v["served"] is JsonNode sv && JsonData.KindOf(sv) == JsonKind.Bool && JsonData.GetBool(sv);
            bool storage = v["storage"] is JsonNode st && JsonData.KindOf(st) == JsonKind.Bool && JsonData.GetBool(st);
            bool deprecated = v["deprecated"] is JsonNode dp && JsonData.KindOf(dp) == JsonKind.Bool && JsonData.GetBool(dp);
            if (storage)
            {
                storageCount++;
            }

            var schema = v["schema"]?["openAPIV3Schema"] as JsonObject;
            StructuralSchema? structural = null;
            string sp = vp + ".schema.openAPIV3Schema";
            if (schema is null)
            {
                errors.Add(FieldError.Required(sp, served ? "because otherwise all fields are pruned" : string.Empty));
            }
            else
            {
                int before = errors.Count;
                var userSchema = StructuralSchema.Parse(schema, sp, errors, crdRules: true);
                CrdSchemaRules.Check(userSchema.Root, sp, errors);
                if (errors.Count == before)
                {
                    structural = StructuralSchema.Parse(KratixEffectiveSchema(schema), sp, errors, crdRules: false);
                }
            }

            result.Add(new CrdVersion(vname, served, storage, deprecated, JsonData.GetString(v["deprecationWarning"]), schema, structural));
        }

        if (!unique)
        {
            errors.Add(FieldError.Invalid("spec.versions", "", "must contain unique version names"));
        }

        if (storageCount != 1)
        {
            errors.Add(FieldError.Invalid("spec.versions", storageCount, "must have exactly one version marked as storage version"));
        }

        return result;
    }

    /// <summary>
    /// The schema as Kratix installs it: <c>metadata.name</c> gets <c>maxLength: 63</c> (ensureMetadataSchema) and
    /// <c>status</c> becomes an open object (setStatusFieldsOnCRD; Kratix owns status, and with the status subresource
    /// a create ignores it anyway).
    /// </summary>
    private static JsonObject KratixEffectiveSchema(JsonObject schema)
    {
        var copy = schema.DeepClone().AsObject();
        if (copy["properties"] is not JsonObject props)
        {
            props = [];
            copy["properties"] = props;
        }

        if (props["metadata"] is not JsonObject meta)
        {
            meta = new JsonObject { ["type"] = "object" };
            props["metadata"] = meta;
        }

        if (meta["properties"] is not JsonObject metaProps)
        {
            metaProps = [];
            meta["properties"] = metaProps;
        }

        if (metaProps["name"] is not JsonObject nameProp || JsonData.GetString(nameProp["type"]) is null)
        {
            nameProp = new JsonObject { ["type"] = "string" };
            metaProps["name"] = nameProp;
        }

        nameProp["maxLength"] = MaxResourceNameLength;
        props["status"] = new JsonObject { ["type"] = "object", ["x-kubernetes-preserve-unknown-fields"] = true };
        return copy;
    }

    private static List<string> StringList(JsonNode? n) =>
        n is JsonArray a ? a.Select(JsonData.GetString).Where(s => s is not null).Select(s => s!).ToList() : [];
}

/// <summary>A CustomResourceDefinition (a Promise's <c>spec.api</c>) that Kubernetes or Kratix would refuse.</summary>
public sealed class InvalidCustomResourceDefinitionException : KratixException
{
    internal InvalidCustomResourceDefinitionException(string name, IReadOnlyList<FieldError> errors)
        : base(
            "InvalidCustomResourceDefinition",
            KratixErrorCategory.InvalidData,
            "The CustomResourceDefinition " + (name.Length == 0 ? string.Empty : GoFormat.Quote(name) + " ") + "is invalid:"
                + Environment.NewLine + string.Join(Environment.NewLine, errors.Select(e => "  " + e)),
            name.Length == 0 ? null : name)
    {
        Errors = errors;
    }

    /// <summary>Every problem found.</summary>
    public IReadOnlyList<FieldError> Errors { get; }
}
