using System.Management.Automation;

namespace Kratix.PowerShell.Cmdlets;

/// <summary>Submits resource requests, validated and defaulted against their Promise's API as the API server would.</summary>
[Cmdlet(VerbsCommon.New, "KratixRequest", DefaultParameterSetName = "Path", SupportsShouldProcess = true)]
[OutputType("Kratix.ResourceRequest")]
public sealed class NewKratixRequestCommand : RequestInputCmdlet
{
    protected override void ProcessRecord() => WithPlatform(platform => ForEachManifest(
        Requests(platform),
        "Submit request",
        item => platform.SubmitRequest(item.Node, item.Source, allowUpdate: false, Cancellation),
        writeResult: true));
}
