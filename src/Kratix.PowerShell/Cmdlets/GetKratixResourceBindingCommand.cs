using System.Management.Automation;
using Kratix.PowerShell.Completion;
using Kratix.Presentation;

namespace Kratix.PowerShell.Cmdlets;

/// <summary>
/// Lists ResourceBindings: which version of its Promise each request runs (an exact version, or latest), the version
/// it last ran (lastAppliedVersion), a failed upgrade (failedVersion) and the UpgradeSucceeded condition. Piped
/// requests (Get-KratixRequest), it lists their bindings.
/// </summary>
[Cmdlet(VerbsCommon.Get, "KratixResourceBinding", DefaultParameterSetName = "Name")]
[OutputType("Kratix.ResourceBinding")]
public sealed class GetKratixResourceBindingCommand : KratixCmdlet
{
    [Parameter(ParameterSetName = "Name", Position = 0, ValueFromPipelineByPropertyName = true)]
    [SupportsWildcards]
    [ArgumentCompleter(typeof(ResourceBindingNameCompleter))]
    public string[]? Name { get; set; }

    [Parameter(ParameterSetName = "Name")]
    [ArgumentCompleter(typeof(PromiseNameCompleter))]
    public string? Promise { get; set; }

    [Parameter(ParameterSetName = "Name")]
    [ArgumentCompleter(typeof(NamespaceCompleter))]
    public string? Namespace { get; set; }

    /// <summary>Only the binding of the request of this name (wildcards).</summary>
    [Parameter(ParameterSetName = "Name")]
    [SupportsWildcards]
    [ArgumentCompleter(typeof(RequestNameCompleter))]
    public string? Request { get; set; }

    /// <summary>Requests (from Get-KratixRequest): each one's binding.</summary>
    [Parameter(ParameterSetName = "InputObject", Mandatory = true, ValueFromPipeline = true)]
    public PSObject? InputObject { get; set; }

    protected override void ProcessRecord() => WithPlatform(platform =>
    {
        if (InputObject is not null)
        {
            if (InputObject.BaseObject is KratixObject { Kind: Kratix.Objects.KratixApi.ResourceBindingKind } piped)
            {
                foreach (var binding in platform.GetResourceBindings(null, piped.Namespace).Where(b => b.Name == piped.Name))
                {
                    WriteKratixObject(binding);
                }

                return;
            }

            if (InputObject.BaseObject is not KratixObject request || request.Promise is null || request.Namespace is null)
            {
                Report(new KratixException("NotARequest", KratixErrorCategory.InvalidArgument, $"Get-KratixResourceBinding takes requests from the pipeline (Get-KratixRequest); \"{InputObject}\" is not one.", InputObject), InputObject.ToString());
                return;
            }

            foreach (var binding in platform.GetResourceBindings(request.Promise, request.Namespace).Where(b => b.Spec["resourceRef"]?["name"]?.ToString() == request.Name))
            {
                WriteKratixObject(binding);
            }

            return;
        }

        var requestName = Request is null ? null : new WildcardPattern(Request, WildcardOptions.IgnoreCase);
        foreach (var binding in platform.GetResourceBindings(Promise, Namespace))
        {
            if (NameFilter.Matches(Name, binding.Name) && (requestName is null || requestName.IsMatch(binding.Spec["resourceRef"]?["name"]?.ToString() ?? string.Empty)))
            {
                WriteKratixObject(binding);
            }
        }
    });
}
