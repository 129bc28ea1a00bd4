using System.Collections.Concurrent;
using System.Text.Json.Nodes;

namespace Kratix.Platforms.Embedded;

/// <summary>
/// The objects of a platform home as this process last read or wrote them, so that an operation does not parse the
/// same YAML files again and again (each request's reconcile looks up its Works and their placements by label, which
/// would otherwise read every Work in the namespace). One per home, shared by every platform object of this process,
/// and used only under the platform lock.
/// </summary>
/// <para>
/// Two checks keep it true to the files. Each locked operation writes a new token to <c>objects/.token</c> before it
/// changes anything, so an operation that finds a token it did not write (another process ran, or died half-way)
/// starts from nothing; this does not depend on timestamps, which two quick writers can share. And the first time an
/// operation uses a type, its files' sizes and modification times are compared with those recorded, and whatever
/// differs (a file edited or deleted by hand) is read again.
/// </para>
internal sealed class ObjectCache(string root, Func<string, JsonObject> read)
{
    private static readonly ConcurrentDictionary<string, ObjectCache> ByRoot = new(StringComparer.Ordinal);

    private readonly Dictionary<string, TypeObjects> _types = new(StringComparer.Ordinal);
    private int _operation;
    private string? _token;

    public static ObjectCache For(string root, Func<string, JsonObject> read) => ByRoot.GetOrAdd(root, r => new ObjectCache(r, read));

    /// <summary>Drops the cache of a home that is gone (a dry run's scratch copy), so the process does not keep it.</summary>
    public static void Forget(string root) => ByRoot.TryRemove(root, out _);

    /// <summary>Starts an operation under the platform lock (see the class remarks).</summary>
    public void BeginOperation()
    {
        var tokenPath = Path.Combine(root, ".token");
        var onDisk = File.Exists(tokenPath) ? File.ReadAllText(tokenPath) : null;
        if (_token is null || _token != onDisk)
        {
            _types.Clear();
        }

        var token = Guid.NewGuid().ToString("N");
        Directory.CreateDirectory(root);
        File.WriteAllText(tokenPath, token);
        _token = token;
        _operation++;
    }

    /// <summary>The objects of a type, by namespace ("" when cluster-scoped) and name, in <c>kubectl get</c>'s order.</summary>
    public SortedDictionary<(string Namespace, string Name), JsonObject> Objects(ResourceType type)
    {
        if (!_types.TryGetValue(type.Folder, out var objects))
        {
            _types[type.Folder] = objects = new TypeObjects();
        }

        if (objects.CheckedIn != _operation)
        {
            Refresh(type, objects);
            objects.CheckedIn = _operation;
        }

        return objects.Nodes;
    }

    /// <summary>
    /// Records what this process wrote (null: deleted) at <paramref name="path"/>. With <paramref name="stamp"/> false the
    /// file is staged in a group commit: <see cref="Stamped"/> records its stamp once it is in place.
    /// </summary>
    public void Wrote(ResourceType type, (string Namespace, string Name) key, string path, JsonObject? node, bool stamp = true)
    {
        if (!_types.TryGetValue(type.Folder, out var objects))
        {
            return; // Not loaded yet: it will be read from disk when first used.
        }

        if (node is null)
        {
            objects.Remove(key);
            objects.Stamps.Remove(path);
        }
        else
        {
            objects.Set(key, node);
            if (stamp)
            {
                objects.Stamps[path] = Stamp(new FileInfo(path));
            }
            else
            {
                // Not on disk yet: a refresh before the commit must not take the old file for a hand edit.
                objects.Stamps.Remove(path);
                objects.Staged.Add(path);
            }
        }
    }

    /// <summary>Records the stamp of a file a group commit just put in place.</summary>
    public void Stamped(ResourceType type, string path)
    {
        if (_types.TryGetValue(type.Folder, out var objects) && objects.Staged.Remove(path))
        {
            objects.Stamps[path] = Stamp(new FileInfo(path));
        }
    }

