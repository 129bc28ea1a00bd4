using System.Text.Json.Nodes;
using YamlDotNet.Core;
using YamlDotNet.Core.Events;

namespace Kratix.Manifests;

/// <summary>
/// Reads multi-document YAML (and JSON, a subset of it) into <see cref="JsonNode"/> trees. Scalars resolve as Kubernetes
/// resolves them (<see cref="YamlScalarResolver"/>); anchors, aliases and merge keys work; duplicate keys are an error
/// (<see cref="DuplicateKeys"/> <see cref="DuplicateKeyHandling.Refuse"/>), or are kept, the last value winning, and
/// recorded on the document (<see cref="DuplicateKeyHandling.Record"/>) so that request admission can treat them as the
/// API server's field-validation mode says; alias expansion is bounded so a "billion laughs" document is refused at once.
/// Every failure is a <see cref="KratixException"/> whose message starts with <c>file:line:column</c>.
/// </summary>
public sealed class ManifestReader
{
    /// <summary>What a key given twice in one mapping does.</summary>
    public DuplicateKeyHandling DuplicateKeys { get; init; } = DuplicateKeyHandling.Refuse;

    /// <summary>A reader that keeps the last value of a duplicate key and records it (<see cref="ManifestDocument.DuplicateKeys"/>).</summary>
    public static ManifestReader Recording { get; } = new() { DuplicateKeys = DuplicateKeyHandling.Record };

    /// <summary>Most nodes one document may expand to through aliases, counting each copy.</summary>
    public int MaxNodes { get; init; } = 1_000_000;

    /// <summary>Deepest nesting of mappings and sequences accepted.</summary>
    public int MaxDepth { get; init; } = 512;

    public static ManifestReader Default { get; } = new();

    /// <summary>Reads every non-empty document of a file.</summary>
    public IReadOnlyList<ManifestDocument> ReadFile(string path)
    {
        string text;
        try
        {
            text = File.ReadAllText(path);
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            throw new KratixException("ManifestNotReadable", KratixErrorCategory.ReadError, $"Cannot read '{path}': {ex.Message}", path, ex);
        }

        return ReadString(text, path);
    }

    /// <summary>Reads every non-empty document of a string; <paramref name="source"/> names it in messages.</summary>
    public IReadOnlyList<ManifestDocument> ReadString(string text, string source = "<string>")
    {
        var documents = new List<ManifestDocument>();
        var parser = new Parser(new Scanner(new StringReader(text), skipComments: true));
        try
        {
            parser.Consume<StreamStart>();
            var index = 0;
            while (!parser.TryConsume<StreamEnd>(out _))
            {
                var start = parser.Consume<DocumentStart>();
                var state = new DocumentState(source, this);
                var isJson = parser.Current is MappingStart { Style: MappingStyle.Flow };
                var content = state.ReadNode(parser, string.Empty, 0).Node;
                parser.Consume<DocumentEnd>();
                if (content is not null)
                {
                    documents.Add(new ManifestDocument(content, source, index, Location(source, start.Start), state.Locations)
                    {
                        IsJson = isJson,
                        DuplicateKeys = state.Duplicates ?? (IReadOnlyList<DuplicateKey>)[],
                        BodyFirstLine = start.IsImplicit ? (index == 0 ? 1 : (int)start.Start.Line) : (int)start.Start.Line + 1,
                    });
                }

                index++;
            }
        }
        catch (InvalidOperationException ex)
        {
            // YamlDotNet's scanner throws this on some malformed input (an unclosed flow sequence at end of line).
            var at = parser.Current?.End ?? Mark.Empty;
            throw new KratixException(
                "ManifestParseError",
                KratixErrorCategory.ParserError,
                $"{Location(source, at)}: the YAML is malformed after this position (an unclosed '[', '{{' or quote?). Fix the YAML there.",
                source,
                ex);
        }
        catch (YamlException ex)
        {
            var inner = ex.InnerException is YamlException deeper ? deeper : ex;
            throw new KratixException(
                "ManifestParseError",
                KratixErrorCategory.ParserError,
                $"{Location(source, inner.Start)}: {TrimMark(inner.Message)}. Fix the YAML at that position.",
                source,
                ex);
        }

        return documents;
    }

    internal static SourceLocation Location(string source, Mark mark) => new(source, (int)mark.Line, (int)mark.Column);

    // YamlDotNet prefixes messages with "(Line: 1, Col: 2, Idx: 3) - (...): "; we print our own location.
    private static string TrimMark(string message)
    {
        var cut = message.IndexOf("): ", StringComparison.Ordinal);
        return message.StartsWith('(') && cut > 0 ? message[(cut + 3)..] : message;
    }

