using System.Text.Json.Nodes;
using Kratix.Objects;
using Kratix.Pipelines;
using Kratix.Pipelines.Runtimes;
using Kratix.Schema;
using Kratix.StateStores;

namespace Kratix.Platforms.Embedded;

/// <summary>What every controller of the embedded platform shares: the object store, the writers, the clock and the log.</summary>
internal sealed class PlatformContext(EmbeddedPlatformOptions options)
{
    private readonly Dictionary<string, (string Version, CustomResourceDefinition Crd)> _apis = new(StringComparer.Ordinal);

    public ObjectStore Store { get; } = new(options.Home, options.Clock);

    private StateStoreWriters? _writers;

    /// <summary>The platform's Secrets (state-store credentials), under <c>&lt;home&gt;/secrets</c>.</summary>
    public SecretStore Secrets { get; } = new(options.Home, options.Clock);

    public StateStoreWriters Writers => _writers ??= new(options.Home, Secrets, options.WrapWriter);

    public EmbeddedPlatformOptions Options => options;

    public IPlatformLog Log => options.Log;

    /// <summary>The activities of the operation under way and the progress of their stages, reported to the log.</summary>
    public ProgressReporter Progress { get; } = new(options.Log, options.ProgressInterval);

    /// <summary>What the controllers did since the last reset: pipelines run, placements written and removed (Sync-KratixPlatform reports it).</summary>
    public PlatformStats Stats { get; } = new();

    /// <summary>
    /// Where an embedded platform's pipelines get their workspaces unless the options say otherwise: a folder of the
    /// temporary directory that belongs to this platform home, so that under the platform lock whatever is in it was
    /// left by a process that died during a pipeline.
    /// </summary>
    public static string DefaultWorkspaceRoot(string home)
    {
        var id = Convert.ToHexString(System.Security.Cryptography.SHA256.HashData(System.Text.Encoding.UTF8.GetBytes(Path.GetFullPath(home))))[..16].ToLowerInvariant();
        return Path.Combine(WorkspaceParent(), "kratix-pipelines", "platform-" + id);
    }

    /// <summary>
    /// Where workspaces go: <c>/dev/shm</c> (a tmpfs: creating and deleting a run's three folders and its files costs no
    /// disk journal, and never slows down as ext4 does after many deletions) when it is there and writable, else the
    /// temporary directory. Workspaces are scratch space: a crash loses nothing that is not re-run.
    /// </summary>
    private static string WorkspaceParent()
    {
        const string shm = "/dev/shm";
        if (OperatingSystem.IsLinux() && Directory.Exists(shm) && Access(shm, 2 /* W_OK */ | 1 /* X_OK */) == 0)
        {
            return shm;
        }

        return Path.GetTempPath();
    }

    [System.Runtime.InteropServices.DllImport("libc", EntryPoint = "access", SetLastError = true)]
    private static extern int Access([System.Runtime.InteropServices.MarshalAs(System.Runtime.InteropServices.UnmanagedType.LPUTF8Str)] string path, int mode);

    /// <summary>Work to do once the current operation's own changes are done (what a platform Destination's agent applies).</summary>
    public Queue<(string What, Action<CancellationToken> Action)> Deferred { get; } = new();

    internal const string NoRuntimeMessage = "no pipeline runtime can run on this platform, so workflows cannot run";

    private WorkflowExecutor? _executor;
    private string? _runtimeProblem;

    /// <summary>The executor over the platform's runtime, chosen on first use; null (with a warning) when none can run here.</summary>
    public WorkflowExecutor? Runtime()
    {
        if (_executor is not null || _runtimeProblem is not null)
        {
            return _executor;
        }

        IContainerRuntime? runtime = options.Runtime;
        if (runtime is null && options.RuntimeSelector is { } select)
        {
            try
            {
                runtime = select(CancellationToken.None);
            }
            catch (KratixException ex)
            {
                _runtimeProblem = ex.Message;
                Log.Warning($"No pipeline runtime can run here: {ex.Message}");
                return null;
            }
        }

        if (runtime is null)
        {
            _runtimeProblem = NoRuntimeMessage;
            return null;
        }

        _executor = new WorkflowExecutor(runtime, options.Workflows with { Progress = options.Workflows.Progress ?? Log.Verbose });
        return _executor;
    }

    public DateTimeOffset Now => options.Clock.GetUtcNow();

    public IReadOnlyList<Promise> Promises() => Store.List(ResourceType.Promise).Select(n => new Promise(n)).ToList();

    public Promise? Promise(string name) => Store.Get(ResourceType.Promise, null, name) is { } node ? new Promise(node) : null;

    public IReadOnlyList<Destination> Destinations() => Store.List(ResourceType.Destination).Select(n => new Destination(n)).ToList();

    public KubeObject? StateStore(string kind, string name) => kind switch
    {
        KratixApi.GitStateStoreKind => Store.Get(ResourceType.GitStateStore, null, name) is { } g ? new GitStateStore(g) : null,
        KratixApi.BucketStateStoreKind => Store.Get(ResourceType.BucketStateStore, null, name) is { } b ? new BucketStateStore(b) : null,
        _ => null,
    };

