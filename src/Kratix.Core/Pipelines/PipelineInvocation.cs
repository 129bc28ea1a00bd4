using System.Text.Json.Nodes;
using Kratix.Admission;
using Kratix.Manifests;
using Kratix.Objects;
using Kratix.Pipelines.Runtimes;
using Kratix.Schema;

namespace Kratix.Pipelines;

/// <summary>What Invoke-KratixPipeline asks for besides the Promise and the request.</summary>
public sealed record PipelineInvocationOptions
{
    /// <summary><c>&lt;type&gt;.&lt;action&gt;</c>, e.g. <c>resource.configure</c>; null: resource.configure with a request, promise.configure without.</summary>
    public string? Workflow { get; init; }

    /// <summary>Runs only the pipeline of this name; null runs the workflow's pipelines as the platform would.</summary>
    public string? Pipeline { get; init; }

    /// <summary>The status the object starts with (replacing any it has), to test a pipeline that reads an earlier one's status.</summary>
    public JsonObject? Status { get; init; }

    public ValueSources Values { get; init; } = ValueSources.None;

    /// <summary>Auto, Podman, Docker or Host.</summary>
    public string Runtime { get; init; } = PipelineRuntimes.Auto;

    /// <summary>The Host runtime's image map.</summary>
    public IReadOnlyDictionary<string, HostImage> Images { get; init; } = new Dictionary<string, HostImage>();

    /// <summary>Extra engine arguments, for Podman or Docker (both with Auto).</summary>
    public IReadOnlyList<string>? RuntimeArguments { get; init; }

    /// <summary>Each container's time limit; null is the default (10 minutes).</summary>
    public TimeSpan? Timeout { get; init; }

    /// <summary>The most each pipeline may write to /kratix/output, in bytes; null is the default (64 MiB).</summary>
    public long? MaxOutputBytes { get; init; }

    /// <summary>Keep each pipeline's workspace in <c>&lt;OutputPath&gt;/&lt;pipeline&gt;/{input,output,metadata,logs}</c> (replaced on every run).</summary>
    public string? OutputPath { get; init; }

    /// <summary>Lets the containers use the network.</summary>
    public bool Network { get; init; }
}

/// <summary>
/// Runs a Promise's workflow with no platform (Invoke-KratixPipeline): the Promise is admitted offline, the request is
/// validated and defaulted against the Promise's API and given the metadata the platform would store with it, so a
/// pipeline sees the object it would see on a platform; then the workflow runs through <see cref="WorkflowExecutor"/>.
/// Problems with the Promise, the workflow, the pipeline name or the runtime are found before anything runs.
/// </summary>
public sealed class PipelineInvocation
{
    /// <summary>The workflows by name, in the order Invoke-KratixPipeline -Workflow lists them.</summary>
    public static IReadOnlyList<string> WorkflowNames { get; } = ["resource.configure", "resource.delete", "promise.configure", "promise.delete"];

    private readonly PipelineInvocationOptions _options;
    private readonly string _type;
    private readonly string _action;
    private readonly IReadOnlyList<Pipeline> _pipelines;
    private IContainerRuntime? _runtime;

    private PipelineInvocation(Promise promise, PipelineInvocationOptions options, string type, string action, IReadOnlyList<Pipeline> pipelines)
    {
        Promise = promise;
        _options = options;
        _type = type;
        _action = action;
        _pipelines = pipelines;
    }

    public Promise Promise { get; }

    /// <summary><c>&lt;type&gt;.&lt;action&gt;</c>, e.g. <c>resource.configure</c>.</summary>
    public string Workflow => $"{_type}.{_action}";

    public bool IsResourceWorkflow => _type == WorkflowTypes.Resource;

