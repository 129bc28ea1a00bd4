namespace Kratix.StateStores;

/// <summary>
/// A file to create or overwrite in a state store.
/// </summary>
/// <param name="Path">Relative to the writer's root, '/'-separated ('\' is accepted and normalised).</param>
/// <param name="Content">The exact bytes to store; writers never transform them (no line-ending or filter conversion).</param>
public sealed record StateStoreFile(string Path, byte[] Content);
