using System.Text.Json.Nodes;
using Kratix.Objects;

namespace Kratix.Pipelines;

/// <summary>
/// Runs one workflow (the pipelines of e.g. resource.configure) for an object and reports what it produced.
/// The embedded platform calls it; the pipeline runtimes (containers, host) implement it.
/// </summary>
public interface IWorkflowRunner
{
    Task<WorkflowOutcome> RunAsync(WorkflowInvocation invocation, CancellationToken cancellationToken);
}

/// <summary>What to run: the Promise, the object (the Promise itself or a request), the workflow type and action, the pipelines.</summary>
public sealed record WorkflowInvocation(Promise Promise, KubeObject Object, string WorkflowType, string Action, IReadOnlyList<Pipeline> Pipelines);

/// <summary>What a workflow produced, per pipeline: its output files and destination selectors, and the status to merge.</summary>
public sealed record WorkflowOutcome(bool Succeeded, IReadOnlyList<PipelineOutcome> Pipelines, string? FailedPipeline, string? Message);

/// <summary>One pipeline's results: files (relative path to bytes), selectors from destination-selectors.yaml, the status document.</summary>
public sealed record PipelineOutcome(string Name, IReadOnlyDictionary<string, byte[]> OutputFiles, IReadOnlyList<DirectorySelector> Selectors, JsonObject? Status);

/// <summary>An entry of metadata/destination-selectors.yaml: a directory (or "." for the root) and the labels it needs.</summary>
public sealed record DirectorySelector(string Directory, IReadOnlyDictionary<string, string> MatchLabels);
