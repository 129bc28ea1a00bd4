using System.Text.Json.Nodes;
using Kratix.Admission;
using Kratix.Objects;
using Kratix.Pipelines;

namespace Kratix.Platforms.Embedded;

/// <summary>Installs, reconciles and uninstalls Promises in upstream's order (behaviour.md 5.1 and 5.5).</summary>
internal sealed class PromiseController(PlatformContext context, WorkController works, WorkflowController workflows, Func<RequestController> requests)
{
    public Promise Install(JsonObject node, CancellationToken cancellationToken)
    {
        var name = new KubeObject(node).Name;
        using var activity = context.Progress.Begin($"Installing Promise \"{name}\"");
        context.Progress.Stage("Validating and saving the Promise");
        var existingNode = context.Store.Get(ResourceType.Promise, null, name);
        if (existingNode is not null && new Promise(existingNode).IsBeingDeleted)
        {
            // Its uninstall began (the delete pipeline ran) but was interrupted: finish it, then this is a new install.
            context.Log.Warning($"Promise \"{name}\" was being uninstalled when a previous command stopped; its uninstall is finished first.");
            if (!Uninstall(name, cancellationToken))
            {
                throw new KratixException("PromiseBeingDeleted", KratixErrorCategory.ResourceUnavailable,
                    $"Promise \"{name}\" is being uninstalled: a delete workflow suspended. Install it again once the uninstall finishes (Sync-KratixPlatform resumes the workflow when it is due; Uninstall-KratixPromise resumes it now).", name);
            }

            existingNode = null;
        }

        var existing = existingNode is null ? null : new Promise(existingNode);
        var (promise, api) = PromiseAdmission.Admit(node, existing);
        if (api is not null)
        {
            var owner = context.PromiseForKind(api.Group, api.Names.Kind);
            if (owner is { } other && other.Promise.Name != promise.Name)
            {
                throw new KratixException(
                    "PromiseApiConflict",
                    KratixErrorCategory.ResourceExists,
                    $"Promise \"{promise.Name}\" defines kind {api.Names.Kind} in group {api.Group}, which Promise \"{other.Promise.Name}\" already provides. Use another kind or group, or uninstall \"{other.Promise.Name}\".",
                    promise.Name);
            }
        }

        var missing = promise.RequiredPromises.Where(r => context.Promise(r.Name) is null).ToList();
        foreach (var required in missing)
        {
            context.Log.Warning(required.Version is null
                ? $"Required Promise \"{required.Name}\" not installed"
                : $"Required Promise \"{required.Name}\" at version \"{required.Version}\" not installed");
        }

        if (missing.Count > 0)
        {
            context.Log.Warning("Promise will not be available until the above issue(s) is resolved");
        }

        if (existingNode?["status"] is JsonObject status)
        {
            promise.Node["status"] = status.DeepClone();
        }

        context.Save(ResourceType.Promise, promise);
        context.Store.Commit(); // Durable before its workflow runs, which may take long.
        CrashPoints.Hit(CrashPoints.ObjectSaved);
        context.Progress.Stage("Reconciling the Promise: its dependencies, its workflow, its requests");
        var reconciled = Reconcile(context.Promise(promise.Name)!, cancellationToken);
        ReconcileDependents(promise.Name, cancellationToken);
        return reconciled;
    }

    /// <summary>Re-runs the Promise's configure workflow from the start (Sync-KratixPromise).</summary>
    public Promise Sync(string name, CancellationToken cancellationToken) =>
        Reconcile(context.Promise(name) ?? throw new KratixException("PromiseNotFound", KratixErrorCategory.ObjectNotFound, $"Promise \"{name}\" is not installed. Get-KratixPromise lists those that are.", name), cancellationToken, force: true);

