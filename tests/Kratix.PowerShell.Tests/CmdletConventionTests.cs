using System.Management.Automation;
using System.Reflection;
using System.Xml.Linq;
using Kratix.Presentation;

namespace Kratix.PowerShell.Tests;

/// <summary>
/// The conventions of design.md ("Conventions") checked on every exported cmdlet, by reflection: nothing here runs a
/// cmdlet, so these hold for what PowerShell reads when it imports the module.
/// </summary>
public class CmdletConventionTests
{
    /// <summary>Verbs that only read (Trace follows a request or Promise through the platform and changes nothing). Every other verb changes something and must support -WhatIf and -Confirm.</summary>
    private static readonly HashSet<string> ReadOnlyVerbs = new(StringComparer.Ordinal) { VerbsCommon.Get, VerbsCommon.Find, VerbsDiagnostic.Test, VerbsDiagnostic.Trace, VerbsLifecycle.Wait, VerbsData.Compare };

    /// <summary>Verbs that delete: they must ask before they do it unless the user lowered $ConfirmPreference.</summary>
    private static readonly HashSet<string> DestructiveVerbs = new(StringComparer.Ordinal) { VerbsCommon.Remove, VerbsLifecycle.Uninstall, VerbsLifecycle.Unregister };

    /// <summary>The common parameters (and their aliases) PowerShell adds; a cmdlet parameter or alias with one of these names fails at import.</summary>
    private static readonly HashSet<string> CommonParameterNames = new(StringComparer.OrdinalIgnoreCase)
    {
        "Verbose", "vb", "Debug", "db", "ErrorAction", "ea", "WarningAction", "wa", "InformationAction", "infa", "ProgressAction", "proga",
        "ErrorVariable", "ev", "WarningVariable", "wv", "InformationVariable", "iv", "OutVariable", "ov", "OutBuffer", "ob",
        "PipelineVariable", "pv", "WhatIf", "wi", "Confirm", "cf", "UseTransaction", "usetx",
    };

    public static TheoryData<string> AllCmdlets => CmdletMetadata.Names();

    public static TheoryData<string> StateChangingCmdlets => CmdletMetadata.Names(c => !ReadOnlyVerbs.Contains(c.Verb));

    public static TheoryData<string> DestructiveCmdlets => CmdletMetadata.Names(c => DestructiveVerbs.Contains(c.Verb));

    /// <summary>
    /// Sync-* cmdlets re-run what Get-* lists, so Get output must pipe into them as into Remove-*. Sync-KratixPlatform is
    /// the exception: it re-drives the whole platform, which Get-KratixPlatform describes but does not list.
    /// </summary>
    public static TheoryData<string> SyncCmdlets => CmdletMetadata.Names(c => c.Verb == VerbsData.Sync && c.Noun != PlatformNoun);

    private const string PlatformNoun = "KratixPlatform";

    /// <summary>Get-* cmdlets that list objects (everything but Get-KratixPlatform, which describes the one platform).</summary>
    public static TheoryData<string> ListingCmdlets => CmdletMetadata.Names(c => c.Verb == VerbsCommon.Get && !c.OutputTypeNames.Contains("Kratix.PlatformInfo"));

    public static TheoryData<string> CmdletsWithPath => CmdletMetadata.Names(c => c.Parameter("Path") is not null);

    [Fact]
    public void The_assembly_defines_the_cmdlets_this_suite_checks()
    {
        // Guards every theory below against passing vacuously because reflection found nothing.
        Assert.True(CmdletMetadata.All.Count >= 19, $"only {CmdletMetadata.All.Count} cmdlets found: {string.Join(", ", CmdletMetadata.All)}");
        Assert.Contains(CmdletMetadata.All, c => c.Name == "Install-KratixPromise");
        Assert.NotEmpty(DestructiveCmdlets);
        Assert.NotEmpty(SyncCmdlets);
        Assert.NotEmpty(ListingCmdlets);
        Assert.NotEmpty(CmdletsWithPath);
    }

