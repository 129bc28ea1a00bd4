using System.Management.Automation;
using Kratix.PowerShell.Completion;

namespace Kratix.PowerShell.Cmdlets;

/// <summary>Lists WorkPlacements: which workload group went to which Destination, and the commit that wrote it.</summary>
[Cmdlet(VerbsCommon.Get, "KratixWorkPlacement")]
[OutputType("Kratix.WorkPlacement")]
public sealed class GetKratixWorkPlacementCommand : KratixCmdlet
{
    [Parameter(Position = 0, ValueFromPipelineByPropertyName = true)]
    [SupportsWildcards]
    [ArgumentCompleter(typeof(WorkPlacementNameCompleter))]
    public string[]? Name { get; set; }

    [Parameter(ValueFromPipelineByPropertyName = true)]
    [ArgumentCompleter(typeof(PromiseNameCompleter))]
    public string? Promise { get; set; }

    [Parameter(ValueFromPipelineByPropertyName = true)]
    [ArgumentCompleter(typeof(DestinationNameCompleter))]
    public string? Destination { get; set; }

    [Parameter(ValueFromPipelineByPropertyName = true)]
    [ArgumentCompleter(typeof(NamespaceCompleter))]
    public string? Namespace { get; set; }

    protected override void ProcessRecord() => WithPlatform(platform =>
    {
        foreach (var placement in platform.GetWorkPlacements(Namespace).Where(p =>
            (Promise is null || p.PromiseName == Promise) && (Destination is null || p.TargetDestinationName == Destination) && NameFilter.Matches(Name, p.Name)))
        {
            WriteKratixObject(placement);
        }
    });
}
