using System.Collections.Specialized;
using Kratix.Manifests;
using Kratix.Objects;
using Kratix.Pipelines;

namespace Kratix.Presentation;

/// <summary>
/// What Invoke-KratixPipeline outputs for one pipeline run, in shapes a test can assert on: the output documents as
/// ordered dictionaries with their original keys, the files, the workload groups and destination selectors as the
/// platform would schedule them, the status after the run, the workflow control, and each container's outcome. The
/// cmdlet turns the dictionaries into PowerShell objects. Secret values are masked in <see cref="Error"/> and
/// <see cref="FailureMessage"/>, which reach the error stream; container logs are kept as written.
/// </summary>
public sealed class PipelineResultView
{
    /// <summary>How many lines of the failing container's log <see cref="FailureMessage"/> ends with.</summary>
    public const int LogTailLines = 20;

    public PipelineResultView(WorkflowResult workflow, PipelineResult pipeline, ValueSources? secrets = null)
    {
        secrets ??= ValueSources.None;
        Name = pipeline.Name;
        Index = pipeline.Index;
        Workflow = $"{workflow.WorkflowType}.{workflow.Action}";
        Runtime = workflow.Runtime;
        Phase = pipeline.Phase;
        Documents = pipeline.Files.SelectMany(ReadDocuments).ToList();
        Files = pipeline.Files.Select(f => new PipelineFileView(f.Path, f.Text, f.Content.LongLength)).ToList();
        WorkloadGroups = pipeline.WorkloadGroups.Select(g => new WorkloadGroupView(
            g.Id,
            g.Directory,
            g.Workloads.Select(w => w.Filepath).ToList(),
            g.DestinationSelectors.Select(s => new DestinationSelectorView(Labels(s.MatchLabels), s.Source)).ToList())).ToList();
        DestinationSelectors = pipeline.DestinationSelectors.Select(s => new DirectorySelectorView(s.Directory, Labels(s.MatchLabels))).ToList();
        Status = Dictionary(pipeline.Status);
        StatusFile = pipeline.StatusFile is null ? null : Dictionary(pipeline.StatusFile);
        WorkflowControl = pipeline.Control;
        Containers = pipeline.Containers;
        Duration = pipeline.Duration;
        Error = pipeline.Error is null ? null : secrets.Redact(pipeline.Error);
        WorkspacePath = pipeline.WorkspacePath;
        FailureId = pipeline.FailureId;
        FailureCategory = pipeline.FailureCategory ?? KratixErrorCategory.InvalidResult;
        FailureMessage = Phase == PipelinePhases.Failed ? secrets.Redact(DescribeFailure(pipeline)) : null;
    }

    /// <summary>One view per pipeline that ran, in order.</summary>
    public static IReadOnlyList<PipelineResultView> From(WorkflowResult result, ValueSources? secrets = null) =>
        result.Pipelines.Select(p => new PipelineResultView(result, p, secrets)).ToList();

    public string Name { get; }

    /// <summary>The pipeline's position in its workflow (0 for the first).</summary>
    public int Index { get; }

    /// <summary><c>&lt;type&gt;.&lt;action&gt;</c>, e.g. <c>resource.configure</c>.</summary>
    public string Workflow { get; }

    public string Runtime { get; }

    /// <summary>Succeeded, Failed or Suspended.</summary>
    public string Phase { get; }

    public bool Succeeded => Phase == PipelinePhases.Succeeded;

    /// <summary>Every YAML or JSON document the pipeline wrote, file by file in output order.</summary>
    public IReadOnlyList<PipelineDocumentView> Documents { get; }

    public IReadOnlyList<PipelineFileView> Files { get; }

    /// <summary>The workload groups the platform would schedule (configure workflows only).</summary>
    public IReadOnlyList<WorkloadGroupView> WorkloadGroups { get; }

    /// <summary>metadata/destination-selectors.yaml as the pipeline wrote it.</summary>
    public IReadOnlyList<DirectorySelectorView> DestinationSelectors { get; }

