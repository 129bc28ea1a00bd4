using System.Collections;
using System.Management.Automation;
using System.Text.Json.Nodes;
using Kratix.Health;
using Kratix.Objects;
using Kratix.Platforms;
using Kratix.PowerShell.Completion;

namespace Kratix.PowerShell.Cmdlets;

/// <summary>
/// Asserts a Promise end to end, on a platform home or a cluster: submits a probe request (from -Path, -InputObject, or
/// the Promise's API with -Spec), waits until it is Reconciled, checks that its documents reached their Destinations'
/// state stores, removes it, records the outcome as a HealthRecord, and outputs the run with its timings. With -Count it
/// runs again (every -Interval) and outputs one summary: success ratio, latency percentiles, and whether the objectives
/// given (-SuccessRatio, -LatencyObjective at -LatencyPercentile) were met, in Passed.
/// </summary>
[Cmdlet(VerbsDiagnostic.Measure, "KratixPromise", DefaultParameterSetName = "Spec", SupportsShouldProcess = true)]
[OutputType(ResultTypeName, SummaryTypeName)]
public sealed class MeasureKratixPromiseCommand : KratixCmdlet
{
    /// <summary>The type name of one run's result (PromiseProbeResult).</summary>
    public const string ResultTypeName = "Kratix.PromiseProbeResult";

    /// <summary>The type name of the summary of repeated runs (PromiseProbeSummary).</summary>
    public const string SummaryTypeName = "Kratix.PromiseProbeSummary";

    /// <summary>The Promise to probe.</summary>
    [Parameter(Mandatory = true, Position = 0, ValueFromPipelineByPropertyName = true)]
    [ArgumentCompleter(typeof(PromiseNameCompleter))]
    public string Name { get; set; } = string.Empty;

    /// <summary>A file holding the probe request's manifest (wildcards, matching one file); its name is the base of each probe's name.</summary>
    [Parameter(Mandatory = true, ParameterSetName = "Path")]
    [SupportsWildcards]
    [ValidateNotNullOrEmpty]
    public string? Path { get; set; }

    /// <summary>A file holding the probe request's manifest, taken as it is.</summary>
    [Parameter(Mandatory = true, ValueFromPipelineByPropertyName = true, ParameterSetName = "LiteralPath")]
    [Alias("PSPath")]
    [ValidateNotNullOrEmpty]
    public string? LiteralPath { get; set; }

    /// <summary>The probe request's manifest: YAML or JSON text, a hashtable, or an object Get-KratixRequest output.</summary>
    [Parameter(Mandatory = true, ParameterSetName = "InputObject")]
    [ValidateNotNull]
    public object? InputObject { get; set; }

    /// <summary>The spec of a probe request built from the Promise's API (the API's defaults fill the rest); default: empty.</summary>
    [Parameter(ParameterSetName = "Spec")]
    public IDictionary? Spec { get; set; }

    /// <summary>Where the probe request (and its HealthRecord) go; default: default on a platform home, the context's namespace on a cluster.</summary>
    [Parameter]
    [ArgumentCompleter(typeof(NamespaceCompleter))]
    public string? Namespace { get; set; }

    /// <summary>How long, in seconds, a run may take until its documents are on the state stores, and again its removal (default 300).</summary>
    [Parameter]
    [ValidateRange(1, int.MaxValue)]
    public int Timeout { get; set; } = 300;

    /// <summary>How many runs; with it (or an objective, or -Interval), the output is one summary of them.</summary>
    [Parameter]
    [ValidateRange(1, 100_000)]
    public int? Count { get; set; }

    /// <summary>The pause between the start of one run and the start of the next (default: none).</summary>
    [Parameter]
    public TimeSpan Interval { get; set; } = TimeSpan.Zero;

    /// <summary>The objective for the ratio of runs that succeed, from 0 to 1 (0.99: 99 of 100). Without it (and -LatencyObjective), every run must succeed.</summary>
    [Parameter]
    [ValidateRange(0.0, 1.0)]
    public double? SuccessRatio { get; set; }

    /// <summary>The objective for the latency (submission until the documents are on the state stores) at -LatencyPercentile.</summary>
    [Parameter]
    public TimeSpan? LatencyObjective { get; set; }

    /// <summary>The percentile -LatencyObjective is about, 1 to 100 (default 90: nine runs in ten are that fast).</summary>
    [Parameter]
    [ValidateRange(1, 100)]
    public int LatencyPercentile { get; set; } = 90;

    /// <summary>The HealthRecord the outcome is written to (about the Promise, in the probe's namespace); default &lt;promise&gt;-probe.</summary>
    [Parameter]
    [ValidateNotNullOrEmpty]
    [ArgumentCompleter(typeof(HealthRecordNameCompleter))]
    public string? HealthRecordName { get; set; }

    /// <summary>Writes no HealthRecord.</summary>
    [Parameter]
    public SwitchParameter NoHealthRecord { get; set; }

    private static readonly TimeSpan PollInterval = TimeSpan.FromMilliseconds(500);

