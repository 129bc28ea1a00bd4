using System.Text;
using System.Text.RegularExpressions;

namespace Kratix.PowerShell.Tests;

/// <summary>
/// The Pester suites run in a real pwsh (build.ps1 -Task Test, after these tests); what can be checked statically is
/// checked here first, fast and with a precise message: every Kratix cmdlet call in tests/pester names parameters the
/// cmdlet has, all usable in one parameter set, and every call of a Kratix.TestHelpers function names parameters it
/// declares.
/// </summary>
public partial class PesterSuiteTests
{
    private static readonly string Folder = TestPaths.Source("tests", "pester");

    private static readonly HashSet<string> CommonParameters = new(StringComparer.OrdinalIgnoreCase)
    {
        "Verbose", "Debug", "ErrorAction", "WarningAction", "InformationAction", "ProgressAction", "ErrorVariable", "WarningVariable",
        "InformationVariable", "OutVariable", "OutBuffer", "PipelineVariable", "WhatIf", "Confirm",
    };

    public static TheoryData<string> Suites
    {
        get
        {
            var data = new TheoryData<string>();
            foreach (var file in Directory.GetFiles(Folder, "*.Tests.ps1").Order(StringComparer.Ordinal))
            {
                data.Add(Path.GetFileName(file));
            }

            return data;
        }
    }

    [Fact]
    public void There_is_a_suite_per_cmdlet_group_and_every_cmdlet_is_called_in_one()
    {
        foreach (var group in new[] { "Platform", "StateStore", "Destination", "Promise", "Request", "Work" })
        {
            Assert.True(File.Exists(Path.Combine(Folder, group + ".Tests.ps1")), $"tests/pester/{group}.Tests.ps1 is missing.");
        }

        var called = Directory.GetFiles(Folder, "*.Tests.ps1").SelectMany(f => PowerShellCalls.Find(File.ReadAllText(f), KratixCmdletNames)).Select(c => c.Command)
            .ToHashSet(StringComparer.OrdinalIgnoreCase);
        var untested = KratixCmdletNames.Where(n => !called.Contains(n)).ToList();
        Assert.True(untested.Count == 0, $"No Pester suite calls {string.Join(", ", untested)}.");
    }

    /// <summary>The example Pester suites under examples/, by path relative to the repository.</summary>
    public static TheoryData<string> ExampleSuites
    {
        get
        {
            var data = new TheoryData<string>();
            foreach (var file in Directory.GetFiles(TestPaths.Source("examples"), "*.Tests.ps1", SearchOption.AllDirectories).Order(StringComparer.Ordinal))
            {
                data.Add(Path.GetRelativePath(TestPaths.RepositoryRoot, file).Replace('\\', '/'));
            }

            return data;
        }
    }

    [Theory]
    [MemberData(nameof(Suites))]
    public void Kratix_cmdlet_calls_use_parameters_of_one_parameter_set(string suite) => AssertCallsUseOneParameterSet(Path.Combine(Folder, suite));

    [Theory]
    [MemberData(nameof(ExampleSuites))]
    public void Example_suites_call_Kratix_cmdlets_with_parameters_of_one_parameter_set(string suite) => AssertCallsUseOneParameterSet(TestPaths.Source(suite));

    [Fact]
    public void The_promise_test_example_is_among_the_example_suites()
    {
        Assert.Contains("examples/promise-test/Promise.Tests.ps1", ExampleSuites.Cast<object[]>().Select(row => (string)row[0]));
    }

    private static void AssertCallsUseOneParameterSet(string path)
    {
        var suite = Path.GetFileName(path);
        var calls = PowerShellCalls.Find(File.ReadAllText(path), KratixCmdletNames);
        Assert.NotEmpty(calls);
        var problems = new List<string>();
        foreach (var call in calls)
        {
            var cmdlet = CmdletMetadata.All.Single(c => string.Equals(c.Name, call.Command, StringComparison.OrdinalIgnoreCase));
            var used = new List<CmdletParameter>();
            foreach (var name in call.Parameters.Where(p => !CommonParameters.Contains(p)))
            {
                var parameter = cmdlet.Parameters.FirstOrDefault(p => p.Aliases.Prepend(p.Name).Contains(name, StringComparer.OrdinalIgnoreCase));
                if (parameter is null)
                {
                    problems.Add($"line {call.Line}: {cmdlet.Name} has no parameter -{name}");
                }
                else
                {
                    used.Add(parameter);
                }
            }

            if ((call.Parameters.Contains("WhatIf", StringComparer.OrdinalIgnoreCase) || call.Parameters.Contains("Confirm", StringComparer.OrdinalIgnoreCase)) && !cmdlet.SupportsShouldProcess)
            {
                problems.Add($"line {call.Line}: {cmdlet.Name} has no -WhatIf or -Confirm");
            }

            if (!cmdlet.ParameterSetNames.Any(set => used.All(p => cmdlet.InSet(set).Any(x => x.Parameter == p))))
            {
                problems.Add($"line {call.Line}: {cmdlet.Name} has no parameter set with all of {string.Join(", ", used)}");
            }
        }

        Assert.True(problems.Count == 0, $"{suite}:\n" + string.Join("\n", problems));
    }

