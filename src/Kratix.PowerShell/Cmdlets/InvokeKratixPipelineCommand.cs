using System.Collections;
using System.Management.Automation;
using Kratix.PowerShell.Completion;
using Kratix.Manifests;
using Kratix.Pipelines;
using Kratix.Presentation;

namespace Kratix.PowerShell.Cmdlets;

/// <summary>
/// Runs a Promise's workflow with no platform: the request is validated and defaulted against the Promise's API, then
/// the workflow's pipelines run on a container runtime (or the Host runtime, from local folders) and one
/// Kratix.PipelineResult per pipeline says what it wrote. A failed pipeline is an error (PipelineFailed) written after
/// its result, so a test can still inspect the result with -ErrorAction SilentlyContinue.
/// </summary>
[Cmdlet(VerbsLifecycle.Invoke, "KratixPipeline", SupportsShouldProcess = true)]
[OutputType("Kratix.PipelineResult")]
public sealed class InvokeKratixPipelineCommand : KratixCmdlet
{
    private PipelineInvocation? _invocation;
    private ValueSources _values = ValueSources.None;

    /// <summary>The Promise: a file path, a Promise object from Get-KratixPromise or Install-KratixPromise, or a manifest as a hashtable or PSCustomObject.</summary>
    [Parameter(Mandatory = true, Position = 0)]
    [ValidateNotNull]
    public object Promise { get; set; } = null!;

    /// <summary>
    /// The request a resource workflow runs for: a file path (or Get-Item output), a request object from
    /// Get-KratixRequest (its status is kept), or a manifest as a hashtable (apiVersion and kind default to the Promise's).
    /// Leave it out for promise workflows.
    /// </summary>
    [Parameter(Position = 1, ValueFromPipeline = true)]
    public object? Request { get; set; }

    /// <summary>The workflow: resource.configure (the default with -Request), resource.delete, promise.configure (the default without), promise.delete.</summary>
    [Parameter]
    [ValidateChoice("resource.configure", "resource.delete", "promise.configure", "promise.delete")]
    [ArgumentCompleter(typeof(WorkflowCompleter))]
    public string? Workflow { get; set; }

    /// <summary>Runs only the pipeline of this name.</summary>
    [Parameter]
    [ValidateNotNullOrEmpty]
    [ArgumentCompleter(typeof(PipelineNameCompleter))]
    public string? Pipeline { get; set; }

    /// <summary>The pipeline runtime: Auto (the first of Podman, Docker and Host that works here), Podman, Docker or Host.</summary>
    [Parameter]
    [ValidateChoice(RuntimeNames.Auto, RuntimeNames.Podman, RuntimeNames.Docker, RuntimeNames.Host)]
    [ArgumentCompleter(typeof(RuntimeCompleter))]
    public string Runtime { get; set; } = RuntimeNames.Auto;

    /// <summary>For the Host runtime: image reference → folder laid out like the image, or → @{ Path = ...; Entrypoint = @(...); Cmd = @(...) }.</summary>
    [Parameter]
    public IDictionary? ImageMap { get; set; }

    /// <summary>Extra arguments for the container engine's run command (Podman or Docker; both with Auto).</summary>
    [Parameter]
    public string[]? RuntimeArgument { get; set; }

    /// <summary>Each container's time limit (default 10 minutes).</summary>
    [Parameter]
    public TimeSpan? Timeout { get; set; }

    /// <summary>The most each pipeline may write to /kratix/output, in bytes (default 64 MiB); a pipeline that writes more fails (PipelineOutputTooLarge).</summary>
    [Parameter]
    [ValidateRange(1L, long.MaxValue)]
    public long? MaxOutputBytes { get; set; }

    /// <summary>Keeps each pipeline's workspace in &lt;OutputPath&gt;/&lt;pipeline&gt;/{input,output,metadata,logs}, replacing what an earlier run left there.</summary>
    [Parameter]
    [ValidateNotNullOrEmpty]
    public string? OutputPath { get; set; }

    /// <summary>ConfigMaps for env valueFrom and envFrom: @{ '&lt;name&gt;' = @{ '&lt;key&gt;' = '&lt;value&gt;' } }.</summary>
    [Parameter]
    public IDictionary? ConfigMap { get; set; }

