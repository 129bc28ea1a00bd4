using Kratix.Objects;
using Kratix.Pipelines;

namespace Kratix.Platforms.Embedded;

/// <summary>Where a Promise's reconciliation interval came from, with upstream's names (ReconciliationIntervalSource).</summary>
public enum IntervalSource
{
    /// <summary>The <c>kratix.io/reconciliation-interval</c> annotation.</summary>
    Annotation,

    /// <summary><c>spec.workflows.config.reconciliationInterval</c>.</summary>
    Revision,

    /// <summary>The platform's <c>reconciliationInterval</c>.</summary>
    GlobalDefault,
}

/// <summary>
/// When a configure workflow is due to run again on its own, as upstream decides it (PromiseRevision.ReconciliationInterval,
/// passedReconciliationInterval, shouldForcePipelineRun): once the interval has passed since ConfigureWorkflowCompleted
/// last changed, if it completed, or if it failed and reconcileAfterFailure is on. A suspended or running workflow is
/// never due this way.
/// </summary>
public static class ReconciliationSchedule
{
    /// <summary>
    /// The interval of the Promise's workflows: a valid annotation of at least a minute, else the spec's
    /// <c>workflows.config.reconciliationInterval</c>, else <paramref name="fallback"/>. Upstream reads the annotation and
    /// the spec from the PromiseRevision a request is bound to (the latest, for the Promise itself); a request's workflows
    /// are given the Promise as its revision defines it (<c>Revisions.AtRevision</c>: the revision's spec and its mirrored
    /// annotation), the Promise's own workflows the live Promise, which its latest revision mirrors.
    /// </summary>
    public static (TimeSpan Interval, IntervalSource Source) IntervalOf(KubeObject promiseOrRevision, JsonSpec spec, TimeSpan fallback)
    {
        if (AnnotatedInterval(promiseOrRevision) is { } annotated)
        {
            return (annotated, IntervalSource.Annotation);
        }

        return spec.ReconciliationInterval is { } declared ? (declared, IntervalSource.Revision) : (fallback, IntervalSource.GlobalDefault);
    }

    /// <summary>The kratix.io/reconciliation-interval annotation's interval, when it is a duration of at least a minute; else null.</summary>
    public static TimeSpan? AnnotatedInterval(KubeObject promiseOrRevision) =>
        promiseOrRevision.GetAnnotation(KratixApi.ReconciliationIntervalAnnotation) is { } raw
        && GoDuration.TryParse(raw, out var annotated) && annotated >= ReconciliationOptions.MinimumInterval
            ? annotated
            : null;

    /// <summary>The interval of a Promise's workflows, from the Promise as given (live, or as a revision defines it).</summary>
    public static (TimeSpan Interval, IntervalSource Source) IntervalOf(Promise promise, TimeSpan fallback) =>
        IntervalOf(promise, new JsonSpec(promise.Spec), fallback);

    /// <summary>
    /// When the configure workflow whose ConfigureWorkflowCompleted condition is <paramref name="completed"/> next runs on
    /// its own; null when it never does (not run yet, in progress, suspended, or failed with reconcileAfterFailure off).
    /// Upstream counts from the condition's last transition and, having requeued the object at the interval, reruns a
    /// failed workflow once per interval; a rerun that fails again leaves the condition False without a transition, so
    /// <paramref name="lastRun"/> (when the last run finished) counts too, to keep it once per interval here as well.
    /// </summary>
    public static DateTimeOffset? NextRun(Condition? completed, TimeSpan interval, bool reconcileAfterFailure, DateTimeOffset? lastRun = null)
    {
        if (completed is null)
        {
            return null;
        }

        var rerun = completed.IsTrue || (reconcileAfterFailure && completed.Status == Condition.False && completed.Reason == Reasons.ConfigureWorkflowFailed);
        var since = lastRun is { } run && run > completed.LastTransitionTime ? run : completed.LastTransitionTime;
        return rerun ? since + interval : null;
    }

    /// <summary>True when <see cref="NextRun"/> has passed: strictly more than the interval since, as upstream compares.</summary>
    public static bool IsDue(Condition? completed, TimeSpan interval, bool reconcileAfterFailure, DateTimeOffset now, DateTimeOffset? lastRun = null) =>
        NextRun(completed, interval, reconcileAfterFailure, lastRun) is { } next && now > next;

    /// <summary>A duration as Go prints it (time.Duration.String), e.g. 10h0m0s, 1m30s.</summary>
    public static string Format(TimeSpan duration)
    {
        if (duration == TimeSpan.Zero)
        {
            return "0s";
        }

        var hours = (long)duration.TotalHours;
        var seconds = duration.TotalSeconds - (hours * 3600) - (duration.Minutes * 60);
        var text = seconds.ToString("0.#########", System.Globalization.CultureInfo.InvariantCulture) + "s";
        return hours > 0 ? $"{hours}h{duration.Minutes}m{text}" : duration.Minutes > 0 ? $"{duration.Minutes}m{text}" : text;
    }

}

/// <summary>The parts of a Promise spec (or a revision's copy of one) that the schedule reads.</summary>
public readonly record struct JsonSpec(System.Text.Json.Nodes.JsonObject Spec)
{
    /// <summary><c>workflows.config.reconciliationInterval</c> as a Go duration; null when absent or not a duration.</summary>
    public TimeSpan? ReconciliationInterval =>
        Spec["workflows"]?["config"]?["reconciliationInterval"] is System.Text.Json.Nodes.JsonValue v && v.TryGetValue<string>(out var text)
            && GoDuration.TryParse(text, out var d) ? d : null;
}
