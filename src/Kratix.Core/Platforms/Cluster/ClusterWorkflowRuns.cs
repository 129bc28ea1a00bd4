using System.Net;
using System.Text.Json.Nodes;
using Kratix.Kubernetes;
using Kratix.Objects;
using Kratix.Pipelines;

namespace Kratix.Platforms.Cluster;

/// <summary>
/// Workflow runs on a cluster, read from what upstream leaves (api/v1alpha1/pipeline_factory.go): each pipeline of a run
/// is a Job labelled <c>kratix.io/promise-name</c>, <c>kratix.io/workflow-type</c>, <c>kratix.io/workflow-action</c>,
/// <c>kratix.io/pipeline-name</c> (and <c>kratix.io/resource-name</c> for a request's; <c>kratix.io/resource-namespace</c>
/// too when the Promise sets a pipelineNamespace), in <c>kratix-platform-system</c> for a Promise's workflows and the
/// request's namespace for a request's (else the Promise's pipelineNamespace). Its Pod's init containers are
/// <c>reader</c>, the pipeline's containers and <c>work-writer</c>; its container is <c>status-writer</c>. The last run is
/// the newest Job of the first pipeline and, for each pipeline after it, its newest Job made no earlier. Logs are the
/// Pods' (<c>pods/log</c>), read when asked: upstream removes old Pods, so a run's logs can be gone while its Jobs remain.
/// </summary>
public sealed partial class ClusterPlatform
{
    private const string ManagedBySelector = "app.kubernetes.io/managed-by=Kratix";
    private const string WorkflowTypeLabel = "kratix.io/workflow-type";
    private const string WorkflowActionLabel = "kratix.io/workflow-action";
    private const string HashLabel = "kratix.io/hash";

    public WorkflowRunRecord? GetWorkflowRun(string workflowType, string action, string promise, string? ns, string name) => Run(async token =>
    {
        await RequireKratixAsync(token).ConfigureAwait(false);
        var owner = await _api.GetAsync(PromiseType, null, promise, token).ConfigureAwait(false) is { } p ? new Promise(p) : null;
        var jobNamespace = JobNamespace(owner, workflowType, ns);
        var selector = $"{KratixApi.PromiseNameLabel}={promise},{WorkflowTypeLabel}={workflowType},{WorkflowActionLabel}={action}"
            + (workflowType == WorkflowTypes.Resource ? $",{KratixApi.ResourceNameLabel}={name}" : string.Empty)
            + (workflowType == WorkflowTypes.Resource && owner?.PipelineNamespace is not null ? $",{KratixApi.ResourceNamespaceLabel}={ns ?? DefaultNamespace}" : string.Empty);
        var jobs = await _api.ListItemsAsync(ApiResource.Jobs, jobNamespace, selector, token).ConfigureAwait(false);
        if (jobs.Count == 0)
        {
            return null;
        }

        var pods = await _api.ListItemsAsync(ApiResource.Pods, jobNamespace, selector, token).ConfigureAwait(false);
        return await RunOfAsync(workflowType, action, promise, ns, name, owner, jobs, pods.ToLookup(JobOfPod), token).ConfigureAwait(false);
    }, CancellationToken.None);

    /// <summary>
    /// For a trace of many objects: every workflow Job and Pod read in two calls (all namespaces), then looked up per
    /// object; where listing Jobs in all namespaces is not allowed, one object at a time.
    /// </summary>
    public Func<string, string, string, string?, string, WorkflowRunRecord?> WorkflowRunLookup()
    {
        IReadOnlyList<JsonObject> jobs;
        IReadOnlyList<JsonObject> pods;
        IReadOnlyList<Promise> promises;
        try
        {
            (jobs, pods, promises) = Run(async token =>
            {
                await RequireKratixAsync(token).ConfigureAwait(false);
                var j = _api.ListItemsAsync(ApiResource.Jobs, null, ManagedBySelector, token);
                var p = _api.ListItemsAsync(ApiResource.Pods, null, ManagedBySelector, token);
                var r = _api.ListItemsAsync(PromiseType, null, cancellationToken: token);
                return (await j.ConfigureAwait(false), await p.ConfigureAwait(false), (IReadOnlyList<Promise>)(await r.ConfigureAwait(false)).Select(x => new Promise(x)).ToList());
            }, CancellationToken.None);
        }
        catch (KubeApiException ex) when (ex.StatusCode == HttpStatusCode.Forbidden)
        {
            Log.Verbose($"Listing Jobs in all namespaces is not allowed ({ex.ServerMessage}); reading each workflow's Jobs in its own namespace.");
            return GetWorkflowRun;
        }

        var byPromise = promises.ToDictionary(p => p.Name, StringComparer.Ordinal);
        var podsByJob = pods.ToLookup(JobOfPod);
        var index = jobs.ToLookup(j =>
        {
            var type = Label(j, WorkflowTypeLabel) ?? string.Empty;
            var resource = type == WorkflowTypes.Resource;
            return (type, Label(j, WorkflowActionLabel) ?? string.Empty, Label(j, KratixApi.PromiseNameLabel) ?? string.Empty,
                resource ? Label(j, KratixApi.ResourceNamespaceLabel) ?? j.GetNamespace() : null,
                resource ? Label(j, KratixApi.ResourceNameLabel) ?? string.Empty : Label(j, KratixApi.PromiseNameLabel) ?? string.Empty);
        });
        return (type, action, promise, ns, name) =>
        {
            var found = index[(type, action, promise, type == WorkflowTypes.Resource ? ns ?? DefaultNamespace : null, name)].ToList();
            var owner = byPromise.GetValueOrDefault(promise);
            if (found.Count == 0)
            {
                return null;
            }

            return Run(token => RunOfAsync(type, action, promise, ns, name, owner, found, podsByJob, token), CancellationToken.None);
        };
    }

