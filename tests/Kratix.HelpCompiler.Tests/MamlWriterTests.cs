using System.Xml.Linq;

namespace Kratix.HelpCompiler.Tests;

public class MamlWriterTests
{
    private static readonly XNamespace Msh = "http://msh";
    private static readonly XNamespace Maml = "http://schemas.microsoft.com/maml/2004/10";
    private static readonly XNamespace Command = "http://schemas.microsoft.com/maml/dev/command/2004/10";
    private static readonly XNamespace Dev = "http://schemas.microsoft.com/maml/dev/2004/10";

    private static XElement Write(string text = Samples.Command)
    {
        // Written out and read back, as Get-Help reads the file.
        var xml = MamlWriter.Write([Samples.Read(text)]).ToString();
        return Assert.Single(XDocument.Parse(xml).Root!.Elements(Command + "command"));
    }

    private static List<string> Paras(XElement? parent) => parent!.Elements(Maml + "para").Select(p => p.Value).ToList();

    [Fact]
    public void The_root_is_helpItems_in_the_msh_namespace_with_the_maml_schema()
    {
        var document = MamlWriter.Write([Samples.Read()]);

        Assert.Equal(Msh + "helpItems", document.Root!.Name);
        Assert.Equal("maml", document.Root.Attribute("schema")!.Value);
        Assert.Equal("utf-8", document.Declaration!.Encoding);
    }

    [Fact]
    public void The_command_declares_the_prefixes_Get_Help_expects()
    {
        var xml = MamlWriter.Write([Samples.Read()]).ToString();

        Assert.Contains("<command:command xmlns:maml=\"http://schemas.microsoft.com/maml/2004/10\" xmlns:command=\"http://schemas.microsoft.com/maml/dev/command/2004/10\" xmlns:dev=\"http://schemas.microsoft.com/maml/dev/2004/10\"", xml);
        Assert.Contains("<maml:para>", xml);
        Assert.Contains("<dev:code>", xml);
    }

    [Fact]
    public void Details_hold_the_name_verb_noun_and_synopsis()
    {
        var details = Write().Element(Command + "details")!;

        Assert.Equal("Get-Thing", details.Element(Command + "name")!.Value);
        Assert.Equal("Get", details.Element(Command + "verb")!.Value);
        Assert.Equal("Thing", details.Element(Command + "noun")!.Value);
        Assert.Equal(["Gets things by name."], Paras(details.Element(Maml + "description")));
    }

    [Fact]
    public void The_description_is_a_paragraph_per_block_with_inline_markup_rendered()
    {
        Assert.Equal(
            ["Gets things from the store (https://example.com/store), see Set-Thing.", "- one\n- two"],
            Paras(Write().Element(Maml + "description")));
    }

    [Fact]
    public void There_is_a_syntax_item_per_set_with_its_parameters_in_the_order_shown_and_that_sets_metadata()
    {
        var items = Write().Element(Command + "syntax")!.Elements(Command + "syntaxItem").ToList();

        Assert.Equal(2, items.Count);
        Assert.All(items, i => Assert.Equal("Get-Thing", i.Element(Maml + "name")!.Value));
        var first = items[0].Elements(Command + "parameter").ToList();
        Assert.Equal(["Name", "Force", "WhatIf"], first.Select(p => p.Element(Maml + "name")!.Value));
        Assert.Equal(("true", "0"), (first[0].Attribute("required")!.Value, first[0].Attribute("position")!.Value));
        Assert.Equal("String[]", first[0].Element(Command + "parameterValue")!.Value);
        Assert.Equal(["Id", "WhatIf"], items[1].Elements(Command + "parameter").Select(p => p.Element(Maml + "name")!.Value));
    }

    [Fact]
    public void A_switch_has_no_value_in_a_syntax_item_but_names_its_type_among_the_parameters()
    {
        var command = Write();
        var inSyntax = command.Element(Command + "syntax")!.Elements(Command + "syntaxItem").First().Elements(Command + "parameter").Single(p => p.Element(Maml + "name")!.Value == "Force");
        var inParameters = command.Element(Command + "parameters")!.Elements(Command + "parameter").Single(p => p.Element(Maml + "name")!.Value == "Force");

        Assert.Null(inSyntax.Element(Command + "parameterValue"));
        Assert.Equal("SwitchParameter", inParameters.Element(Command + "parameterValue")!.Value);
        Assert.Equal("false", inParameters.Element(Command + "parameterValue")!.Attribute("required")!.Value);
    }

