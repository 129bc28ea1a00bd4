using System.Collections;
using System.Text.Json.Nodes;
using Kratix.Presentation;

namespace Kratix.Manifests;

/// <summary>One object given to a cmdlet, and the document it came from (for error locations) when it came from text.</summary>
public sealed record ManifestItem(JsonObject Node, ManifestDocument? Source)
{
    public string Kind => Node["kind"] is System.Text.Json.Nodes.JsonValue kind && kind.TryGetValue<string>(out var text) ? text : string.Empty;

    public string Describe() => Source?.Describe() ?? $"{Schema.JsonData.GetString(Node["kind"]) ?? Node["kind"]?.ToJsonString()} \"{Schema.JsonData.GetString((Node["metadata"] as JsonObject)?["name"]) ?? (Node["metadata"] as JsonObject)?["name"]?.ToJsonString()}\"";

    /// <summary>Refuses a document of another kind than the cmdlet handles, naming it and the cmdlet that does.</summary>
    public void ExpectKind(params string[] kinds)
    {
        if (kinds.Contains(Kind, StringComparer.Ordinal))
        {
            return;
        }

        var hint = Kind switch
        {
            "Promise" => " Install it with Install-KratixPromise.",
            "Destination" => " Register it with Register-KratixDestination.",
            "GitStateStore" or "BucketStateStore" => " Register it with Register-KratixStateStore.",
            "Secret" => " Register state-store credentials with Register-KratixStateStore.",
            _ => string.Empty,
        };
        throw new KratixException(
            "UnexpectedKind",
            KratixErrorCategory.InvalidArgument,
            $"{Describe()} is {(Kind.Length == 0 ? "a document without a kind" : $"a {Kind}")}, not {string.Join(" or ", kinds.Select(k => $"a {k}"))}.{hint}",
            Describe());
    }
}

/// <summary>
/// Turns whatever a user hands a cmdlet into manifests: files (YAML or JSON, many documents each), YAML or JSON text,
/// hashtables and other dictionaries, objects the cmdlets output, and JSON nodes.
/// </summary>
public static class ManifestInput
{
    /// <param name="path">A YAML or JSON file.</param>
    /// <param name="recordDuplicateKeys">
    /// Keep documents with a key given twice (the last value wins) and record the duplicates on their
    /// <see cref="ManifestDocument"/>, for request admission to treat as its field-validation mode says; otherwise such a
    /// document is refused (<c>ManifestDuplicateKey</c>).
    /// </param>
    public static IReadOnlyList<ManifestItem> FromFile(string path, bool recordDuplicateKeys = false) =>
        Reader(recordDuplicateKeys).ReadFile(path).Select(d => ToItem(d)).ToList();

    /// <summary>Reads every document of YAML or JSON text; <paramref name="source"/> names the text in errors and locations (e.g. "piped text").</summary>
    /// <param name="text">The YAML or JSON.</param>
    /// <param name="source">What errors call the text.</param>
    /// <param name="recordDuplicateKeys">As for <see cref="FromFile"/>.</param>
    public static IReadOnlyList<ManifestItem> FromText(string text, string source, bool recordDuplicateKeys = false) =>
        Reader(recordDuplicateKeys).ReadString(text, source).Select(d => ToItem(d)).ToList();

    /// <param name="input">A file, text, dictionary, object or list of them.</param>
    /// <param name="unwrap">Strips host wrappers (PowerShell's PSObject) and turns host objects into dictionaries.</param>
    /// <param name="recordDuplicateKeys">As for <see cref="FromFile"/>, for files and text.</param>
    public static IReadOnlyList<ManifestItem> FromObject(object? input, Func<object, object?>? unwrap = null, bool recordDuplicateKeys = false)
    {
        if (input is not null && unwrap is not null)
        {
            input = unwrap(input);
        }

        return input switch
        {
            null => [],
            KratixObject view => [new ManifestItem(view.GetManifest(), null)],
            Objects.KubeObject obj => [new ManifestItem(obj.Node.DeepClone().AsObject(), null)],
            JsonObject node => [new ManifestItem(node.DeepClone().AsObject(), null)],
            FileInfo file => FromFile(file.FullName, recordDuplicateKeys),
            string text => Reader(recordDuplicateKeys).ReadString(text, "<input>").Select(d => ToItem(d)).ToList(),
            IDictionary dictionary => [new ManifestItem(JsonValues.FromClr(dictionary, unwrap) as JsonObject ?? new JsonObject(), null)],
            IEnumerable many => many.Cast<object?>().SelectMany(item => FromObject(item, unwrap, recordDuplicateKeys)).ToList(),
            _ => throw new KratixException(
                "UnsupportedInput",
                KratixErrorCategory.InvalidArgument,
                $"Cannot read a manifest from a {input.GetType().Name}. Give a file path, YAML or JSON text, a hashtable, or an object a Kratix cmdlet returned.",
                input),
        };
    }

    private static ManifestReader Reader(bool recordDuplicateKeys) => recordDuplicateKeys ? ManifestReader.Recording : ManifestReader.Default;

    private static ManifestItem ToItem(ManifestDocument document) =>
        document.Content is JsonObject node
            ? new ManifestItem(node, document)
            : throw new KratixException(
                "ManifestNotAnObject",
                KratixErrorCategory.InvalidData,
                $"{document.Start}: document {document.Index + 1} is not an object with apiVersion, kind and metadata. Remove it or fix it.",
                document.Source);
}
