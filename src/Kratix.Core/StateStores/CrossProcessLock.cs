namespace Kratix.StateStores;

/// <summary>
/// An exclusive lock on a file that other processes (and other writer instances in this process) respect while it is held:
/// the file is opened with <see cref="FileShare.None"/>, which is a mandatory share lock on Windows and an advisory
/// <c>flock</c> on Unix that .NET checks. The operating system drops it when the holding process dies.
/// </summary>
internal sealed class CrossProcessLock : IDisposable
{
    private readonly FileStream _stream;

    private CrossProcessLock(FileStream stream) => _stream = stream;

    public static async Task<CrossProcessLock> AcquireAsync(string path, CancellationToken cancellationToken)
    {
        var delay = 5;
        while (true)
        {
            cancellationToken.ThrowIfCancellationRequested();
            try
            {
                var stream = new FileStream(path, FileMode.OpenOrCreate, FileAccess.ReadWrite, FileShare.None, 1, FileOptions.None);
                return new CrossProcessLock(stream);
            }
            catch (IOException) when (File.Exists(path))
            {
                // Held by someone else: wait and try again.
            }
            await Task.Delay(delay, cancellationToken).ConfigureAwait(false);
            delay = Math.Min(delay * 2, 100);
        }
    }

    public void Dispose() => _stream.Dispose();
}
