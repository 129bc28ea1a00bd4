using System.Collections;
using System.Management.Automation;
using Kratix.Pipelines;
using Kratix.PowerShell.Completion;

namespace Kratix.PowerShell.Tests;

/// <summary>
/// The parameters of the workflow cmdlets (Invoke-KratixPipeline, Sync-KratixRequest, Sync-KratixPromise) and the
/// pipeline settings of Connect-KratixPlatform and Register-KratixDestination, read by reflection as PowerShell reads them.
/// </summary>
public class PipelineCmdletTests
{
    private static CmdletDefinition Invoke => CmdletMetadata.Get("Invoke-KratixPipeline");

    [Fact]
    public void Invoke_KratixPipeline_takes_the_Promise_first_and_the_request_second_or_from_the_pipeline()
    {
        var promise = Invoke.Parameter("Promise")!;
        Assert.Equal(typeof(object), promise.Type);
        var declaration = Assert.Single(promise.Sets);
        Assert.True(declaration.Mandatory);
        Assert.Equal(0, declaration.Position);
        Assert.False(declaration.ValueFromPipeline, "-Promise must not take pipeline input: piped requests bind to -Request.");

        var request = Invoke.Parameter("Request")!;
        Assert.Equal(typeof(object), request.Type);
        var requestDeclaration = Assert.Single(request.Sets);
        Assert.False(requestDeclaration.Mandatory, "-Request is left out for promise workflows.");
        Assert.Equal(1, requestDeclaration.Position);
        Assert.True(requestDeclaration.ValueFromPipeline, "`Get-Item req.yaml | Invoke-KratixPipeline -Promise p.yaml` needs -Request to take pipeline input by value.");
    }

    [Fact]
    public void Invoke_KratixPipeline_has_one_parameter_set_so_every_option_combines_with_every_other()
    {
        Assert.Equal([CmdletMetadata.AllParameterSets], Invoke.ParameterSetNames);
        var mandatory = Invoke.Parameters.Where(p => p.Sets.Any(s => s.Mandatory)).Select(p => p.Name).ToList();
        Assert.Equal(["Promise"], mandatory);
    }

    [Fact]
    public void Invoke_KratixPipeline_workflows_are_the_four_Kratix_runs()
    {
        Assert.Equal(PipelineInvocation.WorkflowNames, ValidateSet(Invoke, "Workflow"));
        Assert.Equal(typeof(string), Invoke.Parameter("Workflow")!.Type);
    }

    [Theory]
    [InlineData("Invoke-KratixPipeline")]
    [InlineData("Connect-KratixPlatform")]
    public void Runtime_offers_Auto_and_every_runtime_Kratix_Core_knows_with_completion(string name)
    {
        var cmdlet = CmdletMetadata.Get(name);
        Assert.Equal(RuntimeChoice.Names, ValidateSet(cmdlet, "Runtime"));
        var completer = CmdletMetadata.Attribute<ArgumentCompleterAttribute>(cmdlet.Parameter("Runtime")!.Property);
        Assert.NotNull(completer);
        Assert.Equal(typeof(RuntimeCompleter), completer.ConstructorArguments[0].Value);
        Assert.True(typeof(IArgumentCompleter).IsAssignableFrom(typeof(RuntimeCompleter)));
    }

    [Fact]
    public void The_runtime_completer_offers_exactly_the_names_the_parameters_accept()
    {
        Assert.Equal(RuntimeChoice.Names, RuntimeNames.All.Select(r => r.Name));
        Assert.All(RuntimeNames.All, r => Assert.False(string.IsNullOrWhiteSpace(r.Description)));
    }

    [Theory]
    [InlineData("Invoke-KratixPipeline", "ImageMap", typeof(IDictionary))]
    [InlineData("Invoke-KratixPipeline", "ConfigMap", typeof(IDictionary))]
    [InlineData("Invoke-KratixPipeline", "Secret", typeof(IDictionary))]
    [InlineData("Invoke-KratixPipeline", "Status", typeof(IDictionary))]
    [InlineData("Invoke-KratixPipeline", "RuntimeArgument", typeof(string[]))]
    [InlineData("Invoke-KratixPipeline", "Timeout", typeof(TimeSpan?))]
    [InlineData("Invoke-KratixPipeline", "OutputPath", typeof(string))]
    [InlineData("Invoke-KratixPipeline", "Pipeline", typeof(string))]
    [InlineData("Invoke-KratixPipeline", "Network", typeof(SwitchParameter))]
    [InlineData("Connect-KratixPlatform", "ImageMap", typeof(IDictionary))]
    [InlineData("Connect-KratixPlatform", "RuntimeArgument", typeof(string[]))]
    [InlineData("Connect-KratixPlatform", "ContainerTimeout", typeof(TimeSpan?))]
    [InlineData("Connect-KratixPlatform", "Network", typeof(SwitchParameter))]
    [InlineData("Connect-KratixPlatform", "Runtime", typeof(string))]
    [InlineData("Invoke-KratixPipeline", "MaxOutputBytes", typeof(long?))]
    [InlineData("Connect-KratixPlatform", "MaxOutputBytes", typeof(long?))]
    [InlineData("Connect-KratixPlatform", "ParallelWorkflows", typeof(int?))]
    public void Pipeline_options_are_optional_and_of_plain_types(string name, string parameter, Type type)
    {
        var found = CmdletMetadata.Get(name).Parameter(parameter);
        Assert.True(found is not null, $"{name} has no -{parameter}.");
        Assert.Equal(type, found.Type);
        Assert.True(found.InAllSets, $"{name}: -{parameter} must be usable in every parameter set.");
        Assert.DoesNotContain(found.Sets, s => s.Mandatory);
    }

