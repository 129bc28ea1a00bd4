using System.Text.Json.Nodes;
using Kratix.Manifests;
using Kratix.Objects;
using Kratix.Pipelines;

namespace Kratix.Platforms.Embedded;

/// <summary>
/// Decides when a workflow runs and keeps what it produced, as upstream's workflow reconciler does with Jobs: a
/// configure workflow runs when the spec hash changes (md5 of the spec; for requests, of the Promise's and the
/// request's), on <c>kratix.io/manual-reconciliation</c>, on a converge, or when forced; a suspended workflow resumes at
/// its suspended pipeline when its label is removed or its retry time has come. Each succeeded pipeline's output
/// becomes that pipeline's Work; after a complete run the Works of pipelines that no longer exist are deleted.
/// </summary>
internal sealed partial class WorkflowController(PlatformContext context, WorkController works)
{
    private readonly WorkflowRuns _runs = new(context.Options.Home, () => context.Store.Batch);

    /// <summary>
    /// Runs the configure workflow of <paramref name="obj"/> (the Promise itself, or a request) if it is due, and
    /// leaves the object's status and labels as the run left them. Null when nothing ran.
    /// </summary>
    public WorkflowResult? Configure(Promise promise, KubeObject obj, bool force, CancellationToken cancellationToken)
    {
        if (Plan(promise, obj, force) is not { } run)
        {
            return null;
        }

        var stage = context.Progress.Stage($"Running the {run.Type}.configure workflow", 1);
        var result = run.Executor.RunAsync(run.Request, cancellationToken).GetAwaiter().GetResult();
        stage.Advance($"{Describe(obj)}: {Outcome(result)}");
        return Finish(run, result, cancellationToken);
    }

    /// <summary>
    /// Decides whether the configure workflow of <paramref name="obj"/> is due and, when it is, what to run (the labels
    /// that asked for it are removed from the object). Null when nothing is to run: not due, or no runtime (the object's
    /// status then says so).
    /// </summary>
    public ConfigureRun? Plan(Promise promise, KubeObject obj, bool force)
    {
        var isPromise = obj is Promise;
        var type = isPromise ? WorkflowTypes.Promise : WorkflowTypes.Resource;
        var pipelines = promise.Workflows(type, WorkflowTypes.Configure);
        var hash = isPromise ? SpecHash(promise.Node) : GeneratedNames.Md5($"{SpecHash(promise.Node)}-{SpecHash(obj.Node)}");
        var restart = force
            || obj.GetLabel(KratixApi.ManualReconciliationLabel) == "true"
            || obj.GetLabel(KratixApi.RunFromStartLabel) == "true"
            || _runs.LastHash(type, WorkflowTypes.Configure, promise.Name, obj.Namespace, obj.Name) != hash
            || PeriodicRunDue(promise, obj);
        var startAt = 0;
        if (!restart)
        {
            var suspended = WorkflowStatus.SuspendedIndex(obj.Status);
            var due = suspended >= 0 && (obj.GetLabel(KratixApi.WorkflowSuspendedLabel) != "true" || WorkflowStatus.NextRetryAt(obj.Status) <= context.Now);
            if (!due)
            {
                return null;
            }

            startAt = suspended;
        }

        if (context.Runtime() is not { } executor)
        {
            WorkflowsNotRun(obj, $"{type}.configure");
            return null;
        }

        obj.SetLabel(KratixApi.ManualReconciliationLabel, null);
        obj.SetLabel(KratixApi.RunFromStartLabel, null);
        obj.SetLabel(KratixApi.WorkflowSuspendedLabel, null);
        var request = new WorkflowRequest(promise, obj.Node, type, WorkflowTypes.Configure, pipelines) { StartAt = startAt, Resume = !restart, DryRun = context.Options.DryRun };
        return new ConfigureRun(promise, obj, type, hash, request, executor);
    }

