using System.Management.Automation;
using Kratix.PowerShell.Completion;

namespace Kratix.PowerShell.Cmdlets;

/// <summary>Lists resource requests, by Promise, namespace and name (wildcards).</summary>
[Cmdlet(VerbsCommon.Get, "KratixRequest")]
[OutputType("Kratix.ResourceRequest")]
public sealed class GetKratixRequestCommand : KratixCmdlet
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

    protected override void ProcessRecord() => WithPlatform(platform =>
    {
        var requests = platform.GetRequests(Promise, Namespace);
        foreach (var request in requests.Where(r => NameFilter.Matches(Name, r.Name)))
        {
            WriteKratixObject(request);
        }

        NameFilter.ReportMissing(this, Name, requests.Select(r => r.Name), "Request", "RequestNotFound");
    });
}
