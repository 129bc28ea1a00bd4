using System.Text.Json.Nodes;

namespace Kratix.Schema;

/// <summary>
/// The API server's own checks of custom resources and CRDs, without Kratix's additions (no Namespaced-only rule for
/// CRDs, no 63-character limit on names, no open <c>status</c>): the entry point the API server test double
/// (tests/Kratix.ApiServerDouble) uses to validate objects against upstream Kratix's CRDs and any CRD installed through
/// it. <see cref="RequestValidator"/> remains the entry point for Kratix's own admission of resource requests.
/// </summary>
public static class ApiServerAdmission
{
    /// <summary>
    /// Parses one version's <c>schema.openAPIV3Schema</c> as the API server checks it when a CRD is created or updated
    /// (structural schema and CRD rules), with every problem's field path below <paramref name="basePath"/>
    /// (e.g. <c>spec.versions[0].schema.openAPIV3Schema</c>). Returns null when there is a problem.
    /// </summary>
    public static StructuralSchema? ParseCrdSchema(JsonObject openApiV3Schema, string basePath, List<FieldError> errors)
    {
        ArgumentNullException.ThrowIfNull(openApiV3Schema);
        ArgumentNullException.ThrowIfNull(errors);
        int before = errors.Count;
        var userSchema = StructuralSchema.Parse(openApiV3Schema, basePath, errors, crdRules: true);
        CrdSchemaRules.Check(userSchema.Root, basePath, errors);
        if (errors.Count != before)
        {
            return null;
        }

        return StructuralSchema.Parse(openApiV3Schema, basePath, errors, crdRules: false);
    }

    /// <summary>
    /// Decodes, prunes, defaults and validates a whole custom resource in place, as the API server does for a create or
    /// an update once it has settled metadata, name and status: ObjectMeta decoding (unknown metadata fields dropped),
    /// pruning of unknown fields (each one a warning <c>unknown field "spec.foo"</c>), nulls, embedded resources,
    /// defaults, then ObjectMeta validation (name, namespace as the scope requires, labels, annotations, finalizers),
    /// the schema, embedded resources and list types. <c>x-kubernetes-validations</c> (CEL) rules are not evaluated.
    /// </summary>
    /// <param name="obj">The object (apiVersion, kind, metadata, ...); changed in place.</param>
    /// <param name="schema">The served version's structural schema.</param>
    /// <param name="namespaced">Whether the CRD's scope is Namespaced (a namespace is required) or Cluster (none allowed).</param>
    public static ValidationResult AdmitCustomResource(JsonObject obj, StructuralSchema schema, bool namespaced)
    {
        ArgumentNullException.ThrowIfNull(obj);
        ArgumentNullException.ThrowIfNull(schema);
        var errors = new List<FieldError>();
        var unknown = new List<string>();
        // A body the decoder cannot take (metadata of the wrong type, an embedded object's bad metadata) is a 400, and
        // nothing else is checked: the Go decoder's message is DecodeError.
        if (ObjectMeta.Coerce(obj, string.Empty, unknown) is { } metaError)
        {
            return new ValidationResult(errors, [], metaError);
        }

        unknown.AddRange(SchemaPruner.Prune(obj, schema, isResourceRoot: true));
        SchemaPruner.PruneNonNullableNullsWithoutDefaults(obj, schema);
        var embeddedUnknown = new List<string>();
        if (EmbeddedResources.Coerce(obj, schema.Root, embeddedUnknown) is { } embeddedError)
        {
            return new ValidationResult(errors, [], embeddedError);
        }

        embeddedUnknown.Sort(StringComparer.Ordinal);
        unknown.AddRange(embeddedUnknown);
        var warnings = unknown.Select(p => "unknown field " + GoFormat.Quote(p)).ToList();
        if (errors.Count > 0)
        {
            return new ValidationResult(errors, warnings);
        }

        SchemaDefaulter.Default(obj, schema);
        ValidateObjectMeta(obj["metadata"] as JsonObject, namespaced, errors);
        SchemaValidator.Validate(obj, schema.Root, null, errors);
        EmbeddedResources.Validate(obj, schema.Root, errors);
        ListTypeValidator.Validate(obj, schema.Root, errors);
        return new ValidationResult(errors, warnings);
    }

    /// <summary>
    /// ValidateObjectMeta for any object: name (a DNS-1123 subdomain unless <paramref name="nameRule"/> says otherwise),
    /// namespace as the scope requires, generation, labels, annotations and finalizers.
    /// </summary>
    public static void ValidateObjectMeta(JsonObject? meta, bool namespaced, List<FieldError> errors, Func<string, IReadOnlyList<string>>? nameRule = null)
    {
        ArgumentNullException.ThrowIfNull(errors);
        string name = JsonData.GetString(meta?["name"]) ?? string.Empty;
        if (name.Length == 0)
        {
            errors.Add(FieldError.Required("metadata.name", "name or generateName is required"));
        }
        else
        {
            foreach (var msg in nameRule?.Invoke(name) ?? NameValidation.IsDns1123Subdomain(name))
            {
                errors.Add(FieldError.Invalid("metadata.name", name, msg));
            }
        }

        string ns = JsonData.GetString(meta?["namespace"]) ?? string.Empty;
        if (namespaced)
        {
            if (ns.Length == 0)
            {
                errors.Add(FieldError.Required("metadata.namespace"));
            }
            else
            {
                foreach (var msg in NameValidation.IsDns1123Label(ns))
                {
                    errors.Add(FieldError.Invalid("metadata.namespace", ns, msg));
                }
            }
        }
        else if (ns.Length != 0)
        {
            errors.Add(FieldError.Forbidden("metadata.namespace", "not allowed on this type"));
        }

        ObjectMeta.ValidateCommon(meta, "metadata", errors);
    }

    /// <summary>Kubernetes' IsDNS1123Subdomain: the messages for a name that is not one (empty when it is).</summary>
    public static IReadOnlyList<string> Dns1123SubdomainErrors(string value) => NameValidation.IsDns1123Subdomain(value);

    /// <summary>Kubernetes' IsDNS1123Label: the messages for a name that is not one (empty when it is).</summary>
    public static IReadOnlyList<string> Dns1123LabelErrors(string value) => NameValidation.IsDns1123Label(value);

    /// <summary>Kubernetes' IsDNS1035Label: the messages for a name that is not one (empty when it is).</summary>
    public static IReadOnlyList<string> Dns1035LabelErrors(string value) => NameValidation.IsDns1035Label(value);

    /// <summary>Kubernetes' IsQualifiedName (label and annotation keys, finalizers).</summary>
    public static IReadOnlyList<string> QualifiedNameErrors(string value) => NameValidation.IsQualifiedName(value);

    /// <summary>A field error of the given kind, for callers outside the engine (the API server double's built-in kinds).</summary>
    public static FieldError Error(string field, FieldErrorType type, object? badValue, string detail = "") =>
        type switch
        {
            FieldErrorType.Required => FieldError.Required(field, detail),
            FieldErrorType.Forbidden => FieldError.Forbidden(field, detail),
            _ => new FieldError(field, type, badValue, detail),
        };

    /// <summary>Go's %q of a string, as Kubernetes messages quote names and values.</summary>
    public static string Quote(string value) => GoFormat.Quote(value);
}
