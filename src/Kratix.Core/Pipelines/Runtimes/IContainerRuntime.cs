namespace Kratix.Pipelines.Runtimes;

/// <summary>
/// Runs one pipeline container over a workspace: <c>/kratix/input</c> read-only, <c>/kratix/output</c> and
/// <c>/kratix/metadata</c> writable. Implementations: Podman and Docker (through their CLI) and Host (bubblewrap).
/// </summary>
public interface IContainerRuntime
{
    /// <summary>The runtime's name as users choose it: Podman, Docker or Host.</summary>
    string Name { get; }

    /// <summary>Null when this runtime can run containers here; otherwise why not, in words a user can act on.</summary>
    Task<string?> ProbeAsync(CancellationToken cancellationToken);

    /// <summary>
    /// Runs the container to completion, its time limit or cancellation. A non-zero exit is a result, not an exception;
    /// exceptions mean the runtime itself failed (missing image, runtime not installed) and carry a KratixException.
    /// Cancellation stops the container and removes it before the returned task completes.
    /// </summary>
    Task<ContainerRunResult> RunAsync(ContainerRunRequest request, CancellationToken cancellationToken);
}

/// <summary>
/// What to run: the container, the three workspace directories on the host, the environment in order (KRATIX_* first,
/// then the container's own env; values may be secret and must never reach a command line or a log), whether the
/// container may use the network, its time limit, and a unique id for naming the container.
/// </summary>
public sealed record ContainerRunRequest(
    ContainerSpec Container,
    string InputDirectory,
    string OutputDirectory,
    string MetadataDirectory,
    IReadOnlyList<KeyValuePair<string, string>> Environment,
    bool Network,
    TimeSpan Timeout,
    string RunId);

/// <summary>How a container ended: its exit code (-1 when it never ran to an exit), its combined stdout and stderr, how long it took, and whether it hit its time limit.</summary>
public sealed record ContainerRunResult(int ExitCode, string Log, TimeSpan Duration, bool TimedOut)
{
    public bool Succeeded => ExitCode == 0 && !TimedOut;
}
