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
    /// <summary>The revisions and bindings of the batch of reconciles under way (<see cref="ReconcileMany"/>).</summary>
    private Revisions? _revisions;

    /// <summary>
    /// Validates and defaults a request without storing it; with <paramref name="asUpdate"/>, a stored request of the
    /// same name is the old object its transition rules (<c>oldSelf</c>) compare with.
    /// </summary>
    public (ResourceRequest Request, Promise Promise, CustomResourceDefinition Crd, ValidationResult Result) Admit(JsonObject node, ManifestDocument? source, FieldValidationMode? fieldValidation = null, bool asUpdate = false)
    {
        var request = new ResourceRequest(node);
        var (promise, crd) = context.PromiseForKind(request.Group, request.Kind) ?? throw NoPromiseFor(request, source);
        RequestValidator.DefaultNamespace(node, "default");
        var old = asUpdate && request.Namespace is { } ns && request.Name.Length > 0
            ? context.Store.Get(context.RequestTypeOf(crd), ns, request.Name)
            : null;

        var result = RequestValidator.Validate(node, crd, new RequestValidationOptions
        {
            FieldValidation = fieldValidation ?? context.Options.FieldValidation,
            DecodingErrors = source?.StrictDecodingErrors ?? [],
            OldObject = old,
        });
        return (request, promise, crd, result);
    }

    public ResourceRequest Create(JsonObject node, ManifestDocument? source, bool allowUpdate, CancellationToken cancellationToken) =>
        CreateMany([new RequestSubmission(node, source, allowUpdate)], cancellationToken)[0].RequestOrThrow();

    /// <summary>
    /// Admits and stores every request, then reconciles those admitted together (<see cref="ReconcileMany"/>). A request
    /// that cannot be admitted or reconciled gets its error; the others go on.
    /// </summary>
    public IReadOnlyList<RequestOutcome> CreateMany(IReadOnlyList<RequestSubmission> submissions, CancellationToken cancellationToken)
    {
        var outcomes = new RequestOutcome[submissions.Count];
        var admitted = new List<(int Index, Promise Promise, ResourceRequest Request)>();
        using var activity = context.Progress.Begin(submissions.Count == 1 ? "Submitting a request" : $"Submitting {submissions.Count:N0} requests");
        var stage = context.Progress.Stage("Validating and saving requests", submissions.Count);
        for (var i = 0; i < submissions.Count; i++)
        {
            cancellationToken.ThrowIfCancellationRequested();
            try
            {
                var (promise, request) = Store(submissions[i], cancellationToken);
                admitted.Add((i, promise, request));
                stage.Advance(Describe(request));
            }
            catch (KratixException ex)
            {
                outcomes[i] = new RequestOutcome(null, ex);
                stage.Advance();
            }
        }

        // Every admitted request is durable, in one group commit, before any workflow runs (which may take long). When
        // none has a workflow, the operation's final commit is the only one: one sync pair per operation.
        if (admitted.Any(a => a.Promise.Workflows("resource", "configure").Count > 0))
        {
            context.Store.Commit();
        }

        foreach (var _ in admitted)
        {
            CrashPoints.Hit(CrashPoints.ObjectSaved);
        }

        var reconciled = ReconcileMany(admitted.Select(a => (a.Promise, a.Request, false)).ToList(), cancellationToken);
        for (var j = 0; j < admitted.Count; j++)
        {
            outcomes[admitted[j].Index] = reconciled[j];
        }

        return outcomes;
    }

    /// <summary>Admits one request and stores it (labelled with its Promise, keeping the status of the one it replaces).</summary>
    private (Promise Promise, ResourceRequest Request) Store(RequestSubmission submission, CancellationToken cancellationToken)
    {
        var (request, promise, crd, result) = Admit(submission.Request.DeepClone().AsObject(), submission.Source, submission.FieldValidation, submission.AllowUpdate);
        ThrowIfInvalid(request, result, submission.Source);
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
            if (!Delete(promise, new ResourceRequest(existing), cancellationToken))
            {
                throw BeingDeleted(crd.Names.Kind, request);
            }

            existing = null;
        }

        if (existing is not null && !submission.AllowUpdate)
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
        if (existing is null)
        {
            HealthRecordController.FoldInto(context, request);
        }

        context.Save(type, request);
        return (promise, new ResourceRequest(context.Store.Get(type, request.Namespace, request.Name)!));
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
        var items = List(promise).Select(r => (promise, r, fromStart)).ToList();
        if (items.Count == 0)
        {
            return;
        }

        foreach (var outcome in ReconcileMany(items, cancellationToken, $"Reconciling the requests of Promise \"{promise.Name}\""))
        {
            outcome.RequestOrThrow();
        }
    }

    /// <summary>Re-runs a request's configure workflow from the start (Sync-KratixRequest).</summary>
    public ResourceRequest Sync(Promise promise, string ns, string name, CancellationToken cancellationToken) =>
        Reconcile(promise, Get(promise, ns, name) ?? throw NotFound(promise, ns, name), cancellationToken, force: true);

    public ResourceRequest Reconcile(Promise promise, ResourceRequest request, CancellationToken cancellationToken, bool force = false) =>
        ReconcileMany([(promise, request, force)], cancellationToken)[0].RequestOrThrow();

    /// <summary>
    /// Reconciles requests in upstream's order (behaviour.md 5.2), together: the configure workflows that are due run
    /// side by side (<see cref="WorkflowController.RunAll"/>), what they produced is kept one request at a time, their
    /// files are written in one batch per state store, and only then does each request's status say whether its Works
    /// are Ready. An item's Force re-runs its workflow from the start. A request that fails gets its error; the
    /// others go on. Each step is a stage of <paramref name="activity"/> (nested in the activity under way, if any), or,
    /// without one, of the activity under way.
    /// </summary>
    public IReadOnlyList<RequestOutcome> ReconcileMany(IReadOnlyList<(Promise Promise, ResourceRequest Request, bool Force)> items, CancellationToken cancellationToken, string? activity = null)
    {
        var outcomes = new RequestOutcome[items.Count];
        var ended = new bool[items.Count];
        var revisions = new Revisions(context);
        var outer = _revisions;
        _revisions = revisions;
        var bound = items.Select(i => i.Promise).ToArray(); // Each request's Promise at its bound revision.
        var runs = new List<(int Index, ConfigureRun Run)>();
        using var progress = activity is null ? null : context.Progress.Begin(activity);
        works.BeginBatch();
        try
        {
            var stage = context.Progress.Stage("Checking which workflows are due", items.Count);
            for (var i = 0; i < items.Count; i++)
            {
                var (promise, request, force) = items[i];
                var index = i;
                outcomes[i] = Attempt(request, () =>
                {
                    (promise, force) = revisions.Bind(promise, request, force);
                    bound[index] = promise;
                    if (!Begin(promise, request, force, out var run))
                    {
                        return;
                    }

                    if (run is not null)
                    {
                        runs.Add((index, run));
                        return;
                    }

                    End(promise, request);
                    ended[index] = true;
                });
                stage.Advance(Describe(request));
            }

            var results = workflows.RunAll(runs.Select(r => r.Run).ToList(), cancellationToken);
            stage = runs.Count == 0 ? ProgressStage.None : context.Progress.Stage("Keeping what the workflows made", runs.Count);
            for (var j = 0; j < runs.Count; j++)
            {
                var (index, run) = runs[j];
                var (result, error) = results[j];
                outcomes[index] = Attempt((ResourceRequest)run.Object, () =>
                {
                    if (error is not null)
                    {
                        System.Runtime.ExceptionServices.ExceptionDispatchInfo.Throw(error);
                    }

                    workflows.Finish(run, result!, cancellationToken);
                    End(run.Promise, (ResourceRequest)run.Object);
                    ended[index] = true;
                });
                stage.Advance(Describe(run.Object));
            }

            works.FlushBatch(cancellationToken);
            stage = context.Progress.Stage("Saving the requests' status", items.Count);
            for (var i = 0; i < items.Count; i++)
            {
                if (ended[i] && outcomes[i].Error is null)
                {
                    var (promise, request) = (bound[i], items[i].Request);
                    outcomes[i] = Attempt(request, () =>
                    {
                        AfterWrites(promise, request);
                        revisions.RecordOutcome(promise, request, promise.PromiseVersion);
                    });
                }

                stage.Advance(Describe(items[i].Request));
            }
        }
        finally
        {
            works.AbandonBatch();
            _revisions = outer;
        }

        return outcomes;
    }

    /// <summary>
    /// The part of a reconcile before the workflow: false when the request is done with (being deleted, paused, its
    /// Promise unavailable); otherwise <paramref name="run"/> is the configure workflow when it is due.
    /// </summary>
    private bool Begin(Promise promise, ResourceRequest request, bool force, out ConfigureRun? run)
    {
        run = null;
        var type = context.RequestTypeOf(context.ApiOf(promise)!);
        var conditions = request.Conditions;
        if (request.IsBeingDeleted)
        {
            return false; // Its removal finishes it (Remove-KratixRequest, Sync-KratixPlatform); nothing to reconcile.
        }

        if (promise.GetLabel(KratixApi.PausedLabel) == "true" || request.GetLabel(KratixApi.PausedLabel) == "true")
        {
            conditions.Set(Reasons.Reconciled, Condition.Unknown, Reasons.PausedReconciliation, "Paused", context.Now);
            context.Save(type, request);
            return false;
        }

        if (promise.Status.GetString("status") != Reasons.StatusAvailable)
        {
            request.Status["message"] = "Pending";
            conditions.Set(Reasons.PromiseAvailable, Condition.False, Reasons.PromiseRequirementsNotInstalled, Reasons.PromiseRequirementsNotInstalledMessage, context.Now);
            context.Log.Warning($"{request.Kind} \"{request.Name}\": Promise \"{promise.Name}\" is not available, so the request waits (Pending).");
            context.Save(type, request);
            return false;
        }

        if (conditions.Get(Reasons.PromiseAvailable) is { Status: Condition.False })
        {
            conditions.Set(Reasons.PromiseAvailable, Condition.True, Reasons.PromiseAvailableReason, Reasons.PromiseRequirementsMetMessage, context.Now);
        }

        if (promise.Workflows("resource", "configure").Count > 0)
        {
            // Unpausing forces a rerun, as upstream.
            var unpaused = conditions.Get(Reasons.Reconciled)?.Reason == Reasons.PausedReconciliation;
            run = workflows.Plan(promise, request, force || unpaused);
        }

        return true;
    }

    /// <summary>The part of a reconcile after the workflow (or when none was due): the status upstream reports, saved by <see cref="AfterWrites"/>.</summary>
    private void End(Promise promise, ResourceRequest request)
    {
        var conditions = request.Conditions;
        if (promise.Workflows("resource", "configure").Count == 0)
        {
            // Upstream zeroes the counters and makes no Work when there is nothing to run.
            request.Status["workflows"] = 0;
            request.Status["workflowsSucceeded"] = 0;
            request.Status["workflowsFailed"] = 0;
            request.Status.GetOrAddObject("kratix").GetOrAddObject("workflows")["pipelines"] = new JsonArray();
        }
        else if (conditions.Get(Reasons.ConfigureWorkflowCompleted) is { IsTrue: true })
        {
            // WorksSucceeded and Reconciled wait for the batch's write (AfterWrites). Upstream keeps the completion time
            // twice: the legacy top-level field and under kratix.workflows.
            var completedAt = Timestamps.Format(conditions.Get(Reasons.ConfigureWorkflowCompleted)!.LastTransitionTime);
            request.Status["lastSuccessfulConfigureWorkflowTime"] = completedAt;
            request.Status.GetOrAddObject("kratix").GetOrAddObject("workflows")["lastSuccessfulConfigureWorkflowTime"] = completedAt;
        }
        else if (conditions.Get(Reasons.ConfigureWorkflowCompleted)?.Reason == WorkflowController.WorkflowRuntimeUnavailable)
        {
            request.Status["message"] = "Pending";
            conditions.Set(Reasons.Reconciled, Condition.Unknown, Reasons.WorkflowPending, "Pending", context.Now);
        }

        request.Status["observedGeneration"] = request.Generation;
        if (conditions.Get(Reasons.ConfigureWorkflowCompleted) is not { Status: Condition.False, Reason: not WorkflowController.WorkflowRuntimeUnavailable } || promise.Workflows("resource", "configure").Count == 0)
        {
            // As upstream, a failed workflow leaves the version the request last ran, so the binding shows the failed upgrade.
            request.Status["promiseVersion"] = promise.PromiseVersion;
            request.Status["resourceBindingVersion"] = (_revisions ?? new Revisions(context)).BindingOf(promise.Name, request.Namespace!, request.Name)?.Spec.GetString("version") ?? Objects.Versioning.Latest;
        }
    }

    /// <summary>
    /// Once the batch's files are written: WorksSucceeded and Reconciled from the Works' fresh status, and the request
    /// saved, which makes its workflow run count as done (a crash before this runs the workflow again).
    /// </summary>
    private void AfterWrites(Promise promise, ResourceRequest request)
    {
        if (promise.Workflows("resource", "configure").Count > 0 && request.Conditions.Get(Reasons.ConfigureWorkflowCompleted) is { IsTrue: true })
        {
            workflows.UpdateWorksAndReconciled(request, workflows.WorksOf(promise, request));
        }

        context.Save(context.RequestTypeOf(context.ApiOf(promise)!), request);
        workflows.Saved(promise, request);
    }

    /// <summary>Runs one request's step; its KratixException becomes its outcome, anything else stops the whole operation.</summary>
    private static RequestOutcome Attempt(ResourceRequest request, Action step)
    {
        try
        {
            step();
            return new RequestOutcome(request, null);
        }
        catch (KratixException ex)
        {
            return new RequestOutcome(request, ex);
        }
    }

    public void Delete(Promise promise, string ns, string name, CancellationToken cancellationToken)
    {
        var request = Get(promise, ns, name) ?? throw NotFound(promise, ns, name);
        Delete(promise, request, cancellationToken);
    }

    /// <summary>Removes every request of the Promise; false when some stay because their delete workflow suspended.</summary>
    public bool DeleteAllOf(Promise promise, CancellationToken cancellationToken, bool onlyWhenDue = false)
    {
        var all = true;
        foreach (var request in List(promise))
        {
            all &= Delete(promise, request, cancellationToken, onlyWhenDue);
        }

        return all;
    }

    /// <summary>
    /// Removes a request: its delete pipeline, then (marked for deletion from then on, so that an interrupted removal is
    /// finished by the next one, or by Sync-KratixPlatform, without running the pipeline again) its Works and their
    /// files, its run records, and the request. When the delete pipeline suspends, the request stays, marked for
    /// deletion, until a later call resumes it; with <paramref name="onlyWhenDue"/> (Sync-KratixPlatform) a suspended
    /// delete pipeline resumes only once its retry time has come or its suspended label is gone. Returns false when the
    /// request stays.
    /// </summary>
    public bool Delete(Promise promise, ResourceRequest request, CancellationToken cancellationToken, bool onlyWhenDue = false)
    {
        var type = context.RequestTypeOf(context.ApiOf(promise)!);
        var pending = WorkflowController.DeleteWorkflowPending(request);
        if (pending && onlyWhenDue && !workflows.DeleteWorkflowDue(request))
        {
            context.Log.Verbose($"{request.Kind} \"{request.Namespace}/{request.Name}\": its resource.delete workflow is suspended and not due to resume; it stays.");
            return false;
        }

        if (!request.IsBeingDeleted || pending)
        {
            switch (workflows.Delete(promise, request, cancellationToken))
            {
                case DeleteOutcome.Failed:
                    context.Save(type, request);
                    throw new KratixException(
                        "RequestDeleteWorkflowFailed",
                        KratixErrorCategory.InvalidOperation,
                        $"{request.Kind} \"{request.Namespace}/{request.Name}\" was not removed: its resource.delete workflow did not complete ({request.Conditions.Get(Reasons.DeleteWorkflowCompleted)?.Message}). Fix the pipeline and remove it again.",
                        request.Name);
                case DeleteOutcome.Suspended:
                    workflows.KeepForDeletion(type, request);
                    return false;
            }

            if (pending)
            {
                workflows.DeleteWorkflowDone(type, request);
            }
            else
            {
                context.Store.MarkDeleting(type, request.Namespace, request.Name);
            }

            context.Store.Commit(); // The mark is durable before anything of the request is removed.
            CrashPoints.Hit(CrashPoints.DeletionMarked);
        }

        foreach (var work in workflows.WorksOf(promise, request))
        {
            works.Delete(work, cancellationToken);
        }

        workflows.Forget(promise, request);
        context.Delete(type, request.Namespace, request.Name);
        new Revisions(context).DeleteBindingOf(promise.Name, request.Namespace!, request.Name); // upstream's resource-binding-cleanup
        return true;
    }

    private static KratixException BeingDeleted(string kind, KubeObject request) => new(
        "RequestBeingDeleted",
        KratixErrorCategory.ResourceUnavailable,
        $"{kind} \"{request.Namespace}/{request.Name}\" is being removed: its resource.delete workflow suspended. It can be submitted again once its removal finishes (Sync-KratixPlatform resumes the workflow when it is due; Remove-KratixRequest resumes it now).",
        request.Name);

    private static string Describe(KubeObject request) => $"{request.Kind} {request.Namespace}/{request.Name}";

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

        throw AdmissionException.ForRequest(request.Kind, request.Name, result, source);
    }
}
