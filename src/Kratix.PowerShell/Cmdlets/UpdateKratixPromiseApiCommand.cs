using System.Management.Automation;
using Kratix.Authoring;

namespace Kratix.PowerShell.Cmdlets;

/// <summary>Adds, replaces and removes properties of a Promise folder's API, and renames its group, kind, version or plural, as kratix-cli's update api.</summary>
[Cmdlet(VerbsData.Update, "KratixPromiseApi", SupportsShouldProcess = true)]
[OutputType(typeof(FileInfo))]
public sealed class UpdateKratixPromiseApiCommand : AuthoringCmdlet
{
    /// <summary>Properties as name:type (string, number, integer, object, boolean; nested with dots), or name- to remove one.</summary>
    [Parameter(Position = 0)]
    public string[] Property { get; set; } = [];

    /// <summary>Properties to remove (dotted names).</summary>
    [Parameter]
    public string[] Remove { get; set; } = [];

    /// <summary>A new API group.</summary>
    [Parameter]
    public string? Group { get; set; }

    /// <summary>A new kind (the singular follows it).</summary>
    [Parameter]
    public string? Kind { get; set; }

    /// <summary>A new version name for the API's first version.</summary>
    [Parameter]
    public string? Version { get; set; }

    /// <summary>A new plural.</summary>
    [Parameter]
    public string? Plural { get; set; }

    /// <summary>The Promise's folder; the current location when not given.</summary>
    [Parameter]
    public string Directory { get; set; } = ".";

    /// <summary>Outputs the files written.</summary>
    [Parameter]
    public SwitchParameter PassThru { get; set; }

    protected override void ProcessRecord()
    {
        var folder = Resolve(Directory);
        if (!ShouldProcess(folder, "Update the Promise's API"))
        {
            return;
        }

        Run(folder, () =>
        {
            var files = PromiseApiEditor.Update(folder, new PromiseApiChange
            {
                Properties = Property.SelectMany(p => p.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)).ToList(),
                Remove = Remove,
                Group = Group,
                Kind = Kind,
                Version = Version,
                Plural = Plural,
            });
            if (PassThru)
            {
                foreach (var file in files)
                {
                    WriteObject(new FileInfo(file));
                }
            }
        });
    }
}
