using System.Management.Automation;
using Kratix.PowerShell.Completion;

namespace Kratix.PowerShell.Cmdlets;

/// <summary>Lists installed Promises, optionally by name (wildcards).</summary>
[Cmdlet(VerbsCommon.Get, "KratixPromise")]
[OutputType("Kratix.Promise")]
public sealed class GetKratixPromiseCommand : KratixCmdlet
{
    [Parameter(Position = 0, ValueFromPipeline = true, ValueFromPipelineByPropertyName = true)]
    [SupportsWildcards]
    [ArgumentCompleter(typeof(PromiseNameCompleter))]
    public string[]? Name { get; set; }

    protected override void ProcessRecord() => WithPlatform(platform =>
    {
        var promises = platform.GetPromises();
        var matching = promises.Where(p => NameFilter.Matches(Name, p.Name)).ToList();
        var relations = matching.Count > 0 ? Kratix.Presentation.ObjectRelations.Load(platform) : null;
        foreach (var promise in matching)
        {
            WriteKratixObject(promise, relations);
        }

        NameFilter.ReportMissing(this, Name, promises.Select(p => p.Name), "Promise", "PromiseNotFound");
    });
}
