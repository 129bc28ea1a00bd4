namespace Kratix.Platforms.Cluster;

/// <summary>How a <see cref="ClusterPlatform"/> is opened for one command.</summary>
public sealed class ClusterPlatformOptions
{
    /// <summary>Where warnings (the API server's among them), verbose messages and waiting progress go.</summary>
    public IPlatformLog Log { get; init; } = NullPlatformLog.Instance;

    /// <summary>Server-side apply with force: take ownership of fields another field manager set (the cmdlets' -Force).</summary>
    public bool ForceConflicts { get; init; }

    /// <summary>How many requests of one batch are applied at once.</summary>
    public int ParallelApplies { get; init; } = 8;

    /// <summary>How often a batch reports its progress at most (the embedded platform's default too).</summary>
    public TimeSpan ProgressInterval { get; init; } = TimeSpan.FromMilliseconds(100);

    /// <summary>How many times throttled (429) or failed (5xx) calls are tried in all.</summary>
    public int MaxAttempts { get; init; } = 5;

    /// <summary>
    /// How long a request waits for its Promise's API to be served when the Promise is installed but upstream has not
    /// made (or the API server not established) its CRD yet; then the request is refused (PromiseApiNotServed).
    /// </summary>
    public TimeSpan ApiWaitTimeout { get; init; } = TimeSpan.FromSeconds(30);
}
