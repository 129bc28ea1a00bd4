using System.Globalization;
using System.Text.Json.Nodes;

namespace Kratix.Schema;

/// <summary>
/// What the API server adds for an update of a custom resource: rest.BeforeUpdate's carry-over of system fields from the
/// stored object (generation, uid when not given, creationTimestamp, deletionTimestamp, deletionGracePeriodSeconds;
/// resourceVersion when not given, as an unconditional update), ValidateObjectMetaAccessorUpdate (apimachinery
/// objectmeta.go, v0.36.3: immutable name, namespace, uid, timestamps; no new finalizers once deleting; generation not
/// decremented), and CRD validation ratcheting (Kubernetes 1.30+, KEP-4008): a schema error on a value that is unchanged
/// from the stored object does not fail the update.
/// </summary>
internal static class UpdateValidation
{
    /// <summary>rest.BeforeUpdate: fields the server takes from the stored object before validating.</summary>
    public static void CarryOverSystemFields(JsonObject request, JsonObject old)
    {
        if (request["metadata"] is not JsonObject meta || old["metadata"] is not JsonObject oldMeta)
        {
            return;
        }

        Copy("generation", always: true);
        if (string.IsNullOrEmpty(JsonData.GetString(meta["uid"])))
        {
            Copy("uid", always: true);
        }

        if (oldMeta["creationTimestamp"] is not null)
        {
            Copy("creationTimestamp", always: true);
        }

        if (oldMeta["deletionTimestamp"] is not null)
        {
            Copy("deletionTimestamp", always: true);
        }

        if (oldMeta["deletionGracePeriodSeconds"] is not null && meta["deletionGracePeriodSeconds"] is null)
        {
            Copy("deletionGracePeriodSeconds", always: true);
        }

        if (string.IsNullOrEmpty(JsonData.GetString(meta["resourceVersion"])))
        {
            Copy("resourceVersion", always: true);
        }

        void Copy(string key, bool always)
        {
            if (oldMeta[key] is { } v)
            {
                meta[key] = v.DeepClone();
            }
            else if (always)
            {
                meta.Remove(key);
            }
        }
    }

    /// <summary>ValidateObjectMetaAccessorUpdate's update-only checks, before the checks every write gets.</summary>
    public static void ValidateObjectMetaUpdate(JsonObject? meta, JsonObject? oldMeta, List<FieldError> errors)
    {
        if (oldMeta?["deletionTimestamp"] is not null)
        {
            var oldFinalizers = Strings(oldMeta["finalizers"]);
            var added = Strings(meta?["finalizers"]).Where(f => !oldFinalizers.Contains(f)).ToList();
            if (added.Count > 0)
            {
                errors.Add(FieldError.Forbidden("metadata.finalizers", "no new finalizers can be added if the object is being deleted, found new finalizers [" + string.Join(" ", added.Select(GoFormat.Quote)) + "]"));
            }
        }

        if (oldMeta?["resourceVersion"] is not null && string.IsNullOrEmpty(JsonData.GetString(meta?["resourceVersion"])))
        {
            errors.Add(FieldError.Invalid("metadata.resourceVersion", string.Empty, "must be specified for an update"));
        }

        long gen = Long(meta?["generation"]), oldGen = Long(oldMeta?["generation"]);
        if (gen < oldGen)
        {
            errors.Add(FieldError.Invalid("metadata.generation", gen, "must not be decremented"));
        }

        foreach (var key in new[] { "name", "namespace", "uid", "creationTimestamp", "deletionTimestamp", "deletionGracePeriodSeconds" })
        {
            var now = meta?[key];
            var was = oldMeta?[key];
            if (!JsonData.DeepEqual(now, was) && !(IsEmpty(now) && IsEmpty(was)))
            {
                errors.Add(FieldError.Invalid("metadata." + key, Bad(now), "field is immutable"));
            }
        }
    }

    private static bool IsEmpty(JsonNode? n) => n is null || JsonData.GetString(n) is "";

    private static object? Bad(JsonNode? n) => n is null ? null : JsonData.KindOf(n) switch
    {
        JsonKind.String => n.GetValue<string>(),
        JsonKind.Integer => JsonData.GetNumber(n).Integer,
        _ => n.DeepClone(),
    };

    private static long Long(JsonNode? n) => n is not null && JsonData.KindOf(n) == JsonKind.Integer ? JsonData.GetNumber(n).Integer : 0;

    private static List<string> Strings(JsonNode? n) =>
        n is JsonArray a ? a.Select(JsonData.GetString).Where(s => s is not null).Select(s => s!).ToList() : [];

    /// <summary>
    /// Ratcheting: drops the schema errors whose value is the stored object's (correlated through object fields, map
    /// keys and the keys of <c>x-kubernetes-list-type: map</c> lists; an item of another list is unchanged only when its
    /// whole list is). Errors without a field (<c>&lt;nil&gt;</c>) and metadata errors are kept.
    /// </summary>
    public static void Ratchet(List<FieldError> errors, int from, JsonObject request, JsonObject old, SchemaNode root)
    {
        for (int i = errors.Count - 1; i >= from; i--)
        {
            var e = errors[i];
            if (e.Field.StartsWith("metadata", StringComparison.Ordinal) || e.Field.StartsWith('<') || e.Field.Length == 0)
            {
                continue;
            }

            if (Unchanged(e.Field, request, old, root))
            {
                errors.RemoveAt(i);
            }
        }
    }

    /// <summary>Whether the value at <paramref name="path"/> (a field error path) is the same in both objects.</summary>
    internal static bool Unchanged(string path, JsonNode? now, JsonNode? was, SchemaNode? s)
    {
        int i = 0;
        while (i < path.Length)
        {
            if (path[i] == '.')
            {
                i++;
                continue;
            }

            if (path[i] == '[')
            {
                int end = path.IndexOf(']', i);
                if (end < 0)
                {
                    return false;
                }

                string key = path[(i + 1)..end];
                i = end + 1;
                switch (now)
                {
                    case JsonArray arr when int.TryParse(key, NumberStyles.None, CultureInfo.InvariantCulture, out int index):
                        {
                            var item = index < arr.Count ? arr[index] : null;
                            if (s?.ListType == "map" && s.ListMapKeys.Count > 0 && item is JsonObject o && was is JsonArray oldArr)
                            {
                                was = oldArr.FirstOrDefault(x => x is JsonObject oo && s.ListMapKeys.All(k => JsonData.DeepEqual(o[k], oo[k])));
                                if (was is null)
                                {
                                    return false;
                                }
                            }
                            else
                            {
                                // Items of other lists correlate only through their whole list.
                                return JsonData.DeepEqual(now, was);
                            }

                            now = item;
                            s = s?.Items;
                            continue;
                        }

                    case JsonObject obj:
                        now = obj[key];
                        was = (was as JsonObject)?[key];
                        s = s is null ? null : s.Properties.TryGetValue(key, out var p) ? p : s.AdditionalProperties;
                        continue;
                    default:
                        return JsonData.DeepEqual(now, was);
                }
            }

            int j = i;
            while (j < path.Length && path[j] is not ('.' or '['))
            {
                j++;
            }

            string name = path[i..j];
            i = j;
            if (now is not JsonObject nowObj)
            {
                return JsonData.DeepEqual(now, was);
            }

            if (s?.MapType == "atomic")
            {
                return JsonData.DeepEqual(now, was);
            }

            now = nowObj[name];
            was = (was as JsonObject)?[name];
            s = s is null ? null : s.Properties.TryGetValue(name, out var prop) ? prop : s.AdditionalProperties;
        }

        return JsonData.DeepEqual(now, was);
    }
}
