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
        platform.GetWorkflowRun);

    public IReadOnlyList<Promise> Promises { get; }

    public IReadOnlyList<ResourceRequest> Requests { get; }

    public IReadOnlyList<Work> Works { get; }

    public IReadOnlyList<WorkPlacement> Placements { get; }

    public IReadOnlyList<Destination> Destinations { get; }

    public IReadOnlyList<KubeObject> StateStores { get; }

    public WorkflowRunRecord? Run(string type, string action, string promise, string? ns, string name) => _runs(type, action, promise, ns, name);
}
