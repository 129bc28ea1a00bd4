using System.Management.Automation;
using Kratix.PowerShell.Completion;

namespace Kratix.PowerShell.Cmdlets;

/// <summary>
/// Moves a request to a version of its Promise: -Version v2 binds it to that PromiseRevision, -Version latest lets it
/// follow the Promise's newest version again. The request re-runs its configure workflow with that version's workflows
/// when its version changes (an upgrade or a downgrade). `Get-KratixRequest -Promise redis | Update-KratixRequest -Version v2`
/// moves each.
/// </summary>
[Cmdlet(VerbsData.Update, "KratixRequest", SupportsShouldProcess = true)]
[OutputType("Kratix.ResourceRequest")]
public sealed class UpdateKratixRequestCommand : KratixCmdlet
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

    /// <summary>A version of the Promise (a PromiseRevision's spec.version), or latest.</summary>
    [Parameter(Mandatory = true)]
    [ValidateNotNullOrEmpty]
    [ArgumentCompleter(typeof(PromiseVersionCompleter))]
    public string Version { get; set; } = string.Empty;

    protected override void ProcessRecord()
    {
        var version = string.Equals(Version, Kratix.Objects.Versioning.Latest, StringComparison.OrdinalIgnoreCase) ? Kratix.Objects.Versioning.Latest : Version;
        if (!ShouldProcess($"request \"{Namespace ?? DefaultNamespaceText}/{Name}\" of Promise \"{Promise}\"", $"Bind to version {version}"))
        {
            return;
        }

        WithPlatform(platform =>
        {
            var request = Pump(() => platform.SetRequestVersion(Promise, Namespace ?? platform.DefaultNamespace, Name, version, Cancellation));
            WriteKratixObject(request, Kratix.Presentation.ObjectRelations.Load(platform));
        }, Name);
    }
}
