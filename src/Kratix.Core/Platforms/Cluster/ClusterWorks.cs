using Kratix.Objects;

namespace Kratix.Platforms.Cluster;

/// <summary>Works and WorkPlacements on a cluster, as upstream's controllers made them: read only.</summary>
public sealed partial class ClusterPlatform
{
    public IReadOnlyList<Work> GetWorks(string? ns = null) => Run(async token =>
    {
        await RequireKratixAsync(token).ConfigureAwait(false);
        return (IReadOnlyList<Work>)(await _api.ListItemsAsync(WorkType, ns, cancellationToken: token).ConfigureAwait(false))
            .Select(w => new Work(w)).OrderBy(w => w.Namespace, StringComparer.Ordinal).ThenBy(w => w.Name, StringComparer.Ordinal).ToList();
    }, CancellationToken.None);

    public IReadOnlyList<WorkPlacement> GetWorkPlacements(string? ns = null) => Run(async token =>
    {
        await RequireKratixAsync(token).ConfigureAwait(false);
        return (IReadOnlyList<WorkPlacement>)(await _api.ListItemsAsync(WorkPlacementType, ns, cancellationToken: token).ConfigureAwait(false))
            .Select(w => new WorkPlacement(w)).OrderBy(w => w.Namespace, StringComparer.Ordinal).ThenBy(w => w.Name, StringComparer.Ordinal).ToList();
    }, CancellationToken.None);
}
