using System.Text.Json.Nodes;

namespace Kratix.Schema;

/// <summary>
/// The API server's handling of <c>metadata</c> (ObjectMeta) for custom resources: decoding (unknown fields dropped
/// with an <c>unknown field "metadata.x"</c> warning, wrongly typed fields refused) and the create-time checks of
/// <c>ValidateObjectMeta</c> (name, namespace, labels, annotations, finalizers).
/// </summary>
internal static class ObjectMeta
{
    private static readonly HashSet<string> StringFields = new(StringComparer.Ordinal)
    {
        "name", "generateName", "namespace", "selfLink", "uid", "resourceVersion",
    };

    private static readonly HashSet<string> KnownFields = new(StringComparer.Ordinal)
    {
        "name", "generateName", "namespace", "selfLink", "uid", "resourceVersion", "generation", "creationTimestamp",
        "deletionTimestamp", "deletionGracePeriodSeconds", "labels", "annotations", "ownerReferences", "finalizers",
        "managedFields",
    };

    /// <summary>Decodes <c>metadata</c> like json.Unmarshal into ObjectMeta: prunes unknown fields, refuses wrong types.</summary>
    public static void Coerce(JsonObject parent, string prefix, List<string> unknownFields, List<FieldError> errors)
    {
        if (!parent.TryGetPropertyValue("metadata", out var meta) || meta is null)
        {
            return;
        }

        string mp = prefix.Length == 0 ? "metadata" : prefix + ".metadata";
        if (meta is not JsonObject m)
        {
            errors.Add(FieldError.Invalid(mp, meta.DeepClone(), "must be an object"));
            return;
        }

        List<string>? remove = null;
        foreach (var (k, v) in m)
        {
            if (!KnownFields.Contains(k))
            {
                (remove ??= []).Add(k);
                unknownFields.Add(mp + "." + k);
                continue;
            }

            string fp = mp + "." + k;
            if (v is null)
            {
                continue;
            }

            var kind = JsonData.KindOf(v);
            if (StringFields.Contains(k))
            {
                if (kind != JsonKind.String)
                {
                    errors.Add(FieldError.Invalid(fp, v.DeepClone(), "must be a string"));
                }
            }
            else if (k is "labels" or "annotations")
            {
                if (v is JsonObject map)
                {
                    foreach (var (lk, lv) in map)
                    {
                        if (lv is not null && JsonData.KindOf(lv) != JsonKind.String)
                        {
                            errors.Add(FieldError.Invalid(fp + "[" + lk + "]", lv.DeepClone(), "must be a string"));
                        }
                    }
                }
                else
                {
                    errors.Add(FieldError.Invalid(fp, v.DeepClone(), "must be a map of strings to strings"));
                }
            }
            else if (k == "finalizers")
            {
                if (v is JsonArray arr)
                {
                    for (int i = 0; i < arr.Count; i++)
                    {
                        if (JsonData.KindOf(arr[i]) != JsonKind.String)
                        {
                            errors.Add(FieldError.Invalid(fp + "[" + i + "]", arr[i]?.DeepClone(), "must be a string"));
                        }
                    }
                }
                else
                {
                    errors.Add(FieldError.Invalid(fp, v.DeepClone(), "must be a list of strings"));
                }
            }
            else if (k is "generation" or "deletionGracePeriodSeconds")
            {
                if (kind != JsonKind.Integer)
                {
                    errors.Add(FieldError.Invalid(fp, v.DeepClone(), "must be an integer"));
                }
            }
            else if (k is "creationTimestamp" or "deletionTimestamp")
            {
                if (kind != JsonKind.String)
                {
                    errors.Add(FieldError.Invalid(fp, v.DeepClone(), "must be an RFC 3339 date-time string"));
                }
            }
            else if (k is "ownerReferences" or "managedFields" && v is not JsonArray)
            {
                errors.Add(FieldError.Invalid(fp, v.DeepClone(), "must be a list"));
            }
        }

        if (remove is not null)
        {
            foreach (var k in remove)
            {
                m.Remove(k);
            }
        }

        // A zero creationTimestamp (written as null by kubectl) is dropped.
        if (m.TryGetPropertyValue("creationTimestamp", out var ct) && ct is null)
        {
            m.Remove("creationTimestamp");
        }

        foreach (var k in new[] { "labels", "annotations", "finalizers", "ownerReferences", "managedFields", "name", "namespace", "generateName" })
        {
            if (m.TryGetPropertyValue(k, out var nv) && nv is null)
            {
                m.Remove(k);
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
    }

    /// <summary>Replaces a trailing dash so a generateName prefix can be checked as a name.</summary>
    private static string MaskTrailingDash(string name) =>
        name.Length > 1 && name.EndsWith('-') ? name.Substring(0, name.Length - 2) + "a" : name;
}
