using Kratix.Objects;
using Kratix.Scheduling;

namespace Kratix.Platforms.Embedded;

/// <summary>
/// Works whose placements wait to be written (<see cref="WorkController.BeginBatch"/>), with the schedule their status
/// is to report: an operation on many requests writes all their files in one change set per state store, one push,
/// instead of one each. Each Work's latest reconcile replaces what it left here before.
/// </summary>
internal sealed class PlacementBatch
{
    private readonly Dictionary<(string?, string), (ScheduleResult Schedule, List<WorkPlacement> Placements)> _works = [];

    public void Wait(Work work, ScheduleResult schedule, List<WorkPlacement> placements) => _works[(work.Namespace, work.Name)] = (schedule, placements);

    public void Forget(Work work) => _works.Remove((work.Namespace, work.Name));

    public List<WorkPlacement> Placements() => _works.Values.SelectMany(w => w.Placements).ToList();

    public IEnumerable<KeyValuePair<(string? Namespace, string Name), ScheduleResult>> Works() =>
        _works.Select(w => KeyValuePair.Create(w.Key, w.Value.Schedule));

    /// <summary>The placements whose names are in <paramref name="failed"/>, by the Work they belong to.</summary>
    public ILookup<(string?, string), string> FailedByWork(IReadOnlyCollection<string> failed)
    {
        var names = failed.ToHashSet(StringComparer.Ordinal);
        return _works.SelectMany(w => w.Value.Placements.Where(p => names.Contains(p.Name)).Select(p => (w.Key, p.Name))).ToLookup(p => p.Key, p => p.Name);
    }
}
