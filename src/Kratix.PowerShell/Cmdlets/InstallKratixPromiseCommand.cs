using System.Management.Automation;

namespace Kratix.PowerShell.Cmdlets;

/// <summary>Installs or updates Promises from files, YAML text, hashtables or Promise objects.</summary>
[Cmdlet(VerbsLifecycle.Install, "KratixPromise", DefaultParameterSetName = "Path", SupportsShouldProcess = true)]
[OutputType("Kratix.Promise")]
public sealed class InstallKratixPromiseCommand : KratixCmdlet
{
    [Parameter(ParameterSetName = "Path", Mandatory = true, Position = 0, ValueFromPipeline = true, ValueFromPipelineByPropertyName = true)]
    [SupportsWildcards]
    public string[]? Path { get; set; }

    [Parameter(ParameterSetName = "LiteralPath", Mandatory = true, ValueFromPipelineByPropertyName = true)]
    [Alias("PSPath", "LP")]
    public string[]? LiteralPath { get; set; }

    [Parameter(ParameterSetName = "InputObject", Mandatory = true, ValueFromPipeline = true)]
    public object? InputObject { get; set; }

    [Parameter]
    public SwitchParameter PassThru { get; set; }

    protected override void ProcessRecord() => WithPlatform(platform =>
    {
        var items = ReadManifests(Path, LiteralPath, InputObject).ToList();
        // Many documents: a progress bar of its own over the engine's, which shows each install's stages under it.
        ProgressLevelOffset = items.Count > 1 ? 1 : 0;
        var done = 0;
        ForEachManifest(
            items,
            "Install Promise",
            item =>
            {
                if (items.Count > 1)
                {
                    WriteCommandProgress(0, $"Installing {items.Count:N0} Promises", "Installing", done++, items.Count, item.Describe());
                }

                item.ExpectKind("Promise");
                return Pump(() => platform.InstallPromise(item.Node, Cancellation));
            },
            PassThru);
        CompleteProgress();
    });
}
