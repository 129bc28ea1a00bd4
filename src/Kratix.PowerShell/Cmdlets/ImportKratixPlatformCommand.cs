using System.Management.Automation;
using Kratix.Manifests;
using Kratix.Platforms;

namespace Kratix.PowerShell.Cmdlets;

/// <summary>
/// Applies an export (Export-KratixPlatform, or any manifests of Kratix objects and requests) to a platform, embedded or
/// a cluster: every document is read first, then applied in an order that works (state stores, Destinations, Promises,
/// requests), each Promise waited for until Available before the requests. Each object's outcome is reported: a
/// failure is an error for that object and the others go on.
/// </summary>
[Cmdlet(VerbsData.Import, "KratixPlatform", DefaultParameterSetName = "Path", SupportsShouldProcess = true)]
[OutputType("Kratix.GitStateStore", "Kratix.BucketStateStore", "Kratix.Destination", "Kratix.Promise", "Kratix.ResourceRequest")]
public sealed class ImportKratixPlatformCommand : KratixCmdlet
{
    private readonly List<ManifestItem> _items = [];

    /// <summary>Export files (wildcards).</summary>
    [Parameter(ParameterSetName = "Path", Mandatory = true, Position = 0, ValueFromPipelineByPropertyName = true)]
    [SupportsWildcards]
    public string[]? Path { get; set; }

    [Parameter(ParameterSetName = "LiteralPath", Mandatory = true, ValueFromPipelineByPropertyName = true)]
    [Alias("PSPath", "LP")]
    public string[]? LiteralPath { get; set; }

    /// <summary>Manifests: YAML or JSON text (Export-KratixPlatform's output), files, hashtables, or objects a Kratix cmdlet output.</summary>
    [Parameter(ParameterSetName = "InputObject", Mandatory = true, ValueFromPipeline = true)]
    public object? InputObject { get; set; }

    /// <summary>How long to wait for each Promise to be Available before the requests after it, in seconds (default 300).</summary>
    [Parameter]
    [ValidateRange(1, int.MaxValue)]
    public int Timeout { get; set; } = 300;

    /// <summary>On a cluster, takes ownership of fields another field manager set (server-side apply with force) instead of stopping at the conflict.</summary>
    [Parameter]
    public SwitchParameter Force { get; set; }

    protected override bool TakeOwnership => Force;

    protected override void ProcessRecord() => _items.AddRange(ReadManifests(Path, LiteralPath, InputObject));

    protected override void EndProcessing()
    {
        _items.AddRange(ReadPipedLines());
        if (_items.Count > 0)
        {
            var byNode = new Dictionary<object, ManifestItem>(ReferenceEqualityComparer.Instance);
            foreach (var item in _items)
            {
                byNode.TryAdd(item.Node, item);
            }

            var ordered = PlatformExport.Order(_items.Select(i => i.Node)).Select(n => byNode[n]).ToList();
            // Namespaces (first in the order) are made but not output: they are not Kratix objects.
            WithPlatform(platform =>
            {
                ForEachManifest(ordered.Where(i => PlatformExport.IsNamespace(i.Node)), "Import", item => PlatformExport.Apply(platform, item.Node, item.Source, null, Cancellation), writeResult: false);
                ForEachManifest(
                    ordered.Where(i => !PlatformExport.IsNamespace(i.Node)),
                    "Import",
                    item => PlatformExport.Apply(platform, item.Node, item.Source, TimeSpan.FromSeconds(Timeout), Cancellation),
                    writeResult: true);
            });
        }

        base.EndProcessing();
    }
}
