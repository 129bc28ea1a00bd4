using System.Globalization;
using System.Text;
using Kratix.StateStores;

namespace Kratix.Pipelines;

/// <summary>
/// Reads what a pipeline left in <c>/kratix/output</c>, refusing what must never reach a state store: symbolic links,
/// FIFOs, sockets and devices, names Git or Windows cannot hold, and more than the configured number of bytes in all.
/// Upstream reads whatever is there; refusing is deliberate (docs/differences-from-upstream.md).
/// </summary>
public static class PipelineOutputReader
{
    public const string UnsafeErrorId = "PipelineOutputUnsafe";
    public const string TooLargeErrorId = "PipelineOutputTooLarge";

    /// <summary>Every file under <paramref name="outputDirectory"/>, with '/'-separated relative paths, in upstream's order (directory walk, names sorted).</summary>
    public static IReadOnlyList<PipelineOutputFile> Read(string outputDirectory, string pipelineName, long maxTotalBytes)
    {
        var files = new List<PipelineOutputFile>();
        long total = 0;
        Walk(new DirectoryInfo(outputDirectory), string.Empty);
        return files;

        void Walk(DirectoryInfo directory, string prefix)
        {
            foreach (var entry in directory.EnumerateFileSystemInfos().OrderBy(e => e.Name, Utf8Order))
            {
                var relative = prefix + entry.Name;
                if (entry.LinkTarget is { } target)
                {
                    throw Unsafe(pipelineName, relative, $"is a symbolic link (to {target}); write the file itself");
                }

                if (UnixFileType.IsRegularOrDirectory(entry.FullName) == false)
                {
                    throw Unsafe(pipelineName, relative, "is not a regular file (a FIFO, socket or device)");
                }

                // A state store reads '\' as a separator, so "a\b.yaml" would silently become a/b.yaml; Windows cannot hold it either.
                if (entry.Name.Contains('\\', StringComparison.Ordinal))
                {
                    throw Unsafe(pipelineName, relative, "has '\\' in its name, which Windows cannot hold and a state store would read as a directory separator");
                }

                try
                {
                    StatePaths.Normalize(relative, $"pipeline \"{pipelineName}\" output");
                }
                catch (KratixException ex)
                {
                    throw new KratixException(UnsafeErrorId, KratixErrorCategory.InvalidData, ex.Message, relative, ex);
                }

                if (entry is DirectoryInfo child)
                {
                    Walk(child, relative + "/");
                    continue;
                }

                total += ((FileInfo)entry).Length;
                if (total > maxTotalBytes)
                {
                    throw new KratixException(
                        TooLargeErrorId,
                        KratixErrorCategory.LimitsExceeded,
                        $"Pipeline \"{pipelineName}\" wrote more than {maxTotalBytes.ToString("N0", CultureInfo.InvariantCulture)} bytes to /kratix/output (reached at {relative}). " +
                        "Write less, or raise the limit: Connect-KratixPlatform -MaxOutputBytes for the platform (maxOutputBytes in platform.yaml), Invoke-KratixPipeline -MaxOutputBytes for one run.",
                        relative);
                }

                files.Add(new PipelineOutputFile(relative, File.ReadAllBytes(entry.FullName)));
            }
        }
    }

    // Go compares strings byte by byte, so os.ReadDir sorts names by their UTF-8 bytes (unlike UTF-16 ordinal order,
    // which puts characters beyond U+FFFF before U+E000-U+FFFF).
    private static readonly Comparer<string> Utf8Order =
        Comparer<string>.Create((a, b) => Encoding.UTF8.GetBytes(a).AsSpan().SequenceCompareTo(Encoding.UTF8.GetBytes(b)));

    private static KratixException Unsafe(string pipeline, string path, string why) =>
        new(UnsafeErrorId, KratixErrorCategory.InvalidData, $"Pipeline \"{pipeline}\" output /kratix/output/{path} {why}. Nothing from this pipeline was scheduled.", path);
}
