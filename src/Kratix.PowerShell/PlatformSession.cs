namespace Kratix.PowerShell;

/// <summary>The platform Connect-KratixPlatform chose for this PowerShell process; null means the default home.</summary>
internal static class PlatformSession
{
    private static string? _home;

    public static string? Home
    {
        get => Volatile.Read(ref _home);
        set => Volatile.Write(ref _home, value);
    }
}
