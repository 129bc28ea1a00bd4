using System.Xml.Linq;

namespace Kratix.HelpCompiler.Tests;

public sealed class HelpCompilationTests : IDisposable
{
    private readonly string _root = Directory.CreateTempSubdirectory("kratix-help-").FullName;

    private string Source => Path.Combine(_root, "docs");

    private string Output => Path.Combine(_root, "en-US");

    public HelpCompilationTests() => Directory.CreateDirectory(Source);

    public void Dispose() => Directory.Delete(_root, recursive: true);

    private void Write(string name, string text) => File.WriteAllText(Path.Combine(Source, name), text);

    [Fact]
    public void Commands_go_to_the_help_file_their_front_matter_names_and_about_topics_to_text_files()
    {
        Write("Get-Thing.md", Samples.Command);
        Write("Set-Thing.md", Samples.Command.Replace("Get-Thing", "Set-Thing", StringComparison.Ordinal));
        Write("Get-Other.md", Samples.Command.Replace("Get-Thing", "Get-Other", StringComparison.Ordinal).Replace("Things.dll-Help.xml", "Other.dll-Help.xml", StringComparison.Ordinal));
        Write("about_Things.md", "# about_Things\n\n## SHORT DESCRIPTION\nThings.\n\n## LONG DESCRIPTION\nMore.\n");
        Write("README.md", "# How this folder works\n\nNot help.\n");

        var result = HelpCompilation.Compile(Source, Output);

        Assert.True(result.Succeeded);
        Assert.Equal(["Other.dll-Help.xml", "Things.dll-Help.xml", "about_Things.help.txt"], Directory.GetFiles(Output).Select(Path.GetFileName).Order(StringComparer.Ordinal));
        Assert.Equal(3, result.Written.Count);
        XNamespace command = "http://schemas.microsoft.com/maml/dev/command/2004/10";
        var names = XDocument.Load(Path.Combine(Output, "Things.dll-Help.xml")).Descendants(command + "details").Select(d => d.Element(command + "name")!.Value);
        Assert.Equal(["Get-Thing", "Set-Thing"], names);
        Assert.StartsWith("TOPIC\n    about_Things\n", File.ReadAllText(Path.Combine(Output, "about_Things.help.txt")));
    }

    [Fact]
    public void Malformed_files_are_all_reported_and_nothing_is_written()
    {
        Write("Get-Thing.md", Samples.Command);
        Write("Set-Thing.md", Samples.Command.Replace("Get-Thing", "Set-Thing", StringComparison.Ordinal).Replace("## NOTES", "## NOTE", StringComparison.Ordinal));
        Write("about_Things.md", "# about_Things\n\n## LONG DESCRIPTION\nMore.\n");

        var result = HelpCompilation.Compile(Source, Output);

        Assert.False(result.Succeeded);
        Assert.Empty(result.Written);
        Assert.False(Directory.Exists(Output));
        Assert.Equal(["Set-Thing.md", "about_Things.md"], result.Errors.Select(e => Path.GetFileName(e.File)).Order(StringComparer.Ordinal));
    }

    [Fact]
    public void An_error_reads_as_an_MSBuild_error_naming_the_file_and_line()
    {
        Write("Set-Thing.md", Samples.Command.Replace("Get-Thing", "Set-Thing", StringComparison.Ordinal).Replace("## NOTES", "## NOTE", StringComparison.Ordinal));

        var error = Assert.Single(HelpCompilation.Compile(Source, Output).Errors);

        var line = Samples.LineOf(Samples.Command, "## NOTES");
        Assert.Equal($"{Path.Combine(Source, "Set-Thing.md")}({line}): error KHELP001: Expected \"## NOTES\" here but found \"## NOTE\"; the sections are ## SYNOPSIS, ## SYNTAX, ## DESCRIPTION, ## EXAMPLES, ## PARAMETERS, ## INPUTS, ## OUTPUTS, ## NOTES, ## RELATED LINKS, in that order.", error.ToString());
    }

    [Fact]
    public void The_program_prints_the_errors_and_exits_with_1_so_the_build_fails()
    {
        Write("Get-Thing.md", Samples.With("Required: True\nPosition: 0", "Required: Yes\nPosition: 0"));

        var (exitCode, output) = Run(Source, Output);

        Assert.Equal(1, exitCode);
        Assert.Contains($"{Path.Combine(Source, "Get-Thing.md")}({Samples.LineOf(Samples.Command, "Required: True")}): error KHELP001: \"Yes\" is not True or False.", output);
        Assert.Contains("error KHELP000: 1 help file(s)", output);
    }

    [Fact]
    public void The_program_writes_the_files_and_exits_with_0()
    {
        Write("Get-Thing.md", Samples.Command);

        var (exitCode, output) = Run(Source, Output);

        Assert.Equal(0, exitCode);
        Assert.Contains("wrote " + Path.Combine(Output, "Things.dll-Help.xml"), output);
    }

    [Fact]
    public void The_program_refuses_a_missing_folder_and_wrong_arguments()
    {
        Assert.Equal(2, Run(Path.Combine(_root, "missing"), Output).ExitCode);
        Assert.Equal(2, Run(Source).ExitCode);
    }

    [Fact]
    public void The_repositorys_own_help_compiles()
    {
        var docs = Path.Combine(RepositoryRoot(), "docs", "cmdlets");

        var result = HelpCompilation.Compile(docs, Output);

        Assert.True(result.Succeeded, string.Join("\n", result.Errors));
        Assert.Contains(Path.Combine(Output, "Kratix.PowerShell.dll-Help.xml"), result.Written);
        Assert.Contains(Path.Combine(Output, "about_Kratix.help.txt"), result.Written);
    }

    private static (int ExitCode, string Output) Run(params string[] args)
    {
        var entry = typeof(HelpCompilation).Assembly.EntryPoint!;
        var output = new StringWriter();
        var (stdout, stderr) = (Console.Out, Console.Error);
        Console.SetOut(output);
        Console.SetError(output);
        try
        {
            return ((int)entry.Invoke(null, [args])!, output.ToString());
        }
        finally
        {
            Console.SetOut(stdout);
            Console.SetError(stderr);
        }
    }

    private static string RepositoryRoot()
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