    /// <summary>
    /// Runs planned workflows side by side, at most <see cref="EmbeddedPlatformOptions.ParallelWorkflows"/> at once (each
    /// run's pipelines still run one after another). A run that throws gives its exception in place of a result.
    /// </summary>
    public IReadOnlyList<(WorkflowResult? Result, Exception? Error)> RunAll(IReadOnlyList<ConfigureRun> runs, CancellationToken cancellationToken)
    {
        var outcomes = new (WorkflowResult?, Exception?)[runs.Count];
        using var slots = new SemaphoreSlim(Math.Max(1, context.Options.ParallelWorkflows));
        var stage = runs.Count == 0 ? ProgressStage.None : context.Progress.Stage("Running workflows", runs.Count);
        var tasks = runs.Select(async (run, i) =>
        {
            await slots.WaitAsync(cancellationToken).ConfigureAwait(false);
            try
            {
                var result = await run.Executor.RunAsync(run.Request, cancellationToken).ConfigureAwait(false);
                outcomes[i] = (result, null);
                stage.Advance($"{Describe(run.Object)}: {Outcome(result)}");
            }
            catch (Exception ex) when (ex is not OperationCanceledException)
            {
                outcomes[i] = (null, ex);
                stage.Advance($"{Describe(run.Object)}: {ex.Message}");
            }
            finally
            {
                slots.Release();
            }
        }).ToList();
        Task.WhenAll(tasks).GetAwaiter().GetResult();
        return outcomes;
    }

    /// <summary>
    /// Keeps what a planned run produced: its record and logs, one Work per succeeded pipeline (and no Works for
    /// pipelines that no longer exist, after a complete run), and the object's status and labels.
    /// </summary>
    public WorkflowResult Finish(ConfigureRun run, WorkflowResult result, CancellationToken cancellationToken)
    {
        var (promise, obj, type) = (run.Promise, run.Object, run.Type);
        var pipelines = run.Request.Pipelines;
        context.Stats.PipelinesRun += result.Pipelines.Count(p => p.Phase != PipelinePhases.Pending);
        LogPipelines(obj, result);
        // Pending until the caller saved the object after this run (Saved): a crash before that reruns the workflow.
        var logs = _runs.Record(type, WorkflowTypes.Configure, promise.Name, obj.Namespace, obj.Name, run.Hash, result, context.Now, pending: true);
        CrashPoints.Hit(CrashPoints.RunRecorded);
        foreach (var pipeline in result.Pipelines.Where(p => p.Phase == PipelinePhases.Succeeded))
        {
            works.Apply(BuildWork(promise, obj, type, pipeline), cancellationToken);
        }

        if (result.Succeeded && result.Pipelines.Count > 0 && result.Pipelines[^1].Index == pipelines.Count - 1)
        {
            var names = pipelines.Select(p => p.Name).ToHashSet(StringComparer.Ordinal);
            foreach (var stale in WorksOf(promise, obj).Where(w => !names.Contains(w.PipelineName)))
            {
                works.Delete(stale, cancellationToken);
            }
        }

        ReplaceStatus(obj, result.Status);
        if (result.Suspended is { } suspendedPipeline)
        {
            obj.SetLabel(KratixApi.WorkflowSuspendedLabel, "true");
            context.Log.Warning($"{Describe(obj)}: pipeline \"{suspendedPipeline.Name}\" suspended the workflow" + (suspendedPipeline.Control?.Message is { } m ? $": {m}" : "."));
        }

        if (result.Failed is { } failed)
        {
            var container = failed.Containers.LastOrDefault();
            var tail = container is null || container.Succeeded ? string.Empty : $"\n--- last lines of {container.Name}'s log ---\n{container.LogTail()}";
            context.Log.Warning($"{Describe(obj)}: {Reasons.ConfigurePipelineFailed(failed.Name)}. {failed.Error} Logs: {logs}{tail}");
        }

        return result;
    }

