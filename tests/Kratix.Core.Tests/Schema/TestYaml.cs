using System.Globalization;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using Kratix.Schema;
using YamlDotNet.Core;
using YamlDotNet.RepresentationModel;

namespace Kratix.Tests.Schema;

/// <summary>Loads YAML into System.Text.Json nodes the way the project's YAML layer does (tests only).</summary>
internal static partial class TestYaml
{
    [GeneratedRegex("^[-+]?[0-9]+$")]
    private static partial Regex IntRegex();

    [GeneratedRegex("^[-+]?(\\.[0-9]+|[0-9]+(\\.[0-9]*)?)([eE][-+]?[0-9]+)?$")]
    private static partial Regex FloatRegex();

    /// <summary>Every non-empty document of a (multi-document) YAML text.</summary>
    public static List<JsonNode> LoadAll(string text)
    {
        var stream = new YamlStream();
        stream.Load(new StringReader(text));
        var docs = new List<JsonNode>();
        foreach (var doc in stream.Documents)
        {
            var node = Convert(doc.RootNode);
            if (node is not null)
            {
                docs.Add(node);
            }
        }

        return docs;
    }

    public static JsonObject Obj(string yaml) => (JsonObject)LoadAll(yaml).Single();

    public static JsonNode? Value(string yaml)
    {
        var stream = new YamlStream();
        stream.Load(new StringReader(yaml));
        return Convert(stream.Documents[0].RootNode);
    }

    public static StructuralSchema Schema(string yaml) => StructuralSchema.Parse(Obj(yaml));

    private static JsonNode? Convert(YamlNode node)
    {
        switch (node)
        {
            case YamlMappingNode map:
                {
                    var obj = new JsonObject();
                    foreach (var (k, v) in map.Children)
                    {
                        obj[((YamlScalarNode)k).Value ?? string.Empty] = Convert(v);
                    }

                    return obj;
                }

            case YamlSequenceNode seq:
                {
                    var arr = new JsonArray();
                    foreach (var item in seq.Children)
                    {
                        arr.Add(Convert(item));
                    }

                    return arr;
                }

            case YamlScalarNode scalar:
                return Scalar(scalar);
            default:
                return null;
        }
    }

    private static JsonNode? Scalar(YamlScalarNode s)
    {
        string v = s.Value ?? string.Empty;
        string tag = s.Tag.IsEmpty ? string.Empty : s.Tag.Value;
        if (tag is "tag:yaml.org,2002:str" || (s.Style != ScalarStyle.Plain && s.Style != ScalarStyle.Any))
        {
            return JsonValue.Create(v);
        }

        switch (v)
        {
            case "":
            case "~":
            case "null":
            case "Null":
            case "NULL":
                return null;
            case "true":
            case "True":
            case "TRUE":
                return JsonValue.Create(true);
            case "false":
            case "False":
            case "FALSE":
                return JsonValue.Create(false);
            case ".inf":
            case "+.inf":
                return JsonValue.Create(double.PositiveInfinity);
            case "-.inf":
                return JsonValue.Create(double.NegativeInfinity);
        }

        if (IntRegex().IsMatch(v))
        {
            return long.TryParse(v, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out var l)
                ? JsonValue.Create(l)
                : JsonValue.Create(double.Parse(v, CultureInfo.InvariantCulture));
        }

        if (v.StartsWith("0x", StringComparison.Ordinal) && long.TryParse(v.AsSpan(2), NumberStyles.HexNumber, CultureInfo.InvariantCulture, out var hex))
        {
            return JsonValue.Create(hex);
        }

        if (FloatRegex().IsMatch(v))
        {
            return JsonValue.Create(double.Parse(v, CultureInfo.InvariantCulture));
        }

        return JsonValue.Create(v);
    }
}

/// <summary>The upstream Promises under shared/kratix/promises, found next to the repository.</summary>
internal static class PromiseData
{
    public static string Root
    {
        get
        {
            var dir = new DirectoryInfo(AppContext.BaseDirectory);
            while (dir is not null && !File.Exists(Path.Combine(dir.FullName, "Kratix.PowerShell.sln")))
            {
                dir = dir.Parent;
            }

            if (dir is null)
            {
                throw new InvalidOperationException("Kratix.PowerShell.sln not found above " + AppContext.BaseDirectory);
            }

            var promises = Path.GetFullPath(Path.Combine(dir.FullName, "..", "shared", "kratix", "promises"));
            if (!Directory.Exists(promises))
            {
                throw new InvalidOperationException("The shared Promises are missing: " + promises);
            }

            return promises;
        }
    }

    public sealed record ManifestFile(string Folder, string File, string Role)
    {
        public string FullPath => Path.Combine(PromiseData.Root, Folder, File);
    }

    /// <summary>The files listed in every folder's manifest.txt, with their role.</summary>
    public static List<ManifestFile> Files()
    {
        var list = new List<ManifestFile>();
        var line = new Regex("^\\s*-\\s+(\\S+)\\s+<-.*\\(role: ([a-z-]+)");
        foreach (var folder in Directory.GetDirectories(Root).OrderBy(d => d, StringComparer.Ordinal))
        {
            foreach (var l in File.ReadAllLines(Path.Combine(folder, "manifest.txt")))
            {
                var m = line.Match(l);
                if (m.Success)
                {
                    list.Add(new ManifestFile(Path.GetFileName(folder), m.Groups[1].Value, m.Groups[2].Value));
                }
            }
        }

        return list;
    }
}
