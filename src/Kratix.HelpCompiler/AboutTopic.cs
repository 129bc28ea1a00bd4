using System.Text;

namespace Kratix.HelpCompiler;

/// <summary>
/// An about_ topic: <c>about_&lt;Name&gt;.md</c>, titled <c># about_&lt;Name&gt;</c>, with <c>## SHORT DESCRIPTION</c> and
/// <c>## LONG DESCRIPTION</c> first and any other level-2 sections after (SEE ALSO, KEYWORDS...), becomes the
/// <c>about_&lt;Name&gt;.help.txt</c> Get-Help shows: section names in capitals at the margin, text indented four columns
/// and wrapped at 80, level-3 headings indented two, code indented eight.
/// </summary>
public static class AboutTopic
{
    public const int Width = 80;

    private const string TextIndent = "    ";

    /// <summary>The sections every about topic starts with, in this order; Get-Help takes the synopsis from the first.</summary>
    public static IReadOnlyList<string> RequiredSections { get; } = ["SHORT DESCRIPTION", "LONG DESCRIPTION"];

    /// <summary>The topic's name (from its title) and its text.</summary>
    public static (string Name, string Text) Render(MarkdownDocument document)
    {
        var file = document.File;
        var blocks = document.Blocks;
        if (blocks.Count == 0 || blocks[0] is not { Kind: BlockKind.Heading, Level: 1 } title || !title.Text.StartsWith("about_", StringComparison.Ordinal))
        {
            throw new HelpFormatException(file, blocks.Count == 0 ? 1 : blocks[0].Line, "An about topic starts with its title, \"# about_<Name>\".");
        }

        if (Path.GetExtension(file).Equals(".md", StringComparison.OrdinalIgnoreCase) && Path.GetFileNameWithoutExtension(file) != title.Text)
        {
            throw new HelpFormatException(file, title.Line, $"The title is \"{title.Text}\" but the file is named {Path.GetFileName(file)}: the file must be named after the topic.");
        }

        var text = new StringBuilder();
        text.Append("TOPIC\n").Append(TextIndent).Append(title.Text).Append('\n');
        var sections = 0;
        MarkdownBlock? previous = null;
        foreach (var block in blocks.Skip(1))
        {
            if (block.Kind == BlockKind.Heading && block.Level <= 2)
            {
                if (block.Level == 1)
                {
                    throw new HelpFormatException(file, block.Line, "An about topic has one \"#\" title; its sections are \"##\" headings.");
                }

                if (sections < RequiredSections.Count && block.Text != RequiredSections[sections])
                {
                    throw new HelpFormatException(file, block.Line, $"Expected \"## {RequiredSections[sections]}\" here: an about topic starts with {string.Join(" then ", RequiredSections.Select(s => "## " + s))}.");
                }

                sections++;
                text.Append('\n').Append(block.Text.ToUpperInvariant()).Append('\n');
                previous = null;
                continue;
            }

            if (sections == 0)
            {
                throw new HelpFormatException(file, block.Line, $"Text comes before \"## {RequiredSections[0]}\".");
            }

            // A list item follows the item before it directly; everything else is set apart by a blank line, except the
            // first block under a section name.
            if (previous is not null && !(block.Kind == BlockKind.ListItem && previous.Kind == BlockKind.ListItem))
            {
                text.Append('\n');
            }

            previous = block;
            if (sections == 1)
            {
                CheckShortDescription(block, file);
            }


            foreach (var line in Lines(block))
            {
                text.Append(line.TrimEnd()).Append('\n');
            }
        }

        if (sections < RequiredSections.Count)
        {
            throw new HelpFormatException(file, blocks[^1].Line, $"The section \"## {RequiredSections[sections]}\" is missing.");
        }

        return (title.Text, text.ToString());
    }

    /// <summary>Get-Help takes an about topic's synopsis from the first line under SHORT DESCRIPTION, so it must be one line.</summary>
    private static void CheckShortDescription(MarkdownBlock block, string file)
    {
        var lines = block.Kind == BlockKind.Paragraph ? HelpText.Wrap(HelpText.Paragraph(block), Width, TextIndent, TextIndent).Count() : int.MaxValue;
        if (lines != 1 || block.Kind != BlockKind.Paragraph)
        {
            throw new HelpFormatException(file, block.Line, $"The short description must be one sentence that fits on one line of {Width - TextIndent.Length} characters: Get-Help shows only its first line as the topic's synopsis.");
        }
    }

    private static IEnumerable<string> Lines(MarkdownBlock block)
    {
        switch (block.Kind)
        {
            case BlockKind.Heading:
                return ["  " + HelpText.Inline(block.Text)];
            case BlockKind.ListItem:
                var indent = TextIndent + new string(' ', 2 * block.Level);
                var marker = block.Info + " ";
                return HelpText.Wrap(HelpText.Inline(string.Join(' ', block.Text.Split('\n'))), Width, indent + marker, indent + new string(' ', marker.Length));
            case BlockKind.Code:
                return block.Text.Split('\n').Select(l => TextIndent + HelpText.CodeIndent + l);
            case BlockKind.Table:
                return block.Text.Split('\n').Select(l => TextIndent + HelpText.Inline(l));
            default:
                return HelpText.Wrap(HelpText.Paragraph(block), Width, TextIndent, TextIndent);
        }
    }
}
