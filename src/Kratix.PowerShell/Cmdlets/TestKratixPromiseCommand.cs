using System.Management.Automation;
using Kratix.Admission;

namespace Kratix.PowerShell.Cmdlets;

/// <summary>Validates Promises offline, as installing them would: $true or $false, or a report per Promise with -Detailed.</summary>
[Cmdlet(VerbsDiagnostic.Test, "KratixPromise", DefaultParameterSetName = "Path")]
[OutputType(typeof(bool))]
[OutputType("Kratix.ValidationReport")]
public sealed class TestKratixPromiseCommand : KratixCmdlet
{
    /// <summary>Promise files (wildcards). From the pipeline only by property name: piped strings are manifest text (-InputObject).</summary>
    [Parameter(ParameterSetName = "Path", Mandatory = true, Position = 0, ValueFromPipelineByPropertyName = true)]
    [SupportsWildcards]
    public string[]? Path { get; set; }

    [Parameter(ParameterSetName = "LiteralPath", Mandatory = true, ValueFromPipelineByPropertyName = true)]
    [Alias("PSPath", "LP")]
    public string[]? LiteralPath { get; set; }

    /// <summary>
    /// Manifests: YAML or JSON text (a whole text, or one line per string, joined until the input ends; documents are
    /// separated by ---), files from Get-Item or Get-ChildItem, hashtables, or objects a Kratix cmdlet output.
    /// </summary>
    [Parameter(ParameterSetName = "InputObject", Mandatory = true, ValueFromPipeline = true)]
    public object? InputObject { get; set; }

    /// <summary>Output a report (problems and warnings) per Promise instead of $true/$false.</summary>
    [Parameter]
    public SwitchParameter Detailed { get; set; }

    protected override void ProcessRecord() => Test(ReadManifests(Path, LiteralPath, InputObject));

    protected override void EndProcessing()
    {
        Test(ReadPipedLines());
        base.EndProcessing();
    }

    private void Test(IEnumerable<Kratix.Manifests.ManifestItem> manifests)
    {
        try
        {
            foreach (var item in manifests)
            {
                var report = OfflineValidation.TestPromise(item);
                foreach (var problem in report.Problems)
                {
                    WriteVerbose($"{report.Source}: {problem}");
                }

                WriteObject(Detailed ? WithTypeName(report) : report.IsValid);
            }
        }
        catch (KratixException ex)
        {
            Report(ex, Path ?? LiteralPath);
            if (!Detailed)
            {
                WriteObject(false);
            }
        }
    }

    /// <summary>A file or text that does not read is not a valid Promise: $false, after its error.</summary>
    protected override void OnUnreadable(string source)
    {
        if (!Detailed)
        {
            WriteObject(false);
        }
    }

    internal static PSObject WithTypeName(object report)
    {
        var wrapped = new PSObject(report);
        wrapped.TypeNames.Insert(0, "Kratix.ValidationReport");
        return wrapped;
    }
}
