using System.Text.Json.Nodes;
using Kratix.Objects;
using Kratix.Platforms;

namespace Kratix.Pipelines;

/// <summary>
/// Upstream's bookkeeping of a workflow in an object's status: per-pipeline phases under
/// <c>status.kratix.workflows.pipelines</c>, the counters, and the completion of the configure workflow.
/// </summary>
public static class WorkflowStatus
{
    public static JsonArray Pipelines(JsonObject status) =>
        status.GetOrAddObject("kratix").GetOrAddObject("workflows")["pipelines"] as JsonArray ?? [];

    /// <summary>Every pipeline back to Pending; drops suspendedGeneration (a run from the start).</summary>
    public static void ResetToPending(JsonObject status, IReadOnlyList<Pipeline> pipelines, DateTimeOffset now)
    {
        var workflows = status.GetOrAddObject("kratix").GetOrAddObject("workflows");
        workflows.Remove("suspendedGeneration");
        workflows["pipelines"] = new JsonArray(pipelines.Select(p => (JsonNode)new JsonObject
        {
            ["name"] = p.Name,
            ["phase"] = PipelinePhases.Pending,
            ["lastTransitionTime"] = Timestamps.Format(now),
        }).ToArray());
    }

    public static void Mark(JsonObject status, string pipeline, string phase, DateTimeOffset now)
    {
        if (Entry(status, pipeline) is not { } entry)
        {
            return;
        }

        var previous = entry.GetString("phase");
        if (previous != phase)
        {
            // As upstream's MarkCurrentPipelineAs: leaving Suspended drops the message; attempts and nextRetryAt stay,
            // so a resumed pipeline that asks to retry again counts on from its earlier attempts.
            if (previous == PipelinePhases.Suspended)
            {
                entry.Remove("message");
            }

            entry["phase"] = phase;
            entry["lastTransitionTime"] = Timestamps.Format(now);
        }

        if (phase is PipelinePhases.Succeeded)
        {
            // The status-writer's ClearPipelineSuspension: a run that did not suspend again ends the retries.
            entry.Remove("message");
            entry.Remove("nextRetryAt");
            entry.Remove("attempts");
        }
    }

    /// <summary>As upstream's MarkPipelineAsSuspended: phase, message, and for a retry nextRetryAt and attempts.</summary>
    public static void MarkSuspended(JsonObject status, string pipeline, WorkflowControl control, long generation, DateTimeOffset now)
    {
        if (Entry(status, pipeline) is not { } entry)
        {
            return;
        }

        Mark(status, pipeline, PipelinePhases.Suspended, now);
        if (control.Message is null)
        {
            entry.Remove("message");
        }
        else
        {
            entry["message"] = control.Message;
        }

        if (control.RetryAfter is { } retry)
        {
            entry["nextRetryAt"] = Timestamps.Format(now + retry);
            entry["attempts"] = (entry.GetLong("attempts") ?? 0) + 1;
        }
        else
        {
            entry.Remove("nextRetryAt");
            entry.Remove("attempts");
        }

        status.GetOrAddObject("kratix").GetOrAddObject("workflows")["suspendedGeneration"] = generation;
    }

    /// <summary>The index of the suspended pipeline, or -1.</summary>
    public static int SuspendedIndex(JsonObject status)
    {
        var list = status["kratix"]?["workflows"]?["pipelines"] as JsonArray;
        if (list is null)
        {
            return -1;
        }

        for (var i = 0; i < list.Count; i++)
        {
            if (list[i] is JsonObject entry && entry.GetString("phase") == PipelinePhases.Suspended)
            {
                return i;
            }
        }

        return -1;
    }

    /// <summary>When a suspended pipeline asked to be retried, or null.</summary>
    public static DateTimeOffset? NextRetryAt(JsonObject status) =>
        (status["kratix"]?["workflows"]?["pipelines"] as JsonArray)?.OfType<JsonObject>()
            .Where(e => e.GetString("phase") == PipelinePhases.Suspended)
            .Select(e => Timestamps.Parse(e.GetString("nextRetryAt")))
            .FirstOrDefault();

    /// <summary>As upstream's MarkAsCompleted: ConfigureWorkflowCompleted=True and the Pending message replaced.</summary>
    public static void MarkCompleted(JsonObject status, string workflowType, DateTimeOffset now)
    {
        if (status.GetString("message") == "Pending")
        {
            status["message"] = workflowType == WorkflowTypes.Resource ? "Resource requested" : "Promise configured";
        }

        (status["kratix"]?["workflows"] as JsonObject)?.Remove("suspendedGeneration");
        new ConditionSet(status).Set(Reasons.ConfigureWorkflowCompleted, Condition.True, Reasons.PipelinesExecutedSuccessfully, Reasons.PipelinesCompletedMessage, now);
    }

    private static JsonObject? Entry(JsonObject status, string pipeline) =>
        (status["kratix"]?["workflows"]?["pipelines"] as JsonArray)?.OfType<JsonObject>().FirstOrDefault(e => e.GetString("name") == pipeline);
}
