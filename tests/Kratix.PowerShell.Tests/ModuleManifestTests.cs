using System.Xml.Linq;

namespace Kratix.PowerShell.Tests;

/// <summary>Kratix.psd1, read as PowerShell reads a data file, against the assembly and the laid-out module folder.</summary>
public class ModuleManifestTests
{
    private static readonly Lazy<Dictionary<string, object?>> Manifest = new(() => PowerShellDataFile.Read(TestPaths.ManifestSource));

    private static string Text(string key)
    {
        Assert.True(Manifest.Value.TryGetValue(key, out var value), $"Kratix.psd1 has no {key}.");
        return Assert.IsType<string>(value);
    }

    private static IReadOnlyList<string> List(string key)
    {
        Assert.True(Manifest.Value.TryGetValue(key, out var value), $"Kratix.psd1 has no {key}.");
        return PowerShellDataFile.Strings(value);
    }

    [Fact]
    public void It_exports_exactly_the_cmdlets_the_assembly_defines()
    {
        var exported = List("CmdletsToExport");
        Assert.DoesNotContain(exported, name => name.IndexOfAny(['*', '?', '[']) >= 0);
        Assert.Equal(exported.Count, exported.Distinct(StringComparer.OrdinalIgnoreCase).Count());
        var defined = CmdletMetadata.All.Select(c => c.Name).ToList();
        Assert.Equal(defined.Order(StringComparer.Ordinal), exported.Order(StringComparer.Ordinal));
    }

    [Theory]
    [InlineData("AliasesToExport")]
    [InlineData("VariablesToExport")]
    public void It_exports_no_aliases_or_variables_and_says_so_explicitly(string key)
    {
        // Leaving these out means '*', which makes PowerShell search the module for them at every auto-load.
        Assert.Empty(List(key));
    }

    [Fact]
    public void It_exports_exactly_the_functions_its_nested_script_modules_export_by_name()
    {
        // Kratix.Pester.psm1 (the Should operators) is the one nested module; its public functions are listed by name, never '*'.
        Assert.Equal(["Kratix.Pester.psm1"], List("NestedModules"));
        var exported = List("FunctionsToExport");
        Assert.DoesNotContain(exported, name => name.IndexOfAny(['*', '?', '[']) >= 0);
        var source = File.ReadAllText(TestPaths.Source("src", "Kratix.PowerShell", "Pester", "Kratix.Pester.psm1"));
        var declared = System.Text.RegularExpressions.Regex.Match(source, @"Export-ModuleMember -Function ([^\r\n]+)").Groups[1].Value
            .Split(',').Select(n => n.Trim().Trim('\'', '"')).Where(n => n.Length > 0).ToList();
        Assert.NotEmpty(declared);
        Assert.Equal(declared.Order(StringComparer.Ordinal), exported.Order(StringComparer.Ordinal));
        foreach (var name in exported)
        {
            Assert.Matches($@"(?m)^function {System.Text.RegularExpressions.Regex.Escape(name)} \{{", source);
        }

        foreach (var file in new[] { "Kratix.Pester.psm1", "Kratix.Pester.Operators.psm1" })
        {
            Assert.True(File.Exists(Path.Combine(TestPaths.RequireModuleFolder(), file)), $"out/Kratix/{file} is missing: the LayoutModule target copies src/Kratix.PowerShell/Pester/*.psm1.");
        }
    }

    [Fact]
    public void It_requires_PowerShell_7_4_on_Core()
    {
        Assert.Equal("7.4", Text("PowerShellVersion"));
        Assert.Equal(["Core"], List("CompatiblePSEditions"));
    }

    [Fact]
    public void Its_root_module_is_the_cmdlet_assembly()
    {
        Assert.Equal("Kratix.PowerShell.dll", Text("RootModule"));
        Assert.Equal(Text("RootModule"), Path.GetFileName(CmdletMetadata.Assembly.Location));
    }

    [Fact]
    public void Its_version_is_the_assembly_version_and_the_build_version()
    {
        var moduleVersion = Version.Parse(Text("ModuleVersion"));
        var assemblyVersion = CmdletMetadata.Assembly.GetName().Version!;
        Assert.Equal(moduleVersion, new Version(assemblyVersion.Major, assemblyVersion.Minor, assemblyVersion.Build));

        var props = XDocument.Load(TestPaths.Source("Directory.Build.props"));
        var buildVersion = props.Descendants("Version").Single().Value.Trim();
        Assert.Equal(Text("ModuleVersion"), buildVersion);
    }

