using System.Text.Json.Nodes;
using Kratix.Schema;

namespace Kratix.ApiServerDouble;

/// <summary>
/// A set of field paths in the <c>FieldsV1</c> form of <c>metadata.managedFields</c>: each path is a list of tokens
/// (<c>f:spec</c>, <c>k:{"name":"a"}</c> for an item of a map list, <c>v:"x"</c> for an item of a set list, <c>.</c> for
/// the item itself). Lists are atomic unless the schema says <c>x-kubernetes-list-type: map</c> or <c>set</c>;
/// objects are granular unless <c>x-kubernetes-map-type: atomic</c>. In metadata, labels and annotations are granular,
/// finalizers a set and ownerReferences a map keyed by uid, as in the real ObjectMeta.
/// </summary>
internal sealed class FieldSet
{
    private const char Sep = '\n';

    public FieldSet(IEnumerable<string>? leaves = null)
    {
        Leaves = leaves is null ? new HashSet<string>(StringComparer.Ordinal) : new HashSet<string>(leaves, StringComparer.Ordinal);
    }

    public HashSet<string> Leaves { get; }

    public bool IsEmpty => Leaves.Count == 0;

    public static string[] Tokens(string path) => path.Split(Sep);

    public static string Join(IEnumerable<string> tokens) => string.Join(Sep, tokens);

    /// <summary>The fields set in <paramref name="obj"/>: all of them but server-set metadata; status only when <paramref name="status"/> says so.</summary>
    public static FieldSet Of(JsonObject obj, ResourceType type, string version, StatusPart status)
    {
        var set = new FieldSet();
        var root = type.Schemas.TryGetValue(version, out var schema) ? schema.Root : null;
        foreach (var (k, v) in obj)
        {
            if (v is null || k is "apiVersion" or "kind")
            {
                continue;
            }

            bool isStatus = k == "status";
            if ((status == StatusPart.Only && !isStatus) || (status == StatusPart.Exclude && isStatus))
            {
                continue;
            }

            if (k == "metadata")
            {
                if (v is JsonObject meta)
                {
                    WalkMetadata(meta, set);
                }

                continue;
            }

            SchemaNode? child = root is null ? null : root.Properties.TryGetValue(k, out var p) ? p : root.AdditionalProperties;
            Walk(v, ["f:" + k], child, set);
        }

        return set;
    }

    private static void WalkMetadata(JsonObject meta, FieldSet set)
    {
        foreach (var field in new[] { "labels", "annotations" })
        {
            if (meta[field] is JsonObject map)
            {
                foreach (var (k, v) in map)
                {
                    if (v is not null)
                    {
                        set.Leaves.Add(Join(["f:metadata", "f:" + field, "f:" + k]));
                    }
                }
            }
        }

        if (meta["finalizers"] is JsonArray finalizers)
        {
            foreach (var f in finalizers)
            {
                set.Leaves.Add(Join(["f:metadata", "f:finalizers", "v:" + Compact(f)]));
            }
        }

        if (meta["ownerReferences"] is JsonArray owners)
        {
            foreach (var o in owners.OfType<JsonObject>())
            {
                string item = "k:" + Compact(new JsonObject { ["uid"] = o["uid"]?.DeepClone() });
                set.Leaves.Add(Join(["f:metadata", "f:ownerReferences", item, "."]));
                foreach (var (k, _) in o)
                {
                    set.Leaves.Add(Join(["f:metadata", "f:ownerReferences", item, "f:" + k]));
                }
            }
        }
    }

    private static void Walk(JsonNode node, List<string> path, SchemaNode? schema, FieldSet set)
    {
        switch (node)
        {
            case JsonObject obj when obj.Count > 0 && schema?.MapType != "atomic":
                foreach (var (k, v) in obj)
                {
                    if (v is null)
                    {
                        continue;
                    }

                    SchemaNode? child = schema is null ? null : schema.Properties.TryGetValue(k, out var p) ? p : schema.AdditionalProperties;
                    path.Add("f:" + k);
                    Walk(v, path, child, set);
                    path.RemoveAt(path.Count - 1);
                }

                break;
            case JsonArray arr when arr.Count > 0 && schema?.ListType == "set":
                foreach (var item in arr)
                {
                    path.Add("v:" + Compact(item));
                    set.Leaves.Add(Join(path));
                    path.RemoveAt(path.Count - 1);
                }

                break;
            case JsonArray arr when arr.Count > 0 && schema?.ListType == "map":
                foreach (var item in arr)
                {
                    if (item is not JsonObject io)
                    {
                        continue;
                    }

                    path.Add(KeyToken(io, schema.ListMapKeys));
                    path.Add(".");
                    set.Leaves.Add(Join(path));
                    path.RemoveAt(path.Count - 1);
                    Walk(io, path, schema.Items, set);
                    path.RemoveAt(path.Count - 1);
                }

                break;
            default:
                set.Leaves.Add(Join(path));
                break;
        }
    }

