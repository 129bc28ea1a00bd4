using System.Text.Json.Nodes;

namespace Kratix.Objects;

/// <summary>A Work: the documents one pipeline (or a Promise's static dependencies) produced, grouped for scheduling.</summary>
public sealed class Work(JsonObject node) : KubeObject(node)
{
    public string PromiseName => Spec.GetString("promiseName") ?? string.Empty;

    /// <summary>The request's name for resource Works; empty for dependency Works, which go to every matching Destination.</summary>
    public string ResourceName => Spec.GetString("resourceName") ?? string.Empty;

    public bool IsDependency => ResourceName.Length == 0;

    public string WorkType => GetLabel(KratixApi.WorkTypeLabel) ?? string.Empty;

    public string PipelineName => GetLabel(KratixApi.PipelineNameLabel) ?? string.Empty;

    public IReadOnlyList<WorkloadGroup> WorkloadGroups =>
        (Spec["workloadGroups"] as JsonArray)?.OfType<JsonObject>().Select(WorkloadGroup.FromJson).ToList() ?? [];
}
