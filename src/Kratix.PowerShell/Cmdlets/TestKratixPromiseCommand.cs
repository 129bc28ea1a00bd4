using System.Management.Automation;
using Kratix.Admission;

namespace Kratix.PowerShell.Cmdlets;

/// <summary>Validates Promises offline, as installing them would: $true or $false, or a report per Promise with -Detailed.</summary>
[Cmdlet(VerbsDiagnostic.Test, "KratixPromise", DefaultParameterSetName = "Path")]
[OutputType(typeof(bool))]
[OutputType("Kratix.ValidationReport")]
public sealed class TestKratixPromiseCommand : KratixCmdlet
{
    [Parameter(ParameterSetName = "Path", Mandatory = true, Position = 0, ValueFromPipeline = true, ValueFromPipelineByPropertyName = true)]
    [SupportsWildcards]
    public string[]? Path { get; set; }

    [Parameter(ParameterSetName = "LiteralPath", Mandatory = true, ValueFromPipelineByPropertyName = true)]
    [Alias("PSPath", "LP")]
    public string[]? LiteralPath { get; set; }

    [Parameter(ParameterSetName = "InputObject", Mandatory = true, ValueFromPipeline = true)]
    public object? InputObject { get; set; }

    /// <summary>Output a report (problems and warnings) per Promise instead of $true/$false.</summary>
    [Parameter]
    public SwitchParameter Detailed { get; set; }

    protected override void ProcessRecord()
    {
        try
        {
            // A file that cannot be read is not a valid Promise: its error is written, and it answers $false too.
            foreach (var item in ReadManifests(Path, LiteralPath, InputObject, unreadable: _ => { if (!Detailed) WriteObject(false); }))
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

    internal static PSObject WithTypeName(object report)
    {
        var wrapped = new PSObject(report);
        wrapped.TypeNames.Insert(0, "Kratix.ValidationReport");
        return wrapped;
    }
}
