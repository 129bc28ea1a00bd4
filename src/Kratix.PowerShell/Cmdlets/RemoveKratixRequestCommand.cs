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
    public string Namespace { get; set; } = "default";

    protected override void ProcessRecord()
    {
        if (!ShouldProcess($"request \"{Namespace}/{Name}\" of Promise \"{Promise}\"", "Remove"))
        {
            return;
        }

        WithPlatform(platform => platform.RemoveRequest(Promise, Namespace, Name, Cancellation), Name);
    }
}
