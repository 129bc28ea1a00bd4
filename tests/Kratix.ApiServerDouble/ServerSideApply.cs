using System.Text.Json.Nodes;
using Kratix.Schema;

namespace Kratix.ApiServerDouble;

/// <summary>
/// Server-side apply (<c>application/apply-patch+yaml</c>): the applied configuration is the manager's whole intent.
/// The fields it sets become the manager's (an <c>Apply</c> entry in managedFields); a field another manager owns with a
/// different value is a conflict (409, one cause per field) unless <c>force=true</c>, which takes it over; fields the
/// manager applied before and no longer applies are removed unless another manager owns them too. Objects merge field
/// by field; lists merge by key (<c>x-kubernetes-list-type: map</c>), by value (<c>set</c>) or are replaced (atomic).
/// </summary>
internal static class ServerSideApply
{
    public sealed record Conflict(string Manager, string ApiVersion, string Path);

    /// <summary>
    /// Merges <paramref name="config"/> into <paramref name="live"/> (null: the object does not exist yet) for
    /// <paramref name="manager"/>, and returns the new object with its managedFields.
    /// </summary>
    public static JsonObject Apply(JsonObject? live, JsonObject config, ResourceType type, string version, string manager, bool force, string subresource, string now)
    {
        var part = subresource == "status" ? StatusPart.Only : type.HasStatus ? StatusPart.Exclude : StatusPart.Include;
        var applied = FieldSet.Of(config, type, version, part);
        var me = new ManagedFieldsEntry { Manager = manager, Operation = "Apply", Subresource = subresource, ApiVersion = type.ApiVersion(version), Fields = applied, Time = now };
        if (live is null)
        {
            var created = config.DeepClone().AsObject();
            ManagedFieldsEntry.Write(created, [me]);
            return created;
        }

        var entries = ManagedFieldsEntry.Read(live);
        var conflicts = new List<Conflict>();
        foreach (var e in entries)
        {
            if (e.SameOwner(me) || e.Subresource != subresource)
            {
                continue;
            }

            foreach (var path in applied.Leaves)
            {
                if (e.Fields.Leaves.Contains(path) && !path.EndsWith("\n.", StringComparison.Ordinal)
                    && !JsonNode.DeepEquals(FieldSet.ValueAt(live, path), FieldSet.ValueAt(config, path)))
                {
                    conflicts.Add(new Conflict(e.Manager, e.ApiVersion, path));
                }
            }
        }

        if (conflicts.Count > 0 && !force)
        {
            throw ConflictError(type, Json.Name(live), conflicts);
        }

        foreach (var c in conflicts)
        {
            foreach (var e in entries.Where(e => e.Manager == c.Manager && !e.SameOwner(me)))
            {
                e.Fields.Leaves.Remove(c.Path);
            }
        }

        var previous = entries.FirstOrDefault(e => e.SameOwner(me));
        var result = live.DeepClone().AsObject();
        if (previous is not null)
        {
            var ownedByOthers = new HashSet<string>(entries.Where(e => !e.SameOwner(me)).SelectMany(e => e.Fields.Leaves), StringComparer.Ordinal);
            // Whole list items (their "." path) go before their fields: a map-list item is found by its key fields.
            foreach (var path in previous.Fields.Leaves.Where(p => !applied.Leaves.Contains(p) && !ownedByOthers.Contains(p)).OrderBy(p => FieldSet.Tokens(p).Length))
            {
                FieldSet.Remove(result, path);
            }

            previous.Fields = applied;
            previous.Time = now;
            previous.ApiVersion = me.ApiVersion;
        }
        else
        {
            entries.Add(me);
        }

        var schema = type.Schemas.TryGetValue(version, out var s) ? s.Root : null;
        foreach (var (k, v) in config)
        {
            if (v is null || k is "apiVersion" or "kind")
            {
                continue;
            }

            if ((part == StatusPart.Only && k is not ("status" or "metadata")) || (part == StatusPart.Exclude && k == "status"))
            {
                continue;
            }

            if (k == "metadata")
            {
                MergeMetadata(Json.Meta(result), v as JsonObject);
                continue;
            }

            SchemaNode? child = schema is null ? null : schema.Properties.TryGetValue(k, out var p) ? p : schema.AdditionalProperties;
            result[k] = Merge(result[k], v, child);
        }

        ManagedFieldsEntry.Write(result, entries);
        return result;
    }

