using System.Management.Automation;
using Kratix.Platforms;
using Kratix.Platforms.Embedded;

namespace Kratix.PowerShell.Cmdlets;

/// <summary>
/// Re-drives every object of the platform to its desired state and outputs what that took: state stores and
/// Destinations are checked again, removals a stopped command had begun are finished, Works whose Promise or request is
/// gone are removed, every WorkPlacement is written again where its state store lacks it or holds something else, and
/// each Promise's and request's configure workflow runs when it is due (a spec change, a run never saved, a suspension
/// whose retry time has come, its reconciliation interval passed), never otherwise. Run it after a session was killed;
/// on a platform with nothing to repair it runs no pipeline and makes no commit. With -Continuous it keeps the platform
/// reconciled until stopped, one result per pass.
/// </summary>
[Cmdlet(VerbsData.Sync, "KratixPlatform", SupportsShouldProcess = true)]
[OutputType("Kratix.PlatformSyncResult")]
public sealed class SyncKratixPlatformCommand : KratixCmdlet
{
    /// <summary>Keeps reconciling until Ctrl+C: a pass whenever something is due, at the latest every -PollInterval.</summary>
    [Parameter]
    public SwitchParameter Continuous { get; set; }

    /// <summary>The longest wait between two passes of -Continuous (default one minute).</summary>
    [Parameter]
    public TimeSpan PollInterval { get; set; } = TimeSpan.FromMinutes(1);

    protected override void ProcessRecord()
    {
        var home = PlatformLocation;
        if (OnCluster)
        {
            RefuseOnCluster(Continuous ? "Sync-KratixPlatform -Continuous" : "Sync-KratixPlatform", "upstream Kratix's controllers reconcile a cluster continuously (reconciliationInterval, stateStoreReconciliationInterval and reconcileAfterFailure in its kratix config). To rerun workflows, use Sync-KratixPromise or Sync-KratixRequest (upstream's kratix.io/manual-reconciliation label).");
        }

        if (!Continuous && MyInvocation.BoundParameters.ContainsKey(nameof(PollInterval)))
        {
            Report(new KratixException("PollIntervalWithoutContinuous", KratixErrorCategory.InvalidArgument, "-PollInterval applies to -Continuous only; add -Continuous, or leave -PollInterval out.", PollInterval), PollInterval, terminating: true);
        }

        if (PollInterval < TimeSpan.FromSeconds(1))
        {
            Report(new KratixException("PollIntervalInvalid", KratixErrorCategory.InvalidArgument, $"-PollInterval must be at least one second; {PollInterval} is not.", PollInterval), PollInterval, terminating: true);
        }

        if (!ShouldProcess($"Platform \"{home}\"", Continuous ? "Reconcile every object to its desired state, again and again until stopped" : "Reconcile every object to its desired state"))
        {
            return;
        }

        if (!Continuous)
        {
            WithPlatform(platform => WriteObject(PlatformSyncResult.From(platform.Location, Pump(() => platform.SyncPlatform(Cancellation)))), home, terminating: true);
            return;
        }

        var loop = new ContinuousSync(Pass, () => PlatformSettings.Load(home).Reconciliation, TimeProvider.System) { PollInterval = PollInterval };
        loop.Run(
            summary => WriteObject(PlatformSyncResult.From(home, summary)),
            ex => WriteWarning($"Sync-KratixPlatform -Continuous: this pass failed ({ex.ErrorId}): {ex.Message} The next pass tries again."),
            Cancellation);
    }

    /// <summary>One pass on a platform opened for it, so that each pass reads the platform's settings afresh.</summary>
    private PlatformSyncSummary Pass(bool rewriteStateStores, CancellationToken cancellationToken)
    {
        PlatformSyncSummary? summary = null;
        KratixException? failure = null;
        WithPlatform(
            platform =>
            {
                try
                {
                    summary = Pump(() => ((EmbeddedPlatform)platform).SyncPlatform(rewriteStateStores, cancellationToken));
                }
                catch (KratixException ex)
                {
                    failure = ex; // Reported by the loop, which goes on.
                }
            },
            PlatformLocation);
        cancellationToken.ThrowIfCancellationRequested();
        return summary ?? throw failure ?? new KratixException("SyncFailed", KratixErrorCategory.NotSpecified, "The pass did not complete.", PlatformLocation);
    }
}
