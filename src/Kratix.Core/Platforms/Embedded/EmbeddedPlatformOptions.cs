using Kratix.Pipelines;
using Kratix.Pipelines.Runtimes;

namespace Kratix.Platforms.Embedded;

/// <summary>How to open an embedded platform.</summary>
public sealed record EmbeddedPlatformOptions
{
    /// <summary>The platform home directory; created when absent.</summary>
    public required string Home { get; init; }

    /// <summary>How long an operation waits for another process to release the platform.</summary>
    public TimeSpan LockTimeout { get; init; } = TimeSpan.FromMinutes(2);

    public TimeProvider Clock { get; init; } = TimeProvider.System;

    public IPlatformLog Log { get; init; } = NullPlatformLog.Instance;

    /// <summary>Runs workflow pipelines; null when no pipeline runtime is available (workflows are then reported as not run).</summary>
    public IContainerRuntime? Runtime { get; init; }

    /// <summary>The default platform home: $KRATIX_HOME, else ~/.kratix.</summary>
    public static string DefaultHome =>
        Environment.GetEnvironmentVariable("KRATIX_HOME") is { Length: > 0 } home
            ? Path.GetFullPath(home)
            : Path.Combine(Environment.GetFolderPath(Environment.SpecialFolder.UserProfile), ".kratix");
}
