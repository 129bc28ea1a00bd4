namespace Kratix.Pipelines.Runtimes;

/// <summary>
/// The root file system of a Host-runtime sandbox, as bubblewrap options: the host's system directories read-only, with
/// an image folder (<see cref="HostImage.Path"/>) merged over them as an image build would lay it down.
/// <para>
/// bwrap 0.8 has no overlay mounts, so the merge is built from binds and symbolic links. A top-level entry the host lacks
/// is bound whole. Where the folder and the host both have a directory (<c>usr</c>, <c>usr/bin</c>), the directory is
/// created in the sandbox and filled: the folder's entries are bound (its file wins over a host file of the same name) and
/// the host's other entries appear as symbolic links into a read-only mirror of the host's system directories at
/// <see cref="MirrorRoot"/>. Links rather than one bind per host entry because bwrap re-reads the mount table after every
/// mount: binding each of /usr/bin's ~1,300 entries costs about 0.9 s here, the links about 20 ms. The host's own symbolic
/// links are reproduced as they are, so relative links keep working. A folder directory laid over a host symbolic link
/// (<c>bin</c> -> <c>usr/bin</c>) is merged into the link's target, as <c>ADD x /bin/</c> writes into <c>/usr/bin</c>.
/// </para>
/// </summary>
internal sealed class HostFileSystem
{
    /// <summary>Where the host's system directories are mirrored read-only when a merge needs them.</summary>
    public const string MirrorRoot = "/.kratix-host";

    /// <summary>The host's top-level system directories a sandbox sees (those that exist).</summary>
    public static IReadOnlyList<string> SystemEntries { get; } = ["usr", "bin", "sbin", "lib", "lib32", "lib64", "etc", "opt"];

    private const int MaxLinkDepth = 16;

    private readonly string _hostRoot;
    private readonly DirectoryNode _root = new();
    private bool _usesMirror;

    /// <param name="hostRoot">The host's root ("/"), a parameter only so tests can lay out a fake host.</param>
    private HostFileSystem(string hostRoot)
    {
        _hostRoot = hostRoot;
        foreach (var name in SystemEntries)
        {
            var host = HostPath("/" + name);
            var info = new DirectoryInfo(host);
            if (info.LinkTarget is { } target)
            {
                _root.Children[name] = new LinkNode(target);
            }
            else if (info.Exists)
            {
                _root.Children[name] = new HostNode(host, ViaMirror: false);
            }
        }
    }

    /// <summary>
    /// The bwrap options that build the root: the system directories, merged with <paramref name="imageFolder"/> when
    /// given, and an empty writable <c>/root</c> for HOME when the folder has none.
    /// </summary>
    public static IReadOnlyList<string> Options(string? imageFolder, string hostRoot = "/")
    {
        var fileSystem = new HostFileSystem(hostRoot);
        if (imageFolder is not null)
        {
            fileSystem.Overlay(fileSystem._root, "/", imageFolder);
        }
        fileSystem._root.Children.TryAdd("root", new DirectoryNode());
        return fileSystem.Emit();
    }

    private string HostPath(string sandboxPath) =>
        _hostRoot == "/" ? sandboxPath : Path.Join(_hostRoot, sandboxPath);

    private void Overlay(DirectoryNode directory, string sandboxPath, string folder)
    {
        foreach (var entry in new DirectoryInfo(folder).EnumerateFileSystemInfos().OrderBy(e => e.Name, StringComparer.Ordinal))
        {
            var childPath = Join(sandboxPath, entry.Name);
            if (entry.LinkTarget is { } linkTarget)
            {
                directory.Children[entry.Name] = new LinkNode(linkTarget);
            }
            else if (entry is DirectoryInfo && MergeTarget(directory, entry.Name, childPath) is { } target)
            {
                Overlay(target.Directory, target.Path, entry.FullName);
            }
            else
            {
                directory.Children[entry.Name] = new FolderNode(entry.FullName);
            }
        }
    }

    /// <summary>The sandbox directory a folder directory merges into, or null when the folder's entry simply replaces what is there.</summary>
    private (DirectoryNode Directory, string Path)? MergeTarget(DirectoryNode parent, string name, string path)
    {
        parent.Children.TryGetValue(name, out var existing);
        switch (existing)
        {
            case DirectoryNode directory:
                return (directory, path);
            case HostNode host when Directory.Exists(host.HostPath):
                var expanded = Expand(host.HostPath);
                parent.Children[name] = expanded;
                return (expanded, path);
            case LinkNode link:
                var resolved = Normalize(link.Target.StartsWith('/') ? link.Target : Join(ParentOf(path), link.Target));
                return Resolve(resolved, 0) is { } target ? (target, resolved) : null;
            default:
                return null;
        }
    }

