namespace Kratix.StateStores;

/// <summary>
/// A state store that is a plain directory (for example one a GitOps agent or a test reads directly).
/// Each file is written atomically: the content goes to a temporary file in the same directory, which is then renamed over
/// the target, so a reader (or another process writing the same root) never sees a half-written file.
/// Calls on one instance are serialised. Writing a file where a directory (or a symbolic link) stands replaces it, and
/// writing under a path where a file stands replaces that file with a directory, as a Git tree would; symbolic links are
/// never followed when writing or deleting.
/// </summary>
public sealed class DirectoryStateStoreWriter : IStateStoreWriter
{
    /// <summary>Temporary files are named with this prefix followed by 32 hex digits; such names are reserved.</summary>
    internal const string TemporaryFilePrefix = ".kratix-tmp-";

    private readonly SemaphoreSlim _gate = new(1, 1);
    private bool _disposed;

    public DirectoryStateStoreWriter(string rootDirectory)
    {
        if (string.IsNullOrWhiteSpace(rootDirectory))
        {
            throw new KratixException("StateStoreOptionsInvalid", KratixErrorCategory.InvalidArgument,
                "A directory state store needs a root directory path.");
        }
        RootDirectory = Path.GetFullPath(rootDirectory);
    }

    /// <summary>The absolute path of the store's root directory.</summary>
    public string RootDirectory { get; }

