namespace Kratix.StateStores;

/// <summary>The outcome of <see cref="IStateStoreWriter.WriteAsync"/>.</summary>
/// <param name="VersionId">Git: the SHA of the branch head on the remote after the write (the current head when nothing changed;
/// null when the branch does not exist and nothing was written). Directory: null.</param>
/// <param name="Changed">True when at least one change altered the store.</param>
/// <param name="ChangesWritten">How many of the changes altered the store (on a Git store they share one commit); the others
/// were already in place.</param>
public sealed record StateStoreWriteResult(string? VersionId, bool Changed, int ChangesWritten = 0);
