using System.Collections.Concurrent;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using k8s;
using k8s.Autorest;
using k8s.Models;
using Kratix.ApiServerDouble;

namespace Kratix.ClusterDouble;

/// <summary>What the stand-in controller does, settable while it runs.</summary>
public sealed class ControllerScript
{
    /// <summary>How long a Promise's configure takes before it is Available.</summary>
    public TimeSpan PromiseDelay { get; set; } = TimeSpan.FromMilliseconds(200);

    /// <summary>How long a request's configure workflow takes.</summary>
    public TimeSpan RequestDelay { get; set; } = TimeSpan.FromMilliseconds(200);

    /// <summary>How long the finalizers of a deleted object take.</summary>
    public TimeSpan DeletionDelay { get; set; } = TimeSpan.FromMilliseconds(200);

    /// <summary>Requests whose configure workflow fails (by name), with the message its failed pipeline gives.</summary>
    public ConcurrentDictionary<string, string> FailingRequests { get; } = new(StringComparer.Ordinal);

    /// <summary>When true the controller does nothing (a stopped controller).</summary>
    public bool Stopped { get; set; }

    /// <summary>
    /// What a pipeline container "writes" (the kubelet's log of it), by container name; a container not named here logs
    /// one line saying what it ran for. The failing container of a failing request logs its failure message.
    /// </summary>
    public ConcurrentDictionary<string, string> ContainerLogs { get; } = new(StringComparer.Ordinal);
}

/// <summary>
/// TEST ONLY: a scripted stand-in for upstream Kratix's controllers (docs/shared behaviour.md §5), over the API server
/// double, through KubernetesClient. It polls (every 50 ms) and does what upstream's reconcilers do to objects, not the
/// work behind them: Promises get their finalizers, the CRD of their API (status subresource, open status schema, the
/// promise-name label), <c>observedGeneration</c>, <c>status.status: Available</c> and the conditions Available,
/// ConfigureWorkflowCompleted, WorksSucceeded and Reconciled; requests get their finalizers, the workflow conditions
/// (in progress, then completed or failed, as scripted), a Work and a WorkPlacement; deleted objects lose their finalizers
/// after <see cref="ControllerScript.DeletionDelay"/> (a Promise's CRD, and so its requests, go with it); the labels
/// kratix.io/manual-reconciliation and kratix.io/reconcile-resources rerun workflows and are removed, as upstream does;
/// WorkPlacements report their write (WriteSucceeded, Ready, a versionID); HealthRecords are aggregated into their request's
/// status.healthStatus as upstream's HealthRecord controller does.
/// Each workflow run leaves what upstream's leaves (see <see cref="PipelineJobs"/>): a Job per pipeline with upstream's
/// kratix.io labels and a finished Pod whose init containers are reader, the pipeline's containers and work-writer,
/// with their logs in the double. No container runs and nothing is written to a state store.
/// </summary>
public sealed partial class KratixControllerDouble : IAsyncDisposable
{
    private const string G = "platform.kratix.io";
    private const string V = "v1alpha1";
    public const string ControllerNamespace = "kratix-platform-system";

    private readonly ApiServerDouble.ApiServerDouble _server;
    private readonly k8s.Kubernetes _client;
    private readonly CancellationTokenSource _stop = new();
    private readonly ConcurrentDictionary<string, DateTimeOffset> _firstSeen = new(StringComparer.Ordinal);
    private readonly ConcurrentQueue<string> _manual = new();
    private readonly ConcurrentDictionary<string, bool> _started = new(StringComparer.Ordinal);
    private Task _loop = Task.CompletedTask;

    private KratixControllerDouble(ApiServerDouble.ApiServerDouble server, string kubeconfig, ControllerScript script)
    {
        _server = server;
        Script = script;
        _client = new k8s.Kubernetes(KubernetesClientConfiguration.BuildConfigFromConfigFile(kubeconfig));
    }

