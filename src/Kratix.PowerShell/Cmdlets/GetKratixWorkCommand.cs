using System.Management.Automation;
using Kratix.PowerShell.Completion;

namespace Kratix.PowerShell.Cmdlets;

/// <summary>Lists Works (what pipelines and static dependencies produced), by Promise, namespace and name.</summary>
[Cmdlet(VerbsCommon.Get, "KratixWork")]
[OutputType("Kratix.Work")]
public sealed class GetKratixWorkCommand : KratixCmdlet
{
    [Parameter(Position = 0, ValueFromPipelineByPropertyName = true)]
    [SupportsWildcards]
    [ArgumentCompleter(typeof(WorkNameCompleter))]
    public string[]? Name { get; set; }

    [Parameter(ValueFromPipelineByPropertyName = true)]
    [ArgumentCompleter(typeof(PromiseNameCompleter))]
    public string? Promise { get; set; }

    [Parameter(ValueFromPipelineByPropertyName = true)]
    [ArgumentCompleter(typeof(NamespaceCompleter))]
    public string? Namespace { get; set; }

    protected override void ProcessRecord() => WithPlatform(platform =>
    {
        foreach (var work in platform.GetWorks(Namespace).Where(w => (Promise is null || w.PromiseName == Promise) && NameFilter.Matches(Name, w.Name)))
        {
            WriteKratixObject(work);
        }
    });
}
