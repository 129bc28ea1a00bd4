using System.Text.Json.Nodes;
using Kratix.Objects;
using Kratix.Pipelines;

namespace Kratix.Platforms.Embedded;

/// <summary>How a delete workflow ended.</summary>
internal enum DeleteOutcome
{
    /// <summary>Succeeded, or there is none (or no runtime to run it): the deletion goes on.</summary>
    Completed,

    /// <summary>Failed: the object stays as it was, and the error says so.</summary>
    Failed,

    /// <summary>Suspended (workflow-control.yaml): the object stays, marked for deletion, until the workflow resumes and completes.</summary>
    Suspended,
}

/// <summary>
/// What reconciling over time adds to the workflow controller: configure workflows that run again once their interval
/// has passed (upstream's periodic reconcile and reconcileAfterFailure), and delete workflows that suspend and resume
/// (upstream keeps the object, its <c>kratix.io/delete-workflows</c> finalizer still on it, until the delete pipeline
/// completes).
/// </summary>
internal sealed partial class WorkflowController
{
    /// <summary>
    /// True when the object's configure workflow is due to run again from the start because its interval has passed
    /// since it completed (or failed, with reconcileAfterFailure): upstream then labels the object
    /// <c>kratix.io/manual-reconciliation</c>, which this stands for.
    /// </summary>
    private bool PeriodicRunDue(Promise promise, KubeObject obj)
    {
        var type = obj is Promise ? WorkflowTypes.Promise : WorkflowTypes.Resource;
        if (promise.Workflows(type, WorkflowTypes.Configure).Count == 0)
        {
            return false;
        }

        var options = context.Options.Reconciliation;
        var (interval, source) = ReconciliationSchedule.IntervalOf(promise, options.Interval);
        var completed = obj.Conditions.Get(Reasons.ConfigureWorkflowCompleted);
        if (!ReconciliationSchedule.IsDue(completed, interval, options.ReconcileAfterFailure, context.Now, LastConfigureRun(promise, obj)))
        {
            return false;
        }

        context.Log.Verbose($"{Describe(obj)}: its {type}.configure workflow {(completed!.IsTrue ? "completed" : "failed")} at {Timestamps.Format(completed.LastTransitionTime)}, "
            + $"more than {ReconciliationSchedule.Format(interval)} ago (the interval, from the {Describe(source)}); running it again from the start.");
        return true;
    }

    /// <summary>When the object's last configure run finished, from its run record; null when none is recorded.</summary>
    public DateTimeOffset? LastConfigureRun(Promise promise, KubeObject obj) =>
        Timestamps.Parse(_runs.FinishedAt(obj is Promise ? WorkflowTypes.Promise : WorkflowTypes.Resource, WorkflowTypes.Configure, promise.Name, obj.Namespace, obj.Name));

    /// <summary>True when the object's deletion waits for its delete workflow, which suspended.</summary>
    public static bool DeleteWorkflowPending(KubeObject obj) =>
        obj.IsBeingDeleted && obj.Metadata["finalizers"] is JsonArray finalizers
            && finalizers.Any(f => f?.ToString() == KratixApi.DeleteWorkflowsFinalizer);

    /// <summary>
    /// True when a suspended delete workflow may resume without being asked: its <c>kratix.io/workflow-suspended</c>
    /// label is gone, or its retry time has come.
    /// </summary>
    public bool DeleteWorkflowDue(KubeObject obj) =>
        DeleteWorkflowPending(obj)
        && obj.Conditions.Get(Reasons.DeleteWorkflowCompleted)?.Reason != Reasons.DeleteWorkflowFailed // as upstream: a failed delete Job is not retried on its own
        && (obj.GetLabel(KratixApi.WorkflowSuspendedLabel) != "true" || WorkflowStatus.NextRetryAt(obj.Status) <= context.Now);

    /// <summary>
    /// Keeps an object whose delete workflow suspended: saved with the workflow's status and labels, the
    /// <c>kratix.io/delete-workflows</c> finalizer and a deletionTimestamp, so that it is no longer reconciled and a later
    /// sync resumes the workflow.
    /// </summary>
    public void KeepForDeletion(ResourceType type, KubeObject obj)
    {
        if (obj.Metadata["finalizers"] is not JsonArray finalizers)
        {
            finalizers = [];
            obj.Metadata["finalizers"] = finalizers;
        }

        if (!finalizers.Any(f => f?.ToString() == KratixApi.DeleteWorkflowsFinalizer))
        {
            finalizers.Add(KratixApi.DeleteWorkflowsFinalizer);
        }

        context.Save(type, obj);
        context.Store.MarkDeleting(type, obj.Namespace, obj.Name);
        context.Store.Commit();
    }

    /// <summary>Takes the <c>kratix.io/delete-workflows</c> finalizer off once the delete workflow completed; returns the object as stored.</summary>
    public KubeObject DeleteWorkflowDone(ResourceType type, KubeObject obj)
    {
        if (obj.Metadata["finalizers"] is JsonArray finalizers)
        {
            foreach (var entry in finalizers.Where(f => f?.ToString() == KratixApi.DeleteWorkflowsFinalizer).ToList())
            {
                finalizers.Remove(entry);
            }

            if (finalizers.Count == 0)
            {
                obj.Metadata.Remove("finalizers");
            }
        }

        context.Save(type, obj);
        return obj;
    }

    private static string Describe(IntervalSource source) => source switch
    {
        IntervalSource.Annotation => $"{KratixApi.ReconciliationIntervalAnnotation} annotation",
        IntervalSource.Revision => "Promise's spec.workflows.config.reconciliationInterval",
        _ => "platform's reconciliationInterval",
    };
}
