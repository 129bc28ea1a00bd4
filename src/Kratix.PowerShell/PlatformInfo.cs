using System.Management.Automation;
using Kratix.Platforms;
using Kratix.Platforms.Embedded;

namespace Kratix.PowerShell;

/// <summary>Builds the Kratix.PlatformInfo object Connect- and Get-KratixPlatform output: where, what it holds, and how it runs pipelines.</summary>
internal static class PlatformInfo
{
    public static PSObject Describe(IKratixPlatform platform)
    {
        var info = new PSObject();
        info.TypeNames.Insert(0, "Kratix.PlatformInfo");
        info.Properties.Add(new PSNoteProperty("Platform", platform.Location));
        info.Properties.Add(new PSNoteProperty("Backend", platform.Backend));
        info.Properties.Add(new PSNoteProperty("Promises", platform.GetPromises().Count));
        info.Properties.Add(new PSNoteProperty("Requests", platform.GetRequests().Count));
        info.Properties.Add(new PSNoteProperty("Destinations", platform.GetDestinations().Count));
        info.Properties.Add(new PSNoteProperty("StateStores", platform.GetStateStores().Count));
        info.Properties.Add(new PSNoteProperty("Works", platform.GetWorks().Count));

        // How its workflows run, from the home's settings (Connect-KratixPlatform -Runtime, -ContainerTimeout, -MaxOutputBytes, -ParallelWorkflows, ...).
        var settings = platform is EmbeddedPlatform ? PlatformSettings.Load(platform.Location) : null;
        info.Properties.Add(new PSNoteProperty("Runtime", settings?.Runtime));
        info.Properties.Add(new PSNoteProperty("ContainerTimeout", settings?.ContainerTimeout));
        info.Properties.Add(new PSNoteProperty("MaxOutputBytes", settings?.MaxOutputBytes));
        info.Properties.Add(new PSNoteProperty("ParallelWorkflows", settings is null ? null : settings.ParallelWorkflows ?? Environment.ProcessorCount));
        info.Properties.Add(new PSNoteProperty("Network", settings?.Network));
        return info;
    }
}