    public ControllerScript Script { get; }

    /// <summary>The last failure of a pass (the next pass tries again), for a test that wonders why nothing happens.</summary>
    public Exception? LastError { get; private set; }

    /// <summary>Objects whose workflow a label made rerun: "Promise/name" or "Kind/ns/name".</summary>
    public IReadOnlyCollection<string> ManualReconciliations => _manual.ToArray();

    /// <summary>Starts polling, after creating the controller's namespace and a pod that stands for its Deployment.</summary>
    public static async Task<KratixControllerDouble> StartAsync(ApiServerDouble.ApiServerDouble server, ControllerScript? script = null)
    {
        var dir = Directory.CreateTempSubdirectory("kratix-controller-double-").FullName;
        var controller = new KratixControllerDouble(server, server.WriteKubeconfig(Path.Combine(dir, "kubeconfig")), script ?? new ControllerScript());
        try
        {
            server.Create(new JsonObject { ["apiVersion"] = "v1", ["kind"] = "Namespace", ["metadata"] = new JsonObject { ["name"] = ControllerNamespace } });
        }
        catch (Exception ex) when (ex.Message.Contains("exists", StringComparison.OrdinalIgnoreCase))
        {
        }

        server.Create(JsonNode.Parse($$$"""
            {"apiVersion":"v1","kind":"Pod","metadata":{"name":"kratix-platform-controller-manager-7d9f8-abcde","namespace":"{{{ControllerNamespace}}}",
             "labels":{"control-plane":"controller-manager","app.kubernetes.io/name":"kratix"}},
             "spec":{"containers":[{"name":"manager","image":"syntasso/kratix-platform:v0.140.0"}]}}
            """)!.AsObject());
        controller._loop = Task.Run(controller.RunAsync);
        await Task.Yield();
        return controller;
    }

    private async Task RunAsync()
    {
        while (!_stop.IsCancellationRequested)
        {
            try
            {
                if (!Script.Stopped)
                {
                    await ReconcileOnceAsync(_stop.Token);
                }
            }
            catch (Exception ex) when (ex is HttpOperationException or HttpRequestException or JsonException or InvalidOperationException or IOException or FormatException or KeyNotFoundException)
            {
                // A conflict or a fault a test injected: the next pass tries again, as a controller requeues.
                LastError = ex is HttpOperationException http ? new InvalidOperationException(http.Response.Content, ex) : ex;
            }
            catch (OperationCanceledException)
            {
                return;
            }

            try
            {
                await Task.Delay(50, _stop.Token);
            }
            catch (OperationCanceledException)
            {
                return;
            }
        }
    }

    private async Task ReconcileOnceAsync(CancellationToken token)
    {
        var promises = Items(await _client.CustomObjects.ListClusterCustomObjectAsync(G, V, "promises", cancellationToken: token)).ToList();
        foreach (var promise in promises)
        {
            await ReconcilePromiseAsync(promise, token);
        }

        await ReconcileHealthRecordsAsync(promises, token);
        await ReconcileDryRunsAsync(token);
    }

