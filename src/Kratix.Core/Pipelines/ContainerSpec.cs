namespace Kratix.Pipelines;

/// <summary>
/// One container of a Pipeline, as a runtime needs it: Kubernetes semantics for <see cref="Command"/> (replaces the
/// image's entrypoint) and <see cref="Args"/> (replaces the image's cmd); null means "not set", which differs from empty.
/// </summary>
public sealed record ContainerSpec(
    string Name,
    string Image,
    IReadOnlyList<string>? Command,
    IReadOnlyList<string>? Args,
    string? WorkingDir,
    ContainerLimits Limits);

/// <summary>Resource limits from <c>resources.limits</c>: CPUs (e.g. 0.2 for "200m") and memory in bytes; null when not set.</summary>
public sealed record ContainerLimits(double? Cpus, long? MemoryBytes)
{
    public static ContainerLimits None { get; } = new(null, null);
}