    [Fact]
    public void Its_guid_is_a_guid()
    {
        Assert.True(Guid.TryParse(Text("GUID"), out var guid) && guid != Guid.Empty);
    }

    [Fact]
    public void Its_format_files_exist_in_the_module_folder_and_in_the_sources()
    {
        var formats = List("FormatsToProcess");
        Assert.NotEmpty(formats);
        var folder = TestPaths.RequireModuleFolder();
        foreach (var format in formats)
        {
            Assert.True(File.Exists(Path.Combine(folder, format)), $"FormatsToProcess names {format}, which is not in {folder}.");
            Assert.True(File.Exists(TestPaths.Source("src", "Kratix.PowerShell", "Formats", format)), $"{format} is not in src/Kratix.PowerShell/Formats.");
        }
    }

    [Fact]
    public void The_module_folder_holds_the_manifest_as_it_is_in_the_repository()
    {
        var laidOut = Path.Combine(TestPaths.RequireModuleFolder(), "Kratix.psd1");
        Assert.Equal(File.ReadAllBytes(TestPaths.ManifestSource), File.ReadAllBytes(laidOut));
    }

    [Fact]
    public void The_data_file_reader_reads_what_manifests_use()
    {
        var data = PowerShellDataFile.Parse("""
            # comment
            @{
                A = 'it''s'   # trailing comment
                'B' = @(
                    'x'
                    'y', 'z'
                )
                C = @(); D = $true
                E = @{ Inner = "q`"uote" }
                F = 'one', 'two'
                <# block
                   comment #>
                G = 7.4
            }
            """);
        Assert.Equal("it's", data["a"]);
        Assert.Equal(["x", "y", "z"], PowerShellDataFile.Strings(data["B"]));
        Assert.Empty(PowerShellDataFile.Strings(data["C"]));
        Assert.Equal(true, data["D"]);
        Assert.Equal("q\"uote", ((Dictionary<string, object?>)data["E"]!)["inner"]);
        Assert.Equal(["one", "two"], PowerShellDataFile.Strings(data["F"]));
        Assert.Equal(7.4, data["G"]);
    }

    [Theory]
    [InlineData("@{ A = $env:HOME }")]
    [InlineData("@{ A = \"$x\" }")]
    [InlineData("@{ A 'x' }")]
    [InlineData("@{ A = 'x' B = 'y' }")]
    [InlineData("@{ A = 'x'\n A = 'y' }")]
    [InlineData("@{ A = 'unterminated }")]
    [InlineData("@{ A = 'x' } extra")]
    [InlineData("@( 'not a hashtable' )")]
    public void The_data_file_reader_refuses_what_a_data_file_cannot_hold(string text)
    {
        Assert.Throws<InvalidDataException>(() => PowerShellDataFile.Parse(text));
    }

    [Fact]
    public void Its_gallery_data_has_real_tags_and_release_notes_for_this_version_and_no_placeholder_uri()
    {
        var privateData = Assert.IsType<Dictionary<string, object?>>(Manifest.Value["PrivateData"]);
        var psData = Assert.IsType<Dictionary<string, object?>>(privateData["PSData"]);
        Assert.Contains("Kratix", PowerShellDataFile.Strings(psData["Tags"]));
        Assert.Contains("PSEdition_Core", PowerShellDataFile.Strings(psData["Tags"]));
        var notes = Assert.IsType<string>(psData["ReleaseNotes"]);
        Assert.StartsWith(Text("ModuleVersion") + " ", notes);
        // A URI is given only once it is real: none may point at a host that does not serve this project.
        Assert.False(psData.ContainsKey("ProjectUri"), "ProjectUri is a placeholder until the project has a public home.");
    }

    [Fact]
    public void A_single_quoted_here_string_reads_as_its_lines()
    {
        var data = PowerShellDataFile.Parse("@{\n    Notes = @'\nfirst 'line'\n  second\n'@\n}\n");

        Assert.Equal("first 'line'\n  second", data["Notes"]);
    }
}
