using System.Text;
using System.Text.RegularExpressions;

namespace Kratix.HelpCompiler;

/// <summary>
/// Markdown text as console help shows it: one string per block (a paragraph's lines joined; a list with a line per
/// item, marker included; a table or code block with its lines kept, code indented), and inline markup reduced to plain
/// text: links become their text (with the address when it is absolute), <c>**bold**</c> loses its stars, backslash
/// escapes their backslash. Code spans are kept with their backticks, as PowerShell's own help shows them.
/// </summary>
public static partial class HelpText
{
    /// <summary>How far a code block is indented in help text, so it stands apart from the prose around it.</summary>
    public const string CodeIndent = "    ";

    /// <summary>One string per block, except that the items of a list make one string, a line each, as a list reads.</summary>
    public static IReadOnlyList<string> Paragraphs(IEnumerable<MarkdownBlock> blocks)
    {
        var paragraphs = new List<string>();
        MarkdownBlock? previous = null;
        foreach (var block in blocks)
        {
            if (block.Kind == BlockKind.ListItem && previous?.Kind == BlockKind.ListItem)
            {
                paragraphs[^1] += "\n" + Paragraph(block);
            }
            else
            {
                paragraphs.Add(Paragraph(block));
            }

            previous = block;
        }

        return paragraphs;
    }

    public static string Paragraph(MarkdownBlock block) => block.Kind switch
    {
        BlockKind.Paragraph => Inline(Joined(block.Text)),
        BlockKind.ListItem => new string(' ', 2 * block.Level) + block.Info + " " + Inline(Joined(block.Text)),
        BlockKind.Table => string.Join('\n', block.Text.Split('\n').Select(Inline)),
        BlockKind.Code => string.Join('\n', block.Text.Split('\n').Select(l => l.Length == 0 ? l : CodeIndent + l)),
        _ => Inline(block.Text),
    };

    /// <summary>Inline markdown to plain text, outside code spans.</summary>
    public static string Inline(string text)
    {
        var result = new StringBuilder();
        var parts = CodeSpan().Split(text);
        foreach (var part in parts)
        {
            if (part.Length > 1 && part[0] == '`' && part[^1] == '`')
            {
                result.Append(part);
                continue;
            }

            var plain = Link().Replace(part, m =>
            {
                var label = m.Groups[1].Value;
                var address = m.Groups[2].Value.Trim();
                return Absolute().IsMatch(address) && address != label ? $"{label} ({address})" : label;
            });
            plain = Strong().Replace(plain, "$2");
            plain = Escape().Replace(plain, "$1");
            result.Append(plain);
        }

        return result.ToString();
    }

    /// <summary>
    /// Wraps text to <paramref name="width"/> columns: the first line starts with <paramref name="indent"/>, the others
    /// with <paramref name="hanging"/>. A word longer than the line is left whole.
    /// </summary>
    public static IEnumerable<string> Wrap(string text, int width, string indent, string hanging)
    {
        var line = new StringBuilder(indent);
        var empty = true;
        foreach (var word in text.Split(' ', StringSplitOptions.RemoveEmptyEntries))
        {
            if (!empty && line.Length + 1 + word.Length > width)
            {
                yield return line.ToString();
                line.Clear().Append(hanging);
                empty = true;
            }

            if (!empty)
            {
                line.Append(' ');
            }

            line.Append(word);
            empty = false;
        }

        if (!empty)
        {
            yield return line.ToString();
        }
    }

    private static string Joined(string text) => string.Join(' ', text.Split('\n', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries));

    /// <summary>Splits text into code spans (kept in the result, backticks and all) and what is between them.</summary>
    [GeneratedRegex(@"(`+[^`]*?`+)")]
    private static partial Regex CodeSpan();

    [GeneratedRegex(@"\[([^\]]+)\]\(([^)]*)\)")]
    private static partial Regex Link();

    [GeneratedRegex(@"^[A-Za-z][A-Za-z0-9+.-]*://")]
    private static partial Regex Absolute();

    [GeneratedRegex(@"(\*\*|__)(.+?)\1")]
    private static partial Regex Strong();

    [GeneratedRegex(@"\\([!-/:-@\[-`{-~])")]
    private static partial Regex Escape();
}
