using System.Text.Json.Nodes;
using Kratix.Objects;

namespace Kratix.Health;

/// <summary>
/// How upstream's HealthRecord controller folds a request's HealthRecords into its <c>status.healthStatus</c>
/// (internal/controller/healthrecord_controller.go, behaviour.md 5.6): one entry per record (state, lastRun, source, and
/// details when given) and the worst state of them, where unhealthy &lt; degraded &lt; unknown &lt; healthy &lt; ready and
/// no record at all is ready. Pure functions, shared by the embedded platform and the cluster stand-in of the tests.
/// </summary>
public static class HealthAggregation
{
    /// <summary>What a request's health is when no record says otherwise (upstream's starting value).</summary>
    public const string DefaultState = HealthRecord.StateReady;

    /// <summary>
    /// A state's rank: the lowest rank wins. A state outside upstream's map ranks 0, as a missing key of a Go map reads
    /// 0, so it would win over every known state; the CRD's enum keeps such states out.
    /// </summary>
    public static int Priority(string state) => state switch
    {
        HealthRecord.StateUnhealthy => 1,
        HealthRecord.StateDegraded => 2,
        HealthRecord.StateUnknown => 3,
        HealthRecord.StateHealthy => 4,
        HealthRecord.StateReady => 5,
        _ => 0,
    };

    /// <summary>Whether a record is about this request: upstream matches resourceRef's name and namespace only (not the Promise).</summary>
    public static bool IsFor(HealthRecord record, string ns, string name) =>
        record.RequestName == name && record.RequestNamespace == ns;

    /// <summary>The records about a request, in the order the API server lists them (namespace, then name).</summary>
    public static IReadOnlyList<HealthRecord> RecordsFor(IEnumerable<HealthRecord> records, string ns, string name) =>
        records.Where(r => IsFor(r, ns, name))
            .OrderBy(r => r.Namespace ?? string.Empty, StringComparer.Ordinal)
            .ThenBy(r => r.Name, StringComparer.Ordinal)
            .ToList();

    /// <summary>
    /// <c>status.healthStatus</c> for these records, in their order: <c>{healthRecords, state}</c>, keys sorted as Go's
    /// encoding/json writes a map. With no record, <c>healthRecords</c> is null, as upstream leaves it after the last
    /// record is removed.
    /// </summary>
    public static JsonObject Aggregate(IEnumerable<HealthRecord> records)
    {
        JsonArray? entries = null;
        var state = DefaultState;
        foreach (var record in records)
        {
            var entry = new JsonObject();
            if (record.Details is { } details)
            {
                entry["details"] = details.DeepClone();
            }

            entry["lastRun"] = record.LastRun;
            entry["source"] = new JsonObject { ["name"] = record.Name, ["namespace"] = record.Namespace ?? string.Empty };
            entry["state"] = record.State;
            (entries ??= []).Add(entry);
            if (Priority(record.State) < Priority(state))
            {
                state = record.State;
            }
        }

        return new JsonObject { ["healthRecords"] = entries, ["state"] = state };
    }

    /// <summary>The overall state a <c>status.healthStatus</c> holds, or null when the request has none.</summary>
    public static string? StateOf(JsonObject? status) => (status?["healthStatus"] as JsonObject)?.GetString("state");

    /// <summary>
    /// The event upstream records on the request when a record is written: none when the request's health state before
    /// already equals the record's state; otherwise <c>Health state is &lt;record's state&gt;</c>, a Warning unless the
    /// record is healthy or ready.
    /// </summary>
    public static (bool Warning, string Message)? EventFor(string? stateBefore, string recordState) =>
        stateBefore == recordState
            ? null
            : (recordState is not (HealthRecord.StateHealthy or HealthRecord.StateReady), $"Health state is {recordState}");
}
