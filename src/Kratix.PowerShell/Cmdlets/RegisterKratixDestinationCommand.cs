using System.Collections;
using System.Management.Automation;
using Kratix.PowerShell.Completion;
using System.Text.Json.Nodes;
using Kratix.Manifests;
using Kratix.Objects;

namespace Kratix.PowerShell.Cmdlets;

/// <summary>
/// Registers a Destination: a target with labels, writing to a state store. Kratix writes its canary documents,
/// reports Ready, and schedules everything that was waiting for a matching Destination.
/// </summary>
[Cmdlet(VerbsLifecycle.Register, "KratixDestination", DefaultParameterSetName = "Parameters", SupportsShouldProcess = true)]
[OutputType("Kratix.Destination")]
public sealed class RegisterKratixDestinationCommand : KratixCmdlet
{
    /// <summary>On a cluster, takes ownership of fields another field manager set (server-side apply with force) instead of stopping at the conflict.</summary>
    [Parameter]
    public SwitchParameter Force { get; set; }

    protected override bool TakeOwnership => Force;

    [Parameter(ParameterSetName = "Parameters", Mandatory = true, Position = 0)]
    [ValidateNotNullOrEmpty]
    public string? Name { get; set; }

    /// <summary>The name of a registered state store.</summary>
    [Parameter(ParameterSetName = "Parameters", Mandatory = true, Position = 1)]
    [ValidateNotNullOrEmpty]
    [ArgumentCompleter(typeof(StateStoreNameCompleter))]
    public string? StateStore { get; set; }

    [Parameter(ParameterSetName = "Parameters")]
    [ValidateSet("GitStateStore", "BucketStateStore")]
    public string StateStoreKind { get; set; } = "GitStateStore";

    /// <summary>spec.path: the Destination's folder in the state store; defaults to the Destination's name.</summary>
    [Parameter(ParameterSetName = "Parameters")]
    public string? DestinationPath { get; set; }

    [Parameter(ParameterSetName = "Parameters")]
    [ArgumentCompleter(typeof(DestinationLabelCompleter))]
    public IDictionary? Label { get; set; }

    [Parameter(ParameterSetName = "Parameters")]
    public SwitchParameter StrictMatchLabels { get; set; }

    [Parameter(ParameterSetName = "Parameters")]
    [ValidateSet("nestedByMetadata", "aggregatedYAML", "none")]
    public string FilepathMode { get; set; } = "nestedByMetadata";

    /// <summary>spec.filepath.filename: with -FilepathMode aggregatedYAML, the file under the Destination's path that holds every workload (default aggregated.yaml).</summary>
    [Parameter(ParameterSetName = "Parameters")]
    [ValidateNotNullOrEmpty]
    public string? AggregatedFilename { get; set; }

    /// <summary>all: remove what was written for this Destination when it is unregistered.</summary>
    [Parameter(ParameterSetName = "Parameters")]
    [ValidateSet("none", "all")]
    public string Cleanup { get; set; } = "none";

    /// <summary>Do not write the canary documents.</summary>
    [Parameter(ParameterSetName = "Parameters")]
    public SwitchParameter NoInitWorkloads { get; set; }

    /// <summary>
    /// Makes the Destination the platform itself (annotation kratix.io/apply-to-platform: "true"): Promises and requests
    /// scheduled to it are installed and submitted on this platform, as a GitOps agent on upstream's platform cluster
    /// would (compound Promises).
    /// </summary>
    [Parameter(ParameterSetName = "Parameters")]
    public SwitchParameter ApplyToPlatform { get; set; }

    [Parameter(ParameterSetName = "Path", Mandatory = true, ValueFromPipelineByPropertyName = true)]
    [SupportsWildcards]
    public string[]? Path { get; set; }

    [Parameter(ParameterSetName = "LiteralPath", Mandatory = true, ValueFromPipelineByPropertyName = true)]
    [Alias("PSPath", "LP")]
    public string[]? LiteralPath { get; set; }

    /// <summary>
    /// Manifests: YAML or JSON text (a whole text, or one line per string, joined until the input ends; documents are
    /// separated by ---), files from Get-Item or Get-ChildItem, hashtables, or objects a Kratix cmdlet output.
    /// </summary>
    [Parameter(ParameterSetName = "InputObject", Mandatory = true, ValueFromPipeline = true)]
    public object? InputObject { get; set; }

    [Parameter]
    public SwitchParameter PassThru { get; set; }

    protected override void ProcessRecord() => Register(Manifests());

    protected override void EndProcessing()
    {
        Register(ReadPipedLines());
        base.EndProcessing();
    }

    private void Register(IEnumerable<ManifestItem> manifests)
    {
        var items = manifests.ToList();
        if (items.Count == 0)
        {
            return;
        }

        WithPlatform(platform => ForEachManifest(
            items,
            "Register Destination",
            item =>
            {
                item.ExpectKind("Destination");
                return platform.RegisterDestination(item.Node, Cancellation);
            },
            PassThru));
    }

    private IEnumerable<ManifestItem> Manifests()
    {
        if (ParameterSetName != "Parameters")
        {
            return ReadManifests(Path, LiteralPath, InputObject);
        }

        var metadata = new JsonObject { ["name"] = Name };
        if (ToJson(Label) is JsonObject labels && labels.Count > 0)
        {
            metadata["labels"] = labels;
        }

        if (ApplyToPlatform)
        {
            metadata["annotations"] = new JsonObject { [Destination.ApplyToPlatformAnnotation] = "true" };
        }

        var spec = new JsonObject
        {
            ["path"] = DestinationPath ?? Name,
            ["stateStoreRef"] = new JsonObject { ["kind"] = StateStoreKind, ["name"] = StateStore },
            ["strictMatchLabels"] = StrictMatchLabels.IsPresent,
            ["filepath"] = AggregatedFilename is null ? new JsonObject { ["mode"] = FilepathMode } : new JsonObject { ["mode"] = FilepathMode, ["filename"] = AggregatedFilename },
            ["cleanup"] = Cleanup,
            ["initWorkloads"] = new JsonObject { ["enabled"] = !NoInitWorkloads.IsPresent },
        };
        return [new ManifestItem(new JsonObject { ["apiVersion"] = KratixApi.ApiVersion, ["kind"] = KratixApi.DestinationKind, ["metadata"] = metadata, ["spec"] = spec }, null)];
    }
}
