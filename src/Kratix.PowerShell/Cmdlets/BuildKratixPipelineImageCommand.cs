using System.Management.Automation;
using Kratix.Authoring;

namespace Kratix.PowerShell.Cmdlets;

/// <summary>
/// Builds the images of a Promise folder's pipeline containers with podman or docker, as kratix-cli's build container:
/// one container, the containers of one pipeline, or (-All) every container. Outputs each image reference built.
/// </summary>
[Cmdlet("Build", "KratixPipelineImage", DefaultParameterSetName = "Pipeline", SupportsShouldProcess = true)]
[OutputType(typeof(string))]
public sealed class BuildKratixPipelineImageCommand : AuthoringCmdlet
{
    /// <summary>The workflow and pipeline: promise/configure/NAME, resource/configure/NAME and so on.</summary>
    [Parameter(ParameterSetName = "Pipeline", Mandatory = true, Position = 0)]
    public string Pipeline { get; set; } = string.Empty;

    /// <summary>The container of the pipeline to build; all of its containers when not given.</summary>
    [Parameter(ParameterSetName = "Pipeline")]
    public string? Name { get; set; }

    /// <summary>Builds every container of every workflow.</summary>
    [Parameter(ParameterSetName = "All", Mandatory = true)]
    public SwitchParameter All { get; set; }

    /// <summary>The Promise's folder; the current location when not given.</summary>
    [Parameter]
    public string Directory { get; set; } = ".";

    /// <summary>podman or docker; the first of them on PATH when not given.</summary>
    [Parameter]
    [ValidateSet("podman", "docker")]
    public string? Engine { get; set; }

    /// <summary>Extra arguments for the engine's build (such as --pull=never), after those of $env:KRATIX_PODMAN_ARGS or $env:KRATIX_DOCKER_ARGS.</summary>
    [Parameter]
    public string[] BuildArgument { get; set; } = [];

    protected override void ProcessRecord()
    {
        var folder = Resolve(Directory);
        Run(folder, () =>
        {
            var target = All ? null : PipelineTarget.Parse(Pipeline);
            var images = PipelineImageBuilder.Plan(folder, target, Name);
            var engine = PipelineImageBuilder.FindEngine(Engine);
            var engineName = System.IO.Path.GetFileNameWithoutExtension(engine);
            var fromEnvironment = Environment.GetEnvironmentVariable(engineName == "docker" ? "KRATIX_DOCKER_ARGS" : "KRATIX_PODMAN_ARGS") ?? string.Empty;
            var arguments = fromEnvironment.Split(' ', StringSplitOptions.RemoveEmptyEntries).Concat(BuildArgument).ToList();
            foreach (var image in images)
            {
                if (!ShouldProcess(image.Directory, $"Build image {image.Image} with {engineName}"))
                {
                    continue;
                }

                WriteVerbose($"{engineName} {string.Join(' ', PipelineImageBuilder.Arguments(image, arguments))}");
                var lines = new System.Collections.Concurrent.ConcurrentQueue<string>();
                PipelineImageBuilder.Build(engine, image, arguments, SdkFolder, lines.Enqueue, Cancellation);
                foreach (var line in lines)
                {
                    WriteVerbose(line);
                }

                WriteObject(image.Image);
            }
        });
    }
}
