using System.Management.Automation;

namespace Kratix.PowerShell.Cmdlets;

/// <summary>Replaces existing requests (or creates them), re-validating them; a spec change re-runs their workflow.</summary>
[Cmdlet(VerbsCommon.Set, "KratixRequest", DefaultParameterSetName = "Path", SupportsShouldProcess = true)]
[OutputType("Kratix.ResourceRequest")]
public sealed class SetKratixRequestCommand : RequestInputCmdlet
{
    [Parameter]
    public SwitchParameter PassThru { get; set; }

    protected override void ProcessRecord() => WithPlatform(platform =>
    {
        foreach (var item in Requests(platform))
        {
            if (!ShouldProcess(item.Describe(), "Update request"))
            {
                continue;
            }

            try
            {
                var request = platform.SubmitRequest(item.Node, item.Source, allowUpdate: true, Cancellation);
                if (PassThru)
                {
                    WriteKratixObject(request);
                }
            }
            catch (KratixException ex)
            {
                Report(ex, item.Describe());
            }
        }
    });
}
