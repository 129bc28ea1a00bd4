using System.Management.Automation;

namespace Kratix.PowerShell.Cmdlets;

/// <summary>
/// Re-drives every object of the platform to its desired state and outputs what that took: state stores and
/// Destinations are checked again, removals a stopped command had begun are finished, Works whose Promise or request is
/// gone are removed, every WorkPlacement is written again where its state store lacks it, and each Promise's and
/// request's configure workflow runs when it is due (a spec change, a run never saved, a suspension whose retry time has
/// come), never otherwise. Run it after a session was killed; on a platform with nothing to repair it runs no pipeline
/// and makes no commit.
/// </summary>
[Cmdlet(VerbsData.Sync, "KratixPlatform", SupportsShouldProcess = true)]
[OutputType("Kratix.PlatformSyncResult")]
public sealed class SyncKratixPlatformCommand : KratixCmdlet
{
    protected override void ProcessRecord()
    {
        var home = PlatformLocation;
        if (OnCluster)
        {
            RefuseOnCluster("Sync-KratixPlatform", "upstream Kratix's controllers reconcile a cluster continuously. To rerun workflows, use Sync-KratixPromise or Sync-KratixRequest (upstream's kratix.io/manual-reconciliation label).");
        }

        if (!ShouldProcess($"Platform \"{home}\"", "Reconcile every object to its desired state"))
        {
            return;
        }

        WithPlatform(platform => WriteObject(PlatformSyncResult.From(platform.Location, Pump(() => platform.SyncPlatform(Cancellation)))), home, terminating: true);
    }
}
