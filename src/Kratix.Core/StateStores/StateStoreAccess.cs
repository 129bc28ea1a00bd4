namespace Kratix.StateStores;

/// <summary>
/// What <see cref="IStateStoreWriter.CheckAccessAsync"/> found: whether the store can be read and written, a message that
/// says what was checked (or what failed), and the error a failed check amounts to.
/// </summary>
public sealed record StateStoreAccess(bool Read, bool Write, string Message, KratixException? Error)
{
    /// <summary>Readable and writable.</summary>
    public bool Ok => Read && Write && Error is null;

    /// <summary>Throws the error of a failed check.</summary>
    public void ThrowIfDenied()
    {
        if (Error is not null)
        {
            throw Error;
        }
    }
}
