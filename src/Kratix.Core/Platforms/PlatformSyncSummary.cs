namespace Kratix.Platforms;

/// <summary>What <see cref="IKratixPlatform.SyncPlatform"/> did: how many objects it re-drove, what that cost, and what still fails.</summary>
public sealed record PlatformSyncSummary
{
    public int StateStores { get; init; }

    public int Destinations { get; init; }

    public int Promises { get; init; }

    public int Requests { get; init; }

    public int Works { get; init; }

    /// <summary>Every object reconciled: state stores, Destinations, Promises, requests and Works.</summary>
    public int ObjectsReconciled => StateStores + Destinations + Promises + Requests + Works;

    /// <summary>Pipelines that ran (configure and delete); 0 when every workflow was up to date.</summary>
    public int PipelinesRun { get; init; }

    /// <summary>Placement writes that changed a state store (a Git store got one commit each); 0 when every store already held its files.</summary>
    public int PlacementsWritten { get; init; }

    /// <summary>WorkPlacements removed with their files: orphaned ones, and those of Works removed.</summary>
    public int PlacementsRemoved { get; init; }

    /// <summary>Works removed because the Promise or request they were made for is gone.</summary>
    public int WorksRemoved { get; init; }

    /// <summary>Removals and uninstalls that an interrupted command had begun and this one finished.</summary>
    public int DeletionsFinished { get; init; }

    /// <summary>Temporary files and pipeline workspaces that interrupted commands left, removed.</summary>
    public int LeftoversRemoved { get; init; }

    /// <summary>One line per object that still fails after the sync (not ready, failing workflow, write errors), saying why.</summary>
    public IReadOnlyList<string> Failures { get; init; } = [];

    public TimeSpan Duration { get; init; }

    /// <summary>
    /// Whether this pass checked the state stores and Destinations and wrote every WorkPlacement again (putting back what
    /// drifted in a store): always on a plain sync; on a continuous one when the platform's stateStoreReconciliationInterval
    /// has passed since the last rewrite.
    /// </summary>
    public bool StateStoresRewritten { get; init; } = true;

    /// <summary>
    /// When something is next due without anyone asking: a configure workflow whose reconciliation interval passes, a
    /// suspended workflow's retry time, the next state-store rewrite. Null when nothing is ever due on its own.
    /// </summary>
    public DateTimeOffset? NextReconcile { get; init; }
}