    /// <summary>
    /// Runs the first delete pipeline (upstream runs only the first, and ignores its output). A delete workflow that
    /// suspended before resumes at that pipeline, keeping its attempts. The object's status and labels say how it ended:
    /// a suspension labels it <c>kratix.io/workflow-suspended</c>, as upstream's status-writer does.
    /// </summary>
    public DeleteOutcome Delete(Promise promise, KubeObject obj, CancellationToken cancellationToken)
    {
        var isPromise = obj is Promise;
        var type = isPromise ? WorkflowTypes.Promise : WorkflowTypes.Resource;
        var pipelines = promise.Workflows(type, WorkflowTypes.Delete);
        if (pipelines.Count == 0)
        {
            return DeleteOutcome.Completed;
        }

        if (context.Runtime() is not { } executor)
        {
            context.Log.Warning($"{Describe(obj)}: the {type}.delete workflow was not run: {PlatformContext.NoRuntimeMessage}");
            return DeleteOutcome.Completed;
        }

        var resume = DeleteWorkflowPending(obj) && WorkflowStatus.SuspendedIndex(obj.Status) >= 0;
        obj.SetLabel(KratixApi.WorkflowSuspendedLabel, null);
        var request = new WorkflowRequest(promise, obj.Node, type, WorkflowTypes.Delete, pipelines) { Resume = resume, DryRun = context.Options.DryRun };
        var result = executor.RunAsync(request, cancellationToken).GetAwaiter().GetResult();
        context.Stats.PipelinesRun += result.Pipelines.Count(p => p.Phase != PipelinePhases.Pending);
        LogPipelines(obj, result);
        var logs = _runs.Record(type, WorkflowTypes.Delete, promise.Name, obj.Namespace, obj.Name, string.Empty, result, context.Now);
        ReplaceStatus(obj, result.Status);
        if (result.Succeeded)
        {
            return DeleteOutcome.Completed;
        }

        var pipeline = result.Pipelines[0];
        if (pipeline.Phase == PipelinePhases.Suspended)
        {
            obj.SetLabel(KratixApi.WorkflowSuspendedLabel, "true");
            var again = isPromise ? "Uninstall-KratixPromise" : "Remove-KratixRequest";
            var retry = WorkflowStatus.NextRetryAt(obj.Status) is { } at
                ? $"Sync-KratixPlatform resumes it from {Timestamps.Format(at)}, {again} at once"
                : $"{again} resumes it";
            context.Log.Warning($"{Describe(obj)}: {Reasons.DeleteWorkflowSuspendedMessage}" + (pipeline.Control?.Message is { } m ? $" ({m})" : string.Empty)
                + $"; it stays, marked for deletion, until the workflow completes: {retry}.");
            return DeleteOutcome.Suspended;
        }

        var container = pipeline.Containers.LastOrDefault(c => !c.Succeeded);
        context.Log.Warning($"{Describe(obj)}: {Reasons.DeleteWorkflowFailedMessage}: {pipeline.Error} Logs: {logs}" + (container is null ? string.Empty : $"\n--- last lines of {container.Name}'s log ---\n{container.LogTail()}"));
        return DeleteOutcome.Failed;
    }

    /// <summary>
    /// Says that <paramref name="obj"/> was saved with what its last configure run left (status, labels; the run's Works
    /// were saved before), so the run counts as done: until then a crash makes the next reconcile run it again.
    /// </summary>
    public void Saved(Promise promise, KubeObject obj)
    {
        var type = obj is Promise ? WorkflowTypes.Promise : WorkflowTypes.Resource;
        _runs.Commit(type, WorkflowTypes.Configure, promise.Name, obj.Namespace, obj.Name);
    }

    /// <summary>
    /// True when the object's configure workflow completed but a pipeline of it has no Work (removed by hand, or lost
    /// with an interrupted deletion): the workflow must run again to make it.
    /// </summary>
    public bool WorksMissing(Promise promise, KubeObject obj)
    {
        var type = obj is Promise ? WorkflowTypes.Promise : WorkflowTypes.Resource;
        var pipelines = promise.Workflows(type, WorkflowTypes.Configure);
        if (pipelines.Count == 0 || obj.Conditions.Get(Reasons.ConfigureWorkflowCompleted) is not { IsTrue: true })
        {
            return false;
        }

        var made = WorksOf(promise, obj).Select(w => w.PipelineName).ToHashSet(StringComparer.Ordinal);
        return pipelines.Any(p => !made.Contains(p.Name));
    }

    /// <summary>Forgets the recorded runs of an object that is gone.</summary>
    public void Forget(Promise promise, KubeObject obj)
    {
        var type = obj is Promise ? WorkflowTypes.Promise : WorkflowTypes.Resource;
        _runs.Forget(type, WorkflowTypes.Configure, promise.Name, obj.Namespace, obj.Name);
        _runs.Forget(type, WorkflowTypes.Delete, promise.Name, obj.Namespace, obj.Name);
    }

    /// <summary>The Works the object's configure workflow made, found by upstream's labels.</summary>
    public IReadOnlyList<Work> WorksOf(Promise promise, KubeObject obj)
    {
        var labels = new Dictionary<string, string>
        {
            [KratixApi.PromiseNameLabel] = promise.Name,
            [KratixApi.WorkTypeLabel] = obj is Promise ? KratixApi.WorkTypePromise : KratixApi.WorkTypeResource,
        };
        if (obj is Promise)
        {
            return works.Works(KratixApi.SystemNamespace, labels);
        }

        labels[KratixApi.ResourceNameLabel] = obj.Name;
        if (PipelineNamespaceSet(promise))
        {
            labels[KratixApi.ResourceNamespaceLabel] = obj.Namespace ?? "default";
        }

        return works.Works(PipelineNamespace(promise, obj), labels);
    }