    /// <summary>
    /// Upstream's HealthRecord controller, in one pass: every record gets the finalizer kratix.io/health-record-cleanup;
    /// each request some record names (through the record's Promise) gets status.healthStatus aggregated from the live
    /// records about it (Kratix.Health.HealthAggregation, as upstream folds them); a deleted record is taken out of it,
    /// then loses its finalizer (at once when its Promise or request is gone). Events are not recorded.
    /// </summary>
    private async Task ReconcileHealthRecordsAsync(IReadOnlyList<JsonObject> promises, CancellationToken token)
    {
        var records = Items(await _client.CustomObjects.ListCustomObjectForAllNamespacesAsync(G, V, "healthrecords", cancellationToken: token))
            .Select(r => new Kratix.Objects.HealthRecord(r)).ToList();
        var live = records.Where(r => !r.IsBeingDeleted).ToList();
        foreach (var record in live.Where(r => r.Node["metadata"]?["finalizers"] is null))
        {
            await PatchAsync(null, "healthrecords", record.Namespace, record.Name, """{"metadata":{"finalizers":["kratix.io/health-record-cleanup"]}}""", token);
        }

        foreach (var target in records.Where(r => r.HasRequest).GroupBy(r => (r.PromiseName, r.RequestNamespace, r.RequestName)))
        {
            var promise = promises.FirstOrDefault(p => Str(p, "metadata", "name") == target.Key.PromiseName);
            var type = promise?["spec"]?["api"] is JsonObject api ? TypeOf(api) : null;
            if (type is not null)
            {
                JsonObject? request = null;
                try
                {
                    request = JsonNode.Parse(JsonSerializer.Serialize(await _client.CustomObjects.GetNamespacedCustomObjectAsync(type.Value.Group, type.Value.Version, target.Key.RequestNamespace, type.Value.Plural, target.Key.RequestName, cancellationToken: token)))?.AsObject();
                }
                catch (HttpOperationException ex) when ((int)ex.Response.StatusCode == 404)
                {
                }

                if (request is not null)
                {
                    var desired = Kratix.Health.HealthAggregation.Aggregate(Kratix.Health.HealthAggregation.RecordsFor(live, target.Key.RequestNamespace, target.Key.RequestName));
                    if (!JsonNode.DeepEquals(request["status"]?["healthStatus"], desired))
                    {
                        // A merge patch: a null healthRecords (no record left) removes the key.
                        await StatusAsync(type, type.Value.Plural, target.Key.RequestNamespace, target.Key.RequestName, new JsonObject { ["healthStatus"] = desired }, token);
                    }
                }
            }

            foreach (var deleted in target.Where(r => r.IsBeingDeleted))
            {
                await PatchAsync(null, "healthrecords", deleted.Namespace, deleted.Name, """{"metadata":{"finalizers":null}}""", token);
            }
        }

        foreach (var deleted in records.Where(r => r.IsBeingDeleted && !r.HasRequest))
        {
            await PatchAsync(null, "healthrecords", deleted.Namespace, deleted.Name, """{"metadata":{"finalizers":null}}""", token);
        }
    }

