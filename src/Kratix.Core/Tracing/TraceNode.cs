using System.Collections.Specialized;
using Kratix.Objects;
using Kratix.Tracing;

// In the root namespace so that PowerShell's type name for it, children included, is Kratix.TraceNode: the name its
// format views are selected by, as the cmdlets' other objects are Kratix.<Thing>.
namespace Kratix;

/// <summary>
/// One node of a trace (<see cref="PlatformTrace"/>): a request or Promise, its workflow, a pipeline, a container, a Work,
/// a WorkPlacement, a Destination or a state store, with its state and, when it is not ready, why. The tree runs from the
/// request or Promise down to the state store its files were written to; sub-requests of a compound Promise are children
/// of their parent request.
/// </summary>
public sealed class TraceNode
{
    private readonly Lazy<string> _tree;

    public TraceNode(
        string kind,
        string name,
        string? ns,
        string status,
        bool ready,
        string? reason,
        string? message,
        string? summary,
        IReadOnlyList<Condition>? conditions = null,
        IReadOnlyList<TraceNode>? children = null,
        OrderedDictionary? details = null,
        IReadOnlyList<string>? notes = null)
    {
        Kind = kind;
        Name = name;
        Namespace = ns;
        Status = status;
        Ready = ready;
        Reason = reason;
        Message = message;
        Summary = summary;
        Conditions = conditions ?? [];
        Children = children ?? [];
        Details = details ?? new OrderedDictionary(StringComparer.OrdinalIgnoreCase);
        Notes = notes ?? [];
        _tree = new Lazy<string>(() => TraceRenderer.Render(this));
    }

    /// <summary>
    /// The request's kind (e.g. Redis), or Promise, Workflow, Pipeline, Container, Work, WorkPlacement, WorkloadGroup,
    /// Destination, GitStateStore or BucketStateStore.
    /// </summary>
    public string Kind { get; }

    public string Name { get; }

    /// <summary>The namespace of a request, Work or WorkPlacement; null for the others.</summary>
    public string? Namespace { get; }

    /// <summary>
    /// One word for the node's state: Reconciled, Pending, Failing, Suspended or Paused (requests, Promises); Succeeded,
    /// Failed, Suspended, Pending or NotRun (workflows, pipelines, containers); Ready, Pending, Failing or Misplaced (Works,
    /// WorkPlacements); Ready, NotReady or Missing (Destinations, state stores); Unscheduled (a workload group no
    /// Destination matches); NotApplied (a sub-request written to a platform Destination but not on the platform).
    /// </summary>
    public string Status { get; }

    /// <summary>True when the node itself is in its good end state (reconciled, succeeded, written, ready).</summary>
    public bool Ready { get; }

    /// <summary>The reason of the condition that decides <see cref="Status"/>, or what keeps the node from being ready.</summary>
    public string? Reason { get; }

    /// <summary>
    /// What the node's condition says; on the root of a trace that is not ready, what was found below it that keeps it
    /// from being ready (a failed pipeline and its log, a workload group no Destination matches, a failed write).
    /// </summary>
    public string? Message { get; }

    /// <summary>A short line of facts for the tree view: duration, exit code, commit, number of files.</summary>
    public string? Summary { get; }

    /// <summary>The object's own status conditions, as it holds them (none for pipelines and containers).</summary>
    public IReadOnlyList<Condition> Conditions { get; }

    public IReadOnlyList<TraceNode> Children { get; }

    /// <summary>
    /// Facts for scripts, by node kind: Paths, Commit, ETags, StateStore, LogPath, LogDirectory, Duration, ExitCode,
    /// Image, Runtime, FinishedAt, Labels, Selector... (docs/concepts.md lists them).
    /// </summary>
    public OrderedDictionary Details { get; }

    /// <summary>The lines the tree view prints under the node (paths, log files).</summary>
    public IReadOnlyList<string> Notes { get; }

    /// <summary>The tree from this node down, one line per node (and its notes), each at most <see cref="TraceRenderer.Width"/> characters.</summary>
    public string Tree => _tree.Value;

    /// <summary>Every node below this one, depth first, in the order the tree shows them.</summary>
    public IEnumerable<TraceNode> Descendants()
    {
        foreach (var child in Children)
        {
            yield return child;
            foreach (var below in child.Descendants())
            {
                yield return below;
            }
        }
    }

    /// <summary>The nodes below this one of a kind (e.g. Destination), in tree order.</summary>
    public IReadOnlyList<TraceNode> Find(string kind) =>
        Descendants().Where(n => string.Equals(n.Kind, kind, StringComparison.OrdinalIgnoreCase)).ToList();

    public override string ToString() => $"{Kind} {(Namespace is null ? Name : $"{Namespace}/{Name}")}: {Status}";
}
