using System.Management.Automation;
using Kratix.PowerShell.Completion;

namespace Kratix.PowerShell.Cmdlets;

/// <summary>
/// Lists PromiseRevisions: one per version of each Promise (its kratix.io/promise-version label), holding that
/// version's spec; the newest is the latest. Requests bound to a version run that revision's workflows.
/// </summary>
[Cmdlet(VerbsCommon.Get, "KratixPromiseRevision", DefaultParameterSetName = "Name")]
[OutputType("Kratix.PromiseRevision")]
public sealed class GetKratixPromiseRevisionCommand : KratixCmdlet
{
    [Parameter(ParameterSetName = "Name", Position = 0, ValueFromPipelineByPropertyName = true)]
    [SupportsWildcards]
    [ArgumentCompleter(typeof(PromiseRevisionNameCompleter))]
    public string[]? Name { get; set; }

    /// <summary>Only this Promise's revisions.</summary>
    [Parameter(ParameterSetName = "Name", ValueFromPipelineByPropertyName = true)]
    [ArgumentCompleter(typeof(PromiseNameCompleter))]
    public string? Promise { get; set; }

    /// <summary>Promises (their revisions), requests (the revisions of their Promise) or revisions (themselves), from the Get- cmdlets.</summary>
    [Parameter(ParameterSetName = "InputObject", Mandatory = true, ValueFromPipeline = true)]
    public PSObject? InputObject { get; set; }

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
        var (promise, names) = (Promise, Name);
        if (InputObject is not null)
        {
            if (InputObject.BaseObject is not Kratix.Presentation.KratixObject piped)
            {
                Report(new KratixException("NotAKratixObject", KratixErrorCategory.InvalidArgument, $"Get-KratixPromiseRevision takes Promises, requests or revisions from the pipeline; \"{InputObject}\" is none of them.", InputObject), InputObject.ToString());
                return;
            }

            (promise, names) = piped.Kind switch
            {
                Kratix.Objects.KratixApi.PromiseKind => (piped.Name, (string[]?)null),
                Kratix.Objects.KratixApi.PromiseRevisionKind => ((string?)null, new[] { piped.Name }),
                _ => (piped.Promise, (string[]?)null),
            };
        }

        foreach (var revision in platform.GetPromiseRevisions(promise))
        {
            if (NameFilter.Matches(names, revision.Name)
                && (version is null || version.IsMatch(revision.Spec["version"]?.ToString() ?? string.Empty))
                && (!Latest || revision.Status["latest"]?.GetValue<bool>() == true))
            {
                WriteKratixObject(revision);
            }
        }
    });
}
