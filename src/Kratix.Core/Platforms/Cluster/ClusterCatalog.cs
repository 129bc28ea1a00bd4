using System.Collections.Concurrent;
using Kratix.Kubernetes;
using Kratix.Objects;
using Kratix.Platforms.Embedded;

namespace Kratix.Platforms.Cluster;

/// <summary>
/// Tab completion's names on a cluster: Promises, requests, their namespaces, Destinations, state stores, Works and
/// WorkPlacements listed from the API server through the process's shared connection. A completion waits at most
/// <see cref="Budget"/> in all (default 1.5 s) for the server: what has not come by then is offered as nothing, and
/// the call goes on in the background, so the next Tab offers it. Each listing is kept for <see cref="Freshness"/>
/// (5 s), and an older one is offered at once while a fresh one is fetched. A server that refuses or fails lists nothing.
/// </summary>
public sealed class ClusterCatalog : IPlatformCatalog
{
    private static readonly ConcurrentDictionary<(string Location, string What), Fetch> Cache = new();

    private readonly string _location;
    private readonly DateTimeOffset _deadline;

    public ClusterCatalog(string location, TimeSpan? budget = null)
    {
        _location = location;
        _deadline = DateTimeOffset.UtcNow + (budget ?? Budget);
    }

    /// <summary>How long one completion waits for the server, in all.</summary>
    public static TimeSpan Budget { get; set; } = TimeSpan.FromSeconds(1.5);

    /// <summary>How long a listing is offered without asking the server again.</summary>
    public static TimeSpan Freshness { get; set; } = TimeSpan.FromSeconds(5);

    /// <summary>Forgets every listing (tests).</summary>
    public static void Clear() => Cache.Clear();

    public IReadOnlyList<string> Promises() => PromiseList().Select(p => p.Name).ToList();

    public IReadOnlyList<string> Destinations() => DestinationList().Select(d => d.Name).ToList();

    public IReadOnlyList<CatalogEntry> StateStores(string? kind = null) =>
        Get("statestores", p => p.GetStateStores().Select(s => new CatalogEntry(s.Kind, null, s.Name)).ToList())
            .Where(s => kind is null || string.Equals(s.Kind, kind, StringComparison.OrdinalIgnoreCase))
            .OrderBy(s => s.Kind, StringComparer.Ordinal).ThenBy(s => s.Name, StringComparer.Ordinal).ToList();

    public IReadOnlyList<CatalogEntry> Requests(string? promise = null, string? ns = null) =>
        RequestList().Where(r => (promise is null || r.Entry.Kind == promise) && (ns is null || r.Entry.Namespace == ns)).Select(r => r.Entry).ToList();

    /// <summary>The namespaces that hold requests and, for a new request, the cluster's namespaces (when it lets them be listed).</summary>
    public IReadOnlyList<string> RequestNamespaces(string? promise = null) =>
        Requests(promise).Select(r => r.Namespace).OfType<string>()
            .Concat(Get("namespaces", p => p.ListNamespaces()))
            .Distinct(StringComparer.Ordinal).Order(StringComparer.Ordinal).ToList();

    public IReadOnlyList<CatalogEntry> Works(string? ns = null) =>
        Get("works", p => p.GetWorks().Select(w => new CatalogEntry(KratixApi.WorkKind, w.Namespace, w.Name)).ToList()).Where(w => ns is null || w.Namespace == ns).ToList();

    public IReadOnlyList<CatalogEntry> WorkPlacements(string? ns = null) =>
        Get("workplacements", p => p.GetWorkPlacements().Select(w => new CatalogEntry(KratixApi.WorkPlacementKind, w.Namespace, w.Name)).ToList()).Where(w => ns is null || w.Namespace == ns).ToList();

    public IReadOnlyList<string> WorkNamespaces() => Works().Select(w => w.Namespace).OfType<string>().Distinct(StringComparer.Ordinal).Order(StringComparer.Ordinal).ToList();

    public IReadOnlyList<string> WorkPlacementNamespaces() => WorkPlacements().Select(w => w.Namespace).OfType<string>().Distinct(StringComparer.Ordinal).Order(StringComparer.Ordinal).ToList();

    public PromiseOutline? Outline(string promise) => PromiseOutlines().FirstOrDefault(o => o.Name == promise);

    public IReadOnlyList<PromiseOutline> PromiseOutlines() => PromiseList().Select(p => p.Outline).OfType<PromiseOutline>().ToList();

    public IReadOnlyList<(string Destination, IReadOnlyDictionary<string, string> Labels)> DestinationLabels() => DestinationList();

