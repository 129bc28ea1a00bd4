using System.Text.Json.Nodes;
using Kratix.Manifests;
using Kratix.Objects;

namespace Kratix.Pipelines;

/// <summary>
/// <c>metadata/destination-selectors.yaml</c>: <c>[{directory?, matchLabels}]</c>. As upstream's work-creator: the
/// directory is cleaned (empty means <c>.</c>), every entry needs labels, directories are unique and one level deep.
/// Also accepted under the SDK's spelling, <c>destination_selectors.yaml</c>.
/// </summary>
public static class DestinationSelectorsFile
{
    public const string FileName = "destination-selectors.yaml";
    public const string SdkFileName = "destination_selectors.yaml";

    public static IReadOnlyList<DirectorySelector> Parse(string text, string source)
    {
        var documents = ManifestReader.Default.ReadString(text, source);
        if (documents.Count == 0 || documents[0].Content is null)
        {
            return [];
        }

        if (documents[0].Content is not JsonArray entries)
        {
            throw Invalid(source, "it must be a list of entries, each with matchLabels and an optional directory");
        }

        // Upstream's order: read and clean every entry, then check the labels of all, then duplicates, then sub-directories.
        var result = new List<DirectorySelector>();
        for (var i = 0; i < entries.Count; i++)
        {
            if (entries[i] is not JsonObject entry)
            {
                throw Invalid(source, $"entry with index {i} is not a mapping");
            }

            // sigs.k8s.io/yaml fills upstream's string field from any scalar: `directory: 2024` is the directory "2024".
            var directory = Clean(entry["directory"] is JsonValue value ? value.ToString() : string.Empty);
            result.Add(new DirectorySelector(directory, entry["matchLabels"].ToStringMap()));
        }

        for (var i = 0; i < result.Count; i++)
        {
            if (result[i].MatchLabels.Count == 0)
            {
                throw Invalid(source, $"entry with index {i} has no selectors");
            }
        }

        if (result.GroupBy(r => r.Directory, StringComparer.Ordinal).FirstOrDefault(g => g.Count() > 1) is { } duplicate)
        {
            throw Invalid(source, $"duplicate entries for directory \"{duplicate.Key}\"");
        }

        if (result.FirstOrDefault(r => r.Directory != "." && (r.Directory.Contains('/', StringComparison.Ordinal) || r.Directory == ".." || r.Directory.StartsWith('/'))) is { } nested)
        {
            throw Invalid(source, $"invalid directory {nested.Directory}, sub-directories are not allowed");
        }

        return result;
    }

    /// <summary>Go's filepath.Clean for '/'-separated paths, as upstream applies it to each directory.</summary>
    public static string Clean(string path)
    {
        if (path.Length == 0)
        {
            return ".";
        }

        var rooted = path.StartsWith('/');
        var parts = new List<string>();
        foreach (var part in path.Split('/', StringSplitOptions.RemoveEmptyEntries))
        {
            if (part == ".")
            {
                continue;
            }

            if (part == ".." && parts.Count > 0 && parts[^1] != "..")
            {
                parts.RemoveAt(parts.Count - 1);
            }
            else if (part != ".." || !rooted)
            {
                parts.Add(part);
            }
        }

        var cleaned = string.Join('/', parts);
        return rooted ? "/" + cleaned : cleaned.Length == 0 ? "." : cleaned;
    }

    private static KratixException Invalid(string source, string why) =>
        new("PipelineDestinationSelectorsInvalid", KratixErrorCategory.InvalidData, $"{source}: invalid destination-selectors.yaml: {why}.", source);
}
