using System.Text;

namespace Kratix.Platforms.Embedded;

/// <summary>
/// Writes files so that readers (and a crash) see either the old content or the new, never a mix. A crash between
/// writing the temporary file and renaming it leaves <c>.&lt;name&gt;.&lt;32 hex&gt;.tmp</c> beside the target: readers
/// ignore it (the object store lists <c>*.yaml</c> only) and <see cref="RemoveLeftovers"/> deletes it.
/// </summary>
public static class AtomicFile
{
    /// <summary>The suffix of temporary files.</summary>
    public const string TemporarySuffix = ".tmp";

    public static void WriteAllText(string path, string text) => WriteAllBytes(path, Encoding.UTF8.GetBytes(text));

    /// <summary>
    /// Writes <paramref name="content"/> to <paramref name="path"/> through a temporary file renamed over it. With
    /// <paramref name="unixMode"/> (ignored on Windows), the temporary file is created with that mode, so the content is never
    /// readable with wider permissions, not even for a moment, and the renamed file keeps it.
    /// </summary>
    public static void WriteAllBytes(string path, byte[] content, UnixFileMode? unixMode = null)
    {
        var directory = Path.GetDirectoryName(Path.GetFullPath(path))!;
        var temp = Path.Combine(directory, $".{Path.GetFileName(path)}.{Guid.NewGuid():N}{TemporarySuffix}");
        var options = new FileStreamOptions { Mode = FileMode.CreateNew, Access = FileAccess.Write, Share = FileShare.None };
        if (unixMode is { } mode && !OperatingSystem.IsWindows())
        {
            options.UnixCreateMode = mode;
        }

        try
        {
            using (var stream = CreateTemporary(temp, directory, options))
            {
                stream.Write(content);
                stream.Flush(flushToDisk: true);
            }

            CrashPoints.Hit(CrashPoints.AtomicFileTempWritten);
            File.Move(temp, path, overwrite: true);
        }
        catch
        {
            File.Delete(temp);
            throw;
        }
    }

    // The folder usually exists: create it only when it does not, which saves a system call per level on every write.
    internal static FileStream CreateTemporary(string temp, string directory, FileStreamOptions? options)
    {
        options ??= new FileStreamOptions { Mode = FileMode.CreateNew, Access = FileAccess.Write, Share = FileShare.None };
        try
        {
            return new FileStream(temp, options);
        }
        catch (DirectoryNotFoundException)
        {
            Directory.CreateDirectory(directory);
            return new FileStream(temp, options);
        }
    }

    /// <summary>
    /// Deletes the temporary files interrupted writes left under <paramref name="folder"/> (recursively); returns how many.
    /// Only safe while no write is under way, i.e. under the platform lock.
    /// </summary>
    public static int RemoveLeftovers(string folder)
    {
        if (!Directory.Exists(folder))
        {
            return 0;
        }

        var removed = 0;
        foreach (var file in Directory.EnumerateFiles(folder, "." + "*" + TemporarySuffix, SearchOption.AllDirectories))
        {
            if (IsTemporaryName(Path.GetFileName(file)))
            {
                File.Delete(file);
                removed++;
            }
        }

        return removed;
    }

    /// <summary>True for the names <see cref="WriteAllBytes"/> gives its temporary files: <c>.&lt;name&gt;.&lt;32 hex digits&gt;.tmp</c>.</summary>
    internal static bool IsTemporaryName(string name)
    {
        if (!name.StartsWith('.') || !name.EndsWith(TemporarySuffix, StringComparison.Ordinal))
        {
            return false;
        }

        var stem = name[..^TemporarySuffix.Length];
        var dot = stem.LastIndexOf('.');
        return dot > 0 && stem.Length - dot - 1 == 32 && stem[(dot + 1)..].All(char.IsAsciiHexDigitLower);
    }
}
