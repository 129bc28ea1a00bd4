using System.Text.Json.Nodes;
using Kratix.Schema;

namespace Kratix.ApiServerDouble;

/// <summary>
/// CustomResourceDefinitions: the checks the API server makes of a CRD (names, scope, versions, structural schemas
/// through the engine's schema parser), the type a CRD serves once established, and the status the apiextensions
/// controllers give it (NamesAccepted, Established, Terminating, acceptedNames, storedVersions).
/// </summary>
internal static class Crds
{
    public const string CleanupFinalizer = "customresourcecleanup.apiextensions.k8s.io";

    public static ResourceType Type { get; } = new()
    {
        Group = "apiextensions.k8s.io", Versions = ["v1"], StorageVersion = "v1", Plural = "customresourcedefinitions",
        Singular = "customresourcedefinition", Kind = "CustomResourceDefinition", Namespaced = false, ShortNames = ["crd", "crds"],
        HasStatus = true, TracksGeneration = true, Behaviour = new CrdBehaviour(),
        Columns = new Dictionary<string, IReadOnlyList<PrinterColumn>> { ["v1"] = [new PrinterColumn("Created At", "date", ".metadata.creationTimestamp")] },
    };

    /// <summary>The type an established CRD serves, or null if it serves none (not established, no served version).</summary>
    public static ResourceType? ToResourceType(JsonObject crd) => Build(crd);

    private static ResourceType? Build(JsonObject crd)
    {
        if (!IsConditionTrue(crd, "Established"))
        {
            return null;
        }

        var spec = crd["spec"]!.AsObject();
        var names = spec["names"]!.AsObject();
        var versions = spec["versions"]!.AsArray().OfType<JsonObject>().ToList();
        var served = versions.Where(v => Json.True(v["served"])).ToList();
        if (served.Count == 0)
        {
            return null;
        }

        string storage = Json.Str(versions.First(v => Json.True(v["storage"]))["name"])!;
        var schemas = new Dictionary<string, StructuralSchema>(StringComparer.Ordinal);
        var columns = new Dictionary<string, IReadOnlyList<PrinterColumn>>(StringComparer.Ordinal);
        bool status = false;
        foreach (var v in served)
        {
            string vn = Json.Str(v["name"])!;
            var errors = new List<FieldError>();
            schemas[vn] = ApiServerAdmission.ParseCrdSchema(v["schema"]!["openAPIV3Schema"]!.AsObject(), "openAPIV3Schema", errors)
                ?? throw new InvalidOperationException("an established CRD has an invalid schema");
            status |= v["subresources"]?["status"] is JsonObject;
            var cols = new List<PrinterColumn>();
            if (v["additionalPrinterColumns"] is JsonArray apc && apc.Count > 0)
            {
                foreach (var c in apc.OfType<JsonObject>())
                {
                    cols.Add(new PrinterColumn(Json.Str(c["name"]) ?? string.Empty, Json.Str(c["type"]) ?? "string", Json.Str(c["jsonPath"]) ?? string.Empty,
                        Json.Str(c["description"]) ?? string.Empty, (int)Json.Long(c["priority"]), Json.Str(c["format"]) ?? string.Empty));
                }
            }
            else
            {
                cols.Add(new PrinterColumn("Age", "date", ".metadata.creationTimestamp"));
            }

            columns[vn] = cols;
        }

        var selectable = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var v in served)
        {
            if (v["selectableFields"] is JsonArray sf)
            {
                foreach (var f in sf)
                {
                    string path = Json.Str(f?["jsonPath"]) ?? string.Empty;
                    selectable[path.TrimStart('.')] = path;
                }
            }
        }

