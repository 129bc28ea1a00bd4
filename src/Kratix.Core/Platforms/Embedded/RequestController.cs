using System.Text.Json.Nodes;
using Kratix.Admission;
using Kratix.Manifests;
using Kratix.Objects;
using Kratix.Schema;

namespace Kratix.Platforms.Embedded;

/// <summary>
/// Admits resource requests the way the API server would (validated and defaulted against the Promise's API), stores
/// them, and reconciles them in upstream's order (behaviour.md 5.2); deletes them with their Works and files.
/// </summary>
internal sealed class RequestController(PlatformContext context, WorkController works, WorkflowController workflows)
{
    /// <summary>Validates and defaults a request without storing it.</summary>
    public (ResourceRequest Request, Promise Promise, CustomResourceDefinition Crd, ValidationResult Result) Admit(JsonObject node, ManifestDocument? source)
    {
        var request = new ResourceRequest(node);
        var (promise, crd) = context.PromiseForKind(request.Group, request.Kind) ?? throw NoPromiseFor(request, source);
        if (request.Namespace is null)
        {
            request.Namespace = "default";
        }

        var result = RequestValidator.Validate(node, crd);
        return (request, promise, crd, result);
    }

    public ResourceRequest Create(JsonObject node, ManifestDocument? source, bool allowUpdate, CancellationToken cancellationToken)
    {
        var (request, promise, crd, result) = Admit(node, source);
        ThrowIfInvalid(request, result, source);
        foreach (var warning in result.Warnings)
        {
            context.Log.Warning(warning);
        }

        var type = context.RequestTypeOf(crd);
        var existing = context.Store.Get(type, request.Namespace, request.Name);
        if (existing is not null && new ResourceRequest(existing).IsBeingDeleted)
        {
            // Its removal began (the delete pipeline ran) but was interrupted: finish it, then this is a new request.
            context.Log.Warning($"{crd.Names.Kind} \"{request.Namespace}/{request.Name}\" was being removed when a previous command stopped; its removal is finished first.");
            Delete(promise, new ResourceRequest(existing), cancellationToken);
            existing = null;
        }

        if (existing is not null && !allowUpdate)
        {
            throw new KratixException(
                "RequestExists",
                KratixErrorCategory.ResourceExists,
                $"{crd.Names.Kind} \"{request.Name}\" already exists in namespace \"{request.Namespace}\". Use Set-KratixRequest to change it.",
                request.Name);
        }

        if (existing?["status"] is JsonObject status)
        {
            request.Node["status"] = status.DeepClone();
        }

        request.SetLabel(KratixApi.PromiseNameLabel, promise.Name);
        context.Save(type, request);
        CrashPoints.Hit(CrashPoints.ObjectSaved);
        return Reconcile(promise, new ResourceRequest(context.Store.Get(type, request.Namespace, request.Name)!), cancellationToken);
    }

    public IReadOnlyList<ResourceRequest> List(Promise promise, string? ns = null) =>
        context.ApiOf(promise) is { } crd
            ? context.Store.List(context.RequestTypeOf(crd), ns).Select(n => new ResourceRequest(n)).ToList()
            : [];

    public ResourceRequest? Get(Promise promise, string ns, string name) =>
        context.ApiOf(promise) is { } crd && context.Store.Get(context.RequestTypeOf(crd), ns, name) is { } node ? new ResourceRequest(node) : null;

    /// <summary>Reconciles every request of a Promise; <paramref name="fromStart"/> re-runs their workflows from the first pipeline (a converge).</summary>
    public void ReconcileAllOf(Promise promise, bool fromStart, CancellationToken cancellationToken)
    {
        foreach (var request in List(promise))
        {
            Reconcile(promise, request, cancellationToken, force: fromStart);
        }
    }

    /// <summary>Re-runs a request's configure workflow from the start (Sync-KratixRequest).</summary>
    public ResourceRequest Sync(Promise promise, string ns, string name, CancellationToken cancellationToken) =>
        Reconcile(promise, Get(promise, ns, name) ?? throw NotFound(promise, ns, name), cancellationToken, force: true);

