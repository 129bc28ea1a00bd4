using System.Diagnostics;
using System.Text.Json.Nodes;
using Kratix.Manifests;
using Kratix.Objects;
using Kratix.Pipelines.Runtimes;
using Kratix.Platforms;

namespace Kratix.Pipelines;

/// <summary>
/// Runs a workflow's pipelines one after another, as upstream's Jobs run them: each pipeline's containers in order over
/// one workspace; after each pipeline its status.yaml is merged into the object's status (the next pipeline reads it in
/// object.yaml), its output is grouped for scheduling and its workflow-control is obeyed. A failing container stops
/// the workflow; later pipelines are skipped. A delete workflow runs only its first pipeline, and its output is not
/// scheduled. The result says what each pipeline did; the caller (the embedded platform or Invoke-KratixPipeline)
/// decides what to keep.
/// </summary>
public sealed class WorkflowExecutor(IContainerRuntime runtime, WorkflowExecutorOptions options)
{
    /// <summary>The Pipeline annotation that lets its containers use the network.</summary>
    public const string NetworkAnnotation = "kratix.io/pipeline-network";

    /// <summary>The <see cref="PipelineResult.FailureId"/> of a container that exited with a non-zero code.</summary>
    public const string ContainerFailedErrorId = "PipelineContainerFailed";

    /// <summary>The <see cref="PipelineResult.FailureId"/> of a container stopped at its time limit.</summary>
    public const string ContainerTimedOutErrorId = "PipelineContainerTimedOut";

    public string RuntimeName => runtime.Name;

    public async Task<WorkflowResult> RunAsync(WorkflowRequest request, CancellationToken cancellationToken)
    {
        var isConfigure = request.Action == WorkflowTypes.Configure;
        var pipelines = isConfigure ? request.Pipelines : request.Pipelines.Take(1).ToList();
        var obj = request.Object.DeepClone().AsObject();
        var status = obj["status"] as JsonObject ?? [];
        var now = options.Clock.GetUtcNow();
        if (isConfigure)
        {
            Start(status, request, now);
        }
        else if (!request.Resume)
        {
            // As upstream's createDeletePipeline(resetStatus): the delete pipeline's own entry, so a suspension or a
            // retry is recorded on it; a resumed delete keeps it (its attempts and nextRetryAt).
            WorkflowStatus.ResetToPending(status, pipelines, now);
        }

        var results = new List<PipelineResult>();
        var runId = Guid.NewGuid().ToString("N")[..10];
        for (var i = request.StartAt; i < pipelines.Count; i++)
        {
            var pipeline = pipelines[i];
            if (request.OnlyPipeline is not null && pipeline.Name != request.OnlyPipeline)
            {
                continue;
            }

            var isLast = i == pipelines.Count - 1 || request.OnlyPipeline is not null;
            var result = await RunPipelineAsync(request, pipeline, i, isLast, obj, status, $"{runId}-{i}", cancellationToken).ConfigureAwait(false);
            results.Add(result);
            status = result.Status;
            if (result.Phase != PipelinePhases.Succeeded)
            {
                break;
            }
        }

        return new WorkflowResult(runtime.Name, request.WorkflowType, request.Action, results, status);
    }

    private static void Start(JsonObject status, WorkflowRequest request, DateTimeOffset now)
    {
        var conditions = new ConditionSet(status);
        status["workflows"] = request.Pipelines.Count;
        if (!request.Resume)
        {
            WorkflowStatus.ResetToPending(status, request.Pipelines, now);
            status["workflowsSucceeded"] = 0;
        }

        status["workflowsFailed"] = 0;
        status["message"] = "Pending";
        conditions.Set(Reasons.ConfigureWorkflowCompleted, Condition.False, Reasons.PipelinesInProgress, Reasons.PipelinesInProgressMessage, now);
        conditions.Set(Reasons.Reconciled, Condition.Unknown, Reasons.WorkflowPending, "Pending", now);
    }

