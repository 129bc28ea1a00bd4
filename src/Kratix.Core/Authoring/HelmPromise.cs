using System.Formats.Tar;
using System.IO.Compression;
using System.Text.Json.Nodes;
using Kratix.Manifests;

namespace Kratix.Authoring;

/// <summary>Where a Helm chart comes from, for the Promise's pipeline (the env of kratix-cli's helm stage).</summary>
public sealed record HelmChartSource(string Url, string? Name, string? Version);

/// <summary>
/// A Promise from a Helm chart, as kratix-cli's <c>init helm-promise</c>: the API's spec schema comes from the chart's
/// values.yaml (<see cref="ValuesToSchema"/>), and the resource.configure workflow is one pipeline
/// <c>instance-configure</c> whose container runs kratix-cli's helm stage image, which renders the chart with the
/// request's spec as its values (<c>helm template &lt;request name&gt; &lt;chart&gt; --values spec</c>).
/// </summary>
public static class HelmPromise
{
    public const string StageImage = "ghcr.io/syntasso/kratix-cli/helm-resource-configure:v0.2.0";
    public const string PipelineName = "instance-configure";

    /// <summary>values.yaml of a chart folder, or of a packaged chart (.tgz), whose values are in &lt;chart&gt;/values.yaml.</summary>
    public static JsonObject ReadValues(string chartPath)
    {
        var full = Path.GetFullPath(chartPath);
        string text;
        if (Directory.Exists(full))
        {
            var values = Path.Combine(full, "values.yaml");
            text = File.Exists(values) ? File.ReadAllText(values) : string.Empty;
        }
        else if (File.Exists(full))
        {
            text = ReadPackagedValues(full);
        }
        else
        {
            throw new KratixException(
                "HelmChartNotFound", KratixErrorCategory.ObjectNotFound, $"{full} does not exist: give a chart folder or a packaged chart (.tgz).", full);
        }

        var documents = ManifestReader.Default.ReadString(text, full);
        return documents.Count == 0 || documents[0].Content is null
            ? []
            : documents[0].Content as JsonObject ?? throw new KratixException(
                "HelmChartInvalid", KratixErrorCategory.InvalidData, $"The values of {full} are not a YAML mapping.", full);
    }

    private static string ReadPackagedValues(string package)
    {
        try
        {
            using var file = File.OpenRead(package);
            using var gzip = new GZipStream(file, CompressionMode.Decompress);
            using var tar = new TarReader(gzip);
            while (tar.GetNextEntry() is { } entry)
            {
                var parts = entry.Name.Replace('\\', '/').Split('/', StringSplitOptions.RemoveEmptyEntries);
                if (parts.Length == 2 && parts[1] == "values.yaml" && entry.DataStream is { } data)
                {
                    using var reader = new StreamReader(data);
                    return reader.ReadToEnd();
                }
            }
        }
        catch (Exception ex) when (ex is InvalidDataException or FormatException or EndOfStreamException)
        {
            throw new KratixException(
                "HelmChartInvalid", KratixErrorCategory.InvalidData, $"{package} is not a packaged Helm chart (a gzipped tar): {ex.Message}", package, ex);
        }

        return string.Empty;
    }

    /// <summary>
    /// kratix-cli's HelmValuesToSchema: an object with <c>default: {}</c> and a property per value. Strings are
    /// string, booleans boolean, every number number (Helm reads values.yaml through JSON, so kratix-cli never sees an
    /// integer in a real chart), maps objects with <c>x-kubernetes-preserve-unknown-fields</c>, lists arrays of their
    /// first item's type (<c>x-kubernetes-int-or-string</c> items when empty), and null an empty object that preserves
    /// unknown fields. With <paramref name="withDefaults"/>, scalars also get the chart's value as their default.
    /// </summary>
    public static JsonObject ValuesToSchema(JsonObject values, bool withDefaults = false)
    {
        var properties = new JsonObject();
        foreach (var (key, value) in values)
        {
            properties[key] = SchemaOf(value, withDefaults);
        }

        return new JsonObject { ["type"] = "object", ["default"] = new JsonObject(), ["properties"] = properties };
    }

    private static JsonObject SchemaOf(JsonNode? value, bool withDefaults)
    {
        switch (value)
        {
            case null:
                return new JsonObject { ["type"] = "object", ["properties"] = new JsonObject(), ["x-kubernetes-preserve-unknown-fields"] = true };
            case JsonObject map:
                var properties = new JsonObject();
                foreach (var (key, child) in map)
                {
                    properties[key] = SchemaOf(child, withDefaults);
                }

                return new JsonObject { ["type"] = "object", ["properties"] = properties, ["x-kubernetes-preserve-unknown-fields"] = true };
            case JsonArray list:
                var items = list.Count > 0 ? SchemaOf(list[0], withDefaults: false) : new JsonObject { ["x-kubernetes-int-or-string"] = true };
                return new JsonObject { ["type"] = "array", ["items"] = items };
            case JsonValue scalar:
                var type = scalar.GetValueKind() switch
                {
                    System.Text.Json.JsonValueKind.String => "string",
                    System.Text.Json.JsonValueKind.True or System.Text.Json.JsonValueKind.False => "boolean",
                    System.Text.Json.JsonValueKind.Number => "number",
                    _ => "string",
                };
                var schema = new JsonObject { ["type"] = type };
                if (withDefaults)
                {
                    schema["default"] = scalar.DeepClone();
                }

                return schema;
            default:
                return new JsonObject { ["type"] = "string" };
        }
    }

    /// <summary>The resource.configure workflow: instance-configure running the helm stage with CHART_URL, CHART_NAME and CHART_VERSION.</summary>
    public static JsonArray ResourceConfigure(HelmChartSource source)
    {
        var env = new JsonArray(new JsonObject { ["name"] = "CHART_URL", ["value"] = source.Url });
        if (!string.IsNullOrEmpty(source.Name))
        {
            env.Add(new JsonObject { ["name"] = "CHART_NAME", ["value"] = source.Name });
        }

        if (!string.IsNullOrEmpty(source.Version))
        {
            env.Add(new JsonObject { ["name"] = "CHART_VERSION", ["value"] = source.Version });
        }

        return new JsonArray(new JsonObject
        {
            ["apiVersion"] = "platform.kratix.io/v1alpha1",
            ["kind"] = "Pipeline",
            ["metadata"] = new JsonObject { ["name"] = PipelineName },
            ["spec"] = new JsonObject
            {
                ["containers"] = new JsonArray(new JsonObject
                {
                    ["name"] = PipelineName,
                    ["image"] = StageImage,
                    ["env"] = env,
                }),
            },
        });
    }

    /// <summary>The flags of kratix-cli's command line, for the README.</summary>
    public static string Flags(HelmChartSource source) =>
        $"--chart-url {source.Url}"
        + (string.IsNullOrEmpty(source.Name) ? string.Empty : $" --chart-name {source.Name}")
        + (string.IsNullOrEmpty(source.Version) ? string.Empty : $" --chart-version {source.Version}");
}
