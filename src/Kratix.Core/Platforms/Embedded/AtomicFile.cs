using System.Text;

namespace Kratix.Platforms.Embedded;

/// <summary>Writes files so that readers (and a crash) see either the old content or the new, never a mix.</summary>
public static class AtomicFile
{
    public static void WriteAllText(string path, string text) => WriteAllBytes(path, Encoding.UTF8.GetBytes(text));

    /// <summary>
    /// Writes <paramref name="content"/> to <paramref name="path"/> through a temporary file renamed over it. With
    /// <paramref name="unixMode"/> (ignored on Windows), the temporary file is created with that mode, so the content is never
    /// readable with wider permissions, not even for a moment, and the renamed file keeps it.
    /// </summary>
    public static void WriteAllBytes(string path, byte[] content, UnixFileMode? unixMode = null)
    {
        var directory = Path.GetDirectoryName(Path.GetFullPath(path))!;
        Directory.CreateDirectory(directory);
        var temp = Path.Combine(directory, $".{Path.GetFileName(path)}.{Guid.NewGuid():N}.tmp");
        var options = new FileStreamOptions { Mode = FileMode.CreateNew, Access = FileAccess.Write, Share = FileShare.None };
        if (unixMode is { } mode && !OperatingSystem.IsWindows())
        {
            options.UnixCreateMode = mode;
        }

        try
        {
            using (var stream = new FileStream(temp, options))
            {
                stream.Write(content);
                stream.Flush(flushToDisk: true);
            }

            File.Move(temp, path, overwrite: true);
        }
        catch
        {
            File.Delete(temp);
            throw;
        }
    }
}
