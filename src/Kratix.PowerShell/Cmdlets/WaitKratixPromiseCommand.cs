using System.Management.Automation;
using Kratix.Platforms;
using Kratix.PowerShell.Completion;

namespace Kratix.PowerShell.Cmdlets;

/// <summary>
/// Waits until Promises have a condition True for their current generation (Available by default, or Reconciled,
/// ConfigureWorkflowCompleted, WorksSucceeded or any condition type): on a cluster by watching them, on the embedded
/// platform at once (its work is done when each command returns). On timeout, an error says which condition is not true
/// and why.
/// </summary>
[Cmdlet(VerbsLifecycle.Wait, "KratixPromise")]
[OutputType("Kratix.Promise")]
public sealed class WaitKratixPromiseCommand : KratixCmdlet
{
    /// <summary>The Promises to wait for.</summary>
    [Parameter(Mandatory = true, Position = 0, ValueFromPipeline = true, ValueFromPipelineByPropertyName = true)]
    [ArgumentCompleter(typeof(PromiseNameCompleter))]
    public string[] Name { get; set; } = [];

    /// <summary>The condition type that must be True: Available (default), Reconciled, ConfigureWorkflowCompleted, WorksSucceeded, or any other.</summary>
    [Parameter]
    [ValidateNotNullOrEmpty]
    [ArgumentCompleter(typeof(ConditionCompleter))]
    public string Condition { get; set; } = "Available";

    /// <summary>How long to wait for each Promise, in seconds (default 300).</summary>
    [Parameter]
    [ValidateRange(1, int.MaxValue)]
    public int Timeout { get; set; } = 300;

    /// <summary>Outputs each Promise once its condition is True.</summary>
    [Parameter]
    public SwitchParameter PassThru { get; set; }

    protected override void ProcessRecord() => WithPlatform(platform =>
    {
        foreach (var name in Name)
        {
            try
            {
                var promise = Pump(() => platform.Wait(new WaitTarget(null, null, name, Condition), TimeSpan.FromSeconds(Timeout), Cancellation));
                if (PassThru && promise is not null)
                {
                    WriteKratixObject(promise);
                }
            }
            catch (KratixException ex)
            {
                Report(ex, name);
            }
        }
    });
}