    [Theory]
    [MemberData(nameof(Suites))]
    public void Helper_calls_use_parameters_the_helper_declares(string suite)
    {
        var helpers = HelperParameters.Value;
        Assert.Contains("New-TestPlatform", helpers.Keys);
        var problems = new List<string>();
        foreach (var call in PowerShellCalls.Find(File.ReadAllText(Path.Combine(Folder, suite)), helpers.Keys))
        {
            var declared = helpers[call.Command];
            problems.AddRange(call.Parameters.Where(p => !declared.Contains(p) && !CommonParameters.Contains(p)).Select(p => $"line {call.Line}: {call.Command} has no parameter -{p}"));
        }

        Assert.True(problems.Count == 0, $"{suite}:\n" + string.Join("\n", problems));
    }

    [Fact]
    public void The_call_scanner_finds_parameters_outside_strings_comments_and_sub_expressions()
    {
        var text = """
            # Get-KratixPromise -Commented
            $x = Get-KratixPromise -Name 'a -Quoted' -Platform (Join-Path $a '-Inner') |
                Where-Object Name -EQ 'x'
            Register-KratixDestination -Name dev-1 `
                -StateStore default -Confirm:$false
            $text = @'
            Get-KratixPromise -InHereString
            '@
            { Get-KratixWork -Promise p } | Should -Throw
            """;
        var calls = PowerShellCalls.Find(text, ["Get-KratixPromise", "Register-KratixDestination", "Get-KratixWork"]);
        Assert.Equal(3, calls.Count);
        Assert.Equal(["Name", "Platform"], calls[0].Parameters);
        Assert.Equal(2, calls[0].Line);
        Assert.Equal(["Name", "StateStore", "Confirm"], calls[1].Parameters);
        Assert.Equal(["Promise"], calls[2].Parameters);
    }

    private static IReadOnlyList<string> KratixCmdletNames => CmdletMetadata.All.Select(c => c.Name).ToList();

    /// <summary>Each function of Kratix.TestHelpers.psm1 and the parameters its param() block declares.</summary>
    private static readonly Lazy<Dictionary<string, HashSet<string>>> HelperParameters = new(() =>
    {
        var text = File.ReadAllText(Path.Combine(Folder, "Kratix.TestHelpers.psm1"));
        var helpers = new Dictionary<string, HashSet<string>>(StringComparer.OrdinalIgnoreCase);
        foreach (Match function in FunctionDeclaration().Matches(text))
        {
            var start = text.IndexOf("param(", function.Index, StringComparison.OrdinalIgnoreCase);
            var next = FunctionDeclaration().Match(text, function.Index + function.Length);
            Assert.True(start > 0 && (!next.Success || start < next.Index), $"{function.Groups[1].Value} has no param() block.");
            var block = Balanced(text, start + "param".Length);
            helpers[function.Groups[1].Value] = ParameterDeclaration().Matches(block).Select(m => m.Groups[1].Value).ToHashSet(StringComparer.OrdinalIgnoreCase);
        }

        return helpers;
    });

    private static string Balanced(string text, int open)
    {
        var depth = 0;
        for (var i = open; i < text.Length; i++)
        {
            depth += text[i] switch { '(' => 1, ')' => -1, _ => 0 };
            if (depth == 0)
            {
                return text[open..(i + 1)];
            }
        }

        throw new InvalidDataException("unbalanced param( block");
    }

    [GeneratedRegex(@"^function\s+([A-Za-z]+-[A-Za-z]+)\s*\{", RegexOptions.Multiline)]
    private static partial Regex FunctionDeclaration();

    [GeneratedRegex(@"\]\s*\$(\w+)")]
    private static partial Regex ParameterDeclaration();
}

/// <summary>One call of a command in a script: the command, the named parameters given to it (in order) and its line.</summary>
internal sealed record PowerShellCall(string Command, IReadOnlyList<string> Parameters, int Line);

/// <summary>
/// Finds calls of known commands in PowerShell source, well enough for the suites here: it skips comments and
/// string literals (here-strings too), and takes the -Parameter tokens that follow a command name up to the end of
/// its pipeline element (a '|', ';', a bracket it did not open, or the end of a line not continued with a backtick),
/// ignoring what is inside brackets it opened (sub-expressions, hashtables, script blocks).
/// </summary>
internal static class PowerShellCalls
{
    public static List<PowerShellCall> Find(string text, IEnumerable<string> commands)
    {
        var known = commands.ToHashSet(StringComparer.OrdinalIgnoreCase);
        var code = Blank(text);
        var calls = new List<PowerShellCall>();
        for (var i = 0; i < code.Length; i++)
        {
            if (!IsWordStart(code, i))
            {
                continue;
            }

            var end = i;
            while (end < code.Length && (char.IsLetterOrDigit(code[end]) || code[end] is '-' or '_'))
            {
                end++;
            }

            var word = code[i..end];
            if (known.Contains(word))
            {
                calls.Add(new PowerShellCall(known.First(k => string.Equals(k, word, StringComparison.OrdinalIgnoreCase)), Parameters(code, end), 1 + text.AsSpan(0, i).Count('\n')));
            }

            i = end;
        }

        return calls;
    }

