using System.Security.Cryptography;
using System.Text;
using System.Text.Json.Nodes;
using Kratix.Manifests;

namespace Kratix.Authoring;

/// <summary>A Promise a catalogue offers; <see cref="Path"/> is a local file once <see cref="PromiseCatalogue.Fetch"/> has it.</summary>
public sealed record CatalogueEntry(string Name, string? Version, string? Description, IReadOnlyList<string> Tags, string Location, string Catalogue)
{
    public string? Path { get; init; }
}

/// <summary>
/// A catalogue of Promises to search (docs/authoring.md#catalogues): a local folder, or an index file (YAML or JSON) in a
/// folder or at an http(s) URL.
/// <para>
/// An index is <c>{promises: [{name, description?, tags?: [..], version?, path | url}]}</c>; <c>path</c> or a relative
/// <c>url</c> is resolved against the index's own location. A folder without <c>index.yaml</c> is its Promise files
/// (any <c>*.yaml</c>/<c>*.yml</c> under it whose kind is Promise): the name is metadata.name, the version the
/// <c>kratix.io/promise-version</c> label, the description the <c>kratix.io/description</c> annotation and the tags the
/// comma-separated <c>kratix.io/tags</c> annotation.
/// </para>
/// </summary>
public static class PromiseCatalogue
{
    public const string IndexFileName = "index.yaml";
    public const string DescriptionAnnotation = "kratix.io/description";
    public const string TagsAnnotation = "kratix.io/tags";

    public static IReadOnlyList<CatalogueEntry> Read(string location, HttpClient? http = null, CancellationToken cancellationToken = default)
    {
        if (IsUrl(location))
        {
            var text = Download(location, http, cancellationToken);
            return FromIndex(Parse(text, location), location, location);
        }

        var full = System.IO.Path.GetFullPath(location);
        if (File.Exists(full))
        {
            return FromIndex(Parse(File.ReadAllText(full), full), full, full);
        }

        if (!Directory.Exists(full))
        {
            throw new KratixException(
                "CatalogueNotFound", KratixErrorCategory.ObjectNotFound, $"{full} does not exist: give a catalogue folder, an index file, or the URL of one.", full);
        }

        var index = System.IO.Path.Combine(full, IndexFileName);
        return File.Exists(index) ? FromIndex(Parse(File.ReadAllText(index), index), index, full) : FromFolder(full);
    }

    /// <summary>Entries whose name matches <paramref name="name"/> (wildcards), that have every tag, and whose name, description or tags contain <paramref name="text"/>.</summary>
    public static IEnumerable<CatalogueEntry> Search(IEnumerable<CatalogueEntry> entries, Func<string, bool> name, IReadOnlyCollection<string> tags, string? text) =>
        entries.Where(e => name(e.Name)
            && tags.All(t => e.Tags.Contains(t, StringComparer.OrdinalIgnoreCase))
            && (string.IsNullOrEmpty(text)
                || e.Name.Contains(text, StringComparison.OrdinalIgnoreCase)
                || (e.Description?.Contains(text, StringComparison.OrdinalIgnoreCase) ?? false)
                || e.Tags.Any(t => t.Contains(text, StringComparison.OrdinalIgnoreCase))));

    /// <summary>The entry with a local <see cref="CatalogueEntry.Path"/>: its file, or its URL downloaded into <paramref name="cacheDirectory"/>.</summary>
    public static CatalogueEntry Fetch(CatalogueEntry entry, string cacheDirectory, HttpClient? http = null, CancellationToken cancellationToken = default)
    {
        if (!IsUrl(entry.Location))
        {
            if (!File.Exists(entry.Location))
            {
                throw new KratixException(
                    "CataloguePromiseNotFound", KratixErrorCategory.ObjectNotFound,
                    $"Promise \"{entry.Name}\" of catalogue {entry.Catalogue} is at {entry.Location}, which does not exist: fix the catalogue's index.", entry.Location);
            }

            return entry with { Path = entry.Location };
        }

        var hash = Convert.ToHexString(SHA256.HashData(Encoding.UTF8.GetBytes(entry.Location))).ToLowerInvariant()[..16];
        var directory = System.IO.Path.Combine(cacheDirectory, hash);
        Directory.CreateDirectory(directory);
        var file = System.IO.Path.Combine(directory, entry.Name + ".yaml");
        File.WriteAllText(file, Download(entry.Location, http, cancellationToken));
        return entry with { Path = file };
    }

