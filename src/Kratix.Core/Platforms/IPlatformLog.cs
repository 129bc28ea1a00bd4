namespace Kratix.Platforms;

/// <summary>Where the engine reports what a user may want to see besides the result: warnings and verbose progress.</summary>
public interface IPlatformLog
{
    void Warning(string message);

    void Verbose(string message);
}

/// <summary>A log that drops everything.</summary>
public sealed class NullPlatformLog : IPlatformLog
{
    public static NullPlatformLog Instance { get; } = new();

    public void Warning(string message)
    {
    }

    public void Verbose(string message)
    {
    }
}

/// <summary>A log that keeps messages in order, for hosts that must write them from one thread (PowerShell) and for tests.</summary>
public sealed class CollectingPlatformLog : IPlatformLog
{
    private readonly System.Collections.Concurrent.ConcurrentQueue<(bool IsWarning, string Message)> _messages = new();

    public void Warning(string message) => _messages.Enqueue((true, message));

    public void Verbose(string message) => _messages.Enqueue((false, message));

    /// <summary>Removes and returns everything logged so far.</summary>
    public IReadOnlyList<(bool IsWarning, string Message)> Drain()
    {
        var drained = new List<(bool, string)>();
        while (_messages.TryDequeue(out var entry))
        {
            drained.Add(entry);
        }

        return drained;
    }
}
