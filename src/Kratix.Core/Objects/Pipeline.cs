using System.Text.Json.Nodes;

namespace Kratix.Objects;

/// <summary>A workflow pipeline (platform.kratix.io/v1alpha1 Pipeline): containers run in order over one workspace.</summary>
public sealed class Pipeline(JsonObject node) : KubeObject(node)
{
    public IReadOnlyList<JsonObject> Containers => (Spec["containers"] as JsonArray)?.OfType<JsonObject>().ToList() ?? [];
}
