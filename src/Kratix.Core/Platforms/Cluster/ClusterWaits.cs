using Kratix.Kubernetes;
using Kratix.Objects;

namespace Kratix.Platforms.Cluster;

/// <summary>
/// Waiting for upstream's controllers: a watch on the one object (<see cref="ObjectWaiter"/>: resumed from the last
/// resourceVersion, bookmarks, reconnects, a new list after 410 Gone), each state reported as progress, and on timeout an
/// error that says which condition is not true and why.
/// </summary>
public sealed partial class ClusterPlatform
{
    /// <summary>The pause before a dropped watch is reconnected (tests shorten it).</summary>
    public TimeSpan WatchReconnectDelay { get; init; } = TimeSpan.FromMilliseconds(500);

    /// <summary>How long one watch call lasts before it is resumed.</summary>
    public TimeSpan WatchTimeout { get; init; } = TimeSpan.FromSeconds(60);

    public KubeObject? Wait(WaitTarget target, TimeSpan timeout, CancellationToken cancellationToken = default) => Run<KubeObject?>(async token =>
    {
        await RequireKratixAsync(token).ConfigureAwait(false);
        ApiResource type;
        string? ns = null;
        Promise? owner = null;
        if (target.IsPromise)
        {
            type = PromiseType;
        }
        else
        {
            var promise = await _api.GetAsync(PromiseType, null, target.Promise!, token).ConfigureAwait(false);
            if (promise is null)
            {
                // Without its Promise a request cannot exist: a wait for its deletion is over.
                return target.WaitsForDeletion ? null : throw PromiseNotFound(target.Promise!);
            }

            owner = new Promise(promise);
            type = RequestTypeOf(owner) ?? throw NoApi(target.Promise!);
            ns = type.Namespaced ? target.Namespace ?? DefaultNamespace : null;
        }

        var described = target.IsPromise ? target.Describe() : (target with { Namespace = ns ?? target.Namespace }).Describe();
        var activity = $"Waiting for {described} to be {target.Goal}";
        var clock = System.Diagnostics.Stopwatch.StartNew();
        var last = string.Empty;
        var waiter = new ObjectWaiter(_api) { ReconnectDelay = WatchReconnectDelay, WatchTimeout = WatchTimeout };
        var (found, satisfied) = await waiter.WaitAsync(
            type,
            ns,
            target.Name,
            obj => WaitConditions.IsMet(target, obj is null ? null : new KubeObject(obj)),
            timeout,
            obj =>
            {
                var (_, why) = WaitConditions.Check(target, obj is null ? null : new KubeObject(obj));
                if (why != last)
                {
                    last = why;
                    Log.Progress(new PlatformProgress(activity, why, 0, 0) { Current = $"{clock.Elapsed.TotalSeconds:0} s of {timeout.TotalSeconds:0} s" });
                    Log.Verbose($"{described}: {why}.");
                }
            },
            token).ConfigureAwait(false);
        Log.Progress(new PlatformProgress(activity, satisfied ? "Done" : "Timed out", 0, 0) { Finished = true });
        if (!satisfied)
        {
            var (_, why) = WaitConditions.Check(target, found is null ? null : new KubeObject(found));
            throw new KratixException(
                "WaitConditionNotMet",
                KratixErrorCategory.OperationTimeout,
                $"{described} was not {target.Goal} within {timeout}: {why}." + (waiter.Reconnects + waiter.Relists > 0 ? $" (The watch was resumed {waiter.Reconnects} time(s) and listed again {waiter.Relists} time(s).)" : string.Empty),
                target.Name);
        }

        return found is null ? null : owner is null ? new Promise(found) : AsRequest(found, owner);
    }, cancellationToken);
}
