namespace Kratix.HelpCompiler.Tests;

public class AboutTopicTests
{
    private const string Topic = """
        # about_Things

        ## SHORT DESCRIPTION
        What things are.

        ## LONG DESCRIPTION
        Things are kept in a **store**; this paragraph is long enough that it must be wrapped at eighty columns to fit in a console window.

        ### Where things live
        - [the store](https://example.com/store)
        - a cache

        ```powershell
        Get-Thing -Name a*
        ```

        ## SEE ALSO
        - Get-Thing
        """;

    private static string Render(string text = Topic, string file = "about_Things.md") => AboutTopic.Render(MarkdownDocument.Parse(text, file)).Text;

    [Fact]
    public void The_topic_is_named_by_its_title()
    {
        Assert.Equal("about_Things", AboutTopic.Render(MarkdownDocument.Parse(Topic, "about_Things.md")).Name);
    }

    [Fact]
    public void Sections_are_capitals_at_the_margin_and_text_is_indented_and_wrapped()
    {
        Assert.Equal(
            """
            TOPIC
                about_Things

            SHORT DESCRIPTION
                What things are.

            LONG DESCRIPTION
                Things are kept in a store; this paragraph is long enough that it must be
                wrapped at eighty columns to fit in a console window.

              Where things live

                - the store (https://example.com/store)
                - a cache

                    Get-Thing -Name a*

            SEE ALSO
                - Get-Thing

            """.Replace("\r\n", "\n", StringComparison.Ordinal),
            Render());
    }

    [Fact]
    public void No_line_is_wider_than_80_columns()
    {
        Assert.All(Render().Split('\n'), line => Assert.True(line.Length <= AboutTopic.Width, line));
    }

    [Fact]
    public void The_title_must_be_an_about_topic()
    {
        var error = Assert.Throws<HelpFormatException>(() => Render(Topic.Replace("# about_Things", "# Things", StringComparison.Ordinal)));

        Assert.Equal(1, error.Line);
    }

    [Fact]
    public void The_file_must_be_named_after_the_topic()
    {
        Assert.Contains("must be named after the topic", Assert.Throws<HelpFormatException>(() => Render(Topic, "about_Other.md")).Message);
    }

    [Fact]
    public void The_short_description_comes_first()
    {
        var error = Assert.Throws<HelpFormatException>(() => Render(Topic.Replace("## SHORT DESCRIPTION\nWhat things are.\n\n", string.Empty, StringComparison.Ordinal)));

        Assert.Equal(3, error.Line);
        Assert.Contains("Expected \"## SHORT DESCRIPTION\" here", error.Message);
    }

    [Fact]
    public void The_short_description_must_fit_on_one_line_because_Get_Help_shows_only_that()
    {
        var text = Topic.Replace("What things are.", "What things are, where they are kept, how they are found and why anyone would want to have them.", StringComparison.Ordinal);

        var error = Assert.Throws<HelpFormatException>(() => Render(text));

        Assert.Equal(4, error.Line);
        Assert.Contains("fits on one line of 76 characters", error.Message);
    }

    [Fact]
    public void The_long_description_must_be_there()
    {
        var text = "# about_Things\n\n## SHORT DESCRIPTION\nWhat things are.\n";

        Assert.Contains("\"## LONG DESCRIPTION\" is missing", Assert.Throws<HelpFormatException>(() => Render(text)).Message);
    }

    [Fact]
    public void Text_before_the_first_section_is_refused()
    {
        var error = Assert.Throws<HelpFormatException>(() => Render(Topic.Replace("## SHORT DESCRIPTION", "Stray words.\n\n## SHORT DESCRIPTION", StringComparison.Ordinal)));

        Assert.Equal(3, error.Line);
    }
}
