namespace Kratix.HelpCompiler.Tests;

public class CommandHelpReaderTests
{
    [Fact]
    public void The_front_matter_names_the_help_file_module_and_online_version()
    {
        var help = Samples.Read();

        Assert.Equal("Get-Thing", help.Name);
        Assert.Equal(("Get", "Thing"), help.VerbAndNoun);
        Assert.Equal("Things.dll-Help.xml", help.ExternalHelpFile);
        Assert.Equal("Things", help.ModuleName);
        Assert.Equal("https://example.com/Get-Thing", help.OnlineVersion);
    }

    [Fact]
    public void An_empty_online_version_is_none()
    {
        Assert.Null(Samples.Read(Samples.With("online version: https://example.com/Get-Thing", "online version:")).OnlineVersion);
    }

    [Fact]
    public void Synopsis_description_and_notes_are_kept_as_blocks()
    {
        var help = Samples.Read();

        Assert.Equal("Gets things\nby name.", Assert.Single(help.Synopsis).Text);
        Assert.Equal([BlockKind.Paragraph, BlockKind.ListItem, BlockKind.ListItem], help.Description.Select(b => b.Kind));
        Assert.Equal("Things are cached.", Assert.Single(help.Notes).Text);
    }

    [Fact]
    public void Each_syntax_entry_is_a_parameter_set_with_the_parameters_its_line_shows_in_order()
    {
        var help = Samples.Read();

        Assert.Equal(["Name", "Id"], help.Syntax.Select(s => s.Name));
        Assert.True(help.Syntax[0].IsDefault);
        Assert.False(help.Syntax[1].IsDefault);
        Assert.Equal(["Name", "Force", "WhatIf"], help.Syntax[0].ParameterNames);
        Assert.Equal(["Id", "WhatIf"], help.Syntax[1].ParameterNames);
        Assert.Equal("Get-Thing -Id <int> [-WhatIf] [<CommonParameters>]", help.Syntax[1].Text);
    }

    [Fact]
    public void A_syntax_line_split_over_lines_is_one_line()
    {
        var help = Samples.Read(Samples.With("Get-Thing -Id <int> [-WhatIf]", "Get-Thing -Id <int>\n    [-WhatIf]"));

        Assert.Equal("Get-Thing -Id <int> [-WhatIf] [<CommonParameters>]", help.Syntax[1].Text);
    }

    [Fact]
    public void Examples_have_a_title_code_and_remarks()
    {
        var help = Samples.Read();

        Assert.Equal(2, help.Examples.Count);
        Assert.Equal("Example 1: Get a thing", help.Examples[0].Title);
        Assert.Equal("Get-Thing -Name a* | Where-Object Size -lt 3", help.Examples[0].Code);
        Assert.Equal("Gets things whose name starts with a & is small (< 3).", Assert.Single(help.Examples[0].Remarks).Text);
        Assert.Empty(help.Examples[1].Remarks);
    }

    [Fact]
    public void Parameters_have_a_description_and_their_yaml_metadata()
    {
        var help = Samples.Read();

        Assert.Equal(["Name", "Force", "Id", "WhatIf"], help.Parameters.Select(p => p.Name));
        var name = help.Parameters[0];
        Assert.Equal("The names, with `*` wildcards.", Assert.Single(name.Description).Text);
        var usage = Assert.Single(name.Usages);
        Assert.Equal("String[]", usage.Type);
        Assert.Equal(["Name"], usage.ParameterSets);
        Assert.Equal(["N", "ThingName"], usage.Aliases);
        Assert.True(usage.Required);
        Assert.Equal(0, usage.Position);
        Assert.Equal("None", usage.DefaultValue);
        Assert.Equal("True (ByValue, ByPropertyName)", usage.PipelineInput);
        Assert.True(usage.Wildcards);

        var force = help.Parameters[1].Usages[0];
        Assert.True(force.IsSwitch);
        Assert.Empty(force.Aliases);
        Assert.Null(force.Position);
        Assert.Equal("False", force.PipelineInput);
        Assert.Equal("None", help.Parameters[2].Usages[0].DefaultValue);
        Assert.True(help.Parameters[3].Usages[0].InAllSets);
    }