    [Fact]
    public void The_approved_verb_list_is_read_from_System_Management_Automation()
    {
        Assert.Contains("Get", ApprovedVerbs.All);
        Assert.Contains("Install", ApprovedVerbs.All);
        Assert.Contains("Unregister", ApprovedVerbs.All);
        Assert.DoesNotContain("Apply", ApprovedVerbs.All);
        Assert.DoesNotContain("Render", ApprovedVerbs.All);
        Assert.True(ApprovedVerbs.All.Count > 80, $"only {ApprovedVerbs.All.Count} approved verbs were read");
    }

    [Theory]
    [MemberData(nameof(AllCmdlets))]
    public void The_verb_is_approved_and_the_noun_starts_with_Kratix(string name)
    {
        var cmdlet = CmdletMetadata.Get(name);
        Assert.True(ApprovedVerbs.All.Contains(cmdlet.Verb), $"{name}: \"{cmdlet.Verb}\" is not an approved PowerShell verb (Get-Verb lists them).");
        Assert.StartsWith("Kratix", cmdlet.Noun, StringComparison.Ordinal);
        Assert.True(cmdlet.Noun.Length > "Kratix".Length && char.IsUpper(cmdlet.Noun["Kratix".Length]), $"{name}: the noun should be Kratix<Thing>, Pascal case.");
        Assert.Equal(cmdlet.Verb + cmdlet.Noun + "Command", cmdlet.Type.Name);
    }

    [Theory]
    [MemberData(nameof(StateChangingCmdlets))]
    public void A_cmdlet_that_changes_state_supports_WhatIf_and_Confirm(string name)
    {
        Assert.True(CmdletMetadata.Get(name).SupportsShouldProcess, $"{name} changes state but does not declare SupportsShouldProcess = true.");
    }

    [Theory]
    [MemberData(nameof(AllCmdlets))]
    public void A_cmdlet_calls_ShouldProcess_exactly_when_it_declares_SupportsShouldProcess(string name)
    {
        var cmdlet = CmdletMetadata.Get(name);
        var calls = IlScanner.CalledThroughBaseClasses(cmdlet.Type).Any(m => m.Name == nameof(Cmdlet.ShouldProcess) && m.DeclaringType == typeof(Cmdlet));
        Assert.True(
            calls == cmdlet.SupportsShouldProcess,
            cmdlet.SupportsShouldProcess
                ? $"{name} declares SupportsShouldProcess but never calls ShouldProcess, so -WhatIf would still make the change."
                : $"{name} calls ShouldProcess without declaring SupportsShouldProcess, so -WhatIf and -Confirm are not offered.");
    }

    [Theory]
    [MemberData(nameof(DestructiveCmdlets))]
    public void A_cmdlet_that_deletes_has_a_Medium_or_High_confirm_impact(string name)
    {
        var impact = CmdletMetadata.Get(name).ConfirmImpact;
        Assert.True(impact is ConfirmImpact.Medium or ConfirmImpact.High, $"{name} deletes things but its ConfirmImpact is {impact}.");
    }

    [Theory]
    [MemberData(nameof(AllCmdlets))]
    public void A_cmdlet_declares_what_it_outputs(string name)
    {
        var cmdlet = CmdletMetadata.Get(name);
        Assert.True(cmdlet.OutputTypes.Count + cmdlet.OutputTypeNames.Count > 0, $"{name} has no [OutputType].");
    }

    [Theory]
    [MemberData(nameof(AllCmdlets))]
    public void Every_output_type_name_is_one_the_cmdlets_actually_give_their_objects(string name)
    {
        foreach (var typeName in CmdletMetadata.Get(name).OutputTypeNames)
        {
            Assert.True(
                KratixTypeNames.Emitted.Contains(typeName),
                $"{name} declares [OutputType(\"{typeName}\")], but the cmdlets only name their objects {string.Join(", ", KratixTypeNames.Emitted)}.");
        }
    }

    [Theory]
    [MemberData(nameof(AllCmdlets))]
    public void A_cmdlet_derives_from_KratixCmdlet_and_so_has_an_optional_Platform_parameter(string name)
    {
        var cmdlet = CmdletMetadata.Get(name);
        Assert.True(cmdlet.Type.IsSubclassOf(typeof(KratixCmdlet)), $"{name} does not derive from KratixCmdlet.");
        var platform = cmdlet.Parameter("Platform");
        Assert.NotNull(platform);
        Assert.Equal(typeof(string), platform.Type);
        Assert.True(platform.InAllSets, $"{name}: -Platform must be usable in every parameter set.");
        Assert.DoesNotContain(platform.Sets, s => s.Mandatory);
    }

