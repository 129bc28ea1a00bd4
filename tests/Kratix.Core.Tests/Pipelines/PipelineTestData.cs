using System.Text.Json.Nodes;
using Kratix.Manifests;
using Kratix.Objects;
using Kratix.Tests;

namespace Kratix.Core.Tests.Pipelines;

/// <summary>Small helpers shared by the pipeline contract tests: YAML into JSON trees, and the upstream Promises.</summary>
internal static class PipelineTestData
{
    /// <summary>The one document of a YAML text, as the engine's own reader reads it.</summary>
    public static JsonObject Yaml(string yaml) => (JsonObject)ManifestReader.Default.ReadString(yaml, "test").Single().Content!;

    /// <summary>The Promise in shared/kratix/promises/&lt;folder&gt;/&lt;file&gt;.</summary>
    public static Promise UpstreamPromise(string folder, string file) =>
        new(ManifestReader.Default.ReadFile(Path.Combine(TestPaths.UpstreamPromises, folder, file))
            .Select(d => d.Content)
            .OfType<JsonObject>()
            .Single(d => d.GetString("kind") == KratixApi.PromiseKind));

    /// <summary>The first document of shared/kratix/promises/&lt;folder&gt;/&lt;file&gt;.</summary>
    public static JsonObject UpstreamDocument(string folder, string file) =>
        (JsonObject)ManifestReader.Default.ReadFile(Path.Combine(TestPaths.UpstreamPromises, folder, file)).First().Content!;

    /// <summary>A Pipeline with only a name: what ContainerSpecReader reads from it besides the container.</summary>
    public static Pipeline Pipeline(string name) =>
        new(new JsonObject
        {
            ["apiVersion"] = KratixApi.ApiVersion,
            ["kind"] = KratixApi.PipelineKind,
            ["metadata"] = new JsonObject { ["name"] = name },
            ["spec"] = new JsonObject { ["containers"] = new JsonArray() },
        });
}