    private async Task ReconcilePromiseAsync(JsonObject promise, CancellationToken token)
    {
        var name = Str(promise, "metadata", "name")!;
        var api = promise["spec"]?["api"] as JsonObject;
        var type = api is null ? null : TypeOf(api);
        if (promise["metadata"]?["deletionTimestamp"] is not null)
        {
            if (Due("delete/Promise/" + name, Script.DeletionDelay))
            {
                if (type is not null)
                {
                    try
                    {
                        await _client.ApiextensionsV1.DeleteCustomResourceDefinitionAsync(type.Value.Plural + "." + type.Value.Group, cancellationToken: token);
                    }
                    catch (HttpOperationException ex) when ((int)ex.Response.StatusCode == 404)
                    {
                    }
                }

                await PatchAsync(null, "promises", null, name, """{"metadata":{"finalizers":null}}""", token);
            }

            return;
        }

        if (promise["metadata"]?["finalizers"] is null)
        {
            var finalizers = api is null ? """["kratix.io/workflows-cleanup","kratix.io/dependencies-cleanup"]""" : """["kratix.io/workflows-cleanup","kratix.io/dependencies-cleanup","kratix.io/resource-request-cleanup","kratix.io/api-crd-cleanup"]""";
            await PatchAsync(null, "promises", null, name, $$$"""{"metadata":{"finalizers":{{{finalizers}}}}}""", token);
            return;
        }

        var labels = promise["metadata"]?["labels"] as JsonObject;
        var rerunRequests = labels?["kratix.io/reconcile-resources"]?.GetValue<string>() == "true";
        var manual = labels?["kratix.io/manual-reconciliation"]?.GetValue<string>() == "true";
        var generation = promise["metadata"]?["generation"]?.GetValue<long>() ?? 1;
        var observed = promise["status"]?["observedGeneration"]?.GetValue<long>();
        if (manual || rerunRequests)
        {
            _manual.Enqueue("Promise/" + name);
            await PatchAsync(null, "promises", null, name, """{"metadata":{"labels":{"kratix.io/manual-reconciliation":null,"kratix.io/reconcile-resources":null}}}""", token);
            await StatusAsync(null, "promises", null, name, WorkflowStarted(generation), token);
            _firstSeen.TryRemove("promise/" + name + "/" + generation, out _);
            if (rerunRequests && type is not null)
            {
                foreach (var request in Items(await _client.CustomObjects.ListCustomObjectForAllNamespacesAsync(type.Value.Group, type.Value.Version, type.Value.Plural, cancellationToken: token)))
                {
                    await PatchAsync(type, type.Value.Plural, Str(request, "metadata", "namespace"), Str(request, "metadata", "name")!, """{"metadata":{"labels":{"kratix.io/manual-reconciliation":"true"}}}""", token);
                }
            }

            return;
        }

        var available = (promise["status"]?["conditions"] as JsonArray)?.OfType<JsonObject>().Any(c => Str(c, "type") == "Available" && Str(c, "status") == "True") == true;
        if (observed != generation || !available)
        {
            if (!Due("promise/" + name + "/" + generation, Script.PromiseDelay))
            {
                return;
            }

            if (api is not null)
            {
                await EnsureCrdAsync(name, api, token);
            }

            await RunPipelinesAsync("promise/" + name + "/" + generation, promise, "promise", "configure", null, null, null, token);
            await StatusAsync(null, "promises", null, name, PromiseAvailable(generation, type), token);
            return;
        }

        await EnsureRevisionAsync(promise, token);
        if (type is not null)
        {
            foreach (var request in Items(await _client.CustomObjects.ListCustomObjectForAllNamespacesAsync(type.Value.Group, type.Value.Version, type.Value.Plural, cancellationToken: token)))
            {
                await ReconcileRequestAsync(promise, type.Value, request, HasResourceConfigure(promise), token);
            }
        }
    }

    private static bool HasResourceConfigure(JsonObject promise) =>
        promise["spec"]?["workflows"]?["resource"]?["configure"] is JsonArray { Count: > 0 };