    /// <summary>Secrets for env valueFrom and envFrom, like -ConfigMap. Their values reach only the containers' environment; they are masked in verbose output and errors.</summary>
    [Parameter]
    public IDictionary? Secret { get; set; }

    /// <summary>Lets the containers use the network (they run without one otherwise, unless the Pipeline allows it).</summary>
    [Parameter]
    public SwitchParameter Network { get; set; }

    /// <summary>The status the object starts with, to test a pipeline that reads what an earlier one wrote.</summary>
    [Parameter]
    public IDictionary? Status { get; set; }

    protected override void ProcessRecord()
    {
        var invocation = _invocation ??= Setup(CreateInvocation, Promise);
        IReadOnlyList<ManifestItem?> requests;
        if (Request is null)
        {
            requests = [null];
        }
        else
        {
            try
            {
                requests = ManifestsFrom(Request);
            }
            catch (KratixException ex)
            {
                Report(ex, Request);
                return;
            }
        }

        foreach (var item in requests)
        {
            WorkflowRequest workflowRequest;
            try
            {
                workflowRequest = invocation.Prepare(item, TimeProvider.System, out var warnings);
                foreach (var warning in warnings)
                {
                    WriteWarning(warning);
                }
            }
            catch (KratixException ex)
            {
                Report(ex, item?.Describe());
                continue;
            }

            var target = item is null ? $"Promise \"{invocation.Promise.Name}\"" : item.Describe();
            if (!ShouldProcess(target, $"Run the {invocation.Workflow} workflow" + (Pipeline is null ? string.Empty : $" pipeline \"{Pipeline}\"")))
            {
                continue;
            }

            var runtime = Setup(() => invocation.ResolveRuntimeAsync(Cancellation).GetAwaiter().GetResult(), Runtime);
            WorkflowResult result;
            try
            {
                result = RunWithProgress(progress => invocation.RunAsync(workflowRequest, runtime, progress, Cancellation), _values.Redact);
            }
            catch (KratixException ex)
            {
                Report(ex, target, terminating: true);
                return;
            }
            catch (OperationCanceledException ex)
            {
                ThrowTerminatingError(new ErrorRecord(ex, "OperationStopped", ErrorCategory.OperationStopped, target));
                return;
            }

            foreach (var view in PipelineResultView.From(result, _values))
            {
                var output = PipelineResultObject.From(view);
                WriteObject(output);
                if (view.Phase == PipelinePhases.Failed)
                {
                    Report(new KratixException("PipelineFailed", view.FailureCategory, view.FailureMessage ?? view.Name), output);
                }
            }
        }
    }

    private PipelineInvocation CreateInvocation()
    {
        _values = ValueSources.From(ConfigMap, Secret, Unwrap);
        var promise = PipelineInvocation.ReadPromise(ManifestsFrom(Promise), Unwrap(Promise) is string path ? path : "-Promise");
        return PipelineInvocation.Create(promise, new PipelineInvocationOptions
        {
            Workflow = Workflow,
            Pipeline = Pipeline,
            Status = ToJson(Status) as System.Text.Json.Nodes.JsonObject,
            Values = _values,
            Runtime = Runtime,
            Images = HostImageMap.From(ImageMap, GetUnresolvedProviderPathFromPSPath, Unwrap),
            RuntimeArguments = RuntimeArgument,
            Timeout = Timeout,
            MaxOutputBytes = MaxOutputBytes,
            OutputPath = OutputPath is null ? null : GetUnresolvedProviderPathFromPSPath(OutputPath),
            Network = Network.IsPresent,
        }, hasRequest: Request is not null);
    }

    /// <summary>Runs a setup step; its KratixException (bad Promise, unknown workflow or pipeline, unavailable runtime) is a terminating error.</summary>
    private T Setup<T>(Func<T> step, object? target)
    {
        try
        {
            return step();
        }
        catch (KratixException ex)
        {
            Report(ex, target, terminating: true);
            throw; // not reached: Report throws a terminating error
        }
        catch (OperationCanceledException ex)
        {
            ThrowTerminatingError(new ErrorRecord(ex, "OperationStopped", ErrorCategory.OperationStopped, target));
            throw;
        }
    }
}
