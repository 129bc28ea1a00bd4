using System.Management.Automation;
using Kratix.PowerShell.Completion;
using Kratix.Objects;
using Kratix.Pipelines;

namespace Kratix.PowerShell.Cmdlets;

/// <summary>
/// Outputs the logs of the last recorded run of a Promise's or a request's workflow, one object per container, from
/// what the platform keeps under its home's workflows folder: `Get-KratixRequest -Promise redis | Get-KratixPipelineLog
/// -Tail 20`, `Get-KratixPromise redis | Get-KratixPipelineLog`. On a cluster, from the Pods of upstream's workflow Jobs.
/// </summary>
[Cmdlet(VerbsCommon.Get, "KratixPipelineLog")]
[OutputType("Kratix.PipelineLog")]
public sealed class GetKratixPipelineLogCommand : KratixCmdlet
{
    /// <summary>
    /// The requests' names (wildcards); without it, the Promise's own workflow. For objects Get-KratixPromise outputs
    /// (Kind Promise) these are the Promises' names.
    /// </summary>
    [Parameter(Position = 0, ValueFromPipelineByPropertyName = true)]
    [SupportsWildcards]
    [ArgumentCompleter(typeof(RequestNameCompleter))]
    public string[]? Name { get; set; }

    /// <summary>The Promise: the requests', or, without -Name, the one whose own workflow's logs are wanted.</summary>
    [Parameter(ValueFromPipelineByPropertyName = true)]
    [ArgumentCompleter(typeof(PromiseNameCompleter))]
    public string? Promise { get; set; }

    /// <summary>Only requests in this namespace.</summary>
    [Parameter(ValueFromPipelineByPropertyName = true)]
    [ArgumentCompleter(typeof(NamespaceCompleter))]
    public string? Namespace { get; set; }

    /// <summary>Bound from piped objects: Promise means -Name names Promises, anything else requests.</summary>
    [Parameter(ValueFromPipelineByPropertyName = true, DontShow = true)]
    public string? Kind { get; set; }

    /// <summary>configure (default) or delete: which workflow's last run.</summary>
    [Parameter]
    [ValidateSet("Configure", "Delete", IgnoreCase = true)]
    public string Action { get; set; } = "Configure";

    /// <summary>Only these pipelines (wildcards).</summary>
    [Parameter]
    [SupportsWildcards]
    [ArgumentCompleter(typeof(PipelineNameCompleter))]
    public string[]? Pipeline { get; set; }

    /// <summary>Only these containers (wildcards).</summary>
    [Parameter]
    [SupportsWildcards]
    public string[]? Container { get; set; }

    /// <summary>Only the last N lines of each log.</summary>
    [Parameter]
    [ValidateRange(0, int.MaxValue)]
    public int? Tail { get; set; }

    protected override void ProcessRecord() => WithPlatform(platform =>
    {
        var action = Action.ToLowerInvariant();
        var targets = new List<(string Type, string Promise, string? Namespace, string Name, string What)>();
        if (string.Equals(Kind, KratixApi.PromiseKind, StringComparison.Ordinal))
        {
            var promises = platform.GetPromises();
            targets.AddRange(promises.Where(p => NameFilter.Matches(Name, p.Name)).Select(p => (WorkflowTypes.Promise, p.Name, (string?)null, p.Name, $"Promise \"{p.Name}\"")));
            NameFilter.ReportMissing(this, Name, promises.Select(p => p.Name), "Promise", "PromiseNotFound");
        }
        else if (Name is null || Name.Length == 0)
        {
            if (Promise is null)
            {
                ThrowTerminatingError(new ErrorRecord(
                    new PSArgumentException("Name requests (-Name, wildcards; -Promise and -Namespace narrow them) or a Promise (-Promise alone, for its own workflow), or pipe in what Get-KratixRequest or Get-KratixPromise outputs."),
                    "PipelineLogTargetMissing",
                    ErrorCategory.InvalidArgument,
                    null));
            }

            targets.Add((WorkflowTypes.Promise, Promise!, null, Promise!, $"Promise \"{Promise}\""));
        }
        else
        {
            var requests = platform.GetRequests(Promise, Namespace);
            targets.AddRange(requests.Where(r => NameFilter.Matches(Name, r.Name))
                .Select(r => (WorkflowTypes.Resource, r.PromiseName, (string?)(r.Namespace ?? "default"), r.Name, $"request \"{r.Namespace}/{r.Name}\" of Promise \"{r.PromiseName}\"")));
            NameFilter.ReportMissing(this, Name, requests.Select(r => r.Name), "Request", "RequestNotFound");
        }

        foreach (var (type, promise, ns, name, what) in targets)
        {
            var run = platform.GetWorkflowRun(type, action, promise, ns, name);
            if (run is null)
            {
                WriteError(new ErrorRecord(
                    new ItemNotFoundException($"No {type}.{action} run is recorded for {what}: its workflow has not run on this platform (or its Promise has no {type}.{action} pipeline)."),
                    "PipelineRunNotFound",
                    ErrorCategory.ObjectNotFound,
                    name));
                continue;
            }

            foreach (var log in platform.GetPipelineLogs(run, Tail).Where(l => NameFilter.Matches(Pipeline, l.Pipeline) && NameFilter.Matches(Container, l.Container)))
            {
                WriteObject(log);
            }
        }
    });
}
