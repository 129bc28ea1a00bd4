namespace Kratix.PowerShell;

/// <summary>
/// The platform Connect-KratixPlatform chose for this PowerShell process: a platform home path or a cluster location
/// (kube:...); null means the default home.
/// </summary>
internal static class PlatformSession
{
    private static string? _location;

    public static string? Location
    {
        get => Volatile.Read(ref _location);
        set => Volatile.Write(ref _location, value);
    }
}