    [Theory]
    [MemberData(nameof(AllCmdlets))]
    public void No_parameter_or_output_type_comes_from_Kratix_Core(string name)
    {
        // Import-Module reads parameter and output types before any cmdlet runs; Kratix.Core is only resolvable once the
        // module's Dependencies/ load context is routing it, so these types must come from the BCL, SMA or Kratix.PowerShell.
        var cmdlet = CmdletMetadata.Get(name);
        foreach (var parameter in cmdlet.Parameters)
        {
            Assert.False(NeedsKratixCore(parameter.Type), $"{name}: {parameter} is of type {parameter.Type}, which needs Kratix.Core.");
        }

        foreach (var output in cmdlet.OutputTypes)
        {
            Assert.False(NeedsKratixCore(output), $"{name}: [OutputType(typeof({output}))] needs Kratix.Core; name the type with a string instead.");
        }
    }

    [Fact]
    public void The_Kratix_Core_check_recognises_Kratix_Core_types()
    {
        Assert.True(NeedsKratixCore(typeof(KratixObject)));
        Assert.True(NeedsKratixCore(typeof(KratixObject[])));
        Assert.True(NeedsKratixCore(typeof(List<KratixErrorCategory>)));
        Assert.False(NeedsKratixCore(typeof(string[])));
        Assert.False(NeedsKratixCore(typeof(SwitchParameter)));
    }

    [Theory]
    [MemberData(nameof(AllCmdlets))]
    public void Parameter_sets_are_uniquely_named_and_distinguishable(string name)
    {
        var cmdlet = CmdletMetadata.Get(name);
        foreach (var parameter in cmdlet.Parameters)
        {
            var repeated = parameter.Sets.GroupBy(s => s.SetName, StringComparer.OrdinalIgnoreCase).Where(g => g.Count() > 1).Select(g => g.Key).ToList();
            Assert.True(repeated.Count == 0, $"{name}: {parameter} declares parameter set(s) {string.Join(", ", repeated)} more than once.");
        }

        var sets = cmdlet.ParameterSetNames;
        var clashing = sets.GroupBy(s => s, StringComparer.OrdinalIgnoreCase).Where(g => g.Count() > 1).Select(g => string.Join(" / ", g)).ToList();
        Assert.True(clashing.Count == 0, $"{name}: parameter set names differ only by case: {string.Join("; ", clashing)}");

        var signatures = sets.Select(s => (Set: s, Members: string.Join(",", cmdlet.InSet(s).Select(p => p.Parameter.Name).Order(StringComparer.Ordinal)))).ToList();
        var identical = signatures.GroupBy(s => s.Members).Where(g => g.Count() > 1).Select(g => string.Join(" = ", g.Select(s => s.Set))).ToList();
        Assert.True(identical.Count == 0, $"{name}: parameter sets with exactly the same parameters cannot be told apart: {string.Join("; ", identical)}");
    }

    [Theory]
    [MemberData(nameof(AllCmdlets))]
    public void At_most_one_parameter_takes_each_position_in_each_parameter_set(string name)
    {
        var cmdlet = CmdletMetadata.Get(name);
        foreach (var set in cmdlet.ParameterSetNames)
        {
            var clashes = cmdlet.InSet(set)
                .Where(p => p.Declaration.Position is not null)
                .GroupBy(p => p.Declaration.Position!.Value)
                .Where(g => g.Count() > 1)
                .Select(g => $"position {g.Key}: {string.Join(", ", g.Select(p => p.Parameter))}")
                .ToList();
            Assert.True(clashes.Count == 0, $"{name}, parameter set {set}: {string.Join("; ", clashes)}");
        }
    }

    [Theory]
    [MemberData(nameof(AllCmdlets))]
    public void The_default_parameter_set_exists_and_is_named_whenever_there_is_a_choice(string name)
    {
        var cmdlet = CmdletMetadata.Get(name);
        if (cmdlet.DefaultParameterSetName is { } defaultSet)
        {
            Assert.Contains(defaultSet, cmdlet.ParameterSetNames);
        }
        else
        {
            Assert.True(
                cmdlet.ParameterSetNames.Count == 1,
                $"{name} has parameter sets {string.Join(", ", cmdlet.ParameterSetNames)} but no DefaultParameterSetName, so a call that fits several cannot be resolved.");
        }
    }

