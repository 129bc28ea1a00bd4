using System.Management.Automation;
using Kratix.PowerShell.Completion;

namespace Kratix.PowerShell.Tests;

/// <summary>
/// Every parameter that names something on the platform has tab completion, by reflection as PowerShell reads it; what
/// the completers offer is tested through TabExpansion2 in tests/pester/Completion.Tests.ps1.
/// </summary>
public class CompletionConventionTests
{
    /// <summary>Parameters that name an existing object (or a choice) wherever they appear, with the completer each must have.</summary>
    private static readonly Dictionary<string, Type[]> Completers = new(StringComparer.Ordinal)
    {
        ["Promise"] = [typeof(PromiseNameCompleter)],
        ["Namespace"] = [typeof(NamespaceCompleter)],
        ["Destination"] = [typeof(DestinationNameCompleter)],
        ["StateStore"] = [typeof(StateStoreNameCompleter)],
        ["Runtime"] = [typeof(RuntimeCompleter)],
        ["Workflow"] = [typeof(WorkflowCompleter)],
        ["Pipeline"] = [typeof(PipelineNameCompleter)],
        ["Label"] = [typeof(DestinationLabelCompleter), typeof(RequestLabelCompleter)],
        ["Name"] = [typeof(PromiseNameCompleter), typeof(RequestNameCompleter), typeof(DestinationNameCompleter), typeof(StateStoreNameCompleter), typeof(WorkNameCompleter), typeof(WorkPlacementNameCompleter), typeof(PromiseRevisionNameCompleter), typeof(ResourceBindingNameCompleter), typeof(HealthRecordNameCompleter)],
        ["Version"] = [typeof(PromiseVersionCompleter)],
    };

    /// <summary>Parameters of those names that name something new, or something that is not on the platform.</summary>
    private static readonly HashSet<string> Exempt = new(StringComparer.Ordinal)
    {
        "Register-KratixDestination -Name", // a new Destination
        "Install-KratixPromise -Version",   // the version a Promise at a URL must have, not one on the platform
        "Register-KratixStateStore -Name",  // a new state store
        "Invoke-KratixPipeline -Promise",   // a file or an object (file completion is PowerShell's default)
        // The Promise author's cmdlets name things in a Promise's source folder, new or not yet on any platform.
        "New-KratixPromise -Name",
        "Build-KratixPromise -Name",
        "Add-KratixPipelineContainer -Pipeline",
        "Add-KratixPipelineContainer -Name",
        "Build-KratixPipelineImage -Pipeline",
        "Build-KratixPipelineImage -Name",
        "Find-KratixPromise -Name",         // Promises in a catalogue, not on the platform
        "New-KratixPromise -Version",       // the new API's version (v1alpha1), not a Promise version
        "Update-KratixPromiseApi -Version", // likewise
    };

    public static TheoryData<string, string> NamingParameters
    {
        get
        {
            var data = new TheoryData<string, string>();
            foreach (var cmdlet in CmdletMetadata.All)
            {
                foreach (var parameter in cmdlet.Parameters.Where(p => Completers.ContainsKey(p.Name) && !Exempt.Contains($"{cmdlet.Name} -{p.Name}")))
                {
                    data.Add(cmdlet.Name, parameter.Name);
                }
            }

            return data;
        }
    }

    [Fact]
    public void The_naming_parameters_are_found()
    {
        var found = NamingParameters.Select(row => $"{row[0]} -{row[1]}").ToList();
        Assert.True(found.Count >= 35, $"only {found.Count}: {string.Join(", ", found)}");
        Assert.Contains("Get-KratixRequest -Promise", found);
        Assert.Contains("Remove-KratixRequest -Name", found);
        Assert.Contains("Get-KratixWorkPlacement -Destination", found);
    }

    [Theory]
    [MemberData(nameof(NamingParameters))]
    public void A_parameter_that_names_something_has_a_completer_for_it(string cmdlet, string parameter)
    {
        var property = CmdletMetadata.Get(cmdlet).Parameter(parameter)!.Property;
        var attribute = CmdletMetadata.Attribute<ArgumentCompleterAttribute>(property);
        Assert.True(attribute is not null, $"{cmdlet} -{parameter} has no [ArgumentCompleter].");
        var type = Assert.IsAssignableFrom<Type>(attribute.ConstructorArguments[0].Value);
        Assert.Contains(type, Completers[parameter]);
    }

    [Theory]
    [MemberData(nameof(CmdletConventionTests.AllCmdlets), MemberType = typeof(CmdletConventionTests))]
    public void No_completer_is_hidden_behind_a_ValidateSet(string name)
    {
        // PowerShell completes a [ValidateSet] parameter from its values and never asks its completer.
        foreach (var parameter in CmdletMetadata.Get(name).Parameters)
        {
            var hidden = CmdletMetadata.Attribute<ArgumentCompleterAttribute>(parameter.Property) is not null
                && CmdletMetadata.Attribute<ValidateSetAttribute>(parameter.Property) is not null;
            Assert.False(hidden, $"{name} {parameter} has [ValidateSet] and [ArgumentCompleter]; use [ValidateChoice] so the completer runs.");
        }
    }

    [Fact]
    public void Every_completer_can_be_created_by_PowerShell()
    {
        var completers = typeof(PromiseNameCompleter).Assembly.GetTypes().Where(t => typeof(IArgumentCompleter).IsAssignableFrom(t) && !t.IsAbstract).ToList();
        Assert.True(completers.Count >= 12, $"only {completers.Count} completers");
        foreach (var type in completers)
        {
            Assert.True(type.IsPublic && type.IsSealed, $"{type.Name} must be public (PowerShell creates it) and sealed.");
            Assert.NotNull(type.GetConstructor(Type.EmptyTypes));
            Assert.Equal("Kratix.PowerShell.Completion", type.Namespace);
        }
    }
}