    /// <summary>
    /// Picks the one Promise among <paramref name="items"/> (a file may hold other documents too) and admits it as the
    /// platform would, offline (PromiseInvalid lists every problem).
    /// </summary>
    public static Promise ReadPromise(IReadOnlyList<ManifestItem> items, string source)
    {
        var promises = items.Where(i => i.Kind == KratixApi.PromiseKind).ToList();
        if (promises.Count != 1)
        {
            throw new KratixException(
                promises.Count == 0 ? "PromiseNotFound" : "PromiseAmbiguous",
                promises.Count == 0 ? KratixErrorCategory.ObjectNotFound : KratixErrorCategory.InvalidArgument,
                promises.Count == 0
                    ? $"{source} holds no Promise (kind: Promise, apiVersion: {KratixApi.ApiVersion}). Give a Promise file, a Promise object from Get-KratixPromise, or a Promise manifest as a hashtable."
                    : $"{source} holds {promises.Count} Promises ({string.Join(", ", promises.Select(p => p.Describe()))}); give one.",
                source);
        }

        var (promise, _) = PromiseAdmission.Admit(promises[0].Node.DeepClone().AsObject(), null);
        return promise;
    }

    /// <summary>
    /// Checks what can be checked before any request is read: the output limit, the workflow name (defaulted from whether
    /// a request is given), that the Promise has that workflow, and that <see cref="PipelineInvocationOptions.Pipeline"/>
    /// names one of its pipelines. Runtime problems are found by <see cref="ResolveRuntimeAsync"/>.
    /// </summary>
    public static PipelineInvocation Create(Promise promise, PipelineInvocationOptions options, bool hasRequest)
    {
        if (options.MaxOutputBytes is <= 0)
        {
            throw new KratixException(
                "PipelineOutputLimitInvalid",
                KratixErrorCategory.InvalidArgument,
                $"-MaxOutputBytes must be a positive number of bytes (the default is {WorkflowExecutorOptions.DefaultMaxOutputBytes}, 64 MiB); {options.MaxOutputBytes} is not.",
                options.MaxOutputBytes);
        }

        var workflow = options.Workflow ?? (hasRequest ? "resource.configure" : "promise.configure");
        var known = WorkflowNames.FirstOrDefault(w => string.Equals(w, workflow, StringComparison.OrdinalIgnoreCase))
            ?? throw new KratixException("WorkflowUnknown", KratixErrorCategory.InvalidArgument, $"\"{workflow}\" is not a workflow; choose one of {string.Join(", ", WorkflowNames)}.", workflow);
        var (type, action) = (known[..known.IndexOf('.', StringComparison.Ordinal)], known[(known.IndexOf('.', StringComparison.Ordinal) + 1)..]);
        if (type == WorkflowTypes.Resource && !hasRequest)
        {
            throw new KratixException("RequestRequired", KratixErrorCategory.InvalidArgument, $"The {known} workflow runs for a resource request: give -Request (a file, a request object or a hashtable).", known);
        }

        if (type == WorkflowTypes.Promise && hasRequest)
        {
            throw new KratixException("RequestNotUsed", KratixErrorCategory.InvalidArgument, $"The {known} workflow runs for the Promise itself, not for a request: leave out -Request, or choose -Workflow resource.{action}.", known);
        }

        if (type == WorkflowTypes.Resource && promise.Api is null)
        {
            throw new KratixException("PromiseHasNoApi", KratixErrorCategory.InvalidOperation, $"Promise \"{promise.Name}\" has no API, so it takes no requests and has no resource workflows to run.", promise.Name);
        }

        var pipelines = promise.Workflows(type, action);
        if (pipelines.Count == 0)
        {
            var defined = WorkflowNames.Where(w => promise.Workflows(w[..w.IndexOf('.', StringComparison.Ordinal)], w[(w.IndexOf('.', StringComparison.Ordinal) + 1)..]).Count > 0).ToList();
            throw new KratixException(
                "WorkflowNotDefined",
                KratixErrorCategory.ObjectNotFound,
                $"Promise \"{promise.Name}\" has no {known} pipelines (spec.workflows.{type}.{action}). " + (defined.Count == 0 ? "It defines no workflows." : $"It defines: {string.Join(", ", defined)}."),
                known);
        }

        if (options.Pipeline is { } only)
        {
            // Kratix runs only the first pipeline of a delete workflow; the others can never run, so they cannot be chosen.
            var runnable = action == WorkflowTypes.Delete ? pipelines.Take(1).ToList() : pipelines;
            if (!runnable.Any(p => p.Name == only))
            {
                var skipped = action == WorkflowTypes.Delete && pipelines.Any(p => p.Name == only)
                    ? $" Kratix runs only the first pipeline of a delete workflow, \"{pipelines[0].Name}\"."
                    : string.Empty;
                throw new KratixException(
                    "PipelineNotFound",
                    KratixErrorCategory.ObjectNotFound,
                    $"Promise \"{promise.Name}\" has no {known} pipeline \"{only}\" to run. Its {known} pipelines are: {string.Join(", ", runnable.Select(p => p.Name))}.{skipped}",
                    only);
            }
        }

        return new PipelineInvocation(promise, options, type, action, pipelines);
    }

