using System.Diagnostics;

namespace Kratix.Platforms.Embedded;

/// <summary>
/// An exclusive, cross-process lock on a platform home. It is an OS file lock (flock on Unix, a share lock on Windows)
/// on <c>platform.lock</c>, so it is released when its process dies, even by kill -9; a stale lock file is harmless.
/// </summary>
public sealed class PlatformLock : IDisposable
{
    private readonly FileStream _stream;

    private PlatformLock(FileStream stream) => _stream = stream;

    public static PlatformLock Acquire(string root, TimeSpan timeout, CancellationToken cancellationToken = default)
    {
        Directory.CreateDirectory(root);
        var path = Path.Combine(root, "platform.lock");
        var watch = Stopwatch.StartNew();
        var delay = 5;
        while (true)
        {
            try
            {
                var stream = new FileStream(path, FileMode.OpenOrCreate, FileAccess.ReadWrite, FileShare.None, 1, FileOptions.None);
                stream.SetLength(0);
                var owner = System.Text.Encoding.UTF8.GetBytes($"{Environment.ProcessId}\n");
                stream.Write(owner);
                stream.Flush();
                return new PlatformLock(stream);
            }
            catch (IOException) when (watch.Elapsed < timeout)
            {
                cancellationToken.ThrowIfCancellationRequested();
                Thread.Sleep(Random.Shared.Next(delay / 2, delay + 1));
                delay = Math.Min(delay * 2, 100);
            }
            catch (IOException ex)
            {
                throw new KratixException(
                    "PlatformBusy",
                    KratixErrorCategory.ResourceUnavailable,
                    $"The platform at '{root}' stayed locked by another process for {timeout.TotalSeconds:0} s. Wait for it to finish, or raise the lock timeout.",
                    root,
                    ex);
            }
        }
    }

    public void Dispose() => _stream.Dispose();
}
