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

    /// <summary>
    /// The shortest time between two progress reports of one stage of a long operation (<see cref="IPlatformLog.Progress"/>);
    /// a stage's first and last reports are always made.
    /// </summary>
    public TimeSpan ProgressInterval { get; init; } = TimeSpan.FromMilliseconds(100);

    /// <summary>The runtime that runs pipeline containers. When null, <see cref="RuntimeSelector"/> chooses one the first time a workflow runs.</summary>
    public IContainerRuntime? Runtime { get; init; }

    /// <summary>
    /// Chooses a runtime when <see cref="Runtime"/> is null (e.g. the first that works here); called at most once, and only
    /// when a workflow must run. It throws a KratixException saying why none works. Null: workflows are reported as not run.
    /// </summary>
    public Func<CancellationToken, IContainerRuntime>? RuntimeSelector { get; init; }

    /// <summary>Time limits, output limits and workspaces for workflow runs.</summary>
    public WorkflowExecutorOptions Workflows { get; init; } = new();

    /// <summary>
    /// How many workflows of one operation (requests submitted together, a Promise's requests rerun) may run at once; by
    /// default one per processor. Each workflow's pipelines still run one after another.
    /// </summary>
    public int ParallelWorkflows { get; init; } = Environment.ProcessorCount;

    /// <summary>
    /// How requests treat unknown fields and duplicate keys when the command does not say (<c>-FieldValidation</c>):
    /// Strict by default, as kubectl sends it.
    /// </summary>
    public Schema.FieldValidationMode FieldValidation { get; init; } = Schema.FieldValidationMode.Strict;

    /// <summary>When configure workflows run again on their own and WorkPlacements are written again (Sync-KratixPlatform).</summary>
    public ReconciliationOptions Reconciliation { get; init; } = new();

    /// <summary>Sets KRATIX_DRY_RUN=true for every workflow this platform runs: it is a dry run's scratch copy (<c>EmbeddedPlatform.DryRun.cs</c>).</summary>
    public bool DryRun { get; init; }

    /// <summary>Wraps each state store's writer (a dry run's overlay, <see cref="DryRunStateStore"/>); null writes to the stores themselves.</summary>
    internal Func<Objects.KubeObject, StateStores.IStateStoreWriter, StateStores.IStateStoreWriter>? WrapWriter { get; init; }

    /// <summary>The default platform home: $KRATIX_HOME, else ~/.kratix.</summary>
    public static string DefaultHome =>
        Environment.GetEnvironmentVariable("KRATIX_HOME") is { Length: > 0 } home
            ? Path.GetFullPath(home)
            : Path.Combine(Environment.GetFolderPath(Environment.SpecialFolder.UserProfile), ".kratix");
}
