using System.Security.Cryptography;
using System.Text;
using Kratix.Objects;

namespace Kratix.Scheduling;

/// <summary>
/// Decides where each workload group of a Work goes (behaviour.md section 3): dependency Works to every matching
/// Destination, resource Works to one matching Destination per group that then stays put; placements whose
/// Destination stopped matching are kept, flagged misplaced and still updated; groups nothing matches are unscheduled.
/// A pure function: the same inputs always give the same decision.
/// </summary>
public static class Scheduler
{
    public static ScheduleResult Schedule(Work work, IReadOnlyList<Destination> destinations, IReadOnlyList<ExistingPlacement> existing)
    {
        var candidates = destinations.Where(SelectorMatcher.IsSchedulable).OrderBy(d => d.Name, StringComparer.Ordinal).ToList();
        var byName = candidates.ToDictionary(d => d.Name, StringComparer.Ordinal);
        var placements = new List<PlacementDecision>();
        var unscheduled = new List<string>();

        foreach (var group in work.WorkloadGroups)
        {
            var selector = SelectorMatcher.Merge(group.DestinationSelectors);
            var matching = candidates.Where(d => SelectorMatcher.Matches(selector, d)).Select(d => d.Name).ToList();
            // Placements on Destinations that are gone are dropped; the group is placed afresh below.
            var current = existing.Where(p => p.WorkloadGroupId == group.Id && byName.ContainsKey(p.DestinationName)).Select(p => p.DestinationName).ToList();

            if (work.IsDependency)
            {
                var targets = matching.Union(current, StringComparer.Ordinal).Order(StringComparer.Ordinal);
                placements.AddRange(targets.Select(name => new PlacementDecision(group.Id, name, !matching.Contains(name))));
            }
            else if (current.Count > 0)
            {
                // A resource's placement is sticky: it is updated where it is, never moved.
                placements.AddRange(current.Select(name => new PlacementDecision(group.Id, name, !matching.Contains(name))));
            }
            else if (matching.Count > 0)
            {
                placements.Add(new PlacementDecision(group.Id, Pick(matching, $"{work.Namespace}/{work.Name}/{group.Id}"), false));
            }

            if (!placements.Any(p => p.WorkloadGroupId == group.Id))
            {
                unscheduled.Add(group.Id);
            }
        }

        return new ScheduleResult(placements, unscheduled);
    }

    // Upstream picks at random; a hash of the Work and group spreads load the same way but is reproducible.
    private static string Pick(IReadOnlyList<string> matching, string seed)
    {
        var hash = MD5.HashData(Encoding.UTF8.GetBytes(seed));
        var index = (int)(BitConverter.ToUInt32(hash, 0) % (uint)matching.Count);
        return matching[index];
    }
}
