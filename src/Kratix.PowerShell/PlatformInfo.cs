using System.Management.Automation;
using Kratix.Platforms;
using Kratix.Platforms.Cluster;
using Kratix.Platforms.Embedded;

namespace Kratix.PowerShell;

/// <summary>
/// Builds the Kratix.PlatformInfo object Connect- and Get-KratixPlatform output: where, what it holds, and how it runs
/// pipelines (a platform home), or which server, context and Kratix (a cluster). Both backends give every property, null
/// where it has no meaning.
/// </summary>
internal static class PlatformInfo
{
    public static PSObject Describe(IKratixPlatform platform)
    {
        var info = new PSObject();
        info.TypeNames.Insert(0, "Kratix.PlatformInfo");
        info.Properties.Add(new PSNoteProperty("Platform", platform.Location));
        info.Properties.Add(new PSNoteProperty("Backend", platform.Backend));

        // A cluster: where it is and whether Kratix runs there (counts only where it does).
        var cluster = (platform as ClusterPlatform)?.Describe();
        var counts = cluster is null || cluster.CrdsInstalled;
        info.Properties.Add(new PSNoteProperty("Promises", counts ? platform.GetPromises().Count : (int?)null));
        info.Properties.Add(new PSNoteProperty("Requests", counts ? platform.GetRequests().Count : (int?)null));
        info.Properties.Add(new PSNoteProperty("Destinations", counts ? platform.GetDestinations().Count : (int?)null));
        info.Properties.Add(new PSNoteProperty("StateStores", counts ? platform.GetStateStores().Count : (int?)null));
        info.Properties.Add(new PSNoteProperty("Works", counts ? platform.GetWorks().Count : (int?)null));

        // How its workflows run, from the home's settings (Connect-KratixPlatform -Runtime, -ContainerTimeout, -MaxOutputBytes, -ParallelWorkflows, ...).
        var settings = platform is EmbeddedPlatform ? PlatformSettings.Load(platform.Location) : null;
        info.Properties.Add(new PSNoteProperty("Runtime", settings?.Runtime));
        info.Properties.Add(new PSNoteProperty("ContainerTimeout", settings?.ContainerTimeout));
        info.Properties.Add(new PSNoteProperty("MaxOutputBytes", settings?.MaxOutputBytes));
        info.Properties.Add(new PSNoteProperty("ParallelWorkflows", settings is null ? null : settings.ParallelWorkflows ?? Environment.ProcessorCount));
        info.Properties.Add(new PSNoteProperty("Network", settings?.Network));
        info.Properties.Add(new PSNoteProperty("FieldValidation", settings?.FieldValidation.ToString()));
        info.Properties.Add(new PSNoteProperty("ResourceBindingVersionStrategy", settings?.ResourceBindingVersionStrategy));
        info.Properties.Add(new PSNoteProperty("ReconciliationInterval", settings?.Reconciliation.Interval));
        info.Properties.Add(new PSNoteProperty("StateStoreReconciliationInterval", settings?.Reconciliation.StateStoreInterval));
        info.Properties.Add(new PSNoteProperty("ReconcileAfterFailure", settings?.Reconciliation.ReconcileAfterFailure));

        info.Properties.Add(new PSNoteProperty("Server", cluster?.Server));
        info.Properties.Add(new PSNoteProperty("Context", cluster?.Context));
        info.Properties.Add(new PSNoteProperty("Namespace", cluster?.Namespace ?? (platform is EmbeddedPlatform ? platform.DefaultNamespace : null)));
        info.Properties.Add(new PSNoteProperty("ServerVersion", cluster?.ServerVersion));
        info.Properties.Add(new PSNoteProperty("KratixInstalled", cluster?.KratixInstalled ?? true));
        info.Properties.Add(new PSNoteProperty("KratixVersion", cluster?.KratixVersion));
        info.Properties.Add(new PSNoteProperty("Controller", cluster?.Controller));
        info.Properties.Add(new PSNoteProperty("ControllerReady", cluster?.ControllerReady));
        return info;
    }
}
