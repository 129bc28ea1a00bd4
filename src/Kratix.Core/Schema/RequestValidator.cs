using System.Security.Cryptography;
using System.Text.Json.Nodes;

namespace Kratix.Schema;

/// <summary>
/// Admits a resource request the way the Kubernetes API server admits a create of a custom resource whose CRD has
/// structural schemas, as Kratix installs the Promise's API.
/// </summary>
public static class RequestValidator
{
    private const string GeneratedNameChars = "bcdfghjklmnpqrstvwxz2456789";

    /// <summary>Validates and defaults a create with the default options (<see cref="FieldValidationMode.Strict"/>, as kubectl).</summary>
    public static ValidationResult Validate(JsonObject request, CustomResourceDefinition crd) => Validate(request, crd, null);

    /// <summary>
    /// Validates and defaults <paramref name="request"/> (a whole object: apiVersion, kind, metadata, spec, ...) in
    /// place, in the API server's order:
    /// <list type="number">
    /// <item>apiVersion and kind must name a served version of the CRD (nothing else is checked if they do not);</item>
    /// <item><c>status</c> is removed (Kratix enables the status subresource, so a create ignores it);</item>
    /// <item>decoding: <c>metadata</c> is decoded as ObjectMeta, unknown fields are pruned (including unknown
    /// <c>metadata</c> fields), null fields that are neither nullable nor defaulted are dropped. Under
    /// <see cref="FieldValidationMode.Strict"/> a duplicate key (<see cref="RequestValidationOptions.DecodingErrors"/>) or
    /// an unknown field refuses the request with the server's <c>strict decoding error</c>
    /// (<see cref="ValidationResult.DecodeError"/>); under <see cref="FieldValidationMode.Warn"/> each is a warning
    /// (<c>duplicate field "spec.a"</c>, <c>unknown field "spec.foo"</c>); under <see cref="FieldValidationMode.Ignore"/>
    /// nothing is said;</item>
    /// <item><c>metadata.generateName</c> without a name gets a name generated (prefix + 5 random characters);</item>
    /// <item>defaults are applied;</item>
    /// <item>metadata is checked (name: DNS-1123 subdomain of at most 63 characters; namespace: required, DNS-1123 label;
    /// labels, annotations, finalizers, owner references, managed fields), then the value is validated against the served
    /// version's schema, embedded resources, and list-type set/map uniqueness.</item>
    /// </list>
    /// Then the <c>x-kubernetes-validations</c> (CEL) rules run (<see cref="CelValidator"/>) unless a blocking error was
    /// found; rules that use <c>oldSelf</c> run only on an update (<see cref="RequestValidationOptions.OldObject"/>).
    /// A deprecated version adds the API server's deprecation warning.
    /// </summary>
    public static ValidationResult Validate(JsonObject request, CustomResourceDefinition crd, RequestValidationOptions? options)
    {
        ArgumentNullException.ThrowIfNull(request);
        ArgumentNullException.ThrowIfNull(crd);
        options ??= RequestValidationOptions.Default;
        var errors = new List<FieldError>();
        var warnings = new List<string>();

        if (UnrecognizedTypeMeta(request, crd) is { } unrecognized)
        {
            return new ValidationResult(errors, warnings, unrecognized);
        }

        var version = CheckTypeMeta(request, crd, errors);
        if (version is null)
        {
            return new ValidationResult(errors, warnings);
        }

        if (version.Deprecated)
        {
            warnings.Add(version.DeprecationWarning ?? DefaultDeprecationWarning(version, crd));
        }

        var schema = version.StructuralSchema!;
        var root = schema.Root;

        request.Remove("status");

        // Decoding: numbers the decoder cannot hold, ObjectMeta, pruning, nulls, embedded ObjectMeta. The first decoding
        // error is the server's 400 answer, and nothing else is checked.
        if (NonFiniteNumber(request) is { } bad)
        {
            return new ValidationResult(errors, warnings, bad);
        }

        var unknown = new List<string>();
        if (ObjectMeta.Coerce(request, string.Empty, unknown) is { } metaError)
        {
            return new ValidationResult(errors, warnings, CannotBeHandled(crd, version, metaError));
        }

        unknown.AddRange(SchemaPruner.Prune(request, schema, isResourceRoot: true));
        SchemaPruner.PruneNonNullableNullsWithoutDefaults(request, schema);
        var embeddedUnknown = new List<string>();
        if (EmbeddedResources.Coerce(request, root, embeddedUnknown) is { } embeddedError)
        {
            return new ValidationResult(errors, warnings, CannotBeHandled(crd, version, embeddedError));
        }

        embeddedUnknown.Sort(StringComparer.Ordinal);
        unknown.AddRange(embeddedUnknown);

        if (options.FieldValidation != FieldValidationMode.Ignore && (options.DecodingErrors.Count > 0 || unknown.Count > 0))
        {
            // schemaCoercingDecoder: the decoder's strict errors (duplicate keys) first, then every unknown field.
            var strict = new List<string>(options.DecodingErrors.Count + unknown.Count);
            strict.AddRange(options.DecodingErrors);
            foreach (var p in unknown)
            {
                strict.Add("unknown field " + GoFormat.Quote(p));
            }

            if (options.FieldValidation == FieldValidationMode.Strict)
            {
                return new ValidationResult(errors, warnings, CannotBeHandled(crd, version, "strict decoding error: " + string.Join(", ", strict)));
            }

            foreach (var e in strict)
            {
                warnings.AddRange(StrictDecodingWarnings(e));
            }
        }

        GenerateName(request);
        SchemaDefaulter.Default(request, schema);

        var old = options.OldObject;
        if (old is null)
        {
            ObjectMeta.ValidateForCreate(request["metadata"] as JsonObject, errors);
        }
        else
        {
            // An update: system fields come from the stored object, metadata is checked as an update.
            UpdateValidation.CarryOverSystemFields(request, old);
            UpdateValidation.ValidateObjectMetaUpdate(request["metadata"] as JsonObject, old["metadata"] as JsonObject, errors);
            ObjectMeta.ValidateCommon(request["metadata"] as JsonObject, "metadata", errors);
        }

        int schemaErrors = errors.Count;
        SchemaValidator.Validate(request, root, null, errors);
        if (old is not null)
        {
            // Ratcheting: schema errors on values unchanged from the stored object do not fail an update.
            UpdateValidation.Ratchet(errors, schemaErrors, request, old, root);
        }

        EmbeddedResources.Validate(request, root, errors);
        ListTypeValidator.Validate(request, root, errors);

        // x-kubernetes-validations, unless an error above blocks them; transition rules only on an update, where a
        // failed rule on an unchanged value is a warning (ratcheting).
        CelValidator.Validate(request, old, root, errors, old is null ? null : warnings);

        return new ValidationResult(errors, warnings);
    }

