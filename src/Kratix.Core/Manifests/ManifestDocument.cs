using System.Text.Json.Nodes;

namespace Kratix.Manifests;

/// <summary>One YAML or JSON document read from a file or string, with where each field came from.</summary>
public sealed class ManifestDocument
{
    private readonly IReadOnlyDictionary<string, SourceLocation> _locations;

    internal ManifestDocument(JsonNode? content, string source, int index, SourceLocation start, IReadOnlyDictionary<string, SourceLocation> locations)
    {
        Content = content;
        Source = source;
        Index = index;
        Start = start;
        _locations = locations;
    }

    /// <summary>The document's value; an object for every Kubernetes manifest.</summary>
    public JsonNode? Content { get; }

    /// <summary>The file path, or a name for other sources.</summary>
    public string Source { get; }

    /// <summary>0-based position of the document in its stream (empty documents are skipped but counted).</summary>
    public int Index { get; }

    public SourceLocation Start { get; }

    /// <summary>True when the document is JSON (its root is a flow mapping, <c>{...}</c>); the API server words strict decoding errors differently for JSON and YAML bodies.</summary>
    public bool IsJson { get; init; }

    /// <summary>
    /// Keys given twice in one mapping, in the order met, when the document was read by a reader that records them
    /// (<see cref="ManifestReader.Recording"/>); the document holds the last value of each.
    /// </summary>
    public IReadOnlyList<DuplicateKey> DuplicateKeys { get; init; } = [];

    /// <summary>
    /// The file line the document's body starts on: kubectl splits a multi-document file at its <c>---</c> lines and
    /// sends each part as a body, so the server counts lines from the line after the document's <c>---</c> (1 when the
    /// document has none).
    /// </summary>
    public int BodyFirstLine { get; init; } = 1;

    /// <summary>
    /// The strict decoding errors the API server's decoder reports for this document sent as the body of a create:
    /// for JSON one <c>duplicate field "spec.a"</c> per duplicated path (sigs.k8s.io/json, deduplicated); for YAML one
    /// <c>yaml: unmarshal errors:</c> error listing <c>line N: key "a" already set in map</c> per duplicate
    /// (go-yaml v2's strict decoding). Empty when no key is duplicated.
    /// </summary>
    public IReadOnlyList<string> StrictDecodingErrors
    {
        get
        {
            if (DuplicateKeys.Count == 0)
            {
                return [];
            }

            if (IsJson)
            {
                return DuplicateKeys.Select(d => "duplicate field " + Schema.GoFormat.Quote(d.Path)).Distinct(StringComparer.Ordinal).Take(100).ToList();
            }

            return ["yaml: unmarshal errors:\n  " + string.Join("\n  ", DuplicateKeys.Select(d => $"line {d.ValueLine - BodyFirstLine + 1}: key {d.GoKey} already set in map"))];
        }
    }

    /// <summary>The object's kind and name for messages, e.g. <c>Promise "redis"</c>, or the document position when it has none.</summary>
    public string Describe()
    {
        var kind = Schema.JsonData.GetString((Content as JsonObject)?["kind"]);
        var name = Schema.JsonData.GetString(((Content as JsonObject)?["metadata"] as JsonObject)?["name"]);
        var what = kind is null ? "document" : name is null ? kind : $"{kind} \"{name}\"";
        return $"{what} (document {Index + 1} of {Source}, line {Start.Line})";
    }

    /// <summary>
    /// Where a field was written, by Kubernetes-style field path (<c>spec.size</c>, <c>spec.items[0].name</c>,
    /// <c>metadata.labels[app]</c>); falls back to the nearest parent that was found, then the document start.
    /// </summary>
    public SourceLocation Locate(string fieldPath)
    {
        var key = NormalisePath(fieldPath);
        while (true)
        {
            if (_locations.TryGetValue(key, out var location))
            {
                return location;
            }

            var cut = Math.Max(key.LastIndexOf('.'), key.LastIndexOf('['));
            if (cut <= 0)
            {
                return Start;
            }

            key = key[..cut];
        }
    }

    // Map keys may be written as `a[key]` (field.Path.Key) or `a.key` (field.Path.Child): store and look up the dotted form.
    internal static string NormalisePath(string fieldPath)
    {
        var builder = new System.Text.StringBuilder(fieldPath.Length);
        for (var i = 0; i < fieldPath.Length; i++)
        {
            if (fieldPath[i] == '[')
            {
                var close = fieldPath.IndexOf(']', i);
                var inner = close < 0 ? fieldPath[(i + 1)..] : fieldPath[(i + 1)..close];
                if (inner.Length > 0 && inner.All(char.IsAsciiDigit))
                {
                    builder.Append('[').Append(inner).Append(']');
                }
                else
                {
                    builder.Append('.').Append(inner);
                }

                i = close < 0 ? fieldPath.Length : close;
            }
            else
            {
                builder.Append(fieldPath[i]);
            }
        }

        return builder.ToString();
    }
}

/// <summary>What <see cref="ManifestReader"/> does with a key given twice in one mapping.</summary>
public enum DuplicateKeyHandling
{
    /// <summary>Refuse the document (<c>ManifestDuplicateKey</c>).</summary>
    Refuse,

    /// <summary>Keep the last value and record the duplicate on the document.</summary>
    Record,
}

/// <summary>A key given twice in one mapping.</summary>
/// <param name="Path">The field path, as sigs.k8s.io/json prints it (<c>spec.ports[0].hostPort</c>).</param>
/// <param name="Key">The key.</param>
/// <param name="GoKey">The key as go-yaml prints the decoded key with <c>%#v</c> (<c>"a"</c>, <c>1</c>, <c>true</c>).</param>
/// <param name="Location">Where the second (or later) occurrence of the key is.</param>
/// <param name="ValueLine">The 1-based line of that occurrence's value, which go-yaml reports.</param>
public sealed record DuplicateKey(string Path, string Key, string GoKey, SourceLocation Location, int ValueLine);