    /// <summary>Each container's log of a run, read from its Pod (the last <paramref name="tail"/> lines when given).</summary>
    public IEnumerable<PipelineLog> GetPipelineLogs(WorkflowRunRecord run, int? tail = null) => Run(async token =>
    {
        var logs = new List<PipelineLog>();
        foreach (var pipeline in run.Pipelines)
        {
            foreach (var container in pipeline.Containers)
            {
                string? text = null;
                if (container.Pod is { } pod)
                {
                    text = await _api.PodLogAsync(pod.Namespace, pod.Name, container.Name, tail, token).ConfigureAwait(false);
                    if (text is null)
                    {
                        Log.Warning($"The log of container \"{container.Name}\" of pipeline \"{pipeline.Name}\" is gone: its Pod {pod.Namespace}/{pod.Name} was removed (upstream keeps the Pods of recent runs only).");
                    }
                }

                logs.Add(new PipelineLog(run, pipeline, container, text ?? string.Empty, tail));
            }
        }

        return (IEnumerable<PipelineLog>)logs;
    }, CancellationToken.None);

    private string JobNamespace(Promise? owner, string workflowType, string? ns) =>
        owner?.PipelineNamespace ?? (workflowType == WorkflowTypes.Promise ? KratixApi.SystemNamespace : ns ?? DefaultNamespace);

    /// <summary>The last run among a workflow's Jobs, with each pipeline's containers from its newest Pod.</summary>
    private async Task<WorkflowRunRecord> RunOfAsync(string workflowType, string action, string promise, string? ns, string name, Promise? owner, IReadOnlyList<JsonObject> jobs, ILookup<string, JsonObject> podsByJob, CancellationToken token)
    {
        var order = owner?.Workflows(workflowType, action).Select(p => p.Name).ToList() ?? [];
        int Index(JsonObject job) => order.IndexOf(Label(job, KratixApi.PipelineNameLabel) ?? string.Empty) is var i and >= 0 ? i : int.MaxValue;
        var newestFirst = jobs.OrderByDescending(Created).ThenByDescending(Index).ToList();

        // The run began with the newest Job of the first pipeline that has one; each later pipeline's newest Job no older.
        var first = newestFirst.OrderBy(Index).ThenByDescending(Created).First();
        var begun = Created(first);
        var run = newestFirst.Where(j => Created(j) >= begun)
            .GroupBy(j => Label(j, KratixApi.PipelineNameLabel) ?? j.GetName(), StringComparer.Ordinal)
            .Select(g => g.First())
            .OrderBy(Index).ThenBy(Created)
            .ToList();

        var pipelines = new List<PipelineRunRecord>();
        foreach (var job in run)
        {
            pipelines.Add(await PipelineOfAsync(job, podsByJob[job.GetNamespace() + "/" + job.GetName()].OrderByDescending(Created).FirstOrDefault(), token).ConfigureAwait(false));
        }

        var jobNamespace = first.GetNamespace();
        var ends = run.Select(Finished).Where(t => t is not null).Select(t => t!.Value).ToList();
        return new WorkflowRunRecord(
            workflowType,
            action,
            promise,
            workflowType == WorkflowTypes.Resource ? ns ?? DefaultNamespace : null,
            name,
            Label(first, HashLabel) ?? string.Empty,
            "Kubernetes",
            ends.Count == run.Count && ends.Count > 0 ? ends.Max() : null,
            pipelines,
            string.Join(", ", run.Select(j => $"Job {jobNamespace}/{j.GetName()}")),
            $"kubectl logs -n {jobNamespace} job/{first.GetName()} --all-containers");
    }