    [Theory]
    [MemberData(nameof(AllCmdlets))]
    public void Parameter_names_and_aliases_are_unique_and_do_not_shadow_common_parameters(string name)
    {
        var cmdlet = CmdletMetadata.Get(name);
        var all = cmdlet.Parameters.SelectMany(p => p.Aliases.Prepend(p.Name).Select(n => (Name: n, Owner: p))).ToList();
        var duplicates = all.GroupBy(x => x.Name, StringComparer.OrdinalIgnoreCase).Where(g => g.Count() > 1).Select(g => g.Key).ToList();
        Assert.True(duplicates.Count == 0, $"{name}: names or aliases used twice: {string.Join(", ", duplicates)}");
        var common = all.Where(x => CommonParameterNames.Contains(x.Name)).Select(x => $"{x.Name} ({x.Owner})").ToList();
        Assert.True(common.Count == 0, $"{name}: these clash with PowerShell's common parameters: {string.Join(", ", common)}");
    }

    [Theory]
    [MemberData(nameof(ListingCmdlets))]
    public void A_Get_cmdlet_takes_several_names_with_wildcards_and_from_the_pipeline(string name)
    {
        var parameter = CmdletMetadata.Get(name).Parameter("Name");
        Assert.True(parameter is not null, $"{name} lists objects but has no -Name.");
        Assert.Equal(typeof(string[]), parameter.Type);
        Assert.True(parameter.SupportsWildcards, $"{name}: -Name is matched as a wildcard pattern, so it needs [SupportsWildcards].");
        Assert.True(parameter.ValueFromPipelineByPropertyName, $"{name}: -Name must bind ValueFromPipelineByPropertyName.");
    }

    [Theory]
    [MemberData(nameof(DestructiveCmdlets))]
    public void Get_output_pipes_into_the_cmdlet_that_removes_it(string name) => AssertGetOutputPipesInto(name);

    [Theory]
    [MemberData(nameof(SyncCmdlets))]
    public void Get_output_pipes_into_the_cmdlet_that_syncs_it(string name) => AssertGetOutputPipesInto(name);

    private static void AssertGetOutputPipesInto(string name)
    {
        var cmdlet = CmdletMetadata.Get(name);
        var get = CmdletMetadata.All.SingleOrDefault(c => c.Verb == VerbsCommon.Get && c.Noun == cmdlet.Noun);
        Assert.True(get is not null, $"{name} has no Get-{cmdlet.Noun} to pipe into it.");
        Assert.NotEmpty(get.OutputTypeNames);
        foreach (var typeName in get.OutputTypeNames)
        {
            Assert.True(KratixTypeNames.ForKratixObject.Contains(typeName), $"{get.Name} outputs {typeName}, which is not a Kratix.Presentation.KratixObject view.");
        }

        foreach (var key in new[] { "Name", "Promise", "Namespace", "Kind" })
        {
            if (cmdlet.Parameter(key) is { } keyed)
            {
                Assert.True(keyed.ValueFromPipelineByPropertyName, $"{name}: {keyed} must bind ValueFromPipelineByPropertyName so `{get.Name} | {name}` works.");
            }
        }

        Assert.NotNull(cmdlet.Parameter("Name"));
        var objectProperties = typeof(KratixObject).GetProperties(BindingFlags.Public | BindingFlags.Instance).ToDictionary(p => p.Name, StringComparer.OrdinalIgnoreCase);
        foreach (var parameter in cmdlet.Parameters.Where(p => p.ValueFromPipelineByPropertyName))
        {
            var source = parameter.Aliases.Prepend(parameter.Name).Select(n => objectProperties.GetValueOrDefault(n)).FirstOrDefault(p => p is not null);
            Assert.True(source is not null, $"{name}: {parameter} binds by property name, but {get.Name}'s objects have no such property.");
            var element = parameter.Type.IsArray ? parameter.Type.GetElementType()! : parameter.Type;
            Assert.True(element.IsAssignableFrom(source.PropertyType), $"{name}: {parameter} is {parameter.Type}, but KratixObject.{source.Name} is {source.PropertyType}.");
        }

        foreach (var set in cmdlet.ParameterSetNames)
        {
            var unbound = cmdlet.InSet(set).Where(p => p.Declaration.Mandatory && !p.Declaration.ValueFromPipelineByPropertyName).Select(p => p.Parameter).ToList();
            Assert.True(unbound.Count == 0, $"{name} (set {set}): mandatory {string.Join(", ", unbound)} cannot come from `{get.Name} |`.");
        }
    }

