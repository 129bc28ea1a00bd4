using System.Text;

namespace Kratix.StateStores;

/// <summary>One entry of a Git tree: a blob (mode 100644, 100755 or 120000) or a submodule (160000).</summary>
internal readonly record struct GitTreeEntry(string Mode, string ObjectId)
{
    public const string RegularFile = "100644";

    public bool IsBlob => Mode is "100644" or "100755" or "120000";

    /// <summary>A file with content (not a symbolic link or a submodule).</summary>
    public bool IsRegularFile => Mode is "100644" or "100755";
}

/// <summary>An operation on one path of a Git tree, as fast-import will apply it.</summary>
internal readonly record struct GitTreeOperation(string Path, GitTreeEntry? Entry, byte[]? Content)
{
    public bool IsDeletion => Entry is null;
}

/// <summary>
/// An in-memory copy of the entries under the writer's base path in one commit (paths relative to the base path).
/// Applying a change to it yields exactly the paths whose entry changed, so a change that alters nothing is recognised
/// without asking git, and a batch of changes becomes one fast-import stream.
/// </summary>
internal sealed class GitTreeSnapshot
{
    private readonly Dictionary<string, GitTreeEntry> _entries;
    private readonly SortedSet<string> _paths;

    private GitTreeSnapshot(Dictionary<string, GitTreeEntry> entries, SortedSet<string> paths, bool sha256)
    {
        _entries = entries;
        _paths = paths;
        UsesSha256 = sha256;
    }

    public static GitTreeSnapshot Empty(bool sha256 = false) => new(new(StringComparer.Ordinal), new(StringComparer.Ordinal), sha256);

    /// <summary>True when the repository's object ids are SHA-256.</summary>
    public bool UsesSha256 { get; }

    public int Count => _entries.Count;

    /// <summary>
    /// Parses <c>git ls-tree -r -z</c> output, keeping the entries under <paramref name="basePath"/> with paths made relative to it.
    /// </summary>
    public static GitTreeSnapshot Parse(ReadOnlySpan<byte> lsTreeOutput, string basePath, bool sha256)
    {
        var snapshot = Empty(sha256);
        var prefix = basePath.Length == 0 ? "" : basePath + "/";
        while (!lsTreeOutput.IsEmpty)
        {
            var end = lsTreeOutput.IndexOf((byte)0);
            var record = end < 0 ? lsTreeOutput : lsTreeOutput[..end];
            lsTreeOutput = end < 0 ? default : lsTreeOutput[(end + 1)..];
            if (record.IsEmpty)
            {
                continue;
            }
            // <mode> SP <type> SP <object> TAB <path>
            var tab = record.IndexOf((byte)'\t');
            var header = Encoding.ASCII.GetString(record[..tab]).Split(' ');
            var path = Encoding.UTF8.GetString(record[(tab + 1)..]);
            if (!path.StartsWith(prefix, StringComparison.Ordinal) || path.Length == prefix.Length)
            {
                continue;
            }
            snapshot.Set(path[prefix.Length..], new GitTreeEntry(header[0], header[2]));
        }
        return snapshot;
    }

    public GitTreeSnapshot Clone() =>
        new(new Dictionary<string, GitTreeEntry>(_entries, StringComparer.Ordinal), new SortedSet<string>(_paths, StringComparer.Ordinal), UsesSha256);

    public bool TryGet(string path, out GitTreeEntry entry) => _entries.TryGetValue(path, out entry);

    /// <summary>The paths of blobs under <paramref name="directory"/> ("" for all), sorted ordinally.</summary>
    public IReadOnlyList<string> ListBlobs(string directory) =>
        Under(directory, includeSelf: false).Where(p => _entries[p].IsBlob).ToList();

    /// <summary>
    /// Applies a change (replace directory, then deletions, then files) and returns the operations that turn the tree before
    /// into the tree after: deletions first, then writes, each sorted by path. An empty list means the change alters nothing.
    /// </summary>
    public IReadOnlyList<GitTreeOperation> Apply(ValidatedChange change)
    {
        var before = new Dictionary<string, GitTreeEntry?>(StringComparer.Ordinal);
        var contents = new Dictionary<string, byte[]>(StringComparer.Ordinal);

        void Remember(string path)
        {
            if (!before.ContainsKey(path))
            {
                before[path] = _entries.TryGetValue(path, out var existing) ? existing : null;
            }
        }

        void RemoveTree(string path, Func<string, bool>? keep = null)
        {
            foreach (var victim in Under(path, includeSelf: true).ToList())
            {
                if (keep is null || !keep(victim))
                {
                    Remember(victim);
                    Remove(victim);
                }
            }
        }

        if (change.ReplaceDirectory is { } replace)
        {
            var keep = change.Files.Select(f => f.Path).ToHashSet(StringComparer.Ordinal);
            RemoveTree(replace, keep.Contains);
        }
        foreach (var deletion in change.Deletions)
        {
            RemoveTree(deletion);
        }
        foreach (var file in change.Files)
        {
            // A file replaces whatever stands at its path or at any of its ancestors, as in a Git tree.
            for (var slash = file.Path.IndexOf('/'); slash > 0; slash = file.Path.IndexOf('/', slash + 1))
            {
                var ancestor = file.Path[..slash];
                if (_entries.ContainsKey(ancestor))
                {
                    Remember(ancestor);
                    Remove(ancestor);
                }
            }
            foreach (var below in Under(file.Path, includeSelf: false).ToList())
            {
                Remember(below);
                Remove(below);
            }
            Remember(file.Path);
            Set(file.Path, new GitTreeEntry(GitTreeEntry.RegularFile, GitObjectId.ForBlob(file.Content, UsesSha256)));
            contents[file.Path] = file.Content;
        }

        var deletions = new List<GitTreeOperation>();
        var writes = new List<GitTreeOperation>();
        foreach (var (path, old) in before)
        {
            GitTreeEntry? now = _entries.TryGetValue(path, out var entry) ? entry : null;
            if (now == old)
            {
                continue;
            }
            if (now is null)
            {
                deletions.Add(new GitTreeOperation(path, null, null));
            }
            else
            {
                writes.Add(new GitTreeOperation(path, now, contents[path]));
            }
        }
        deletions.Sort((a, b) => string.CompareOrdinal(a.Path, b.Path));
        writes.Sort((a, b) => string.CompareOrdinal(a.Path, b.Path));
        deletions.AddRange(writes);
        return deletions;
    }

    private IEnumerable<string> Under(string directory, bool includeSelf)
    {
        if (directory.Length == 0)
        {
            return _paths;
        }
        var result = new List<string>();
        if (includeSelf && _entries.ContainsKey(directory))
        {
            result.Add(directory);
        }
        // In ordinal order everything under "dir/" sorts between "dir/" and "dir0" ('0' follows '/').
        foreach (var path in _paths.GetViewBetween(directory + "/", directory + "0"))
        {
            if (path.StartsWith(directory + "/", StringComparison.Ordinal))
            {
                result.Add(path);
            }
        }
        return result;
    }

    private void Set(string path, GitTreeEntry entry)
    {
        _entries[path] = entry;
        _paths.Add(path);
    }

    private void Remove(string path)
    {
        _entries.Remove(path);
        _paths.Remove(path);
    }
}
