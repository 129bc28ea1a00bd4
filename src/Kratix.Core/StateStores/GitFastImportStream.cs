using System.Text;

namespace Kratix.StateStores;

/// <summary>A commit to build: its message and the tree operations (paths relative to the writer's base path).</summary>
internal sealed record GitPlannedCommit(string Message, IReadOnlyList<GitTreeOperation> Operations);

/// <summary>
/// Writes the <c>git fast-import</c> stream that builds a whole batch of commits in one process: each distinct blob once,
/// then one commit per planned change, chained on the scratch ref <see cref="ScratchRef"/>, the first on the remote head
/// (or a root commit when the branch does not exist yet). The stream ends with <c>get-mark</c> for the last commit, whose
/// id fast-import prints on stdout, and <c>done</c>, so a truncated stream fails instead of importing part of the batch.
/// </summary>
internal static class GitFastImportStream
{
    /// <summary>The local ref fast-import builds on; the remote never sees it.</summary>
    public const string ScratchRef = "refs/kratix/batch";

    public static async Task WriteAsync(
        Stream output,
        IReadOnlyList<GitPlannedCommit> commits,
        string? parent,
        string basePath,
        string authorIdentity,
        long timestamp,
        CancellationToken cancellationToken)
    {
        var buffered = new BufferedStream(output, 1 << 16);
        var marks = new Dictionary<string, int>(StringComparer.Ordinal);
        var nextMark = 1;
        var when = $"{timestamp} +0000";

        Line(buffered, "feature done");
        Line(buffered, "reset " + ScratchRef);
        var lastCommitMark = 0;
        for (var i = 0; i < commits.Count; i++)
        {
            cancellationToken.ThrowIfCancellationRequested();
            var commit = commits[i];
            foreach (var operation in commit.Operations)
            {
                if (operation.Entry is { } entry && !marks.ContainsKey(entry.ObjectId))
                {
                    marks[entry.ObjectId] = nextMark;
                    Line(buffered, "blob");
                    Line(buffered, $"mark :{nextMark}");
                    Data(buffered, operation.Content!);
                    nextMark++;
                }
            }

            lastCommitMark = nextMark++;
            Line(buffered, "commit " + ScratchRef);
            Line(buffered, $"mark :{lastCommitMark}");
            Line(buffered, $"author {authorIdentity} {when}");
            Line(buffered, $"committer {authorIdentity} {when}");
            Data(buffered, Encoding.UTF8.GetBytes(commit.Message));
            if (i == 0 && parent is not null)
            {
                Line(buffered, "from " + parent);
            }
            foreach (var operation in commit.Operations)
            {
                var path = Quote(StatePaths.Combine(basePath, operation.Path));
                if (operation.Entry is { } entry)
                {
                    Line(buffered, $"M {entry.Mode} :{marks[entry.ObjectId]} {path}");
                }
                else
                {
                    Line(buffered, "D " + path);
                }
            }
            Line(buffered, "");
            await buffered.FlushAsync(cancellationToken).ConfigureAwait(false);
        }
        Line(buffered, $"get-mark :{lastCommitMark}");
        Line(buffered, "done");
        await buffered.FlushAsync(cancellationToken).ConfigureAwait(false);
    }

    /// <summary>The identity part of an author line: "name &lt;email&gt;", or "&lt;email&gt;" when the name is empty.</summary>
    public static string Identity(string name, string email) => name.Length == 0 ? $"<{email}>" : $"{name} <{email}>";

    /// <summary>A C-style quoted path, as fast-import reads it: bytes are UTF-8, '"' and '\' escaped.</summary>
    internal static string Quote(string path)
    {
        var builder = new StringBuilder(path.Length + 2).Append('"');
        foreach (var c in path)
        {
            switch (c)
            {
                case '"': builder.Append("\\\""); break;
                case '\\': builder.Append("\\\\"); break;
                case '\n': builder.Append("\\n"); break;
                default: builder.Append(c); break;
            }
        }
        return builder.Append('"').ToString();
    }

    private static void Line(Stream stream, string text)
    {
        stream.Write(Encoding.UTF8.GetBytes(text));
        stream.WriteByte((byte)'\n');
    }

    private static void Data(Stream stream, byte[] content)
    {
        Line(stream, $"data {content.Length}");
        stream.Write(content);
        stream.WriteByte((byte)'\n');
    }
}
