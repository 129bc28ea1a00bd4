using System.Management.Automation;
using Kratix.Authoring;

namespace Kratix.PowerShell.Cmdlets;

/// <summary>
/// Updates a Promise folder's dependencies from a file or folder of manifests (into spec.dependencies, or a
/// promise.configure pipeline with -DependencyImage), and its destination selectors, as kratix-cli's update
/// dependencies and update destination-selector.
/// </summary>
[Cmdlet(VerbsData.Update, "KratixPromise", SupportsShouldProcess = true)]
[OutputType(typeof(FileInfo))]
public sealed class UpdateKratixPromiseCommand : AuthoringCmdlet
{
    /// <summary>A manifest file, or a folder of them (sub-folders included), to become the Promise's dependencies.</summary>
    [Parameter]
    public string? DependencyPath { get; set; }

    /// <summary>With -DependencyPath: put the manifests in a promise.configure pipeline "dependencies" whose container (this image) copies them to the output.</summary>
    [Parameter]
    public string? DependencyImage { get; set; }

    /// <summary>Labels of the Promise's destination selector: key=value adds one, key- removes one.</summary>
    [Parameter]
    public string[] DestinationSelector { get; set; } = [];

    /// <summary>The Promise's folder; the current location when not given.</summary>
    [Parameter]
    public string Directory { get; set; } = ".";

    /// <summary>Outputs the files written.</summary>
    [Parameter]
    public SwitchParameter PassThru { get; set; }

    protected override void ProcessRecord()
    {
        var folder = Resolve(Directory);
        if (DependencyPath is null && DestinationSelector.Length == 0)
        {
            WriteError(new ErrorRecord(
                new ArgumentException("Give -DependencyPath, -DestinationSelector, or both."), "PromiseUpdateEmpty", ErrorCategory.InvalidArgument, folder));
            return;
        }

        if (DependencyImage is not null && DependencyPath is null)
        {
            WriteError(new ErrorRecord(
                new ArgumentException("-DependencyImage needs -DependencyPath: the manifests the image's pipeline outputs."), "PromiseUpdateEmpty", ErrorCategory.InvalidArgument, folder));
            return;
        }

        if (!ShouldProcess(folder, "Update the Promise's dependencies and destination selectors"))
        {
            return;
        }

        Run(folder, () =>
        {
            var files = new List<string>();
            if (DependencyPath is not null)
            {
                var source = Resolve(DependencyPath);
                if (DependencyImage is not null)
                {
                    var result = PromiseSpecEditor.SetDependenciesAsWorkflow(folder, source, DependencyImage, null);
                    files.Add(result.WorkflowFile);
                    files.Add(result.ScriptPath);
                }
                else
                {
                    files.Add(PromiseSpecEditor.SetDependencies(folder, PromiseSpecEditor.ReadDependencies(source)));
                }
            }

            if (DestinationSelector.Length > 0)
            {
                files.Add(PromiseSpecEditor.UpdateDestinationSelectors(folder, DestinationSelector));
            }

            if (PassThru)
            {
                foreach (var file in files.Distinct())
                {
                    WriteObject(new FileInfo(file));
                }
            }
        });
    }
}
