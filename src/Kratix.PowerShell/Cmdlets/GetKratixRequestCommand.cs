using System.Management.Automation;
using Kratix.Objects;
using Kratix.PowerShell.Completion;
using Kratix.Presentation;

namespace Kratix.PowerShell.Cmdlets;

/// <summary>
/// Lists resource requests, by Promise, namespace and name (wildcards), each with the Destinations, state stores and
/// commits its Works were written to. Piped a Promise, it lists that Promise's requests; a Work or WorkPlacement, the
/// request it was made for; a Destination or state store, the requests with documents there.
/// </summary>
[Cmdlet(VerbsCommon.Get, "KratixRequest")]
[OutputType("Kratix.ResourceRequest")]
public sealed class GetKratixRequestCommand : RelatedObjectCmdlet
{
    [Parameter(Position = 0, ValueFromPipelineByPropertyName = true)]
    [SupportsWildcards]
    [ArgumentCompleter(typeof(RequestNameCompleter))]
    public string[]? Name { get; set; }

    [Parameter(ValueFromPipelineByPropertyName = true)]
    [ArgumentCompleter(typeof(PromiseNameCompleter))]
    public string? Promise { get; set; }

    [Parameter(ValueFromPipelineByPropertyName = true)]
    [ArgumentCompleter(typeof(NamespaceCompleter))]
    public string? Namespace { get; set; }

    protected override bool IsListedKind(KubeObject obj) => ObjectRelations.IsRequest(obj);

    protected override void ProcessRecord() => WithPlatform(platform =>
    {
        var related = Related();
        if (related is null)
        {
            var names = Name ?? PipedNames();
            var requests = platform.GetRequests(Promise, Namespace);
            var matching = requests.Where(r => NameFilter.Matches(names, r.Name)).ToList();
            var relations = matching.Count > 0 ? ObjectRelations.Load(platform) : null;
            foreach (var request in matching)
            {
                WriteKratixObject(request, relations);
            }

            NameFilter.ReportMissing(this, names, requests.Select(r => r.Name), "Request", "RequestNotFound");
            return;
        }

        var all = ObjectRelations.Load(platform);
        var promise = TypedOrNull(nameof(Promise), Promise) ?? (related.Kind == KratixApi.PromiseKind ? related.Name : null);
        var candidates = platform.GetRequests(promise, TypedOrNull(nameof(Namespace), Namespace)).Where(r => NameFilter.Matches(TypedOrNull(nameof(Name), Name), r.Name));
        IEnumerable<ResourceRequest> listed = related.Kind switch
        {
            KratixApi.PromiseKind => candidates,
            KratixApi.WorkKind or KratixApi.WorkPlacementKind => all.RequestOf(related) is { } owner
                ? candidates.Where(r => r.PromiseName == owner.Promise && r.Namespace == owner.Namespace && r.Name == owner.Name)
                : [],
            _ => PlacementKeys(all, related) is var keys && keys.Count > 0
                ? candidates.Where(r => all.PlacementsOf(r).Any(p => keys.Contains((p.Namespace, p.Name))))
                : [],
        };
        foreach (var request in listed)
        {
            WriteKratixObject(request, all);
        }
    });
}