    private static bool IsUrl(string location) =>
        Uri.TryCreate(location, UriKind.Absolute, out var uri) && (uri.Scheme == Uri.UriSchemeHttp || uri.Scheme == Uri.UriSchemeHttps);

    private static string Download(string url, HttpClient? http, CancellationToken cancellationToken)
    {
        var client = http ?? new HttpClient { Timeout = TimeSpan.FromSeconds(60) };
        try
        {
            using var response = client.GetAsync(url, cancellationToken).GetAwaiter().GetResult();
            if (!response.IsSuccessStatusCode)
            {
                throw new KratixException(
                    "CatalogueNotFound", KratixErrorCategory.ObjectNotFound, $"{url} answered {(int)response.StatusCode} {response.ReasonPhrase}: check the catalogue's URL.", url);
            }

            return response.Content.ReadAsStringAsync(cancellationToken).GetAwaiter().GetResult();
        }
        catch (HttpRequestException ex)
        {
            throw new KratixException("CatalogueUnreachable", KratixErrorCategory.ConnectionError, $"Could not read {url}: {ex.Message}", url, ex);
        }
        finally
        {
            if (http is null)
            {
                client.Dispose();
            }
        }
    }

    private static JsonObject Parse(string text, string source)
    {
        var documents = ManifestReader.Default.ReadString(text, source);
        return documents.Count > 0 && documents[0].Content is JsonObject index && index["promises"] is JsonArray
            ? index
            : throw new KratixException(
                "CatalogueInvalid", KratixErrorCategory.InvalidData,
                $"{source} is not a catalogue index: it needs a list \"promises\" of {{name, description, tags, version, path or url}}.", source);
    }

    private static List<CatalogueEntry> FromIndex(JsonObject index, string indexLocation, string catalogue)
    {
        var entries = new List<CatalogueEntry>();
        var number = 0;
        foreach (var item in index["promises"]!.AsArray())
        {
            number++;
            if (item is not JsonObject entry || string.IsNullOrEmpty((string?)entry["name"]) || (entry["path"] is null && entry["url"] is null))
            {
                throw new KratixException(
                    "CatalogueInvalid", KratixErrorCategory.InvalidData,
                    $"{indexLocation}: promises[{number - 1}] needs a name and a path or url.", indexLocation);
            }

            var target = (string?)entry["url"] ?? (string)entry["path"]!;
            entries.Add(new CatalogueEntry(
                (string)entry["name"]!,
                (string?)entry["version"],
                (string?)entry["description"],
                (entry["tags"] as JsonArray)?.Select(t => (string?)t ?? string.Empty).Where(t => t.Length > 0).ToList() ?? [],
                Resolve(indexLocation, target),
                catalogue));
        }

        return entries;
    }

    private static string Resolve(string indexLocation, string target)
    {
        if (IsUrl(target))
        {
            return target;
        }

        if (IsUrl(indexLocation))
        {
            return new Uri(new Uri(indexLocation), target).ToString();
        }

        return System.IO.Path.GetFullPath(System.IO.Path.Combine(System.IO.Path.GetDirectoryName(indexLocation)!, target));
    }

    private static List<CatalogueEntry> FromFolder(string folder)
    {
        var entries = new List<CatalogueEntry>();
        foreach (var file in Directory.EnumerateFiles(folder, "*.*", SearchOption.AllDirectories)
                     .Where(f => f.EndsWith(".yaml", StringComparison.OrdinalIgnoreCase) || f.EndsWith(".yml", StringComparison.OrdinalIgnoreCase))
                     .Order(StringComparer.Ordinal))
        {
            IReadOnlyList<ManifestDocument> documents;
            try
            {
                documents = ManifestReader.Default.ReadFile(file);
            }
            catch (KratixException)
            {
                continue; // not YAML a catalogue offers
            }

            foreach (var document in documents)
            {
                if (document.Content is not JsonObject promise || (string?)promise["kind"] != "Promise" || (string?)promise["metadata"]?["name"] is not { Length: > 0 } name)
                {
                    continue;
                }

                var annotations = promise["metadata"]?["annotations"];
                var tags = ((string?)annotations?[TagsAnnotation] ?? string.Empty)
                    .Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries).ToList();
                entries.Add(new CatalogueEntry(
                    name, (string?)promise["metadata"]?["labels"]?[PromiseScaffold.PromiseVersionLabel], (string?)annotations?[DescriptionAnnotation], tags, file, folder));
                break;
            }
        }

        return entries;
    }
}
