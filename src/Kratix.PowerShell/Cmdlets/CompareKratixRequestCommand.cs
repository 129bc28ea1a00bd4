using System.Management.Automation;

namespace Kratix.PowerShell.Cmdlets;

/// <summary>
/// Dry-runs requests (upstream's DryRun): a new request, a change to a stored one, or a stored one as it is (-Promise
/// and -Name without -Spec). Its resource workflows run with KRATIX_DRY_RUN=true (a compound Promise's sub-requests'
/// too) and one Kratix.DryRunChange is output per file that would be added, changed or removed, per Destination and
/// state store, with its unified diff. Nothing is written: no object, no state-store commit, no run record.
/// </summary>
[Cmdlet(VerbsData.Compare, "KratixRequest", DefaultParameterSetName = "Path")]
[OutputType("Kratix.DryRunChange")]
public sealed class CompareKratixRequestCommand : RequestInputCmdlet
{
    /// <summary>On a cluster, how long to wait for upstream's DryRun to complete, in seconds (default 300).</summary>
    [Parameter]
    [ValidateRange(1, int.MaxValue)]
    public int Timeout { get; set; } = 300;

    protected override int DryRunTimeout => Timeout;

    protected override void ProcessRecord()
    {
        if (ParameterSetName == "Spec" && Spec is null && Label is null)
        {
            // A stored request as it is: what running its workflows again would change.
            WithPlatform(platform =>
            {
                var ns = Namespace ?? platform.DefaultNamespace;
                var stored = platform.GetRequests(Promise, ns).FirstOrDefault(r => r.Name == Name);
                if (stored is null)
                {
                    Report(new KratixException("RequestNotFound", KratixErrorCategory.ObjectNotFound, $"There is no request \"{Name}\" of Promise \"{Promise}\" in namespace \"{ns}\". Give -Spec to dry-run a new one; Get-KratixRequest lists those there are.", Name), Name);
                    return;
                }

                AddCollected(new Kratix.Manifests.ManifestItem(stored.Node.DeepClone().AsObject(), null));
            });
            return;
        }

        CollectForDryRun();
    }

    protected override void EndProcessing()
    {
        CollectForDryRun(endOfInput: true);
        DryRunCollected(done =>
        {
            foreach (var change in done.Result.Changes)
            {
                WriteObject(DryRunView.Wrap(done.Result, change));
            }
        });
        base.EndProcessing();
    }
}
