using System.Text;
using System.Text.Json.Nodes;
using Kratix.Manifests;

namespace Kratix.Pipelines;

/// <summary>One file from <c>/kratix/output</c>: its path relative to the output directory and its bytes.</summary>
public sealed record PipelineOutputFile(string Path, byte[] Content)
{
    public string Text => Encoding.UTF8.GetString(Content);

    /// <summary>True for .yaml, .yml and .json files: those read as documents.</summary>
    public bool IsManifest =>
        Path.EndsWith(".yaml", StringComparison.OrdinalIgnoreCase) || Path.EndsWith(".yml", StringComparison.OrdinalIgnoreCase) || Path.EndsWith(".json", StringComparison.OrdinalIgnoreCase);

    /// <summary>The YAML or JSON documents in the file (empty for other files, or when it does not parse).</summary>
    public IReadOnlyList<JsonObject> Documents()
    {
        if (!IsManifest)
        {
            return [];
        }

        try
        {
            return ManifestReader.Default.ReadString(Text, Path).Select(d => d.Content).OfType<JsonObject>().ToList();
        }
        catch (KratixException)
        {
            return [];
        }
    }
}
