namespace Kratix.StateStores;

/// <summary>A <see cref="StateStoreChange"/> whose paths have been checked and normalised by <see cref="StatePaths.ValidateChanges"/>.</summary>
internal sealed record ValidatedChange(
    string Description,
    IReadOnlyList<StateStoreFile> Files,
    IReadOnlyList<string> Deletions,
    string? ReplaceDirectory);
