using System.Text.Json.Nodes;
using Kratix.Objects;
using Kratix.Pipelines;
using Kratix.Platforms.Embedded;

namespace Kratix.Admission;

/// <summary>
/// Upstream's checks of a Promise's reconciliation intervals (internal/webhook/v1alpha1 promise_webhook.go
/// validateReconciliationInterval, promiserevision_webhook.go validateReconciliationIntervalAnnotation), with their
/// messages: each must be a Go duration of at least a minute. The annotation is checked on an install, and on an update
/// only when its value changes, so a Promise that carried an out-of-policy value before the check existed keeps working.
/// </summary>
internal static class ReconciliationIntervalAdmission
{
    public static IEnumerable<string> Check(Promise promise, Promise? existing)
    {
        var annotation = promise.GetAnnotation(KratixApi.ReconciliationIntervalAnnotation);
        if (annotation is not null && (existing is null || existing.GetAnnotation(KratixApi.ReconciliationIntervalAnnotation) != annotation))
        {
            var field = $"metadata.annotations[{KratixApi.ReconciliationIntervalAnnotation}]";
            if (!GoDuration.TryParse(annotation, out var parsed))
            {
                yield return $"{field}: Invalid value: \"{annotation}\": must be a valid duration";
            }
            else if (parsed < ReconciliationOptions.MinimumInterval)
            {
                yield return $"{field}: Invalid value: \"{annotation}\": must be at least {ReconciliationSchedule.Format(ReconciliationOptions.MinimumInterval)}";
            }
        }

        if (promise.Spec["workflows"]?["config"]?["reconciliationInterval"] is { } node)
        {
            const string field = "spec.workflows.config.reconciliationInterval";
            var text = node is JsonValue v && v.TryGetValue<string>(out var s) ? s : null;
            if (text is null || !GoDuration.TryParse(text, out var interval))
            {
                // The webhook decodes the Promise into its Go type, where a metav1.Duration must be a duration string.
                yield return $"{field}: Invalid value: \"{node.ToJsonString().Trim('"')}\": must be a valid duration such as 30m or 10h";
            }
            else if (interval < ReconciliationOptions.MinimumInterval)
            {
                yield return $"{field}: Invalid value: \"{ReconciliationSchedule.Format(interval)}\": must be at least {ReconciliationSchedule.Format(ReconciliationOptions.MinimumInterval)}";
            }
        }
    }
}