    private static void MergeMetadata(JsonObject live, JsonObject? config)
    {
        if (config is null)
        {
            return;
        }

        foreach (var field in new[] { "labels", "annotations" })
        {
            if (config[field] is JsonObject map)
            {
                var target = live[field] as JsonObject ?? [];
                foreach (var (k, v) in map)
                {
                    target[k] = v?.DeepClone();
                }

                live[field] = target;
            }
        }

        if (config["finalizers"] is JsonArray finalizers)
        {
            var target = live["finalizers"] as JsonArray ?? [];
            foreach (var f in finalizers)
            {
                if (!target.Any(t => JsonNode.DeepEquals(t, f)))
                {
                    target.Add(f?.DeepClone());
                }
            }

            live["finalizers"] = target;
        }

        if (config["ownerReferences"] is JsonArray owners)
        {
            var target = live["ownerReferences"] as JsonArray ?? [];
            foreach (var o in owners.OfType<JsonObject>())
            {
                var existing = target.OfType<JsonObject>().FirstOrDefault(t => JsonNode.DeepEquals(t["uid"], o["uid"]));
                if (existing is not null)
                {
                    target[target.IndexOf(existing)] = o.DeepClone();
                }
                else
                {
                    target.Add(o.DeepClone());
                }
            }

            live["ownerReferences"] = target;
        }
    }

    private static JsonNode? Merge(JsonNode? live, JsonNode cfg, SchemaNode? schema)
    {
        if (live is JsonObject lo && cfg is JsonObject co && schema?.MapType != "atomic")
        {
            foreach (var (k, v) in co)
            {
                if (v is null)
                {
                    continue;
                }

                SchemaNode? child = schema is null ? null : schema.Properties.TryGetValue(k, out var p) ? p : schema.AdditionalProperties;
                lo[k] = Merge(lo[k], v, child);
            }

            return lo;
        }

        if (live is JsonArray la && cfg is JsonArray ca && schema?.ListType is "map" or "set")
        {
            foreach (var item in ca)
            {
                if (schema.ListType == "set")
                {
                    if (!la.Any(x => JsonNode.DeepEquals(x, item)))
                    {
                        la.Add(item?.DeepClone());
                    }

                    continue;
                }

                if (item is not JsonObject io)
                {
                    continue;
                }

                var match = la.OfType<JsonObject>().FirstOrDefault(x => schema.ListMapKeys.All(k => JsonNode.DeepEquals(x[k], io[k])));
                if (match is null)
                {
                    la.Add(io.DeepClone());
                }
                else
                {
                    Merge(match, io, schema.Items);
                }
            }

            return la;
        }

        return cfg.DeepClone();
    }

    /// <summary>
    /// The API server's apply conflict: <c>Apply failed with 1 conflict: conflict with "mgr" using v1: .spec.size</c>,
    /// with a FieldManagerConflict cause per field.
    /// </summary>
    public static ApiStatusException ConflictError(ResourceType type, string name, List<Conflict> conflicts)
    {
        var causes = new JsonArray();
        foreach (var c in conflicts)
        {
            causes.Add(new JsonObject
            {
                ["reason"] = "FieldManagerConflict",
                ["message"] = "conflict with " + ApiServerAdmission.Quote(c.Manager) + UsingVersion(c, type),
                ["field"] = Readable(c.Path),
            });
        }

        string message;
        if (conflicts.Count == 1)
        {
            var c = conflicts[0];
            message = "Apply failed with 1 conflict: conflict with " + ApiServerAdmission.Quote(c.Manager) + UsingVersion(c, type) + ": " + Readable(c.Path);
        }
        else
        {
            message = "Apply failed with " + conflicts.Count + " conflicts: " + string.Join("\n", conflicts.GroupBy(c => c.Manager)
                .Select(g => "conflicts with " + ApiServerAdmission.Quote(g.Key) + UsingVersion(g.First(), type) + ":\n" + string.Join("\n", g.Select(c => "- " + Readable(c.Path)))));
        }

        return new ApiStatusException(409, "Conflict", message, StatusErrors.Details(name, type.Group, type.Plural, causes));
    }

    private static string UsingVersion(Conflict c, ResourceType type) =>
        c.ApiVersion.Length > 0 ? " using " + c.ApiVersion : string.Empty;

    /// <summary>A path as the API server prints it in conflicts: <c>.spec.containers[name="a"].image</c>.</summary>
    public static string Readable(string path)
    {
        var sb = new System.Text.StringBuilder();
        foreach (var token in FieldSet.Tokens(path))
        {
            if (token.StartsWith("f:", StringComparison.Ordinal))
            {
                sb.Append('.').Append(token[2..]);
            }
            else if (token.StartsWith("k:", StringComparison.Ordinal) && JsonNode.Parse(token[2..]) is JsonObject key)
            {
                sb.Append('[').Append(string.Join(",", key.Select(p => p.Key + "=" + p.Value?.ToJsonString()))).Append(']');
            }
            else if (token.StartsWith("v:", StringComparison.Ordinal))
            {
                sb.Append('[').Append(token[2..]).Append(']');
            }
        }

        return sb.ToString();
    }
}
