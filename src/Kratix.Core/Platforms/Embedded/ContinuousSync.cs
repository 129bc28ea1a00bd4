namespace Kratix.Platforms.Embedded;

/// <summary>
/// Keeps a platform reconciled until stopped, as upstream's controllers do with requeue timers: a first pass that
/// rewrites every state store, then passes whenever something is due (a configure workflow's reconciliation interval, a
/// suspended workflow's retry time) or the poll interval has passed, rewriting the state stores again each time the
/// platform's stateStoreReconciliationInterval has passed since the last rewrite. The clock and the wait are injected,
/// so tests move time instead of sleeping.
/// </summary>
public sealed class ContinuousSync(
    Func<bool, CancellationToken, PlatformSyncSummary> pass,
    Func<ReconciliationOptions> options,
    TimeProvider clock,
    Func<TimeSpan, CancellationToken, Task>? wait = null)
{
    private readonly Func<TimeSpan, CancellationToken, Task> _wait = wait ?? ((delay, ct) => Task.Delay(delay, clock, ct));

    /// <summary>The longest wait between two passes: objects changed by other commands are picked up at the latest then.</summary>
    public TimeSpan PollInterval { get; init; } = TimeSpan.FromMinutes(1);

    /// <summary>The shortest wait between two passes, so that something due that cannot be done is not retried in a tight loop.</summary>
    public TimeSpan MinimumWait { get; init; } = TimeSpan.FromSeconds(1);

    /// <summary>
    /// Runs passes until <paramref name="cancellationToken"/> is cancelled (Ctrl+C), which ends it without an error.
    /// A pass that fails with a <see cref="KratixException"/> (another command holds the platform, a settings file is
    /// wrong) is reported through <paramref name="onError"/> and the loop goes on. Returns how many passes completed.
    /// </summary>
    public int Run(Action<PlatformSyncSummary> onPass, Action<KratixException> onError, CancellationToken cancellationToken)
    {
        DateTimeOffset? lastRewrite = null;
        var passes = 0;
        while (!cancellationToken.IsCancellationRequested)
        {
            var started = clock.GetUtcNow();
            var storeInterval = SafeOptions(onError).StateStoreInterval;
            var rewrite = lastRewrite is null || (storeInterval > TimeSpan.Zero && started - lastRewrite >= storeInterval);
            DateTimeOffset? next = null;
            try
            {
                var summary = pass(rewrite, cancellationToken);
                passes++;
                if (rewrite)
                {
                    lastRewrite = started;
                }

                next = summary.NextReconcile;
                onPass(summary);
            }
            catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
            {
                break;
            }
            catch (KratixException ex)
            {
                onError(ex);
            }

            if (lastRewrite is { } last && storeInterval > TimeSpan.Zero && (next is null || last + storeInterval < next))
            {
                next = last + storeInterval;
            }

            var now = clock.GetUtcNow();
            var delay = next is { } due ? due - now : PollInterval;
            delay = delay > PollInterval ? PollInterval : delay < MinimumWait ? MinimumWait : delay;
            try
            {
                _wait(delay, cancellationToken).GetAwaiter().GetResult();
            }
            catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
            {
                break;
            }
        }

        return passes;
    }

    private ReconciliationOptions SafeOptions(Action<KratixException> onError)
    {
        try
        {
            return options();
        }
        catch (KratixException ex)
        {
            onError(ex);
            return new ReconciliationOptions();
        }
    }
}
