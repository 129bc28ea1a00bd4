using System.Text.Json.Nodes;

namespace Kratix.Objects;

/// <summary>A resource request: an object of the kind a Promise's API defines.</summary>
public sealed class ResourceRequest(JsonObject node) : KubeObject(node)
{
    public string PromiseName => GetLabel(KratixApi.PromiseNameLabel) ?? string.Empty;
}