    private void Refresh(ResourceType type, TypeObjects objects)
    {
        var seen = new HashSet<string>(StringComparer.Ordinal);
        foreach (var file in ObjectStore.Files(root, type))
        {
            seen.Add(file.FullName);
            var stamp = Stamp(file);
            if (objects.Stamps.TryGetValue(file.FullName, out var known) && known == stamp)
            {
                continue;
            }

            objects.Set(ObjectStore.KeyOf(type, file), read(file.FullName));
            objects.Stamps[file.FullName] = stamp;
        }

        foreach (var gone in objects.Stamps.Keys.Where(p => !seen.Contains(p)).ToList())
        {
            objects.Stamps.Remove(gone);
            objects.Remove(ObjectStore.KeyOf(type, new FileInfo(gone)));
        }
    }

    private static (DateTime, long) Stamp(FileInfo file) => (file.LastWriteTimeUtc, file.Length);

    /// <summary>
    /// The keys of a type's objects that carry every label in <paramref name="labels"/> (at least one), in
    /// <c>kubectl get</c>'s order: found through the label index, so a lookup costs what it finds, not what the type holds.
    /// </summary>
    public IEnumerable<(string Namespace, string Name)> WithLabels(ResourceType type, IReadOnlyDictionary<string, string> labels)
    {
        var objects = _types[type.Folder];
        HashSet<(string, string)>? smallest = null;
        foreach (var label in labels)
        {
            if (!objects.ByLabel.TryGetValue((label.Key, label.Value), out var keys))
            {
                return [];
            }

            if (smallest is null || keys.Count < smallest.Count)
            {
                smallest = keys;
            }
        }

        return smallest!.Order(KeyOrder.Instance).ToList();
    }

    private sealed class TypeObjects
    {
        public SortedDictionary<(string Namespace, string Name), JsonObject> Nodes { get; } = new(KeyOrder.Instance);

        /// <summary>The objects by each of their labels (key and value).</summary>
        public Dictionary<(string Key, string Value), HashSet<(string Namespace, string Name)>> ByLabel { get; } = [];

        /// <summary>Files written to a group commit that is not committed yet (no stamp until it is).</summary>
        public HashSet<string> Staged { get; } = new(StringComparer.Ordinal);

        public void Set((string Namespace, string Name) key, JsonObject node)
        {
            Remove(key);
            Nodes[key] = node;
            foreach (var label in Labels(node))
            {
                if (!ByLabel.TryGetValue(label, out var keys))
                {
                    ByLabel[label] = keys = [];
                }

                keys.Add(key);
            }
        }

        public void Remove((string Namespace, string Name) key)
        {
            if (!Nodes.Remove(key, out var old))
            {
                return;
            }

            foreach (var label in Labels(old))
            {
                if (ByLabel.TryGetValue(label, out var keys) && keys.Remove(key) && keys.Count == 0)
                {
                    ByLabel.Remove(label);
                }
            }
        }

        private static IEnumerable<(string, string)> Labels(JsonObject node)
        {
            if (node["metadata"]?["labels"] is not JsonObject labels)
            {
                yield break;
            }

            foreach (var (key, value) in labels)
            {
                if (value is JsonValue text && text.TryGetValue<string>(out var s))
                {
                    yield return (key, s);
                }
            }
        }

        public Dictionary<string, (DateTime Modified, long Length)> Stamps { get; } = new(StringComparer.Ordinal);

        public int CheckedIn { get; set; } = -1;
    }

    /// <summary>Namespace, then name, ordinally.</summary>
    private sealed class KeyOrder : IComparer<(string Namespace, string Name)>
    {
        public static KeyOrder Instance { get; } = new();

        public int Compare((string Namespace, string Name) x, (string Namespace, string Name) y)
        {
            var byNamespace = string.CompareOrdinal(x.Namespace, y.Namespace);
            return byNamespace != 0 ? byNamespace : string.CompareOrdinal(x.Name, y.Name);
        }
    }
}
