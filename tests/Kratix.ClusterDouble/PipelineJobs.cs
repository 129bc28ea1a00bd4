using System.Collections.Concurrent;
using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json.Nodes;
using k8s;
using k8s.Models;

namespace Kratix.ClusterDouble;

/// <summary>
/// TEST ONLY: what a workflow run leaves on a cluster running upstream Kratix, made without running anything. Upstream
/// (api/v1alpha1/pipeline_factory.go) runs each pipeline of a workflow as a Job named
/// <c>kratix-&lt;promise&gt;[-&lt;request&gt;]-&lt;pipeline&gt;-&lt;5 chars&gt;</c>, in <c>kratix-platform-system</c> for a
/// Promise's workflows and in the request's namespace for a request's (unless the Promise sets
/// <c>spec.workflows.config.pipelineNamespace</c>, when the Job also carries <c>kratix.io/resource-namespace</c>). The Job
/// and its Pod carry <c>kratix.io/promise-name</c>, <c>kratix.io/workflow-type</c>, <c>kratix.io/workflow-action</c>,
/// <c>kratix.io/pipeline-name</c>, <c>app.kubernetes.io/managed-by: Kratix</c>, <c>kratix.io/hash</c> and, for a request,
/// <c>kratix.io/resource-name</c>. The Pod's init containers are <c>reader</c>, the pipeline's own containers and (configure
/// only) <c>work-writer</c>; its one container is <c>status-writer</c>. Pipelines run in order and stop at the first that
/// fails, as upstream's do.
/// </summary>
public sealed partial class KratixControllerDouble
{
    private readonly ConcurrentDictionary<string, bool> _runsMade = new(StringComparer.Ordinal);

    /// <summary>The Jobs and Pods made so far, as "namespace/job" (for tests).</summary>
    public IReadOnlyCollection<string> PipelineJobs => _jobs.ToArray();

    private readonly ConcurrentQueue<string> _jobs = new();

    private async Task RunPipelinesAsync(string dueKey, JsonObject promise, string workflowType, string action, JsonObject? request, string? kind, string? failure, CancellationToken token)
    {
        // One run per time the workflow became due: a manual reconciliation makes a new run, as upstream's new Jobs.
        var runKey = dueKey + "@" + (_firstSeen.TryGetValue(dueKey, out var since) ? since.UtcTicks : 0);
        if (!_runsMade.TryAdd(runKey, true))
        {
            return;
        }

        var promiseName = Str(promise, "metadata", "name")!;
        var pipelines = (promise["spec"]?["workflows"]?[workflowType]?[action] as JsonArray)?.OfType<JsonObject>().ToList() ?? [];
        var pipelineNamespace = Str(promise, "spec", "workflows", "config", "pipelineNamespace");
        var requestName = request is null ? null : Str(request, "metadata", "name");
        var requestNamespace = request is null ? null : Str(request, "metadata", "namespace") ?? "default";
        var ns = pipelineNamespace ?? (request is null ? ControllerNamespace : requestNamespace!);
        var hash = Convert.ToHexStringLower(MD5.HashData(Encoding.UTF8.GetBytes((request ?? promise)["spec"]?.ToJsonString() ?? "{}")));
        var started = since == default ? DateTimeOffset.UtcNow : since;
        var step = TimeSpan.FromMilliseconds(Math.Max(1, (DateTimeOffset.UtcNow - started).TotalMilliseconds / Math.Max(1, pipelines.Count)));
        for (var i = 0; i < pipelines.Count; i++)
        {
            var pipeline = Str(pipelines[i], "metadata", "name") ?? $"pipeline-{i}";
            var containers = (pipelines[i]["spec"]?["containers"] as JsonArray)?.OfType<JsonObject>().Select(c => (Name: Str(c, "name")!, Image: Str(c, "image") ?? string.Empty)).ToList() ?? [];
            var fails = failure is not null && i == 0;
            var labels = new JsonObject
            {
                ["kratix.io/promise-name"] = promiseName,
                ["kratix.io/workflow-type"] = workflowType,
                ["kratix.io/workflow-action"] = action,
                ["kratix.io/pipeline-name"] = pipeline,
                ["app.kubernetes.io/managed-by"] = "Kratix",
                ["kratix.io/hash"] = hash,
            };
            if (requestName is not null)
            {
                labels["kratix.io/resource-name"] = requestName;
                if (pipelineNamespace is not null)
                {
                    labels["kratix.io/resource-namespace"] = requestNamespace;
                }
            }

            var suffix = Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(3))[..5];
            var job = Trim($"kratix-{promiseName}{(requestName is null ? string.Empty : "-" + requestName)}{(requestName is not null && pipelineNamespace is not null ? "-" + requestNamespace : string.Empty)}-{pipeline}") + "-" + suffix;
            var pod = job + "-" + Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(3))[..5];
            var begin = started + (step * i);
            var end = begin + step;

