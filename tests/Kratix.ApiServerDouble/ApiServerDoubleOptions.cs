namespace Kratix.ApiServerDouble;

/// <summary>How to start an <see cref="ApiServerDouble"/>.</summary>
public sealed class ApiServerDoubleOptions
{
    /// <summary>Folders or files of CRDs to install at start (e.g. upstream Kratix's, from ../shared/kratix/crds).</summary>
    public IList<string> CrdPaths { get; } = [];

    /// <summary>How long a new CRD takes to become Established (zero: at once, within the create).</summary>
    public TimeSpan EstablishDelay { get; set; } = TimeSpan.Zero;

    /// <summary>How often watches that allow bookmarks get one (zero: only when a test sends them).</summary>
    public TimeSpan BookmarkInterval { get; set; } = TimeSpan.FromSeconds(1);

    /// <summary>The longest a watch stays open (a request's timeoutSeconds can only shorten it).</summary>
    public TimeSpan MaxWatchDuration { get; set; } = TimeSpan.FromMinutes(5);

    /// <summary>How many change events are kept for watches to resume from; older ones are compacted away.</summary>
    public int HistoryLimit { get; set; } = 100_000;

    /// <summary>Namespaces that exist from the start.</summary>
    public IList<string> Namespaces { get; } = ["default", "kube-system", "kube-public", "kube-node-lease"];
}
