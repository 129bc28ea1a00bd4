using System.Management.Automation;
using Kratix.PowerShell.Completion;

namespace Kratix.PowerShell.Cmdlets;

/// <summary>Deletes requests: their delete workflow, then their Works and the files those wrote.</summary>
[Cmdlet(VerbsCommon.Remove, "KratixRequest", SupportsShouldProcess = true, ConfirmImpact = ConfirmImpact.Medium)]
[OutputType(typeof(void))]
public sealed class RemoveKratixRequestCommand : KratixCmdlet
{
    [Parameter(Mandatory = true, ValueFromPipelineByPropertyName = true)]
    [ArgumentCompleter(typeof(PromiseNameCompleter))]
    public string Promise { get; set; } = string.Empty;

    [Parameter(Mandatory = true, Position = 0, ValueFromPipelineByPropertyName = true)]
    [ArgumentCompleter(typeof(RequestNameCompleter))]
    public string Name { get; set; } = string.Empty;

    [Parameter(ValueFromPipelineByPropertyName = true)]
    [ArgumentCompleter(typeof(NamespaceCompleter))]
    public string? Namespace { get; set; }

    /// <summary>Waits until the request is gone: its delete workflow run and its finalizers done (on a cluster, upstream's controllers work after the command returns; the embedded platform answers at once).</summary>
    [Parameter]
    public SwitchParameter Wait { get; set; }

    /// <summary>With -Wait, how long to wait for each, in seconds (default 300).</summary>
    [Parameter]
    [ValidateRange(1, int.MaxValue)]
    public int Timeout { get; set; } = 300;

    protected override void ProcessRecord()
    {
        if (!ShouldProcess($"request \"{Namespace ?? DefaultNamespaceText}/{Name}\" of Promise \"{Promise}\"", "Remove"))
        {
            return;
        }

        WithPlatform(
            platform =>
            {
                var ns = Namespace ?? platform.DefaultNamespace;
                platform.RemoveRequest(Promise, ns, Name, Cancellation);
                if (Wait)
                {
                    Pump(() => platform.Wait(new Kratix.Platforms.WaitTarget(Promise, ns, Name, null), TimeSpan.FromSeconds(Timeout), Cancellation));
                }
            },
            Name);
    }
}
