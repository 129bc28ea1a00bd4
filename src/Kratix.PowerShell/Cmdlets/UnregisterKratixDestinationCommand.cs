using System.Management.Automation;
using Kratix.PowerShell.Completion;

namespace Kratix.PowerShell.Cmdlets;

/// <summary>Unregisters Destinations; with spec.cleanup all, everything written for them is removed from the state store.</summary>
[Cmdlet(VerbsLifecycle.Unregister, "KratixDestination", SupportsShouldProcess = true, ConfirmImpact = ConfirmImpact.High)]
[OutputType(typeof(void))]
public sealed class UnregisterKratixDestinationCommand : KratixCmdlet
{
    [Parameter(Mandatory = true, Position = 0, ValueFromPipeline = true, ValueFromPipelineByPropertyName = true)]
    [ArgumentCompleter(typeof(DestinationNameCompleter))]
    public string[] Name { get; set; } = [];

    protected override void ProcessRecord() => WithPlatform(platform =>
    {
        foreach (var name in Name)
        {
            if (!ShouldProcess($"Destination \"{name}\"", "Unregister"))
            {
                continue;
            }

            try
            {
                platform.UnregisterDestination(name, Cancellation);
            }
            catch (KratixException ex)
            {
                Report(ex, name);
            }
        }
    });
}