    private async Task ReconcileRequestAsync(JsonObject promiseObject, (string Group, string Version, string Plural, string Kind) type, JsonObject request, bool workflows, CancellationToken token)
    {
        var promise = Str(promiseObject, "metadata", "name")!;
        var name = Str(request, "metadata", "name")!;
        var ns = Str(request, "metadata", "namespace");
        var key = $"{type.Kind}/{ns}/{name}";
        if (request["metadata"]?["deletionTimestamp"] is not null)
        {
            if (Due("delete/" + key, Script.DeletionDelay))
            {
                foreach (var work in Items(await _client.CustomObjects.ListNamespacedCustomObjectAsync(G, V, ns ?? "default", "works", labelSelector: $"kratix.io/resource-name={name},kratix.io/promise-name={promise}", cancellationToken: token)))
                {
                    await _client.CustomObjects.DeleteNamespacedCustomObjectAsync(G, V, ns ?? "default", "works", Str(work, "metadata", "name")!, cancellationToken: token);
                }

                foreach (var placement in Items(await _client.CustomObjects.ListNamespacedCustomObjectAsync(G, V, KratixApiNamespace(ns), "workplacements", labelSelector: $"kratix.io/resource-name={name}", cancellationToken: token)))
                {
                    await _client.CustomObjects.DeleteNamespacedCustomObjectAsync(G, V, KratixApiNamespace(ns), "workplacements", Str(placement, "metadata", "name")!, cancellationToken: token);
                }

                await PatchAsync(type, type.Plural, ns, name, """{"metadata":{"finalizers":null}}""", token);
            }

            return;
        }

        if (request["metadata"]?["finalizers"] is null)
        {
            await PatchAsync(type, type.Plural, ns, name, $$$"""{"metadata":{"labels":{"kratix.io/promise-name":"{{{promise}}}"},"finalizers":["kratix.io/work-cleanup","kratix.io/workflows-cleanup","kratix.io/delete-workflows"]}}""", token);
            return;
        }

        var generation = request["metadata"]?["generation"]?.GetValue<long>() ?? 1;
        if (request["metadata"]?["labels"]?["kratix.io/manual-reconciliation"]?.GetValue<string>() == "true")
        {
            _manual.Enqueue(key);
            await PatchAsync(type, type.Plural, ns, name, """{"metadata":{"labels":{"kratix.io/manual-reconciliation":null}}}""", token);
            await StatusAsync(type, type.Plural, ns, name, WorkflowStarted(generation, resource: true), token);
            _firstSeen.TryRemove("request/" + key + "/" + generation, out _);
            return;
        }

        var bound = await EnsureBindingAsync(promise, name, ns ?? "default", token);
        var ranVersion = request["status"]?["promiseVersion"]?.GetValue<string>();
        if (bound is { } moved && ranVersion is not null && ranVersion != moved.Version && workflows)
        {
            // behaviour.md 5.3: the binding's version differs from the one the request ran, so it re-runs (the upgrade path).
            await PatchAsync(type, type.Plural, ns, name, """{"metadata":{"labels":{"kratix.io/manual-reconciliation":"true"}}}""", token);
            await StatusAsync(type, type.Plural, ns, name, new JsonObject { ["promiseVersion"] = null }, token);
            return;
        }

        var observed = request["status"]?["observedGeneration"]?.GetValue<long>();
        if (bound is { } recorded && observed == generation && (ranVersion != recorded.Version || request["status"]?["resourceBindingVersion"]?.GetValue<string>() != Str(recorded.Binding, "spec", "version"))
            && (!workflows || (request["status"]?["conditions"] as JsonArray)?.OfType<JsonObject>().Any(c => Str(c, "type") == "ConfigureWorkflowCompleted" && Str(c, "status") == "True") == true))
        {
            await RecordVersionsAsync(type, name, ns ?? "default", recorded.Binding, recorded.Version, token);
            return;
        }

        if (!workflows)
        {
            // behaviour.md 5.2.9: no configure pipelines, so the counters are zeroed, no Work is made and no workflow condition is set.
            if (observed != generation)
            {
                await StatusAsync(type, type.Plural, ns, name, new JsonObject { ["observedGeneration"] = generation, ["workflows"] = 0, ["workflowsSucceeded"] = 0, ["workflowsFailed"] = 0 }, token);
            }

            return;
        }

        var completed = (request["status"]?["conditions"] as JsonArray)?.OfType<JsonObject>().Any(c => Str(c, "type") == "ConfigureWorkflowCompleted" && Str(c, "status") != "False") == true;
        if (observed == generation && completed)
        {
            return;
        }

        if (_started.TryAdd(key + "/" + generation, true))
        {
            await StatusAsync(type, type.Plural, ns, name, WorkflowStarted(generation, resource: true, keepObserved: observed), token);
            return;
        }

        if (!Due("request/" + key + "/" + generation, Script.RequestDelay))
        {
            return;
        }

        if (Script.FailingRequests.TryGetValue(name, out var failure))
        {
            if (observed != generation)
            {
                await RunPipelinesAsync("request/" + key + "/" + generation, promiseObject, "resource", "configure", request, type.Kind, failure, token);
                await StatusAsync(type, type.Plural, ns, name, WorkflowFailed(generation, failure), token);
            }

            return;
        }

        await RunPipelinesAsync("request/" + key + "/" + generation, promiseObject, "resource", "configure", request, type.Kind, null, token);
        await EnsureWorkAsync(promise, name, ns ?? "default", token);
        await StatusAsync(type, type.Plural, ns, name, RequestReconciled(generation), token);
    }

