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
            }
            catch (KratixException ex)
            {
                Report(ex, name);
            }
        }
    });
}