    [Fact]
    public void Sync_KratixPlatform_takes_no_object_to_sync_and_asks_before_it_runs()
    {
        var cmdlet = CmdletMetadata.Get("Sync-" + PlatformNoun);
        Assert.True(cmdlet.SupportsShouldProcess);
        // -Continuous and -PollInterval say how long to keep syncing, not what to sync.
        Assert.Equal(["Continuous", "Platform", "PollInterval"], cmdlet.Parameters.Select(p => p.Name).Order(StringComparer.Ordinal));
        Assert.Equal(["Kratix.PlatformSyncResult"], cmdlet.OutputTypeNames);
    }

    [Theory]
    [MemberData(nameof(CmdletsWithPath))]
    public void A_Path_parameter_takes_wildcards_and_has_a_LiteralPath_twin_in_its_own_set(string name)
    {
        var cmdlet = CmdletMetadata.Get(name);
        var path = cmdlet.Parameter("Path")!;
        Assert.True(path.SupportsWildcards, $"{name}: -Path must take wildcards ([SupportsWildcards]); -LiteralPath is the one that does not.");
        var literal = cmdlet.Parameter("LiteralPath");
        Assert.True(literal is not null, $"{name} has -Path but no -LiteralPath.");
        Assert.Contains("PSPath", literal.Aliases, StringComparer.OrdinalIgnoreCase);
        Assert.True(literal.ValueFromPipelineByPropertyName, $"{name}: -LiteralPath must bind by property name (PSPath) so `Get-ChildItem | {name}` works.");
        Assert.False(path.InAllSets, $"{name}: -Path is in every parameter set, so it can be given with -LiteralPath.");
        Assert.False(literal.InAllSets, $"{name}: -LiteralPath is in every parameter set, so it can be given with -Path.");
        var shared = path.Sets.Select(s => s.SetName).Intersect(literal.Sets.Select(s => s.SetName)).ToList();
        Assert.True(shared.Count == 0, $"{name}: -Path and -LiteralPath share parameter set(s) {string.Join(", ", shared)}.");
        Assert.Equal(path.Type, literal.Type);
    }

    [Theory]
    [MemberData(nameof(AllCmdlets))]
    public void A_cmdlet_has_help_in_the_generated_xml_documentation(string name)
    {
        var cmdlet = CmdletMetadata.Get(name);
        var summary = XmlDocumentation.Summary("T:" + cmdlet.Type.FullName);
        Assert.False(string.IsNullOrWhiteSpace(summary), $"{name} ({cmdlet.Type.FullName}) has no <summary> in Kratix.PowerShell.xml.");
        Assert.True(summary.Length >= 20, $"{name}: the summary \"{summary}\" is too short to help anyone.");
    }

    [Fact]
    public void The_xml_documentation_is_generated_next_to_the_cmdlet_assembly()
    {
        Assert.True(File.Exists(XmlDocumentation.Path), $"{XmlDocumentation.Path} is missing: GenerateDocumentationFile must stay on in Kratix.PowerShell.csproj.");
        Assert.NotNull(XmlDocumentation.Summary("T:" + typeof(KratixCmdlet).FullName));
    }

    internal static bool NeedsKratixCore(Type type)
    {
        var core = typeof(KratixObject).Assembly;
        if (type.Assembly == core)
        {
            return true;
        }

        if (type.HasElementType && NeedsKratixCore(type.GetElementType()!))
        {
            return true;
        }

        if (type.IsGenericType && type.GetGenericArguments().Any(NeedsKratixCore))
        {
            return true;
        }

        return type.Assembly == CmdletMetadata.Assembly && type.BaseType is { } baseType && NeedsKratixCore(baseType);
    }
}