    /// <summary>
    /// The workflow request for <paramref name="request"/> (null for a Promise workflow): the request validated and
    /// defaulted against the Promise's API (RequestInvalid lists every failing field; <paramref name="warnings"/> gets the
    /// pruned fields), labelled with its Promise, in namespace default when it has none, with the metadata the platform
    /// stores (uid, creationTimestamp, generation) when absent. Its status is <see cref="PipelineInvocationOptions.Status"/>,
    /// else the status it came with (a request from Get-KratixRequest keeps its own). A request without apiVersion or
    /// kind gets the Promise's.
    /// </summary>
    public WorkflowRequest Prepare(ManifestItem? request, TimeProvider clock, out IReadOnlyList<string> warnings)
    {
        warnings = [];
        JsonObject obj;
        if (_type == WorkflowTypes.Promise)
        {
            obj = Promise.Node.DeepClone().AsObject();
            obj["status"] = _options.Status?.DeepClone() ?? PromiseStatus(obj);
        }
        else
        {
            ArgumentNullException.ThrowIfNull(request);
            obj = AdmitRequest(request, clock, out warnings);
        }

        return new WorkflowRequest(Promise, obj, _type, _action, _pipelines) { Values = _options.Values, OnlyPipeline = _options.Pipeline };
    }

    /// <summary>
    /// The runtime the options name, probed: one that cannot run containers here is PipelineRuntimeUnavailable with the
    /// reason. Auto takes the first of Podman, Docker and Host that can. Resolved once and kept.
    /// </summary>
    public async Task<IContainerRuntime> ResolveRuntimeAsync(CancellationToken cancellationToken)
    {
        if (_runtime is not null)
        {
            return _runtime;
        }

        var name = RuntimeChoice.Canonical(_options.Runtime);
        var (podman, docker) = _options.RuntimeArguments is { } arguments ? RuntimeChoice.EngineArguments(name, arguments) : (null, null);
        var options = new PipelineRuntimeOptions
        {
            PodmanArguments = podman,
            DockerArguments = docker,
            Host = new HostRuntimeOptions { Images = _options.Images },
            DefaultTimeout = _options.Timeout ?? new WorkflowExecutorOptions().ContainerTimeout,
        };
        if (name == PipelineRuntimes.Auto)
        {
            return _runtime = await PipelineRuntimes.SelectAsync(options, cancellationToken).ConfigureAwait(false);
        }

        var runtime = PipelineRuntimes.Create(name, options);
        if (await runtime.ProbeAsync(cancellationToken).ConfigureAwait(false) is { } reason)
        {
            throw new KratixException(PipelineRuntimeErrors.RuntimeUnavailable, KratixErrorCategory.ResourceUnavailable, $"The {name} runtime cannot run pipelines here: {reason}", name);
        }

        return _runtime = runtime;
    }

    /// <summary>The executor options: the time and output limits, the network, progress lines, and the kept workspaces of -OutputPath.</summary>
    public WorkflowExecutorOptions ExecutorOptions(Action<string>? progress) => new()
    {
        ContainerTimeout = _options.Timeout ?? new WorkflowExecutorOptions().ContainerTimeout,
        MaxOutputBytes = _options.MaxOutputBytes ?? WorkflowExecutorOptions.DefaultMaxOutputBytes,
        Network = _options.Network,
        Progress = progress,
        WorkspaceRoot = _options.OutputPath,
        KeepWorkspaces = _options.OutputPath is not null,
        WorkspaceName = _options.OutputPath is null ? null : pipeline => pipeline,
    };

