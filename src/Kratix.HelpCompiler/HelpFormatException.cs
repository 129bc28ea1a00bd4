namespace Kratix.HelpCompiler;

/// <summary>
/// A markdown help file that does not follow the layout: which file, which line (1-based) and what is wrong. Its
/// <see cref="ToString"/> is MSBuild's canonical error format, so the build that runs the compiler shows the error
/// against the file and line.
/// </summary>
public sealed class HelpFormatException(string file, int line, string message) : Exception(message)
{
    public string File { get; } = file;

    public int Line { get; } = line;

    public override string ToString() => $"{File}({Line}): error KHELP001: {Message}";
}
