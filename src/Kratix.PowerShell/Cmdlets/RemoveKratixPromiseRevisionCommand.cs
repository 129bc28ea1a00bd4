using System.Management.Automation;
using Kratix.PowerShell.Completion;

namespace Kratix.PowerShell.Cmdlets;

/// <summary>
/// Deletes PromiseRevisions that are not the latest of their Promise. As upstream, the requests bound to exactly that
/// version are removed with it (their delete workflows run), unless the revision is annotated
/// kratix.io/skip-resource-request-cleanup-on-delete: "true". Requests that follow latest are not affected.
/// </summary>
[Cmdlet(VerbsCommon.Remove, "KratixPromiseRevision", SupportsShouldProcess = true, ConfirmImpact = ConfirmImpact.High)]
[OutputType(typeof(void))]
public sealed class RemoveKratixPromiseRevisionCommand : KratixCmdlet
{
    [Parameter(Mandatory = true, Position = 0, ValueFromPipelineByPropertyName = true)]
    [ValidateNotNullOrEmpty]
    [ArgumentCompleter(typeof(PromiseRevisionNameCompleter))]
    public string Name { get; set; } = string.Empty;

    protected override void ProcessRecord()
    {
        if (!ShouldProcess($"PromiseRevision \"{Name}\" (and the requests bound to its version)", "Remove"))
        {
            return;
        }

        WithPlatform(platform => Pump(() =>
        {
            platform.RemovePromiseRevision(Name, Cancellation);
            return true;
        }), Name);
    }
}