    private async Task<PipelineResult> RunPipelineAsync(
        WorkflowRequest request, Pipeline pipeline, int index, bool isLast, JsonObject obj, JsonObject status, string runId, CancellationToken cancellationToken)
    {
        var started = Stopwatch.GetTimestamp();
        var isConfigure = request.Action == WorkflowTypes.Configure;
        var isPromise = request.WorkflowType == WorkflowTypes.Promise;
        status = status.DeepClone().AsObject();
        WorkflowStatus.Mark(status, pipeline.Name, PipelinePhases.Running, options.Clock.GetUtcNow());
        obj["status"] = status.DeepClone();

        var containers = new List<ContainerResult>();
        using var workspace = PipelineWorkspace.Create(options.WorkspaceRoot, options.WorkspaceName?.Invoke(pipeline.Name) ?? $"{runId}-{pipeline.Name}", options.KeepWorkspaces);
        workspace.WriteObject(obj);
        var kratixEnvironment = PipelineEnvironment.For(request, pipeline);
        var values = request.Values with { PodFields = PodFields(request, pipeline, runId) };
        var network = options.Network || pipeline.GetAnnotation(NetworkAnnotation) == "true";
        options.Progress?.Invoke($"Pipeline {request.WorkflowType}.{request.Action}/{pipeline.Name}: starting on {runtime.Name}");

        string? error = null;
        (string Id, KratixErrorCategory Category)? failure = null;
        foreach (var (container, j) in pipeline.Containers.Select((c, j) => (c, j)))
        {
            ContainerSpec spec;
            ContainerRunResult outcome;
            try
            {
                (spec, var environment) = ContainerSpecReader.Read(pipeline, container, kratixEnvironment, values);
                outcome = await runtime.RunAsync(
                    new ContainerRunRequest(spec, workspace.Input, workspace.Output, workspace.Metadata, environment, network, options.ContainerTimeout, $"{runId}-{j}"),
                    cancellationToken).ConfigureAwait(false);
            }
            catch (KratixException ex)
            {
                // The container never ran (a missing image, an unresolvable variable): the pipeline fails, as a Job whose Pod cannot start.
                var name = container.GetString("name") ?? $"container-{j}";
                containers.Add(new ContainerResult(name, container.GetString("image") ?? string.Empty, -1, TimeSpan.Zero, ex.Message, false));
                error = $"Pipeline \"{pipeline.Name}\" container \"{name}\" could not run: {ex.Message}";
                failure = (ex.ErrorId, ex.Category);
                break;
            }

            var result = new ContainerResult(spec.Name, spec.Image, outcome.ExitCode, outcome.Duration, outcome.Log, outcome.TimedOut);
            containers.Add(result);
            if (workspace.Root is { } root && options.KeepWorkspaces)
            {
                Directory.CreateDirectory(Path.Combine(root, "logs"));
                await File.WriteAllTextAsync(Path.Combine(root, "logs", spec.Name + ".log"), outcome.Log, cancellationToken).ConfigureAwait(false);
            }

            options.Progress?.Invoke($"Pipeline {pipeline.Name} container {spec.Name}: exit {outcome.ExitCode} in {outcome.Duration.TotalMilliseconds:N0} ms");
            if (!result.Succeeded)
            {
                error = result.TimedOut
                    ? $"Pipeline \"{pipeline.Name}\" container \"{spec.Name}\" did not finish within {options.ContainerTimeout} and was stopped."
                    : $"Pipeline \"{pipeline.Name}\" container \"{spec.Name}\" exited with code {outcome.ExitCode}.";
                failure = result.TimedOut
                    ? (ContainerTimedOutErrorId, KratixErrorCategory.OperationTimeout)
                    : (ContainerFailedErrorId, KratixErrorCategory.InvalidResult);
                break;
            }
        }

        // A crash here leaves the workspace, with the pipeline's output, in the workspace root.
        CrashPoints.Hit(CrashPoints.PipelineRan);
        IReadOnlyList<PipelineOutputFile> files = [];
        IReadOnlyList<DirectorySelector> selectors = [];
        IReadOnlyList<WorkloadGroup> groups = [];
        JsonObject? statusFile = null;
        WorkflowControl? control = null;
        if (error is null)
        {
            try
            {
                files = PipelineOutputReader.Read(workspace.Output, pipeline.Name, options.MaxOutputBytes);
                control = workspace.ReadMetadata("workflow-control.yaml") is { } controlText
                    ? WorkflowControl.Parse(controlText, $"pipeline \"{pipeline.Name}\" metadata/workflow-control.yaml")
                    : null;
                if (isConfigure && control?.SuspendsOrRetries != true)
                {
                    selectors = ReadSelectors(workspace, pipeline.Name);
                    groups = WorkloadGroupBuilder.Build(files, selectors, request.WorkflowType, request.Promise.DestinationSelectors, pipeline.Name);
                }

                if (workspace.ReadMetadata("status.yaml") is { } statusText)
                {
                    statusFile = ReadStatusFile(statusText, pipeline.Name);
                    status = StatusMerge.Merge(status, statusFile, isPromise, options.Progress);
                }
            }
            catch (KratixException ex)
            {
                error = ex.Message;
                failure = (ex.ErrorId, ex.Category);
            }
        }

        var now = options.Clock.GetUtcNow();
        string phase;
        if (error is not null)
        {
            phase = PipelinePhases.Failed;
            MarkFailed(status, request, pipeline, now);
            options.Progress?.Invoke(error);
        }
        else if (control?.SuspendsOrRetries == true)
        {
            phase = PipelinePhases.Suspended;
            WorkflowStatus.MarkSuspended(status, pipeline.Name, control, new KubeObject(request.Object).Generation, now);
            new ConditionSet(status).Set(Reasons.Reconciled, Condition.Unknown, Reasons.WorkflowSuspended, "Suspended", now);
            if (request.Action == WorkflowTypes.Delete)
            {
                new ConditionSet(status).Set(Reasons.DeleteWorkflowCompleted, Condition.False, Reasons.DeleteWorkflowSuspended, Reasons.DeleteWorkflowSuspendedMessage, now);
            }
        }
        else
        {
            phase = PipelinePhases.Succeeded;
            WorkflowStatus.Mark(status, pipeline.Name, PipelinePhases.Succeeded, now);
            if (isConfigure)
            {
                status["workflowsSucceeded"] = (status.GetLong("workflowsSucceeded") ?? 0) + 1;
                if (isLast)
                {
                    WorkflowStatus.MarkCompleted(status, request.WorkflowType, now);
                }
            }
        }

        if (!isConfigure)
        {
            groups = [];
        }

        return new PipelineResult(
            pipeline.Name,
            index,
            phase,
            containers,
            files,
            selectors,
            groups,
            statusFile,
            status,
            control,
            error,
            Stopwatch.GetElapsedTime(started),
            options.KeepWorkspaces ? workspace.Root : null)
        {
            FailureId = failure?.Id,
            FailureCategory = failure?.Category,
        };
    }