    /// <summary>
    /// Upstream's WorksSucceeded (from the Works' Ready messages: failing, then pending, then misplaced, else succeeded)
    /// and Reconciled (from ConfigureWorkflowCompleted and WorksSucceeded) conditions.
    /// </summary>
    public void UpdateWorksAndReconciled(KubeObject obj, IReadOnlyList<Work> objectWorks)
    {
        var isPromise = obj is Promise;
        var conditions = obj.Conditions;
        var byState = objectWorks.GroupBy(w => w.Conditions.Get(Reasons.Ready)?.Message is { Length: > 0 } m ? m : "Pending")
            .ToDictionary(g => g.Key, g => g.Select(w => w.Name).ToList());
        string List(string state) => isPromise
            ? "[" + string.Join(" ", byState[state]) + "]"
            : "[" + string.Join(",", byState[state]) + "]";
        var what = isPromise ? "promise" : "resource";
        if (byState.ContainsKey("Failing"))
        {
            conditions.Set(Reasons.WorksSucceeded, Condition.False, Reasons.WorksFailing, isPromise ? $"Some works associated with this promise are not ready: {List("Failing")}" : $"Some works associated with this resource failed: {List("Failing")}", context.Now);
        }
        else if (byState.ContainsKey("Pending"))
        {
            conditions.Set(Reasons.WorksSucceeded, Condition.Unknown, Reasons.WorksPending, $"Some works associated with this {what} are not ready: {List("Pending")}", context.Now);
        }
        else if (byState.ContainsKey(Reasons.Misplaced))
        {
            conditions.Set(Reasons.WorksSucceeded, Condition.False, Reasons.WorksMisplaced, $"Some works associated with this {what} are misplaced: {List(Reasons.Misplaced)}", context.Now);
        }
        else
        {
            conditions.Set(Reasons.WorksSucceeded, Condition.True, Reasons.WorksSucceeded, isPromise ? Reasons.PromiseWorksSucceededMessage : Reasons.RequestWorksSucceededMessage, context.Now);
        }

        var completed = conditions.Get(Reasons.ConfigureWorkflowCompleted);
        var works = conditions.Get(Reasons.WorksSucceeded);
        if (completed is { Status: Condition.False, Reason: Reasons.PipelinesInProgress or WorkflowRuntimeUnavailable })
        {
            conditions.Set(Reasons.Reconciled, Condition.Unknown, Reasons.WorkflowPending, "Pending", context.Now);
        }
        else if (completed is { Status: Condition.False })
        {
            conditions.Set(Reasons.Reconciled, Condition.False, Reasons.ConfigureWorkflowFailed, "Failing", context.Now);
        }
        else if (works is { Status: Condition.Unknown })
        {
            conditions.Set(Reasons.Reconciled, Condition.Unknown, Reasons.WorksPending, "Pending", context.Now);
        }
        else if (works is { Status: Condition.False })
        {
            conditions.Set(Reasons.Reconciled, Condition.False, Reasons.WorksFailing, "Failing", context.Now);
        }
        else if (completed is { Status: Condition.True } && works is { Status: Condition.True })
        {
            conditions.Set(Reasons.Reconciled, Condition.True, Reasons.ReconciledReason, "Reconciled", context.Now);
        }
    }

    /// <summary>The reason ConfigureWorkflowCompleted gives when no runtime can run here (not an upstream reason).</summary>
    public const string WorkflowRuntimeUnavailable = "WorkflowRuntimeUnavailable";

    /// <summary>Sets ConfigureWorkflowCompleted to say that no runtime is available, and warns.</summary>
    public void WorkflowsNotRun(KubeObject obj, string workflow)
    {
        obj.Conditions.Set(Reasons.ConfigureWorkflowCompleted, Condition.False, WorkflowRuntimeUnavailable, $"Pipelines not run: {PlatformContext.NoRuntimeMessage}", context.Now);
        context.Log.Warning($"{Describe(obj)}: the {workflow} workflow was not run: {PlatformContext.NoRuntimeMessage}");
    }

