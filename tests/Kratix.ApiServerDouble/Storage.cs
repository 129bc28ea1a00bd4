using System.Globalization;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace Kratix.ApiServerDouble;

/// <summary>
/// The double's etcd: every object in memory, one global resourceVersion counter bumped by each write, and a bounded
/// history of change events that watches replay from a resourceVersion. Writers and watch registration hold
/// <see cref="Gate"/>, so a write, its event and its delivery to watchers are one step, and a watch that starts from a
/// resourceVersion misses nothing. Stored objects are never changed in place: a write stores a new one, and its JSON
/// is serialised once so reads can send it without holding the lock.
/// </summary>
public sealed class Storage
{
    private readonly Dictionary<string, SortedDictionary<string, StoredObject>> objects = new(StringComparer.Ordinal);
    private readonly Queue<StoredEvent> history = new();
    private readonly List<WatchSubscription> watchers = [];
    private readonly int historyLimit;
    private long revision = 1000;
    private long compacted = 1000;

    internal Storage(int historyLimit)
    {
        this.historyLimit = historyLimit;
    }

    /// <summary>The lock every reader of objects and every writer holds.</summary>
    internal object Gate { get; } = new();

    /// <summary>The last resourceVersion given out.</summary>
    public long Revision
    {
        get
        {
            lock (Gate)
            {
                return revision;
            }
        }
    }

    /// <summary>Watches from a resourceVersion older than this one get 410 Gone.</summary>
    public long CompactedRevision
    {
        get
        {
            lock (Gate)
            {
                return compacted;
            }
        }
    }

    internal StoredObject? Get(string storeKey, string key) =>
        objects.TryGetValue(storeKey, out var map) && map.TryGetValue(key, out var o) ? o : null;

    internal IEnumerable<StoredObject> List(string storeKey, string? ns)
    {
        if (!objects.TryGetValue(storeKey, out var map))
        {
            return [];
        }

        if (string.IsNullOrEmpty(ns))
        {
            return map.Values;
        }

        string prefix = ns + "/";
        return map.Where(p => p.Key.StartsWith(prefix, StringComparison.Ordinal)).Select(p => p.Value);
    }

    internal int Count(string storeKey) => objects.TryGetValue(storeKey, out var map) ? map.Count : 0;

    internal static string Key(string? ns, string name) => string.IsNullOrEmpty(ns) ? name : ns + "/" + name;

    /// <summary>
    /// Stores <paramref name="obj"/> (ADDED or MODIFIED) or removes it (DELETED) under a new resourceVersion, records the
    /// event and hands it to the watches. <paramref name="obj"/> must not be changed afterwards.
    /// </summary>
    internal StoredObject Commit(string storeKey, string eventType, JsonObject obj, JsonObject? previous)
    {
        revision++;
        Json.Meta(obj)["resourceVersion"] = revision.ToString(CultureInfo.InvariantCulture);
        var stored = new StoredObject(obj, JsonSerializer.SerializeToUtf8Bytes(obj, Json.Compact), revision);
        string key = Key(Json.Namespace(obj), Json.Name(obj));
        if (!objects.TryGetValue(storeKey, out var map))
        {
            map = new SortedDictionary<string, StoredObject>(StringComparer.Ordinal);
            objects[storeKey] = map;
        }

        if (eventType == WatchEventTypes.Deleted)
        {
            map.Remove(key);
        }
        else
        {
            map[key] = stored;
        }

        var ev = new StoredEvent(revision, storeKey, eventType, obj, previous);
        history.Enqueue(ev);
        while (history.Count > historyLimit)
        {
            compacted = history.Dequeue().Revision;
        }

        foreach (var w in watchers)
        {
            if (w.StoreKey == storeKey)
            {
                w.Offer(ev);
            }
        }

        return stored;
    }

    /// <summary>Forgets all history up to now, as etcd compaction does: a watch from an older resourceVersion gets 410 Gone.</summary>
    public void Compact()
    {
        lock (Gate)
        {
            compacted = revision;
            history.Clear();
        }
    }

    /// <summary>
    /// Registers a watch, first replaying what it must see: the events after <paramref name="fromRevision"/>, or
    /// (when null) the current objects as ADDED events.
    /// </summary>
    internal void Subscribe(WatchSubscription w, long? fromRevision, bool initialEventsEndBookmark)
    {
        if (fromRevision is long from)
        {
            if (from < compacted)
            {
                throw StatusErrors.Expired("too old resource version: " + from.ToString(CultureInfo.InvariantCulture) + " (" + (compacted + 1).ToString(CultureInfo.InvariantCulture) + ")");
            }

            foreach (var ev in history)
            {
                if (ev.Revision > from && ev.StoreKey == w.StoreKey)
                {
                    w.Offer(ev);
                }
            }
        }
        else
        {
            foreach (var o in List(w.StoreKey, w.Namespace))
            {
                w.Offer(new StoredEvent(o.Revision, w.StoreKey, WatchEventTypes.Added, o.Object, null));
            }
        }

        if (initialEventsEndBookmark)
        {
            w.Bookmark(revision, initialEventsEnd: true);
        }

        watchers.Add(w);
    }

    internal void Unsubscribe(WatchSubscription w)
    {
        lock (Gate)
        {
            watchers.Remove(w);
        }
    }

    /// <summary>Sends a BOOKMARK with the current resourceVersion to every watch that asked for bookmarks.</summary>
    public void SendBookmarks()
    {
        lock (Gate)
        {
            foreach (var w in watchers)
            {
                w.Bookmark(revision, initialEventsEnd: false);
            }
        }
    }

    /// <summary>Ends every open watch (the connection closes cleanly, as when the API server restarts or times a watch out).</summary>
    public int DropWatches(string? storeKey = null)
    {
        lock (Gate)
        {
            return DropWatchesLocked(storeKey);
        }
    }

    internal int DropWatchesLocked(string? storeKey)
    {
        var dropped = watchers.Where(w => storeKey is null || w.StoreKey == storeKey).ToList();
        foreach (var w in dropped)
        {
            w.Close();
            watchers.Remove(w);
        }

        return dropped.Count;
    }

    /// <summary>The number of open watches.</summary>
    public int WatchCount
    {
        get
        {
            lock (Gate)
            {
                return watchers.Count;
            }
        }
    }
}

/// <summary>A stored object, its JSON, and the resourceVersion of its last write.</summary>
internal sealed record StoredObject(JsonObject Object, byte[] Json, long Revision);

/// <summary>One change: the object after it (for DELETED, as it was when deleted) and before it.</summary>
internal sealed record StoredEvent(long Revision, string StoreKey, string Type, JsonObject Object, JsonObject? Previous);

internal static class WatchEventTypes
{
    public const string Added = "ADDED";
    public const string Modified = "MODIFIED";
    public const string Deleted = "DELETED";
    public const string Bookmark = "BOOKMARK";
    public const string Error = "ERROR";
}
