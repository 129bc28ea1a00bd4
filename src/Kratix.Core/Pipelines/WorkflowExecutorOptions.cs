namespace Kratix.Pipelines;

/// <summary>How workflows run: time limits, output limits, where workspaces live and whether they are kept.</summary>
public sealed record WorkflowExecutorOptions
{
    public TimeProvider Clock { get; init; } = TimeProvider.System;

    /// <summary>How long one container may run before it is stopped and its pipeline fails.</summary>
    public TimeSpan ContainerTimeout { get; init; } = TimeSpan.FromMinutes(10);

    /// <summary>The default of <see cref="MaxOutputBytes"/>: 64 MiB.</summary>
    public const long DefaultMaxOutputBytes = 64L * 1024 * 1024;

    /// <summary>The most a pipeline may write to /kratix/output, in bytes, before it fails.</summary>
    public long MaxOutputBytes { get; init; } = DefaultMaxOutputBytes;

    /// <summary>Where workspaces are made; the system temp directory when null.</summary>
    public string? WorkspaceRoot { get; init; }

    /// <summary>
    /// Names each pipeline's workspace folder under <see cref="WorkspaceRoot"/> from the pipeline's name. By default the
    /// folder is <c>&lt;run id&gt;-&lt;index&gt;-&lt;pipeline&gt;</c>, unique to one run; Invoke-KratixPipeline -OutputPath names
    /// it after the pipeline alone (pipeline names are unique within a workflow), so a caller finds
    /// <c>&lt;root&gt;/&lt;pipeline&gt;/{input,output,metadata,logs}</c>. An existing folder of that name is replaced.
    /// </summary>
    public Func<string, string>? WorkspaceName { get; init; }

    /// <summary>Keep each pipeline's workspace (input, output, metadata, logs) instead of deleting it.</summary>
    public bool KeepWorkspaces { get; init; }

    /// <summary>Lets pipelines use the network (containers run without one otherwise).</summary>
    public bool Network { get; init; }

    /// <summary>Receives progress lines (pipeline and container starts and ends) for -Verbose.</summary>
    public Action<string>? Progress { get; init; }
}