    protected override void ProcessRecord()
    {
        var template = Template();
        var summarise = new[] { nameof(Count), nameof(Interval), nameof(SuccessRatio), nameof(LatencyObjective), nameof(LatencyPercentile) }.Any(MyInvocation.BoundParameters.ContainsKey);
        var runs = Count ?? 1;
        if (!ShouldProcess($"Promise \"{Name}\"", runs == 1 ? "Submit and remove a probe request" : $"Submit and remove {runs} probe requests"))
        {
            return;
        }

        WithPlatform(
            platform =>
            {
                var promise = platform.GetPromises().FirstOrDefault(p => p.Name == Name) ?? throw new KratixException(
                    "PromiseNotFound", KratixErrorCategory.ObjectNotFound, $"Promise \"{Name}\" is not installed. Get-KratixPromise lists those that are.", Name);
                var ns = Namespace ?? (template is null ? null : new KubeObject(template).Namespace) ?? platform.DefaultNamespace;
                var results = new List<PromiseProbeResult>();
                var started = DateTimeOffset.UtcNow;
                for (var i = 0; i < runs; i++)
                {
                    if (i > 0 && Interval > TimeSpan.Zero)
                    {
                        var next = started + (Interval * i);
                        var wait = next - DateTimeOffset.UtcNow;
                        if (wait > TimeSpan.Zero && Cancellation.WaitHandle.WaitOne(wait))
                        {
                            throw new OperationCanceledException(Cancellation);
                        }
                    }

                    if (runs > 1)
                    {
                        WriteCommandProgress(0, $"Probing Promise \"{Name}\"", $"Run {i + 1} of {runs}", i, runs);
                    }

                    var request = PromiseProbe.BuildRequest(promise, template, template is null ? ToJson(Spec) : null, ns);
                    var result = Pump(() => PromiseProbe.Run(platform, Name, request, TimeSpan.FromSeconds(Timeout), PollInterval, Cancellation));
                    WriteVerbose(result.Success
                        ? $"Probe {result.Namespace}/{result.Request}: Reconciled after {result.TimeToReconciled?.TotalSeconds:0.###} s, on the state stores after {result.TimeToStateStore?.TotalSeconds:0.###} s, removed; {result.Total.TotalSeconds:0.###} s in all."
                        : $"Probe {result.Namespace}/{result.Request} failed at {result.FailedStep}: {result.Message}");
                    results.Add(result);
                }

                CompleteProgress();
                if (!summarise)
                {
                    var result = results[0];
                    RecordHealth(platform, ns, result.Success ? HealthRecord.StateHealthy : HealthRecord.StateUnhealthy, result.ToDetails());
                    Write(result, ResultTypeName);
                    return;
                }

                var summary = PromiseProbeSummary.Of(Name, results, SuccessRatio, LatencyObjective, LatencyPercentile);
                RecordHealth(platform, ns, summary.HealthState, summary.ToDetails());
                Write(summary, SummaryTypeName);
            },
            Name);
    }

    private void RecordHealth(IKratixPlatform platform, string ns, string state, JsonObject details)
    {
        if (NoHealthRecord)
        {
            return;
        }

        try
        {
            PromiseProbe.Record(platform, Name, ns, HealthRecordName ?? $"{Name}-probe", state, details, Cancellation);
        }
        catch (KratixException ex)
        {
            // The measurement stands even when its record cannot be written.
            Report(ex, Name);
        }
    }

    private void Write(object value, string typeName)
    {
        var wrapped = new PSObject(value);
        wrapped.TypeNames.Insert(0, typeName);
        WriteObject(wrapped);
    }

    /// <summary>The probe request's manifest from -Path or -InputObject; null to build one from the Promise's API.</summary>
    private JsonObject? Template()
    {
        if (ParameterSetName == "Spec")
        {
            return null;
        }

        var source = (object?)Path ?? LiteralPath ?? InputObject;
        try
        {
            IReadOnlyList<Manifests.ManifestItem> items;
            if (ParameterSetName == "Path")
            {
                var files = GetResolvedProviderPathFromPSPath(Path!, out _);
                if (files.Count != 1)
                {
                    throw new KratixException("ProbeRequestNotOne", KratixErrorCategory.InvalidArgument, $"-Path {Path} matches {files.Count} files; the probe request is one manifest in one file.", Path);
                }

                items = ManifestsFrom(files[0]);
            }
            else
            {
                items = ManifestsFrom(ParameterSetName == "LiteralPath" ? GetUnresolvedProviderPathFromPSPath(LiteralPath!) : InputObject!);
            }

            if (items.Count != 1)
            {
                throw new KratixException("ProbeRequestNotOne", KratixErrorCategory.InvalidArgument, $"The probe request must be one manifest; {Path ?? LiteralPath ?? "-InputObject"} holds {items.Count}.", Name);
            }

            return items[0].Node;
        }
        catch (ItemNotFoundException ex)
        {
            ThrowTerminatingError(new ErrorRecord(ex, "ManifestFileNotFound", ErrorCategory.ObjectNotFound, Path));
            throw;
        }
        catch (KratixException ex)
        {
            Report(ex, source, terminating: true);
            throw;
        }
    }
}
