namespace Kratix.Pipelines.Runtimes;

/// <summary>
/// How pipeline containers run: which podman and docker executables, the extra arguments each engine needs on this
/// machine, whether resource limits are applied, the Host runtime's image map, and the default time limit. One options
/// object serves every runtime so that a caller configures the platform once and any runtime it selects behaves alike.
/// </summary>
public sealed record PipelineRuntimeOptions
{
    /// <summary>The environment variable that holds podman's extra arguments (space separated) when <see cref="PodmanArguments"/> is null.</summary>
    public const string PodmanArgumentsVariable = "KRATIX_PODMAN_ARGS";

    /// <summary>The environment variable that holds docker's extra arguments (space separated) when <see cref="DockerArguments"/> is null.</summary>
    public const string DockerArgumentsVariable = "KRATIX_DOCKER_ARGS";

    /// <summary>The podman executable: a name looked up on PATH, or a path.</summary>
    public string PodmanExecutable { get; init; } = "podman";

    /// <summary>The docker executable: a name looked up on PATH, or a path.</summary>
    public string DockerExecutable { get; init; } = "docker";

    /// <summary>
    /// Extra arguments for <c>podman run</c>, placed before the image (e.g. <c>--ulimit nofile=1024:1024 --runtime runc</c>).
    /// Null means: read <see cref="PodmanArgumentsVariable"/>; empty means none.
    /// </summary>
    public IReadOnlyList<string>? PodmanArguments { get; init; }

    /// <summary>Extra arguments for <c>docker run</c>; null means: read <see cref="DockerArgumentsVariable"/>.</summary>
    public IReadOnlyList<string>? DockerArguments { get; init; }

    /// <summary>Pass a container's CPU and memory limits to the engine (<c>--cpus</c>, <c>--memory</c>). The Host runtime cannot apply them.</summary>
    public bool ApplyResourceLimits { get; init; } = true;

    /// <summary>The Host runtime's settings: bwrap and the image map.</summary>
    public HostRuntimeOptions Host { get; init; } = new();

    /// <summary>The time limit of a run whose request says <see cref="TimeSpan.Zero"/>.</summary>
    public TimeSpan DefaultTimeout { get; init; } = TimeSpan.FromMinutes(10);

    /// <summary>How much of the end of each container's log is kept (1 MiB by default).</summary>
    public int MaxLogBytes { get; init; } = CappedLog.DefaultCapacity;

    /// <summary>
    /// The extra arguments for an engine: the option when set, else the environment variable split on white space
    /// (no quoting: an argument cannot contain a space), else none.
    /// </summary>
    internal IReadOnlyList<string> ExtraArgumentsFor(ContainerCliKind kind)
    {
        var configured = kind == ContainerCliKind.Podman ? PodmanArguments : DockerArguments;
        if (configured is not null)
        {
            return configured;
        }
        var variable = Environment.GetEnvironmentVariable(kind == ContainerCliKind.Podman ? PodmanArgumentsVariable : DockerArgumentsVariable);
        return string.IsNullOrWhiteSpace(variable)
            ? []
            : variable.Split((char[]?)null, StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
    }

    /// <summary>The time limit for a request: its own, or <see cref="DefaultTimeout"/> when it says zero; infinite stays infinite.</summary>
    internal TimeSpan TimeoutFor(ContainerRunRequest request)
    {
        var timeout = request.Timeout == TimeSpan.Zero ? DefaultTimeout : request.Timeout;
        if (timeout != Timeout.InfiniteTimeSpan && timeout <= TimeSpan.Zero)
        {
            throw new ArgumentOutOfRangeException(nameof(request), request.Timeout,
                "A container's time limit must be positive, TimeSpan.Zero (the default limit) or Timeout.InfiniteTimeSpan.");
        }
        return timeout;
    }
}