    /// <summary>The object's status after this pipeline, its status.yaml merged in.</summary>
    public OrderedDictionary Status { get; }

    /// <summary>metadata/status.yaml as the pipeline wrote it, or null.</summary>
    public OrderedDictionary? StatusFile { get; }

    /// <summary>metadata/workflow-control.yaml (Suspend, RetryAfter, Message), or null when the pipeline wrote none.</summary>
    public WorkflowControl? WorkflowControl { get; }

    public IReadOnlyList<ContainerResult> Containers { get; }

    public TimeSpan Duration { get; }

    /// <summary>Why the pipeline failed, or null.</summary>
    public string? Error { get; }

    /// <summary>Where the workspace was kept (-OutputPath), or null.</summary>
    public string? WorkspacePath { get; }

    /// <summary>The stable id of the failure (PipelineContainerFailed, PipelineImageNotFound, PipelineOutputUnsafe, ...), or null.</summary>
    public string? FailureId { get; }

    /// <summary>The failure's category (InvalidResult when unknown); meaningful only when <see cref="Phase"/> is Failed.</summary>
    public KratixErrorCategory FailureCategory { get; }

    /// <summary>For a failed pipeline: the workflow, the error, and the last <see cref="LogTailLines"/> lines of the failing container's log.</summary>
    public string? FailureMessage { get; }

    private string DescribeFailure(PipelineResult pipeline)
    {
        var message = $"{Workflow} pipeline \"{Name}\" failed: {pipeline.Error}";
        var container = pipeline.Containers.LastOrDefault(c => !c.Succeeded);
        return container is null || string.IsNullOrWhiteSpace(container.Log)
            ? message
            : $"{message}\n--- last {LogTailLines} lines of {container.Name}'s log ---\n{container.LogTail(LogTailLines)}";
    }

    private static IEnumerable<PipelineDocumentView> ReadDocuments(PipelineOutputFile file)
    {
        if (!file.IsManifest)
        {
            return [];
        }

        try
        {
            return ManifestReader.Default.ReadString(file.Text, file.Path)
                .Where(d => d.Content is System.Text.Json.Nodes.JsonObject)
                .Select(d => new PipelineDocumentView(file.Path, d.Index, Dictionary(d.Content)))
                .ToList();
        }
        catch (KratixException)
        {
            // A file that does not parse is still in Files; it simply has no documents.
            return [];
        }
    }

    private static OrderedDictionary Dictionary(System.Text.Json.Nodes.JsonNode? node) =>
        JsonValues.ToClr(node) as OrderedDictionary ?? new OrderedDictionary(StringComparer.OrdinalIgnoreCase);

    private static OrderedDictionary Labels(IReadOnlyDictionary<string, string> labels)
    {
        var map = new OrderedDictionary(StringComparer.OrdinalIgnoreCase);
        foreach (var (key, value) in labels)
        {
            map[key] = value;
        }

        return map;
    }
}

/// <summary>One YAML or JSON document of an output file: the file, the document's index in it (from 0), and its content with its original keys.</summary>
public sealed record PipelineDocumentView(string Path, int Index, OrderedDictionary Content);

/// <summary>One output file: its path under /kratix/output, its text (UTF-8) and its length in bytes.</summary>
public sealed record PipelineFileView(string Path, string Text, long Length);

/// <summary>A workload group: its id, its output directory ("." for the default group), its files and the selectors that place it.</summary>
public sealed record WorkloadGroupView(string Id, string Directory, IReadOnlyList<string> Files, IReadOnlyList<DestinationSelectorView> DestinationSelectors);

/// <summary>A scheduling rule of a workload group: the labels a Destination needs, and where the rule came from (promise, promise-workflow, resource-workflow).</summary>
public sealed record DestinationSelectorView(OrderedDictionary MatchLabels, string Source);

/// <summary>An entry of metadata/destination-selectors.yaml: a directory ("." for the root) and the labels it needs.</summary>
public sealed record DirectorySelectorView(string Directory, OrderedDictionary MatchLabels);
