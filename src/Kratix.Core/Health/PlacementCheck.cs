namespace Kratix.Health;

/// <summary>
/// Whether one WorkPlacement of a request has its documents on its Destination's state store. On the embedded platform
/// the store is read (every file there, with the bytes the placement carries); on a cluster, where the store is
/// upstream's to write, it is what upstream reports: WriteSucceeded True for the placement.
/// </summary>
/// <param name="Placement">The WorkPlacement's namespace/name, or the Work's when one of its workload groups is not placed.</param>
/// <param name="Destination">Its Destination, empty when not scheduled.</param>
/// <param name="StateStore"><c>&lt;kind&gt;/&lt;name&gt;</c> of the Destination's state store.</param>
/// <param name="Written">Whether the documents are there.</param>
/// <param name="Problem">Why not, when not.</param>
/// <param name="Paths">The paths checked in the store (the embedded platform), relative to its root.</param>
public sealed record PlacementCheck(string Placement, string Destination, string StateStore, bool Written, string? Problem, IReadOnlyList<string> Paths);
