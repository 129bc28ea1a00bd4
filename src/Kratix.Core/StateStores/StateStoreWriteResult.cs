namespace Kratix.StateStores;

/// <summary>The outcome of <see cref="IStateStoreWriter.WriteAsync"/>.</summary>
/// <param name="VersionId">Git: the SHA of the branch head on the remote after the write (the current head when nothing changed;
/// null when the branch does not exist and nothing was written). Directory: null.</param>
/// <param name="Changed">True when at least one change altered the store.</param>
/// <param name="ChangesWritten">How many of the changes altered the store (on a Git store they share one commit); the others
/// were already in place.</param>
/// <param name="Altered">The indexes, in the list of changes written, of those that altered the store (as many as
/// <paramref name="ChangesWritten"/>); null when the writer does not say.</param>
public sealed record StateStoreWriteResult(string? VersionId, bool Changed, int ChangesWritten = 0, IReadOnlyList<int>? Altered = null)
{
    /// <summary>Equal when every field is, <see cref="Altered"/> compared item by item.</summary>
    public bool Equals(StateStoreWriteResult? other) =>
        other is not null && VersionId == other.VersionId && Changed == other.Changed && ChangesWritten == other.ChangesWritten
        && (Altered is null ? other.Altered is null : other.Altered is not null && Altered.SequenceEqual(other.Altered));

    public override int GetHashCode() => HashCode.Combine(VersionId, Changed, ChangesWritten, Altered?.Count);
}