    /// <summary>
    /// The Pod fields a container may read with <c>fieldRef</c>, as upstream's Job would give them: the pipeline's
    /// namespace, a Job-like Pod name, the pipeline's service account, and this machine as the node.
    /// </summary>
    private static Dictionary<string, string> PodFields(WorkflowRequest request, Pipeline pipeline, string runId)
    {
        var obj = new KubeObject(request.Object);
        var isPromise = request.WorkflowType == WorkflowTypes.Promise;
        var ns = request.Promise.PipelineNamespace ?? (isPromise ? KratixApi.SystemNamespace : obj.Namespace ?? "default");
        var job = isPromise ? $"kratix-{request.Promise.Name}-{pipeline.Name}" : $"kratix-{request.Promise.Name}-{obj.Name}-{pipeline.Name}";
        var serviceAccount = pipeline.Spec["rbac"]?["serviceAccount"]?.GetValue<string>()
            ?? $"{request.Promise.Name}-{request.WorkflowType}-{request.Action}-{pipeline.Name}";
        return new Dictionary<string, string>(StringComparer.Ordinal)
        {
            ["metadata.namespace"] = ns,
            ["metadata.name"] = $"{(job.Length > 56 ? job[..56] : job)}-{runId[..5]}",
            ["spec.serviceAccountName"] = serviceAccount,
            ["spec.nodeName"] = Environment.MachineName.ToLowerInvariant(),
            ["status.hostIP"] = "127.0.0.1",
            ["status.podIP"] = "127.0.0.1",
        };
    }

    private static void MarkFailed(JsonObject status, WorkflowRequest request, Pipeline pipeline, DateTimeOffset now)
    {
        var conditions = new ConditionSet(status);
        WorkflowStatus.Mark(status, pipeline.Name, PipelinePhases.Failed, now);
        if (request.Action == WorkflowTypes.Delete)
        {
            conditions.Set(Reasons.DeleteWorkflowCompleted, Condition.False, Reasons.DeleteWorkflowFailed, Reasons.DeleteWorkflowFailedMessage, now);
            return;
        }

        status["workflowsFailed"] = 1;
        conditions.Set(Reasons.ConfigureWorkflowCompleted, Condition.False, Reasons.ConfigureWorkflowFailed, Reasons.ConfigurePipelineFailed(pipeline.Name), now);
        conditions.Set(Reasons.Reconciled, Condition.False, Reasons.ConfigureWorkflowFailed, "Failing", now);
    }

    private static IReadOnlyList<DirectorySelector> ReadSelectors(PipelineWorkspace workspace, string pipeline)
    {
        foreach (var name in new[] { DestinationSelectorsFile.FileName, DestinationSelectorsFile.SdkFileName })
        {
            if (workspace.ReadMetadata(name) is { } text)
            {
                return DestinationSelectorsFile.Parse(text, $"pipeline \"{pipeline}\" metadata/{name}");
            }
        }

        return [];
    }

    private static JsonObject ReadStatusFile(string text, string pipeline)
    {
        var source = $"pipeline \"{pipeline}\" metadata/status.yaml";
        var documents = ManifestReader.Default.ReadString(text, source);
        return documents.Count == 0 || documents[0].Content is null
            ? []
            : documents[0].Content as JsonObject
                ?? throw new KratixException("PipelineStatusInvalid", KratixErrorCategory.InvalidData, $"{source}: status.yaml must be a mapping of status fields.", source);
    }
}