    [Fact]
    public void A_parameter_that_behaves_differently_per_set_has_a_yaml_block_per_set()
    {
        var text = Samples.With("[-WhatIf] [<CommonParameters>]\n```\n\n### Id", "[-WhatIf] [<CommonParameters>]\n```\n\n### Id");
        text = Samples.With("Parameter Sets: (All)\nAliases: wi\n\nRequired: False\nPosition: Named",
            "Parameter Sets: Name\nAliases: wi\n\nRequired: False\nPosition: Named", text);
        text = Samples.With("Accept wildcard characters: False\n```\n\n### CommonParameters", """
            Accept wildcard characters: False
            ```

            ```yaml
            Type: SwitchParameter
            Parameter Sets: Id
            Aliases: wi

            Required: True
            Position: Named
            Default value: False
            Accept pipeline input: False
            Accept wildcard characters: False
            ```

            ### CommonParameters
            """, text);

        var whatIf = Samples.Read(text).Parameters.Single(p => p.Name == "WhatIf");

        Assert.Equal(2, whatIf.Usages.Count);
        Assert.False(whatIf.In("Name")!.Required);
        Assert.True(whatIf.In("Id")!.Required);
    }

    [Fact]
    public void Inputs_outputs_and_related_links_are_read()
    {
        var help = Samples.Read();

        var input = Assert.Single(help.Inputs);
        Assert.Equal("System.String[]", input.Name);
        Assert.Equal("Names, by value or by property name.", Assert.Single(input.Description).Text);
        var output = Assert.Single(help.Outputs);
        Assert.Equal("Things.Thing", output.Name);
        Assert.Empty(output.Description);
        Assert.Equal([new RelatedLink("Set-Thing", "Set-Thing.md"), new RelatedLink("The store", "https://example.com/store")], help.RelatedLinks);
    }

    [Fact]
    public void Related_links_may_be_a_list()
    {
        var help = Samples.Read(Samples.With("[Set-Thing](Set-Thing.md)\n[The store]", "- [Set-Thing](Set-Thing.md)\n- [The store]"));

        Assert.Equal(["Set-Thing", "The store"], help.RelatedLinks.Select(l => l.Text));
    }

    [Theory]
    [InlineData("---\nexternal help file: Things.dll-Help.xml\n", "---\n", 1, "has no front matter")]
    [InlineData("external help file: Things.dll-Help.xml\n", "", 1, "no \"external help file:\" value")]
    [InlineData("Module Name: Things\n", "", 1, "no \"Module Name:\" value")]
    [InlineData("schema: 2.0.0", "schema: 3.0.0", 5, "only platyPS's schema 2.0.0")]
    public void Front_matter_problems_are_refused(string old, string replacement, int line, string message)
    {
        var text = old.StartsWith("---", StringComparison.Ordinal) ? Samples.Command[(Samples.Command.IndexOf("\n---\n", StringComparison.Ordinal) + 5)..] : Samples.With(old, replacement);

        var error = Samples.Refused(text);

        Assert.Contains(message, error.Message);
        Assert.Equal(line, error.Line);
    }

    [Fact]
    public void The_title_must_be_the_file_name()
    {
        var error = Samples.Refused(Samples.Command, "Get-Other.md");

        Assert.Equal(Samples.LineOf(Samples.Command, "# Get-Thing"), error.Line);
        Assert.Contains("the file must be named after the cmdlet", error.Message);
    }

    [Fact]
    public void A_missing_section_is_refused_where_it_should_have_been()
    {
        var text = Samples.With("## NOTES\nThings are cached.\n\n", string.Empty);

        var error = Samples.Refused(text);

        Assert.Equal(Samples.LineOf(text, "## RELATED LINKS"), error.Line);
        Assert.Contains("Expected \"## NOTES\" here but found \"## RELATED LINKS\"", error.Message);
    }

    [Fact]
    public void Sections_out_of_order_are_refused()
    {
        var text = Samples.With("## SYNOPSIS", "## DESCRIPTION");

        var error = Samples.Refused(text);

        Assert.Equal(Samples.LineOf(text, "## DESCRIPTION"), error.Line);
        Assert.Contains("Expected \"## SYNOPSIS\"", error.Message);
    }

    [Fact]
    public void The_last_section_missing_is_refused()
    {
        var text = Samples.Command[..Samples.Command.IndexOf("## RELATED LINKS", StringComparison.Ordinal)];

        Assert.Contains("\"## RELATED LINKS\" is missing", Samples.Refused(text).Message);
    }

    [Fact]
    public void An_empty_synopsis_is_refused()
    {
        var text = Samples.With("Gets things\nby name.\n", string.Empty);

        var error = Samples.Refused(text);

        Assert.Equal(Samples.LineOf(text, "## SYNOPSIS"), error.Line);
        Assert.Contains("\"## SYNOPSIS\" is empty", error.Message);
    }

    [Fact]
    public void A_heading_inside_the_description_is_refused()
    {
        var text = Samples.With("- one\n", "### More\n- one\n");

        var error = Samples.Refused(text);

        Assert.Equal(Samples.LineOf(text, "### More"), error.Line);
    }

