using System.Management.Automation;
using Kratix.Platforms;
using Kratix.PowerShell.Completion;

namespace Kratix.PowerShell.Cmdlets;

/// <summary>
/// Waits until resource requests have a condition True for their current generation (Reconciled by default, or
/// ConfigureWorkflowCompleted, WorksSucceeded or any condition type): on a cluster by watching them, on the embedded
/// platform at once (its work is done when each command returns). On timeout, an error says which condition is not true
/// and why. `Get-KratixRequest -Promise redis | Wait-KratixRequest` waits for each.
/// </summary>
[Cmdlet(VerbsLifecycle.Wait, "KratixRequest")]
[OutputType("Kratix.ResourceRequest")]
public sealed class WaitKratixRequestCommand : KratixCmdlet
{
    /// <summary>The request's name.</summary>
    [Parameter(Mandatory = true, Position = 0, ValueFromPipelineByPropertyName = true)]
    [ArgumentCompleter(typeof(RequestNameCompleter))]
    public string Name { get; set; } = string.Empty;

    /// <summary>The Promise whose request it is.</summary>
    [Parameter(Mandatory = true, ValueFromPipelineByPropertyName = true)]
    [ArgumentCompleter(typeof(PromiseNameCompleter))]
    public string Promise { get; set; } = string.Empty;

    /// <summary>The request's namespace; default: default on a platform home, the context's namespace on a cluster.</summary>
    [Parameter(ValueFromPipelineByPropertyName = true)]
    [ArgumentCompleter(typeof(NamespaceCompleter))]
    public string? Namespace { get; set; }

    /// <summary>The condition type that must be True: Reconciled (default), ConfigureWorkflowCompleted, WorksSucceeded, or any other.</summary>
    [Parameter]
    [ValidateNotNullOrEmpty]
    [ArgumentCompleter(typeof(ConditionCompleter))]
    public string Condition { get; set; } = "Reconciled";

    /// <summary>How long to wait for each request, in seconds (default 300).</summary>
    [Parameter]
    [ValidateRange(1, int.MaxValue)]
    public int Timeout { get; set; } = 300;

    /// <summary>Outputs each request once its condition is True.</summary>
    [Parameter]
    public SwitchParameter PassThru { get; set; }

    protected override void ProcessRecord() => WithPlatform(
        platform =>
        {
            var request = Pump(() => platform.Wait(new WaitTarget(Promise, Namespace ?? platform.DefaultNamespace, Name, Condition), TimeSpan.FromSeconds(Timeout), Cancellation));
            if (PassThru && request is not null)
            {
                WriteKratixObject(request);
            }
        },
        Name);
}
