using System.Management.Automation;
using Kratix.Objects;
using Kratix.PowerShell.Completion;
using Kratix.Presentation;

namespace Kratix.PowerShell.Cmdlets;

/// <summary>
/// Lists HealthRecords, by name (wildcards), namespace, Promise and request. Piped a request
/// (`Get-KratixRequest -Promise redis | Get-KratixHealthRecord`), it lists the records about that request; piped a
/// Promise, the records about it and its requests.
/// </summary>
[Cmdlet(VerbsCommon.Get, "KratixHealthRecord")]
[OutputType("Kratix.HealthRecord")]
public sealed class GetKratixHealthRecordCommand : RelatedObjectCmdlet
{
    /// <summary>The records' names (wildcards).</summary>
    [Parameter(Position = 0, ValueFromPipelineByPropertyName = true)]
    [SupportsWildcards]
    [ArgumentCompleter(typeof(HealthRecordNameCompleter))]
    public string[]? Name { get; set; }

    /// <summary>The records' namespace; default: all.</summary>
    [Parameter(ValueFromPipelineByPropertyName = true)]
    [ArgumentCompleter(typeof(NamespaceCompleter))]
    public string? Namespace { get; set; }

    /// <summary>Only records about this Promise (data.promiseRef.name).</summary>
    [Parameter(ValueFromPipelineByPropertyName = true)]
    [ArgumentCompleter(typeof(PromiseNameCompleter))]
    public string? Promise { get; set; }

    /// <summary>Only records about requests of this name (data.resourceRef.name; wildcards).</summary>
    [Parameter]
    [SupportsWildcards]
    [ArgumentCompleter(typeof(RequestNameCompleter))]
    public string? Request { get; set; }

    protected override bool IsListedKind(KubeObject obj) => obj.Kind == KratixApi.HealthRecordKind;

    protected override void ProcessRecord() => WithPlatform(platform =>
    {
        var related = Related();
        var names = related is null ? Name ?? PipedNames() : TypedOrNull(nameof(Name), Name);
        var ns = related is null ? Namespace : TypedOrNull(nameof(Namespace), Namespace);
        var records = platform.GetHealthRecords(ns).Where(r => NameFilter.Matches(names, r.Name)).ToList();
        var promise = related is null ? Promise : TypedOrNull(nameof(Promise), Promise);
        IEnumerable<HealthRecord> listed = records
            .Where(r => promise is null || r.PromiseName == promise)
            .Where(r => Request is null || NameFilter.Matches([Request], r.RequestName));
        if (related is not null)
        {
            listed = related.Kind == KratixApi.PromiseKind
                ? listed.Where(r => r.PromiseName == related.Name)
                : ObjectRelations.IsRequest(related)
                    ? listed.Where(r => Health.HealthAggregation.IsFor(r, related.Namespace ?? "default", related.Name))
                    : [];
        }

        foreach (var record in listed)
        {
            WriteKratixObject(record);
        }

        if (related is null)
        {
            NameFilter.ReportMissing(this, names, platform.GetHealthRecords(ns).Select(r => r.Name), "HealthRecord", "HealthRecordNotFound");
        }
    });
}