    /// <summary>The parsed API of a Promise, cached by its resourceVersion.</summary>
    public CustomResourceDefinition? ApiOf(Promise promise)
    {
        if (promise.Api is null)
        {
            return null;
        }

        var version = promise.Metadata.GetString("resourceVersion") ?? string.Empty;
        if (_apis.TryGetValue(promise.Name, out var cached) && cached.Version == version && version.Length > 0)
        {
            return cached.Crd;
        }

        var crd = CustomResourceDefinition.Parse(promise.Api);
        _apis[promise.Name] = (version, crd);
        return crd;
    }

    /// <summary>Where a Promise's requests are stored.</summary>
    public ResourceType RequestTypeOf(CustomResourceDefinition crd) => new(crd.Group, crd.Names.Kind, crd.Names.Plural, Namespaced: true);

    /// <summary>The Promise whose API defines this group and kind, or null.</summary>
    public (Promise Promise, CustomResourceDefinition Crd)? PromiseForKind(string group, string kind)
    {
        foreach (var promise in Promises())
        {
            if (ApiOf(promise) is { } crd && crd.Group == group && crd.Names.Kind == kind)
            {
                return (promise, crd);
            }
        }

        return null;
    }

    /// <summary>Saves an object in the platform home, and says so in the verbose log.</summary>
    public JsonObject Save(ResourceType type, KubeObject obj)
    {
        var saved = Store.Put(type, obj.Node);
        Log.Verbose($"Saved {obj.Kind} {Describe(obj.Namespace, obj.Name)} ({Path.GetRelativePath(options.Home, Store.PathOf(type, obj.Namespace, obj.Name))}).");
        return saved;
    }

    /// <summary>Deletes an object from the platform home, saying so in the verbose log; false when it was not there.</summary>
    public bool Delete(ResourceType type, string? ns, string name)
    {
        var deleted = Store.Delete(type, ns, name);
        if (deleted)
        {
            Log.Verbose($"Deleted {type.Kind} {Describe(ns, name)} ({Path.GetRelativePath(options.Home, Store.PathOf(type, ns, name))}).");
        }

        return deleted;
    }

    /// <summary>
    /// Writes changes to a state store (one batch: one commit on a Git store) and says in the verbose log what that did:
    /// the commit and where it was pushed, or that the store already held everything, then each file written or removed.
    /// </summary>
    public StateStoreWriteResult WriteToStore(KubeObject store, IReadOnlyList<StateStoreChange> changes, CancellationToken cancellationToken)
    {
        // What the operation wrote so far is made durable before anything leaves the home (group commit): a crash after
        // the push never finds files on the store that no object in the home accounts for.
        Store.Commit();
        var result = Writers.For(store).WriteAsync(changes, cancellationToken).GetAwaiter().GetResult();
        var what = $"{store.Kind} \"{store.Name}\"";
        // A URL may carry a user and password: redacted, as the writers' own messages are.
        var where = store.Kind == KratixApi.GitStateStoreKind ? $"{SecretRedactor.Redact(new GitStateStore(store.Node).Url)} (branch {new GitStateStore(store.Node).Branch})"
            : $"bucket \"{new BucketStateStore(store.Node).BucketName}\" at {SecretRedactor.Redact(new BucketStateStore(store.Node).Endpoint)}";
        if (!result.Changed)
        {
            Log.Verbose($"{what}: {where} already holds all {changes.Count} change(s); nothing written" + (result.VersionId is { } head ? $" (at commit {head})." : "."));
            return result;
        }

        var altered = result.Altered ?? Enumerable.Range(0, changes.Count).ToList();
        Log.Verbose(result.VersionId is { } commit
            ? $"{what}: commit {commit} pushed to {where}: {altered.Count} of {changes.Count} change(s)."
            : $"{what}: {altered.Count} of {changes.Count} change(s) written to {where}.");
        var basePath = store.Spec.GetString("path") is { Length: > 0 } root ? root.Trim('/') + "/" : string.Empty;
        foreach (var change in altered.Select(i => changes[i]))
        {
            foreach (var deletion in change.Deletions.Where(d => !change.Files.Any(f => f.Path == d)))
            {
                Log.Verbose($"{what}: removed {basePath}{deletion}");
            }

            foreach (var file in change.Files)
            {
                Log.Verbose($"{what}: wrote {basePath}{file.Path}");
            }
        }

        return result;
    }

    private static string Describe(string? ns, string name) => ns is null ? $"\"{name}\"" : $"{ns}/{name}";
}

/// <summary>Counters the controllers keep while an operation runs.</summary>
internal sealed class PlatformStats
{
    public int PipelinesRun { get; set; }

    public int PlacementsWritten { get; set; }

    public int PlacementsRemoved { get; set; }

    public int WorksRemoved { get; set; }

    public void Reset()
    {
        PipelinesRun = 0;
        PlacementsWritten = 0;
        PlacementsRemoved = 0;
        WorksRemoved = 0;
    }
}
