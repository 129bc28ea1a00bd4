using Kratix.HelpCompiler;

namespace Kratix.PowerShell.Tests;

/// <summary>
/// The markdown help in docs/cmdlets against the cmdlets' metadata, read by reflection: the parameters and, per
/// parameter set, how each binds. tests/pester/Help.Tests.ps1 checks this and more through Get-Help and Get-Command and
/// runs the examples; this is the part that needs no pwsh, so a drift fails fast in dotnet test, before pwsh starts.
/// </summary>
public class HelpDocumentationTests
{
    public static TheoryData<string> AllCmdlets => CmdletMetadata.Names();

    private static CommandHelp HelpOf(string name)
    {
        var path = TestPaths.Source("docs", "cmdlets", name + ".md");
        Assert.True(File.Exists(path), $"docs/cmdlets/{name}.md is missing: every cmdlet has its help there (docs/cmdlets/README.md).");
        return CommandHelpReader.Read(MarkdownDocument.Load(path));
    }

    [Theory]
    [MemberData(nameof(AllCmdlets))]
    public void The_help_documents_exactly_the_cmdlets_parameters(string name)
    {
        var cmdlet = CmdletMetadata.Get(name);
        var real = cmdlet.Parameters.Select(p => p.Name).Concat(cmdlet.SupportsShouldProcess ? ["WhatIf", "Confirm"] : []).ToHashSet(StringComparer.OrdinalIgnoreCase);
        var documented = HelpOf(name).Parameters.Select(p => p.Name).ToHashSet(StringComparer.OrdinalIgnoreCase);

        Assert.True(real.SetEquals(documented), $"{name}: undocumented {string.Join(", ", real.Except(documented))}; documented but not parameters {string.Join(", ", documented.Except(real))}.");
    }

    [Theory]
    [MemberData(nameof(AllCmdlets))]
    public void The_help_gives_each_parameter_its_type_aliases_wildcards_and_per_set_binding(string name)
    {
        var cmdlet = CmdletMetadata.Get(name);
        var help = HelpOf(name);
        var problems = new List<string>();
        Assert.Equal(cmdlet.ParameterSetNames.Order(StringComparer.Ordinal), help.Syntax.Select(s => s.Name).Order(StringComparer.Ordinal));
        foreach (var parameter in cmdlet.Parameters)
        {
            if (help.Parameters.FirstOrDefault(p => p.Name.Equals(parameter.Name, StringComparison.OrdinalIgnoreCase)) is not { } documented)
            {
                continue; // The test above names it.
            }

            var type = Nullable.GetUnderlyingType(parameter.Type) ?? parameter.Type;
            if (!documented.Usages[0].Type.Equals(type.Name, StringComparison.Ordinal))
            {
                problems.Add($"-{parameter.Name}: Type is {documented.Usages[0].Type}, but the parameter is a {type.Name}");
            }

            foreach (var usage in documented.Usages)
            {
                if (!usage.Aliases.Order(StringComparer.Ordinal).SequenceEqual(parameter.Aliases.Order(StringComparer.Ordinal)))
                {
                    problems.Add($"-{parameter.Name}: Aliases are '{string.Join(", ", usage.Aliases)}', but the parameter has '{string.Join(", ", parameter.Aliases)}'");
                }

                if (usage.Wildcards != parameter.SupportsWildcards)
                {
                    problems.Add($"-{parameter.Name}: Accept wildcard characters is {usage.Wildcards}, but [SupportsWildcards] is {parameter.SupportsWildcards}");
                }
            }

            foreach (var set in cmdlet.ParameterSetNames)
            {
                if (cmdlet.InSet(set).Where(x => x.Parameter == parameter).Select(x => x.Declaration).FirstOrDefault() is not { } declaration)
                {
                    if (documented.In(set) is not null)
                    {
                        problems.Add($"-{parameter.Name}: documented in parameter set {set}, which it is not in");
                    }

                    continue;
                }

                if (documented.In(set) is not { } usage)
                {
                    problems.Add($"-{parameter.Name}: not documented in parameter set {set}");
                    continue;
                }

                var pipeline = (declaration.ValueFromPipeline, declaration.ValueFromPipelineByPropertyName) switch
                {
                    (true, true) => "True (ByValue, ByPropertyName)",
                    (true, false) => "True (ByValue)",
                    (false, true) => "True (ByPropertyName)",
                    _ => "False",
                };
                if (usage.Required != declaration.Mandatory || usage.Position != declaration.Position || usage.PipelineInput != pipeline)
                {
                    problems.Add($"-{parameter.Name} in {set}: help says Required {usage.Required}, Position {usage.Position?.ToString() ?? "Named"}, pipeline {usage.PipelineInput}; "
                        + $"the cmdlet says Required {declaration.Mandatory}, Position {declaration.Position?.ToString() ?? "Named"}, pipeline {pipeline}");
                }
            }
        }

        Assert.True(problems.Count == 0, $"docs/cmdlets/{name}.md:\n" + string.Join("\n", problems));
    }

    [Fact]
    public void Every_help_file_documents_a_cmdlet_of_the_module()
    {
        var documented = Directory.GetFiles(TestPaths.Source("docs", "cmdlets"), "*-*.md").Select(Path.GetFileNameWithoutExtension);

        Assert.DoesNotContain(documented, d => !CmdletMetadata.All.Any(c => c.Name == d));
    }
}
