using System.Text.RegularExpressions;

namespace Kratix.HelpCompiler;

/// <summary>
/// Reads a cmdlet's markdown help in platyPS's layout (schema 2.0.0) into a <see cref="CommandHelp"/>, and refuses, with
/// the file and line, anything that does not follow it: front matter, <c># Name</c>, then the sections in
/// <see cref="SectionOrder"/>, each in its own shape. It also checks the file against itself: every parameter set a
/// parameter names has a SYNTAX entry, and each SYNTAX line shows exactly the parameters of its set.
/// </summary>
public static partial class CommandHelpReader
{
    /// <summary>The level-2 sections of a cmdlet's help, in the order they must come.</summary>
    public static IReadOnlyList<string> SectionOrder { get; } =
        ["SYNOPSIS", "SYNTAX", "DESCRIPTION", "EXAMPLES", "PARAMETERS", "INPUTS", "OUTPUTS", "NOTES", "RELATED LINKS"];

    /// <summary>The platyPS schema these files follow (front matter "schema").</summary>
    public const string Schema = "2.0.0";

    private const string CommonParameters = "CommonParameters";

    public static CommandHelp Read(MarkdownDocument document)
    {
        var file = document.File;
        var front = document.FrontMatter ?? throw new HelpFormatException(file, 1, "The file has no front matter: it must start with a \"---\" line, then \"external help file:\", \"Module Name:\", \"online version:\" and \"schema: 2.0.0\", then \"---\".");
        var externalHelpFile = Required(front, "external help file", file);
        var moduleName = Required(front, "Module Name", file);
        var schema = Required(front, "schema", file);
        if (schema.Value != Schema)
        {
            throw new HelpFormatException(file, schema.Line, $"The schema is \"{schema.Value}\"; only platyPS's schema {Schema} is read.");
        }

        var online = front.TryGetValue("online version", out var o) && o.Value.Length > 0 ? o.Value : null;
        var (name, sections) = Sections(document);
        var syntax = ReadSyntax(sections["SYNTAX"], name, file);
        var parameters = ReadParameters(sections["PARAMETERS"], file);
        CheckSyntaxAgainstParameters(syntax, parameters, sections["PARAMETERS"].Heading, file);
        return new CommandHelp(
            name,
            file,
            externalHelpFile.Value,
            moduleName.Value,
            online,
            Text(sections["SYNOPSIS"], file, required: true),
            syntax,
            Text(sections["DESCRIPTION"], file, required: true),
            ReadExamples(sections["EXAMPLES"], file),
            parameters,
            ReadTypes(sections["INPUTS"], file),
            ReadTypes(sections["OUTPUTS"], file),
            Text(sections["NOTES"], file, required: false),
            ReadLinks(sections["RELATED LINKS"], file));
    }

    /// <summary>A section: its heading and the blocks up to the next level-2 heading.</summary>
    private sealed record Section(MarkdownBlock Heading, IReadOnlyList<MarkdownBlock> Blocks);

    private static FrontMatterValue Required(IReadOnlyDictionary<string, FrontMatterValue> front, string key, string file) =>
        front.TryGetValue(key, out var value) && value.Value.Length > 0
            ? value
            : throw new HelpFormatException(file, 1, $"The front matter has no \"{key}:\" value.");

