using System.Management.Automation;
using Kratix.Objects;
using Kratix.PowerShell.Completion;
using Kratix.Presentation;

namespace Kratix.PowerShell.Cmdlets;

/// <summary>
/// Lists WorkPlacements: which workload group went to which Destination, and the commit that wrote it. Piped a
/// Destination, it lists the placements on it; a state store, those on its Destinations; a Promise, request or Work,
/// theirs.
/// </summary>
[Cmdlet(VerbsCommon.Get, "KratixWorkPlacement")]
[OutputType("Kratix.WorkPlacement")]
public sealed class GetKratixWorkPlacementCommand : RelatedObjectCmdlet
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

    protected override bool IsListedKind(KubeObject obj) => obj.Kind == KratixApi.WorkPlacementKind;

    protected override void ProcessRecord() => WithPlatform(platform =>
    {
        var related = Related();
        var relations = ObjectRelations.Load(platform);
        IEnumerable<WorkPlacement> placements;
        string[]? names;
        string? promise;
        string? destination;
        string? ns;
        if (related is null)
        {
            (placements, names, promise, destination, ns) = (relations.Placements, Name ?? PipedNames(), Promise, Destination, Namespace);
        }
        else
        {
            (placements, names, promise, destination, ns) = (relations.PlacementsOf(related), TypedOrNull(nameof(Name), Name), TypedOrNull(nameof(Promise), Promise),
                TypedOrNull(nameof(Destination), Destination), TypedOrNull(nameof(Namespace), Namespace));
        }

        foreach (var placement in placements.Where(p =>
            (promise is null || p.PromiseName == promise) && (destination is null || p.TargetDestinationName == destination) && (ns is null || p.Namespace == ns) && NameFilter.Matches(names, p.Name)))
        {
            WriteKratixObject(placement, relations);
        }
    });
}