/// <summary>The approved verbs, read from the constants of System.Management.Automation's Verbs* classes.</summary>
internal static class ApprovedVerbs
{
    private static readonly string[] VerbClasses =
        ["VerbsCommon", "VerbsLifecycle", "VerbsData", "VerbsDiagnostic", "VerbsCommunications", "VerbsSecurity", "VerbsOther"];

    public static IReadOnlySet<string> All { get; } = Read();

    private static HashSet<string> Read()
    {
        var assembly = typeof(PSCmdlet).Assembly;
        var verbs = new HashSet<string>(StringComparer.Ordinal);
        foreach (var name in VerbClasses)
        {
            var type = assembly.GetType("System.Management.Automation." + name, throwOnError: true)!;
            var constants = type.GetFields(BindingFlags.Public | BindingFlags.Static).Where(f => f.IsLiteral).Select(f => (string)f.GetRawConstantValue()!).ToList();
            Assert.NotEmpty(constants);
            verbs.UnionWith(constants);
        }

        // PowerShellStandard.Library is 5.1's API; pwsh 6 approved Build and Deploy (Get-Verb in 7.4, which the module needs, lists them).
        verbs.UnionWith(["Build", "Deploy"]);
        return verbs;
    }
}

/// <summary>The type names the cmdlets give the objects they write, which [OutputType] and the format file use.</summary>
internal static class KratixTypeNames
{
    private static readonly string[] Kinds = ["Promise", "Destination", "GitStateStore", "BucketStateStore", "Work", "WorkPlacement", "PromiseRevision", "ResourceBinding", "PromiseRelease", "HealthRecord", "AnyRequestKind"];

    /// <summary>Names of KratixObject views, as KratixCmdlet.TypeNameOf gives them for each kind.</summary>
    public static IReadOnlySet<string> ForKratixObject { get; } = Kinds.Select(TypeNameOf).ToHashSet(StringComparer.Ordinal);

    /// <summary>
    /// Every type name a cmdlet gives an object: the KratixObject views, PlatformInfo, ValidationReport, PipelineResult,
    /// PlatformSyncResult, StateStoreTest, and the Kratix.Core objects written as they are, whose .NET full name is their
    /// type name (TraceNode, PipelineLog).
    /// </summary>
    public static IReadOnlySet<string> Emitted { get; } = ForKratixObject
        .Concat(["Kratix.PlatformInfo", "Kratix.ValidationReport", PipelineResultObject.TypeName, PlatformSyncResult.TypeName, Cmdlets.TestKratixStateStoreCommand.TypeName, Cmdlets.MeasureKratixPromiseCommand.ResultTypeName, Cmdlets.MeasureKratixPromiseCommand.SummaryTypeName, DryRunView.TypeName])
        .Concat(["Kratix.CatalogueEntry"]) // Find-KratixPromise's results
        .Concat([typeof(TraceNode).FullName!, typeof(PipelineLog).FullName!])
        .ToHashSet(StringComparer.Ordinal);

    public static string TypeNameOf(string kind)
    {
        var method = typeof(KratixCmdlet).GetMethod("TypeNameOf", BindingFlags.NonPublic | BindingFlags.Static)
            ?? throw new InvalidOperationException("KratixCmdlet.TypeNameOf is gone; update the tests to how the cmdlets name their output now.");
        return (string)method.Invoke(null, [kind])!;
    }
}

/// <summary>Kratix.PowerShell.xml, which the build generates next to the cmdlet assembly.</summary>
internal static class XmlDocumentation
{
    public static string Path { get; } = System.IO.Path.ChangeExtension(CmdletMetadata.Assembly.Location, ".xml");

    private static readonly Lazy<Dictionary<string, string>> Summaries = new(() =>
        XDocument.Load(Path).Descendants("member")
            .Where(m => m.Attribute("name") is not null && m.Element("summary") is not null)
            .ToDictionary(m => m.Attribute("name")!.Value, m => string.Join(" ", m.Element("summary")!.Value.Split((char[]?)null, StringSplitOptions.RemoveEmptyEntries))));

    public static string? Summary(string member) => Summaries.Value.GetValueOrDefault(member);
}
