using System.Globalization;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using YamlDotNet.Core;
using YamlDotNet.Core.Events;

namespace Kratix.Manifests;

/// <summary>
/// Writes <see cref="JsonNode"/> trees as YAML in the style kubectl prints (block style, sequences not indented under
/// their key, strings quoted only where they would otherwise read back as another type), or as JSON.
/// What it writes reads back, through <see cref="ManifestReader"/>, to an equal tree.
/// </summary>
public static class ManifestWriter
{
    private static readonly JsonSerializerOptions Indented = new() { WriteIndented = true };

    /// <summary>One YAML document, ending in a newline.</summary>
    public static string ToYaml(JsonNode? node)
    {
        var writer = new StringWriter(CultureInfo.InvariantCulture);
        var emitter = new Emitter(writer, new EmitterSettings(bestIndent: 2, bestWidth: int.MaxValue, isCanonical: false, maxSimpleKeyLength: 1024));
        emitter.Emit(new StreamStart());
        emitter.Emit(new DocumentStart(null, null, isImplicit: true));
        Emit(emitter, node);
        emitter.Emit(new DocumentEnd(isImplicit: true));
        emitter.Emit(new StreamEnd());
        return writer.ToString();
    }

    /// <summary>Several documents separated by <c>---</c>.</summary>
    public static string ToYaml(IEnumerable<JsonNode?> nodes)
    {
        var builder = new StringBuilder();
        foreach (var node in nodes)
        {
            if (builder.Length > 0)
            {
                builder.Append("---\n");
            }

            builder.Append(ToYaml(node));
        }

        return builder.ToString();
    }

    public static string ToJson(JsonNode? node, bool indented = true) =>
        node is null ? "null" : node.ToJsonString(indented ? Indented : null);

    private static void Emit(IEmitter emitter, JsonNode? node)
    {
        switch (node)
        {
            case null:
                emitter.Emit(new Scalar(null, null, "null", ScalarStyle.Plain, true, false));
                break;
            case JsonObject map:
                var emptyMap = map.Count == 0;
                emitter.Emit(new MappingStart(null, null, true, emptyMap ? MappingStyle.Flow : MappingStyle.Block));
                foreach (var (key, value) in map)
                {
                    EmitString(emitter, key);
                    Emit(emitter, value);
                }

                emitter.Emit(new MappingEnd());
                break;
            case JsonArray list:
                emitter.Emit(new SequenceStart(null, null, true, list.Count == 0 ? SequenceStyle.Flow : SequenceStyle.Block));
                foreach (var item in list)
                {
                    Emit(emitter, item);
                }

                emitter.Emit(new SequenceEnd());
                break;
            case JsonValue value:
                EmitValue(emitter, value);
                break;
        }
    }

    private static void EmitValue(IEmitter emitter, JsonValue value)
    {
        switch (value.GetValueKind())
        {
            case JsonValueKind.String:
                EmitString(emitter, value.GetValue<string>());
                break;
            case JsonValueKind.True:
                emitter.Emit(new Scalar(null, null, "true", ScalarStyle.Plain, true, false));
                break;
            case JsonValueKind.False:
                emitter.Emit(new Scalar(null, null, "false", ScalarStyle.Plain, true, false));
                break;
            case JsonValueKind.Number:
                emitter.Emit(new Scalar(null, null, JsonValues.FormatNumber(value), ScalarStyle.Plain, true, false));
                break;
            default:
                emitter.Emit(new Scalar(null, null, "null", ScalarStyle.Plain, true, false));
                break;
        }
    }

    private static void EmitString(IEmitter emitter, string text)
    {
        var style = text.Contains('\n', StringComparison.Ordinal) ? ScalarStyle.Literal
            : YamlScalarResolver.NeedsQuoting(text) ? ScalarStyle.DoubleQuoted
            : ScalarStyle.Plain;
        // The emitter falls back to a quoted style itself when plain or literal cannot hold the text.
        emitter.Emit(new Scalar(null, null, text, style, true, true));
    }
}
