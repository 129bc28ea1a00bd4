using System.Management.Automation;
using Kratix.Objects;
using Kratix.PowerShell.Completion;
using Kratix.Presentation;

namespace Kratix.PowerShell.Cmdlets;

/// <summary>
/// Lists Works (what pipelines and static dependencies produced), by Promise, namespace and name, each with the
/// Destinations, state stores and commits its placements were written to. Piped a Promise, request, Destination, state
/// store or WorkPlacement, it lists the Works of it (or placed on it).
/// </summary>
[Cmdlet(VerbsCommon.Get, "KratixWork")]
[OutputType("Kratix.Work")]
public sealed class GetKratixWorkCommand : RelatedObjectCmdlet
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

    protected override bool IsListedKind(KubeObject obj) => obj.Kind == KratixApi.WorkKind;

    protected override void ProcessRecord() => WithPlatform(platform =>
    {
        var related = Related();
        var relations = ObjectRelations.Load(platform);
        IEnumerable<Work> works;
        string[]? names;
        string? promise;
        string? ns;
        if (related is null)
        {
            (works, names, promise, ns) = (relations.Works, Name ?? PipedNames(), Promise, Namespace);
        }
        else
        {
            (works, names, promise, ns) = (relations.WorksOf(related), TypedOrNull(nameof(Name), Name), TypedOrNull(nameof(Promise), Promise), TypedOrNull(nameof(Namespace), Namespace));
        }

        foreach (var work in works.Where(w => (promise is null || w.PromiseName == promise) && (ns is null || w.Namespace == ns) && NameFilter.Matches(names, w.Name)))
        {
            WriteKratixObject(work, relations);
        }
    });
}
