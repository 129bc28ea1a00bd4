using System.Text.RegularExpressions;

namespace Kratix.HelpCompiler;

/// <summary>What a markdown block is, as far as help needs to know.</summary>
public enum BlockKind
{
    /// <summary>An ATX heading (<c># Title</c>); <see cref="MarkdownBlock.Level"/> is its number of #.</summary>
    Heading,

    /// <summary>Lines of text up to a blank line; <see cref="MarkdownBlock.Text"/> keeps their line breaks.</summary>
    Paragraph,

    /// <summary>One item of a bulleted or numbered list; <see cref="MarkdownBlock.Info"/> is its marker, <see cref="MarkdownBlock.Level"/> its nesting.</summary>
    ListItem,

    /// <summary>A pipe table, kept as written.</summary>
    Table,

    /// <summary>A fenced code block; <see cref="MarkdownBlock.Info"/> is its language.</summary>
    Code,
}

/// <summary>One block of a markdown file and the line (1-based) it starts on.</summary>
public sealed record MarkdownBlock(BlockKind Kind, int Line, string Text, int Level = 0, string Info = "");

/// <summary>A front-matter value and the line it is on.</summary>
public sealed record FrontMatterValue(string Value, int Line);

/// <summary>
/// A markdown file read into blocks: the YAML front matter (flat <c>key: value</c> lines between <c>---</c> lines), then
/// headings, paragraphs, list items, tables and fenced code blocks, each with its line. Only the block structure help
/// needs is recognised; inline markup is left in the text (<see cref="HelpText"/> renders it).
/// </summary>
public sealed partial class MarkdownDocument
{
    private MarkdownDocument(string file, IReadOnlyDictionary<string, FrontMatterValue>? frontMatter, IReadOnlyList<MarkdownBlock> blocks)
    {
        File = file;
        FrontMatter = frontMatter;
        Blocks = blocks;
    }

    /// <summary>The file the text came from, as errors name it.</summary>
    public string File { get; }

    /// <summary>The front matter's keys and values, or null when the file has none.</summary>
    public IReadOnlyDictionary<string, FrontMatterValue>? FrontMatter { get; }

    public IReadOnlyList<MarkdownBlock> Blocks { get; }

    public static MarkdownDocument Load(string path) => Parse(System.IO.File.ReadAllText(path), path);

    public static MarkdownDocument Parse(string text, string file)
    {
        var lines = text.Replace("\r\n", "\n", StringComparison.Ordinal).Split('\n');
        var i = 0;
        var frontMatter = ReadFrontMatter(lines, file, ref i);
        var blocks = new List<MarkdownBlock>();
        while (i < lines.Length)
        {
            var line = lines[i];
            if (string.IsNullOrWhiteSpace(line))
            {
                i++;
            }
            else if (Fence().Match(line) is { Success: true } fence)
            {
                blocks.Add(ReadCode(lines, file, ref i, fence));
            }
            else if (Heading().Match(line) is { Success: true } heading)
            {
                blocks.Add(new MarkdownBlock(BlockKind.Heading, i + 1, heading.Groups[2].Value.Trim(), heading.Groups[1].Length));
                i++;
            }
            else if (ListMarker().Match(line) is { Success: true } item)
            {
                blocks.Add(ReadListItem(lines, ref i, item));
            }
            else if (line.TrimStart().StartsWith('|'))
            {
                blocks.Add(ReadWhile(lines, ref i, BlockKind.Table, l => l.TrimStart().StartsWith('|'), l => l.Trim()));
            }
            else
            {
                blocks.Add(ReadWhile(lines, ref i, BlockKind.Paragraph, l => !StartsOtherBlock(l), l => l.Trim()));
            }
        }

        return new MarkdownDocument(file, frontMatter, blocks);
    }

    private static Dictionary<string, FrontMatterValue>? ReadFrontMatter(string[] lines, string file, ref int i)
    {
        if (lines.Length == 0 || lines[0].TrimEnd() != "---")
        {
            return null;
        }

        var values = new Dictionary<string, FrontMatterValue>(StringComparer.OrdinalIgnoreCase);
        for (i = 1; i < lines.Length; i++)
        {
            var line = lines[i].TrimEnd();
            if (line == "---")
            {
                i++;
                return values;
            }

            if (line.Length == 0)
            {
                continue;
            }

            var colon = line.IndexOf(':', StringComparison.Ordinal);
            if (colon <= 0)
            {
                throw new HelpFormatException(file, i + 1, $"The front matter line \"{line}\" is not \"key: value\".");
            }

            var key = line[..colon].Trim();
            if (!values.TryAdd(key, new FrontMatterValue(line[(colon + 1)..].Trim(), i + 1)))
            {
                throw new HelpFormatException(file, i + 1, $"The front matter gives \"{key}\" twice.");
            }
        }

        throw new HelpFormatException(file, 1, "The front matter that starts on line 1 has no closing \"---\" line.");
    }

    private static MarkdownBlock ReadCode(string[] lines, string file, ref int i, Match fence)
    {
        var start = i;
        var marker = fence.Groups[2].Value;
        var indent = fence.Groups[1].Value.Length;
        var code = new List<string>();
        for (i++; i < lines.Length; i++)
        {
            var line = lines[i];
            if (line.Trim().StartsWith(marker, StringComparison.Ordinal) && line.Trim().Trim(marker[0]).Length == 0)
            {
                i++;
                return new MarkdownBlock(BlockKind.Code, start + 1, string.Join('\n', code), Info: fence.Groups[3].Value.Trim());
            }

            // Lines are taken relative to the fence's own indentation (a fence inside a list item).
            code.Add(line.Length >= indent && line[..indent].Trim().Length == 0 ? line[indent..].TrimEnd() : line.TrimEnd());
        }

        throw new HelpFormatException(file, start + 1, $"The code block that starts here has no closing {marker}.");
    }

    private static MarkdownBlock ReadListItem(string[] lines, ref int i, Match item)
    {
        var start = i;
        var text = new List<string> { item.Groups[3].Value.Trim() };
        for (i++; i < lines.Length && !string.IsNullOrWhiteSpace(lines[i]) && !StartsOtherBlock(lines[i]) && !ListMarker().IsMatch(lines[i]); i++)
        {
            text.Add(lines[i].Trim());
        }

        return new MarkdownBlock(BlockKind.ListItem, start + 1, string.Join('\n', text), item.Groups[1].Value.Length / 2, item.Groups[2].Value);
    }

    private static MarkdownBlock ReadWhile(string[] lines, ref int i, BlockKind kind, Func<string, bool> belongs, Func<string, string> clean)
    {
        var start = i;
        var text = new List<string> { clean(lines[i]) };
        for (i++; i < lines.Length && !string.IsNullOrWhiteSpace(lines[i]) && belongs(lines[i]); i++)
        {
            text.Add(clean(lines[i]));
        }

        return new MarkdownBlock(kind, start + 1, string.Join('\n', text));
    }

    private static bool StartsOtherBlock(string line) =>
        Fence().IsMatch(line) || Heading().IsMatch(line) || ListMarker().IsMatch(line) || line.TrimStart().StartsWith('|');

    [GeneratedRegex(@"^( {0,3})(`{3,}|~{3,})(.*)$")]
    private static partial Regex Fence();

    [GeneratedRegex(@"^(#{1,6})[ \t]+(.*?)[ \t]*#*[ \t]*$")]
    private static partial Regex Heading();

    [GeneratedRegex(@"^( *)([-*+]|\d{1,9}[.)])[ \t]+(.*)$")]
    private static partial Regex ListMarker();
}
