using System.Collections.Concurrent;
using System.Text.Json.Nodes;
using Kratix.Manifests;
using Kratix.Objects;
using YamlDotNet.Core;
using YamlDotNet.Core.Events;

namespace Kratix.Platforms.Embedded;

/// <summary>
/// The names of a platform home's objects, read from its folders and file names
/// (<c>objects/&lt;plural&gt;.&lt;group&gt;/[&lt;namespace&gt;/]&lt;name&gt;.yaml</c>, see <see cref="ObjectStore"/>) instead of
/// by parsing every object: what tab completion needs, fast on a platform with thousands of requests.
/// </summary>
/// <remarks>
/// It never takes the platform lock and never creates or writes anything: a home that does not exist lists nothing, and
/// a file it cannot read is left out rather than reported. Objects are written atomically (a file renamed over the old
/// one), so it never sees half an object, though it may see the platform as it was a moment ago. The few files it does
/// parse (Promises, for their request kind, workflows and selectors; Destinations and request headers, for labels) are
/// parsed once per version of the file (modification time and length) in this process.
/// </remarks>
public sealed class PlatformCatalog : IPlatformCatalog
{
    private static readonly ConcurrentDictionary<string, (FileStamp Stamp, PromiseOutline? Outline)> Outlines = new(StringComparer.Ordinal);
    private static readonly ConcurrentDictionary<string, (FileStamp Stamp, IReadOnlyDictionary<string, string> Labels)> Headers = new(StringComparer.Ordinal);

    private readonly string _objects;

    public PlatformCatalog(string home)
    {
        Home = home;
        _objects = Path.Combine(home, "objects");
    }

    /// <summary>The platform home listed.</summary>
    public string Home { get; }

    /// <summary>The installed Promises' names, sorted.</summary>
    public IReadOnlyList<string> Promises() => Names(ResourceType.Promise).Select(k => k.Name).ToList();

    /// <summary>The registered Destinations' names, sorted.</summary>
    public IReadOnlyList<string> Destinations() => Names(ResourceType.Destination).Select(k => k.Name).ToList();

    /// <summary>The registered state stores, of one kind (GitStateStore or BucketStateStore) or both, sorted by kind then name.</summary>
    public IReadOnlyList<CatalogEntry> StateStores(string? kind = null) =>
        new[] { ResourceType.GitStateStore, ResourceType.BucketStateStore }
            .Where(t => kind is null || string.Equals(t.Kind, kind, StringComparison.OrdinalIgnoreCase))
            .SelectMany(t => Names(t).Select(k => new CatalogEntry(t.Kind, null, k.Name)))
            .ToList();

    /// <summary>
    /// The requests of one Promise or of every Promise, in one namespace or all, sorted by Promise, namespace and name.
    /// <see cref="CatalogEntry.Kind"/> is the Promise's name. A Promise whose file cannot be read lists no requests.
    /// </summary>
    public IReadOnlyList<CatalogEntry> Requests(string? promise = null, string? ns = null)
    {
        var entries = new List<CatalogEntry>();
        foreach (var outline in OutlinesOf(promise))
        {
            if (outline.RequestType is { } type)
            {
                entries.AddRange(Names(type, ns).Select(k => new CatalogEntry(outline.Name, k.Namespace, k.Name)));
            }
        }

        return entries;
    }

    /// <summary>The namespaces that hold requests of one Promise or of any, sorted.</summary>
    public IReadOnlyList<string> RequestNamespaces(string? promise = null) =>
        OutlinesOf(promise).Where(o => o.RequestType is not null).SelectMany(o => NamespacesOf(o.RequestType!))
            .Distinct(StringComparer.Ordinal).Order(StringComparer.Ordinal).ToList();

    /// <summary>The Works, in one namespace or all, sorted by namespace and name.</summary>
    public IReadOnlyList<CatalogEntry> Works(string? ns = null) =>
        Names(ResourceType.Work, ns).Select(k => new CatalogEntry(KratixApi.WorkKind, k.Namespace, k.Name)).ToList();