    public async Task<StateStoreWriteResult> WriteAsync(IReadOnlyList<StateStoreChange> changes, CancellationToken cancellationToken = default)
    {
        var validated = StatePaths.ValidateChanges(changes);
        foreach (var change in validated)
        {
            foreach (var path in change.Files.Select(f => f.Path).Concat(change.Deletions).Append(change.ReplaceDirectory))
            {
                if (path is not null && path.Split('/').Any(IsTemporaryName))
                {
                    throw new KratixException(StatePaths.PathEscapesErrorId, KratixErrorCategory.InvalidArgument,
                        $"Refusing the path '{path}' in the change '{change.Description}': names of the form '{TemporaryFilePrefix}<32 hex digits>' are reserved for the directory writer's temporary files. Nothing was written.",
                        path);
                }
            }
        }

        await _gate.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            ObjectDisposedException.ThrowIf(_disposed, this);
            var altered = new List<int>();
            for (var i = 0; i < validated.Count; i++)
            {
                cancellationToken.ThrowIfCancellationRequested();
                if (Apply(validated[i], cancellationToken))
                {
                    altered.Add(i);
                }
            }
            return new StateStoreWriteResult(null, altered.Count > 0, altered.Count, altered);
        }
        finally
        {
            _gate.Release();
        }
    }

    public async Task<byte[]?> ReadFileAsync(string path, CancellationToken cancellationToken = default)
    {
        var relative = StatePaths.Normalize(path, "read request");
        await _gate.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            ObjectDisposedException.ThrowIf(_disposed, this);
            var full = FullPath(relative);
            if (KindOf(full) != EntryKind.File)
            {
                return null;
            }
            try
            {
                return await File.ReadAllBytesAsync(full, cancellationToken).ConfigureAwait(false);
            }
            catch (Exception e) when (e is FileNotFoundException or DirectoryNotFoundException)
            {
                return null;
            }
            catch (Exception e) when (e is IOException or UnauthorizedAccessException)
            {
                throw new KratixException("StateStoreReadFailed", KratixErrorCategory.ResourceUnavailable,
                    $"Could not read '{full}' from the directory state store: {e.Message}", full, e);
            }
        }
        finally
        {
            _gate.Release();
        }
    }

    public async Task<IReadOnlyList<string>> ListFilesAsync(string directory, CancellationToken cancellationToken = default)
    {
        var relative = StatePaths.Normalize(directory, "list request", allowRoot: true);
        await _gate.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            ObjectDisposedException.ThrowIf(_disposed, this);
            var full = relative.Length == 0 ? RootDirectory : FullPath(relative);
            if (KindOf(full) != EntryKind.Directory)
            {
                return [];
            }
            try
            {
                var files = EnumerateFiles(full).Select(RelativePath).ToList();
                files.Sort(StringComparer.Ordinal);
                return files;
            }
            catch (Exception e) when (e is IOException or UnauthorizedAccessException)
            {
                throw new KratixException("StateStoreReadFailed", KratixErrorCategory.ResourceUnavailable,
                    $"Could not list '{full}' in the directory state store: {e.Message}", full, e);
            }
        }
        finally
        {
            _gate.Release();
        }
    }

    public async Task ValidatePermissionsAsync(CancellationToken cancellationToken = default) =>
        (await CheckAccessAsync(cancellationToken).ConfigureAwait(false)).ThrowIfDenied();

    /// <summary>
    /// Write: a probe file (a reserved temporary name) written in the root directory, read back and deleted, with any
    /// directories created for it removed again. Read: the root directory can be listed, and the probe read back.
    /// </summary>
    public async Task<StateStoreAccess> CheckAccessAsync(CancellationToken cancellationToken = default)
    {
        await _gate.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            ObjectDisposedException.ThrowIf(_disposed, this);
            // Remember which directories we create so that the check leaves nothing behind.
            var created = new List<string>();
            for (var dir = RootDirectory; dir is not null && !Directory.Exists(dir); dir = Path.GetDirectoryName(dir))
            {
                created.Add(dir);
            }
            var probe = Path.Combine(RootDirectory, TemporaryFilePrefix + Guid.NewGuid().ToString("N"));
            var read = false;
            var written = false;
            try
            {
                if (Directory.Exists(RootDirectory))
                {
                    _ = Directory.EnumerateFileSystemEntries(RootDirectory).Take(1).Count();
                    read = true;
                }

                Directory.CreateDirectory(RootDirectory);
                var content = "kratix write permission check"u8.ToArray();
                await File.WriteAllBytesAsync(probe, content, cancellationToken).ConfigureAwait(false);
                written = true;
                var readBack = await File.ReadAllBytesAsync(probe, cancellationToken).ConfigureAwait(false);
                if (!readBack.AsSpan().SequenceEqual(content))
                {
                    throw new IOException("the file read back differs from the file written");
                }

                File.Delete(probe);
                return new StateStoreAccess(true, true,
                    $"Listed the directory '{RootDirectory}', and wrote, read back and deleted the probe file {Path.GetFileName(probe)}.", null);
            }
            catch (Exception e) when (e is IOException or UnauthorizedAccessException)
            {
                var error = new KratixException("StateStoreNotWritable", KratixErrorCategory.PermissionDenied,
                    $"The directory state store '{RootDirectory}' is not readable and writable: {e.Message}", RootDirectory, e);
                // Listing or reading back failed after a successful write: not readable; a failed write: not writable.
                return new StateStoreAccess(read && !written, written, error.Message, error);
            }
            finally
            {
                TryDelete(probe);
                foreach (var dir in created)
                {
                    try
                    {
                        Directory.Delete(dir);
                    }
                    catch (Exception e) when (e is IOException or UnauthorizedAccessException)
                    {
                        break;
                    }
                }
            }
        }
        finally
        {
            _gate.Release();
        }
    }

    public ValueTask DisposeAsync()
    {
        if (!_disposed)
        {
            _disposed = true;
            // Do not dispose the semaphore: a call racing with disposal must still be able to release it.
        }
        return ValueTask.CompletedTask;
    }

    private bool Apply(ValidatedChange change, CancellationToken cancellationToken)
    {
        var changed = false;
        var emptiedDirectories = new List<string>();
        string current = RootDirectory;
        try
        {
            if (change.ReplaceDirectory is { } replace)
            {
                var keep = change.Files.Select(f => f.Path).Where(p => StatePaths.IsUnder(p, replace)).ToHashSet(StringComparer.Ordinal);
                var full = FullPath(replace);
                current = full;
                switch (KindOf(full))
                {
                    case EntryKind.Directory:
                        foreach (var file in EnumerateFiles(full).ToList())
                        {
                            if (!keep.Contains(RelativePath(file)))
                            {
                                current = file;
                                DeleteEntry(file);
                                emptiedDirectories.Add(Path.GetDirectoryName(file)!);
                                changed = true;
                            }
                        }
                        break;
                    case EntryKind.File or EntryKind.Link when !keep.Contains(replace):
                        DeleteEntry(full);
                        emptiedDirectories.Add(Path.GetDirectoryName(full)!);
                        changed = true;
                        break;
                }
            }

            foreach (var deletion in change.Deletions)
            {
                var full = FullPath(deletion);
                current = full;
                if (KindOf(full) != EntryKind.None)
                {
                    DeleteEntry(full);
                    emptiedDirectories.Add(Path.GetDirectoryName(full)!);
                    changed = true;
                }
            }

            foreach (var file in change.Files)
            {
                cancellationToken.ThrowIfCancellationRequested();
                current = FullPath(file.Path);
                changed |= WriteFile(file.Path, file.Content);
            }

            foreach (var dir in emptiedDirectories.Distinct().OrderByDescending(d => d.Length))
            {
                PruneEmptyDirectories(dir);
            }
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw new KratixException("StateStoreWriteFailed", KratixErrorCategory.WriteError,
                $"Could not apply the change '{change.Description}' to the directory state store at '{current}': {e.Message}", current, e);
        }
        return changed;
    }

    private bool WriteFile(string relativePath, byte[] content)
    {
        var changed = false;
        var full = FullPath(relativePath);
        var segments = relativePath.Split('/');
        for (var attempt = 1; ; attempt++)
        {
            // Make every ancestor a real directory, replacing files or links that stand in the way.
            var dir = RootDirectory;
            Directory.CreateDirectory(dir);
            for (var i = 0; i < segments.Length - 1; i++)
            {
                dir = Path.Combine(dir, segments[i]);
                var kind = KindOf(dir);
                if (kind is EntryKind.File or EntryKind.Link)
                {
                    DeleteEntry(dir);
                    changed = true;
                    kind = EntryKind.None;
                }
                if (kind == EntryKind.None)
                {
                    Directory.CreateDirectory(dir);
                }
            }

            switch (KindOf(full))
            {
                case EntryKind.Directory or EntryKind.Link:
                    DeleteEntry(full);
                    changed = true;
                    break;
                case EntryKind.File when HasContent(full, content):
                    return changed;
            }

            var temporary = Path.Combine(dir, TemporaryFilePrefix + Guid.NewGuid().ToString("N"));
            try
            {
                using (var stream = new FileStream(temporary, FileMode.CreateNew, FileAccess.Write, FileShare.None))
                {
                    stream.Write(content);
                }
                File.Move(temporary, full, overwrite: true);
                return true;
            }
            catch (DirectoryNotFoundException) when (attempt < 5)
            {
                // Another process pruned the parent directory between our creating it and writing into it: try again.
                TryDelete(temporary);
            }
            catch
            {
                TryDelete(temporary);
                throw;
            }
        }
    }

    private static bool HasContent(string path, byte[] content)
    {
        try
        {
            var info = new FileInfo(path);
            return info.Length == content.Length && File.ReadAllBytes(path).AsSpan().SequenceEqual(content);
        }
        catch (Exception e) when (e is FileNotFoundException or DirectoryNotFoundException)
        {
            return false;
        }
    }

    private void PruneEmptyDirectories(string directory)
    {
        for (var dir = directory; IsStrictlyUnderRoot(dir); dir = Path.GetDirectoryName(dir)!)
        {
            if (KindOf(dir) != EntryKind.Directory || Directory.EnumerateFileSystemEntries(dir).Any())
            {
                return;
            }
            try
            {
                Directory.Delete(dir);
            }
            catch (IOException)
            {
                // Not empty any more (another process wrote into it) or already gone: either way, stop here.
                return;
            }
        }
    }

    private bool IsStrictlyUnderRoot(string path) =>
        path.Length > RootDirectory.Length
        && path.StartsWith(RootDirectory, OperatingSystem.IsWindows() ? StringComparison.OrdinalIgnoreCase : StringComparison.Ordinal)
        && (path[RootDirectory.Length] == Path.DirectorySeparatorChar || RootDirectory.EndsWith(Path.DirectorySeparatorChar));

    /// <summary>Every file (and symbolic link) under <paramref name="directory"/>, not following links, skipping temporary files.</summary>
    private static IEnumerable<string> EnumerateFiles(string directory)
    {
        var pending = new Stack<string>();
        pending.Push(directory);
        while (pending.Count > 0)
        {
            var dir = pending.Pop();
            IEnumerable<FileSystemInfo> entries;
            try
            {
                entries = new DirectoryInfo(dir).EnumerateFileSystemInfos().ToList();
            }
            catch (DirectoryNotFoundException)
            {
                continue;
            }
            foreach (var entry in entries)
            {
                if (entry is DirectoryInfo && !entry.Attributes.HasFlag(FileAttributes.ReparsePoint))
                {
                    pending.Push(entry.FullName);
                }
                else if (!IsTemporaryName(entry.Name))
                {
                    yield return entry.FullName;
                }
            }
        }
    }

    private static bool IsTemporaryName(string name) =>
        name.Length == TemporaryFilePrefix.Length + 32
        && name.StartsWith(TemporaryFilePrefix, StringComparison.Ordinal)
        && name.AsSpan(TemporaryFilePrefix.Length).IndexOfAnyExcept("0123456789abcdefABCDEF") < 0;

    private string FullPath(string relativePath) =>
        Path.Combine(RootDirectory, relativePath.Replace('/', Path.DirectorySeparatorChar));

    private string RelativePath(string fullPath) =>
        Path.GetRelativePath(RootDirectory, fullPath).Replace(Path.DirectorySeparatorChar, '/');

    private enum EntryKind { None, File, Directory, Link }

    private static EntryKind KindOf(string path)
    {
        FileAttributes attributes;
        try
        {
            attributes = File.GetAttributes(path);
        }
        catch (Exception e) when (e is FileNotFoundException or DirectoryNotFoundException)
        {
            return EntryKind.None;
        }
        if (attributes.HasFlag(FileAttributes.ReparsePoint))
        {
            return EntryKind.Link;
        }
        return attributes.HasFlag(FileAttributes.Directory) ? EntryKind.Directory : EntryKind.File;
    }

    /// <summary>Deletes a file, a link (never its target) or a directory tree.</summary>
    private static void DeleteEntry(string path)
    {
        switch (KindOf(path))
        {
            case EntryKind.Directory:
                Directory.Delete(path, recursive: true);
                break;
            case EntryKind.Link when OperatingSystem.IsWindows() && File.GetAttributes(path).HasFlag(FileAttributes.Directory):
                Directory.Delete(path);
                break;
            case EntryKind.File or EntryKind.Link:
                File.Delete(path);
                break;
        }
    }

    private static void TryDelete(string path)
    {
        try
        {
            File.Delete(path);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            // Best effort: a leftover temporary file is skipped by listings and replaced on the next write.
        }
    }
}
