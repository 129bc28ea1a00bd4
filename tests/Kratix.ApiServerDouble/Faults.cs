using System.Collections.Concurrent;

namespace Kratix.ApiServerDouble;

/// <summary>One request the double will fail on purpose: which requests, how (status, Retry-After), and how many times.</summary>
public sealed class InjectedFault
{
    private int remaining;

    internal InjectedFault(Func<RequestInfo?, string, bool> matches, int status, int? retryAfterSeconds, int times)
    {
        Matches = matches;
        Status = status;
        RetryAfterSeconds = retryAfterSeconds;
        remaining = times;
    }

    internal Func<RequestInfo?, string, bool> Matches { get; }

    public int Status { get; }

    public int? RetryAfterSeconds { get; }

    /// <summary>How many more requests it will fail.</summary>
    public int Remaining => Volatile.Read(ref remaining);

    internal bool TryConsume()
    {
        while (true)
        {
            int r = Volatile.Read(ref remaining);
            if (r <= 0)
            {
                return false;
            }

            if (Interlocked.CompareExchange(ref remaining, r - 1, r) == r)
            {
                return true;
            }
        }
    }
}

/// <summary>
/// Fault injection for tests: answer requests with 429 (and Retry-After) or 5xx, drop open watches, forget history
/// (so a watch from an old resourceVersion gets 410 Gone), send bookmarks now.
/// </summary>
public sealed class Faults
{
    private readonly ConcurrentQueue<InjectedFault> faults = new();
    private readonly Storage storage;

    internal Faults(Storage storage)
    {
        this.storage = storage;
    }

    /// <summary>
    /// Fails the next <paramref name="times"/> requests that match (by default every request; the predicate gets the
    /// resource request, or null for discovery and others, and the HTTP method) with <paramref name="status"/>.
    /// 429 and 503 carry Retry-After when <paramref name="retryAfterSeconds"/> is set.
    /// </summary>
    public InjectedFault FailNext(int status, int times = 1, int? retryAfterSeconds = null, Func<RequestInfo?, string, bool>? when = null)
    {
        var fault = new InjectedFault(when ?? ((_, _) => true), status, retryAfterSeconds, times);
        faults.Enqueue(fault);
        return fault;
    }

    /// <summary>Answers the next matching requests with 429 Too Many Requests and Retry-After.</summary>
    public InjectedFault Throttle(int retryAfterSeconds = 1, int times = 1, Func<RequestInfo?, string, bool>? when = null) =>
        FailNext(429, times, retryAfterSeconds, when);

    /// <summary>Closes every open watch connection (optionally of one group/plural store key).</summary>
    public int DropWatches(string? storeKey = null) => storage.DropWatches(storeKey);

    /// <summary>Forgets all history: every resourceVersion given out so far is too old to watch from (410 Gone).</summary>
    public void CompactHistory() => storage.Compact();

    /// <summary>Sends a bookmark to every watch that allows them.</summary>
    public void SendBookmarks() => storage.SendBookmarks();

    /// <summary>Removes every pending fault.</summary>
    public void Clear() => faults.Clear();

    internal ApiStatusException? Next(RequestInfo? info, string method)
    {
        foreach (var f in faults)
        {
            if (f.Remaining > 0 && f.Matches(info, method) && f.TryConsume())
            {
                return f.Status switch
                {
                    429 => StatusErrors.TooManyRequests(f.RetryAfterSeconds ?? 1),
                    503 => StatusErrors.ServiceUnavailable("the server is currently unable to handle the request (injected fault)", f.RetryAfterSeconds),
                    500 => StatusErrors.Internal("injected fault"),
                    504 => new ApiStatusException(504, "Timeout", "the server was unable to return a response in the time allotted, but may still be processing the request (injected fault)"),
                    _ => new ApiStatusException(f.Status, "InternalError", "injected fault", null, f.RetryAfterSeconds),
                };
            }
        }

        return null;
    }
}
