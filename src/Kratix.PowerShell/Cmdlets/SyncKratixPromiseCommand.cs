using System.Management.Automation;
using Kratix.PowerShell.Completion;

namespace Kratix.PowerShell.Cmdlets;

/// <summary>
/// Re-runs a Promise's configure workflow from its first pipeline and outputs the Promise as the run left it; with
/// -IncludeRequest, every request of the Promise runs its configure workflow again too.
/// </summary>
[Cmdlet(VerbsData.Sync, "KratixPromise", SupportsShouldProcess = true)]
[OutputType("Kratix.Promise")]
public sealed class SyncKratixPromiseCommand : KratixCmdlet
{
    [Parameter(Mandatory = true, Position = 0, ValueFromPipeline = true, ValueFromPipelineByPropertyName = true)]
    [ValidateNotNullOrEmpty]
    [ArgumentCompleter(typeof(PromiseNameCompleter))]
    public string Name { get; set; } = string.Empty;

    /// <summary>Re-run the configure workflow of every request of the Promise as well.</summary>
    [Parameter]
    public SwitchParameter IncludeRequest { get; set; }

    protected override void ProcessRecord()
    {
        if (!ShouldProcess($"Promise \"{Name}\"" + (IncludeRequest ? " and its requests" : string.Empty), "Re-run the configure workflow"))
        {
            return;
        }

        WithPlatform(platform =>
        {
            var promise = Pump(() => platform.SyncPromise(Name, IncludeRequest.IsPresent, Cancellation));
            WriteKratixObject(promise, Kratix.Presentation.ObjectRelations.Load(platform));
        }, Name);
    }
}
