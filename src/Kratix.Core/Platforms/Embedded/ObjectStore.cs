using System.Text.Json.Nodes;
using Kratix.Manifests;
using Kratix.Objects;

namespace Kratix.Platforms.Embedded;

/// <summary>
/// The platform's objects on disk: <c>objects/&lt;plural&gt;.&lt;group&gt;/[&lt;namespace&gt;/]&lt;name&gt;.yaml</c>, one YAML file per object,
/// each written atomically (a temporary file renamed over the old one) so a reader or a crash never sees half a file.
/// Like the API server it owns metadata: uid, creationTimestamp, resourceVersion, generation (bumped when
/// anything but metadata and status changes) and deletionTimestamp (set by <see cref="MarkDeleting"/> once a deletion
/// has begun, kept by every later write until the object is gone, so a deletion a crash interrupted can be finished).
/// Under the platform lock (<see cref="BeginExclusive"/>) reads come from <see cref="ObjectCache"/>, which every write updates.
/// </summary>
public sealed class ObjectStore
{
    private readonly string _root;
    private readonly TimeProvider _clock;
    private ObjectCache? _cache;

    /// <summary>
    /// Under the platform lock, the writes not yet made durable (<see cref="GroupCommit"/>); <see cref="Commit"/> makes
    /// them durable together. Null outside the lock: each write is then durable on its own (<see cref="AtomicFile"/>).
    /// </summary>
    internal GroupCommit? Batch { get; private set; }

    public ObjectStore(string root, TimeProvider? clock = null)
    {
        _root = Path.Combine(root, "objects");
        _clock = clock ?? TimeProvider.System;
    }

    public string PathOf(ResourceType type, string? ns, string name) =>
        type.Namespaced
            ? Path.Combine(_root, type.Folder, ns ?? throw new ArgumentException($"{type.Kind} '{name}' needs a namespace."), name + ".yaml")
            : Path.Combine(_root, type.Folder, name + ".yaml");

    /// <summary>
    /// Makes the caller, which holds the platform lock, the only writer until the result is disposed: from then on what
    /// is read and written is remembered (<see cref="ObjectCache"/>) instead of being parsed again.
    /// </summary>
    public IDisposable BeginExclusive()
    {
        var cache = ObjectCache.For(_root, Read);
        cache.BeginOperation();
        _cache = cache;
        Batch = new GroupCommit();
        return new Exclusive(this);
    }

    /// <summary>
    /// Makes every write staged since the last commit durable, together (see <see cref="GroupCommit"/>). The platform
    /// commits before anything leaves the home (a state store write) and at the end of each operation.
    /// </summary>
    public void Commit() => Batch?.Commit();

    public JsonObject? Get(ResourceType type, string? ns, string name) =>
        _cache is null ? Peek(type, ns, name) : Peek(type, ns, name)?.DeepClone().AsObject();

    /// <summary>The stored object, which may be the cache's own copy: read it, never change it.</summary>
    private JsonObject? Peek(ResourceType type, string? ns, string name)
    {
        if (_cache is not null)
        {
            return _cache.Objects(type).TryGetValue(Key(type, ns, name), out var node) ? node : null;
        }

        var path = PathOf(type, ns, name);
        return File.Exists(path) ? Read(path) : null;
    }

    /// <summary>
    /// Every object of a type, in one namespace or all, that has every label in <paramref name="labels"/>; ordered by
    /// namespace then name.
    /// </summary>
    public IReadOnlyList<JsonObject> List(ResourceType type, string? ns = null, IReadOnlyDictionary<string, string>? labels = null)
    {
        if (_cache is not null)
        {
            var objects = _cache.Objects(type);
            if (labels is { Count: > 0 })
            {
                // Through the label index: a request's Works, a Work's placements, without reading every object of the type.
                return _cache.WithLabels(type, labels)
                    .Where(key => ns is null || key.Namespace == ns)
                    .Select(key => objects[key])
                    .Where(node => HasLabels(node, labels))
                    .Select(node => node.DeepClone().AsObject())
                    .ToList();
            }

            return objects
                .Where(kv => ns is null || kv.Key.Namespace == ns)
                .Select(kv => kv.Value.DeepClone().AsObject())
                .ToList();
        }

        return ReadAll(type, ns).Where(n => HasLabels(n, labels)).ToList();
    }

    /// <summary>Creates or replaces an object, maintaining its metadata; returns the stored object.</summary>
    public JsonObject Put(ResourceType type, JsonObject node) => Put(type, node, deleting: null);

