using System.Management.Automation;

namespace Kratix.PowerShell.Cmdlets;

/// <summary>Replaces existing requests (or creates them), re-validating them; a spec change re-runs their workflow.</summary>
[Cmdlet(VerbsCommon.Set, "KratixRequest", DefaultParameterSetName = "Path", SupportsShouldProcess = true)]
[OutputType("Kratix.ResourceRequest")]
public sealed class SetKratixRequestCommand : RequestInputCmdlet
{
    [Parameter]
    public SwitchParameter PassThru { get; set; }

    protected override void ProcessRecord() => WithPlatform(platform => ForEachManifest(
        Requests(platform),
        "Update request",
        item => platform.SubmitRequest(item.Node, item.Source, allowUpdate: true, Cancellation),
        PassThru));
}