    public Promise Reconcile(Promise promise, CancellationToken cancellationToken, bool force = false)
    {
        if (promise.IsBeingDeleted)
        {
            return promise; // Its uninstall finishes it (Uninstall-KratixPromise, Sync-KratixPlatform); nothing to reconcile.
        }

        var conditions = promise.Conditions;
        if (promise.GetLabel(KratixApi.PausedLabel) == "true")
        {
            conditions.Set(Reasons.Available, Condition.False, Reasons.PausedReconciliation, "Paused", context.Now);
            conditions.Set(Reasons.Reconciled, Condition.Unknown, Reasons.PausedReconciliation, "Paused", context.Now);
            context.Log.Warning("'kratix.io/paused' label set to 'true' for promise; pausing reconciliation");
            return Save(promise);
        }

        if (promise.GetLabel(KratixApi.PromiseVersionLabel) is { } version)
        {
            promise.Status["version"] = version;
        }

        var latestRevisionChanged = new Revisions(context).Record(promise);

        var api = context.ApiOf(promise);
        if (!CheckRequirements(promise) && api is not null)
        {
            SetUnavailable(promise);
            conditions.Set(Reasons.Reconciled, Condition.Unknown, Reasons.RequirementsNotFulfilled, "Pending", context.Now);
            return Save(promise);
        }

        if (api is not null)
        {
            promise.Status["kind"] = api.Names.Kind;
            promise.Status["apiVersion"] = $"{api.Group}/{api.StorageVersion.Name}".ToLowerInvariant();
        }

        ReconcileStaticDependencies(promise, cancellationToken);
        // Unpausing a Promise reruns its requests too, as upstream labels them with reconcile-resources.
        var unpausedPromise = conditions.Get(Reasons.Reconciled)?.Reason == Reasons.PausedReconciliation;
        var converge = (promise.Generation > 1 && promise.Generation != (promise.Status.GetLong("observedGeneration") ?? 0))
            || promise.GetLabel(KratixApi.ReconcileResourcesLabel) == "true"
            || unpausedPromise;
        var configure = promise.Workflows("promise", "configure");
        if (configure.Count == 0)
        {
            promise.Status["workflows"] = 0;
            promise.Status["workflowsSucceeded"] = 0;
            promise.Status["workflowsFailed"] = 0;
        }
        else
        {
            workflows.Configure(promise, promise, force || unpausedPromise, cancellationToken);
            if (!WorkflowCompleted(promise))
            {
                if (WorkflowStatus.SuspendedIndex(promise.Status) >= 0)
                {
                    conditions.Set(Reasons.Available, Condition.False, Reasons.WorkflowSuspended, "Suspended", context.Now);
                }

                return Save(promise);
            }
        }

        promise.SetLabel(KratixApi.ReconcileResourcesLabel, null);
        if (converge)
        {
            promise.Status["observedGeneration"] = promise.Generation;
        }

        var wasAvailable = promise.Status.GetString("status") == Reasons.StatusAvailable;
        promise.Status["status"] = Reasons.StatusAvailable;
        if (!wasAvailable)
        {
            promise.Status["lastAvailableTime"] = Timestamps.Format(context.Now);
        }

        conditions.Set(Reasons.Available, Condition.True, Reasons.PromiseAvailableReason, Reasons.PromiseAvailableMessage, context.Now);
        workflows.UpdateWorksAndReconciled(promise, workflows.WorksOf(promise, promise));
        Save(promise);

        if (converge || !wasAvailable || latestRevisionChanged)
        {
            // A new latest revision moves the requests bound to latest to it (their re-run is decided per request).
            // A spec change re-runs every request from the start; a Promise becoming available releases the requests that waited for it.
            requests().ReconcileAllOf(context.Promise(promise.Name)!, fromStart: converge, cancellationToken);
        }

        return context.Promise(promise.Name)!;
    }

    /// <summary>True when the configure workflow completed, or cannot run here at all (then the Promise is still usable).</summary>
    private static bool WorkflowCompleted(Promise promise) =>
        promise.Conditions.Get(Reasons.ConfigureWorkflowCompleted) is { } c && (c.IsTrue || c.Reason == WorkflowController.WorkflowRuntimeUnavailable);

    /// <summary>
    /// Uninstalls a Promise in upstream's order: its delete workflow, its requests (each with its own delete workflow),
    /// its Works, the Promise. A delete workflow that suspends keeps the Promise (its own, or a request's: upstream's
    /// resource-request-cleanup finalizer waits for them), marked for deletion, until a later call resumes it; with
    /// <paramref name="onlyWhenDue"/> (Sync-KratixPlatform) only once its retry time has come. Returns false when the
    /// Promise stays.
    /// </summary>
    public bool Uninstall(string name, CancellationToken cancellationToken, bool onlyWhenDue = false)
    {
        var promise = context.Promise(name)
            ?? throw new KratixException("PromiseNotFound", KratixErrorCategory.ObjectNotFound, $"Promise \"{name}\" is not installed. Get-KratixPromise lists those that are.", name);
        var pending = WorkflowController.DeleteWorkflowPending(promise);
        if (pending && onlyWhenDue && !workflows.DeleteWorkflowDue(promise))
        {
            context.Log.Verbose($"Promise \"{name}\": its promise.delete workflow is suspended and not due to resume; it stays.");
            return false;
        }

        if (!promise.IsBeingDeleted || pending)
        {
            switch (workflows.Delete(promise, promise, cancellationToken))
            {
                case DeleteOutcome.Failed:
                    context.Save(ResourceType.Promise, promise);
                    throw new KratixException(
                        "PromiseDeleteWorkflowFailed",
                        KratixErrorCategory.InvalidOperation,
                        $"Promise \"{name}\" was not uninstalled: its promise.delete workflow did not complete ({promise.Conditions.Get(Reasons.DeleteWorkflowCompleted)?.Message}). Fix the pipeline and run Uninstall-KratixPromise again.",
                        name);
                case DeleteOutcome.Suspended:
                    workflows.KeepForDeletion(ResourceType.Promise, promise);
                    return false;
            }

            // From here on the uninstall is finished by the next one, or by Sync-KratixPlatform, if it is interrupted.
            if (pending)
            {
                workflows.DeleteWorkflowDone(ResourceType.Promise, promise);
            }

            promise = new Promise(context.Store.MarkDeleting(ResourceType.Promise, null, name)!);
            context.Store.Commit();
            CrashPoints.Hit(CrashPoints.DeletionMarked);
        }

        if (!requests().DeleteAllOf(promise, cancellationToken, onlyWhenDue))
        {
            context.Log.Warning($"Promise \"{name}\": some of its requests wait for their suspended resource.delete workflow; the Promise is uninstalled once they are removed (Sync-KratixPlatform finishes it).");
            return false;
        }

        new Revisions(context).DeleteAllOf(name);
        foreach (var work in works.Works().Where(w => w.GetLabel(KratixApi.PromiseNameLabel) == name && w.WorkType != KratixApi.WorkTypeResource))
        {
            works.Delete(work, cancellationToken);
        }

        workflows.Forget(promise, promise);
        context.Delete(ResourceType.Promise, null, name);
        ReconcileDependents(name, cancellationToken);
        return true;
    }