    /// <summary>
    /// A number that is not finite (a YAML <c>.inf</c> or <c>.nan</c>, or a literal beyond float64 such as 1e400):
    /// kubectl cannot encode such a request as JSON (<c>json: unsupported value: +Inf</c>), and the API server cannot
    /// decode one. Null when every number is finite.
    /// </summary>
    private static string? NonFiniteNumber(JsonNode? node)
    {
        switch (node)
        {
            case JsonObject o:
                foreach (var (_, v) in o)
                {
                    if (NonFiniteNumber(v) is { } e)
                    {
                        return e;
                    }
                }

                return null;
            case JsonArray a:
                foreach (var v in a)
                {
                    if (NonFiniteNumber(v) is { } e)
                    {
                        return e;
                    }
                }

                return null;
            case JsonValue v when v.GetValueKind() == System.Text.Json.JsonValueKind.Number && v.TryGetValue(out double d) && !double.IsFinite(d):
                return "json: unsupported value: " + (double.IsNaN(d) ? "NaN" : d > 0 ? "+Inf" : "-Inf");
            default:
                return null;
        }
    }

    /// <summary>
    /// Gives a request without <c>metadata.namespace</c> the namespace <paramref name="ns"/>, as kubectl does with its
    /// context's namespace. Metadata that is not an object is left as it is, for the decoder to refuse.
    /// </summary>
    public static void DefaultNamespace(JsonObject request, string ns)
    {
        ArgumentNullException.ThrowIfNull(request);
        switch (request["metadata"])
        {
            case null:
                request["metadata"] = new JsonObject { ["namespace"] = ns };
                break;
            case JsonObject meta when meta["namespace"] is null:
                meta["namespace"] = ns;
                break;
        }
    }

    /// <summary>The API server's 400 for a body it cannot decode (handlers.transformDecodeError, kind known).</summary>
    internal static string CannotBeHandled(CustomResourceDefinition crd, CrdVersion version, string error) =>
        crd.Names.Kind + " in version " + GoFormat.Quote(version.Name) + " cannot be handled as a " + crd.Names.Kind + ": " + error;

    /// <summary>handlers.parseYAMLWarnings: a go-yaml error becomes one warning per line; any other error is one warning.</summary>
    private static IEnumerable<string> StrictDecodingWarnings(string error)
    {
        const string shortPrefix = "yaml: unmarshal errors:\n";
        const string longPrefix = "error converting YAML to JSON: yaml: unmarshal errors:\n";
        string rest;
        if (error.StartsWith(shortPrefix, StringComparison.Ordinal))
        {
            rest = error.Substring(shortPrefix.Length);
        }
        else if (error.StartsWith(longPrefix, StringComparison.Ordinal))
        {
            rest = error.Substring(longPrefix.Length);
        }
        else
        {
            return [error];
        }

        return rest.Split('\n').Select(l => l.Trim(' ', '\t', '\r', '\v', '\f'));
    }

