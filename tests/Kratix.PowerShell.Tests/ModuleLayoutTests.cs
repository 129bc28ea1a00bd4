using System.Reflection;
using System.Reflection.Metadata;
using System.Reflection.PortableExecutable;

namespace Kratix.PowerShell.Tests;

/// <summary>out/Kratix, the folder Import-Module loads: the cmdlet assembly at its root, its dependencies only in Dependencies/.</summary>
public class ModuleLayoutTests
{
    [Theory]
    [InlineData("Kratix.PowerShell.dll")]
    [InlineData("Kratix.psd1")]
    [InlineData("Kratix.Format.ps1xml")]
    [InlineData("Kratix.PowerShell.xml")]
    public void The_module_root_holds_the_cmdlet_assembly_manifest_and_formats(string file)
    {
        Assert.True(File.Exists(Path.Combine(TestPaths.RequireModuleFolder(), file)), $"out/Kratix/{file} is missing.");
    }

    [Theory]
    [InlineData("Kratix.PowerShell.dll-Help.xml")]
    [InlineData("about_Kratix.help.txt")]
    public void The_module_has_its_help_in_en_US(string file)
    {
        // Compiled from docs/cmdlets by the CompileHelp target; Get-Help finds it beside the cmdlet assembly, in en-US.
        Assert.True(File.Exists(Path.Combine(TestPaths.RequireModuleFolder(), "en-US", file)), $"out/Kratix/en-US/{file} is missing.");
    }

    [Theory]
    [InlineData("Kratix.Core.dll")]
    [InlineData("YamlDotNet.dll")]
    [InlineData("KubernetesClient.dll")]
    [InlineData("Fractions.dll")]
    public void Kratix_Core_and_its_dependencies_are_only_in_Dependencies(string file)
    {
        var folder = TestPaths.RequireModuleFolder();
        Assert.True(File.Exists(Path.Combine(folder, "Dependencies", file)), $"out/Kratix/Dependencies/{file} is missing.");

        // At the root, PowerShell's default load context would find it first and the isolation would be lost.
        Assert.False(File.Exists(Path.Combine(folder, file)), $"out/Kratix/{file} must not be at the module root, only in Dependencies/.");
    }

    [Fact]
    public void The_module_does_not_ship_the_PowerShell_reference_stubs()
    {
        // PowerShellStandard.Library's System.Management.Automation.dll only has stubs; pwsh brings the real one.
        Assert.Empty(Directory.GetFiles(TestPaths.RequireModuleFolder(), "System.Management.Automation.dll", SearchOption.AllDirectories));
    }

    [Fact]
    public void The_module_root_has_no_other_assemblies()
    {
        var assemblies = Directory.GetFiles(TestPaths.RequireModuleFolder(), "*.dll").Select(Path.GetFileName).ToList();
        Assert.Equal(["Kratix.PowerShell.dll"], assemblies);
    }

    [Fact]
    public void The_module_folder_holds_the_assembly_these_tests_checked()
    {
        // A stale out/ would make every layout test above meaningless; the LayoutModule target runs after every build.
        var laidOut = Path.Combine(TestPaths.RequireModuleFolder(), "Kratix.PowerShell.dll");
        Assert.Equal(CmdletMetadata.Assembly.ManifestModule.ModuleVersionId, ModuleVersionIdOf(laidOut));
        var laidOutCore = Path.Combine(TestPaths.DependencyFolder, "Kratix.Core.dll");
        Assert.Equal(typeof(Kratix.Presentation.KratixObject).Assembly.ManifestModule.ModuleVersionId, ModuleVersionIdOf(laidOutCore));
    }

    [Fact]
    public void The_cmdlet_assembly_references_Kratix_Core_but_not_YamlDotNet()
    {
        // Only Kratix.Core is routed to the dependency context; the cmdlets must reach YamlDotNet only through it.
        var references = CmdletMetadata.Assembly.GetReferencedAssemblies().Select(a => a.Name).ToList();
        Assert.Contains("Kratix.Core", references);
        Assert.DoesNotContain("YamlDotNet", references);
    }

    private static Guid ModuleVersionIdOf(string path)
    {
        using var stream = File.OpenRead(path);
        using var pe = new PEReader(stream);
        var reader = pe.GetMetadataReader();
        return reader.GetGuid(reader.GetModuleDefinition().Mvid);
    }
}
