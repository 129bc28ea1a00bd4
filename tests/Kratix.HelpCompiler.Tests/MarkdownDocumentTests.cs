namespace Kratix.HelpCompiler.Tests;

public class MarkdownDocumentTests
{
    [Fact]
    public void Front_matter_values_are_read_with_their_lines()
    {
        var document = Samples.Document();

        Assert.NotNull(document.FrontMatter);
        Assert.Equal("Things.dll-Help.xml", document.FrontMatter["external help file"].Value);
        Assert.Equal(2, document.FrontMatter["external help file"].Line);
        Assert.Equal("2.0.0", document.FrontMatter["SCHEMA"].Value);
        Assert.Equal(5, document.FrontMatter["schema"].Line);
    }

    [Fact]
    public void A_file_without_front_matter_has_none()
    {
        Assert.Null(MarkdownDocument.Parse("# about_Things\n", "about_Things.md").FrontMatter);
    }

    [Fact]
    public void Front_matter_without_its_closing_line_is_refused_at_line_1()
    {
        var error = Assert.Throws<HelpFormatException>(() => MarkdownDocument.Parse("---\nschema: 2.0.0\nModule Name: Things\n", "Get-Thing.md"));

        Assert.Equal(1, error.Line);
        Assert.Contains("no closing \"---\"", error.Message);
    }

    [Fact]
    public void A_front_matter_line_that_is_not_key_value_is_refused_at_its_line()
    {
        var error = Assert.Throws<HelpFormatException>(() => MarkdownDocument.Parse("---\nschema: 2.0.0\njust words\n---\n", "Get-Thing.md"));

        Assert.Equal(3, error.Line);
        Assert.Equal("Get-Thing.md", error.File);
    }

    [Fact]
    public void Blocks_are_headings_paragraphs_list_items_tables_and_code_with_their_lines()
    {
        var text = """
            # Title

            A paragraph
            on two lines.
            - item one
              continued
              - nested
            1. numbered

            | a | b |
            |---|---|

            ```powershell
            # not a heading
            Get-Thing

            ```
            """;

        var blocks = MarkdownDocument.Parse(text, "x.md").Blocks;

        Assert.Equal(
            [BlockKind.Heading, BlockKind.Paragraph, BlockKind.ListItem, BlockKind.ListItem, BlockKind.ListItem, BlockKind.Table, BlockKind.Code],
            blocks.Select(b => b.Kind));
        Assert.Equal([1, 3, 5, 7, 8, 10, 13], blocks.Select(b => b.Line));
        Assert.Equal((1, "Title"), (blocks[0].Level, blocks[0].Text));
        Assert.Equal("A paragraph\non two lines.", blocks[1].Text);
        Assert.Equal(("item one\ncontinued", "-", 0), (blocks[2].Text, blocks[2].Info, blocks[2].Level));
        Assert.Equal(("nested", 1), (blocks[3].Text, blocks[3].Level));
        Assert.Equal(("numbered", "1."), (blocks[4].Text, blocks[4].Info));
        Assert.Equal("| a | b |\n|---|---|", blocks[5].Text);
        Assert.Equal(("powershell", "# not a heading\nGet-Thing\n"), (blocks[6].Info, blocks[6].Text));
    }

    [Fact]
    public void An_unclosed_code_block_is_refused_at_its_opening_line()
    {
        var error = Assert.Throws<HelpFormatException>(() => MarkdownDocument.Parse("# T\n\ntext\n\n```yaml\nType: String\n", "x.md"));

        Assert.Equal(5, error.Line);
        Assert.Contains("no closing ```", error.Message);
    }

    [Fact]
    public void Windows_line_endings_read_as_unix_ones()
    {
        var blocks = MarkdownDocument.Parse("# T\r\n\r\nline one\r\nline two\r\n", "x.md").Blocks;

        Assert.Equal("line one\nline two", blocks[1].Text);
    }
}