    /// <summary>The directory node at an absolute sandbox path, expanding host directories and following links on the way; null when there is none.</summary>
    private DirectoryNode? Resolve(string path, int depth)
    {
        if (depth > MaxLinkDepth)
        {
            return null;
        }
        var components = path.Split('/', StringSplitOptions.RemoveEmptyEntries);
        var node = _root;
        var current = "/";
        for (var i = 0; i < components.Length; i++)
        {
            node.Children.TryGetValue(components[i], out var child);
            var childPath = Join(current, components[i]);
            switch (child)
            {
                case DirectoryNode directory:
                    node = directory;
                    break;
                case HostNode host when Directory.Exists(host.HostPath):
                    var expanded = Expand(host.HostPath);
                    node.Children[components[i]] = expanded;
                    node = expanded;
                    break;
                case LinkNode link:
                    var target = link.Target.StartsWith('/') ? link.Target : Join(current, link.Target);
                    return Resolve(Normalize(string.Join('/', new[] { target }.Concat(components.Skip(i + 1)))), depth + 1);
                default:
                    return null;
            }
            current = childPath;
        }
        return node;
    }

    /// <summary>A host directory as a sandbox directory whose entries point into the mirror (host links stay links).</summary>
    private DirectoryNode Expand(string hostDirectory)
    {
        _usesMirror = true;
        var directory = new DirectoryNode();
        foreach (var entry in new DirectoryInfo(hostDirectory).EnumerateFileSystemInfos())
        {
            directory.Children[entry.Name] = entry.LinkTarget is { } target
                ? new LinkNode(target)
                : new HostNode(entry.FullName, ViaMirror: true);
        }
        return directory;
    }

    private List<string> Emit()
    {
        var options = new List<string>();
        if (_usesMirror)
        {
            foreach (var name in SystemEntries)
            {
                var host = HostPath("/" + name);
                var info = new DirectoryInfo(host);
                if (info.LinkTarget is { } target)
                {
                    options.AddRange(["--symlink", target, MirrorRoot + "/" + name]);
                }
                else if (info.Exists)
                {
                    options.AddRange(["--ro-bind", host, MirrorRoot + "/" + name]);
                }
            }
        }
        Emit(_root, "/", options);
        return options;
    }

    private void Emit(Node node, string path, List<string> options)
    {
        switch (node)
        {
            case DirectoryNode directory:
                if (path != "/")
                {
                    options.AddRange(["--dir", path]);
                }
                foreach (var (name, child) in directory.Children)
                {
                    Emit(child, Join(path, name), options);
                }
                break;
            case HostNode { ViaMirror: true } host:
                options.AddRange(["--symlink", MirrorRoot + SandboxPathOf(host.HostPath), path]);
                break;
            case HostNode host:
                options.AddRange(["--ro-bind", host.HostPath, path]);
                break;
            case LinkNode link:
                options.AddRange(["--symlink", link.Target, path]);
                break;
            case FolderNode folder:
                options.AddRange(["--ro-bind", folder.FolderPath, path]);
                break;
        }
    }

    private string SandboxPathOf(string hostPath) =>
        _hostRoot == "/" ? hostPath : "/" + Path.GetRelativePath(_hostRoot, hostPath).Replace('\\', '/');

    private static string Join(string directory, string name) => directory.EndsWith('/') ? directory + name : directory + "/" + name;

    private static string ParentOf(string path)
    {
        var index = path.TrimEnd('/').LastIndexOf('/');
        return index <= 0 ? "/" : path[..index];
    }

    /// <summary>Resolves "." and ".." lexically in an absolute path.</summary>
    private static string Normalize(string path)
    {
        var parts = new List<string>();
        foreach (var part in path.Split('/', StringSplitOptions.RemoveEmptyEntries))
        {
            if (part == "..")
            {
                if (parts.Count > 0)
                {
                    parts.RemoveAt(parts.Count - 1);
                }
            }
            else if (part != ".")
            {
                parts.Add(part);
            }
        }
        return "/" + string.Join('/', parts);
    }

    private abstract record Node;

    private sealed record DirectoryNode : Node
    {
        public SortedDictionary<string, Node> Children { get; } = new(StringComparer.Ordinal);
    }

    /// <summary>A host file or directory at the same path in the sandbox: bound whole, or (inside a merged directory) a link into the mirror.</summary>
    private sealed record HostNode(string HostPath, bool ViaMirror) : Node;

    private sealed record LinkNode(string Target) : Node;

    private sealed record FolderNode(string FolderPath) : Node;
}
