using Kratix.Presentation;

namespace Kratix.Platforms.Cluster;

/// <summary>
/// What the embedded platform does itself and a cluster leaves to upstream's controllers: each is refused by name
/// (<c>NotSupportedOnCluster</c>) with what to do instead.
/// </summary>
public sealed partial class ClusterPlatform
{
    public PlatformSyncSummary SyncPlatform(CancellationToken cancellationToken = default) =>
        throw NotOnCluster("Sync-KratixPlatform", "upstream Kratix's controllers reconcile a cluster continuously. To rerun workflows, use Sync-KratixPromise or Sync-KratixRequest (upstream's kratix.io/manual-reconciliation label).");

    public StateStoreTestResult TestStateStore(string kind, string name, CancellationToken cancellationToken = default) =>
        throw NotOnCluster("Test-KratixStateStore", $"on a cluster, upstream Kratix checks state stores itself; read {kind} \"{name}\"'s Ready condition with Get-KratixStateStore.");
}
