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

    /// <summary>The object's kind and name for messages, e.g. <c>Promise "redis"</c>, or the document position when it has none.</summary>
    public string Describe()
    {
        var kind = (Content as JsonObject)?["kind"]?.GetValue<object>()?.ToString();
        var name = (Content as JsonObject)?["metadata"]?["name"]?.GetValue<object>()?.ToString();
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
