using System.Management.Automation;
using Kratix.Authoring;

namespace Kratix.PowerShell.Cmdlets;

/// <summary>Writes a new Promise's source folder, as kratix-cli's init promise: promise.yaml (or api.yaml and dependencies.yaml with -Split), example-resource.yaml and README.md.</summary>
[Cmdlet(VerbsCommon.New, "KratixPromise", SupportsShouldProcess = true)]
[OutputType(typeof(FileInfo))]
public sealed class NewKratixPromiseCommand : AuthoringCmdlet
{
    /// <summary>The Promise's name (metadata.name).</summary>
    [Parameter(Mandatory = true, Position = 0)]
    public string Name { get; set; } = string.Empty;

    /// <summary>The API group of the Promise's requests, such as acme.io.</summary>
    [Parameter(Mandatory = true)]
    public string Group { get; set; } = string.Empty;

    /// <summary>The kind of the Promise's requests, such as Database.</summary>
    [Parameter(Mandatory = true)]
    public string Kind { get; set; } = string.Empty;

    /// <summary>The API version (v1alpha1 when not given).</summary>
    [Parameter]
    public string? Version { get; set; }

    /// <summary>The plural of the kind (the kind in lower case plus s when not given).</summary>
    [Parameter]
    public string? Plural { get; set; }

    /// <summary>The folder to write to (made when missing); the current location when not given.</summary>
    [Parameter]
    public string Path { get; set; } = ".";

    /// <summary>Writes api.yaml and dependencies.yaml instead of promise.yaml (Build-KratixPromise joins them).</summary>
    [Parameter]
    public SwitchParameter Split { get; set; }

    /// <summary>Replaces the files that exist.</summary>
    [Parameter]
    public SwitchParameter Force { get; set; }

    protected override void ProcessRecord()
    {
        var folder = Resolve(Path);
        if (!ShouldProcess(folder, $"Write Promise {Name} ({Kind}.{Group})"))
        {
            return;
        }

        Run(folder, () =>
        {
            var files = PromiseScaffold.Create(folder, new PromiseScaffoldOptions
            {
                Name = Name,
                Group = Group,
                Kind = Kind,
                Version = Version,
                Plural = Plural,
                Split = Split,
                Force = Force,
            });
            foreach (var file in files)
            {
                WriteObject(new FileInfo(file));
            }
        });
    }
}