    /// <summary>
    /// An apiVersion or kind that is not a string: the server's JSON decoder cannot even read the object's kind
    /// (runtime json.Serializer's Interpret), and answers <c>the object provided is unrecognized (must be of type
    /// &lt;Kind&gt;): json: cannot unmarshal number into Go struct field .kind of type string ({"apiVersion":...)</c>,
    /// the body as kubectl sends it (keys sorted), cut to 30 bytes.
    /// </summary>
    private static string? UnrecognizedTypeMeta(JsonObject request, CustomResourceDefinition crd)
    {
        foreach (var k in new[] { "apiVersion", "kind" })
        {
            if (request[k] is JsonNode v && JsonData.KindOf(v) != JsonKind.String)
            {
                string body = GoFormat.MarshalJson(request);
                string summary = body.Length > 30 ? body.Substring(0, 30) + " ..." : body;
                return "the object provided is unrecognized (must be of type " + crd.Names.Kind + "): json: cannot unmarshal "
                    + GoJsonObjectMeta.GoKind(v) + " into Go struct field ." + k + " of type string (" + summary + ")";
            }
        }

        return null;
    }

    private static CrdVersion? CheckTypeMeta(JsonObject request, CustomResourceDefinition crd, List<FieldError> errors)
    {
        var apiVersionNode = request["apiVersion"];
        var kindNode = request["kind"];
        string? apiVersion = JsonData.GetString(apiVersionNode);
        string? kind = JsonData.GetString(kindNode);
        var served = crd.Versions.Where(v => v.Served).Select(v => crd.Group + "/" + v.Name).ToList();

        if (kindNode is null)
        {
            errors.Add(FieldError.Required("kind", "must be " + crd.Names.Kind));
        }
        else if (kind != crd.Names.Kind)
        {
            errors.Add(FieldError.Invalid("kind", kind ?? (object)kindNode.DeepClone(), "must be " + crd.Names.Kind));
        }

        CrdVersion? version = null;
        if (apiVersionNode is null)
        {
            errors.Add(FieldError.Required("apiVersion", "must be one of " + string.Join(", ", served)));
        }
        else
        {
            int slash = apiVersion?.IndexOf('/') ?? -1;
            if (apiVersion is not null && slash > 0 && apiVersion.AsSpan(0, slash).SequenceEqual(crd.Group))
            {
                version = crd.FindServedVersion(apiVersion.Substring(slash + 1));
            }

            if (version is null)
            {
                errors.Add(FieldError.NotSupported("apiVersion", apiVersion ?? (object)apiVersionNode.DeepClone(), served));
            }
        }

        return errors.Count == 0 ? version : null;
    }

    /// <summary>The API server's default warning for a deprecated CRD version.</summary>
    private static string DefaultDeprecationWarning(CrdVersion version, CustomResourceDefinition crd)
    {
        string msg = crd.Group + "/" + version.Name + " " + crd.Names.Kind + " is deprecated";
        var newer = crd.Versions
            .Where(v => v.Served && !v.Deprecated && KubeVersion.Compare(version.Name, v.Name) < 0)
            .Select(v => v.Name)
            .OrderByDescending(v => v, Comparer<string>.Create(KubeVersion.Compare))
            .FirstOrDefault();
        return newer is null ? msg : msg + "; use " + crd.Group + "/" + newer + " " + crd.Names.Kind;
    }

    /// <summary>Names the object from generateName, as the API server does before validating a create.</summary>
    private static void GenerateName(JsonObject request)
    {
        if (request["metadata"] is not JsonObject meta)
        {
            return;
        }

        string name = JsonData.GetString(meta["name"]) ?? string.Empty;
        string generateName = JsonData.GetString(meta["generateName"]) ?? string.Empty;
        if (name.Length != 0 || generateName.Length == 0)
        {
            return;
        }

        string prefix = generateName.Length > 58 ? generateName.Substring(0, 58) : generateName;
        var chars = new char[5];
        for (int i = 0; i < chars.Length; i++)
        {
            chars[i] = GeneratedNameChars[RandomNumberGenerator.GetInt32(GeneratedNameChars.Length)];
        }

        meta["name"] = prefix + new string(chars);
    }
}

/// <summary>Kubernetes' ordering of version names (v2 &gt; v1 &gt; v1beta2 &gt; v1beta1 &gt; v1alpha1 &gt; others).</summary>
internal static class KubeVersion
{
    public static int Compare(string v1, string v2)
    {
        if (v1 == v2)
        {
            return 0;
        }

        bool ok1 = Parse(v1, out int major1, out int type1, out int minor1);
        bool ok2 = Parse(v2, out int major2, out int type2, out int minor2);
        if (!ok1 && !ok2)
        {
            return string.CompareOrdinal(v2, v1);
        }

        if (!ok1)
        {
            return -1;
        }

        if (!ok2)
        {
            return 1;
        }

        if (type1 != type2)
        {
            return type1 - type2;
        }

        return major1 != major2 ? major1 - major2 : minor1 - minor2;
    }

    private static bool Parse(string v, out int major, out int type, out int minor)
    {
        major = type = minor = 0;
        var m = System.Text.RegularExpressions.Regex.Match(v, "^v([0-9]+)(?:(alpha|beta)([0-9]+))?$");
        if (!m.Success || !int.TryParse(m.Groups[1].Value, out major))
        {
            return false;
        }

        if (!m.Groups[2].Success)
        {
            type = 2;
            return true;
        }

        type = m.Groups[2].Value == "alpha" ? 0 : 1;
        return int.TryParse(m.Groups[3].Value, out minor);
    }
}
