using System.Collections;
using System.Management.Automation;
using System.Text.Json.Nodes;
using Kratix.Objects;
using Kratix.PowerShell.Completion;

namespace Kratix.PowerShell.Cmdlets;

/// <summary>
/// Creates or replaces a HealthRecord about a request: its state (unknown, ready, healthy, degraded, unhealthy), when
/// the check ran and what it found. The request's status.healthStatus then aggregates every record about it, as upstream
/// Kratix does: at once on the embedded platform, by upstream's controller on a cluster.
/// `Get-KratixRequest -Promise redis | Set-KratixHealthRecord -State healthy` records every redis request healthy.
/// With -Path or -InputObject, HealthRecord manifests are applied as they are.
/// </summary>
[Cmdlet(VerbsCommon.Set, "KratixHealthRecord", DefaultParameterSetName = "InputObject", SupportsShouldProcess = true)]
[OutputType("Kratix.HealthRecord")]
public sealed class SetKratixHealthRecordCommand : KratixCmdlet
{
    /// <summary>The request's name.</summary>
    [Parameter(Mandatory = true, Position = 0, ValueFromPipelineByPropertyName = true, ParameterSetName = "Request")]
    [ArgumentCompleter(typeof(RequestNameCompleter))]
    public string Name { get; set; } = string.Empty;

    /// <summary>The Promise whose request it is.</summary>
    [Parameter(Mandatory = true, ValueFromPipelineByPropertyName = true, ParameterSetName = "Request")]
    [ArgumentCompleter(typeof(PromiseNameCompleter))]
    public string Promise { get; set; } = string.Empty;

    /// <summary>The request's namespace, where the record goes too; default: default on a platform home, the context's namespace on a cluster.</summary>
    [Parameter(ValueFromPipelineByPropertyName = true, ParameterSetName = "Request")]
    [ArgumentCompleter(typeof(NamespaceCompleter))]
    public string? Namespace { get; set; }

    /// <summary>The health state: unknown, ready, healthy, degraded or unhealthy.</summary>
    [Parameter(Mandatory = true, ParameterSetName = "Request")]
    [ValidateSet("unknown", "ready", "healthy", "degraded", "unhealthy")]
    public string State { get; set; } = string.Empty;

    /// <summary>What the check found, kept as data.details (any hashtable or object).</summary>
    [Parameter(ParameterSetName = "Request")]
    public IDictionary? Details { get; set; }

    /// <summary>
    /// What wrote the record (a check, a script, a monitor): the record is named &lt;promise&gt;-&lt;request&gt;-&lt;source&gt;
    /// (&lt;promise&gt;-&lt;request&gt; without it), so each source keeps its own record per request.
    /// </summary>
    [Parameter(ParameterSetName = "Request")]
    [ValidatePattern("^[a-z0-9]([-a-z0-9]*[a-z0-9])?$")]
    public string? Source { get; set; }

    /// <summary>When the check ran; default now. Kept as data.lastRun, Unix seconds.</summary>
    [Parameter(ParameterSetName = "Request")]
    public DateTimeOffset? LastRun { get; set; }

    /// <summary>Files holding HealthRecord manifests (wildcards).</summary>
    [Parameter(Mandatory = true, ParameterSetName = "Path")]
    [SupportsWildcards]
    public string[]? Path { get; set; }

    /// <summary>Files holding HealthRecord manifests, taken as they are.</summary>
    [Parameter(Mandatory = true, ValueFromPipelineByPropertyName = true, ParameterSetName = "LiteralPath")]
    [Alias("PSPath")]
    public string[]? LiteralPath { get; set; }

    /// <summary>HealthRecord manifests: YAML or JSON text, hashtables, or objects Get-KratixHealthRecord output.</summary>
    [Parameter(Mandatory = true, ValueFromPipeline = true, ParameterSetName = "InputObject")]
    public object? InputObject { get; set; }

    /// <summary>Outputs each record written.</summary>
    [Parameter]
    public SwitchParameter PassThru { get; set; }

    protected override void ProcessRecord()
    {
        if (ParameterSetName == "Request")
        {
            SetForRequest();
            return;
        }

        var items = ReadManifests(Path, LiteralPath, InputObject).ToList();
        Apply(items);
    }

    protected override void EndProcessing()
    {
        if (ParameterSetName == "InputObject")
        {
            Apply(ReadPipedLines());
        }

        base.EndProcessing();
    }

    private void Apply(IReadOnlyList<Manifests.ManifestItem> items)
    {
        if (items.Count == 0)
        {
            return;
        }

        WithPlatform(platform => ForEachManifest(items, "Set HealthRecord", item =>
        {
            item.ExpectKind(KratixApi.HealthRecordKind);
            return platform.ApplyHealthRecord(item.Node, item.Source, Cancellation);
        }, PassThru));
    }

    private void SetForRequest()
    {
        var recordName = Source is null ? $"{Promise}-{Name}" : $"{Promise}-{Name}-{Source}";
        if (!ShouldProcess($"HealthRecord \"{recordName}\" about request \"{Namespace ?? DefaultNamespaceText}/{Name}\" of Promise \"{Promise}\"", $"Set health {State}"))
        {
            return;
        }

        WithPlatform(
            platform =>
            {
                var ns = Namespace ?? platform.DefaultNamespace;
                var data = new JsonObject
                {
                    ["promiseRef"] = new JsonObject { ["name"] = Promise },
                    ["resourceRef"] = new JsonObject { ["name"] = Name, ["namespace"] = ns },
                    ["state"] = State,
                    ["lastRun"] = (LastRun ?? DateTimeOffset.UtcNow).ToUnixTimeSeconds(),
                };
                if (Details is not null)
                {
                    data["details"] = ToJson(Details);
                }

                var record = platform.ApplyHealthRecord(
                    new JsonObject
                    {
                        ["apiVersion"] = KratixApi.ApiVersion,
                        ["kind"] = KratixApi.HealthRecordKind,
                        ["metadata"] = new JsonObject { ["name"] = recordName, ["namespace"] = ns },
                        ["data"] = data,
                    },
                    null,
                    Cancellation);
                if (PassThru)
                {
                    WriteKratixObject(record);
                }
            },
            recordName);
    }
}
