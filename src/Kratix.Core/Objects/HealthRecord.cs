using System.Text.Json.Nodes;

namespace Kratix.Objects;

/// <summary>
/// A HealthRecord (platform.kratix.io/v1alpha1, namespaced): what a health check found about a resource request. It has
/// no spec and no status, only top-level <c>data</c>: <c>promiseRef.name</c>, <c>resourceRef{name,namespace}</c>,
/// <c>state</c> (unknown, ready, healthy, degraded, unhealthy), <c>lastRun</c> (Unix seconds) and free-form <c>details</c>.
/// </summary>
public sealed class HealthRecord(JsonObject node) : KubeObject(node)
{
    public const string StateUnknown = "unknown";
    public const string StateReady = "ready";
    public const string StateHealthy = "healthy";
    public const string StateDegraded = "degraded";
    public const string StateUnhealthy = "unhealthy";

    /// <summary>The states the CRD's enum allows, in its order.</summary>
    public static IReadOnlyList<string> States { get; } = [StateUnknown, StateReady, StateUnhealthy, StateHealthy, StateDegraded];

    public JsonObject Data => Node.GetOrAddObject("data");

    public string PromiseName => (Node["data"]?["promiseRef"] as JsonObject)?.GetString("name") ?? string.Empty;

    /// <summary>The request's name; empty for a record about no request (a Promise-level record, which nothing aggregates).</summary>
    public string RequestName => (Node["data"]?["resourceRef"] as JsonObject)?.GetString("name") ?? string.Empty;

    public string RequestNamespace => (Node["data"]?["resourceRef"] as JsonObject)?.GetString("namespace") ?? string.Empty;

    /// <summary>Whether the record names a request (data.resourceRef).</summary>
    public bool HasRequest => Node["data"]?["resourceRef"] is JsonObject;

    public string State => (Node["data"] as JsonObject)?.GetString("state") ?? StateUnknown;

    /// <summary>data.lastRun: Unix seconds of the check; 0 when not given (Go's zero value, as upstream aggregates it).</summary>
    public long LastRun => (Node["data"] as JsonObject)?.GetLong("lastRun") ?? 0;

    public JsonNode? Details => Node["data"]?["details"];
}