    /// <summary>The WorkPlacements, in one namespace or all, sorted by namespace and name.</summary>
    public IReadOnlyList<CatalogEntry> WorkPlacements(string? ns = null) =>
        Names(ResourceType.WorkPlacement, ns).Select(k => new CatalogEntry(KratixApi.WorkPlacementKind, k.Namespace, k.Name)).ToList();

    /// <summary>HealthRecord names, of one namespace or all.</summary>
    public IReadOnlyList<CatalogEntry> HealthRecords(string? ns = null) =>
        Names(ResourceType.HealthRecord, ns).Select(k => new CatalogEntry(KratixApi.HealthRecordKind, k.Namespace, k.Name)).ToList();

    /// <summary>The PromiseRevisions' files (small documents, read only on Tab), of one Promise or all.</summary>
    public IReadOnlyList<KubeObject> PromiseRevisions(string? promise = null) =>
        Objects(Revisions.RevisionType).Where(r => promise is null || r.Spec["promiseRef"]?["name"]?.ToString() == promise).ToList();

    /// <summary>The ResourceBindings' files, of one Promise or all, in one namespace or all.</summary>
    public IReadOnlyList<KubeObject> ResourceBindings(string? promise = null, string? ns = null) =>
        Objects(Revisions.BindingType, ns).Where(b => promise is null || b.Spec["promiseRef"]?["name"]?.ToString() == promise).ToList();

    /// <summary>The objects of a kind, read whole; a file that does not read is left out.</summary>
    private IEnumerable<KubeObject> Objects(ResourceType type, string? ns = null) =>
        Files(type, ns)
            .Select(f =>
            {
                try
                {
                    return ManifestReader.Default.ReadFile(f.FullName).FirstOrDefault()?.Content as JsonObject;
                }
                catch (Exception e) when (e is IOException or KratixException)
                {
                    return null;
                }
            })
            .OfType<JsonObject>()
            .Select(n => new KubeObject(n));

    /// <summary>The namespaces that hold Works, sorted.</summary>
    public IReadOnlyList<string> WorkNamespaces() => NamespacesOf(ResourceType.Work).ToList();

    /// <summary>The namespaces that hold WorkPlacements, sorted.</summary>
    public IReadOnlyList<string> WorkPlacementNamespaces() => NamespacesOf(ResourceType.WorkPlacement).ToList();

    /// <summary>What completion needs of an installed Promise (its request kind, workflows and selectors), or null when it is not installed or does not read.</summary>
    public PromiseOutline? Outline(string promise) => OutlinesOf(promise).FirstOrDefault();

    /// <summary>Every installed Promise's outline, sorted by name; Promises whose file does not read are left out.</summary>
    public IReadOnlyList<PromiseOutline> PromiseOutlines() => OutlinesOf(null).ToList();

    /// <summary>
    /// The labels each Destination carries, by Destination name (sorted). Destinations are few, so their files are read
    /// (once per version of each file).
    /// </summary>
    public IReadOnlyList<(string Destination, IReadOnlyDictionary<string, string> Labels)> DestinationLabels() =>
        Files(ResourceType.Destination).Select(f => (ObjectStore.KeyOf(ResourceType.Destination, f).Name, LabelsOf(f)))
            .OrderBy(d => d.Name, StringComparer.Ordinal)
            .ToList();

    /// <summary>
    /// The labels of the requests of one Promise or of any, each request's as a map, sorted by namespace and name: of
    /// every request, or of the <paramref name="newest"/> most recently written. Only each file's metadata is read, and
    /// only once per version of the file.
    /// </summary>
    public IReadOnlyList<(CatalogEntry Request, IReadOnlyDictionary<string, string> Labels)> RequestLabels(string? promise = null, int newest = int.MaxValue)
    {
        var files = new List<(string Promise, ResourceType Type, FileInfo File)>();
        foreach (var outline in OutlinesOf(promise))
        {
            if (outline.RequestType is { } type)
            {
                files.AddRange(Files(type).Select(f => (outline.Name, type, f)));
            }
        }

        return files
            .OrderByDescending(f => f.File.LastWriteTimeUtc)
            .Take(newest)
            .Select(f => (Entry: new CatalogEntry(f.Promise, ObjectStore.KeyOf(f.Type, f.File).Namespace, ObjectStore.KeyOf(f.Type, f.File).Name), f.File))
            .OrderBy(f => f.Entry.Kind, StringComparer.Ordinal)
            .ThenBy(f => f.Entry.Namespace, StringComparer.Ordinal)
            .ThenBy(f => f.Entry.Name, StringComparer.Ordinal)
            .Select(f => (f.Entry, LabelsOf(f.File)))
            .ToList();
    }

