using System.Management.Automation;
using Kratix.Authoring;
using Kratix.Manifests;

namespace Kratix.PowerShell.Cmdlets;

/// <summary>Joins a Promise folder (split with New-KratixPromise -Split) into one Promise, as kratix-cli's build promise: YAML text, or a file with -OutputPath.</summary>
[Cmdlet("Build", "KratixPromise", SupportsShouldProcess = true)]
[OutputType(typeof(string), typeof(FileInfo))]
public sealed class BuildKratixPromiseCommand : AuthoringCmdlet
{
    /// <summary>The Promise's name (metadata.name of the result).</summary>
    [Parameter(Mandatory = true, Position = 0)]
    public string Name { get; set; } = string.Empty;

    /// <summary>The Promise's folder; the current location when not given.</summary>
    [Parameter]
    public string Directory { get; set; } = ".";

    /// <summary>Writes the Promise to this file instead of outputting its YAML.</summary>
    [Parameter]
    public string? OutputPath { get; set; }

    protected override void ProcessRecord()
    {
        var folder = Resolve(Directory);
        Run(folder, () =>
        {
            var yaml = ManifestWriter.ToYaml(PromiseBuilder.Build(folder, Name));
            if (OutputPath is null)
            {
                WriteObject(yaml);
                return;
            }

            var output = Resolve(OutputPath);
            if (ShouldProcess(output, $"Write Promise {Name}"))
            {
                File.WriteAllText(output, yaml);
                WriteObject(new FileInfo(output));
            }
        });
    }
}
