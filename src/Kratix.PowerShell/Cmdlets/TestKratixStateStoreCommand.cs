using System.Management.Automation;
using Kratix.PowerShell.Completion;

namespace Kratix.PowerShell.Cmdlets;

/// <summary>
/// Checks that Kratix can read and write registered state stores, with the credentials they are registered with: a Git
/// store is fetched, then a probe ref (refs/kratix/permission-check-&lt;random&gt;) is pushed and deleted at once, which
/// the server really authorises; a directory store gets a probe file written, read back and removed. Nothing stays in the
/// store and no status changes. Outputs one Kratix.StateStoreTest per store: Name, Kind, Read, Write, Message, Duration.
/// </summary>
[Cmdlet(VerbsDiagnostic.Test, "KratixStateStore")]
[OutputType("Kratix.StateStoreTest")]
public sealed class TestKratixStateStoreCommand : KratixCmdlet
{
    /// <summary>The stores to check (wildcards); all of them when omitted.</summary>
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
            var result = platform.TestStateStore(store.Kind, store.Name, Cancellation);
            var wrapped = new PSObject(result);
            wrapped.TypeNames.Insert(0, TypeName);
            WriteObject(wrapped);
        }

        NameFilter.ReportMissing(this, Name, stores.Select(s => s.Name), "State store", "StateStoreNotFound");
    });

    internal const string TypeName = "Kratix.StateStoreTest";
}
