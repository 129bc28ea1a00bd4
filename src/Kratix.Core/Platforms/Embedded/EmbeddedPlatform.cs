using System.Text.Json.Nodes;
using Kratix.Manifests;
using Kratix.Objects;
using Kratix.Pipelines;
using Kratix.Pipelines.Runtimes;
using Kratix.Presentation;
using Kratix.Schema;
using Kratix.StateStores;

namespace Kratix.Platforms.Embedded;

/// <summary>
/// The whole Kratix reconciliation in-process, over a platform home directory. Each operation holds the platform's
/// cross-process lock from start to finish, so concurrent PowerShell sessions never interleave half-done work.
/// </summary>
public sealed partial class EmbeddedPlatform : IKratixPlatform
{
    private readonly PlatformContext _context;
    private readonly WorkController _works;
    private readonly WorkflowController _workflows;
    private readonly PromiseController _promises;
    private readonly RequestController _requests;
    private readonly DestinationController _destinations;
    private readonly StateStoreController _stateStores;
    private readonly PlatformApplier _applier;

    public EmbeddedPlatform(EmbeddedPlatformOptions options)
    {
        Directory.CreateDirectory(options.Home);
        var home = Path.GetFullPath(options.Home);
        var workflows = options.Workflows.WorkspaceRoot is null
            ? options.Workflows with { WorkspaceRoot = PlatformContext.DefaultWorkspaceRoot(home) }
            : options.Workflows;
        _context = new PlatformContext(options with { Home = home, Workflows = workflows });
        _works = new WorkController(_context, () => _applier!);
        _workflows = new WorkflowController(_context, _works);
        _requests = new RequestController(_context, _works, _workflows);
        _promises = new PromiseController(_context, _works, _workflows, () => _requests);
        _destinations = new DestinationController(_context, _works);
        _stateStores = new StateStoreController(_context);
        _applier = new PlatformApplier(_context, () => _promises, () => _requests);
    }

    /// <summary>Opens the platform in a home directory with default options.</summary>
    public static EmbeddedPlatform Open(string home, IPlatformLog? log = null) => new(OptionsFor(home, log ?? NullPlatformLog.Instance));

    /// <summary>The options a platform home's settings (<see cref="PlatformSettings"/>) give: its runtime, chosen on first use, and its limits.</summary>
    public static EmbeddedPlatformOptions OptionsFor(string home, IPlatformLog log)
    {
        var settings = PlatformSettings.Load(home);
        return new EmbeddedPlatformOptions
        {
            Home = home,
            Log = log,
            RuntimeSelector = ct => PipelineRuntimes.ResolveAsync(settings.EffectiveRuntime, settings.RuntimeOptions, ct).GetAwaiter().GetResult(),
            Workflows = new WorkflowExecutorOptions { ContainerTimeout = settings.ContainerTimeout, MaxOutputBytes = settings.MaxOutputBytes, Network = settings.Network },
            ParallelWorkflows = settings.ParallelWorkflows ?? Environment.ProcessorCount,
            FieldValidation = settings.FieldValidation,
            Reconciliation = settings.Reconciliation,
        };
    }

    public string Location => _context.Options.Home;

    public string Backend => "Embedded";

    public Promise InstallPromise(JsonObject promise, CancellationToken cancellationToken = default) =>
        Locked(cancellationToken, () => _promises.Install(promise.DeepClone().AsObject(), cancellationToken));

    public void UninstallPromise(string name, CancellationToken cancellationToken = default) =>
        Locked(cancellationToken, () => _promises.Uninstall(name, cancellationToken));

    public IReadOnlyList<Promise> GetPromises() => _context.Promises();

    public ResourceRequest SubmitRequest(JsonObject request, ManifestDocument? source = null, bool allowUpdate = false, CancellationToken cancellationToken = default) =>
        Locked(cancellationToken, () => _requests.Create(request.DeepClone().AsObject(), source, allowUpdate, cancellationToken));

    public IReadOnlyList<RequestOutcome> SubmitRequests(IReadOnlyList<RequestSubmission> requests, CancellationToken cancellationToken = default) =>
        Locked(cancellationToken, () => _requests.CreateMany(requests, cancellationToken));

    public (ResourceRequest Request, ValidationResult Result) TestRequest(JsonObject request, ManifestDocument? source = null, FieldValidationMode? fieldValidation = null)
    {
        var (admitted, _, _, result) = _requests.Admit(request.DeepClone().AsObject(), source, fieldValidation);
        return (admitted, result);
    }

    public IReadOnlyList<ResourceRequest> GetRequests(string? promise = null, string? ns = null) =>
        _context.Promises().Where(p => promise is null || p.Name == promise).SelectMany(p => _requests.List(p, ns)).ToList();

    public void RemoveRequest(string promise, string ns, string name, CancellationToken cancellationToken = default) =>
        Locked(cancellationToken, () => _requests.Delete(RequirePromise(promise), ns, name, cancellationToken));

    public Promise SyncPromise(string name, bool includeRequests = false, CancellationToken cancellationToken = default) =>
        Locked(cancellationToken, () =>
        {
            var promise = _promises.Sync(name, cancellationToken);
            if (includeRequests)
            {
                _requests.ReconcileAllOf(promise, fromStart: true, cancellationToken);
            }

            return _context.Promise(name)!;
        });

    public ResourceRequest SyncRequest(string promise, string ns, string name, CancellationToken cancellationToken = default) =>
        Locked(cancellationToken, () => _requests.Sync(RequirePromise(promise), ns, name, cancellationToken));

    public PlatformSyncSummary SyncPlatform(CancellationToken cancellationToken = default) =>
        Locked(cancellationToken, () => new PlatformSync(_context, _works, _workflows, _promises, _requests, _destinations, _stateStores).Run(DrainDeferred, cancellationToken));

