using System.Management.Automation;
using System.Text;
using Kratix.Platforms;

namespace Kratix.PowerShell.Cmdlets;

/// <summary>
/// Writes a platform's state stores, Destinations, Promises and requests as one multi-document YAML that
/// Import-KratixPlatform or kubectl apply applies elsewhere, in an order that applies; Secrets only as the references
/// state stores make to them, never their values.
/// </summary>
[Cmdlet(VerbsData.Export, "KratixPlatform", SupportsShouldProcess = true)]
[OutputType(typeof(string), typeof(FileInfo))]
public sealed class ExportKratixPlatformCommand : KratixCmdlet
{
    /// <summary>The file to write (replaced if it exists); without it, the YAML is output as one string.</summary>
    [Parameter(Position = 0)]
    [ValidateNotNullOrEmpty]
    public string? FilePath { get; set; }

    protected override void EndProcessing()
    {
        var file = FilePath is null ? null : GetUnresolvedProviderPathFromPSPath(FilePath);
        WithPlatform(
            platform =>
            {
                var yaml = PlatformExport.ToYaml(PlatformExport.Export(platform));
                if (file is null)
                {
                    WriteObject(yaml);
                }
                else if (ShouldProcess(file, $"Export platform {platform.Location}"))
                {
                    File.WriteAllText(file, yaml, new UTF8Encoding(encoderShouldEmitUTF8Identifier: false));
                    WriteObject(new FileInfo(file));
                }
            },
            target: PlatformLocation,
            terminating: true);
        base.EndProcessing();
    }
}
