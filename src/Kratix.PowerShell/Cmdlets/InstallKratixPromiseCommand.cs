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

    protected override void ProcessRecord() => WithPlatform(platform => ForEachManifest(
        ReadManifests(Path, LiteralPath, InputObject),
        "Install Promise",
        item =>
        {
            item.ExpectKind("Promise");
            return platform.InstallPromise(item.Node, Cancellation);
        },
        PassThru));
}