    private static string KratixApiNamespace(string? ns) => ns ?? "default";

    private async Task EnsureWorkAsync(string promise, string request, string ns, CancellationToken token)
    {
        var hash = Convert.ToHexStringLower(MD5.HashData(Encoding.UTF8.GetBytes(promise + "/" + ns + "/" + request)))[..5];
        var work = $"{promise}-{request}-{hash}";
        var content = Convert.ToBase64String(Gzip(Encoding.UTF8.GetBytes($"apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: {request}\n")));
        try
        {
            await _client.CustomObjects.CreateNamespacedCustomObjectAsync(JsonNode.Parse($$$"""
                {"apiVersion":"{{{G}}}/{{{V}}}","kind":"Work","metadata":{"name":"{{{work}}}","namespace":"{{{ns}}}",
                 "labels":{"kratix.io/promise-name":"{{{promise}}}","kratix.io/resource-name":"{{{request}}}","kratix.io/work-type":"resource","kratix.io/pipeline-name":"instance-configure"}},
                 "spec":{"promiseName":"{{{promise}}}","resourceName":"{{{request}}}","workloadGroups":[{"id":"5058f1af8388633f609cadb75a75dc9d","directory":".","workloads":[{"filepath":"configmap.yaml","content":"{{{content}}}"}]}]}}
                """)!, G, V, ns, "works", cancellationToken: token);
            await _client.CustomObjects.CreateNamespacedCustomObjectAsync(JsonNode.Parse($$$"""
                {"apiVersion":"{{{G}}}/{{{V}}}","kind":"WorkPlacement","metadata":{"name":"{{{work}}}.worker-1","namespace":"{{{ns}}}",
                 "labels":{"kratix.io/work":"{{{work}}}","kratix.io/promise-name":"{{{promise}}}","kratix.io/resource-name":"{{{request}}}","kratix.io/pipeline-name":"instance-configure"}},
                 "spec":{"targetDestinationName":"worker-1","promiseName":"{{{promise}}}","resourceName":"{{{request}}}","id":"5058f1af8388633f609cadb75a75dc9d","workloads":[{"filepath":"configmap.yaml","content":"{{{content}}}"}]}}
                """)!, G, V, ns, "workplacements", cancellationToken: token);
            // Upstream's WorkPlacement controller reports the write (no state store is written here).
            var now = Now();
            await StatusAsync(null, "workplacements", ns, work + ".worker-1", new JsonObject
            {
                ["versionID"] = Convert.ToHexStringLower(SHA1.HashData(Encoding.UTF8.GetBytes(work))),
                ["conditions"] = new JsonArray(
                    Condition("ScheduleSucceeded", "True", "ScheduledToDestination", "Scheduled to correct Destination", now),
                    Condition("WriteSucceeded", "True", "WorkloadsWrittenToStateStore", "Workloads written to State Store", now),
                    Condition("Ready", "True", "WorkloadsWrittenToTargetDestination", "Ready", now)),
            }, token);
        }
        catch (HttpOperationException ex) when ((int)ex.Response.StatusCode == 409)
        {
        }
    }

    private static byte[] Gzip(byte[] data)
    {
        using var output = new MemoryStream();
        using (var gzip = new System.IO.Compression.GZipStream(output, System.IO.Compression.CompressionLevel.Fastest))
        {
            gzip.Write(data);
        }

        return output.ToArray();
    }

