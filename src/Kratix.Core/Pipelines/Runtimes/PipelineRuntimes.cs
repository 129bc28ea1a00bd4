namespace Kratix.Pipelines.Runtimes;

/// <summary>
/// Chooses a pipeline runtime by name (<c>Podman</c>, <c>Docker</c>, <c>Host</c>) or automatically: the first of them, in
/// that order, that can run containers on this machine. Containers come first because only they run a Promise's images
/// as published; Host is the fallback for machines without an engine.
/// </summary>
public static class PipelineRuntimes
{
    /// <summary>The name that selects automatically.</summary>
    public const string Auto = "Auto";

    /// <summary>The runtimes, in the order <see cref="SelectAsync"/> tries them.</summary>
    public static IReadOnlyList<string> Names { get; } = ["Podman", "Docker", "Host"];

    /// <summary>The runtime called <paramref name="name"/> (case-insensitive), whether or not it works here; its probe says.</summary>
    public static IContainerRuntime Create(string name, PipelineRuntimeOptions? options = null)
    {
        options ??= new PipelineRuntimeOptions();
        return name?.Trim().ToUpperInvariant() switch
        {
            "PODMAN" => new CliContainerRuntime(ContainerCliKind.Podman, options),
            "DOCKER" => new CliContainerRuntime(ContainerCliKind.Docker, options),
            "HOST" => new HostRuntime(options),
            _ => throw new KratixException(PipelineRuntimeErrors.RuntimeUnknown, KratixErrorCategory.InvalidArgument,
                $"'{name}' is not a pipeline runtime. Choose one of {string.Join(", ", Names)}, or {Auto} for the first that works here.",
                name),
        };
    }

    /// <summary>
    /// "Auto": the first of Podman, Docker and Host whose probe succeeds. When none does, the error lists every runtime
    /// with the reason it cannot run here.
    /// </summary>
    public static async Task<IContainerRuntime> SelectAsync(PipelineRuntimeOptions? options, CancellationToken cancellationToken)
    {
        var reasons = new List<string>();
        foreach (var name in Names)
        {
            var runtime = Create(name, options);
            var reason = await runtime.ProbeAsync(cancellationToken).ConfigureAwait(false);
            if (reason is null)
            {
                return runtime;
            }
            reasons.Add($"{name}: {reason}");
        }
        throw new KratixException(PipelineRuntimeErrors.RuntimeUnavailable, KratixErrorCategory.ResourceUnavailable,
            "No pipeline runtime can run containers on this machine. Install podman or docker, or bubblewrap (bwrap) on Linux for the Host runtime." +
            Environment.NewLine + string.Join(Environment.NewLine, reasons),
            Auto);
    }

    /// <summary><see cref="Create"/> for a runtime name, or <see cref="SelectAsync"/> when the name is <see cref="Auto"/>, null or empty.</summary>
    public static Task<IContainerRuntime> ResolveAsync(string? name, PipelineRuntimeOptions? options, CancellationToken cancellationToken) =>
        string.IsNullOrWhiteSpace(name) || string.Equals(name.Trim(), Auto, StringComparison.OrdinalIgnoreCase)
            ? SelectAsync(options, cancellationToken)
            : Task.FromResult(Create(name, options));
}
