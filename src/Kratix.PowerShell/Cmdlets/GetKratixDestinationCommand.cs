using System.Management.Automation;
using Kratix.PowerShell.Completion;

namespace Kratix.PowerShell.Cmdlets;

/// <summary>Lists Destinations, their state stores and whether they are Ready.</summary>
[Cmdlet(VerbsCommon.Get, "KratixDestination")]
[OutputType("Kratix.Destination")]
public sealed class GetKratixDestinationCommand : KratixCmdlet
{
    [Parameter(Position = 0, ValueFromPipeline = true, ValueFromPipelineByPropertyName = true)]
    [SupportsWildcards]
    [ArgumentCompleter(typeof(DestinationNameCompleter))]
    public string[]? Name { get; set; }

    protected override void ProcessRecord() => WithPlatform(platform =>
    {
        var destinations = platform.GetDestinations();
        foreach (var destination in destinations.Where(d => NameFilter.Matches(Name, d.Name)))
        {
            WriteKratixObject(destination);
        }

        NameFilter.ReportMissing(this, Name, destinations.Select(d => d.Name), "Destination", "DestinationNotFound");
    });
}