    private sealed class DocumentState(string source, ManifestReader limits)
    {
        private readonly Dictionary<string, (JsonNode? Node, int Size)> _anchors = new(StringComparer.Ordinal);
        private int _nodes;

        public Dictionary<string, SourceLocation> Locations { get; } = new(StringComparer.Ordinal);

        public List<DuplicateKey>? Duplicates { get; private set; }

        public (JsonNode? Node, int Size) ReadNode(IParser parser, string path, int depth)
        {
            if (depth > limits.MaxDepth)
            {
                throw Error(parser.Current!.Start, "ManifestTooDeep", $"nesting is deeper than {limits.MaxDepth} levels");
            }

            var current = parser.Current ?? throw new YamlException("unexpected end of input");
            if (path.Length > 0)
            {
                Locations.TryAdd(path, Location(source, current.Start));
            }

            (JsonNode? Node, int Size) result;
            switch (current)
            {
                case AnchorAlias alias:
                    parser.MoveNext();
                    return Expand(alias);
                case Scalar scalar:
                    parser.MoveNext();
                    result = (ResolveScalar(scalar), 1);
                    Count(scalar.Start, 1);
                    Remember(scalar.Anchor, result);
                    return result;
                case SequenceStart sequence:
                    parser.MoveNext();
                    result = ReadSequence(parser, path, depth);
                    Remember(sequence.Anchor, result);
                    return result;
                case MappingStart mapping:
                    parser.MoveNext();
                    result = ReadMapping(parser, path, depth);
                    Remember(mapping.Anchor, result);
                    return result;
                default:
                    throw new YamlException(current.Start, current.End, $"unexpected {current.GetType().Name}");
            }
        }

        private (JsonNode? Node, int Size) ReadSequence(IParser parser, string path, int depth)
        {
            var array = new JsonArray();
            var size = 1;
            Count(parser.Current!.Start, 1);
            var index = 0;
            while (!parser.TryConsume<SequenceEnd>(out _))
            {
                var (item, itemSize) = ReadNode(parser, $"{path}[{index++}]", depth + 1);
                array.Add(item);
                size += itemSize;
            }

            return (array, size);
        }

        private (JsonNode? Node, int Size) ReadMapping(IParser parser, string path, int depth)
        {
            var map = new JsonObject();
            var size = 1;
            Count(parser.Current!.Start, 1);
            var explicitKeys = new HashSet<string>(StringComparer.Ordinal);
            var merges = new List<JsonObject>();
            while (!parser.TryConsume<MappingEnd>(out _))
            {
                var keyEvent = parser.Current!;
                var key = ReadKey(parser);
                var childPath = path.Length == 0 ? key : $"{path}.{key}";
                Locations.TryAdd(childPath, Location(source, keyEvent.Start));
                if (key == "<<" && keyEvent is Scalar { Style: ScalarStyle.Plain })
                {
                    var (merged, mergedSize) = ReadNode(parser, childPath, depth + 1);
                    merges.AddRange(MergeSources(merged, keyEvent.Start));
                    size += mergedSize;
                    continue;
                }

                if (!explicitKeys.Add(key))
                {
                    if (limits.DuplicateKeys == DuplicateKeyHandling.Refuse)
                    {
                        throw Error(keyEvent.Start, "ManifestDuplicateKey", $"mapping key \"{key}\" is already defined in this mapping; remove one of them");
                    }

                    // go-yaml reports the line of the value; the key is printed as Go's %#v prints the decoded key.
                    var valueLine = (int)(parser.Current?.Start.Line ?? keyEvent.Start.Line);
                    (Duplicates ??= []).Add(new DuplicateKey(childPath, key, GoKey(keyEvent, key), Location(source, keyEvent.Start), valueLine));
                }

                var (value, valueSize) = ReadNode(parser, childPath, depth + 1);
                map[key] = value;
                size += valueSize;
            }

            // Merge keys (<<) never override keys written in the mapping itself; earlier merge sources win over later ones.
            foreach (var source in merges)
            {
                foreach (var (key, value) in source)
                {
                    if (!map.ContainsKey(key))
                    {
                        map[key] = value?.DeepClone();
                    }
                }
            }

            return (map, size);
        }

