using System.Management.Automation;

namespace Kratix.PowerShell.Cmdlets;

/// <summary>
/// Dry-runs installing or upgrading Promises (what Install-KratixPromise -WhatIf shows): the install runs on a scratch
/// copy of the platform with KRATIX_DRY_RUN=true for every workflow, its requests' workflows too when it changes them,
/// and one Kratix.DryRunChange is output per file that would be added, changed or removed. Nothing is written. The
/// embedded platform only: upstream's DryRun previews requests, not Promises.
/// </summary>
[Cmdlet(VerbsData.Compare, "KratixPromise", DefaultParameterSetName = "Path")]
[OutputType("Kratix.DryRunChange")]
public sealed class CompareKratixPromiseCommand : KratixCmdlet
{
    /// <summary>Promise files (wildcards). From the pipeline only by property name: piped strings are manifest text (-InputObject).</summary>
    [Parameter(ParameterSetName = "Path", Mandatory = true, Position = 0, ValueFromPipelineByPropertyName = true)]
    [SupportsWildcards]
    public string[]? Path { get; set; }

    [Parameter(ParameterSetName = "LiteralPath", Mandatory = true, ValueFromPipelineByPropertyName = true)]
    [Alias("PSPath", "LP")]
    public string[]? LiteralPath { get; set; }

    /// <summary>Manifests: YAML or JSON text, files from Get-Item or Get-ChildItem, hashtables, or objects a Kratix cmdlet output.</summary>
    [Parameter(ParameterSetName = "InputObject", Mandatory = true, ValueFromPipeline = true)]
    public object? InputObject { get; set; }

    protected override void ProcessRecord() => Compare(ReadManifests(Path, LiteralPath, InputObject));

    protected override void EndProcessing()
    {
        Compare(ReadPipedLines());
        base.EndProcessing();
    }

    private void Compare(IEnumerable<Kratix.Manifests.ManifestItem> manifests)
    {
        var items = manifests.ToList();
        if (items.Count == 0)
        {
            return;
        }

        WithPlatform(platform =>
        {
            foreach (var item in items)
            {
                try
                {
                    item.ExpectKind("Promise");
                    var result = Pump(() => platform.DryRunPromise(item.Node, Cancellation));
                    foreach (var change in result.Changes)
                    {
                        WriteObject(DryRunView.Wrap(result, change));
                    }

                    foreach (var failure in result.Failures)
                    {
                        Report(DryRunView.Failure(failure), item.Describe());
                    }
                }
                catch (KratixException ex)
                {
                    Report(ex, item.Describe());
                }
            }
        });
    }
}
