namespace Kratix.PowerShell;

/// <summary>
/// The pipeline runtimes as the cmdlets' -Runtime parameters name them. Constants, because [ValidateSet] needs them at
/// compile time and parameter metadata must not touch Kratix.Core; a test checks they match Kratix.Core's list.
/// </summary>
internal static class RuntimeNames
{
    public const string Auto = "Auto";
    public const string Podman = "Podman";
    public const string Docker = "Docker";
    public const string Host = "Host";

    /// <summary>Each name with what it means, for tab completion.</summary>
    public static IReadOnlyList<(string Name, string Description)> All { get; } =
    [
        (Auto, "The first of Podman, Docker and Host that can run containers here."),
        (Podman, "Runs each container with podman, from the images the Pipeline names (never pulled)."),
        (Docker, "Runs each container with docker, from the images the Pipeline names (never pulled)."),
        (Host, "Runs each container's command in a bubblewrap sandbox on this machine (Linux); -ImageMap maps images to local folders."),
    ];
}
