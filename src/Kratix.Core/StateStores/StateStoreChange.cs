namespace Kratix.StateStores;

/// <summary>
/// One logical change to a state store (for example one WorkPlacement write), applied as a unit.
/// A writer applies, in this order: <see cref="ReplaceDirectory"/> (remove everything under it that is not in
/// <see cref="Files"/>), then <see cref="Deletions"/>, then <see cref="Files"/>; so a path listed both in
/// <see cref="Deletions"/> and in <see cref="Files"/> ends up written.
/// </summary>
/// <param name="Description">The commit subject for Git stores, e.g. <c>Update from: &lt;workPlacementName&gt;</c>, <c>Delete from: &lt;wp&gt;</c> or <c>kratix-canary</c>.</param>
/// <param name="Files">Files to create or overwrite.</param>
/// <param name="Deletions">Files or directories (removed recursively) to delete; absent paths are ignored.</param>
/// <param name="ReplaceDirectory">When set, everything under this directory that is not in <see cref="Files"/> is removed first
/// (nestedByMetadata: each write replaces the whole <c>&lt;id5&gt;</c> directory).</param>
public sealed record StateStoreChange(
    string Description,
    IReadOnlyList<StateStoreFile> Files,
    IReadOnlyList<string> Deletions,
    string? ReplaceDirectory = null);
