using System.Runtime.InteropServices;

namespace Kratix.Platforms.Embedded;

/// <summary>
/// The files an operation writes in the platform home, made durable together instead of one fsync each (group commit).
/// Writes and deletions are staged in memory, in order; <see cref="Commit"/> then
/// <list type="number">
/// <item>writes every staged file to its temporary name (<c>.&lt;name&gt;.&lt;32 hex&gt;.tmp</c>, as <see cref="AtomicFile"/>),</item>
/// <item>makes them durable with one sync (<c>syncfs</c> on Linux; an fsync per file elsewhere),</item>
/// <item>renames them over their targets and applies the deletions, in the order they were staged,</item>
/// <item>and makes the renames durable with one more sync (the directories' entries).</item>
/// </list>
/// A crash before the renames leaves only temporary files (removed by Sync-KratixPlatform); a crash during them leaves a
/// prefix of the batch in the order it was staged, which is a state the operation passed through; after them, all of
/// it. An object written twice in one batch is written once, at the place of its last write.
/// </summary>
/// <para>
/// The embedded platform commits before anything leaves the home (a state store write) and when an operation ends,
/// so what was staged before a push is durable before the push, as it was with an fsync per file.
/// </para>
internal sealed class GroupCommit
{
    private readonly List<Entry> _entries = [];
    private readonly Dictionary<string, int> _byPath = new(StringComparer.Ordinal);

    /// <summary>Staged entries not yet committed.</summary>
    public int Count => _byPath.Count;

    /// <summary>Stages <paramref name="content"/> for <paramref name="path"/>; <paramref name="committed"/> runs once it is renamed into place.</summary>
    public void Write(string path, byte[] content, Action? committed = null) => Stage(new Entry(path, content, Delete: false, committed));

    /// <summary>Stages the deletion of <paramref name="path"/> (nothing when it does not exist then); <paramref name="committed"/> runs once it is deleted.</summary>
    public void Delete(string path, Action? committed = null) => Stage(new Entry(path, null, Delete: true, committed));

    /// <summary>What is staged for <paramref name="path"/>: (true, content) for a write, (true, null) for a deletion, (false, null) for nothing.</summary>
    public (bool Staged, byte[]? Content) Find(string path) =>
        _byPath.TryGetValue(path, out var index) ? (true, _entries[index].Content) : (false, null);

    private void Stage(Entry entry)
    {
        if (_byPath.TryGetValue(entry.Path, out var previous))
        {
            _entries[previous] = _entries[previous] with { Superseded = true };
        }

        _byPath[entry.Path] = _entries.Count;
        _entries.Add(entry);
    }

    /// <summary>Makes everything staged durable (see the class remarks) and empties the batch.</summary>
    public void Commit()
    {
        var entries = _entries.Where(e => !e.Superseded).ToList();
        _entries.Clear();
        _byPath.Clear();
        if (entries.Count == 0)
        {
            return;
        }

        var temps = new string?[entries.Count];
        try
        {
            var syncEach = !OperatingSystem.IsLinux();
            string? anyDirectory = null;
            for (var i = 0; i < entries.Count; i++)
            {
                if (entries[i].Delete)
                {
                    continue;
                }

                var (path, content) = (entries[i].Path, entries[i].Content!);
                var directory = Path.GetDirectoryName(path)!;
                var temp = Path.Combine(directory, $".{Path.GetFileName(path)}.{Guid.NewGuid():N}{AtomicFile.TemporarySuffix}");
                using (var stream = AtomicFile.CreateTemporary(temp, directory, null))
                {
                    stream.Write(content);
                    if (syncEach)
                    {
                        stream.Flush(flushToDisk: true);
                    }
                }

                temps[i] = temp;
                anyDirectory ??= directory;
                CrashPoints.Hit(CrashPoints.AtomicFileTempWritten);
            }

            if (anyDirectory is not null && !syncEach)
            {
                SyncFileSystem(anyDirectory);
            }

            CrashPoints.Hit(CrashPoints.BatchSynced);
            for (var i = 0; i < entries.Count; i++)
            {
                var entry = entries[i];
                if (entry.Delete)
                {
                    DeleteFile(entry.Path);
                }
                else
                {
                    File.Move(temps[i]!, entry.Path, overwrite: true);
                    temps[i] = null;
                }

                CrashPoints.Hit(CrashPoints.BatchRenamed);
            }

            if (!syncEach)
            {
                SyncFileSystem(anyDirectory ?? Path.GetDirectoryName(entries[0].Path)!);
            }
        }
        finally
        {
            foreach (var temp in temps.OfType<string>())
            {
                File.Delete(temp);
            }
        }

        foreach (var entry in entries)
        {
            entry.Committed?.Invoke();
        }
    }

    /// <summary>Drops what is staged (tests).</summary>
    public void Clear()
    {
        _entries.Clear();
        _byPath.Clear();
    }

    private static void DeleteFile(string path)
    {
        if (!File.Exists(path))
        {
            return;
        }

        File.Delete(path);
        var folder = Path.GetDirectoryName(path)!;
        try
        {
            // A namespace folder the deletion emptied goes too, as ObjectStore.Delete always did.
            if (Directory.Exists(folder) && !Directory.EnumerateFileSystemEntries(folder).Any() && IsNamespaceFolder(folder))
            {
                Directory.Delete(folder);
            }
        }
        catch (IOException)
        {
            // Written to again meanwhile: it stays.
        }
    }

    // objects/<plural>.<group>/<namespace>/<name>.yaml: the folder two levels under objects/.
    private static bool IsNamespaceFolder(string folder) =>
        Path.GetFileName(Path.GetDirectoryName(Path.GetDirectoryName(folder))) == "objects";

    /// <summary>One sync of the file system that holds <paramref name="directory"/>: every file written so far, and their directory entries.</summary>
    private static void SyncFileSystem(string directory)
    {
        // Any folder of the file system will do; one the batch emptied and removed will not.
        while (!Directory.Exists(directory) && Path.GetDirectoryName(directory) is { } parent)
        {
            directory = parent;
        }

        var fd = Open(directory, 0 /* O_RDONLY */);
        if (fd < 0)
        {
            throw new IOException($"Could not open '{directory}' to sync it (errno {Marshal.GetLastPInvokeError()}).");
        }

        try
        {
            if (SyncFs(fd) != 0)
            {
                throw new IOException($"syncfs failed for '{directory}' (errno {Marshal.GetLastPInvokeError()}).");
            }
        }
        finally
        {
            Close(fd);
        }
    }

    [DllImport("libc", EntryPoint = "open", SetLastError = true)]
    private static extern int Open([MarshalAs(UnmanagedType.LPUTF8Str)] string path, int flags);

    [DllImport("libc", EntryPoint = "syncfs", SetLastError = true)]
    private static extern int SyncFs(int fd);

    [DllImport("libc", EntryPoint = "close", SetLastError = true)]
    private static extern int Close(int fd);

    private sealed record Entry(string Path, byte[]? Content, bool Delete, Action? Committed)
    {
        public bool Superseded { get; init; }
    }
}
