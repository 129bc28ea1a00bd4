using System.Management.Automation;
using Kratix.PowerShell.Completion;

namespace Kratix.PowerShell.Cmdlets;

/// <summary>Uninstalls Promises in upstream's order: their requests (and files) first, then dependencies, then the API.</summary>
[Cmdlet(VerbsLifecycle.Uninstall, "KratixPromise", SupportsShouldProcess = true, ConfirmImpact = ConfirmImpact.High)]
[OutputType(typeof(void))]
public sealed class UninstallKratixPromiseCommand : KratixCmdlet
{
    [Parameter(Mandatory = true, Position = 0, ValueFromPipeline = true, ValueFromPipelineByPropertyName = true)]
    [ArgumentCompleter(typeof(PromiseNameCompleter))]
    public string[] Name { get; set; } = [];

    /// <summary>Waits until each Promise is gone: its requests, dependencies and API removed by its finalizers (on a cluster, upstream's controllers work after the command returns; the embedded platform answers at once).</summary>
    [Parameter]
    public SwitchParameter Wait { get; set; }

    /// <summary>With -Wait, how long to wait for each, in seconds (default 300).</summary>
    [Parameter]
    [ValidateRange(1, int.MaxValue)]
    public int Timeout { get; set; } = 300;

    protected override void ProcessRecord() => WithPlatform(platform =>
    {
        foreach (var name in Name)
        {
            if (!ShouldProcess($"Promise \"{name}\", its requests and everything they wrote", "Uninstall"))
            {
                continue;
            }

            try
            {
                platform.UninstallPromise(name, Cancellation);
                if (Wait)
                {
                    Pump(() => platform.Wait(new Kratix.Platforms.WaitTarget(null, null, name, null), TimeSpan.FromSeconds(Timeout), Cancellation));
                }
            }
            catch (KratixException ex)
            {
                Report(ex, name);
            }
        }
    });
}
