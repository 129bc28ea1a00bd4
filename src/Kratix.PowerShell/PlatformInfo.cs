using System.Management.Automation;
using Kratix.Platforms;

namespace Kratix.PowerShell;

/// <summary>Builds the Kratix.PlatformInfo object Connect- and Get-KratixPlatform output.</summary>
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
        return info;
    }
}
