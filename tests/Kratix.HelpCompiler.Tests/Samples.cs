namespace Kratix.HelpCompiler.Tests;

/// <summary>A small cmdlet help file in platyPS's layout, valid as it is; tests break one thing in it at a time.</summary>
internal static class Samples
{
    public const string File = "Get-Thing.md";

    public const string Command = """
        ---
        external help file: Things.dll-Help.xml
        Module Name: Things
        online version: https://example.com/Get-Thing
        schema: 2.0.0
        ---

        # Get-Thing

        ## SYNOPSIS
        Gets things
        by name.

        ## SYNTAX

        ### Name (Default)
        ```
        Get-Thing [-Name] <string[]> [-Force] [-WhatIf] [<CommonParameters>]
        ```

        ### Id
        ```
        Get-Thing -Id <int> [-WhatIf] [<CommonParameters>]
        ```

        ## DESCRIPTION
        Gets **things** from the [store](https://example.com/store), see [Set-Thing](Set-Thing.md).

        - one
        - two

        ## EXAMPLES

        ### Example 1: Get a thing
        ```powershell
        Get-Thing -Name a* | Where-Object Size -lt 3
        ```

        Gets things whose name starts with a & is small (< 3).

        ### Example 2: Preview
        ```powershell
        Get-Thing -Id 3 -WhatIf
        ```

        ## PARAMETERS

        ### -Name
        The names, with `*` wildcards.

        ```yaml
        Type: String[]
        Parameter Sets: Name
        Aliases: N, ThingName

        Required: True
        Position: 0
        Default value: None
        Accept pipeline input: True (ByPropertyName, ByValue)
        Accept wildcard characters: True
        ```

        ### -Force
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

        ### -Id
        The id.

        ```yaml
        Type: Int32
        Parameter Sets: Id
        Aliases:

        Required: True
        Position: Named
        Default value:
        Accept pipeline input: False
        Accept wildcard characters: False
        ```

        ### -WhatIf
        Shows what would happen if the cmdlet runs.

        ```yaml
        Type: SwitchParameter
        Parameter Sets: (All)
        Aliases: wi

        Required: False
        Position: Named
        Default value: False
        Accept pipeline input: False
        Accept wildcard characters: False
        ```

        ### CommonParameters
        This cmdlet supports the common parameters.

        ## INPUTS

        ### System.String[]
        Names, by value or by property name.

        ## OUTPUTS

        ### Things.Thing

        ## NOTES
        Things are cached.

        ## RELATED LINKS

        [Set-Thing](Set-Thing.md)
        [The store](https://example.com/store)
        """;

    public static MarkdownDocument Document(string text = Command, string file = File) => MarkdownDocument.Parse(text, file);

    public static CommandHelp Read(string text = Command, string file = File) => CommandHelpReader.Read(Document(text, file));

    /// <summary>The 1-based line of the first line of <paramref name="text"/> that contains <paramref name="fragment"/>.</summary>
    public static int LineOf(string text, string fragment, int occurrence = 1)
    {
        var lines = text.Split('\n');
        var seen = 0;
        for (var i = 0; i < lines.Length; i++)
        {
            if (lines[i].Contains(fragment, StringComparison.Ordinal) && ++seen == occurrence)
            {
                return i + 1;
            }
        }

        throw new ArgumentException($"\"{fragment}\" is not in the text.");
    }

    /// <summary>The sample with <paramref name="old"/> replaced once (which must be there).</summary>
    public static string With(string old, string replacement, string text = Command)
    {
        var at = text.IndexOf(old, StringComparison.Ordinal);
        Assert.True(at >= 0, $"\"{old}\" is not in the sample.");
        return text[..at] + replacement + text[(at + old.Length)..];
    }

    public static HelpFormatException Refused(string text, string file = File) => Assert.Throws<HelpFormatException>(() => Read(text, file));
}
