using System.Text.Json.Nodes;

namespace Kratix.Schema;

/// <summary>
/// The API server's handling of <c>metadata</c> (ObjectMeta) for custom resources: decoding (unknown fields dropped
/// with an <c>unknown field "metadata.x"</c> warning, wrongly typed fields refused) and the create-time checks of
/// <c>ValidateObjectMeta</c> (name, namespace, labels, annotations, finalizers).
/// </summary>
internal static class ObjectMeta
{
    /// <summary>
    /// Decodes <c>metadata</c> as the API server's objectmeta.GetObjectMetaWithOptions does: the first Go decoding error
    /// (a wrong type anywhere in ObjectMeta) is returned, as the server returns it (it then answers 400 Bad Request);
    /// otherwise unknown fields (also inside ownerReferences and managedFields entries) are dropped, their paths added to
    /// <paramref name="unknownFields"/> in the order the server finds them (the keys sorted, as it re-encodes the map),
    /// and the value is normalised as the decoded ObjectMeta is written back (nulls dropped, null label and annotation
    /// values made "").
    /// </summary>
    public static string? Coerce(JsonObject parent, string prefix, List<string> unknownFields)
    {
        if (!parent.TryGetPropertyValue("metadata", out var meta) || meta is null)
        {
            return null;
        }

        if (GoJsonObjectMeta.Decode(meta) is { } error)
        {
            return error;
        }

        string mp = prefix.Length == 0 ? "metadata" : prefix + ".metadata";
        var m = (JsonObject)meta;
        List<string>? remove = null;
        foreach (var (k, v) in m.OrderBy(kv => kv.Key, StringComparer.Ordinal))
        {
            if (!GoJsonObjectMeta.IsField(k))
            {
                (remove ??= []).Add(k);
                unknownFields.Add(mp + "." + k);
                continue;
            }

            if (v is null)
            {
                (remove ??= []).Add(k);
                continue;
            }

            switch (k)
            {
                case "labels" or "annotations":
                    foreach (var key in ((JsonObject)v).Where(kv => kv.Value is null).Select(kv => kv.Key).ToList())
                    {
                        v[key] = string.Empty;
                    }

                    break;
                case "finalizers":
                    var list = (JsonArray)v;
                    for (int i = 0; i < list.Count; i++)
                    {
                        list[i] ??= string.Empty;
                    }

                    break;
                case "ownerReferences":
                    PruneEntries((JsonArray)v, mp + ".ownerReferences", OwnerReferenceFields, unknownFields);
                    break;
                case "managedFields":
                    PruneEntries((JsonArray)v, mp + ".managedFields", ManagedFieldsFields, unknownFields);
                    break;
            }
        }

        if (remove is not null)
        {
            foreach (var k in remove)
            {
                m.Remove(k);
            }
        }

        return null;
    }

    private static readonly HashSet<string> OwnerReferenceFields = new(StringComparer.Ordinal) { "apiVersion", "kind", "name", "uid", "controller", "blockOwnerDeletion" };

    private static readonly HashSet<string> ManagedFieldsFields = new(StringComparer.Ordinal) { "manager", "operation", "apiVersion", "time", "fieldsType", "fieldsV1", "subresource" };

    private static void PruneEntries(JsonArray list, string path, HashSet<string> fields, List<string> unknownFields)
    {
        for (int i = 0; i < list.Count; i++)
        {
            if (list[i] is not JsonObject entry)
            {
                list[i] = new JsonObject(); // null decodes as the zero struct
                continue;
            }

            foreach (var k in entry.Select(kv => kv.Key).OrderBy(k => k, StringComparer.Ordinal).ToList())
            {
                if (!fields.Contains(k))
                {
                    unknownFields.Add(path + "[" + i.ToString(System.Globalization.CultureInfo.InvariantCulture) + "]." + k);
                    entry.Remove(k);
                }
                else if (entry[k] is null)
                {
                    entry.Remove(k);
                }
            }
        }
    }

    /// <summary>ValidateObjectMeta for a create of a namespaced custom resource (name must be a DNS-1123 subdomain).</summary>
    public static void ValidateForCreate(JsonObject? meta, List<FieldError> errors)
    {
        string name = JsonData.GetString(meta?["name"]) ?? string.Empty;
        string generateName = JsonData.GetString(meta?["generateName"]) ?? string.Empty;
        if (generateName.Length != 0)
        {
            foreach (var msg in NameValidation.IsDns1123Subdomain(MaskTrailingDash(generateName)))
            {
                errors.Add(FieldError.Invalid("metadata.generateName", generateName, msg));
            }
        }

        if (name.Length == 0)
        {
            errors.Add(FieldError.Required("metadata.name", "name or generateName is required"));
        }
        else
        {
            foreach (var msg in NameValidation.IsDns1123Subdomain(name))
            {
                errors.Add(FieldError.Invalid("metadata.name", name, msg));
            }
        }

        string ns = JsonData.GetString(meta?["namespace"]) ?? string.Empty;
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

        ValidateCommon(meta, "metadata", errors);
    }