    private async Task<PipelineRunRecord> PipelineOfAsync(JsonObject job, JsonObject? pod, CancellationToken token)
    {
        var status = job["status"] as JsonObject ?? [];
        var conditions = (status["conditions"] as JsonArray)?.OfType<JsonObject>().ToList() ?? [];
        var failed = conditions.FirstOrDefault(c => c.GetString("type") == "Failed" && c.GetString("status") == "True");
        var complete = conditions.Any(c => c.GetString("type") == "Complete" && c.GetString("status") == "True");
        var phase = complete ? PipelinePhases.Succeeded
            : failed is not null ? PipelinePhases.Failed
            : job["spec"]?["suspend"]?.GetValue<bool>() == true ? PipelinePhases.Suspended
            : status.GetLong("active") is > 0 ? PipelinePhases.Running
            : PipelinePhases.Pending;

        var containers = new List<ContainerRunRecord>();
        string? failedContainer = null;
        if (pod is not null)
        {
            var podRef = new PodReference(pod.GetNamespace(), pod.GetName());
            var statuses = ((pod["status"]?["initContainerStatuses"] as JsonArray)?.OfType<JsonObject>() ?? [])
                .Concat((pod["status"]?["containerStatuses"] as JsonArray)?.OfType<JsonObject>() ?? [])
                .ToDictionary(s => s.GetString("name") ?? string.Empty, StringComparer.Ordinal);
            var specs = ((pod["spec"]?["initContainers"] as JsonArray)?.OfType<JsonObject>() ?? []).Concat((pod["spec"]?["containers"] as JsonArray)?.OfType<JsonObject>() ?? []);
            foreach (var spec in specs)
            {
                var containerName = spec.GetString("name") ?? string.Empty;
                var state = statuses.GetValueOrDefault(containerName)?["state"] as JsonObject;
                if (state?["terminated"] is JsonObject terminated)
                {
                    var exit = (int)(terminated.GetLong("exitCode") ?? -1);
                    var timedOut = terminated.GetString("reason") == "DeadlineExceeded";
                    var duration = Timestamps.Parse(terminated.GetString("finishedAt")) - Timestamps.Parse(terminated.GetString("startedAt")) ?? TimeSpan.Zero;
                    var tail = exit != 0 || timedOut ? await _api.PodLogAsync(podRef.Namespace, podRef.Name, containerName, Tracing.PlatformTrace.LogLinesShown, token).ConfigureAwait(false) : null;
                    containers.Add(new ContainerRunRecord(containerName, spec.GetString("image") ?? string.Empty, exit, timedOut, duration < TimeSpan.Zero ? TimeSpan.Zero : duration, null, podRef, tail));
                    if (exit != 0)
                    {
                        failedContainer ??= $"container \"{containerName}\" exited with code {exit}";
                    }
                }
                else if (state?["waiting"] is JsonObject waiting && waiting.GetString("reason") is { } reason && reason != "PodInitializing")
                {
                    // Could not start (ErrImagePull, CreateContainerConfigError...): as the embedded platform's -1.
                    var message = waiting.GetString("message") ?? reason;
                    containers.Add(new ContainerRunRecord(containerName, spec.GetString("image") ?? string.Empty, -1, false, TimeSpan.Zero, null, podRef, $"{reason}: {message}"));
                    failedContainer ??= $"container \"{containerName}\" could not start: {reason}";
                }

                // A container still running, or never started because one before it failed, has not run: left out.
            }
        }

        var error = phase != PipelinePhases.Failed ? null
            : string.Join("; ", new[] { failedContainer, failed?.GetString("message") is { } m ? $"Job {job.GetName()}: {m}" : null }.Where(t => t is not null));
        var started = Timestamps.Parse(status.GetString("startTime"));
        var ended = Finished(job);
        return new PipelineRunRecord(Label(job, KratixApi.PipelineNameLabel) ?? job.GetName(), phase, error, containers, started is not null && ended is not null ? ended - started : null);
    }

    private static DateTimeOffset? Finished(JsonObject job) =>
        Timestamps.Parse(job["status"]?["completionTime"]?.GetValue<string>())
        ?? (job["status"]?["conditions"] as JsonArray)?.OfType<JsonObject>().Where(c => c.GetString("type") == "Failed" && c.GetString("status") == "True")
            .Select(c => Timestamps.Parse(c.GetString("lastTransitionTime"))).FirstOrDefault();

    private static DateTimeOffset Created(JsonObject obj) => Timestamps.Parse(obj["metadata"]?["creationTimestamp"]?.GetValue<string>()) ?? DateTimeOffset.MinValue;

    private static string JobOfPod(JsonObject pod) =>
        pod.GetNamespace() + "/" + (Label(pod, "batch.kubernetes.io/job-name") ?? Label(pod, "job-name") ?? string.Empty);

    private static string? Label(JsonObject obj, string key) => obj["metadata"]?["labels"]?[key]?.GetValue<string>();
}

file static class MetadataExtensions
{
    public static string GetName(this JsonObject obj) => obj["metadata"]?["name"]?.GetValue<string>() ?? string.Empty;

    public static string GetNamespace(this JsonObject obj) => obj["metadata"]?["namespace"]?.GetValue<string>() ?? string.Empty;
}
