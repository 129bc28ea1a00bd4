using System.Management.Automation;

namespace Kratix.PowerShell.Cmdlets;

/// <summary>
/// Replaces existing requests (or creates them), re-validating them; a spec change re-runs their workflow. Like
/// New-KratixRequest, everything the command receives is submitted together when its input ends.
/// </summary>
[Cmdlet(VerbsCommon.Set, "KratixRequest", DefaultParameterSetName = "Path", SupportsShouldProcess = true)]
[OutputType("Kratix.ResourceRequest")]
public sealed class SetKratixRequestCommand : RequestInputCmdlet
{
    [Parameter]
    public SwitchParameter PassThru { get; set; }

    protected override void ProcessRecord() => Collect("Update request");

    protected override void EndProcessing()
    {
        Collect("Update request", endOfInput: true);
        SubmitCollected(allowUpdate: true, writeResult: PassThru);
        base.EndProcessing();
    }
}