    [Fact]
    public void An_example_must_start_with_its_code()
    {
        var text = Samples.With("### Example 2: Preview\n", "### Example 2: Preview\nFirst some words.\n\n");

        var error = Samples.Refused(text);

        Assert.Equal(Samples.LineOf(text, "### Example 2"), error.Line);
        Assert.Contains("must start with its code block", error.Message);
    }

    [Fact]
    public void An_example_with_a_second_code_block_is_refused_at_it()
    {
        var text = Samples.With("Gets things whose name", "```\noutput\n```\n\nGets things whose name");

        var error = Samples.Refused(text);

        Assert.Equal(Samples.LineOf(text, "output") - 1, error.Line);
        Assert.Contains("Example 1 has a second code block", error.Message);
    }

    [Theory]
    [InlineData("### Example 2: Preview", "### Example 3: Preview")]
    [InlineData("### Example 2: Preview", "### Preview")]
    public void Examples_are_numbered_from_one(string old, string replacement)
    {
        var text = Samples.With(old, replacement);

        var error = Samples.Refused(text);

        Assert.Equal(Samples.LineOf(text, replacement), error.Line);
        Assert.Contains("\"### Example 2: <what it does>\"", error.Message);
    }

    [Fact]
    public void A_parameter_without_yaml_is_refused()
    {
        var text = Samples.With("""
            Gets hidden things too.

            ```yaml
            Type: SwitchParameter
            Parameter Sets: Name
            Aliases:

            Required: False
            Position: Named
            Default value: False
            Accept pipeline input: False
            Accept wildcard characters: False
            ```
            """, "Gets hidden things too.");

        var error = Samples.Refused(text);

        Assert.Equal(Samples.LineOf(text, "### -Force"), error.Line);
        Assert.Contains("-Force has no ```yaml block", error.Message);
    }

    [Fact]
    public void A_parameter_without_a_description_is_refused()
    {
        var text = Samples.With("The id.\n\n", string.Empty);

        var error = Samples.Refused(text);

        Assert.Equal(Samples.LineOf(text, "### -Id"), error.Line);
        Assert.Contains("-Id has no description", error.Message);
    }

    [Fact]
    public void Text_after_a_parameters_yaml_is_refused()
    {
        var text = Samples.With("### -Force", "An afterthought.\n\n### -Force");

        var error = Samples.Refused(text);

        Assert.Equal(Samples.LineOf(text, "An afterthought."), error.Line);
        Assert.Contains("must come before its yaml block", error.Message);
    }

    [Fact]
    public void A_parameter_heading_without_a_dash_is_refused()
    {
        var text = Samples.With("### -Id", "### Id");

        Assert.Contains("\"### -<Name>\"", Samples.Refused(text).Message);
    }

    [Fact]
    public void A_parameter_documented_twice_is_refused()
    {
        var text = Samples.With("### -Id", "### -Force");

        var error = Samples.Refused(text);

        Assert.Equal(Samples.LineOf(text, "### -Force", 2), error.Line);
        Assert.Contains("-Force is documented twice", error.Message);
    }

    [Theory]
    [InlineData("Type: Int32", "Kind: Int32", "Kind: Int32", "\"Kind: Int32\" is not one of the yaml keys")]
    [InlineData("Type: Int32", "Type: Int32\nType: Int64", "Type: Int64", "gives \"Type\" twice")]
    [InlineData("Required: True\nPosition: Named", "Required: yes\nPosition: Named", "Required: yes", "\"yes\" is not True or False")]
    [InlineData("Required: True\nPosition: Named", "Required: True\nPosition: first", "Position: first", "\"first\" is not Named or a number")]
    [InlineData("Accept pipeline input: False", "Accept pipeline input: Yes", "Accept pipeline input: Yes", "\"Yes\" is not False, True (ByValue)")]
    [InlineData("Accept wildcard characters: False", "Accept wildcard characters: Maybe", "Accept wildcard characters: Maybe", "\"Maybe\" is not True or False")]
    public void Bad_yaml_is_refused_at_its_line(string old, string replacement, string badLine, string message)
    {
        // Broken in the yaml of -Id, the third parameter.
        var start = Samples.Command.IndexOf("### -Id", StringComparison.Ordinal);
        var text = Samples.Command[..start] + Samples.With(old, replacement, Samples.Command[start..]);

        var error = Samples.Refused(text);

        Assert.Contains(message, error.Message);
        Assert.Equal(Samples.LineOf(text, badLine), error.Line);
    }

