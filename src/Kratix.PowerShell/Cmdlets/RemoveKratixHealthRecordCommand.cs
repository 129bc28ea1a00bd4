using System.Management.Automation;
using Kratix.PowerShell.Completion;

namespace Kratix.PowerShell.Cmdlets;

/// <summary>Deletes HealthRecords; their request's status.healthStatus is aggregated again from the records left.</summary>
[Cmdlet(VerbsCommon.Remove, "KratixHealthRecord", SupportsShouldProcess = true, ConfirmImpact = ConfirmImpact.Medium)]
[OutputType(typeof(void))]
public sealed class RemoveKratixHealthRecordCommand : KratixCmdlet
{
    /// <summary>The record's name.</summary>
    [Parameter(Mandatory = true, Position = 0, ValueFromPipelineByPropertyName = true)]
    [ArgumentCompleter(typeof(HealthRecordNameCompleter))]
    public string Name { get; set; } = string.Empty;

    /// <summary>The record's namespace; default: default on a platform home, the context's namespace on a cluster.</summary>
    [Parameter(ValueFromPipelineByPropertyName = true)]
    [ArgumentCompleter(typeof(NamespaceCompleter))]
    public string? Namespace { get; set; }

    protected override void ProcessRecord()
    {
        if (!ShouldProcess($"HealthRecord \"{Namespace ?? DefaultNamespaceText}/{Name}\"", "Remove"))
        {
            return;
        }

        WithPlatform(platform => platform.RemoveHealthRecord(Namespace ?? platform.DefaultNamespace, Name, Cancellation), Name);
    }
}
