using System.Text;
using System.Xml;

namespace Kratix.HelpCompiler;

/// <summary>What a compilation wrote, or why it wrote nothing.</summary>
public sealed record CompilationResult(IReadOnlyList<string> Written, IReadOnlyList<HelpFormatException> Errors)
{
    public bool Succeeded => Errors.Count == 0;
}

/// <summary>
/// Compiles a folder of markdown help into the files Get-Help reads: every <c>&lt;Cmdlet-Name&gt;.md</c> into the MAML file
/// its front matter names ("external help file"), one file per name, commands sorted; every <c>about_*.md</c> into
/// <c>about_*.help.txt</c>. <c>README.md</c> is about the folder and is skipped. Every file is read before anything is
/// written, and when any is malformed nothing is written and every malformed file is reported.
/// </summary>
public static class HelpCompilation
{
    public static CompilationResult Compile(string sourceFolder, string outputFolder)
    {
        var errors = new List<HelpFormatException>();
        var commands = new List<CommandHelp>();
        var topics = new List<(string Name, string Text)>();
        foreach (var file in Directory.GetFiles(sourceFolder, "*.md").Order(StringComparer.Ordinal))
        {
            var name = Path.GetFileName(file);
            if (name.Equals("README.md", StringComparison.OrdinalIgnoreCase))
            {
                continue;
            }

            try
            {
                var document = MarkdownDocument.Load(file);
                if (name.StartsWith("about_", StringComparison.OrdinalIgnoreCase))
                {
                    topics.Add(AboutTopic.Render(document));
                }
                else
                {
                    commands.Add(CommandHelpReader.Read(document));
                }
            }
            catch (HelpFormatException ex)
            {
                errors.Add(ex);
            }
        }

        if (errors.Count > 0)
        {
            return new CompilationResult([], errors);
        }

        Directory.CreateDirectory(outputFolder);
        var written = new List<string>();
        foreach (var helpFile in commands.GroupBy(c => c.ExternalHelpFile, StringComparer.OrdinalIgnoreCase))
        {
            var path = Path.Combine(outputFolder, helpFile.Key);
            Save(MamlWriter.Write(helpFile.OrderBy(c => c.Name, StringComparer.OrdinalIgnoreCase)), path);
            written.Add(path);
        }

        foreach (var (name, text) in topics)
        {
            var path = Path.Combine(outputFolder, name + ".help.txt");
            File.WriteAllText(path, text, new UTF8Encoding(encoderShouldEmitUTF8Identifier: false));
            written.Add(path);
        }

        return new CompilationResult(written, []);
    }

    private static void Save(System.Xml.Linq.XDocument document, string path)
    {
        var settings = new XmlWriterSettings { Indent = true, IndentChars = "  ", NewLineChars = "\n", Encoding = new UTF8Encoding(encoderShouldEmitUTF8Identifier: false) };
        using var writer = XmlWriter.Create(path, settings);
        document.Save(writer);
    }
}
