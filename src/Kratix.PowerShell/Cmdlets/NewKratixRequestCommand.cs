using System.Management.Automation;

namespace Kratix.PowerShell.Cmdlets;

/// <summary>
/// Submits resource requests, validated and defaulted against their Promise's API as the API server would. Everything
/// the command receives (every file of -Path, every object piped in) is submitted together when its input ends: the
/// requests' workflows run side by side and their files are written in one commit per state store.
/// </summary>
[Cmdlet(VerbsCommon.New, "KratixRequest", DefaultParameterSetName = "Path", SupportsShouldProcess = true)]
[OutputType("Kratix.ResourceRequest")]
public sealed class NewKratixRequestCommand : RequestInputCmdlet
{
    protected override void ProcessRecord() => Collect("Submit request");

    protected override void EndProcessing()
    {
        Collect("Submit request", endOfInput: true);
        SubmitCollected(allowUpdate: false, writeResult: true);
        base.EndProcessing();
    }
}
