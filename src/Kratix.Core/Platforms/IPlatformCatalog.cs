using Kratix.Platforms.Embedded;

namespace Kratix.Platforms;

/// <summary>
/// The names tab completion offers, from wherever the platform is: a home's folders (<see cref="PlatformCatalog"/>) or a
/// cluster's API server (<see cref="Cluster.ClusterCatalog"/>, bounded by a short time so a slow server never holds the
/// prompt). Each member lists nothing rather than failing.
/// </summary>
public interface IPlatformCatalog
{
    IReadOnlyList<string> Promises();

    IReadOnlyList<string> Destinations();

    IReadOnlyList<CatalogEntry> StateStores(string? kind = null);

    IReadOnlyList<CatalogEntry> Requests(string? promise = null, string? ns = null);

    IReadOnlyList<string> RequestNamespaces(string? promise = null);

    IReadOnlyList<CatalogEntry> Works(string? ns = null);

    IReadOnlyList<CatalogEntry> WorkPlacements(string? ns = null);

    IReadOnlyList<string> WorkNamespaces();

    IReadOnlyList<string> WorkPlacementNamespaces();

    PromiseOutline? Outline(string promise);

    IReadOnlyList<PromiseOutline> PromiseOutlines();

    IReadOnlyList<(string Destination, IReadOnlyDictionary<string, string> Labels)> DestinationLabels();

    IReadOnlyList<(CatalogEntry Request, IReadOnlyDictionary<string, string> Labels)> RequestLabels(string? promise = null, int newest = int.MaxValue);

    IReadOnlyList<CatalogEntry> HealthRecords(string? ns = null);

    /// <summary>The PromiseRevisions, of one Promise or all.</summary>
    IReadOnlyList<Objects.KubeObject> PromiseRevisions(string? promise = null);

    /// <summary>The ResourceBindings, of one Promise or all, in one namespace or all.</summary>
    IReadOnlyList<Objects.KubeObject> ResourceBindings(string? promise = null, string? ns = null);
}
