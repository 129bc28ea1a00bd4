namespace Kratix.HelpCompiler.Tests;

public class HelpTextTests
{
    [Theory]
    [InlineData("See [the store](https://example.com/store).", "See the store (https://example.com/store).")]
    [InlineData("See [https://example.com](https://example.com).", "See https://example.com.")]
    [InlineData("See [Set-Thing](Set-Thing.md) and [concepts](../concepts.md#promises).", "See Set-Thing and concepts.")]
    [InlineData("A **strong** and __strong__ word.", "A strong and strong word.")]
    [InlineData(@"An escaped \* star and \[bracket\].", "An escaped * star and [bracket].")]
    [InlineData("Wildcards such as red* stay.", "Wildcards such as red* stay.")]
    [InlineData("Code `[x](y) **z** \\*` stays as written.", "Code `[x](y) **z** \\*` stays as written.")]
    [InlineData("Less < and & more >.", "Less < and & more >.")]
    public void Inline_markup_becomes_plain_text_outside_code_spans(string markdown, string text)
    {
        Assert.Equal(text, HelpText.Inline(markdown));
    }

    [Fact]
    public void Blocks_become_paragraphs_as_help_shows_them_a_list_in_one()
    {
        var blocks = MarkdownDocument.Parse("""
            A paragraph
            on **two** lines.

            - an item
              continued
              - a nested item

            | a | b |
            |---|---|

            ```powershell
            Get-Thing

            Set-Thing
            ```
            """, "x.md").Blocks;

        Assert.Equal(
            ["A paragraph on two lines.", "- an item continued\n  - a nested item", "| a | b |\n|---|---|", "    Get-Thing\n\n    Set-Thing"],
            HelpText.Paragraphs(blocks));
    }

    [Fact]
    public void Wrapping_keeps_lines_within_the_width_with_a_hanging_indent()
    {
        var lines = HelpText.Wrap("one two three four five six seven", 14, "  - ", "    ").ToList();

        Assert.Equal(["  - one two", "    three four", "    five six", "    seven"], lines);
        Assert.All(lines, l => Assert.True(l.Length <= 14));
    }

    [Fact]
    public void A_word_longer_than_the_line_is_left_whole()
    {
        Assert.Equal(["    https://example.com/a/very/long/address", "    next"], HelpText.Wrap("https://example.com/a/very/long/address next", 20, "    ", "    "));
    }
}