            var init = new List<(string Name, string Image, int Exit)> { ("reader", "ghcr.io/syntasso/kratix-platform-pipeline-adapter:v0.140.0", 0) };
            init.AddRange(containers.Select((c, n) => (c.Name, c.Image, fails && n == containers.Count - 1 ? 1 : 0)));
            if (action == "configure" && !fails)
            {
                init.Add(("work-writer", "ghcr.io/syntasso/kratix-platform-pipeline-adapter:v0.140.0", 0));
            }

            var what = requestName is null ? $"Promise {promiseName}" : $"{kind} {requestNamespace}/{requestName}";
            var jobObject = new JsonObject
            {
                ["apiVersion"] = "batch/v1",
                ["kind"] = "Job",
                ["metadata"] = new JsonObject
                {
                    ["name"] = job,
                    ["namespace"] = ns,
                    ["labels"] = labels.DeepClone(),
                    ["annotations"] = new JsonObject
                    {
                        ["kratix.io/job-resource-name"] = requestName ?? promiseName,
                        ["kratix.io/job-resource-namespace"] = requestNamespace ?? string.Empty,
                        ["kratix.io/job-resource-kind"] = kind ?? "Promise",
                    },
                },
                ["spec"] = new JsonObject
                {
                    ["backoffLimit"] = 0,
                    ["template"] = new JsonObject
                    {
                        ["metadata"] = new JsonObject { ["labels"] = labels.DeepClone() },
                        ["spec"] = PodSpec(init),
                    },
                },
            };
            EnsureNamespace(ns);
            _server.Create(jobObject);
            await _client.BatchV1.PatchNamespacedJobStatusAsync(new V1Patch(new JsonObject
            {
                ["status"] = new JsonObject
                {
                    ["startTime"] = Time(begin),
                    ["completionTime"] = fails ? null : Time(end),
                    ["succeeded"] = fails ? 0 : 1,
                    ["failed"] = fails ? 1 : 0,
                    ["conditions"] = new JsonArray(new JsonObject
                    {
                        ["type"] = fails ? "Failed" : "Complete",
                        ["status"] = "True",
                        ["reason"] = fails ? "BackoffLimitExceeded" : null,
                        ["message"] = fails ? "Job has reached the specified backoff limit" : null,
                        ["lastTransitionTime"] = Time(end),
                    }),
                },
            }.ToJsonString(), V1Patch.PatchType.MergePatch), job, ns, cancellationToken: token);

