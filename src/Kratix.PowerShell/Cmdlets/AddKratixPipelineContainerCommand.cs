using System.Management.Automation;
using Kratix.Authoring;

namespace Kratix.PowerShell.Cmdlets;

/// <summary>
/// Adds a container to a pipeline of a Promise's workflow (the pipeline is made when missing) and scaffolds its
/// Dockerfile and script in Bash, Python, Go or PowerShell, as kratix-cli's add container.
/// </summary>
[Cmdlet(VerbsCommon.Add, "KratixPipelineContainer", SupportsShouldProcess = true)]
[OutputType(typeof(FileInfo))]
public sealed class AddKratixPipelineContainerCommand : AuthoringCmdlet
{
    /// <summary>The workflow and pipeline: promise/configure/NAME, promise/delete/NAME, resource/configure/NAME or resource/delete/NAME.</summary>
    [Parameter(Mandatory = true, Position = 0)]
    public string Pipeline { get; set; } = string.Empty;

    /// <summary>The container's image.</summary>
    [Parameter(Mandatory = true)]
    public string Image { get; set; } = string.Empty;

    /// <summary>The container's name; from the image when not given (without its tag, / and . as -).</summary>
    [Parameter]
    public string? Name { get; set; }

    /// <summary>The script's language: Bash (the default), Python, Go or PowerShell (on the module's Kratix SDK).</summary>
    [Parameter]
    [ValidateSet("Bash", "Python", "Go", "PowerShell", IgnoreCase = true)]
    public string Language { get; set; } = "Bash";

    /// <summary>The Promise's folder; the current location when not given.</summary>
    [Parameter]
    public string Directory { get; set; } = ".";

    /// <summary>Replaces the image of a container of the same name instead of stopping.</summary>
    [Parameter]
    public SwitchParameter Force { get; set; }

    protected override void ProcessRecord()
    {
        var folder = Resolve(Directory);
        Run(Pipeline, () =>
        {
            var target = PipelineTarget.Parse(Pipeline);
            var language = Enum.Parse<PipelineLanguage>(Language, ignoreCase: true);
            if (!ShouldProcess(folder, $"Add container {(string.IsNullOrEmpty(Name) ? PipelineScaffold.ContainerNameFor(Image) : Name)} ({Image}) to {target}"))
            {
                return;
            }

            var result = PipelineScaffold.AddContainer(folder, target, Image, Name, language, SdkFolder, Force);
            WriteVerbose($"Added container {result.ContainerName} to {target} in {result.WorkflowFile}; edit {result.ScriptPath}.");
            WriteObject(new FileInfo(result.ScriptPath));
            WriteObject(new FileInfo(System.IO.Path.Combine(result.ContainerDirectory, "Dockerfile")));
        });
    }
}