    [Fact]
    public void A_yaml_block_missing_a_key_is_refused()
    {
        var text = Samples.With("Accept wildcard characters: True\n", string.Empty);

        var error = Samples.Refused(text);

        Assert.Contains("The yaml of -Name has no \"Accept wildcard characters:\" line", error.Message);
        Assert.Equal(Samples.LineOf(text, "```yaml"), error.Line);
    }

    [Fact]
    public void A_parameters_metadata_must_be_yaml()
    {
        var text = Samples.With("```yaml\nType: Int32", "```json\nType: Int32");

        Assert.Contains("must be a ```yaml block, not ```json", Samples.Refused(text).Message);
    }

    [Fact]
    public void A_syntax_line_showing_a_parameter_not_in_its_set_is_refused()
    {
        var text = Samples.With("Get-Thing -Id <int> [-WhatIf]", "Get-Thing -Id <int> [-Force] [-WhatIf]");

        var error = Samples.Refused(text);

        Assert.Equal(Samples.LineOf(text, "### Id"), error.Line);
        Assert.Contains("The syntax of parameter set \"Id\" shows -Force, but \"## PARAMETERS\" does not put -Force in that set", error.Message);
    }

    [Fact]
    public void A_parameter_its_sets_syntax_does_not_show_is_refused()
    {
        var text = Samples.With("Get-Thing [-Name] <string[]> [-Force] [-WhatIf]", "Get-Thing [-Name] <string[]> [-WhatIf]");

        var error = Samples.Refused(text);

        Assert.Equal(Samples.LineOf(text, "### Name (Default)"), error.Line);
        Assert.Contains("-Force is in parameter set \"Name\"", error.Message);
    }

    [Fact]
    public void A_parameter_in_a_set_the_syntax_does_not_have_is_refused()
    {
        var text = Samples.With("Parameter Sets: Id", "Parameter Sets: Identity");

        var error = Samples.Refused(text);

        Assert.Equal(Samples.LineOf(text, "Parameter Sets: Identity") - 2, error.Line); // its ```yaml line
        Assert.Contains("-Id is in parameter set \"Identity\", which \"## SYNTAX\" does not have", error.Message);
    }

    [Fact]
    public void A_syntax_line_must_start_with_the_cmdlet_name()
    {
        var text = Samples.With("Get-Thing -Id <int>", "Get-Other -Id <int>");

        Assert.Contains("must start with the cmdlet's name, Get-Thing", Samples.Refused(text).Message);
    }

    [Theory]
    [InlineData("### Id\n", "### Id (Default)\n")]
    [InlineData("### Name (Default)\n", "### Name\n")]
    public void Exactly_one_set_is_the_default_when_there_are_several(string old, string replacement)
    {
        Assert.Contains("Exactly one parameter set must be marked \"(Default)\"", Samples.Refused(Samples.With(old, replacement)).Message);
    }

    [Fact]
    public void Two_yaml_blocks_may_not_give_two_types()
    {
        var text = Samples.With("Accept wildcard characters: True\n```\n", """
            Accept wildcard characters: True
            ```

            ```yaml
            Type: String
            Parameter Sets: Id
            Aliases:

            Required: False
            Position: Named
            Default value: None
            Accept pipeline input: False
            Accept wildcard characters: False
            ```

            """);

        Assert.Contains("give two types, String[] and String", Samples.Refused(text).Message);
    }

    [Fact]
    public void Inputs_must_name_a_type()
    {
        var text = Samples.With("### System.String[]\n", string.Empty);

        var error = Samples.Refused(text);

        Assert.Equal(Samples.LineOf(text, "Names, by value"), error.Line);
        Assert.Contains("Text comes before the first \"### <TypeName>\"", error.Message);
    }

    [Fact]
    public void An_empty_outputs_section_is_refused()
    {
        var text = Samples.With("### Things.Thing\n", string.Empty);

        var error = Samples.Refused(text);

        Assert.Equal(Samples.LineOf(text, "## OUTPUTS"), error.Line);
        Assert.Contains("\"### None\" when there is none", error.Message);
    }

    [Fact]
    public void A_related_link_that_is_not_a_link_is_refused_at_its_line()
    {
        var text = Samples.With("[The store](https://example.com/store)", "The store: https://example.com/store");

        var error = Samples.Refused(text);

        Assert.Equal(Samples.LineOf(text, "The store: https"), error.Line);
        Assert.Contains("is not a link", error.Message);
    }

    [Fact]
    public void Nothing_may_follow_the_related_links()
    {
        var text = Samples.Command + "\n\n## EXTRA\n";

        Assert.Contains("Nothing may follow \"## RELATED LINKS\"", Samples.Refused(text).Message);
    }
}
