namespace Kratix.StateStores;

/// <summary>
/// Writes the documents Kratix schedules to a Destination into a state store that GitOps agents reconcile.
/// Every path is relative to the writer's root and validated before anything is written (see <see cref="StatePaths"/>).
/// Instances are safe to call from several threads; calls are serialised.
/// </summary>
public interface IStateStoreWriter : IAsyncDisposable
{
    /// <summary>
    /// Applies <paramref name="changes"/> in order. Every change is validated before anything is written, so an invalid
    /// path in any change means nothing lands. A Git store gets one commit of the changes that alter the tree, pushed at once.
    /// </summary>
    Task<StateStoreWriteResult> WriteAsync(IReadOnlyList<StateStoreChange> changes, CancellationToken cancellationToken = default);

    /// <summary>The content of a file in the store's current state, or null when there is no such file.</summary>
    Task<byte[]?> ReadFileAsync(string path, CancellationToken cancellationToken = default);

    /// <summary>Every file under <paramref name="directory"/> (recursively; "" for the root), relative to the root, sorted ordinally.</summary>
    Task<IReadOnlyList<string>> ListFilesAsync(string directory, CancellationToken cancellationToken = default);

    /// <summary>
    /// Checks read and write access to the store without leaving a trace in it, and says what it found; a missing
    /// permission is a result (with its error), not an exception. Other failures (cancellation, an unusable local cache) throw.
    /// </summary>
    Task<StateStoreAccess> CheckAccessAsync(CancellationToken cancellationToken = default);

    /// <summary>Checks read and write access to the store without leaving a trace; throws a <see cref="KratixException"/> when either is missing.</summary>
    Task ValidatePermissionsAsync(CancellationToken cancellationToken = default);
}
