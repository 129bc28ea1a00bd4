using System.Management.Automation;
using Kratix.PowerShell.Completion;

namespace Kratix.PowerShell.Cmdlets;

/// <summary>Unregisters a state store no Destination uses; what was written to it stays there.</summary>
[Cmdlet(VerbsLifecycle.Unregister, "KratixStateStore", SupportsShouldProcess = true, ConfirmImpact = ConfirmImpact.Medium)]
[OutputType(typeof(void))]
public sealed class UnregisterKratixStateStoreCommand : KratixCmdlet
{
    [Parameter(Mandatory = true, Position = 0, ValueFromPipelineByPropertyName = true)]
    [ArgumentCompleter(typeof(StateStoreNameCompleter))]
    public string Name { get; set; } = string.Empty;

    [Parameter(ValueFromPipelineByPropertyName = true)]
    [ValidateSet("GitStateStore", "BucketStateStore")]
    public string Kind { get; set; } = "GitStateStore";

    protected override void ProcessRecord()
    {
        if (ShouldProcess($"{Kind} \"{Name}\"", "Unregister"))
        {
            WithPlatform(platform => platform.UnregisterStateStore(Kind, Name), Name);
        }
    }
}
