using System.Management.Automation;
using Kratix.PowerShell.Completion;
using Kratix.Tracing;

namespace Kratix.PowerShell.Cmdlets;

/// <summary>
/// Traces Promises from their last promise.configure run to the state store: pipelines and containers, the
/// static-dependency and promise Works, their WorkPlacements (paths written, commit or ETags), Destinations and state
/// stores, required Promises, sub-Promises a platform Destination installed, and with -IncludeRequest each request's trace.
/// </summary>
[Cmdlet(VerbsDiagnostic.Trace, "KratixPromise")]
[OutputType("Kratix.TraceNode")]
public sealed class TraceKratixPromiseCommand : KratixCmdlet
{
    /// <summary>The Promises' names (wildcards); all when omitted.</summary>
    [Parameter(Position = 0, ValueFromPipeline = true, ValueFromPipelineByPropertyName = true)]
    [SupportsWildcards]
    [ArgumentCompleter(typeof(PromiseNameCompleter))]
    public string[]? Name { get; set; }

    /// <summary>Adds each of the Promise's requests, traced, beneath it.</summary>
    [Parameter]
    public SwitchParameter IncludeRequest { get; set; }

    // Read once per call: everything piped in is traced against the same objects, and a long pipeline does not read
    // the platform again for each input. Tracing changes nothing, so nothing read goes stale within the call.
    private TraceSnapshot? _snapshot;

    protected override void ProcessRecord() => WithPlatform(platform =>
    {
        var snapshot = _snapshot ??= TraceSnapshot.From(platform);
        foreach (var promise in snapshot.Promises.Where(p => NameFilter.Matches(Name, p.Name)).OrderBy(p => p.Name, StringComparer.Ordinal))
        {
            WriteObject(PlatformTrace.Promise(snapshot, promise, IncludeRequest.IsPresent));
        }

        NameFilter.ReportMissing(this, Name, snapshot.Promises.Select(p => p.Name), "Promise", "PromiseNotFound");
    });
}