    private static Work BuildWork(Promise promise, KubeObject obj, string type, PipelineResult pipeline)
    {
        var isResource = type == WorkflowTypes.Resource;
        var pipelineNamespaceSet = PipelineNamespaceSet(promise);
        var identifier = !isResource ? $"{promise.Name}-{pipeline.Name}"
            : pipelineNamespaceSet ? $"{promise.Name}-{obj.Name}-{obj.Namespace}-{pipeline.Name}"
            : $"{promise.Name}-{obj.Name}-{pipeline.Name}";
        var labels = new JsonObject
        {
            [KratixApi.PromiseNameLabel] = promise.Name,
            [KratixApi.WorkTypeLabel] = type,
            [KratixApi.PipelineNameLabel] = pipeline.Name,
        };
        var spec = new JsonObject
        {
            ["workloadGroups"] = new JsonArray(pipeline.WorkloadGroups.Select(g => (JsonNode)g.ToJson()).ToArray()),
            ["promiseName"] = promise.Name,
        };
        if (isResource)
        {
            labels[KratixApi.ResourceNameLabel] = obj.Name;
            if (pipelineNamespaceSet)
            {
                labels[KratixApi.ResourceNamespaceLabel] = obj.Namespace;
            }

            spec["resourceName"] = obj.Name;
        }

        return new Work(new JsonObject
        {
            ["apiVersion"] = KratixApi.ApiVersion,
            ["kind"] = KratixApi.WorkKind,
            ["metadata"] = new JsonObject
            {
                ["name"] = GeneratedNames.For(identifier),
                ["namespace"] = isResource ? PipelineNamespace(promise, obj) : KratixApi.SystemNamespace,
                ["labels"] = labels,
            },
            ["spec"] = spec,
        });
    }

    // In place, so that ConditionSets the controllers already hold over this status stay live.
    private static void ReplaceStatus(KubeObject obj, JsonObject status)
    {
        var target = obj.Status;
        var copy = status.DeepClone().AsObject();
        target.Clear();
        foreach (var key in copy.Select(kv => kv.Key).ToList())
        {
            var value = copy[key];
            copy.Remove(key);
            target[key] = value;
        }
    }

    private static bool PipelineNamespaceSet(Promise promise) => promise.PipelineNamespace is not null;

    private static string PipelineNamespace(Promise promise, KubeObject obj) => promise.PipelineNamespace ?? obj.Namespace ?? "default";

    /// <summary>Says in the verbose log which pipelines of a workflow ran, how each ended and how long it took.</summary>
    private void LogPipelines(KubeObject obj, WorkflowResult result)
    {
        foreach (var pipeline in result.Pipelines.Where(p => p.Phase != PipelinePhases.Pending))
        {
            context.Log.Verbose($"{Describe(obj)}: pipeline {result.WorkflowType}.{result.Action}/{pipeline.Name} {pipeline.Phase} in {Seconds(pipeline.Duration)} on {result.Runtime}.");
        }
    }

    /// <summary>How a workflow ended, for progress and verbose messages: e.g. <c>Succeeded in 1.2 s</c>.</summary>
    private static string Outcome(WorkflowResult result) =>
        $"{(result.Failed is not null ? PipelinePhases.Failed : result.Suspended is not null ? PipelinePhases.Suspended : PipelinePhases.Succeeded)} in {Seconds(TimeSpan.FromTicks(result.Pipelines.Sum(p => p.Duration.Ticks)))}";

    private static string Seconds(TimeSpan duration) => duration.TotalSeconds < 10 ? $"{duration.TotalSeconds:0.00} s" : $"{duration.TotalSeconds:0.0} s";

    private static string Describe(KubeObject obj) => obj is Promise ? $"Promise \"{obj.Name}\"" : $"{obj.Kind} \"{obj.Namespace}/{obj.Name}\"";

    /// <summary>md5 of the spec as canonical JSON (keys sorted, as Go marshals maps).</summary>
    private static string SpecHash(JsonObject node) => GeneratedNames.Md5(ManifestWriter.ToJson(Sorted(node["spec"]), indented: false));

    private static JsonNode? Sorted(JsonNode? node) => node switch
    {
        JsonObject map => new JsonObject(map.OrderBy(kv => kv.Key, StringComparer.Ordinal).Select(kv => KeyValuePair.Create(kv.Key, Sorted(kv.Value)))),
        JsonArray list => new JsonArray(list.Select(Sorted).ToArray()),
        _ => node?.DeepClone(),
    };
}