        string kind = Json.Str(names["kind"])!;
        return new ResourceType
        {
            Group = Json.Str(spec["group"])!,
            Versions = [.. served.Select(v => Json.Str(v["name"])!).OrderBy(v => v == storage ? 0 : 1)],
            StorageVersion = storage,
            Plural = Json.Str(names["plural"])!,
            Singular = Json.Str(names["singular"]) ?? kind.ToLowerInvariant(),
            Kind = kind,
            Namespaced = Json.Str(spec["scope"]) == "Namespaced",
            ShortNames = Json.StringList(names["shortNames"]),
            Categories = Json.StringList(names["categories"]),
            HasStatus = status,
            TracksGeneration = true,
            Columns = columns,
            SelectableFields = selectable,
            Schemas = schemas,
            CrdName = Json.Name(crd),
            Terminating = crd["metadata"]?["deletionTimestamp"] is not null,
            Behaviour = CustomResourceBehaviour.Instance,
        };
    }

    public static bool IsConditionTrue(JsonObject obj, string type) =>
        obj["status"]?["conditions"] is JsonArray conditions
        && conditions.Any(c => Json.Str(c?["type"]) == type && Json.Str(c?["status"]) == "True");

    /// <summary>
    /// The status the apiextensions controllers give <paramref name="crd"/>: NamesAccepted (unless another CRD of the
    /// group already has the plural or kind), Established once names are accepted, acceptedNames and storedVersions.
    /// (Terminating is added by the cleanup controller.)
    /// </summary>
    public static JsonObject ComputeStatus(JsonObject crd, IEnumerable<JsonObject> others, string now)
    {
        var spec = crd["spec"]!.AsObject();
        var names = spec["names"]!.AsObject();
        string group = Json.Str(spec["group"])!;
        string plural = Json.Str(names["plural"])!;
        string kind = Json.Str(names["kind"])!;
        var old = crd["status"] as JsonObject;
        string? conflict = null;
        foreach (var other in others)
        {
            if (Json.Name(other) == Json.Name(crd) || Json.Str(other["spec"]?["group"]) != group || !IsConditionTrue(other, "NamesAccepted"))
            {
                continue;
            }

            var accepted = other["status"]?["acceptedNames"];
            if (Json.Str(accepted?["plural"]) == plural || Json.StringList(accepted?["shortNames"]).Contains(plural))
            {
                conflict = "PluralConflict:\"" + plural + "\" is already in use";
            }
            else if (Json.Str(accepted?["kind"]) == kind)
            {
                conflict = "KindConflict:\"" + kind + "\" is already in use";
            }
        }

        bool wasEstablished = IsConditionTrue(crd, "Established");
        var conditions = new JsonArray();
        if (conflict is null)
        {
            conditions.Add(Condition(old, "NamesAccepted", "True", "NoConflicts", "no conflicts found", now));
            conditions.Add(Condition(old, "Established", "True", "InitialNamesAccepted", "the initial names have been accepted", now));
        }
        else
        {
            string[] parts = conflict.Split(':', 2);
            conditions.Add(Condition(old, "NamesAccepted", "False", parts[0], parts[1], now));
            conditions.Add(Condition(old, "Established", wasEstablished ? "True" : "False", wasEstablished ? "InitialNamesAccepted" : "NotAccepted",
                wasEstablished ? "the initial names have been accepted" : "not all names are accepted", now));
        }

        var storedVersions = old?["storedVersions"] is JsonArray sv ? Json.StringList(sv) : [];
        string storage = Json.Str(spec["versions"]!.AsArray().OfType<JsonObject>().First(v => Json.True(v["storage"]))["name"])!;
        if (!storedVersions.Contains(storage))
        {
            storedVersions.Add(storage);
        }

        var acceptedNames = conflict is null ? names.DeepClone() : old?["acceptedNames"]?.DeepClone() ?? new JsonObject { ["plural"] = string.Empty, ["kind"] = string.Empty };
        return new JsonObject
        {
            ["conditions"] = conditions,
            ["acceptedNames"] = acceptedNames,
            ["storedVersions"] = new JsonArray(storedVersions.Select(v => (JsonNode?)v).ToArray()),
        };
    }

    private static JsonObject Condition(JsonObject? oldStatus, string type, string status, string reason, string message, string now)
    {
        var previous = (oldStatus?["conditions"] as JsonArray)?.OfType<JsonObject>().FirstOrDefault(c => Json.Str(c["type"]) == type);
        string time = previous is not null && Json.Str(previous["status"]) == status ? Json.Str(previous["lastTransitionTime"]) ?? now : now;
        return new JsonObject { ["type"] = type, ["status"] = status, ["lastTransitionTime"] = time, ["reason"] = reason, ["message"] = message };
    }

    private sealed class CrdBehaviour : KindBehaviour
    {
        private static readonly string[] Known = ["spec", "status"];

        public override void PrepareForCreate(JsonObject obj)
        {
            var meta = Json.Meta(obj);
            var finalizers = meta["finalizers"] as JsonArray ?? [];
            if (!Json.StringList(finalizers).Contains(CleanupFinalizer))
            {
                finalizers.Add(CleanupFinalizer);
            }

            meta["finalizers"] = finalizers;
            obj["status"] = new JsonObject { ["conditions"] = new JsonArray(), ["acceptedNames"] = new JsonObject { ["plural"] = string.Empty, ["kind"] = string.Empty }, ["storedVersions"] = new JsonArray() };
        }

        public override void Admit(ResourceType type, string version, JsonObject obj, JsonObject? old, List<FieldError> errors, List<string> warnings)
        {
            BuiltInKinds.PruneTopLevel(obj, Known, warnings);
            ApiServerAdmission.ValidateObjectMeta(obj["metadata"] as JsonObject, false, errors);
            if (obj["spec"] is not JsonObject spec)
            {
                errors.Add(E("spec", FieldErrorType.Required, null));
                return;
            }

            string group = Json.Str(spec["group"]) ?? string.Empty;
            if (group.Length == 0)
            {
                errors.Add(E("spec.group", FieldErrorType.Required, null));
            }
            else if (ApiServerAdmission.Dns1123SubdomainErrors(group) is { Count: > 0 } ge)
            {
                errors.Add(E("spec.group", FieldErrorType.Invalid, group, string.Join(",", ge)));
            }
            else if (!group.Contains('.'))
            {
                errors.Add(E("spec.group", FieldErrorType.Invalid, group, "should be a domain with at least one dot"));
            }

            var names = spec["names"] as JsonObject;
            if (names is null)
            {
                errors.Add(E("spec.names.plural", FieldErrorType.Required, null));
                errors.Add(E("spec.names.kind", FieldErrorType.Required, null));
                names = [];
            }

            string plural = Json.Str(names["plural"]) ?? string.Empty;
            string kind = Json.Str(names["kind"]) ?? string.Empty;
            if (kind.Length > 0)
            {
                names["singular"] ??= kind.ToLowerInvariant();
                names["listKind"] ??= kind + "List";
            }

            CheckName(plural, "spec.names.plural", errors, required: true, lower: false);
            CheckName(Json.Str(names["singular"]) ?? string.Empty, "spec.names.singular", errors, required: false, lower: false);
            CheckName(kind, "spec.names.kind", errors, required: true, lower: true);
            CheckName(Json.Str(names["listKind"]) ?? string.Empty, "spec.names.listKind", errors, required: false, lower: true);
            var shortNames = Json.StringList(names["shortNames"]);
            for (int i = 0; i < shortNames.Count; i++)
            {
                CheckName(shortNames[i], "spec.names.shortNames[" + i + "]", errors, required: false, lower: false);
            }

            string name = Json.Name(obj);
            if (name.Length > 0 && plural.Length > 0 && group.Length > 0 && name != plural + "." + group)
            {
                errors.Add(E("metadata.name", FieldErrorType.Invalid, name, "must be spec.names.plural+\".\"+spec.group"));
            }

            string scope = Json.Str(spec["scope"]) ?? string.Empty;
            if (scope.Length == 0)
            {
                errors.Add(E("spec.scope", FieldErrorType.Required, null));
            }
            else if (scope is not ("Namespaced" or "Cluster"))
            {
                errors.Add(E("spec.scope", FieldErrorType.NotSupported, scope, "supported values: \"Cluster\", \"Namespaced\""));
            }

            if (Json.True(spec["preserveUnknownFields"]))
            {
                errors.Add(E("spec.preserveUnknownFields", FieldErrorType.Invalid, true, "cannot set to true, set x-kubernetes-preserve-unknown-fields to true in spec.versions[*].schema instead"));
            }

            spec["conversion"] ??= new JsonObject { ["strategy"] = "None" };
            CheckVersions(spec, errors);

            if (old is not null)
            {
                string oldScope = Json.Str(old["spec"]?["scope"]) ?? string.Empty;
                if (scope != oldScope)
                {
                    errors.Add(E("spec.scope", FieldErrorType.Invalid, scope, "field is immutable"));
                }

                var versionNames = (spec["versions"] as JsonArray)?.Select(v => Json.Str(v?["name"])).ToHashSet() ?? [];
                var stored = Json.StringList(obj["status"]?["storedVersions"]);
                for (int i = 0; i < stored.Count; i++)
                {
                    if (!versionNames.Contains(stored[i]))
                    {
                        errors.Add(E("status.storedVersions[" + i + "]", FieldErrorType.Invalid, stored[i], "must appear in spec.versions"));
                    }
                }
            }
        }

        private static void CheckVersions(JsonObject spec, List<FieldError> errors)
        {
            if (spec["versions"] is not JsonArray versions || versions.Count == 0)
            {
                errors.Add(E("spec.versions", FieldErrorType.Invalid, null, "must have exactly one version marked as storage version"));
                return;
            }

            int storage = 0;
            var seen = new HashSet<string>(StringComparer.Ordinal);
            for (int i = 0; i < versions.Count; i++)
            {
                string vp = "spec.versions[" + i + "]";
                if (versions[i] is not JsonObject v)
                {
                    errors.Add(E(vp, FieldErrorType.Invalid, null, "must be an object"));
                    continue;
                }

                string vn = Json.Str(v["name"]) ?? string.Empty;
                if (vn.Length == 0)
                {
                    errors.Add(E(vp + ".name", FieldErrorType.Required, null));
                }
                else if (ApiServerAdmission.Dns1035LabelErrors(vn) is { Count: > 0 } ve)
                {
                    errors.Add(E(vp + ".name", FieldErrorType.Invalid, vn, string.Join(",", ve)));
                }
                else if (!seen.Add(vn))
                {
                    errors.Add(E("spec.versions", FieldErrorType.Invalid, null, "must contain unique version names"));
                }

                v["served"] ??= false;
                v["storage"] ??= false;
                if (Json.True(v["storage"]))
                {
                    storage++;
                }

                if (v["schema"]?["openAPIV3Schema"] is JsonObject schema)
                {
                    ApiServerAdmission.ParseCrdSchema(schema, vp + ".schema.openAPIV3Schema", errors);
                }
                else
                {
                    errors.Add(E(vp + ".schema.openAPIV3Schema", FieldErrorType.Required, null, "schemas are required"));
                }

                if (v["subresources"]?["status"] is JsonNode statusSub && statusSub is not JsonObject)
                {
                    errors.Add(E(vp + ".subresources.status", FieldErrorType.Invalid, null, "must be an object"));
                }
            }

            if (storage != 1)
            {
                errors.Add(E("spec.versions", FieldErrorType.Invalid, storage, "must have exactly one version marked as storage version"));
            }
        }

        private static void CheckName(string value, string field, List<FieldError> errors, bool required, bool lower)
        {
            if (value.Length == 0)
            {
                if (required)
                {
                    errors.Add(E(field, FieldErrorType.Required, null));
                }

                return;
            }

            var msgs = ApiServerAdmission.Dns1035LabelErrors(lower ? value.ToLowerInvariant() : value);
            if (msgs.Count > 0)
            {
                errors.Add(E(field, FieldErrorType.Invalid, value, (lower ? "may have mixed case, but should otherwise match: " : string.Empty) + string.Join(",", msgs)));
            }
        }

        private static FieldError E(string field, FieldErrorType type, object? value, string detail = "") => ApiServerAdmission.Error(field, type, value, detail);
    }
}
