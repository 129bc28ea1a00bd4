using System.Text;

namespace Kratix.StateStores;

/// <summary>
/// Validates and normalises the relative paths written to state stores.
/// Normalisation: '\' becomes '/', empty and '.' segments are dropped (so a leading "./" is stripped) and '..' segments are
/// resolved. Refused, with <c>StateStorePathEscapes</c>: absolute paths, '..' that would leave the root, empty paths, NUL and
/// other control characters, unpaired UTF-16 surrogates, and names Git or Windows cannot hold ('.git' and its 8.3 alias
/// 'git~1', a trailing dot or space, any of &lt;&gt;:"|?*, and the reserved device names CON, PRN, AUX, NUL, COM0-9, LPT0-9,
/// CONIN$, CONOUT$ with or without an extension).
/// Upstream Kratix silently skips a file whose path escapes the repository; this writer refuses the whole write instead.
/// </summary>
public static class StatePaths
{
    /// <summary>Error id for every refused path.</summary>
    public const string PathEscapesErrorId = "StateStorePathEscapes";

    /// <summary>Error id for two paths in one change that cannot both exist (the same file twice, or a file inside another file).</summary>
    public const string PathConflictErrorId = "StateStorePathConflict";

    /// <summary>Error id for a change that is not well formed (null, no description).</summary>
    public const string ChangeInvalidErrorId = "StateStoreChangeInvalid";

    private static readonly HashSet<string> ReservedDeviceNames = new(StringComparer.OrdinalIgnoreCase)
    {
        "CON", "PRN", "AUX", "NUL", "CONIN$", "CONOUT$",
        "COM0", "COM1", "COM2", "COM3", "COM4", "COM5", "COM6", "COM7", "COM8", "COM9", "COM\u00B9", "COM\u00B2", "COM\u00B3",
        "LPT0", "LPT1", "LPT2", "LPT3", "LPT4", "LPT5", "LPT6", "LPT7", "LPT8", "LPT9", "LPT\u00B9", "LPT\u00B2", "LPT\u00B3",
    };

    private const string InvalidNameCharacters = "<>:\"|?*";

    /// <summary>
    /// Returns the normalised form of <paramref name="path"/> ('/'-separated, no leading "./", no '.' or '..' segments),
    /// or throws a <see cref="KratixException"/> with <see cref="PathEscapesErrorId"/> naming <paramref name="context"/> and the path.
    /// </summary>
    /// <param name="path">The path as given.</param>
    /// <param name="context">What the path belongs to, for the message (e.g. "change 'Update from: wp-1'").</param>
    /// <param name="allowRoot">When true, a path that normalises to the root returns "" instead of being refused.</param>
    public static string Normalize(string? path, string context, bool allowRoot = false)
    {
        if (path is null)
        {
            if (allowRoot)
            {
                return "";
            }
            throw Refuse(context, path, "the path is missing");
        }

        for (var i = 0; i < path.Length; i++)
        {
            var c = path[i];
            if (c < 0x20 || c == 0x7F)
            {
                throw Refuse(context, path, c == '\0'
                    ? "it contains a NUL character"
                    : $"it contains the control character U+{(int)c:X4}");
            }
            if (char.IsHighSurrogate(c) && (i + 1 >= path.Length || !char.IsLowSurrogate(path[i + 1])))
            {
                throw Refuse(context, path, "it contains an unpaired UTF-16 surrogate, which cannot be stored as UTF-8");
            }
            if (char.IsLowSurrogate(c) && (i == 0 || !char.IsHighSurrogate(path[i - 1])))
            {
                throw Refuse(context, path, "it contains an unpaired UTF-16 surrogate, which cannot be stored as UTF-8");
            }
        }

        var slashed = path.Replace('\\', '/');
        if (slashed.StartsWith('/'))
        {
            throw Refuse(context, path, "it is absolute; state store paths are relative to the store's root");
        }
        if (slashed.Length >= 2 && slashed[1] == ':' && char.IsAsciiLetter(slashed[0]))
        {
            throw Refuse(context, path, "it starts with a drive letter; state store paths are relative to the store's root");
        }

        var segments = new List<string>();
        foreach (var segment in slashed.Split('/'))
        {
            if (segment.Length == 0 || segment == ".")
            {
                continue;
            }
            if (segment == "..")
            {
                if (segments.Count == 0)
                {
                    throw Refuse(context, path, "its '..' segments leave the state store's root");
                }
                segments.RemoveAt(segments.Count - 1);
                continue;
            }
            var problem = SegmentProblem(segment);
            if (problem is not null)
            {
                throw Refuse(context, path, problem);
            }
            segments.Add(segment);
        }

        if (segments.Count == 0 && !allowRoot)
        {
            throw Refuse(context, path, path.Length == 0 ? "it is empty" : "it names the state store's root, not a file or directory under it");
        }
        return string.Join('/', segments);
    }

    /// <summary>Joins a normalised base path and a normalised relative path.</summary>
    public static string Combine(string basePath, string relativePath) =>
        basePath.Length == 0 ? relativePath : relativePath.Length == 0 ? basePath : basePath + "/" + relativePath;

