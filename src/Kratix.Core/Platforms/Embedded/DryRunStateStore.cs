using Kratix.Objects;
using Kratix.StateStores;

namespace Kratix.Platforms.Embedded;

/// <summary>
/// A state store as a dry run sees it: reads go to the real store, writes go to an overlay in memory, so the scratch
/// platform's reconcile (placements written, a nestedByMetadata directory replaced, files removed) runs unchanged and the
/// real store is never written. Afterwards <see cref="Changes"/> compares the overlay with what the store holds.
/// </summary>
internal sealed class DryRunStateStore(KubeObject store, IStateStoreWriter real) : IStateStoreWriter
{
    private readonly Dictionary<string, byte[]?> _overlay = new(StringComparer.Ordinal);
    private readonly Dictionary<string, byte[]?> _real = new(StringComparer.Ordinal);
    private readonly SemaphoreSlim _gate = new(1, 1);

    public string Kind => store.Kind;

    public string Name => store.Name;

    public async Task<StateStoreWriteResult> WriteAsync(IReadOnlyList<StateStoreChange> changes, CancellationToken cancellationToken = default)
    {
        await _gate.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            var altered = new List<int>();
            for (var i = 0; i < changes.Count; i++)
            {
                var change = changes[i];
                var before = new Dictionary<string, byte[]?>(_overlay, StringComparer.Ordinal);
                var written = change.Files.Select(f => StatePaths.Normalize(f.Path, change.Description)).ToHashSet(StringComparer.Ordinal);
                if (change.ReplaceDirectory is { } directory)
                {
                    foreach (var path in await ListAsync(StatePaths.Normalize(directory, change.Description, allowRoot: true), cancellationToken).ConfigureAwait(false))
                    {
                        if (!written.Contains(path))
                        {
                            _overlay[path] = null;
                        }
                    }
                }

                foreach (var deletion in change.Deletions)
                {
                    var target = StatePaths.Normalize(deletion, change.Description);
                    foreach (var path in await ListAsync(target, cancellationToken).ConfigureAwait(false))
                    {
                        _overlay[path] = null;
                    }

                    if (await ReadUnlockedAsync(target, cancellationToken).ConfigureAwait(false) is not null)
                    {
                        _overlay[target] = null;
                    }
                }

                foreach (var file in change.Files)
                {
                    _overlay[StatePaths.Normalize(file.Path, change.Description)] = file.Content;
                }

                if (_overlay.Count != before.Count || _overlay.Any(kv => !before.TryGetValue(kv.Key, out var old) || !Same(old, kv.Value)))
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
        await _gate.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            return await ReadUnlockedAsync(StatePaths.Normalize(path, "read request"), cancellationToken).ConfigureAwait(false);
        }
        finally
        {
            _gate.Release();
        }
    }

    public async Task<IReadOnlyList<string>> ListFilesAsync(string directory, CancellationToken cancellationToken = default)
    {
        await _gate.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            return await ListAsync(StatePaths.Normalize(directory, "list request", allowRoot: true), cancellationToken).ConfigureAwait(false);
        }
        finally
        {
            _gate.Release();
        }
    }

    /// <summary>A dry run checks nothing: a real check writes to the store (a Git store's check pushes a ref).</summary>
    public Task<StateStoreAccess> CheckAccessAsync(CancellationToken cancellationToken = default) =>
        Task.FromResult(new StateStoreAccess(true, true, "Not checked: a dry run does not write to the store.", null));

    public Task ValidatePermissionsAsync(CancellationToken cancellationToken = default) => Task.CompletedTask;

    /// <summary>Every file whose content the overlay changes, with what the store holds now and what it would hold; sorted by path.</summary>
    public async Task<IReadOnlyList<(string Path, byte[]? Before, byte[]? After)>> Changes(CancellationToken cancellationToken)
    {
        var changes = new List<(string, byte[]?, byte[]?)>();
        foreach (var (path, after) in _overlay.OrderBy(kv => kv.Key, StringComparer.Ordinal))
        {
            var before = await RealAsync(path, cancellationToken).ConfigureAwait(false);
            if (!Same(before, after))
            {
                changes.Add((path, before, after));
            }
        }

        return changes;
    }

    public ValueTask DisposeAsync()
    {
        _gate.Dispose();
        return real.DisposeAsync();
    }

    private async Task<byte[]?> ReadUnlockedAsync(string path, CancellationToken cancellationToken) =>
        _overlay.TryGetValue(path, out var content) ? content : await RealAsync(path, cancellationToken).ConfigureAwait(false);

    /// <summary>What the real store holds at a path, read once.</summary>
    private async Task<byte[]?> RealAsync(string path, CancellationToken cancellationToken)
    {
        if (!_real.TryGetValue(path, out var content))
        {
            content = await real.ReadFileAsync(path, cancellationToken).ConfigureAwait(false);
            _real[path] = content;
        }

        return content;
    }

    /// <summary>The files under a directory (the whole store for ""), real ones the overlay has not removed and the overlay's own.</summary>
    private async Task<IReadOnlyList<string>> ListAsync(string directory, CancellationToken cancellationToken)
    {
        var files = new SortedSet<string>(await real.ListFilesAsync(directory, cancellationToken).ConfigureAwait(false), StringComparer.Ordinal);
        foreach (var (path, content) in _overlay.Where(kv => directory.Length == 0 || StatePaths.IsUnder(kv.Key, directory)))
        {
            if (content is null)
            {
                files.Remove(path);
            }
            else
            {
                files.Add(path);
            }
        }

        return files.ToList();
    }

    private static bool Same(byte[]? a, byte[]? b) => a is null ? b is null : b is not null && a.AsSpan().SequenceEqual(b);
}
