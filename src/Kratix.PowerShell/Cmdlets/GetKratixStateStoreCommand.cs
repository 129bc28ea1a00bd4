using System.Management.Automation;
using Kratix.PowerShell.Completion;

namespace Kratix.PowerShell.Cmdlets;

/// <summary>Lists registered state stores and whether they are Ready.</summary>
[Cmdlet(VerbsCommon.Get, "KratixStateStore")]
[OutputType("Kratix.GitStateStore", "Kratix.BucketStateStore")]
public sealed class GetKratixStateStoreCommand : KratixCmdlet
{
    [Parameter(Position = 0, ValueFromPipelineByPropertyName = true)]
    [SupportsWildcards]
    [ArgumentCompleter(typeof(StateStoreNameCompleter))]
    public string[]? Name { get; set; }

    [Parameter(ValueFromPipelineByPropertyName = true)]
    [ValidateSet("GitStateStore", "BucketStateStore")]
    public string? Kind { get; set; }

    protected override void ProcessRecord() => WithPlatform(platform =>
    {
        var stores = platform.GetStateStores().Where(s => Kind is null || s.Kind == Kind).ToList();
        foreach (var store in stores.Where(s => NameFilter.Matches(Name, s.Name)))
        {
            WriteKratixObject(store);
        }

        NameFilter.ReportMissing(this, Name, stores.Select(s => s.Name), "State store", "StateStoreNotFound");
    });
}
