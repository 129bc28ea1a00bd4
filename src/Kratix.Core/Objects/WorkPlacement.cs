using System.Text.Json.Nodes;

namespace Kratix.Objects;

/// <summary>A WorkPlacement: one workload group of a Work, placed on one Destination and written to its state store.</summary>
public sealed class WorkPlacement(JsonObject node) : KubeObject(node)
{
    public string TargetDestinationName => Spec.GetString("targetDestinationName") ?? string.Empty;

    public string PromiseName => Spec.GetString("promiseName") ?? string.Empty;

    public string ResourceName => Spec.GetString("resourceName") ?? string.Empty;

    /// <summary>The workload group id (md5 of its directory).</summary>
    public string Id => Spec.GetString("id") ?? string.Empty;

    public IReadOnlyList<Workload> Workloads =>
        (Spec["workloads"] as JsonArray)?.OfType<JsonObject>().Select(Workload.FromJson).ToList() ?? [];

    public string WorkName => GetLabel(KratixApi.WorkLabel) ?? string.Empty;

    public string PipelineName => GetLabel(KratixApi.PipelineNameLabel) ?? string.Empty;

    public bool IsMisplaced => GetLabel(KratixApi.MisplacedLabel) == "true";

    /// <summary>The git commit (or other version id) the last write produced.</summary>
    public string? VersionId => Status.GetString("versionID");
}
