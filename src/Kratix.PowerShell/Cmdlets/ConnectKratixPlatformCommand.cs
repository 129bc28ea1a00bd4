using System.Management.Automation;
using Kratix.Platforms.Embedded;

namespace Kratix.PowerShell.Cmdlets;

/// <summary>Chooses the platform home the Kratix cmdlets in this session use (created if missing).</summary>
[Cmdlet(VerbsCommunications.Connect, "KratixPlatform", SupportsShouldProcess = true)]
[OutputType("Kratix.PlatformInfo")]
public sealed class ConnectKratixPlatformCommand : KratixCmdlet
{
    /// <summary>The platform home directory. Defaults to $env:KRATIX_HOME, then ~/.kratix.</summary>
    [Parameter(Position = 0, ValueFromPipelineByPropertyName = true)]
    [Alias("Home")]
    public string? Path { get; set; }

    [Parameter]
    public SwitchParameter PassThru { get; set; }

    protected override void ProcessRecord()
    {
        var home = Path is null ? EmbeddedPlatformOptions.DefaultHome : GetUnresolvedProviderPathFromPSPath(Path);
        if (!ShouldProcess(home, "Use as the Kratix platform home"))
        {
            return;
        }

        Directory.CreateDirectory(home);
        PlatformSession.Home = home;
        if (PassThru)
        {
            Platform = home;
            WithPlatform(p => WriteObject(PlatformInfo.Describe(p)));
        }
    }
}
