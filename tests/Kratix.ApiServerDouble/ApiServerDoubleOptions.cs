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

    /// <summary>
    /// Adds upstream Kratix's CRDs from <c>../shared/kratix/crds</c> beside the repository (found by walking up from the
    /// running assembly to the folder that holds Kratix.PowerShell.sln), as a cluster running Kratix has them.
    /// </summary>
    /// <exception cref="DirectoryNotFoundException">The shared data is not beside the repository.</exception>
    public ApiServerDoubleOptions WithUpstreamKratixCrds()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            if (File.Exists(Path.Combine(dir.FullName, "Kratix.PowerShell.sln")))
            {
                string crds = Path.GetFullPath(Path.Combine(dir.FullName, "..", "shared", "kratix", "crds"));
                if (!Directory.Exists(crds))
                {
                    throw new DirectoryNotFoundException("upstream Kratix's CRDs are not at " + crds + " (../shared/kratix/crds beside the repository)");
                }

                CrdPaths.Add(crds);
                return this;
            }
        }

        throw new DirectoryNotFoundException("Kratix.PowerShell.sln not found above " + AppContext.BaseDirectory);
    }

    /// <summary>Namespaces that exist from the start.</summary>
    public IList<string> Namespaces { get; } = ["default", "kube-system", "kube-public", "kube-node-lease"];
}
