using System.Management.Automation;
using Kratix.Platforms;

namespace Kratix.PowerShell;

/// <summary>Builds the Kratix.PlatformSyncResult object Sync-KratixPlatform outputs from Kratix.Core's summary of the sync.</summary>
internal static class PlatformSyncResult
{
    public const string TypeName = "Kratix.PlatformSyncResult";

    public static PSObject From(string platform, PlatformSyncSummary summary)
    {
        var result = new PSObject();
        result.TypeNames.Insert(0, TypeName);
        var properties = result.Properties;
        properties.Add(new PSNoteProperty("Platform", platform));
        properties.Add(new PSNoteProperty("StateStores", summary.StateStores));
        properties.Add(new PSNoteProperty("Destinations", summary.Destinations));
        properties.Add(new PSNoteProperty("Promises", summary.Promises));
        properties.Add(new PSNoteProperty("Requests", summary.Requests));
        properties.Add(new PSNoteProperty("Works", summary.Works));
        properties.Add(new PSNoteProperty("ObjectsReconciled", summary.ObjectsReconciled));
        properties.Add(new PSNoteProperty("PipelinesRun", summary.PipelinesRun));
        properties.Add(new PSNoteProperty("PlacementsWritten", summary.PlacementsWritten));
        properties.Add(new PSNoteProperty("PlacementsRemoved", summary.PlacementsRemoved));
        properties.Add(new PSNoteProperty("WorksRemoved", summary.WorksRemoved));
        properties.Add(new PSNoteProperty("DeletionsFinished", summary.DeletionsFinished));
        properties.Add(new PSNoteProperty("LeftoversRemoved", summary.LeftoversRemoved));
        properties.Add(new PSNoteProperty("FailureCount", summary.Failures.Count));
        properties.Add(new PSNoteProperty("Failures", summary.Failures.ToArray()));
        properties.Add(new PSNoteProperty("Duration", summary.Duration));
        properties.Add(new PSNoteProperty("StateStoresRewritten", summary.StateStoresRewritten));
        properties.Add(new PSNoteProperty("NextReconcile", summary.NextReconcile));
        return result;
    }
}