    private static bool IsWordStart(string code, int i) =>
        char.IsLetter(code[i]) && (i == 0 || !(char.IsLetterOrDigit(code[i - 1]) || code[i - 1] is '-' or '_' or '$' or '.' or ':'));

    private static List<string> Parameters(string code, int from)
    {
        var parameters = new List<string>();
        var depth = 0;
        for (var i = from; i < code.Length; i++)
        {
            var c = code[i];
            if (c is '(' or '{' or '[')
            {
                depth++;
            }
            else if (c is ')' or '}' or ']')
            {
                if (--depth < 0)
                {
                    break;
                }
            }
            else if (depth == 0 && c is '|' or ';')
            {
                break;
            }
            else if (depth == 0 && c == '\n' && !ContinuesLine(code, i))
            {
                break;
            }
            else if (depth == 0 && c == '-' && i + 1 < code.Length && char.IsLetter(code[i + 1]) && char.IsWhiteSpace(code[i - 1]))
            {
                var end = i + 1;
                while (end < code.Length && char.IsLetterOrDigit(code[end]))
                {
                    end++;
                }

                parameters.Add(code[(i + 1)..end]);
                i = end - 1;
            }
        }

        return parameters;
    }

    private static bool ContinuesLine(string code, int newline)
    {
        var i = newline - 1;
        while (i >= 0 && code[i] is ' ' or '\t' or '\r')
        {
            i--;
        }

        return i >= 0 && code[i] == '`';
    }

    /// <summary>The text with comments and the contents of string literals replaced by spaces (newlines kept, so line numbers hold).</summary>
    private static string Blank(string text)
    {
        var output = new StringBuilder(text);
        var i = 0;
        while (i < text.Length)
        {
            var c = text[i];
            if (c == '<' && At(text, i + 1, '#'))
            {
                i = BlankUntil(text, output, i, "#>");
            }
            else if (c == '#')
            {
                i = BlankUntil(text, output, i, "\n", keepTerminator: true);
            }
            else if (c == '@' && (At(text, i + 1, '\'') || At(text, i + 1, '"')) && LineEndsAfter(text, i + 2))
            {
                i = BlankUntil(text, output, i + 2, "\n" + text[i + 1] + "@", keepTerminator: true);
            }
            else if (c == '\'')
            {
                i = BlankQuoted(text, output, i, '\'', escape: null);
            }
            else if (c == '"')
            {
                i = BlankQuoted(text, output, i, '"', escape: '`');
            }
            else
            {
                i++;
            }
        }

        return output.ToString();
    }

    private static bool At(string text, int i, char c) => i < text.Length && text[i] == c;

    private static bool LineEndsAfter(string text, int i)
    {
        while (i < text.Length && text[i] is ' ' or '\t' or '\r')
        {
            i++;
        }

        return i >= text.Length || text[i] == '\n';
    }

    private static int BlankUntil(string text, StringBuilder output, int start, string terminator, bool keepTerminator = false)
    {
        var end = text.IndexOf(terminator, start, StringComparison.Ordinal);
        var stop = end < 0 ? text.Length : keepTerminator ? end : end + terminator.Length;
        for (var j = start; j < stop; j++)
        {
            if (text[j] != '\n')
            {
                output[j] = ' ';
            }
        }

        // A here-string's closing '@ or "@ is consumed too, so its quote does not open a string.
        return end < 0 ? text.Length : terminator.Length > 1 && keepTerminator && terminator[0] == '\n' ? end + terminator.Length : stop;
    }

    private static int BlankQuoted(string text, StringBuilder output, int open, char quote, char? escape)
    {
        var i = open + 1;
        while (i < text.Length)
        {
            if (escape is { } e && text[i] == e)
            {
                output[i] = ' ';
                if (i + 1 < text.Length && text[i + 1] != '\n')
                {
                    output[i + 1] = ' ';
                }

                i += 2;
                continue;
            }

            if (text[i] == quote)
            {
                if (At(text, i + 1, quote))
                {
                    output[i] = ' ';
                    output[i + 1] = ' ';
                    i += 2;
                    continue;
                }

                return i + 1;
            }

            if (text[i] != '\n')
            {
                output[i] = ' ';
            }

            i++;
        }

        return i;
    }
}