            var podLabels = (JsonObject)labels.DeepClone();
            podLabels["batch.kubernetes.io/job-name"] = job;
            podLabels["job-name"] = job;
            _server.Create(new JsonObject
            {
                ["apiVersion"] = "v1",
                ["kind"] = "Pod",
                ["metadata"] = new JsonObject { ["name"] = pod, ["namespace"] = ns, ["labels"] = podLabels },
                ["spec"] = PodSpec(init),
            });
            var slice = step / (init.Count + 1);
            var statuses = new JsonArray();
            for (var n = 0; n < init.Count; n++)
            {
                statuses.Add(Terminated(init[n].Name, init[n].Image, init[n].Exit, begin + (slice * n), begin + (slice * (n + 1))));
                var log = Script.ContainerLogs.TryGetValue(init[n].Name, out var scripted) ? scripted
                    : init[n].Exit != 0 ? failure + "\n"
                    : $"{init[n].Name}: {action} {workflowType} pipeline {pipeline} for {what}\n";
                _server.PodLogs.Set(ns, pod, init[n].Name, log);
            }

            var writerStatus = fails
                ? new JsonObject { ["name"] = "status-writer", ["image"] = "ghcr.io/syntasso/kratix-platform-pipeline-adapter:v0.140.0", ["ready"] = false, ["restartCount"] = 0, ["state"] = new JsonObject { ["waiting"] = new JsonObject { ["reason"] = "PodInitializing" } } }
                : Terminated("status-writer", "ghcr.io/syntasso/kratix-platform-pipeline-adapter:v0.140.0", 0, end - slice, end);
            _server.PodLogs.Set(ns, pod, "status-writer", fails ? string.Empty : $"status-writer: updated the status of {what}\n");
            await _client.CoreV1.PatchNamespacedPodStatusAsync(new V1Patch(new JsonObject
            {
                ["status"] = new JsonObject
                {
                    ["phase"] = fails ? "Failed" : "Succeeded",
                    ["startTime"] = Time(begin),
                    ["initContainerStatuses"] = statuses,
                    ["containerStatuses"] = new JsonArray(writerStatus),
                },
            }.ToJsonString(), V1Patch.PatchType.MergePatch), pod, ns, cancellationToken: token);
            _jobs.Enqueue(ns + "/" + job);
            if (fails)
            {
                return; // upstream runs no pipeline after one that failed
            }
        }
    }

    private static JsonObject PodSpec(List<(string Name, string Image, int Exit)> init) => new()
    {
        ["restartPolicy"] = "Never",
        ["serviceAccountName"] = "kratix-pipeline",
        ["initContainers"] = new JsonArray(init.Select(c => (JsonNode)new JsonObject { ["name"] = c.Name, ["image"] = c.Image }).ToArray()),
        ["containers"] = new JsonArray(new JsonObject { ["name"] = "status-writer", ["image"] = "ghcr.io/syntasso/kratix-platform-pipeline-adapter:v0.140.0" }),
    };

    private static JsonObject Terminated(string name, string image, int exit, DateTimeOffset started, DateTimeOffset finished) => new()
    {
        ["name"] = name,
        ["image"] = image,
        ["ready"] = false,
        ["restartCount"] = 0,
        ["state"] = new JsonObject
        {
            ["terminated"] = new JsonObject
            {
                ["exitCode"] = exit,
                ["reason"] = exit == 0 ? "Completed" : "Error",
                ["startedAt"] = Time(started),
                ["finishedAt"] = Time(finished),
            },
        },
    };

    private void EnsureNamespace(string ns)
    {
        try
        {
            _server.Create(new JsonObject { ["apiVersion"] = "v1", ["kind"] = "Namespace", ["metadata"] = new JsonObject { ["name"] = ns } });
        }
        catch (Exception ex) when (ex.Message.Contains("exists", StringComparison.OrdinalIgnoreCase))
        {
        }
    }

    /// <summary>Upstream's name trimming (lib/objectutil): at most 57 characters, ending alphanumeric.</summary>
    private static string Trim(string name)
    {
        if (name.Length > 57)
        {
            name = name[..56];
        }

        return name.TrimEnd('-', '.');
    }

    private static string Time(DateTimeOffset at) => at.UtcDateTime.ToString("yyyy-MM-ddTHH:mm:ssZ", CultureInfo.InvariantCulture);
}