    private JsonObject Put(ResourceType type, JsonObject node, string? deleting)
    {
        var obj = new KubeObject(node);
        var path = PathOf(type, obj.Namespace, obj.Name);
        var existing = Peek(type, obj.Namespace, obj.Name) is { } stored ? new KubeObject(stored) : null;
        var metadata = obj.Metadata;
        var now = Timestamps.Format(_clock.GetUtcNow());
        metadata.Remove("deletionTimestamp");
        if ((existing?.DeletionTimestamp ?? deleting) is { } deletionTimestamp)
        {
            metadata["deletionTimestamp"] = deletionTimestamp;
        }

        if (existing is null)
        {
            metadata["uid"] = obj.Uid ?? Guid.NewGuid().ToString();
            metadata["creationTimestamp"] = metadata.GetString("creationTimestamp") ?? now;
            metadata["generation"] = 1;
            metadata["resourceVersion"] = "1";
        }
        else
        {
            metadata["uid"] = existing.Uid;
            metadata["creationTimestamp"] = existing.Metadata.GetString("creationTimestamp") ?? now;
            metadata["generation"] = existing.Generation + (SpecChanged(existing.Node, node) ? 1 : 0);
            var version = long.TryParse(existing.Metadata.GetString("resourceVersion"), out var v) ? v : 0;
            metadata["resourceVersion"] = (version + 1).ToString(System.Globalization.CultureInfo.InvariantCulture);
        }

        var key = Key(type, obj.Namespace, obj.Name);
        var bytes = System.Text.Encoding.UTF8.GetBytes(ManifestWriter.ToYaml(node));
        if (Batch is { } batch && _cache is { } cache)
        {
            cache.Wrote(type, key, path, node.DeepClone().AsObject(), stamp: false);
            batch.Write(path, bytes, () => cache.Stamped(type, path));
        }
        else
        {
            AtomicFile.WriteAllBytes(path, bytes);
            _cache?.Wrote(type, key, path, node.DeepClone().AsObject());
        }

        return node;
    }

    /// <summary>
    /// Records that the object's deletion has begun (metadata.deletionTimestamp, kept until the object is deleted) and
    /// returns the stored object; null when there is no such object.
    /// </summary>
    public JsonObject? MarkDeleting(ResourceType type, string? ns, string name)
    {
        if (Get(type, ns, name) is not { } node)
        {
            return null;
        }

        var obj = new KubeObject(node);
        if (obj.IsBeingDeleted)
        {
            return node;
        }

        return Put(type, node, Timestamps.Format(_clock.GetUtcNow()));
    }

    public bool Delete(ResourceType type, string? ns, string name)
    {
        var path = PathOf(type, ns, name);
        if (Batch is { } batch && _cache is { } cache)
        {
            if (Peek(type, ns, name) is null)
            {
                return false;
            }

            cache.Wrote(type, Key(type, ns, name), path, null, stamp: false);
            batch.Delete(path);
            return true;
        }

        if (!File.Exists(path))
        {
            return false;
        }

        File.Delete(path);
        _cache?.Wrote(type, Key(type, ns, name), path, null);
        var folder = Path.GetDirectoryName(path)!;
        if (type.Namespaced && !Directory.EnumerateFileSystemEntries(folder).Any())
        {
            Directory.Delete(folder);
        }

        return true;
    }

    private sealed class Exclusive(ObjectStore store) : IDisposable
    {
        public void Dispose()
        {
            try
            {
                // What a failed operation did is kept, as it was when every write was durable at once.
                store.Commit();
            }
            finally
            {
                store._cache = null;
                store.Batch = null;
            }
        }
    }

    private static bool SpecChanged(JsonObject before, JsonObject after)
    {
        foreach (var key in before.Select(kv => kv.Key).Union(after.Select(kv => kv.Key)))
        {
            if (key is "metadata" or "status")
            {
                continue;
            }

            if (!JsonValues.DeepEquals(before[key], after[key]))
            {
                return true;
            }
        }

        return false;
    }

    private static (string Namespace, string Name) Key(ResourceType type, string? ns, string name) => (type.Namespaced ? ns ?? string.Empty : string.Empty, name);

    private List<JsonObject> ReadAll(ResourceType type, string? ns) =>
        Files(_root, type, ns)
            .Select(f => (Key: KeyOf(type, f), f.FullName))
            .OrderBy(f => f.Key.Namespace, StringComparer.Ordinal)
            .ThenBy(f => f.Key.Name, StringComparer.Ordinal)
            .Select(f => Read(f.FullName))
            .ToList();

    /// <summary>The files of a type's objects under <paramref name="root"/> (<c>objects/</c>), in one namespace or all, unordered.</summary>
    internal static IEnumerable<FileInfo> Files(string root, ResourceType type, string? ns = null)
    {
        var folder = new DirectoryInfo(Path.Combine(root, type.Folder));
        if (!folder.Exists)
        {
            return [];
        }

        return type.Namespaced
            ? (ns is null ? folder.EnumerateDirectories() : [new DirectoryInfo(Path.Combine(folder.FullName, ns))])
                .Where(d => d.Exists)
                .SelectMany(d => d.EnumerateFiles("*.yaml"))
            : folder.EnumerateFiles("*.yaml");
    }

    /// <summary>Where an object's file says it belongs: its namespace folder ("" when cluster-scoped) and its name.</summary>
    internal static (string Namespace, string Name) KeyOf(ResourceType type, FileInfo file) =>
        (type.Namespaced ? file.Directory!.Name : string.Empty, Path.GetFileNameWithoutExtension(file.Name));

    private static bool HasLabels(JsonObject node, IReadOnlyDictionary<string, string>? labels) =>
        labels is null || labels.All(l => node["metadata"]?["labels"]?[l.Key] is JsonValue value && value.TryGetValue<string>(out var text) && text == l.Value);

    private static JsonObject Read(string path)
    {
        var document = ManifestReader.Default.ReadFile(path).SingleOrDefault();
        return document?.Content as JsonObject
            ?? throw new KratixException("PlatformObjectCorrupt", KratixErrorCategory.InvalidData, $"'{path}' does not hold one object. Restore it from a backup or delete it and re-apply the object.", path);
    }
}