    public static string KeyToken(JsonObject item, IReadOnlyList<string> keys)
    {
        var key = new JsonObject();
        foreach (var k in keys)
        {
            key[k] = item[k]?.DeepClone();
        }

        return "k:" + Compact(key);
    }

    private static string Compact(JsonNode? node) => node is null ? "null" : node.ToJsonString(Json.Compact);

    /// <summary>The value at a path, or null when the path is not set; <c>.</c> is the item itself.</summary>
    public static JsonNode? ValueAt(JsonNode? root, string path)
    {
        JsonNode? cur = root;
        foreach (var token in Tokens(path))
        {
            cur = Step(cur, token, out _, out _);
            if (cur is null)
            {
                return null;
            }
        }

        return cur;
    }

    private static JsonNode? Step(JsonNode? cur, string token, out JsonNode? container, out int index)
    {
        container = cur;
        index = -1;
        if (token == ".")
        {
            return cur;
        }

        if (token.StartsWith("f:", StringComparison.Ordinal))
        {
            return (cur as JsonObject)?[token[2..]];
        }

        if (cur is not JsonArray arr)
        {
            return null;
        }

        if (token.StartsWith("k:", StringComparison.Ordinal))
        {
            var key = JsonNode.Parse(token[2..]) as JsonObject;
            for (int i = 0; i < arr.Count; i++)
            {
                if (arr[i] is JsonObject item && key is not null && key.All(p => JsonNode.DeepEquals(item[p.Key], p.Value)))
                {
                    index = i;
                    return item;
                }
            }

            return null;
        }

        if (token.StartsWith("v:", StringComparison.Ordinal))
        {
            var value = JsonNode.Parse(token[2..]);
            for (int i = 0; i < arr.Count; i++)
            {
                if (JsonNode.DeepEquals(arr[i], value))
                {
                    index = i;
                    return arr[i] ?? JsonValue.Create(string.Empty);
                }
            }
        }

        return null;
    }

    /// <summary>Removes the field (or list item) at <paramref name="path"/> from <paramref name="root"/>, if it is there.</summary>
    public static void Remove(JsonObject root, string path)
    {
        var tokens = Tokens(path).ToList();
        if (tokens.Count > 1 && tokens[^1] == ".")
        {
            tokens.RemoveAt(tokens.Count - 1);
        }

        JsonNode? cur = root;
        for (int i = 0; i < tokens.Count - 1; i++)
        {
            cur = Step(cur, tokens[i], out _, out _);
            if (cur is null)
            {
                return;
            }
        }

        string last = tokens[^1];
        if (last.StartsWith("f:", StringComparison.Ordinal))
        {
            (cur as JsonObject)?.Remove(last[2..]);
        }
        else if (Step(cur, last, out var container, out int index) is not null && container is JsonArray arr && index >= 0)
        {
            arr.RemoveAt(index);
        }
    }

    public JsonObject ToFieldsV1()
    {
        var root = new JsonObject();
        foreach (var leaf in Leaves.OrderBy(l => l, StringComparer.Ordinal))
        {
            var node = root;
            foreach (var token in Tokens(leaf))
            {
                if (node[token] is not JsonObject next)
                {
                    next = [];
                    node[token] = next;
                }

                node = next;
            }
        }

        return root;
    }

    public static FieldSet FromFieldsV1(JsonNode? fields)
    {
        var set = new FieldSet();
        if (fields is JsonObject o)
        {
            Collect(o, [], set);
        }

        return set;
    }

    private static void Collect(JsonObject node, List<string> path, FieldSet set)
    {
        foreach (var (k, v) in node)
        {
            path.Add(k);
            if (v is JsonObject child && child.Count > 0)
            {
                Collect(child, path, set);
            }
            else
            {
                set.Leaves.Add(Join(path));
            }

            path.RemoveAt(path.Count - 1);
        }
    }
}

internal enum StatusPart
{
    /// <summary>Everything (no status subresource).</summary>
    Include,

    /// <summary>The main resource of a type with a status subresource: status is not the writer's.</summary>
    Exclude,

    /// <summary>The status subresource.</summary>
    Only,
}

/// <summary>One entry of metadata.managedFields.</summary>
internal sealed class ManagedFieldsEntry
{
    public required string Manager { get; init; }

    public required string Operation { get; init; }

    public string Subresource { get; init; } = string.Empty;

    public required string ApiVersion { get; set; }

    public string Time { get; set; } = string.Empty;

    public required FieldSet Fields { get; set; }

    public bool SameOwner(ManagedFieldsEntry other) =>
        Manager == other.Manager && Operation == other.Operation && Subresource == other.Subresource;

