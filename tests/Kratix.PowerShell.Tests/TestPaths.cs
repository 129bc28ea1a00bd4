namespace Kratix.PowerShell.Tests;

/// <summary>The repository these tests run in and the module folder its build lays out.</summary>
internal static class TestPaths
{
    /// <summary>The directory that holds Kratix.PowerShell.sln.</summary>
    public static string RepositoryRoot { get; } = FindRepositoryRoot();

    /// <summary>out/Kratix: the importable module folder the LayoutModule target of src/Kratix.PowerShell writes after every build.</summary>
    public static string ModuleFolder => Path.Combine(RepositoryRoot, "out", "Kratix");

    /// <summary>out/Kratix/Dependencies: Kratix.Core and its dependencies, loaded in their own AssemblyLoadContext.</summary>
    public static string DependencyFolder => Path.Combine(ModuleFolder, "Dependencies");

    /// <summary>The module manifest as it is kept in the repository.</summary>
    public static string ManifestSource => Path.Combine(RepositoryRoot, "Kratix.psd1");

    public static string FormatSource => Path.Combine(RepositoryRoot, "src", "Kratix.PowerShell", "Formats", "Kratix.Format.ps1xml");

    public static string Source(params string[] parts) => Path.Combine([RepositoryRoot, .. parts]);

    /// <summary>The module folder must exist for the layout tests; say how to make it when it does not.</summary>
    public static string RequireModuleFolder()
    {
        Assert.True(
            Directory.Exists(ModuleFolder),
            $"{ModuleFolder} does not exist. `dotnet build` (or build.ps1 -Task Build) lays it out; the tests build src/Kratix.PowerShell, so it should be there.");
        return ModuleFolder;
    }

    private static string FindRepositoryRoot()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            if (File.Exists(Path.Combine(dir.FullName, "Kratix.PowerShell.sln")))
            {
                return dir.FullName;
            }
        }

        throw new InvalidOperationException("Kratix.PowerShell.sln not found above " + AppContext.BaseDirectory);
    }
}