        /// <summary>A mapping key as go-yaml's <c>%#v</c> prints it in <c>key ... already set in map</c>: strings quoted, numbers and booleans bare.</summary>
        private static string GoKey(ParsingEvent keyEvent, string key)
        {
            if (keyEvent is Scalar { Style: ScalarStyle.Plain } scalar && scalar.Tag.IsEmpty)
            {
                switch (YamlScalarResolver.Resolve(scalar.Value))
                {
                    case null: return "<nil>";
                    case JsonValue v when v.GetValueKind() is System.Text.Json.JsonValueKind.True or System.Text.Json.JsonValueKind.False or System.Text.Json.JsonValueKind.Number:
                        return v.ToJsonString();
                }
            }

            return Schema.GoFormat.Quote(key);
        }

        private IEnumerable<JsonObject> MergeSources(JsonNode? merged, Mark at) => merged switch
        {
            JsonObject single => [single],
            JsonArray many when many.All(m => m is JsonObject) => many.Cast<JsonObject>().ToList(),
            _ => throw Error(at, "ManifestParseError", "a merge key (<<) needs a mapping or a list of mappings"),
        };

        private string ReadKey(IParser parser)
        {
            if (parser.Current is Scalar scalar)
            {
                parser.MoveNext();
                Count(scalar.Start, 1);
                return scalar.IsQuotedImplicit || scalar.Style is ScalarStyle.SingleQuoted or ScalarStyle.DoubleQuoted
                    ? scalar.Value
                    : ResolveScalar(scalar) switch
                    {
                        null => "null",
                        JsonValue v when v.GetValueKind() == System.Text.Json.JsonValueKind.True => "true",
                        JsonValue v when v.GetValueKind() == System.Text.Json.JsonValueKind.False => "false",
                        _ => scalar.Value,
                    };
            }

            if (parser.Current is AnchorAlias alias)
            {
                parser.MoveNext();
                return Expand(alias).Node is JsonValue value ? value.ToString() : throw Error(alias.Start, "ManifestParseError", "a mapping key must be a scalar");
            }

            throw Error(parser.Current!.Start, "ManifestParseError", "a mapping key must be a scalar, not a mapping or sequence");
        }

        private (JsonNode? Node, int Size) Expand(AnchorAlias alias)
        {
            if (!_anchors.TryGetValue(alias.Value.Value, out var anchored))
            {
                throw Error(alias.Start, "ManifestParseError", $"alias *{alias.Value.Value} refers to an anchor that is not defined before it");
            }

            Count(alias.Start, anchored.Size);
            return (anchored.Node?.DeepClone(), anchored.Size);
        }

        private void Remember(AnchorName anchor, (JsonNode? Node, int Size) value)
        {
            if (!anchor.IsEmpty)
            {
                _anchors[anchor.Value] = value;
            }
        }

        private void Count(Mark at, int nodes)
        {
            _nodes += nodes;
            if (_nodes > limits.MaxNodes)
            {
                throw Error(
                    at,
                    "ManifestTooLarge",
                    $"the document expands to more than {limits.MaxNodes:N0} nodes (aliases are counted each time they are used); this looks like an alias bomb, so it was not read");
            }
        }

        private JsonNode? ResolveScalar(Scalar scalar)
        {
            if (!scalar.Tag.IsEmpty && !scalar.Tag.IsNonSpecific)
            {
                return ResolveTagged(scalar);
            }

            return scalar.Style == ScalarStyle.Plain ? YamlScalarResolver.Resolve(scalar.Value) : JsonValue.Create(scalar.Value);
        }

        private JsonNode? ResolveTagged(Scalar scalar)
        {
            var tag = scalar.Tag.Value;
            JsonNode? resolved = tag switch
            {
                "tag:yaml.org,2002:str" or "tag:yaml.org,2002:binary" => JsonValue.Create(scalar.Value),
                "tag:yaml.org,2002:null" => null,
                _ => YamlScalarResolver.Resolve(scalar.Value),
            };
            var kind = resolved?.GetValueKind();
            var ok = tag switch
            {
                "tag:yaml.org,2002:int" => resolved is JsonValue v && v.TryGetValue<long>(out _),
                "tag:yaml.org,2002:float" => kind == System.Text.Json.JsonValueKind.Number,
                "tag:yaml.org,2002:bool" => kind is System.Text.Json.JsonValueKind.True or System.Text.Json.JsonValueKind.False,
                _ => true,
            };
            return ok ? resolved : throw Error(scalar.Start, "ManifestParseError", $"cannot read \"{scalar.Value}\" as {tag}");
        }

        private KratixException Error(Mark at, string errorId, string what) =>
            new(errorId, KratixErrorCategory.ParserError, $"{Location(source, at)}: {what}.", source);
    }
}