    public ResourceRequest Reconcile(Promise promise, ResourceRequest request, CancellationToken cancellationToken, bool force = false)
    {
        var crd = context.ApiOf(promise)!;
        var type = context.RequestTypeOf(crd);
        var conditions = request.Conditions;
        if (request.IsBeingDeleted)
        {
            return request; // Its removal finishes it (Remove-KratixRequest, Sync-KratixPlatform); nothing to reconcile.
        }

        if (promise.GetLabel(KratixApi.PausedLabel) == "true" || request.GetLabel(KratixApi.PausedLabel) == "true")
        {
            conditions.Set(Reasons.Reconciled, Condition.Unknown, Reasons.PausedReconciliation, "Paused", context.Now);
            context.Save(type, request);
            return request;
        }

        if (promise.Status.GetString("status") != Reasons.StatusAvailable)
        {
            request.Status["message"] = "Pending";
            conditions.Set(Reasons.PromiseAvailable, Condition.False, Reasons.PromiseRequirementsNotInstalled, Reasons.PromiseRequirementsNotInstalledMessage, context.Now);
            context.Log.Warning($"{request.Kind} \"{request.Name}\": Promise \"{promise.Name}\" is not available, so the request waits (Pending).");
            context.Save(type, request);
            return request;
        }

        if (conditions.Get(Reasons.PromiseAvailable) is { Status: Condition.False })
        {
            conditions.Set(Reasons.PromiseAvailable, Condition.True, Reasons.PromiseAvailableReason, Reasons.PromiseRequirementsMetMessage, context.Now);
        }

        var configure = promise.Workflows("resource", "configure");
        if (configure.Count == 0)
        {
            // Upstream zeroes the counters and makes no Work when there is nothing to run.
            request.Status["workflows"] = 0;
            request.Status["workflowsSucceeded"] = 0;
            request.Status["workflowsFailed"] = 0;
            request.Status.GetOrAddObject("kratix").GetOrAddObject("workflows")["pipelines"] = new JsonArray();
        }
        else
        {
            // Unpausing forces a rerun, as upstream.
            var unpaused = conditions.Get(Reasons.Reconciled)?.Reason == Reasons.PausedReconciliation;
            workflows.Configure(promise, request, force || unpaused, cancellationToken);
            if (conditions.Get(Reasons.ConfigureWorkflowCompleted) is { IsTrue: true })
            {
                workflows.UpdateWorksAndReconciled(request, workflows.WorksOf(promise, request));
                // Upstream keeps the completion time twice: the legacy top-level field and under kratix.workflows.
                var completedAt = Timestamps.Format(conditions.Get(Reasons.ConfigureWorkflowCompleted)!.LastTransitionTime);
                request.Status["lastSuccessfulConfigureWorkflowTime"] = completedAt;
                request.Status.GetOrAddObject("kratix").GetOrAddObject("workflows")["lastSuccessfulConfigureWorkflowTime"] = completedAt;
            }
            else if (conditions.Get(Reasons.ConfigureWorkflowCompleted)?.Reason == WorkflowController.WorkflowRuntimeUnavailable)
            {
                request.Status["message"] = "Pending";
                conditions.Set(Reasons.Reconciled, Condition.Unknown, Reasons.WorkflowPending, "Pending", context.Now);
            }
        }

        request.Status["observedGeneration"] = request.Generation;
        request.Status["promiseVersion"] = promise.PromiseVersion;
        request.Status["resourceBindingVersion"] = "latest";
        context.Save(type, request);
        workflows.Saved(promise, request);
        return request;
    }

    public void Delete(Promise promise, string ns, string name, CancellationToken cancellationToken)
    {
        var request = Get(promise, ns, name) ?? throw NotFound(promise, ns, name);
        Delete(promise, request, cancellationToken);
    }

    public void DeleteAllOf(Promise promise, CancellationToken cancellationToken)
    {
        foreach (var request in List(promise))
        {
            Delete(promise, request, cancellationToken);
        }
    }

    /// <summary>
    /// Removes a request: its delete pipeline, then (marked for deletion from then on, so that an interrupted removal is
    /// finished by the next one, or by Sync-KratixPlatform, without running the pipeline again) its Works and their
    /// files, its run records, and the request.
    /// </summary>
    public void Delete(Promise promise, ResourceRequest request, CancellationToken cancellationToken)
    {
        var type = context.RequestTypeOf(context.ApiOf(promise)!);
        if (!request.IsBeingDeleted)
        {
            if (!workflows.Delete(promise, request, cancellationToken))
            {
                context.Save(type, request);
                throw new KratixException(
                    "RequestDeleteWorkflowFailed",
                    KratixErrorCategory.InvalidOperation,
                    $"{request.Kind} \"{request.Namespace}/{request.Name}\" was not removed: its resource.delete workflow did not complete ({request.Conditions.Get(Reasons.DeleteWorkflowCompleted)?.Message}). Fix the pipeline and remove it again.",
                    request.Name);
            }

            context.Store.MarkDeleting(type, request.Namespace, request.Name);
            CrashPoints.Hit(CrashPoints.DeletionMarked);
        }

        foreach (var work in workflows.WorksOf(promise, request))
        {
            works.Delete(work, cancellationToken);
        }

        workflows.Forget(promise, request);
        context.Store.Delete(type, request.Namespace, request.Name);
    }

    private KratixException NotFound(Promise promise, string ns, string name) => new(
        "RequestNotFound",
        KratixErrorCategory.ObjectNotFound,
        $"There is no {context.ApiOf(promise)?.Names.Kind} \"{name}\" in namespace \"{ns}\". Get-KratixRequest -Promise {promise.Name} lists the requests.",
        name);

    private KratixException NoPromiseFor(ResourceRequest request, ManifestDocument? source)
    {
        var provided = context.Promises().Select(p => context.ApiOf(p) is { } crd ? $"{crd.Names.Kind} ({crd.Group})" : null).OfType<string>().ToList();
        var where = source is null ? string.Empty : $"{source.Start}: ";
        return new KratixException(
            "PromiseNotFoundForRequest",
            KratixErrorCategory.ObjectNotFound,
            $"{where}no installed Promise provides kind \"{request.Kind}\" in group \"{request.Group}\" (apiVersion \"{request.ApiVersion}\"). "
                + (provided.Count == 0 ? "No Promise with an API is installed; install one with Install-KratixPromise." : $"Installed Promises provide: {string.Join(", ", provided)}."),
            request.Name);
    }

    private static void ThrowIfInvalid(ResourceRequest request, ValidationResult result, ManifestDocument? source)
    {
        if (result.IsValid)
        {
            return;
        }

        var problems = result.Errors.Select(e => source is null ? e.ToString() : $"{source.Locate(e.Field)}: {e}").ToList();
        throw new AdmissionException("RequestInvalid", $"{request.Kind} \"{request.Name}\"", problems, request.Name);
    }
}
