using Kratix.Objects;
using Kratix.Scheduling;

namespace Kratix.Platforms.Embedded;

/// <summary>
/// Placements saved but not yet written, and the Works whose status waits for them (<see cref="WorkController.BeginBatch"/>):
/// an operation on many requests writes all their files in one change set per state store, one push, instead of one
/// each.
/// </summary>
internal sealed class PlacementBatch
{
    private readonly Dictionary<(string?, string), (WorkPlacement Placement, (string?, string) Work)> _placements = [];

    /// <summary>The Works waiting, with the schedule their status is to report.</summary>
    public Dictionary<(string? Namespace, string Name), ScheduleResult> Works { get; } = [];

    public void Add(Work work, WorkPlacement placement) => _placements[(placement.Namespace, placement.Name)] = (placement, (work.Namespace, work.Name));

    public void Remove(WorkPlacement placement) => _placements.Remove((placement.Namespace, placement.Name));

    public List<WorkPlacement> Placements() => _placements.Values.Select(p => p.Placement).ToList();

    /// <summary>The placements whose names are in <paramref name="failed"/>, by the Work they belong to.</summary>
    public ILookup<(string?, string), string> FailedByWork(IReadOnlyCollection<string> failed)
    {
        var names = failed.ToHashSet(StringComparer.Ordinal);
        return _placements.Values.Where(p => names.Contains(p.Placement.Name)).ToLookup(p => p.Work, p => p.Placement.Name);
    }
}