    private async Task EnsureCrdAsync(string promise, JsonObject api, CancellationToken token)
    {
        var crd = (JsonObject)api.DeepClone();
        var name = Str(crd, "metadata", "name")!;
        try
        {
            await _client.ApiextensionsV1.ReadCustomResourceDefinitionAsync(name, cancellationToken: token);
            return;
        }
        catch (HttpOperationException ex) when ((int)ex.Response.StatusCode == 404)
        {
        }

        crd["apiVersion"] = "apiextensions.k8s.io/v1";
        crd["kind"] = "CustomResourceDefinition";
        var metadata = (JsonObject)crd["metadata"]!;
        metadata["labels"] = new JsonObject { ["kratix.io/promise-name"] = promise };
        foreach (var version in (crd["spec"]?["versions"] as JsonArray)?.OfType<JsonObject>() ?? [])
        {
            version["subresources"] = new JsonObject { ["status"] = new JsonObject() };
            if (version["schema"]?["openAPIV3Schema"] is JsonObject schema)
            {
                var properties = schema["properties"] as JsonObject ?? (JsonObject)(schema["properties"] = new JsonObject());
                properties["status"] = new JsonObject { ["type"] = "object", ["x-kubernetes-preserve-unknown-fields"] = true };
            }
        }

        _server.Create(crd);
    }

    private static JsonObject PromiseAvailable(long generation, (string Group, string Version, string Plural, string Kind)? type)
    {
        var now = Now();
        var status = new JsonObject
        {
            ["observedGeneration"] = generation,
            ["status"] = "Available",
            ["lastAvailableTime"] = now,
            ["version"] = "not-set",
            ["workflows"] = 1,
            ["workflowsSucceeded"] = 1,
            ["workflowsFailed"] = 0,
            ["conditions"] = new JsonArray(
                Condition("ConfigureWorkflowCompleted", "True", "PipelinesExecutedSuccessfully", "Pipelines completed", now),
                Condition("Available", "True", "PromiseAvailable", "Ready to fulfil resource requests", now),
                Condition("WorksSucceeded", "True", "WorksSucceeded", "All works associated with this promise are ready", now),
                Condition("Reconciled", "True", "Reconciled", "Reconciled", now)),
        };
        if (type is { } t)
        {
            status["kind"] = t.Kind;
            status["apiVersion"] = t.Group + "/" + t.Version;
        }

        return status;
    }

    private static JsonObject WorkflowStarted(long generation, bool resource = false, long? keepObserved = null)
    {
        var now = Now();
        var status = new JsonObject
        {
            ["message"] = "Pending",
            ["workflows"] = 1,
            ["workflowsSucceeded"] = 0,
            ["workflowsFailed"] = 0,
            ["conditions"] = new JsonArray(
                Condition("ConfigureWorkflowCompleted", "False", "PipelinesInProgress", "Pipelines are still in progress", now),
                Condition("Reconciled", "Unknown", "WorkflowPending", "Workflow is pending", now)),
        };
        if (keepObserved is { } observed)
        {
            status["observedGeneration"] = observed;
        }

        return status;
    }

    private static JsonObject WorkflowFailed(long generation, string message)
    {
        var now = Now();
        return new JsonObject
        {
            ["observedGeneration"] = generation,
            ["message"] = "Pending",
            ["workflows"] = 1,
            ["workflowsSucceeded"] = 0,
            ["workflowsFailed"] = 1,
            ["conditions"] = new JsonArray(
                Condition("ConfigureWorkflowCompleted", "False", "ConfigureWorkflowFailed", message, now),
                Condition("Reconciled", "False", "ConfigureWorkflowFailed", "Configure workflow failed", now)),
        };
    }

    private static JsonObject RequestReconciled(long generation)
    {
        var now = Now();
        return new JsonObject
        {
            ["observedGeneration"] = generation,
            ["message"] = "Resource requested",
            ["workflows"] = 1,
            ["workflowsSucceeded"] = 1,
            ["workflowsFailed"] = 0,
            ["lastSuccessfulConfigureWorkflowTime"] = now,
            ["conditions"] = new JsonArray(
                Condition("ConfigureWorkflowCompleted", "True", "PipelinesExecutedSuccessfully", "Pipelines completed", now),
                Condition("WorksSucceeded", "True", "WorksSucceeded", "All works associated with this resource are ready", now),
                Condition("Reconciled", "True", "Reconciled", "Reconciled", now)),
        };
    }

