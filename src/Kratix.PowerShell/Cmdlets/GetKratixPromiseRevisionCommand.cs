using System.Management.Automation;
using Kratix.PowerShell.Completion;

namespace Kratix.PowerShell.Cmdlets;

/// <summary>
/// Lists PromiseRevisions: one per version of each Promise (its kratix.io/promise-version label), holding that
/// version's spec; the newest is the latest. Requests bound to a version run that revision's workflows.
/// </summary>
[Cmdlet(VerbsCommon.Get, "KratixPromiseRevision")]
[OutputType("Kratix.PromiseRevision")]
public sealed class GetKratixPromiseRevisionCommand : KratixCmdlet
{
    [Parameter(Position = 0)]
    [SupportsWildcards]
    [ArgumentCompleter(typeof(PromiseRevisionNameCompleter))]
    public string[]? Name { get; set; }

    /// <summary>Only this Promise's revisions. A request or Promise piped in gives its Promise.</summary>
    [Parameter(ValueFromPipelineByPropertyName = true)]
    [ArgumentCompleter(typeof(PromiseNameCompleter))]
    public string? Promise { get; set; }

    /// <summary>Only revisions at this version (wildcards).</summary>
    [Parameter]
    [SupportsWildcards]
    [ArgumentCompleter(typeof(PromiseVersionCompleter))]
    public string? Version { get; set; }

    /// <summary>Only the latest revision of each Promise.</summary>
    [Parameter]
    public SwitchParameter Latest { get; set; }

    protected override void ProcessRecord() => WithPlatform(platform =>
    {
        var version = Version is null ? null : new WildcardPattern(Version, WildcardOptions.IgnoreCase);
        foreach (var revision in platform.GetPromiseRevisions(Promise))
        {
            if (NameFilter.Matches(Name, revision.Name)
                && (version is null || version.IsMatch(revision.Spec["version"]?.ToString() ?? string.Empty))
                && (!Latest || revision.Status["latest"]?.GetValue<bool>() == true))
            {
                WriteKratixObject(revision);
            }
        }
    });
}
