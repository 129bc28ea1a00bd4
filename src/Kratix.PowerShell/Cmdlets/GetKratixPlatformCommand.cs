using System.Management.Automation;

namespace Kratix.PowerShell.Cmdlets;

/// <summary>Describes the platform: where it is, its backend, and how many of each object it holds.</summary>
[Cmdlet(VerbsCommon.Get, "KratixPlatform")]
[OutputType("Kratix.PlatformInfo")]
public sealed class GetKratixPlatformCommand : KratixCmdlet
{
    protected override void ProcessRecord() => WithPlatform(p => WriteObject(PlatformInfo.Describe(p)), terminating: true);
}