    /// <summary>Reads a Promise manifest's outline: what completion offers about it. Null when it is not a Promise.</summary>
    public static PromiseOutline? ReadOutline(JsonObject node)
    {
        var promise = new Promise(node);
        if (!string.Equals(promise.Kind, KratixApi.PromiseKind, StringComparison.Ordinal))
        {
            return null;
        }

        ResourceType? requestType = null;
        string? kind = null;
        if (promise.Api?["spec"] is JsonObject api)
        {
            var group = api.GetString("group");
            kind = (api["names"] as JsonObject)?.GetString("kind");
            var plural = (api["names"] as JsonObject)?.GetString("plural");
            if (group is { Length: > 0 } && kind is { Length: > 0 } && plural is { Length: > 0 })
            {
                requestType = new ResourceType(group, kind, plural, Namespaced: true);
            }
        }

        var workflows = new List<(string Workflow, IReadOnlyList<string> Pipelines)>();
        foreach (var type in new[] { "resource", "promise" })
        {
            foreach (var action in new[] { "configure", "delete" })
            {
                if (promise.Spec["workflows"]?[type]?[action] is JsonArray pipelines)
                {
                    workflows.Add(($"{type}.{action}", pipelines.OfType<JsonObject>().Select(p => new KubeObject(p).Name).Where(n => n.Length > 0).ToList()));
                }
            }
        }

        var selectors = promise.DestinationSelectors.Select(s => s.MatchLabels).Where(m => m.Count > 0).ToList();
        return new PromiseOutline(promise.Name, kind, requestType, workflows, selectors);
    }

    /// <summary>The outline of the first Promise in a manifest file (cached per version of the file), or null when it has none or does not read.</summary>
    public static PromiseOutline? ReadOutline(string path)
    {
        var file = new FileInfo(path);
        return file.Exists ? OutlineOf(file) : null;
    }

    private IEnumerable<PromiseOutline> OutlinesOf(string? promise)
    {
        var files = promise is null
            ? Files(ResourceType.Promise).OrderBy(f => f.Name, StringComparer.Ordinal)
            : new[] { new FileInfo(Path.Combine(_objects, ResourceType.Promise.Folder, promise + ".yaml")) }.Where(f => IsSafeName(promise) && f.Exists);
        foreach (var file in files)
        {
            if (OutlineOf(file) is { } outline)
            {
                yield return outline;
            }
        }
    }

    private static PromiseOutline? OutlineOf(FileInfo file)
    {
        var stamp = FileStamp.Of(file);
        if (Outlines.TryGetValue(file.FullName, out var cached) && cached.Stamp == stamp)
        {
            return cached.Outline;
        }

        PromiseOutline? outline;
        try
        {
            outline = ManifestReader.Default.ReadFile(file.FullName).Select(d => d.Content as JsonObject).OfType<JsonObject>()
                .Select(ReadOutline).FirstOrDefault(o => o is not null);
        }
        catch (KratixException)
        {
            outline = null;
        }

        Outlines[file.FullName] = (stamp, outline);
        return outline;
    }

    private static IReadOnlyDictionary<string, string> LabelsOf(FileInfo file)
    {
        var stamp = FileStamp.Of(file);
        if (Headers.TryGetValue(file.FullName, out var cached) && cached.Stamp == stamp)
        {
            return cached.Labels;
        }

        var labels = ReadLabels(file.FullName);
        Headers[file.FullName] = (stamp, labels);
        return labels;
    }

