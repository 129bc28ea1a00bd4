using System.Management.Automation;
using Kratix.PowerShell.Completion;

namespace Kratix.PowerShell.Cmdlets;

/// <summary>
/// Re-runs a request's configure workflow from its first pipeline, as the kratix.io/manual-reconciliation label does
/// upstream, and outputs the request as the run left it. `Get-KratixRequest -Promise redis | Sync-KratixRequest` syncs each.
/// </summary>
[Cmdlet(VerbsData.Sync, "KratixRequest", SupportsShouldProcess = true)]
[OutputType("Kratix.ResourceRequest")]
public sealed class SyncKratixRequestCommand : KratixCmdlet
{
    /// <summary>The Promise whose request it is.</summary>
    [Parameter(Mandatory = true, ValueFromPipelineByPropertyName = true)]
    [ValidateNotNullOrEmpty]
    [ArgumentCompleter(typeof(PromiseNameCompleter))]
    public string Promise { get; set; } = string.Empty;

    [Parameter(Mandatory = true, Position = 0, ValueFromPipelineByPropertyName = true)]
    [ValidateNotNullOrEmpty]
    [ArgumentCompleter(typeof(RequestNameCompleter))]
    public string Name { get; set; } = string.Empty;

    [Parameter(ValueFromPipelineByPropertyName = true)]
    [ValidateNotNullOrEmpty]
    [ArgumentCompleter(typeof(NamespaceCompleter))]
    public string? Namespace { get; set; }

    protected override void ProcessRecord()
    {
        if (!ShouldProcess($"request \"{Namespace ?? DefaultNamespaceText}/{Name}\" of Promise \"{Promise}\"", "Re-run the configure workflow"))
        {
            return;
        }

        WithPlatform(platform =>
        {
            var request = Pump(() => platform.SyncRequest(Promise, Namespace ?? platform.DefaultNamespace, Name, Cancellation));
            WriteKratixObject(request, Kratix.Presentation.ObjectRelations.Load(platform));
        }, Name);
    }
}
