using System.Diagnostics;
using Kratix.Objects;

namespace Kratix.Platforms.Embedded;

/// <summary>
/// Sync-KratixPlatform: re-drives every object to its desired state, in an order where each step reads what the steps
/// before it repaired. It repairs what a process killed half-way through an operation left (docs/state-stores.md,
/// "Recovery") and is idempotent: with nothing to repair it runs no pipeline and makes no commit.
/// <list type="number">
/// <item>Leftovers: temporary files of interrupted writes under <c>objects/</c> and <c>workflows/</c>, and the pipeline
/// workspaces of runs that never finished (under the platform lock, nothing else can be using them).</item>
/// <item>State stores (the permission check, Ready) and Destinations (the canary documents, Ready).</item>
/// <item>Deletions a crash interrupted (objects marked with a deletionTimestamp): finished, without running the delete
/// pipeline again.</item>
/// <item>Works whose Promise or request is gone, and WorkPlacements whose Work is gone: removed with their files.</item>
/// <item>Every Work: rescheduled, and every placement written again in one batch per state store; only what the store
/// lacks becomes a commit.</item>
/// <item>Promises (requirements first) and then requests: reconciled, their configure workflows run only when due
/// (spec changed, never completed or never saved, manual reconciliation, a suspension whose retry time has come), or
/// from the start when a completed workflow's Work is missing. Works come before their owners so that the owners'
/// WorksSucceeded and Reconciled conditions read the Works' fresh status.</item>
/// <item>What placements on platform Destinations hold is applied to the platform again.</item>
/// </list>
/// </summary>
internal sealed partial class PlatformSync(
    PlatformContext context,
    WorkController works,
    WorkflowController workflows,
    PromiseController promises,
    RequestController requests,
    DestinationController destinations,
    StateStoreController stateStores)
{
    private readonly List<string> _failures = [];

    /// <param name="drain">Applies what platform Destinations received (<see cref="PlatformApplier"/>), so that the summary counts it.</param>
    /// <param name="cancellationToken">Stops the sync between steps, and any pipeline or git process under way.</param>
    public PlatformSyncSummary Run(Action<CancellationToken> drain, CancellationToken cancellationToken)
    {
        var started = Stopwatch.GetTimestamp();
        context.Stats.Reset();
        using var activity = context.Progress.Begin("Syncing the platform");
        context.Progress.Stage("Removing what interrupted commands left");
        var leftovers = RemoveLeftovers();

        var storeCount = 0;
        var stores = RewriteStateStores ? stateStores.List() : [];
        var stage = context.Progress.Stage("Checking state stores", stores.Count);
        foreach (var store in stores)
        {
            storeCount++;
            Guard($"{store.Kind} \"{store.Name}\"", () =>
            {
                var checkedStore = stateStores.Reconcile(store, cancellationToken);
                if (!StateStoreController.IsReady(checkedStore))
                {
                    Fail($"{store.Kind} \"{store.Name}\"", checkedStore.Conditions.Get(Reasons.Ready)?.Message);
                }
            });
            stage.Advance($"{store.Kind} \"{store.Name}\"");
        }

        var destinationCount = 0;
        var allDestinations = RewriteStateStores ? context.Destinations() : [];
        stage = context.Progress.Stage("Checking Destinations", allDestinations.Count);
        foreach (var destination in allDestinations)
        {
            destinationCount++;
            Guard($"Destination \"{destination.Name}\"", () =>
            {
                var checkedDestination = destinations.Reconcile(destination, cancellationToken);
                if (!checkedDestination.Conditions.IsTrue(Reasons.Ready))
                {
                    Fail($"Destination \"{destination.Name}\"", checkedDestination.Conditions.Get(Reasons.Ready)?.Message);
                }
            });
            stage.Advance($"Destination \"{destination.Name}\"");
        }

        context.Progress.Stage("Finishing interrupted removals");
        var deletions = FinishDeletions(cancellationToken);
        context.Progress.Stage("Removing Works and WorkPlacements whose owner is gone");
        RemoveOrphanedWorks(cancellationToken);
        Guard("WorkPlacements", () => works.RemoveOrphanedPlacements(cancellationToken));
        var workCount = 0;
        Guard("Works", () => workCount = RewriteStateStores ? works.ResyncAll(cancellationToken) : ReconcileUnreadyWorks(cancellationToken));

        var promiseCount = 0;
        var ordered = InRequirementOrder(context.Promises());
        stage = context.Progress.Stage("Reconciling Promises", ordered.Count);
        foreach (var promise in ordered)
        {
            promiseCount++;
            var what = $"Promise \"{promise.Name}\"";
            Guard(what, () =>
            {
                if (context.Promise(promise.Name) is not { IsBeingDeleted: false } current)
                {
                    return;
                }

                var reconciled = promises.Reconcile(current, cancellationToken, force: workflows.WorksMissing(current, current));
                FailIfNotReconciled(what, reconciled);
            });
            stage.Advance(what);
        }

        var requestCount = 0;
        var serving = context.Promises().Where(p => !p.IsBeingDeleted).ToList();
        stage = context.Progress.Stage("Reconciling requests, one Promise at a time", serving.Count);
        foreach (var promise in serving)
        {
            // A Promise's requests together: the workflows due run side by side, and what they write is one batch.
            Guard($"The requests of Promise \"{promise.Name}\"", () =>
            {
                var items = requests.List(promise).Select(r => (promise, r, workflows.WorksMissing(promise, r))).ToList();
                requestCount += items.Count;
                foreach (var outcome in requests.ReconcileMany(items, cancellationToken, $"The requests of Promise \"{promise.Name}\""))
                {
                    var what = $"{outcome.Request!.Kind} \"{outcome.Request.Namespace}/{outcome.Request.Name}\"";
                    if (outcome.Error is { } error)
                    {
                        Fail(what, error.Message);
                        context.Log.Warning($"{what}: {error.Message}");
                    }
                    else
                    {
                        FailIfNotReconciled(what, outcome.Request);
                    }
                }
            });
            stage.Advance($"Promise \"{promise.Name}\"");
        }

        // What placements on platform Destinations carry is applied to this platform, as their agent would (again, for
        // placements written before a crash and never applied).
        context.Progress.Stage("Applying what platform Destinations hold");
        Guard("Platform Destinations", () => drain(cancellationToken));

        foreach (var work in works.Works().Where(w => w.Conditions.Get(Reasons.Ready) is { Status: Condition.False, Reason: Reasons.WorkplacementsFailing }))
        {
            Fail($"Work \"{work.Namespace}/{work.Name}\"", work.Conditions.Get(Reasons.ScheduleSucceeded)?.Message);
        }

        return new PlatformSyncSummary
        {
            StateStores = storeCount,
            Destinations = destinationCount,
            Promises = promiseCount,
            Requests = requestCount,
            Works = workCount,
            PipelinesRun = context.Stats.PipelinesRun,
            PlacementsWritten = context.Stats.PlacementsWritten,
            PlacementsRemoved = context.Stats.PlacementsRemoved,
            WorksRemoved = context.Stats.WorksRemoved,
            DeletionsFinished = deletions,
            LeftoversRemoved = leftovers,
            Failures = _failures.ToList(),
            Duration = Stopwatch.GetElapsedTime(started),
            StateStoresRewritten = RewriteStateStores,
            NextReconcile = NextDue(),
        };
    }

    /// <summary>Temporary files of interrupted atomic writes, and workspaces of pipelines that never finished.</summary>
    private int RemoveLeftovers()
    {
        var home = context.Options.Home;
        var removed = AtomicFile.RemoveLeftovers(Path.Combine(home, "objects")) + AtomicFile.RemoveLeftovers(Path.Combine(home, "workflows"));
        if (context.Options.Workflows.WorkspaceRoot is { } root && Directory.Exists(root))
        {
            foreach (var workspace in Directory.EnumerateDirectories(root).ToList())
            {
                try
                {
                    Directory.Delete(workspace, recursive: true);
                    removed++;
                }
                catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
                {
                    // Files a rootless container left under another user id: reclaimed with the temporary directory.
                    context.Log.Warning($"The workspace of an interrupted pipeline run could not be removed: {workspace}: {ex.Message}");
                }
            }
        }

        if (removed > 0)
        {
            context.Log.Verbose($"Removed {removed} temporary file(s) and pipeline workspace(s) that interrupted commands left.");
        }

        return removed;
    }

    /// <summary>Removals and uninstalls that began (the delete pipeline succeeded) but were interrupted.</summary>
    private int FinishDeletions(CancellationToken cancellationToken)
    {
        var finished = 0;
        foreach (var promise in context.Promises().Where(p => p.IsBeingDeleted))
        {
            Guard($"Promise \"{promise.Name}\"", () =>
            {
                context.Log.Verbose($"Promise \"{promise.Name}\": finishing its uninstall.");
                if (promises.Uninstall(promise.Name, cancellationToken, onlyWhenDue: true))
                {
                    finished++;
                }
            });
        }

        foreach (var promise in context.Promises())
        {
            foreach (var request in requests.List(promise).Where(r => r.IsBeingDeleted))
            {
                Guard($"{request.Kind} \"{request.Namespace}/{request.Name}\"", () =>
                {
                    context.Log.Verbose($"{request.Kind} \"{request.Namespace}/{request.Name}\": finishing its removal.");
                    if (requests.Delete(promise, request, cancellationToken, onlyWhenDue: true))
                    {
                        finished++;
                    }
                });
            }
        }

        return finished;
    }

    /// <summary>Works whose Promise, or whose request, is gone (a removal interrupted before its Works went), with their placements and files.</summary>
    private void RemoveOrphanedWorks(CancellationToken cancellationToken)
    {
        foreach (var work in works.Works())
        {
            if (OwnerOf(work) is not null)
            {
                continue;
            }

            Guard($"Work \"{work.Namespace}/{work.Name}\"", () =>
            {
                context.Log.Verbose($"Work {work.Namespace}/{work.Name}: the object it was made for is gone; removing it and its files.");
                works.Delete(work, cancellationToken);
            });
        }
    }

    /// <summary>The Promise or request a Work was made for, by upstream's labels; null when it is gone. Works without those labels are left alone.</summary>
    private KubeObject? OwnerOf(Work work)
    {
        if (work.GetLabel(KratixApi.PromiseNameLabel) is not { } promiseName)
        {
            return work;
        }

        var promise = context.Promise(promiseName);
        if (promise is null || work.WorkType != KratixApi.WorkTypeResource)
        {
            return promise;
        }

        if (work.GetLabel(KratixApi.ResourceNameLabel) is not { } name)
        {
            return work;
        }

        var ns = work.GetLabel(KratixApi.ResourceNamespaceLabel) ?? work.Namespace;
        return context.ApiOf(promise) is { } crd && context.Store.Get(context.RequestTypeOf(crd), ns, name) is { } request
            ? new ResourceRequest(request)
            : null;
    }

    /// <summary>Promises after the Promises they require (as far as those are installed); otherwise by name.</summary>
    private static List<Promise> InRequirementOrder(IReadOnlyList<Promise> all)
    {
        var byName = all.ToDictionary(p => p.Name, StringComparer.Ordinal);
        var ordered = new List<Promise>();
        var visited = new HashSet<string>(StringComparer.Ordinal);

        void Visit(Promise promise)
        {
            if (!visited.Add(promise.Name))
            {
                return;
            }

            foreach (var required in promise.RequiredPromises)
            {
                if (byName.TryGetValue(required.Name, out var requiredPromise))
                {
                    Visit(requiredPromise);
                }
            }

            ordered.Add(promise);
        }

        foreach (var promise in all)
        {
            Visit(promise);
        }

        return ordered;
    }

    private void FailIfNotReconciled(string what, KubeObject obj)
    {
        if (obj.Conditions.Get(Reasons.Reconciled) is { Status: Condition.False } reconciled)
        {
            var detail = obj.Conditions.Get(Reasons.ConfigureWorkflowCompleted) is { Status: Condition.False } workflow ? workflow.Message
                : obj.Conditions.Get(Reasons.WorksSucceeded) is { Status: Condition.False } worksCondition ? worksCondition.Message
                : reconciled.Message;
            Fail(what, detail);
        }
    }

    private void Fail(string what, string? why) => _failures.Add($"{what}: {why ?? "not ready"}");

    private void Guard(string what, Action action)
    {
        try
        {
            action();
        }
        catch (KratixException ex)
        {
            Fail(what, ex.Message);
            context.Log.Warning($"{what}: {ex.Message}");
        }
    }
}