    /// <summary>True when <paramref name="path"/> is <paramref name="directory"/> or lies under it (both normalised; "" is the root).</summary>
    public static bool IsUnder(string path, string directory) =>
        directory.Length == 0 || path == directory || (path.Length > directory.Length && path[directory.Length] == '/' && path.StartsWith(directory, StringComparison.Ordinal));

    /// <summary>
    /// Validates and normalises every change before anything is written, so that one bad path means nothing lands.
    /// </summary>
    internal static IReadOnlyList<ValidatedChange> ValidateChanges(IReadOnlyList<StateStoreChange>? changes)
    {
        if (changes is null)
        {
            throw new KratixException(ChangeInvalidErrorId, KratixErrorCategory.InvalidArgument,
                "No list of state store changes was given. Pass an empty list to write nothing.");
        }

        var result = new List<ValidatedChange>(changes.Count);
        for (var index = 0; index < changes.Count; index++)
        {
            var change = changes[index];
            if (change is null)
            {
                throw new KratixException(ChangeInvalidErrorId, KratixErrorCategory.InvalidArgument,
                    $"State store change #{index + 1} is null. Every change needs a description and lists of files and deletions.");
            }
            if (string.IsNullOrWhiteSpace(change.Description))
            {
                throw new KratixException(ChangeInvalidErrorId, KratixErrorCategory.InvalidArgument,
                    $"State store change #{index + 1} has no description. It becomes the Git commit subject, e.g. 'Update from: <workPlacementName>'.",
                    change);
            }

            var context = $"change '{change.Description}'";
            var files = new List<StateStoreFile>(change.Files?.Count ?? 0);
            var filePaths = new HashSet<string>(StringComparer.Ordinal);
            foreach (var file in change.Files ?? [])
            {
                if (file is null)
                {
                    throw new KratixException(ChangeInvalidErrorId, KratixErrorCategory.InvalidArgument,
                        $"The {context} lists a null file.", change);
                }
                var normalized = Normalize(file.Path, context);
                if (!filePaths.Add(normalized))
                {
                    throw new KratixException(PathConflictErrorId, KratixErrorCategory.InvalidArgument,
                        $"The {context} writes the file '{normalized}' more than once. Each file may appear once per change.", file.Path);
                }
                files.Add(new StateStoreFile(normalized, file.Content ?? []));
            }
            foreach (var path in filePaths)
            {
                for (var slash = path.IndexOf('/'); slash > 0; slash = path.IndexOf('/', slash + 1))
                {
                    var ancestor = path[..slash];
                    if (filePaths.Contains(ancestor))
                    {
                        throw new KratixException(PathConflictErrorId, KratixErrorCategory.InvalidArgument,
                            $"The {context} writes both the file '{ancestor}' and the file '{path}' inside it; a path cannot be both a file and a directory.",
                            path);
                    }
                }
            }

            var deletions = new List<string>(change.Deletions?.Count ?? 0);
            foreach (var deletion in change.Deletions ?? [])
            {
                deletions.Add(Normalize(deletion, context));
            }

            var replace = change.ReplaceDirectory is null ? null : Normalize(change.ReplaceDirectory, context);
            result.Add(new ValidatedChange(change.Description, files, deletions, replace));
        }
        return result;
    }

    private static string? SegmentProblem(string segment)
    {
        if (segment.Equals(".git", StringComparison.OrdinalIgnoreCase) || segment.Equals("git~1", StringComparison.OrdinalIgnoreCase))
        {
            return $"the name '{segment}' is reserved by Git";
        }
        var invalid = segment.IndexOfAny(InvalidNameCharacters.ToCharArray());
        if (invalid >= 0)
        {
            return $"the name '{segment}' contains '{segment[invalid]}', which Windows cannot hold in a file name (none of <>:\"|?* may appear)";
        }
        if (segment.EndsWith('.') || segment.EndsWith(' '))
        {
            return $"the name '{segment}' ends with a {(segment.EndsWith('.') ? "dot" : "space")}, which Windows drops from file names";
        }
        var dot = segment.IndexOf('.');
        var stem = (dot < 0 ? segment : segment[..dot]).TrimEnd(' ');
        if (ReservedDeviceNames.Contains(stem))
        {
            return $"the name '{segment}' is a reserved device name on Windows ({stem.ToUpperInvariant()})";
        }
        return null;
    }

    private static KratixException Refuse(string context, string? path, string reason) =>
        new(PathEscapesErrorId, KratixErrorCategory.InvalidArgument,
            $"Refusing the path '{Printable(path)}' in the {context}: {reason}. Nothing was written.",
            path);

    private static string Printable(string? path)
    {
        if (path is null)
        {
            return "<null>";
        }
        var builder = new StringBuilder(path.Length);
        foreach (var c in path)
        {
            builder.Append(c < 0x20 || c == 0x7F ? $"\\u{(int)c:x4}" : c.ToString());
        }
        return builder.ToString();
    }
}