    [Fact]
    public void Parameters_carry_what_Get_Help_Full_shows()
    {
        var parameters = Write().Element(Command + "parameters")!.Elements(Command + "parameter").ToList();

        Assert.Equal(["Name", "Force", "Id", "WhatIf"], parameters.Select(p => p.Element(Maml + "name")!.Value));
        var name = parameters[0];
        Assert.Equal("true", name.Attribute("required")!.Value);
        Assert.Equal("0", name.Attribute("position")!.Value);
        Assert.Equal("true", name.Attribute("globbing")!.Value);
        Assert.Equal("True (ByValue, ByPropertyName)", name.Attribute("pipelineInput")!.Value);
        Assert.Equal("N, ThingName", name.Attribute("aliases")!.Value);
        Assert.Equal(["The names, with `*` wildcards."], Paras(name.Element(Maml + "description")));
        Assert.Equal("String[]", name.Element(Dev + "type")!.Element(Maml + "name")!.Value);
        Assert.Equal("None", name.Element(Dev + "defaultValue")!.Value);

        var id = parameters[2];
        Assert.Equal("named", id.Attribute("position")!.Value);
        Assert.Equal("none", id.Attribute("aliases")!.Value);
        Assert.Equal("False", id.Attribute("pipelineInput")!.Value);
        Assert.Equal("false", id.Attribute("globbing")!.Value);
    }

    [Fact]
    public void Input_and_return_types_have_a_name_and_a_description()
    {
        var command = Write();

        var input = Assert.Single(command.Element(Command + "inputTypes")!.Elements(Command + "inputType"));
        Assert.Equal("System.String[]", input.Element(Dev + "type")!.Element(Maml + "name")!.Value);
        Assert.Equal(["Names, by value or by property name."], Paras(input.Element(Maml + "description")));
        var output = Assert.Single(command.Element(Command + "returnValues")!.Elements(Command + "returnValue"));
        Assert.Equal("Things.Thing", output.Element(Dev + "type")!.Element(Maml + "name")!.Value);
    }

    [Fact]
    public void Notes_are_an_alert_and_absent_when_there_are_none()
    {
        Assert.Equal(["Things are cached."], Paras(Write().Element(Maml + "alertSet")!.Element(Maml + "alert")));
        Assert.Null(Write(Samples.With("Things are cached.\n", string.Empty)).Element(Maml + "alertSet"));
    }

    [Fact]
    public void Examples_have_a_ruled_title_their_code_and_remarks()
    {
        var examples = Write().Element(Command + "examples")!.Elements(Command + "example").ToList();

        Assert.Equal(2, examples.Count);
        Assert.Equal("-------------------------- Example 1: Get a thing --------------------------", examples[0].Element(Maml + "title")!.Value);
        Assert.Equal("Get-Thing -Name a* | Where-Object Size -lt 3", examples[0].Element(Dev + "code")!.Value);
        Assert.Equal(["Gets things whose name starts with a & is small (< 3)."], Paras(examples[0].Element(Dev + "remarks")));
    }

    [Fact]
    public void Markup_characters_are_escaped_in_the_file_and_read_back_unchanged()
    {
        var text = Samples.With("Get-Thing -Id 3 -WhatIf", "Get-Thing -Id 3 -WhatIf 2>&1 | Where-Object { $_ -is [object] -and $_.Name -ne '<none>' }");
        var xml = MamlWriter.Write([Samples.Read(text)]).ToString();

        Assert.Contains("2&gt;&amp;1", xml);
        Assert.Contains("'&lt;none&gt;'", xml);
        Assert.Contains("is small (&lt; 3)", xml);
        var code = XDocument.Parse(xml).Descendants(Dev + "code").Last().Value;
        Assert.Equal("Get-Thing -Id 3 -WhatIf 2>&1 | Where-Object { $_ -is [object] -and $_.Name -ne '<none>' }", code);
    }

    [Fact]
    public void Related_links_start_with_the_online_version_and_only_web_addresses_are_kept()
    {
        var links = Write().Element(Command + "relatedLinks")!.Elements(Maml + "navigationLink")
            .Select(l => (l.Element(Maml + "linkText")!.Value, l.Element(Maml + "uri")!.Value)).ToList();

        Assert.Equal([("Online Version:", "https://example.com/Get-Thing"), ("Set-Thing", ""), ("The store", "https://example.com/store")], links);
    }

    [Fact]
    public void Several_commands_go_in_one_file_in_the_order_given()
    {
        var other = Samples.Read(Samples.Command.Replace("Get-Thing", "Set-Thing", StringComparison.Ordinal), "Set-Thing.md");

        var names = MamlWriter.Write([Samples.Read(), other]).Root!.Elements(Command + "command").Select(c => c.Element(Command + "details")!.Element(Command + "name")!.Value);

        Assert.Equal(["Get-Thing", "Set-Thing"], names);
    }

    [Fact]
    public void Accepted_values_become_the_parameters_value_group()
    {
        var text = Samples.Command.Replace("Type: Int32\n", "Type: Int32\nAccepted values: 1, 2, 3\n", StringComparison.Ordinal);
        Assert.NotEqual(Samples.Command, text);

        var id = Write(text).Element(Command + "parameters")!.Elements(Command + "parameter").Single(p => p.Element(Maml + "name")!.Value == "Id");

        Assert.Equal(["1", "2", "3"], id.Element(Command + "parameterValueGroup")!.Elements(Command + "parameterValue").Select(v => v.Value));
        Assert.Null(Write().Element(Command + "parameters")!.Descendants(Command + "parameterValueGroup").FirstOrDefault());
    }
}