    [Theory]
    [InlineData("Invoke-KratixPipeline")]
    [InlineData("Connect-KratixPlatform")]
    public void MaxOutputBytes_refuses_zero_and_negative_limits_before_the_cmdlet_runs(string name)
    {
        var property = CmdletMetadata.Get(name).Parameter("MaxOutputBytes")!.Property;
        var range = CmdletMetadata.Attribute<ValidateRangeAttribute>(property);

        Assert.True(range is not null, $"{name}: -MaxOutputBytes has no [ValidateRange].");
        // Both bounds Int64, so PowerShell compares the bound value as a long (a 0 or a negative number is refused).
        Assert.Equal([1L, long.MaxValue], range.ConstructorArguments.Select(a => a.Value));
        Assert.All(range.ConstructorArguments, a => Assert.Equal(typeof(long), a.ArgumentType));
    }

    [Fact]
    public void ParallelWorkflows_refuses_zero_and_negative_numbers_before_the_cmdlet_runs()
    {
        var property = CmdletMetadata.Get("Connect-KratixPlatform").Parameter("ParallelWorkflows")!.Property;
        var range = CmdletMetadata.Attribute<ValidateRangeAttribute>(property);

        Assert.True(range is not null, "Connect-KratixPlatform: -ParallelWorkflows has no [ValidateRange].");
        Assert.Equal(1, range.ConstructorArguments[0].Value);
    }

    [Theory]
    [InlineData("Sync-KratixRequest", "Kratix.ResourceRequest")]
    [InlineData("Sync-KratixPromise", "Kratix.Promise")]
    public void Sync_cmdlets_ask_before_they_run_workflows_and_output_what_they_synced(string name, string output)
    {
        var cmdlet = CmdletMetadata.Get(name);
        Assert.True(cmdlet.SupportsShouldProcess);
        Assert.Equal([output], cmdlet.OutputTypeNames);
        Assert.True(cmdlet.Parameter("Name")!.Sets.Single().Mandatory);
    }

    [Fact]
    public void Sync_KratixRequest_needs_the_Promise_and_name_and_defaults_the_namespace()
    {
        var cmdlet = CmdletMetadata.Get("Sync-KratixRequest");
        Assert.True(cmdlet.Parameter("Promise")!.Sets.Single().Mandatory);
        Assert.False(cmdlet.Parameter("Namespace")!.Sets.Single().Mandatory);
        Assert.Equal(0, cmdlet.Parameter("Name")!.Sets.Single().Position);
    }

    [Fact]
    public void Sync_KratixPromise_takes_names_from_the_pipeline_and_an_IncludeRequest_switch()
    {
        var cmdlet = CmdletMetadata.Get("Sync-KratixPromise");
        var name = cmdlet.Parameter("Name")!.Sets.Single();
        Assert.True(name.ValueFromPipeline);
        Assert.True(name.ValueFromPipelineByPropertyName);
        Assert.Equal(typeof(SwitchParameter), cmdlet.Parameter("IncludeRequest")!.Type);
    }

    [Fact]
    public void Register_KratixDestination_ApplyToPlatform_is_a_switch_of_the_parameters_set()
    {
        var cmdlet = CmdletMetadata.Get("Register-KratixDestination");
        var parameter = cmdlet.Parameter("ApplyToPlatform");
        Assert.NotNull(parameter);
        Assert.Equal(typeof(SwitchParameter), parameter.Type);
        Assert.Equal(["Parameters"], parameter.Sets.Select(s => s.SetName));
    }

    [Fact]
    public void Every_failure_category_the_executor_reports_maps_to_its_own_PowerShell_category()
    {
        Assert.Equal(ErrorCategory.OperationTimeout, KratixCmdlet.Map(KratixErrorCategory.OperationTimeout));
        Assert.Equal(ErrorCategory.InvalidResult, KratixCmdlet.Map(KratixErrorCategory.InvalidResult));
    }

    /// <summary>The values a [ValidateSet] or a [ValidateChoice] (a ValidateSet that leaves completion to the parameter's completer) accepts.</summary>
    private static List<string> ValidateSet(CmdletDefinition cmdlet, string parameter)
    {
        var property = cmdlet.Parameter(parameter)?.Property ?? throw new InvalidOperationException($"{cmdlet.Name} has no -{parameter}.");
        var attribute = CmdletMetadata.Attribute<ValidateSetAttribute>(property) ?? CmdletMetadata.Attribute<ValidateChoiceAttribute>(property);
        Assert.True(attribute is not null, $"{cmdlet.Name}: -{parameter} has no [ValidateSet] or [ValidateChoice].");
        return attribute.ConstructorArguments.SelectMany(CmdletMetadata.Values).Cast<string>().ToList();
    }
}
