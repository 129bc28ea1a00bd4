namespace Kratix.Pipelines.Runtimes;

/// <summary>
/// Finds an executable the way a shell would (a name is looked up on PATH, a path is taken as is), so runtimes can say
/// "not installed" before starting anything and start the process by absolute path, independent of the environment they
/// give the child.
/// </summary>
internal static class ExecutableLocator
{
    /// <summary>The absolute path of the executable, or null when it is not there.</summary>
    public static string? Find(string executable)
    {
        if (string.IsNullOrWhiteSpace(executable))
        {
            return null;
        }
        if (executable.Contains(Path.DirectorySeparatorChar) || executable.Contains(Path.AltDirectorySeparatorChar))
        {
            return IsExecutableFile(executable) ? Path.GetFullPath(executable) : null;
        }
        var path = Environment.GetEnvironmentVariable("PATH") ?? "";
        var extensions = OperatingSystem.IsWindows()
            ? (Environment.GetEnvironmentVariable("PATHEXT") ?? ".EXE;.CMD;.BAT").Split(';', StringSplitOptions.RemoveEmptyEntries).Prepend("")
            : [""];
        foreach (var directory in path.Split(Path.PathSeparator, StringSplitOptions.RemoveEmptyEntries))
        {
            foreach (var extension in extensions)
            {
                var candidate = Path.Combine(directory, executable + extension);
                if (IsExecutableFile(candidate))
                {
                    return Path.GetFullPath(candidate);
                }
            }
        }
        return null;
    }

    private static bool IsExecutableFile(string path)
    {
        if (!File.Exists(path))
        {
            return false;
        }
        if (OperatingSystem.IsWindows())
        {
            return true;
        }
        const UnixFileMode anyExecute = UnixFileMode.UserExecute | UnixFileMode.GroupExecute | UnixFileMode.OtherExecute;
        return (File.GetUnixFileMode(path) & anyExecute) != 0;
    }
}
