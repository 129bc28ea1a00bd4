using System.Text.Json.Nodes;

namespace Kratix.Objects;

/// <summary>A Promise: a platform API (an embedded CustomResourceDefinition), its dependencies, workflows and scheduling.</summary>
public sealed class Promise(JsonObject node) : KubeObject(node)
{
    /// <summary>spec.api: the CustomResourceDefinition of the request kind, or null for a Promise with no API.</summary>
    public JsonObject? Api => Spec["api"] as JsonObject;

    /// <summary>spec.dependencies: documents installed on every matching Destination.</summary>
    public IReadOnlyList<JsonNode?> Dependencies => (Spec["dependencies"] as JsonArray)?.ToList() ?? [];

    /// <summary>spec.destinationSelectors, each with source "promise".</summary>
    public IReadOnlyList<DestinationSelector> DestinationSelectors =>
        (Spec["destinationSelectors"] as JsonArray)?.OfType<JsonObject>()
            .Select(s => DestinationSelector.FromJson(s, DestinationSelector.FromPromise) with { Source = DestinationSelector.FromPromise })
            .ToList() ?? [];

    public IReadOnlyList<RequiredPromise> RequiredPromises =>
        (Spec["requiredPromises"] as JsonArray)?.OfType<JsonObject>()
            .Select(r => new RequiredPromise(r.GetString("name") ?? string.Empty, r.GetString("version")))
            .ToList() ?? [];

    /// <summary>The pipelines of one workflow, e.g. <c>Workflows("resource", "configure")</c>.</summary>
    public IReadOnlyList<Pipeline> Workflows(string type, string action) =>
        (Spec["workflows"]?[type]?[action] as JsonArray)?.OfType<JsonObject>().Select(p => new Pipeline(p)).ToList() ?? [];

    /// <summary>spec.workflows.config.pipelineNamespace: where every workflow of this Promise runs, or null when not set.</summary>
    public string? PipelineNamespace =>
        Spec["workflows"]?["config"]?["pipelineNamespace"] is JsonValue v && v.TryGetValue<string>(out var ns) && ns.Length > 0 ? ns : null;

    /// <summary>The kratix.io/promise-version label, or "not-set" as upstream reports it when absent.</summary>
    public string PromiseVersion => GetLabel(KratixApi.PromiseVersionLabel) ?? "not-set";
}

public sealed record RequiredPromise(string Name, string? Version);