    /// <summary>Labels, annotations and finalizers (validateObjectMetaAccessorWithOptsCommon).</summary>
    public static void ValidateCommon(JsonObject? meta, string mp, List<FieldError> errors)
    {
        if (meta?["generation"] is JsonNode gen && JsonData.KindOf(gen) == JsonKind.Integer && JsonData.GetNumber(gen).Integer < 0)
        {
            errors.Add(FieldError.Invalid(mp + ".generation", gen.DeepClone(), "must be greater than or equal to 0"));
        }

        if (meta?["labels"] is JsonObject labels)
        {
            foreach (var (k, v) in labels)
            {
                foreach (var msg in NameValidation.IsQualifiedName(k))
                {
                    errors.Add(FieldError.Invalid(mp + ".labels", k, msg));
                }

                string value = JsonData.GetString(v) ?? string.Empty;
                foreach (var msg in NameValidation.IsLabelValue(value))
                {
                    errors.Add(FieldError.Invalid(mp + ".labels", value, msg));
                }
            }
        }

        if (meta?["annotations"] is JsonObject annotations)
        {
            long total = 0;
            foreach (var (k, v) in annotations)
            {
                foreach (var msg in NameValidation.IsQualifiedName(k.ToLowerInvariant()))
                {
                    errors.Add(FieldError.Invalid(mp + ".annotations", k, msg));
                }

                total += System.Text.Encoding.UTF8.GetByteCount(k) + System.Text.Encoding.UTF8.GetByteCount(JsonData.GetString(v) ?? string.Empty);
            }

            if (total > 256 * 1024)
            {
                errors.Add(FieldError.TooLong(mp + ".annotations", 256 * 1024));
            }
        }

        if (meta?["ownerReferences"] is JsonArray ownerReferences)
        {
            ValidateOwnerReferences(ownerReferences, mp + ".ownerReferences", errors);
        }

        if (meta?["finalizers"] is JsonArray finalizers)
        {
            bool orphan = false, delete = false;
            foreach (var f in finalizers)
            {
                string value = JsonData.GetString(f) ?? string.Empty;
                foreach (var msg in NameValidation.IsQualifiedName(value))
                {
                    errors.Add(FieldError.Invalid(mp + ".finalizers", value, msg));
                }

                orphan |= value == "orphan";
                delete |= value == "foregroundDeletion";
            }

            if (orphan && delete)
            {
                errors.Add(FieldError.Invalid(mp + ".finalizers", finalizers.DeepClone(), "finalizer orphan and foregroundDeletion cannot be both set"));
            }
        }

        if (meta?["managedFields"] is JsonArray managedFields)
        {
            ValidateManagedFields(managedFields, mp + ".managedFields", errors);
        }
    }

    /// <summary>ValidateOwnerReferences: apiVersion with a version, kind, name and uid set; no Event owner; one controller.</summary>
    private static void ValidateOwnerReferences(JsonArray refs, string path, List<FieldError> errors)
    {
        string? firstController = null;
        foreach (var item in refs)
        {
            var r = item as JsonObject ?? [];
            string apiVersion = JsonData.GetString(r["apiVersion"]) ?? string.Empty;
            string kind = JsonData.GetString(r["kind"]) ?? string.Empty;
            string name = JsonData.GetString(r["name"]) ?? string.Empty;
            string uid = JsonData.GetString(r["uid"]) ?? string.Empty;
            var (group, version) = ParseGroupVersion(apiVersion);
            if (version.Length == 0)
            {
                errors.Add(FieldError.Invalid(path + ".apiVersion", apiVersion, "version must not be empty"));
            }

            if (kind.Length == 0)
            {
                errors.Add(FieldError.Invalid(path + ".kind", kind, "must not be empty"));
            }

            if (name.Length == 0)
            {
                errors.Add(FieldError.Invalid(path + ".name", name, "must not be empty"));
            }

            if (uid.Length == 0)
            {
                errors.Add(FieldError.Invalid(path + ".uid", uid, "must not be empty"));
            }

            if (group.Length == 0 && version == "v1" && kind == "Event")
            {
                errors.Add(FieldError.Invalid(path, new GoJsonText(OwnerReferenceJson(r)), "/v1, Kind=Event is disallowed from being an owner"));
            }

            if (r["controller"] is JsonNode c && JsonData.KindOf(c) == JsonKind.Bool && JsonData.GetBool(c))
            {
                string current = kind + "/" + name;
                if (firstController is not null)
                {
                    errors.Add(FieldError.Invalid(path, new GoJsonText("[" + string.Join(",", refs.Select(x => OwnerReferenceJson(x as JsonObject ?? []))) + "]"),
                        "Only one reference can have Controller set to true. Found \"true\" in references for " + firstController + " and " + current));
                }
                else
                {
                    firstController = current;
                }
            }
        }
    }

