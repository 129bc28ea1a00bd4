using Kratix.Objects;
using Kratix.Platforms;

namespace Kratix.Presentation;

/// <summary>
/// How a platform's objects relate through the Works they produced and the WorkPlacements that scheduled them: which
/// Works and placements a Promise, request, Destination or state store has, which request a Work or placement belongs
/// to, and where an object's documents were written. Built from one listing of Works, WorkPlacements and Destinations,
/// so the cmdlets can answer "where did this go" and pipe one kind of object into the cmdlet that lists another.
/// </summary>
public sealed class ObjectRelations
{
    private readonly IReadOnlyList<Work> _works;
    private readonly IReadOnlyList<WorkPlacement> _placements;
    private readonly Dictionary<string, Destination> _destinations;
    private readonly ILookup<(string? Namespace, string Work), WorkPlacement> _placementsByWork;
    private readonly ILookup<(string Promise, string Namespace, string Name), Work> _worksByRequest;

    public ObjectRelations(IEnumerable<Work> works, IEnumerable<WorkPlacement> placements, IEnumerable<Destination> destinations)
    {
        _works = works.ToList();
        _placements = placements.ToList();
        _destinations = destinations.GroupBy(d => d.Name, StringComparer.Ordinal).ToDictionary(g => g.Key, g => g.First(), StringComparer.Ordinal);
        _placementsByWork = _placements.ToLookup(p => (p.Namespace, p.WorkName));
        _worksByRequest = _works.Where(w => !w.IsDependency).ToLookup(w => (w.PromiseName, RequestNamespaceOf(w), w.ResourceName));
    }

    /// <summary>Every Work, in the order given.</summary>
    public IReadOnlyList<Work> Works => _works;

    /// <summary>Every WorkPlacement, in the order given.</summary>
    public IReadOnlyList<WorkPlacement> Placements => _placements;

    /// <summary>Reads the platform's Works, WorkPlacements and Destinations once.</summary>
    public static ObjectRelations Load(IKratixPlatform platform) => new(platform.GetWorks(), platform.GetWorkPlacements(), platform.GetDestinations());

    /// <summary>
    /// The Works related to <paramref name="obj"/>: a Promise's (its dependencies', its promise workflows' and its
    /// requests'), a request's, those placed on a Destination or on a state store's Destinations, a WorkPlacement's Work,
    /// or the Work itself.
    /// </summary>
    public IReadOnlyList<Work> WorksOf(KubeObject obj) => obj.Kind switch
    {
        KratixApi.PromiseKind => _works.Where(w => w.PromiseName == obj.Name).ToList(),
        KratixApi.WorkKind => _works.Where(w => SameObject(w, obj)).ToList(),
        KratixApi.WorkPlacementKind => _works.Where(w => w.Namespace == obj.Namespace && w.Name == new WorkPlacement(obj.Node).WorkName).ToList(),
        KratixApi.DestinationKind or KratixApi.GitStateStoreKind or KratixApi.BucketStateStoreKind =>
            PlacementsOf(obj).Select(p => (p.Namespace, p.WorkName)).Distinct()
                .SelectMany(key => _works.Where(w => w.Namespace == key.Namespace && w.Name == key.WorkName)).ToList(),
        _ when IsRequest(obj) => _worksByRequest[(obj.GetLabel(KratixApi.PromiseNameLabel)!, obj.Namespace ?? "default", obj.Name)].ToList(),
        _ => [],
    };

    /// <summary>
    /// The WorkPlacements related to <paramref name="obj"/>: those of the Works <see cref="WorksOf"/> finds, except that a
    /// Destination has the placements on it, a state store those on its Destinations, and a placement itself.
    /// </summary>
    public IReadOnlyList<WorkPlacement> PlacementsOf(KubeObject obj) => obj.Kind switch
    {
        KratixApi.WorkPlacementKind => _placements.Where(p => SameObject(p, obj)).ToList(),
        KratixApi.DestinationKind => _placements.Where(p => p.TargetDestinationName == obj.Name).ToList(),
        KratixApi.GitStateStoreKind or KratixApi.BucketStateStoreKind =>
            _placements.Where(p => _destinations.TryGetValue(p.TargetDestinationName, out var d) && d.StateStoreKind == obj.Kind && d.StateStoreName == obj.Name).ToList(),
        _ => PlacementsOfWorks(WorksOf(obj)),
    };

