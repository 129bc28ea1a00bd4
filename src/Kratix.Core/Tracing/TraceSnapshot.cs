using Kratix.Objects;
using Kratix.Platforms;

namespace Kratix.Tracing;

/// <summary>
/// The platform objects a trace is built from, read once: Promises, requests, Works, WorkPlacements, Destinations,
/// state stores, and a way to read the last recorded run of a workflow.
/// </summary>
public sealed class TraceSnapshot
{
    private readonly Func<string, string, string, string?, string, WorkflowRunRecord?> _runs;

    /// <param name="promises">Every Promise.</param>
    /// <param name="requests">Every request, of every Promise.</param>
    /// <param name="works">Every Work.</param>
    /// <param name="placements">Every WorkPlacement.</param>
    /// <param name="destinations">Every Destination.</param>
    /// <param name="stateStores">Every GitStateStore and BucketStateStore.</param>
    /// <param name="runs">The last recorded run of a workflow: (type, action, promise, namespace or null, name).</param>
    public TraceSnapshot(
        IReadOnlyList<Promise> promises,
        IReadOnlyList<ResourceRequest> requests,
        IReadOnlyList<Work> works,
        IReadOnlyList<WorkPlacement> placements,
        IReadOnlyList<Destination> destinations,
        IReadOnlyList<KubeObject> stateStores,
        Func<string, string, string, string?, string, WorkflowRunRecord?> runs)
    {
        Promises = promises;
        Requests = requests;
        Works = works;
        Placements = placements;
        Destinations = destinations;
        StateStores = stateStores;
        _runs = runs;
    }

    /// <summary>Reads everything a trace needs from a platform.</summary>
    public static TraceSnapshot From(IKratixPlatform platform) => new(
        platform.GetPromises(),
        platform.GetRequests(),
        platform.GetWorks(),
        platform.GetWorkPlacements(),
        platform.GetDestinations(),
        platform.GetStateStores(),
        platform.WorkflowRunLookup());

    public IReadOnlyList<Promise> Promises { get; }

    public IReadOnlyList<ResourceRequest> Requests { get; }

    public IReadOnlyList<Work> Works { get; }

    public IReadOnlyList<WorkPlacement> Placements { get; }

    public IReadOnlyList<Destination> Destinations { get; }

    public IReadOnlyList<KubeObject> StateStores { get; }

    public WorkflowRunRecord? Run(string type, string action, string promise, string? ns, string name) => _runs(type, action, promise, ns, name);

    // Indexes built once per snapshot, so tracing every request of a large platform stays linear: labels and annotations
    // are read from the JSON tree on each access.
    private ILookup<(string?, string?, string, string?), Work>? _worksByOwner;
    private ILookup<(string?, string), WorkPlacement>? _placementsByWork;
    private ILookup<string, KubeObject>? _appliedFrom;
    private List<ResourceRequest>? _labelled;

    /// <summary>The Works in <paramref name="ns"/> labelled with this Promise, work type and (for resource Works) request name.</summary>
    public IEnumerable<Work> WorksOf(string? ns, string promise, string workType, string? resource) =>
        (_worksByOwner ??= Works.ToLookup(w => (w.Namespace, w.GetLabel(KratixApi.PromiseNameLabel), w.WorkType, w.GetLabel(KratixApi.ResourceNameLabel))))[(ns, promise, workType, resource)];

    /// <summary>The WorkPlacements of a Work.</summary>
    public IEnumerable<WorkPlacement> PlacementsOf(Work work) =>
        (_placementsByWork ??= Placements.ToLookup(p => (p.Namespace, p.WorkName)))[(work.Namespace, work.Name)];

    /// <summary>The Promises and requests a platform Destination applied from a placement (<c>&lt;namespace&gt;/&lt;placement&gt;</c>).</summary>
    public IEnumerable<KubeObject> AppliedFrom(string source) =>
        (_appliedFrom ??= Promises.Cast<KubeObject>().Concat(Requests)
            .Select(o => (Object: o, From: o.GetAnnotation(PlatformTrace.AppliedFromAnnotation)))
            .Where(x => x.From is not null)
            .ToLookup(x => x.From!, x => x.Object))[source];

    /// <summary>The requests that carry a component-of or parent label naming a request.</summary>
    public IReadOnlyList<ResourceRequest> LabelledComponents => _labelled ??= Requests
        .Where(r => r.GetLabel(PlatformTrace.ComponentOfResourceLabel) is not null || r.GetLabel(PlatformTrace.ParentResourceLabel) is not null)
        .ToList();
}
