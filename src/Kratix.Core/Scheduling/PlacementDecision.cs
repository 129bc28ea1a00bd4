namespace Kratix.Scheduling;

/// <summary>One workload group placed on one Destination; <see cref="Misplaced"/> when the Destination no longer matches but the placement stays.</summary>
public sealed record PlacementDecision(string WorkloadGroupId, string DestinationName, bool Misplaced);

/// <summary>What the scheduler decided for a Work: its placements, and the groups no Destination matches yet.</summary>
public sealed record ScheduleResult(IReadOnlyList<PlacementDecision> Placements, IReadOnlyList<string> UnscheduledGroupIds);

/// <summary>A placement that exists already, as the scheduler needs to see it.</summary>
public sealed record ExistingPlacement(string WorkloadGroupId, string DestinationName);
