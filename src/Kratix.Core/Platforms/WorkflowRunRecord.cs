using System.Text.Json.Nodes;
using Kratix.Objects;

namespace Kratix.Platforms;

/// <summary>
/// The last recorded run of one workflow of a Promise or a request, as the platform keeps it in its home
/// (<c>workflows/&lt;type&gt;-&lt;action&gt;/&lt;promise&gt;/[&lt;namespace&gt;/]&lt;name&gt;.yaml</c>, the containers' logs
/// in the folder of the same name beside it): which pipelines ran, how each ended, and where each container's log is.
/// A run that resumed a suspended workflow holds only the pipelines it ran.
/// </summary>
/// <param name="WorkflowType">promise or resource.</param>
/// <param name="Action">configure or delete.</param>
/// <param name="Promise">The Promise whose workflow it is.</param>
/// <param name="Namespace">The request's namespace; null for a Promise's own workflows.</param>
/// <param name="Name">The Promise's or the request's name.</param>
/// <param name="Hash">The spec hash the run ran for (empty for delete runs).</param>
/// <param name="Runtime">The runtime that ran it (Podman, Docker, Host).</param>
/// <param name="FinishedAt">When the platform recorded the run.</param>
/// <param name="Pipelines">The pipelines that ran, in order.</param>
/// <param name="RecordPath">The record file.</param>
/// <param name="LogDirectory">The folder that holds the logs, <c>&lt;pipeline&gt;/&lt;container&gt;.log</c>.</param>
public sealed record WorkflowRunRecord(
    string WorkflowType,
    string Action,
    string Promise,
    string? Namespace,
    string Name,
    string Hash,
    string Runtime,
    DateTimeOffset? FinishedAt,
    IReadOnlyList<PipelineRunRecord> Pipelines,
    string RecordPath,
    string LogDirectory)
{
    /// <summary><c>&lt;type&gt;.&lt;action&gt;</c>, e.g. <c>resource.configure</c>.</summary>
    public string Workflow => $"{WorkflowType}.{Action}";

    /// <summary>How long the pipelines that ran took, added up.</summary>
    public TimeSpan Duration => Pipelines.Aggregate(TimeSpan.Zero, (total, p) => total + p.Duration);

    /// <summary>Reads a record file; relative log paths in it are resolved against <paramref name="home"/>.</summary>
    public static WorkflowRunRecord FromJson(JsonObject node, string home, string workflowType, string action, string promise, string? ns, string name, string recordPath) => new(
        workflowType,
        action,
        promise,
        ns,
        name,
        node.GetString("hash") ?? string.Empty,
        node.GetString("runtime") ?? string.Empty,
        Timestamps.Parse(node.GetString("finishedAt")),
        (node["pipelines"] as JsonArray)?.OfType<JsonObject>().Select(p => PipelineRunRecord.FromJson(p, home)).ToList() ?? [],
        recordPath,
        recordPath.EndsWith(".yaml", StringComparison.Ordinal) ? recordPath[..^".yaml".Length] : recordPath);
}

/// <summary>One pipeline of a recorded run: its phase, why it failed, and its containers.</summary>
/// <param name="Name">The pipeline's name.</param>
/// <param name="Phase">Succeeded, Failed or Suspended.</param>
/// <param name="Error">Why it failed, or null.</param>
/// <param name="Containers">Each container that ran (or could not start), in order.</param>
/// <param name="RecordedDuration">The pipeline's duration as recorded; null in records written before it was kept.</param>
public sealed record PipelineRunRecord(string Name, string Phase, string? Error, IReadOnlyList<ContainerRunRecord> Containers, TimeSpan? RecordedDuration = null)
{
    /// <summary>The recorded duration, or the containers' durations added up when the record has none.</summary>
    public TimeSpan Duration => RecordedDuration ?? Containers.Aggregate(TimeSpan.Zero, (total, c) => total + c.Duration);

    public static PipelineRunRecord FromJson(JsonObject node, string home) => new(
        node.GetString("name") ?? string.Empty,
        node.GetString("phase") ?? string.Empty,
        node.GetString("error"),
        (node["containers"] as JsonArray)?.OfType<JsonObject>().Select(c => ContainerRunRecord.FromJson(c, home)).ToList() ?? [],
        node.GetLong("durationMilliseconds") is { } ms ? TimeSpan.FromMilliseconds(ms) : null);
}

/// <summary>One container of a recorded pipeline: image, exit code, duration, and its log file (the log's last MiB).</summary>
/// <param name="Name">The container's name.</param>
/// <param name="Image">Its image.</param>
/// <param name="ExitCode">Its exit code; -1 when it could not start.</param>
/// <param name="TimedOut">True when it was stopped at the container time limit.</param>
/// <param name="Duration">How long it ran.</param>
/// <param name="LogPath">The full path of its log file, or null when the record names none.</param>
/// <param name="Pod">On a cluster, the Pod whose container it was (its log is read from the API server); null in a home.</param>
/// <param name="LogTail">On a cluster, the last lines of a failed container's log, read with the run; null otherwise.</param>
public sealed record ContainerRunRecord(string Name, string Image, int ExitCode, bool TimedOut, TimeSpan Duration, string? LogPath, PodReference? Pod = null, string? LogTail = null)
{
    public bool Succeeded => ExitCode == 0 && !TimedOut;

    public static ContainerRunRecord FromJson(JsonObject node, string home) => new(
        node.GetString("name") ?? string.Empty,
        node.GetString("image") ?? string.Empty,
        (int)(node.GetLong("exitCode") ?? -1),
        node.GetBool("timedOut") ?? false,
        TimeSpan.FromMilliseconds(node.GetLong("durationMilliseconds") ?? 0),
        node.GetString("log") is { Length: > 0 } log ? Path.GetFullPath(Path.Combine(home, log)) : null);
}

/// <summary>A Pod on a cluster: where a pipeline container's log is read from (<c>pods/{name}/log?container=</c>).</summary>
public sealed record PodReference(string Namespace, string Name);
