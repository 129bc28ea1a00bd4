using Kratix.Objects;
using Kratix.Pipelines;

namespace Kratix.Platforms.Embedded;

/// <summary>
/// What a sync does for reconciling over time: a pass that does not rewrite the state stores (a continuous sync between
/// two rewrites) still reconciles every Promise and request, whose configure workflows run when their interval has
/// passed, and retries the Works that are not Ready; and every pass says when something is next due.
/// </summary>
internal sealed partial class PlatformSync
{
    /// <summary>
    /// Whether to check state stores and Destinations and write every WorkPlacement again (upstream's WorkPlacement
    /// requeue at stateStoreReconciliationInterval, which corrects drift). True for a plain sync.
    /// </summary>
    public bool RewriteStateStores { get; init; } = true;

    /// <summary>Reconciles the Works that are not Ready (unscheduled, or a write failed), as upstream requeues them; returns how many.</summary>
    private int ReconcileUnreadyWorks(CancellationToken cancellationToken)
    {
        var unready = works.Works().Where(w => !w.Conditions.IsTrue(Reasons.Ready)).ToList();
        works.BeginBatch();
        try
        {
            foreach (var work in unready)
            {
                works.Reconcile(work, cancellationToken);
            }

            works.FlushBatch(cancellationToken);
        }
        finally
        {
            works.AbandonBatch();
        }

        return unready.Count;
    }

    /// <summary>The earliest time something becomes due on its own (see <see cref="PlatformSyncSummary.NextReconcile"/>).</summary>
    private DateTimeOffset? NextDue()
    {
        var options = context.Options.Reconciliation;
        DateTimeOffset? next = RewriteStateStores && options.StateStoreInterval > TimeSpan.Zero ? context.Now + options.StateStoreInterval : null;
        void Consider(DateTimeOffset? at)
        {
            if (at is { } time && (next is null || time < next))
            {
                next = time;
            }
        }

        void ConsiderObject(Promise promise, KubeObject obj, string type, TimeSpan interval)
        {
            if (obj.IsBeingDeleted)
            {
                if (WorkflowController.DeleteWorkflowPending(obj) && obj.GetLabel(KratixApi.WorkflowSuspendedLabel) == "true")
                {
                    Consider(WorkflowStatus.NextRetryAt(obj.Status));
                }

                return;
            }

            if (promise.Workflows(type, WorkflowTypes.Configure).Count == 0)
            {
                return;
            }

            if (obj.GetLabel(KratixApi.WorkflowSuspendedLabel) == "true")
            {
                Consider(WorkflowStatus.NextRetryAt(obj.Status));
                return;
            }

            Consider(ReconciliationSchedule.NextRun(obj.Conditions.Get(Reasons.ConfigureWorkflowCompleted), interval, options.ReconcileAfterFailure, workflows.LastConfigureRun(promise, obj)));
        }

        foreach (var promise in context.Promises())
        {
            var (interval, _) = ReconciliationSchedule.IntervalOf(promise, options.Interval);
            ConsiderObject(promise, promise, WorkflowTypes.Promise, interval);
            if (context.ApiOf(promise) is null)
            {
                continue;
            }

            foreach (var request in requests.List(promise))
            {
                ConsiderObject(promise, request, WorkflowTypes.Resource, interval);
            }
        }

        return next;
    }
}