    public static List<ManagedFieldsEntry> Read(JsonObject obj)
    {
        var list = new List<ManagedFieldsEntry>();
        if (obj["metadata"]?["managedFields"] is JsonArray arr)
        {
            foreach (var e in arr.OfType<JsonObject>())
            {
                list.Add(new ManagedFieldsEntry
                {
                    Manager = Json.Str(e["manager"]) ?? string.Empty,
                    Operation = Json.Str(e["operation"]) ?? "Update",
                    Subresource = Json.Str(e["subresource"]) ?? string.Empty,
                    ApiVersion = Json.Str(e["apiVersion"]) ?? string.Empty,
                    Time = Json.Str(e["time"]) ?? string.Empty,
                    Fields = FieldSet.FromFieldsV1(e["fieldsV1"]),
                });
            }
        }

        return list;
    }

    public static void Write(JsonObject obj, List<ManagedFieldsEntry> entries)
    {
        var arr = new JsonArray();
        foreach (var e in entries.Where(e => !e.Fields.IsEmpty))
        {
            var o = new JsonObject
            {
                ["manager"] = e.Manager,
                ["operation"] = e.Operation,
                ["apiVersion"] = e.ApiVersion,
                ["time"] = e.Time,
                ["fieldsType"] = "FieldsV1",
                ["fieldsV1"] = e.Fields.ToFieldsV1(),
            };
            if (e.Subresource.Length > 0)
            {
                o["subresource"] = e.Subresource;
            }

            arr.Add(o);
        }

        if (arr.Count == 0)
        {
            Json.Meta(obj).Remove("managedFields");
        }
        else
        {
            Json.Meta(obj)["managedFields"] = arr;
        }
    }

    /// <summary>
    /// Records a create or an update (not an apply) by <paramref name="manager"/>: it comes to own every field it set
    /// or changed, taking them from other managers without conflict; fields that disappeared are owned by nobody.
    /// </summary>
    public static void RecordUpdate(JsonObject? oldObj, JsonObject newObj, ResourceType type, string version, string manager, string subresource, StatusPart part, string now)
    {
        var entries = oldObj is null ? [] : Read(newObj["metadata"]?["managedFields"] is null ? oldObj : newObj);
        var newFields = FieldSet.Of(newObj, type, version, part);
        var oldFields = oldObj is null ? new FieldSet() : FieldSet.Of(oldObj, type, version, part);
        var changed = newFields.Leaves.Where(p => !oldFields.Leaves.Contains(p) || !JsonNode.DeepEquals(FieldSet.ValueAt(oldObj, p), FieldSet.ValueAt(newObj, p))).ToList();
        var removed = oldFields.Leaves.Where(p => !newFields.Leaves.Contains(p)).ToList();
        if (oldObj is not null && changed.Count == 0 && removed.Count == 0)
        {
            Write(newObj, entries);
            return;
        }

        var mine = new ManagedFieldsEntry { Manager = manager, Operation = "Update", Subresource = subresource, ApiVersion = type.ApiVersion(version), Fields = new FieldSet() };
        var existing = entries.FirstOrDefault(e => e.SameOwner(mine));
        if (existing is null)
        {
            entries.Add(mine);
            existing = mine;
        }

        foreach (var e in entries)
        {
            e.Fields.Leaves.ExceptWith(removed);
            if (!ReferenceEquals(e, existing))
            {
                e.Fields.Leaves.ExceptWith(changed);
            }
        }

        existing.Fields.Leaves.UnionWith(changed);
        existing.Time = now;
        existing.ApiVersion = type.ApiVersion(version);
        Write(newObj, entries);
    }
}

/// <summary>Field managers: who may write what, and the names they get when a request names none.</summary>
internal static class FieldManagers
{
    /// <summary>The default manager of a request without fieldManager: the User-Agent up to its first '/'.</summary>
    public static string Default(string? userAgent)
    {
        if (string.IsNullOrEmpty(userAgent))
        {
            return "unknown";
        }

        int slash = userAgent.IndexOf('/');
        string name = slash >= 0 ? userAgent[..slash] : userAgent;
        return name.Length > 128 ? name[..128] : name;
    }

    public static void Check(string? manager, bool apply)
    {
        if (manager is null)
        {
            if (apply)
            {
                throw StatusErrors.BadRequest("PATCH, application/apply-patch+yaml requests must specify a fieldManager");
            }

            return;
        }

        if (manager.Length > 128 || manager.Any(c => c < 0x20 || c > 0x7e))
        {
            throw new ApiStatusException(422, "Invalid", "fieldManager: Invalid value: " + ApiServerAdmission.Quote(manager) + ": " +
                (manager.Length > 128 ? "must be no more than 128 characters" : "must only contain printable characters"));
        }
    }
}
