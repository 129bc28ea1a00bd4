namespace Kratix.Platforms.Embedded;

/// <summary>
/// When a platform reconciles over time, with upstream's kratix config keys and defaults (cmd/main.go):
/// <c>reconciliationInterval</c> (10h), <c>stateStoreReconciliationInterval</c> (10h) and
/// <c>workflows.reconcileAfterFailure</c> (true). Kept in the platform home's platform.yaml.
/// </summary>
public sealed record ReconciliationOptions
{
    /// <summary>Upstream's DefaultReconciliationInterval (internal/controller/shared.go).</summary>
    public static readonly TimeSpan DefaultInterval = TimeSpan.FromHours(10);

    /// <summary>Upstream's MinReconciliationInterval: a Promise may not ask for less.</summary>
    public static readonly TimeSpan MinimumInterval = TimeSpan.FromMinutes(1);

    /// <summary>How long after a configure workflow completed it runs again, when neither the Promise nor its annotation says.</summary>
    public TimeSpan Interval { get; init; } = DefaultInterval;

    /// <summary>
    /// How long after a WorkPlacement was written it is written again, which puts back what was changed or removed in its
    /// state store by anything else. Zero: never on a timer (upstream: no requeue).
    /// </summary>
    public TimeSpan StateStoreInterval { get; init; } = DefaultInterval;

    /// <summary>Whether a failed configure workflow runs again once the interval has passed since it failed.</summary>
    public bool ReconcileAfterFailure { get; init; } = true;
}
