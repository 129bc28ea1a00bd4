using System.Management.Automation;
using Kratix.PowerShell.Completion;
using Kratix.Tracing;

namespace Kratix.PowerShell.Cmdlets;

/// <summary>
/// Traces requests from their last workflow run to the state store: pipelines and containers (phase, duration, log
/// files), Works, WorkPlacements (paths written, commit or ETags), Destinations and state stores, and sub-requests of
/// compound Promises beneath their parent, each with its conditions and, when not ready, why.
/// </summary>
[Cmdlet(VerbsDiagnostic.Trace, "KratixRequest")]
[OutputType("Kratix.TraceNode")]
public sealed class TraceKratixRequestCommand : KratixCmdlet
{
    /// <summary>The requests' names (wildcards); all when omitted.</summary>
    [Parameter(Position = 0, ValueFromPipelineByPropertyName = true)]
    [SupportsWildcards]
    [ArgumentCompleter(typeof(RequestNameCompleter))]
    public string[]? Name { get; set; }

    /// <summary>Only requests of this Promise.</summary>
    [Parameter(ValueFromPipelineByPropertyName = true)]
    [ArgumentCompleter(typeof(PromiseNameCompleter))]
    public string? Promise { get; set; }

    /// <summary>Only requests in this namespace.</summary>
    [Parameter(ValueFromPipelineByPropertyName = true)]
    [ArgumentCompleter(typeof(NamespaceCompleter))]
    public string? Namespace { get; set; }

    // Read once per call: everything piped in is traced against the same objects, and a long pipeline does not read
    // the platform again for each input. Tracing changes nothing, so nothing read goes stale within the call.
    private TraceSnapshot? _snapshot;

    protected override void ProcessRecord() => WithPlatform(platform =>
    {
        var snapshot = _snapshot ??= TraceSnapshot.From(platform);
        var requests = snapshot.Requests.Where(r => (Promise is null || r.PromiseName == Promise) && (Namespace is null || r.Namespace == Namespace)).ToList();
        foreach (var request in requests.Where(r => NameFilter.Matches(Name, r.Name)).OrderBy(r => r.PromiseName, StringComparer.Ordinal).ThenBy(r => r.Namespace, StringComparer.Ordinal).ThenBy(r => r.Name, StringComparer.Ordinal))
        {
            WriteObject(PlatformTrace.Request(snapshot, request));
        }

        NameFilter.ReportMissing(this, Name, requests.Select(r => r.Name), "Request", "RequestNotFound");
    });
}
