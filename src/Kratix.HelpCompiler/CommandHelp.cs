namespace Kratix.HelpCompiler;

/// <summary>
/// The help of one cmdlet, as its markdown file (platyPS schema 2.0.0) gives it. Text is kept as markdown blocks;
/// <see cref="MamlWriter"/> renders it. Lines are kept so later checks can name where something is wrong.
/// </summary>
public sealed record CommandHelp(
    string Name,
    string File,
    string ExternalHelpFile,
    string ModuleName,
    string? OnlineVersion,
    IReadOnlyList<MarkdownBlock> Synopsis,
    IReadOnlyList<SyntaxSet> Syntax,
    IReadOnlyList<MarkdownBlock> Description,
    IReadOnlyList<ExampleHelp> Examples,
    IReadOnlyList<ParameterHelp> Parameters,
    IReadOnlyList<TypeHelp> Inputs,
    IReadOnlyList<TypeHelp> Outputs,
    IReadOnlyList<MarkdownBlock> Notes,
    IReadOnlyList<RelatedLink> RelatedLinks)
{
    /// <summary>The verb and noun of a Verb-Noun name.</summary>
    public (string Verb, string Noun) VerbAndNoun
    {
        get
        {
            var dash = Name.IndexOf('-', StringComparison.Ordinal);
            return dash < 0 ? (string.Empty, Name) : (Name[..dash], Name[(dash + 1)..]);
        }
    }
}

/// <summary>
/// One parameter set of the SYNTAX section: its name (<c>__AllParameterSets</c> for a cmdlet without named sets), whether
/// it is the default, and the parameters its syntax line shows, in the order it shows them.
/// </summary>
public sealed record SyntaxSet(string Name, bool IsDefault, string Text, IReadOnlyList<string> ParameterNames, int Line);

/// <summary>An example: its title (from "### Example 1: Title"), its code, and the remarks after the code.</summary>
public sealed record ExampleHelp(string Title, string Code, IReadOnlyList<MarkdownBlock> Remarks, int Line);

/// <summary>A parameter: its description and one <see cref="ParameterUsage"/> per yaml block (one per group of sets it behaves alike in).</summary>
public sealed record ParameterHelp(string Name, IReadOnlyList<MarkdownBlock> Description, IReadOnlyList<ParameterUsage> Usages, int Line)
{
    /// <summary>The usage that applies in <paramref name="set"/>: the block naming it, else one that says (All).</summary>
    public ParameterUsage? In(string set) =>
        Usages.FirstOrDefault(u => u.ParameterSets.Contains(set, StringComparer.OrdinalIgnoreCase)) ?? Usages.FirstOrDefault(u => u.InAllSets);
}

/// <summary>
/// A parameter's yaml block: Type, Parameter Sets, Aliases, Required, Position, Default value, Accept pipeline input and
/// Accept wildcard characters, as platyPS writes them, and the optional Accepted values (a parameter's fixed choices).
/// </summary>
public sealed record ParameterUsage(
    string Type,
    IReadOnlyList<string> ParameterSets,
    IReadOnlyList<string> Aliases,
    bool Required,
    int? Position,
    string DefaultValue,
    string PipelineInput,
    bool Wildcards,
    int Line)
{
    /// <summary>The values the parameter accepts, when it has a fixed set (platyPS's "Accepted values:"); empty otherwise.</summary>
    public IReadOnlyList<string> AcceptedValues { get; init; } = [];

    /// <summary>platyPS's "(All)": the parameter is in every parameter set.</summary>
    public const string AllSets = "(All)";

    public bool InAllSets => ParameterSets.Contains(AllSets, StringComparer.OrdinalIgnoreCase);

    public bool IsSwitch => Type.Equals("SwitchParameter", StringComparison.OrdinalIgnoreCase) || Type.Equals("System.Management.Automation.SwitchParameter", StringComparison.OrdinalIgnoreCase);
}

/// <summary>An input or output type ("### Kratix.Promise") and what the section says about it.</summary>
public sealed record TypeHelp(string Name, IReadOnlyList<MarkdownBlock> Description, int Line);

/// <summary>A related link: its text and its address (empty for a link to another help topic).</summary>
public sealed record RelatedLink(string Text, string Uri);