    public IReadOnlyList<(CatalogEntry Request, IReadOnlyDictionary<string, string> Labels)> RequestLabels(string? promise = null, int newest = int.MaxValue) =>
        RequestList().Where(r => promise is null || r.Entry.Kind == promise)
            .OrderByDescending(r => r.Created).Take(newest)
            .OrderBy(r => r.Entry.Kind, StringComparer.Ordinal).ThenBy(r => r.Entry.Namespace, StringComparer.Ordinal).ThenBy(r => r.Entry.Name, StringComparer.Ordinal)
            .Select(r => (r.Entry, r.Labels)).ToList();

    public IReadOnlyList<CatalogEntry> HealthRecords(string? ns = null) =>
        Get("healthrecords", p => p.GetHealthRecords().Select(r => new CatalogEntry(KratixApi.HealthRecordKind, r.Namespace, r.Name)).ToList())
            .Where(r => ns is null || r.Namespace == ns).ToList();

    public IReadOnlyList<KubeObject> PromiseRevisions(string? promise = null) =>
        Get("promiserevisions", p => p.GetPromiseRevisions().ToList())
            .Where(r => promise is null || r.Spec["promiseRef"]?["name"]?.ToString() == promise).ToList();

    public IReadOnlyList<KubeObject> ResourceBindings(string? promise = null, string? ns = null) =>
        Get("resourcebindings", p => p.GetResourceBindings().ToList())
            .Where(b => (promise is null || b.Spec["promiseRef"]?["name"]?.ToString() == promise) && (ns is null || b.Namespace == ns)).ToList();

    private List<(string Name, PromiseOutline? Outline)> PromiseList() =>
        Get("promises", p => p.GetPromises().Select(x => (x.Name, PlatformCatalog.ReadOutline(x.Node))).ToList());

    private List<(string Name, IReadOnlyDictionary<string, string> Labels)> DestinationList() =>
        Get("destinations", p => p.GetDestinations().Select(d => (d.Name, d.Labels)).OrderBy(d => d.Name, StringComparer.Ordinal).ToList());

    private List<(CatalogEntry Entry, IReadOnlyDictionary<string, string> Labels, string Created)> RequestList() =>
        Get("requests", p => p.GetRequests()
            .Select(r => (new CatalogEntry(r.PromiseName, r.Namespace, r.Name), r.Labels, r.Metadata["creationTimestamp"]?.ToString() ?? string.Empty))
            .OrderBy(r => r.Item1.Kind, StringComparer.Ordinal).ThenBy(r => r.Item1.Namespace, StringComparer.Ordinal).ThenBy(r => r.Item1.Name, StringComparer.Ordinal)
            .ToList());

    /// <summary>A listing: the cached one when fresh; else fetched, waited for until the deadline; else the older one, or nothing.</summary>
    private List<T> Get<T>(string what, Func<ClusterPlatform, List<T>> read)
    {
        var key = (_location, what);
        var fetch = Cache.AddOrUpdate(
            key,
            _ => Fetch.Start(_location, p => read(p).Cast<object>().ToList(), null),
            (_, old) => old.Stale ? Fetch.Start(_location, p => read(p).Cast<object>().ToList(), old) : old);
        var wait = _deadline - DateTimeOffset.UtcNow;
        var done = fetch.Task.Wait(wait > TimeSpan.Zero ? wait : TimeSpan.Zero);
        var items = done && fetch.Task.IsCompletedSuccessfully ? fetch.Task.Result : fetch.Previous ?? [];
        return items.Cast<T>().ToList();
    }

    private sealed class Fetch
    {
        private readonly TaskCompletionSource<List<object>> _done = new(TaskCreationOptions.RunContinuationsAsynchronously);
        private DateTimeOffset _finished = DateTimeOffset.MaxValue;

        private Fetch(List<object>? previous) => Previous = previous;

        public Task<List<object>> Task => _done.Task;

        /// <summary>The listing before this one (offered while this one is on its way).</summary>
        public List<object>? Previous { get; }

        public bool Stale => Task.IsCompleted && DateTimeOffset.UtcNow - _finished > Freshness;

        public static Fetch Start(string location, Func<ClusterPlatform, List<object>> read, Fetch? old)
        {
            var fetch = new Fetch(old is { Task.IsCompletedSuccessfully: true } ? old.Task.Result : old?.Previous);
            _ = System.Threading.Tasks.Task.Run(() =>
            {
                List<object> result;
                try
                {
                    // One attempt: completion must not sit through retries.
                    using var platform = ClusterPlatform.Open(ClusterLocation.Parse(location), new ClusterPlatformOptions { MaxAttempts = 1 });
                    result = read(platform);
                }
                catch (Exception ex) when (ex is KratixException or HttpRequestException or IOException or TaskCanceledException or InvalidOperationException)
                {
                    result = fetch.Previous ?? [];
                }

                fetch._finished = DateTimeOffset.UtcNow;
                fetch._done.SetResult(result);
            });
            return fetch;
        }
    }
}