    /// <summary>
    /// Where <paramref name="obj"/>'s documents were written: the Destinations, their state stores
    /// (<c>&lt;kind&gt;/&lt;name&gt;</c>) and the versions (git commits) of the last writes. A request's come from its
    /// Works' placements, a Work's from its own, a Promise's from the Works of the Promise itself (its dependencies and
    /// promise workflows; its requests have their own), a WorkPlacement's from itself. Empty for other kinds, and for
    /// what is not placed yet.
    /// </summary>
    public PlacementSummary SummaryOf(KubeObject obj)
    {
        var placements = obj.Kind switch
        {
            KratixApi.PromiseKind => PlacementsOfWorks(_works.Where(w => w.PromiseName == obj.Name && w.IsDependency)),
            KratixApi.WorkKind or KratixApi.WorkPlacementKind => PlacementsOf(obj),
            KratixApi.DestinationKind or KratixApi.GitStateStoreKind or KratixApi.BucketStateStoreKind => [],
            _ => PlacementsOf(obj),
        };
        var ordered = placements.OrderBy(p => p.TargetDestinationName, StringComparer.Ordinal).ThenBy(p => p.Name, StringComparer.Ordinal).ToList();
        var destinations = ordered.Select(p => p.TargetDestinationName).Where(d => d.Length > 0).Distinct(StringComparer.Ordinal).ToList();
        var stores = destinations.Select(d => _destinations.TryGetValue(d, out var destination) ? $"{destination.StateStoreKind}/{destination.StateStoreName}" : null)
            .OfType<string>().Distinct(StringComparer.Ordinal).ToList();
        var versions = ordered.Select(p => p.VersionId).OfType<string>().Where(v => v.Length > 0).Distinct(StringComparer.Ordinal).ToList();
        return new PlacementSummary(destinations, stores, versions);
    }

    /// <summary>
    /// The request a Work or WorkPlacement was made for, as (Promise, namespace, name); null for a Promise's own Works
    /// (dependencies, promise workflows) and their placements, and for other kinds.
    /// </summary>
    public (string Promise, string Namespace, string Name)? RequestOf(KubeObject obj)
    {
        var work = obj.Kind switch
        {
            KratixApi.WorkKind => new Work(obj.Node),
            KratixApi.WorkPlacementKind => WorksOf(obj).FirstOrDefault(),
            _ => null,
        };
        return work is null || work.IsDependency ? null : (work.PromiseName, RequestNamespaceOf(work), work.ResourceName);
    }

    /// <summary>Whether an object is a resource request (of any Promise's kind) rather than one of Kratix's own kinds.</summary>
    public static bool IsRequest(KubeObject obj) =>
        obj.Kind is not (KratixApi.PromiseKind or KratixApi.DestinationKind or KratixApi.GitStateStoreKind or KratixApi.BucketStateStoreKind
            or KratixApi.WorkKind or KratixApi.WorkPlacementKind or KratixApi.HealthRecordKind or "Secret")
        && obj.GetLabel(KratixApi.PromiseNameLabel) is { Length: > 0 };

    private List<WorkPlacement> PlacementsOfWorks(IEnumerable<Work> works) =>
        works.SelectMany(w => _placementsByWork[(w.Namespace, w.Name)]).ToList();

    // A resource Work is in its request's namespace, or in the Promise's pipeline namespace with the request's namespace as a label.
    private static string RequestNamespaceOf(Work work) => work.GetLabel(KratixApi.ResourceNamespaceLabel) ?? work.Namespace ?? "default";

    private static bool SameObject(KubeObject a, KubeObject b) => a.Namespace == b.Namespace && a.Name == b.Name;
}

/// <summary>Where an object's documents were written: Destination names, state stores as <c>&lt;kind&gt;/&lt;name&gt;</c>, and the versions of the last writes, each once, in Destination order.</summary>
public sealed record PlacementSummary(IReadOnlyList<string> Destinations, IReadOnlyList<string> StateStores, IReadOnlyList<string> VersionIds)
{
    public static PlacementSummary None { get; } = new([], [], []);
}