    /// <summary>
    /// Runs the workflow for <paramref name="request"/> (from <see cref="Prepare"/>) on <paramref name="runtime"/> (from
    /// <see cref="ResolveRuntimeAsync"/>). A workspace that cannot be made is PipelineWorkspaceFailed; a failing pipeline is
    /// a result, not an exception.
    /// </summary>
    public async Task<WorkflowResult> RunAsync(WorkflowRequest request, IContainerRuntime runtime, Action<string>? progress, CancellationToken cancellationToken)
    {
        var options = ExecutorOptions(progress);
        try
        {
            if (options.WorkspaceRoot is { } root)
            {
                Directory.CreateDirectory(root);
            }

            return await new WorkflowExecutor(runtime, options).RunAsync(request, cancellationToken).ConfigureAwait(false);
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            throw new KratixException(
                "PipelineWorkspaceFailed",
                KratixErrorCategory.WriteError,
                $"Could not prepare a pipeline workspace{(options.WorkspaceRoot is { } r ? $" under {r}" : string.Empty)}: {ex.Message}",
                options.WorkspaceRoot,
                ex);
        }
    }

    private JsonObject AdmitRequest(ManifestItem item, TimeProvider clock, out IReadOnlyList<string> warnings)
    {
        var node = item.Node.DeepClone().AsObject();
        var givenStatus = node["status"] as JsonObject;
        var crd = CustomResourceDefinition.Parse(Promise.Api!);
        if (node["apiVersion"] is null)
        {
            node["apiVersion"] = $"{crd.Group}/{crd.StorageVersion.Name}";
        }

        if (node["kind"] is null)
        {
            node["kind"] = crd.Names.Kind;
        }

        var request = new ResourceRequest(node);
        if (request.Group != crd.Group || request.Kind != crd.Names.Kind)
        {
            throw new KratixException(
                "RequestKindMismatch",
                KratixErrorCategory.InvalidArgument,
                $"{item.Describe()} is a {request.Kind} ({request.ApiVersion}), but Promise \"{Promise.Name}\" provides {crd.Names.Kind} ({crd.Group}).",
                item.Describe());
        }

        RequestValidator.DefaultNamespace(node, "default");
        // Invoke-KratixPipeline keeps its behaviour from before field-validation modes: unknown fields are pruned with a warning.
        var result = RequestValidator.Validate(node, crd, new RequestValidationOptions { FieldValidation = FieldValidationMode.Warn });
        if (!result.IsValid)
        {
            throw AdmissionException.ForRequest(request.Kind, request.Name, result, item.Source);
        }

        warnings = result.Warnings;
        request.SetLabel(KratixApi.PromiseNameLabel, Promise.Name);
        var metadata = request.Metadata;
        metadata["uid"] ??= Guid.NewGuid().ToString();
        metadata["creationTimestamp"] ??= Timestamps.Format(clock.GetUtcNow());
        metadata["generation"] ??= 1;
        var status = _options.Status ?? givenStatus;
        if (status is not null)
        {
            node["status"] = status.DeepClone();
        }

        return node;
    }

    // What the Promise controller has put in a Promise's status before its configure workflow runs.
    private JsonObject PromiseStatus(JsonObject promise)
    {
        var status = promise["status"] as JsonObject ?? [];
        if (Promise.Api is { } api && status["kind"] is null)
        {
            var crd = CustomResourceDefinition.Parse(api);
            status["kind"] = crd.Names.Kind;
            status["apiVersion"] = $"{crd.Group}/{crd.StorageVersion.Name}".ToLowerInvariant();
        }

        if (Promise.GetLabel(KratixApi.PromiseVersionLabel) is { } version && status["version"] is null)
        {
            status["version"] = version;
        }

        return status;
    }
}