    /// <summary>An owner reference as Go marshals metav1.OwnerReference: fields in struct order, unset optional ones omitted.</summary>
    private static string OwnerReferenceJson(JsonObject r)
    {
        var sb = new System.Text.StringBuilder("{");
        foreach (var k in new[] { "apiVersion", "kind", "name", "uid" })
        {
            sb.Append(k == "apiVersion" ? string.Empty : ",").Append('"').Append(k).Append("\":")
                .Append(GoFormat.MarshalJson(JsonValue.Create(JsonData.GetString(r[k]) ?? string.Empty)));
        }

        foreach (var k in new[] { "controller", "blockOwnerDeletion" })
        {
            if (r[k] is JsonNode b && JsonData.KindOf(b) == JsonKind.Bool)
            {
                sb.Append(",\"").Append(k).Append("\":").Append(JsonData.GetBool(b) ? "true" : "false");
            }
        }

        return sb.Append('}').ToString();
    }

    /// <summary>schema.ParseGroupVersion, an unparsable value giving an empty version.</summary>
    private static (string Group, string Version) ParseGroupVersion(string gv)
    {
        if (gv.Length == 0 || gv == "/")
        {
            return (string.Empty, string.Empty);
        }

        int slash = gv.IndexOf('/');
        if (slash < 0)
        {
            return (string.Empty, gv);
        }

        return gv.IndexOf('/', slash + 1) >= 0 ? (string.Empty, string.Empty) : (gv[..slash], gv[(slash + 1)..]);
    }

    /// <summary>ValidateManagedFields: operation Apply or Update, fieldsType FieldsV1, a printable manager of at most 128 bytes, subresource of at most 256.</summary>
    private static void ValidateManagedFields(JsonArray entries, string path, List<FieldError> errors)
    {
        for (int i = 0; i < entries.Count; i++)
        {
            var e = entries[i] as JsonObject ?? [];
            string p = path + "[" + i.ToString(System.Globalization.CultureInfo.InvariantCulture) + "]";
            string operation = JsonData.GetString(e["operation"]) ?? string.Empty;
            if (operation is not ("Apply" or "Update"))
            {
                errors.Add(FieldError.Invalid(p + ".operation", operation, "must be `Apply` or `Update`"));
            }

            string fieldsType = JsonData.GetString(e["fieldsType"]) ?? string.Empty;
            if (fieldsType.Length > 0 && fieldsType != "FieldsV1")
            {
                errors.Add(FieldError.Invalid(p + ".fieldsType", fieldsType, "must be `FieldsV1`"));
            }

            string manager = JsonData.GetString(e["manager"]) ?? string.Empty;
            if (System.Text.Encoding.UTF8.GetByteCount(manager) > 128)
            {
                errors.Add(FieldError.TooLong(p + ".manager", 128));
            }

            int position = 0;
            foreach (var rune in manager.EnumerateRunes())
            {
                if (!GoFormat.IsPrint(rune))
                {
                    errors.Add(FieldError.Invalid(p + ".manager", manager, $"invalid character {GoFormat.RuneU(rune)} (at position {position})"));
                }

                position += rune.Utf8SequenceLength;
            }

            string subresource = JsonData.GetString(e["subresource"]) ?? string.Empty;
            if (System.Text.Encoding.UTF8.GetByteCount(subresource) > 256)
            {
                errors.Add(FieldError.TooLong(p + ".subresource", 256));
            }
        }
    }

    /// <summary>Replaces a trailing dash so a generateName prefix can be checked as a name.</summary>
    private static string MaskTrailingDash(string name) =>
        name.Length > 1 && name.EndsWith('-') ? name.Substring(0, name.Length - 2) + "a" : name;
}
