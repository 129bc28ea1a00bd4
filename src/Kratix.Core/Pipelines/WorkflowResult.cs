using System.Text.Json.Nodes;
using Kratix.Objects;

namespace Kratix.Pipelines;

/// <summary>The phases upstream records per pipeline under <c>status.kratix.workflows.pipelines</c>.</summary>
public static class PipelinePhases
{
    public const string Pending = "Pending";
    public const string Running = "Running";
    public const string Succeeded = "Succeeded";
    public const string Failed = "Failed";
    public const string Suspended = "Suspended";
}

/// <summary>How a workflow run ended, and each pipeline that ran; <see cref="Status"/> is the object's status afterwards.</summary>
public sealed record WorkflowResult(
    string Runtime,
    string WorkflowType,
    string Action,
    IReadOnlyList<PipelineResult> Pipelines,
    JsonObject Status)
{
    public bool Succeeded => Pipelines.All(p => p.Phase == PipelinePhases.Succeeded);

    public PipelineResult? Failed => Pipelines.FirstOrDefault(p => p.Phase == PipelinePhases.Failed);

    public PipelineResult? Suspended => Pipelines.FirstOrDefault(p => p.Phase == PipelinePhases.Suspended);
}

/// <summary>
/// One pipeline's run: its phase, each container's outcome, the output files and the workload groups they would
/// form (with their destination selectors), the status after merging its status.yaml, and its workflow-control.
/// </summary>
public sealed record PipelineResult(
    string Name,
    int Index,
    string Phase,
    IReadOnlyList<ContainerResult> Containers,
    IReadOnlyList<PipelineOutputFile> Files,
    IReadOnlyList<DirectorySelector> DestinationSelectors,
    IReadOnlyList<WorkloadGroup> WorkloadGroups,
    JsonObject? StatusFile,
    JsonObject Status,
    WorkflowControl? Control,
    string? Error,
    TimeSpan Duration,
    string? WorkspacePath)
{
    /// <summary>
    /// Why a failed pipeline failed, as a stable id: the error id of what stopped it (a container that could not start,
    /// output that could not be read) or <see cref="WorkflowExecutor.ContainerFailedErrorId"/> /
    /// <see cref="WorkflowExecutor.ContainerTimedOutErrorId"/>. Null unless <see cref="Phase"/> is Failed.
    /// </summary>
    public string? FailureId { get; init; }

    /// <summary>The category of <see cref="FailureId"/>; null unless <see cref="Phase"/> is Failed.</summary>
    public KratixErrorCategory? FailureCategory { get; init; }
}

/// <summary>One container's run: exit code, duration, combined log, and whether it hit its time limit.</summary>
public sealed record ContainerResult(string Name, string Image, int ExitCode, TimeSpan Duration, string Log, bool TimedOut)
{
    public bool Succeeded => ExitCode == 0 && !TimedOut;

    /// <summary>The last lines of the log, for error messages.</summary>
    public string LogTail(int lines = 20)
    {
        var all = Log.TrimEnd('\n').Split('\n');
        return string.Join('\n', all.Skip(Math.Max(0, all.Length - lines)));
    }
}
