using System.Xml.Linq;

namespace Kratix.HelpCompiler;

/// <summary>
/// Writes cmdlets' help as MAML, the XML Get-Help reads from a module's <c>&lt;culture&gt;/&lt;assembly&gt;-Help.xml</c>, in
/// the shape platyPS writes: per command its details (name, verb, noun, synopsis), description, one syntax item per
/// parameter set (parameters in the order the SYNTAX line shows them, with that set's required and position), the
/// parameters, input and return types, notes (alertSet), examples and related links.
/// </summary>
public static class MamlWriter
{
    private static readonly XNamespace Msh = "http://msh";
    private static readonly XNamespace Maml = "http://schemas.microsoft.com/maml/2004/10";
    private static readonly XNamespace Command = "http://schemas.microsoft.com/maml/dev/command/2004/10";
    private static readonly XNamespace Dev = "http://schemas.microsoft.com/maml/dev/2004/10";
    private static readonly XNamespace MSHelp = "http://msdn.microsoft.com/mshelp";

    /// <summary>The dashes around an example's title, as Get-Help has always shown them.</summary>
    public const string ExampleTitleRule = "--------------------------";

    public static XDocument Write(IEnumerable<CommandHelp> commands) => new(
        new XDeclaration("1.0", "utf-8", null),
        new XElement(Msh + "helpItems", new XAttribute("schema", "maml"), commands.Select(CommandElement)));

    private static XElement CommandElement(CommandHelp help)
    {
        var (verb, noun) = help.VerbAndNoun;
        return new XElement(
            Command + "command",
            new XAttribute(XNamespace.Xmlns + "maml", Maml),
            new XAttribute(XNamespace.Xmlns + "command", Command),
            new XAttribute(XNamespace.Xmlns + "dev", Dev),
            new XAttribute(XNamespace.Xmlns + "MSHelp", MSHelp),
            new XElement(
                Command + "details",
                new XElement(Command + "name", help.Name),
                new XElement(Command + "verb", verb),
                new XElement(Command + "noun", noun),
                Description(help.Synopsis)),
            Description(help.Description),
            new XElement(Command + "syntax", help.Syntax.Select(set => SyntaxItem(help, set))),
            new XElement(Command + "parameters", help.Parameters.Select(p => Parameter(p, p.Usages[0], inSyntax: false))),
            new XElement(Command + "inputTypes", help.Inputs.Select(t => TypeElement("inputType", t))),
            new XElement(Command + "returnValues", help.Outputs.Select(t => TypeElement("returnValue", t))),
            help.Notes.Count == 0 ? null : new XElement(Maml + "alertSet", new XElement(Maml + "alert", Paragraphs(help.Notes))),
            new XElement(Command + "examples", help.Examples.Select(Example)),
            new XElement(Command + "relatedLinks", Links(help)));
    }

    private static XElement SyntaxItem(CommandHelp help, SyntaxSet set) => new(
        Command + "syntaxItem",
        new XElement(Maml + "name", help.Name),
        set.ParameterNames.Select(name =>
        {
            var parameter = help.Parameters.First(p => p.Name.Equals(name, StringComparison.OrdinalIgnoreCase));
            return Parameter(parameter, parameter.In(set.Name)!, inSyntax: true);
        }));

    private static XElement Parameter(ParameterHelp parameter, ParameterUsage usage, bool inSyntax)
    {
        // A switch shows as [-Name] in a syntax line, so it has no value there; its entry under PARAMETERS still names its type.
        var value = inSyntax && usage.IsSwitch
            ? null
            : new XElement(Command + "parameterValue", new XAttribute("required", Lower(!usage.IsSwitch)), new XAttribute("variableLength", "false"), usage.Type);
        return new XElement(
            Command + "parameter",
            new XAttribute("required", Lower(usage.Required)),
            new XAttribute("variableLength", "true"),
            new XAttribute("globbing", Lower(usage.Wildcards)),
            new XAttribute("pipelineInput", usage.PipelineInput),
            new XAttribute("position", usage.Position?.ToString(System.Globalization.CultureInfo.InvariantCulture) ?? "named"),
            new XAttribute("aliases", usage.Aliases.Count == 0 ? "none" : string.Join(", ", usage.Aliases)),
            new XElement(Maml + "name", parameter.Name),
            Description(parameter.Description),
            AcceptedValues(usage),
            value,
            new XElement(Dev + "type", new XElement(Maml + "name", usage.Type), new XElement(Maml + "uri")),
            new XElement(Dev + "defaultValue", usage.DefaultValue));
    }

    /// <summary>A fixed set of values as Get-Help shows them ("-Action &lt;String&gt;" lists Configure, Delete), or nothing.</summary>
    private static XElement? AcceptedValues(ParameterUsage usage) => usage.AcceptedValues.Count == 0
        ? null
        : new XElement(
            Command + "parameterValueGroup",
            usage.AcceptedValues.Select(v => new XElement(Command + "parameterValue", new XAttribute("required", "false"), new XAttribute("variableLength", "false"), v)));

    private static XElement TypeElement(string element, TypeHelp type) => new(
        Command + element,
        new XElement(Dev + "type", new XElement(Maml + "name", type.Name)),
        Description(type.Description));

    private static XElement Example(ExampleHelp example) => new(
        Command + "example",
        new XElement(Maml + "title", $"{ExampleTitleRule} {example.Title} {ExampleTitleRule}"),
        new XElement(Dev + "code", example.Code),
        new XElement(Dev + "remarks", Paragraphs(example.Remarks)));

    /// <summary>The online version first, as platyPS writes it (Get-Help -Online opens it), then the RELATED LINKS.</summary>
    private static IEnumerable<XElement> Links(CommandHelp help)
    {
        var links = help.RelatedLinks.Select(l => (l.Text, Uri: IsAbsolute(l.Uri) ? l.Uri : string.Empty));
        if (help.OnlineVersion is not null)
        {
            links = links.Prepend(("Online Version:", help.OnlineVersion));
        }

        return links.Select(l => new XElement(Maml + "navigationLink", new XElement(Maml + "linkText", l.Text), new XElement(Maml + "uri", l.Uri)));
    }

    private static XElement Description(IEnumerable<MarkdownBlock> blocks) => new(Maml + "description", Paragraphs(blocks));

    private static IEnumerable<XElement> Paragraphs(IEnumerable<MarkdownBlock> blocks) => HelpText.Paragraphs(blocks).Select(p => new XElement(Maml + "para", p));

    private static bool IsAbsolute(string uri) => Uri.TryCreate(uri, UriKind.Absolute, out var parsed) && parsed.Scheme is "http" or "https";

    private static string Lower(bool value) => value ? "true" : "false";
}
