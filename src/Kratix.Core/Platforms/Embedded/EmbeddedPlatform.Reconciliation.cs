namespace Kratix.Platforms.Embedded;

/// <summary>Reconciling over time: one pass of a continuous sync (Sync-KratixPlatform -Continuous).</summary>
public sealed partial class EmbeddedPlatform
{
    /// <summary>The platform's reconciliation intervals (platform.yaml).</summary>
    public ReconciliationOptions Reconciliation => _context.Options.Reconciliation;

    /// <summary>
    /// A sync that rewrites the state stores only when asked (<paramref name="rewriteStateStores"/>): without, it still
    /// reconciles every Promise and request (running the configure workflows whose interval has passed, resuming
    /// suspended workflows whose retry time has come, finishing deletions whose delete workflow may resume) and the Works
    /// that are not Ready, and leaves the stores alone.
    /// </summary>
    public PlatformSyncSummary SyncPlatform(bool rewriteStateStores, CancellationToken cancellationToken = default) =>
        Locked(cancellationToken, () => new PlatformSync(_context, _works, _workflows, _promises, _requests, _destinations, _stateStores) { RewriteStateStores = rewriteStateStores }
            .Run(DrainDeferred, cancellationToken));
}
