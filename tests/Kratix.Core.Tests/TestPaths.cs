namespace Kratix.Tests;

/// <summary>Locations of the repository and of the shared upstream test data beside it.</summary>
public static class TestPaths
{
    /// <summary>The directory that holds Kratix.PowerShell.sln.</summary>
    public static string RepositoryRoot { get; } = FindRepositoryRoot();

    /// <summary>../shared/kratix/promises: real Promises and requests from upstream Kratix.</summary>
    public static string UpstreamPromises { get; } = FindUpstreamPromises();

    /// <summary>Every Promise file in the shared data (role "promise" in each folder's manifest.txt).</summary>
    public static IReadOnlyList<string> PromiseFiles => FilesWithRole("promise");

    /// <summary>Every resource-request file in the shared data.</summary>
    public static IReadOnlyList<string> RequestFiles => FilesWithRole("resource-request");

    public static IReadOnlyList<string> FilesWithRole(string role) =>
        Directory.GetDirectories(UpstreamPromises)
            .OrderBy(d => d, StringComparer.Ordinal)
            .SelectMany(folder => File.ReadAllLines(Path.Combine(folder, "manifest.txt"))
                .Where(line => line.TrimStart().StartsWith("- ", StringComparison.Ordinal) && line.Contains($"(role: {role},", StringComparison.Ordinal))
                .Select(line => Path.Combine(folder, line.TrimStart()[2..].Split(' ')[0])))
            .ToList();

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

    private static string FindUpstreamPromises()
    {
        var shared = Path.GetFullPath(Path.Combine(RepositoryRoot, "..", "shared", "kratix", "promises"));
        return Directory.Exists(shared)
            ? shared
            : throw new InvalidOperationException($"The shared upstream test data is missing: expected {shared} (../shared beside the repository).");
    }
}