    private static JsonObject Condition(string type, string status, string reason, string message, string now) =>
        new() { ["type"] = type, ["status"] = status, ["reason"] = reason, ["message"] = message, ["lastTransitionTime"] = now };

    private static string Now() => DateTimeOffset.UtcNow.ToString("yyyy-MM-ddTHH:mm:ssZ", System.Globalization.CultureInfo.InvariantCulture);

    /// <summary>Whether <paramref name="delay"/> has passed since this key was first seen.</summary>
    private bool Due(string key, TimeSpan delay) => DateTimeOffset.UtcNow - _firstSeen.GetOrAdd(key, _ => DateTimeOffset.UtcNow) >= delay;

    private Task PatchAsync((string Group, string Version, string Plural, string Kind)? type, string plural, string? ns, string name, string patch, CancellationToken token)
    {
        var body = new V1Patch(patch, V1Patch.PatchType.MergePatch);
        var (group, version) = type is { } t ? (t.Group, t.Version) : (G, V);
        return ns is null
            ? _client.CustomObjects.PatchClusterCustomObjectAsync(body, group, version, plural, name, cancellationToken: token)
            : _client.CustomObjects.PatchNamespacedCustomObjectAsync(body, group, version, ns, plural, name, cancellationToken: token);
    }

    private Task StatusAsync((string Group, string Version, string Plural, string Kind)? type, string plural, string? ns, string name, JsonObject status, CancellationToken token)
    {
        // A merge patch of status: conditions (a list) are replaced whole, as upstream's status writes replace them.
        var body = new V1Patch(new JsonObject { ["status"] = status }.ToJsonString(), V1Patch.PatchType.MergePatch);
        var (group, version) = type is { } t ? (t.Group, t.Version) : (G, V);
        return ns is null
            ? _client.CustomObjects.PatchClusterCustomObjectStatusAsync(body, group, version, plural, name, cancellationToken: token)
            : _client.CustomObjects.PatchNamespacedCustomObjectStatusAsync(body, group, version, ns, plural, name, cancellationToken: token);
    }

    private static (string Group, string Version, string Plural, string Kind)? TypeOf(JsonObject api)
    {
        var spec = api["spec"] as JsonObject;
        var kind = spec?["names"]?["kind"]?.GetValue<string>();
        if (spec is null || kind is null)
        {
            return null;
        }

        var versions = (spec["versions"] as JsonArray)?.OfType<JsonObject>().ToList() ?? [];
        var version = (versions.FirstOrDefault(v => v["storage"]?.GetValue<bool>() == true) ?? versions.FirstOrDefault())?["name"]?.GetValue<string>() ?? "v1";
        return (spec["group"]?.GetValue<string>() ?? string.Empty, version, spec["names"]?["plural"]?.GetValue<string>() ?? kind.ToLowerInvariant() + "s", kind);
    }

    private static IEnumerable<JsonObject> Items(object list)
    {
        var node = list is JsonElement element ? JsonNode.Parse(element.GetRawText()) : JsonNode.Parse(JsonSerializer.Serialize(list));
        return (node?["items"] as JsonArray)?.OfType<JsonObject>().ToList() ?? [];
    }

    private static string? Str(JsonObject obj, params string[] path)
    {
        JsonNode? node = obj;
        foreach (var part in path)
        {
            node = node?[part];
        }

        return node?.GetValue<string>();
    }

    public async ValueTask DisposeAsync()
    {
        await _stop.CancelAsync();
        try
        {
            await _loop;
        }
        catch (OperationCanceledException)
        {
        }

        _client.Dispose();
        _stop.Dispose();
    }
}
