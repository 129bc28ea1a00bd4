using System.Management.Automation;
using Kratix.Platforms.Embedded;

namespace Kratix.PowerShell.Cmdlets;

/// <summary>Chooses the platform home the Kratix cmdlets in this session use (created if missing).</summary>
[Cmdlet(VerbsCommunications.Connect, "KratixPlatform", DefaultParameterSetName = "Path", SupportsShouldProcess = true)]
[OutputType("Kratix.PlatformInfo")]
public sealed class ConnectKratixPlatformCommand : KratixCmdlet
{
    /// <summary>The platform home directory. Defaults to $env:KRATIX_HOME, then ~/.kratix. A wildcard must match exactly one existing directory.</summary>
    [Parameter(ParameterSetName = "Path", Position = 0, ValueFromPipelineByPropertyName = true)]
    [Alias("Home")]
    [SupportsWildcards]
    public string? Path { get; set; }

    /// <summary>The platform home directory, used exactly as written; binds PSPath, so `Get-Item dir | Connect-KratixPlatform` works.</summary>
    [Parameter(ParameterSetName = "LiteralPath", Mandatory = true, ValueFromPipelineByPropertyName = true)]
    [Alias("PSPath", "LP")]
    public string? LiteralPath { get; set; }

    [Parameter]
    public SwitchParameter PassThru { get; set; }

    protected override void ProcessRecord()
    {
        var home = ResolveHome();
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

    private string ResolveHome()
    {
        if (LiteralPath is not null)
        {
            return GetUnresolvedProviderPathFromPSPath(LiteralPath);
        }

        if (Path is null)
        {
            return EmbeddedPlatformOptions.DefaultHome;
        }

        if (!WildcardPattern.ContainsWildcardCharacters(Path))
        {
            // The home need not exist yet: it is created.
            return GetUnresolvedProviderPathFromPSPath(Path);
        }

        List<string> matches;
        try
        {
            matches = [.. GetResolvedProviderPathFromPSPath(Path, out _)];
        }
        catch (ItemNotFoundException)
        {
            matches = [];
        }

        if (matches.Count != 1)
        {
            ThrowTerminatingError(new ErrorRecord(
                new ArgumentException(matches.Count == 0
                    ? $"No directory matches \"{Path}\". Give an existing directory, or use -LiteralPath for a name with wildcard characters."
                    : $"\"{Path}\" matches {matches.Count} paths ({string.Join(", ", matches)}); a platform home must be one directory."),
                matches.Count == 0 ? "PlatformPathNotFound" : "PlatformPathAmbiguous",
                matches.Count == 0 ? ErrorCategory.ObjectNotFound : ErrorCategory.InvalidArgument,
                Path));
        }

        return matches[0];
    }
}