    public Destination RegisterDestination(JsonObject destination, CancellationToken cancellationToken = default) =>
        Locked(cancellationToken, () => _destinations.Register(destination.DeepClone().AsObject(), cancellationToken));

    public void UnregisterDestination(string name, CancellationToken cancellationToken = default) =>
        Locked(cancellationToken, () => _destinations.Unregister(name, cancellationToken));

    public IReadOnlyList<Destination> GetDestinations() => _context.Destinations();

    public KubeObject RegisterStateStore(JsonObject stateStore, CancellationToken cancellationToken = default) =>
        RegisterStateStore(stateStore, null, cancellationToken);

    public KubeObject RegisterStateStore(JsonObject stateStore, StateStoreCredentials? credentials, CancellationToken cancellationToken = default) =>
        Locked(cancellationToken, () =>
        {
            var store = _stateStores.Register(stateStore.DeepClone().AsObject(), credentials, cancellationToken);
            AfterStateStoreChecked([store], cancellationToken);
            return store;
        });

    public void RegisterSecret(JsonObject secret, CancellationToken cancellationToken = default) =>
        Locked(cancellationToken, () =>
        {
            var stores = _stateStores.RegisterSecret(secret.DeepClone().AsObject()).Select(s => _stateStores.Reconcile(s, cancellationToken)).ToList();
            if (stores.Count > 0)
            {
                AfterStateStoreChecked(stores, cancellationToken);
            }
        });

    public StateStoreTestResult TestStateStore(string kind, string name, CancellationToken cancellationToken = default) =>
        _stateStores.Test(kind, name, cancellationToken);

    public void UnregisterStateStore(string kind, string name) => Locked(default, () => _stateStores.Unregister(kind, name));

    public IReadOnlyList<KubeObject> GetStateStores() => _stateStores.List();

    public IReadOnlyList<Work> GetWorks(string? ns = null) => _works.Works(ns);

    public IReadOnlyList<WorkPlacement> GetWorkPlacements(string? ns = null) => _works.Placements(ns);

    /// <summary>Answers at once: every operation of this platform has finished its work when it returns, so waiting changes nothing.</summary>
    public KubeObject? Wait(WaitTarget target, TimeSpan timeout, CancellationToken cancellationToken = default)
    {
        KubeObject? found = target.IsPromise
            ? _context.Promise(target.Name)
            : GetRequests(target.Promise, target.Namespace ?? DefaultNamespace).FirstOrDefault(r => r.Name == target.Name);
        var (met, why) = WaitConditions.Check(target, found);
        if (!met)
        {
            throw new KratixException(
                "WaitConditionNotMet",
                KratixErrorCategory.OperationTimeout,
                $"{target.Describe()} is not {target.Goal}: {why}. The embedded platform finishes its work before each command returns, so waiting would not change that.",
                target.Name);
        }

        return target.WaitsForDeletion ? null : found;
    }

    private string DefaultNamespace => "default";

    public WorkflowRunRecord? GetWorkflowRun(string workflowType, string action, string promise, string? ns, string name) =>
        new WorkflowRuns(_context.Options.Home).ReadRecord(workflowType, action, promise, ns, name);

    /// <summary>What follows a state store check: its Destinations are reconciled (canary documents, Ready) and every Work is placed again.</summary>
    private void AfterStateStoreChecked(IReadOnlyList<KubeObject> stores, CancellationToken cancellationToken)
    {
        foreach (var destination in _context.Destinations().Where(d => stores.Any(s => d.StateStoreKind == s.Kind && d.StateStoreName == s.Name)))
        {
            _destinations.Reconcile(destination, cancellationToken);
        }

        _works.ReconcileAll(cancellationToken);
    }

    public void Dispose() => _context.Writers.DisposeAsync().AsTask().GetAwaiter().GetResult();

    /// <summary>
    /// Applies what platform Destinations received, after the operation's own changes, as their agent would. What that
    /// applies may write to them again; the bound stops a Promise that emits itself from looping for ever.
    /// </summary>
    private void DrainDeferred(CancellationToken cancellationToken)
    {
        const int MaxSteps = 10_000;
        for (var steps = 0; _context.Deferred.TryDequeue(out var next); steps++)
        {
            if (steps == MaxSteps)
            {
                _context.Deferred.Clear();
                throw new KratixException("PlatformApplyLoop", KratixErrorCategory.LimitsExceeded, $"Applying what platform Destinations received did not settle after {MaxSteps} steps (last: {next.What}). A Promise's output probably re-creates itself; check the Promises scheduled to a Destination annotated {Destination.ApplyToPlatformAnnotation}.", next.What);
            }

            cancellationToken.ThrowIfCancellationRequested();
            next.Action(cancellationToken);
        }
    }

    private Promise RequirePromise(string name) =>
        _context.Promise(name) ?? throw new KratixException("PromiseNotFound", KratixErrorCategory.ObjectNotFound, $"Promise \"{name}\" is not installed. Get-KratixPromise lists those that are.", name);

    private void Locked(CancellationToken cancellationToken, Action action) => Locked(cancellationToken, () =>
    {
        action();
        return true;
    });

    private T Locked<T>(CancellationToken cancellationToken, Func<T> action)
    {
        using var platformLock = PlatformLock.Acquire(_context.Options.Home, _context.Options.LockTimeout, cancellationToken);
        using var exclusive = _context.Store.BeginExclusive();
        try
        {
            var result = action();
            DrainDeferred(cancellationToken);
            return result;
        }
        finally
        {
            // What a failed operation left undone is re-driven by the next reconcile of its objects.
            _context.Deferred.Clear();
        }
    }
}