    /// <summary>
    /// metadata.labels of the object in a file, read with a YAML parser that stops once metadata has been read, so the
    /// rest of the object (a request's spec and status, a Work's documents) is never parsed. Empty when it does not read.
    /// </summary>
    internal static IReadOnlyDictionary<string, string> ReadLabels(string path)
    {
        var labels = new SortedDictionary<string, string>(StringComparer.Ordinal);
        try
        {
            using var reader = new StreamReader(path);
            var parser = new Parser(new Scanner(reader, skipComments: true));
            parser.Consume<StreamStart>();
            parser.Consume<DocumentStart>();
            parser.Consume<MappingStart>();
            while (!parser.TryConsume<MappingEnd>(out _))
            {
                var key = parser.Consume<Scalar>().Value;
                if (key != "metadata" || !parser.TryConsume<MappingStart>(out _))
                {
                    parser.SkipThisAndNestedEvents();
                    continue;
                }

                while (!parser.TryConsume<MappingEnd>(out _))
                {
                    var field = parser.Consume<Scalar>().Value;
                    if (field != "labels" || !parser.TryConsume<MappingStart>(out _))
                    {
                        parser.SkipThisAndNestedEvents();
                        continue;
                    }

                    while (!parser.TryConsume<MappingEnd>(out _))
                    {
                        var label = parser.Consume<Scalar>().Value;
                        if (parser.TryConsume<Scalar>(out var value))
                        {
                            labels[label] = value.Value;
                        }
                        else
                        {
                            parser.SkipThisAndNestedEvents();
                        }
                    }
                }

                break; // metadata has been read: the rest of the object is not needed.
            }
        }
        catch (Exception ex) when (ex is YamlException or InvalidOperationException or IOException or UnauthorizedAccessException)
        {
            return labels;
        }

        return labels;
    }

    private List<(string Namespace, string Name)> Names(ResourceType type, string? ns = null) =>
        Files(type, ns).Select(f => ObjectStore.KeyOf(type, f))
            .OrderBy(k => k.Namespace, StringComparer.Ordinal)
            .ThenBy(k => k.Name, StringComparer.Ordinal)
            .ToList();

    private IEnumerable<FileInfo> Files(ResourceType type, string? ns = null)
    {
        if (ns is not null && !IsSafeName(ns))
        {
            return [];
        }

        try
        {
            // Materialised here, so a folder removed while it is listed is an empty listing rather than an exception later.
            return ObjectStore.Files(_objects, type, ns).ToList();
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            return [];
        }
    }

    private IEnumerable<string> NamespacesOf(ResourceType type)
    {
        var folder = new DirectoryInfo(Path.Combine(_objects, type.Folder));
        try
        {
            return folder.Exists
                ? folder.EnumerateDirectories().Where(d => d.EnumerateFiles("*.yaml").Any()).Select(d => d.Name).Order(StringComparer.Ordinal).ToList()
                : [];
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            return [];
        }
    }

    // A name typed by the user becomes part of a path: never let it climb out of the objects folder.
    private static bool IsSafeName(string name) =>
        name.Length > 0 && name != "." && name != ".." && name.IndexOfAny(['/', '\\', '\0']) < 0;

    private readonly record struct FileStamp(DateTime Modified, long Length)
    {
        public static FileStamp Of(FileInfo file) => new(file.LastWriteTimeUtc, file.Length);
    }
}

/// <summary>One object's name in a <see cref="PlatformCatalog"/> listing: its kind (for requests, their Promise), namespace (null when cluster-scoped) and name.</summary>
public sealed record CatalogEntry(string Kind, string? Namespace, string Name);

/// <summary>
/// What completion needs of a Promise: its name, the kind of its requests and where they are stored (null for a
/// Promise with no API), its workflows (<c>resource.configure</c>, ...) with their pipelines' names in order, and its
/// destinationSelectors' matchLabels.
/// </summary>
public sealed record PromiseOutline(
    string Name,
    string? RequestKind,
    ResourceType? RequestType,
    IReadOnlyList<(string Workflow, IReadOnlyList<string> Pipelines)> Workflows,
    IReadOnlyList<IReadOnlyDictionary<string, string>> DestinationSelectors);