    private static (string Name, Dictionary<string, Section> Sections) Sections(MarkdownDocument document)
    {
        var file = document.File;
        var blocks = document.Blocks;
        if (blocks.Count == 0 || blocks[0] is not { Kind: BlockKind.Heading, Level: 1 })
        {
            throw new HelpFormatException(file, blocks.Count == 0 ? 1 : blocks[0].Line, "The help must start (after the front matter) with \"# <Cmdlet-Name>\".");
        }

        var name = blocks[0].Text;
        var expected = Path.GetFileNameWithoutExtension(file);
        if (Path.GetExtension(file).Equals(".md", StringComparison.OrdinalIgnoreCase) && !string.Equals(name, expected, StringComparison.OrdinalIgnoreCase))
        {
            throw new HelpFormatException(file, blocks[0].Line, $"The title is \"{name}\" but the file is named {Path.GetFileName(file)}: the file must be named after the cmdlet.");
        }

        var sections = new Dictionary<string, Section>(StringComparer.Ordinal);
        var i = 1;
        foreach (var sectionName in SectionOrder)
        {
            if (i >= blocks.Count)
            {
                throw new HelpFormatException(file, blocks[^1].Line, $"The section \"## {sectionName}\" is missing; the sections are {string.Join(", ", SectionOrder.Select(s => "## " + s))}, in that order.");
            }

            var heading = blocks[i];
            if (heading is not { Kind: BlockKind.Heading, Level: 2 } || heading.Text != sectionName)
            {
                var found = heading.Kind == BlockKind.Heading ? $"\"{new string('#', heading.Level)} {heading.Text}\"" : "text";
                throw new HelpFormatException(file, heading.Line, $"Expected \"## {sectionName}\" here but found {found}; the sections are {string.Join(", ", SectionOrder.Select(s => "## " + s))}, in that order.");
            }

            var content = new List<MarkdownBlock>();
            for (i++; i < blocks.Count && !(blocks[i].Kind == BlockKind.Heading && blocks[i].Level <= 2); i++)
            {
                content.Add(blocks[i]);
            }

            sections[sectionName] = new Section(heading, content);
        }

        if (i < blocks.Count)
        {
            throw new HelpFormatException(file, blocks[i].Line, $"Nothing may follow \"## RELATED LINKS\", but \"{blocks[i].Text}\" does.");
        }

        return (name, sections);
    }

    /// <summary>Splits a section into its level-3 subsections; nothing may come before the first.</summary>
    private static List<Section> Subsections(Section section, string file, string what)
    {
        var result = new List<Section>();
        foreach (var block in section.Blocks)
        {
            if (block is { Kind: BlockKind.Heading, Level: 3 })
            {
                result.Add(new Section(block, new List<MarkdownBlock>()));
            }
            else if (block.Kind == BlockKind.Heading)
            {
                throw new HelpFormatException(file, block.Line, $"\"## {section.Heading.Text}\" holds \"### {what}\" headings only, not \"{new string('#', block.Level)} {block.Text}\".");
            }
            else if (result.Count == 0)
            {
                throw new HelpFormatException(file, block.Line, $"Text comes before the first \"### {what}\" of \"## {section.Heading.Text}\".");
            }
            else
            {
                ((List<MarkdownBlock>)result[^1].Blocks).Add(block);
            }
        }

        return result;
    }

    /// <summary>A section of text: paragraphs, lists, tables and code, no headings.</summary>
    private static IReadOnlyList<MarkdownBlock> Text(Section section, string file, bool required) => Text(section.Heading, section.Blocks, file, required, "## " + section.Heading.Text);

    private static IReadOnlyList<MarkdownBlock> Text(MarkdownBlock heading, IReadOnlyList<MarkdownBlock> blocks, string file, bool required, string what)
    {
        if (blocks.FirstOrDefault(b => b.Kind == BlockKind.Heading) is { } nested)
        {
            throw new HelpFormatException(file, nested.Line, $"\"{what}\" cannot have headings of its own (\"{new string('#', nested.Level)} {nested.Text}\").");
        }

        if (required && blocks.Count == 0)
        {
            throw new HelpFormatException(file, heading.Line, $"\"{what}\" is empty.");
        }

        return blocks;
    }

    private static List<SyntaxSet> ReadSyntax(Section section, string name, string file)
    {
        var sets = new List<SyntaxSet>();
        foreach (var set in Subsections(section, file, "<ParameterSetName>"))
        {
            var title = set.Heading.Text;
            var isDefault = title.EndsWith("(Default)", StringComparison.Ordinal);
            var setName = isDefault ? title[..^"(Default)".Length].Trim() : title;
            if (set.Blocks is not [{ Kind: BlockKind.Code } code])
            {
                throw new HelpFormatException(file, set.Heading.Line, $"The syntax of parameter set \"{setName}\" must be one code block, with nothing else.");
            }

            var text = string.Join(' ', code.Text.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries));
            if (!text.StartsWith(name + " ", StringComparison.OrdinalIgnoreCase) && !text.Equals(name, StringComparison.OrdinalIgnoreCase))
            {
                throw new HelpFormatException(file, code.Line, $"The syntax of parameter set \"{setName}\" must start with the cmdlet's name, {name}.");
            }

            if (sets.Any(s => s.Name.Equals(setName, StringComparison.OrdinalIgnoreCase)))
            {
                throw new HelpFormatException(file, set.Heading.Line, $"The parameter set \"{setName}\" has two syntax entries.");
            }

            var parameters = SyntaxParameter().Matches(text[name.Length..]).Select(m => m.Groups[1].Value).ToList();
            sets.Add(new SyntaxSet(setName, isDefault, text, parameters, set.Heading.Line));
        }

        if (sets.Count == 0)
        {
            throw new HelpFormatException(file, section.Heading.Line, "\"## SYNTAX\" has no \"### <ParameterSetName>\" entry.");
        }

        if (sets.Count(s => s.IsDefault) > 1 || (sets.Count > 1 && !sets.Any(s => s.IsDefault)))
        {
            throw new HelpFormatException(file, section.Heading.Line, "Exactly one parameter set must be marked \"(Default)\" when there are several.");
        }

        return sets;
    }

    private static List<ExampleHelp> ReadExamples(Section section, string file)
    {
        var examples = new List<ExampleHelp>();
        foreach (var example in Subsections(section, file, "Example N: <title>"))
        {
            var number = examples.Count + 1;
            var title = example.Heading.Text;
            if (ExampleTitle().Match(title) is not { Success: true } match || match.Groups[1].Value != number.ToString(System.Globalization.CultureInfo.InvariantCulture))
            {
                throw new HelpFormatException(file, example.Heading.Line, $"This is example {number}: its heading must be \"### Example {number}: <what it does>\", not \"### {title}\".");
            }

            if (example.Blocks.Count == 0 || example.Blocks[0].Kind != BlockKind.Code)
            {
                throw new HelpFormatException(file, example.Heading.Line, $"Example {number} must start with its code block (```powershell), then its remarks.");
            }

            if (example.Blocks.Skip(1).FirstOrDefault(b => b.Kind == BlockKind.Code) is { } second)
            {
                throw new HelpFormatException(file, second.Line, $"Example {number} has a second code block; an example is one code block followed by remarks.");
            }

            if (example.Blocks[0].Text.Trim().Length == 0)
            {
                throw new HelpFormatException(file, example.Blocks[0].Line, $"The code block of example {number} is empty.");
            }

            examples.Add(new ExampleHelp(title, example.Blocks[0].Text, example.Blocks.Skip(1).ToList(), example.Heading.Line));
        }

        return examples;
    }

    private static List<ParameterHelp> ReadParameters(Section section, string file)
    {
        var parameters = new List<ParameterHelp>();
        foreach (var parameter in Subsections(section, file, "-ParameterName"))
        {
            var title = parameter.Heading.Text;
            if (title == CommonParameters)
            {
                continue;
            }

            if (!ParameterTitle().IsMatch(title))
            {
                throw new HelpFormatException(file, parameter.Heading.Line, $"A parameter's heading is \"### -<Name>\" (or \"### {CommonParameters}\"), not \"### {title}\".");
            }

            var name = title[1..];
            if (parameters.Any(p => p.Name.Equals(name, StringComparison.OrdinalIgnoreCase)))
            {
                throw new HelpFormatException(file, parameter.Heading.Line, $"The parameter -{name} is documented twice.");
            }

            var firstYaml = parameter.Blocks.ToList().FindIndex(b => b.Kind == BlockKind.Code);
            if (firstYaml < 0)
            {
                throw new HelpFormatException(file, parameter.Heading.Line, $"The parameter -{name} has no ```yaml block (Type, Parameter Sets, Aliases, Required, Position, Default value, Accept pipeline input, Accept wildcard characters).");
            }

            var description = parameter.Blocks.Take(firstYaml).ToList();
            if (description.Count == 0)
            {
                throw new HelpFormatException(file, parameter.Heading.Line, $"The parameter -{name} has no description before its yaml block.");
            }

            var usages = new List<ParameterUsage>();
            foreach (var block in parameter.Blocks.Skip(firstYaml))
            {
                if (block.Kind != BlockKind.Code)
                {
                    throw new HelpFormatException(file, block.Line, $"The description of -{name} must come before its yaml block, not after it.");
                }

                usages.Add(ParameterYaml.Read(block, name, file));
            }

            CheckUsages(name, usages, file);
            parameters.Add(new ParameterHelp(name, description, usages, parameter.Heading.Line));
        }

        return parameters;
    }

    private static void CheckUsages(string name, List<ParameterUsage> usages, string file)
    {
        if (usages.Count < 2)
        {
            return;
        }

        var other = usages.Skip(1).FirstOrDefault(u => !u.Type.Equals(usages[0].Type, StringComparison.OrdinalIgnoreCase));
        if (other is not null)
        {
            throw new HelpFormatException(file, other.Line, $"The yaml blocks of -{name} give two types, {usages[0].Type} and {other.Type}.");
        }

        var seen = new HashSet<string>(StringComparer.OrdinalIgnoreCase);
        foreach (var usage in usages)
        {
            if (usage.InAllSets)
            {
                throw new HelpFormatException(file, usage.Line, $"-{name} has several yaml blocks, so none of them can say {ParameterUsage.AllSets}.");
            }

            if (usage.ParameterSets.FirstOrDefault(s => !seen.Add(s)) is { } twice)
            {
                throw new HelpFormatException(file, usage.Line, $"Two yaml blocks of -{name} name the parameter set \"{twice}\".");
            }
        }
    }

    private static void CheckSyntaxAgainstParameters(List<SyntaxSet> syntax, List<ParameterHelp> parameters, MarkdownBlock heading, string file)
    {
        foreach (var parameter in parameters)
        {
            foreach (var usage in parameter.Usages)
            {
                if (usage.ParameterSets.FirstOrDefault(s => s != ParameterUsage.AllSets && !syntax.Any(x => x.Name.Equals(s, StringComparison.OrdinalIgnoreCase))) is { } unknown)
                {
                    throw new HelpFormatException(file, usage.Line, $"-{parameter.Name} is in parameter set \"{unknown}\", which \"## SYNTAX\" does not have (it has {string.Join(", ", syntax.Select(s => s.Name))}).");
                }
            }
        }

        foreach (var set in syntax)
        {
            if (set.ParameterNames.FirstOrDefault(n => parameters.FirstOrDefault(p => p.Name.Equals(n, StringComparison.OrdinalIgnoreCase)) is not { } p || p.In(set.Name) is null) is { } extra)
            {
                throw new HelpFormatException(file, set.Line, $"The syntax of parameter set \"{set.Name}\" shows -{extra}, but \"## PARAMETERS\" does not put -{extra} in that set.");
            }

            if (parameters.FirstOrDefault(p => p.In(set.Name) is not null && !set.ParameterNames.Contains(p.Name, StringComparer.OrdinalIgnoreCase)) is { } missing)
            {
                throw new HelpFormatException(file, set.Line, $"-{missing.Name} is in parameter set \"{set.Name}\" (see its yaml on line {missing.In(set.Name)!.Line}), but the syntax of that set does not show it.");
            }
        }

        if (parameters.Count == 0 && syntax.Any(s => s.ParameterNames.Count > 0))
        {
            throw new HelpFormatException(file, heading.Line, "\"## PARAMETERS\" documents no parameter.");
        }
    }

    private static List<TypeHelp> ReadTypes(Section section, string file)
    {
        var types = Subsections(section, file, "<TypeName>")
            .Select(t => new TypeHelp(t.Heading.Text, Text(t.Heading, t.Blocks, file, required: false, "### " + t.Heading.Text), t.Heading.Line))
            .ToList();
        if (types.Count == 0)
        {
            throw new HelpFormatException(file, section.Heading.Line, $"\"## {section.Heading.Text}\" names no type: give each as \"### <TypeName>\" (\"### None\" when there is none).");
        }

        return types;
    }

    private static List<RelatedLink> ReadLinks(Section section, string file)
    {
        var links = new List<RelatedLink>();
        foreach (var block in section.Blocks)
        {
            if (block.Kind is not (BlockKind.Paragraph or BlockKind.ListItem))
            {
                throw new HelpFormatException(file, block.Line, "\"## RELATED LINKS\" holds links only, one \"[Text](address)\" a line.");
            }

            var lines = block.Text.Split('\n');
            for (var i = 0; i < lines.Length; i++)
            {
                if (Link().Match(lines[i].Trim()) is not { Success: true } link)
                {
                    throw new HelpFormatException(file, block.Line + i, $"\"{lines[i].Trim()}\" is not a link; \"## RELATED LINKS\" holds one \"[Text](address)\" a line.");
                }

                links.Add(new RelatedLink(link.Groups[1].Value.Trim(), link.Groups[2].Value.Trim()));
            }
        }

        return links;
    }

    /// <summary>A parameter in a syntax line: a dash after a space or an opening bracket, then a name.</summary>
    [GeneratedRegex(@"(?<=[\s\[])-([A-Za-z][A-Za-z0-9_]*)")]
    private static partial Regex SyntaxParameter();

    [GeneratedRegex(@"^Example (\d+)(:|$)")]
    private static partial Regex ExampleTitle();

    [GeneratedRegex(@"^-[A-Za-z][A-Za-z0-9_]*$")]
    private static partial Regex ParameterTitle();

    [GeneratedRegex(@"^(?:[-*+][ \t]+)?\[([^\]]+)\]\(([^)]*)\)$")]
    private static partial Regex Link();
}
