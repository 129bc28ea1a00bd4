using System.Globalization;
using System.Text.Json.Nodes;

namespace Kratix.Objects;

/// <summary>
/// A Kubernetes-style object held as its JSON tree, so fields this version does not know survive a round trip.
/// Typed subclasses add accessors for the fields Kratix reads; the tree stays the single source of truth.
/// </summary>
public class KubeObject
{
    public KubeObject(JsonObject node)
    {
        Node = node ?? throw new ArgumentNullException(nameof(node));
    }

    /// <summary>The whole object: apiVersion, kind, metadata, spec, status and anything else it carries.</summary>
    public JsonObject Node { get; }

    public string ApiVersion
    {
        get => Node.GetString("apiVersion") ?? string.Empty;
        set => Node["apiVersion"] = value;
    }

    public string Kind
    {
        get => Node.GetString("kind") ?? string.Empty;
        set => Node["kind"] = value;
    }

    /// <summary>The API group: the part of apiVersion before the slash, empty for the core group.</summary>
    public string Group => ApiVersion.Contains('/', StringComparison.Ordinal) ? ApiVersion[..ApiVersion.IndexOf('/', StringComparison.Ordinal)] : string.Empty;

    public string Version => ApiVersion.Contains('/', StringComparison.Ordinal) ? ApiVersion[(ApiVersion.IndexOf('/', StringComparison.Ordinal) + 1)..] : ApiVersion;

    public JsonObject Metadata => Node.GetOrAddObject("metadata");

    public string Name
    {
        get => Node["metadata"]?.AsObjectOrNull()?.GetString("name") ?? string.Empty;
        set => Metadata["name"] = value;
    }

    /// <summary>The namespace, or null for cluster-scoped objects.</summary>
    public string? Namespace
    {
        get => Node["metadata"]?.AsObjectOrNull()?.GetString("namespace");
        set
        {
            if (value is null)
            {
                Metadata.Remove("namespace");
            }
            else
            {
                Metadata["namespace"] = value;
            }
        }
    }

    public IReadOnlyDictionary<string, string> Labels => ReadStringMap("labels");

    public IReadOnlyDictionary<string, string> Annotations => ReadStringMap("annotations");

    public long Generation
    {
        get => (Node["metadata"] as JsonObject)?.GetLong("generation") ?? 0;
        set => Metadata["generation"] = value;
    }

    public string? Uid => Node["metadata"]?.AsObjectOrNull()?.GetString("uid");

    public DateTimeOffset? CreationTimestamp =>
        Node["metadata"]?.AsObjectOrNull()?.GetString("creationTimestamp") is { } text
        && DateTimeOffset.TryParse(text, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal, out var when) ? when : null;

    /// <summary>metadata.deletionTimestamp: set by the store when the object's deletion began and could not finish yet.</summary>
    public string? DeletionTimestamp => Node["metadata"]?.AsObjectOrNull()?.GetString("deletionTimestamp");

    /// <summary>True while the object is being deleted (<see cref="DeletionTimestamp"/> is set).</summary>
    public bool IsBeingDeleted => DeletionTimestamp is not null;

    public JsonObject Spec => Node.GetOrAddObject("spec");

    public JsonObject Status => Node.GetOrAddObject("status");

    public ObjectKey Key => new(Group, Kind, Namespace, Name);

    public string? GetLabel(string key) => Labels.TryGetValue(key, out var value) ? value : null;

    public void SetLabel(string key, string? value) => SetMapEntry("labels", key, value);

    public string? GetAnnotation(string key) => Annotations.TryGetValue(key, out var value) ? value : null;

    public void SetAnnotation(string key, string? value) => SetMapEntry("annotations", key, value);

    /// <summary>The object's conditions (status.conditions), read and written in place.</summary>
    public ConditionSet Conditions => new(Status);

    public override string ToString() => Namespace is null ? $"{Kind}/{Name}" : $"{Kind}/{Namespace}/{Name}";

    private IReadOnlyDictionary<string, string> ReadStringMap(string field)
    {
        var map = Node["metadata"]?[field] as JsonObject;
        if (map is null)
        {
            return new Dictionary<string, string>();
        }

        return map.ToDictionary(kv => kv.Key, kv => kv.Value?.ToString() ?? string.Empty, StringComparer.Ordinal);
    }

    private void SetMapEntry(string field, string key, string? value)
    {
        if (value is null)
        {
            if (Node["metadata"]?[field] is JsonObject existing)
            {
                existing.Remove(key);
                if (existing.Count == 0)
                {
                    Metadata.Remove(field);
                }
            }

            return;
        }

        Metadata.GetOrAddObject(field)[key] = value;
    }
}