    private void ReconcileStaticDependencies(Promise promise, CancellationToken cancellationToken)
    {
        var existing = works.Works(KratixApi.SystemNamespace).FirstOrDefault(w =>
            w.GetLabel(KratixApi.PromiseNameLabel) == promise.Name && w.WorkType == KratixApi.WorkTypeStaticDependency);
        if (promise.Dependencies.Count == 0)
        {
            if (existing is not null)
            {
                works.Delete(existing, cancellationToken);
            }

            return;
        }

        works.Apply(StaticDependencies.Build(promise), cancellationToken);
    }

    /// <summary>Evaluates spec.requiredPromises into status; true when every requirement is met (or there are none).</summary>
    private bool CheckRequirements(Promise promise)
    {
        var required = promise.RequiredPromises;
        if (required.Count == 0 && promise.Status["requiredPromises"] is null)
        {
            return true;
        }

        var states = new JsonArray();
        var missing = false;
        var unavailable = false;
        foreach (var requirement in required)
        {
            var target = context.Promise(requirement.Name);
            string state;
            if (target is null)
            {
                state = Reasons.RequirementNotInstalled;
                missing = true;
            }
            else if (requirement.Version is not null && new Revisions(context).AtVersion(requirement.Name, requirement.Version) is null)
            {
                state = Reasons.RequirementNotInstalledAtVersion;
                missing = true;
            }
            else if (target.Status.GetString("status") != Reasons.StatusAvailable)
            {
                state = Reasons.RequirementNotAvailable;
                unavailable = true;
            }
            else
            {
                state = Reasons.RequirementInstalled;
            }

            var entry = new JsonObject { ["name"] = requirement.Name };
            if (requirement.Version is not null)
            {
                entry["version"] = requirement.Version;
            }

            entry["state"] = state;
            states.Add(entry);
            if (target is not null)
            {
                RecordRequiredBy(target, promise, requirement.Version);
            }
        }

        promise.Status["requiredPromises"] = states;
        var (status, reason, message) = missing ? (Condition.False, Reasons.RequirementsNotInstalled, "Requirements not fulfilled")
            : unavailable ? (Condition.False, Reasons.RequirementsNotAvailable, "Requirements not fulfilled")
            : (Condition.True, Reasons.RequirementsInstalled, "Requirements fulfilled");
        promise.Conditions.Set(Reasons.RequirementsFulfilled, status, reason, message, context.Now);
        return status == Condition.True;
    }

    private void RecordRequiredBy(Promise target, Promise requirer, string? version)
    {
        var list = target.Status["requiredBy"] as JsonArray ?? new JsonArray();
        var existing = list.OfType<JsonObject>().FirstOrDefault(e => e["promise"]?["name"]?.ToString() == requirer.Name);
        var entry = new JsonObject
        {
            ["promise"] = new JsonObject { ["name"] = requirer.Name, ["version"] = requirer.Status.GetString("version") ?? string.Empty },
            ["requiredVersion"] = version ?? string.Empty,
        };
        if (existing is not null && Manifests.JsonValues.DeepEquals(existing, entry))
        {
            return;
        }

        if (existing is not null)
        {
            list.Remove(existing);
        }

        list.Add(entry);
        target.Status["requiredBy"] = list;
        context.Save(ResourceType.Promise, target);
    }

    private void SetUnavailable(Promise promise)
    {
        promise.Status["status"] = Reasons.StatusUnavailable;
        promise.Conditions.Set(Reasons.Available, Condition.False, Reasons.PromiseUnavailable, Reasons.PromiseUnavailableMessage, context.Now);
    }

    private void ReconcileDependents(string name, CancellationToken cancellationToken)
    {
        foreach (var dependent in context.Promises().Where(p => p.RequiredPromises.Any(r => r.Name == name)))
        {
            Reconcile(dependent, cancellationToken);
        }
    }

    private Promise Save(Promise promise)
    {
        context.Save(ResourceType.Promise, promise);
        workflows.Saved(promise, promise);
        return promise;
    }
}
