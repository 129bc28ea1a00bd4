namespace Kratix.Platforms;

/// <summary>
/// Where the engine reports what a user may want to see besides the result: warnings, verbose messages (what it did:
/// objects saved, pipelines run, files written and commits made per state store) and progress through long operations.
/// Any thread may call it: workflows run side by side.
/// </summary>
public interface IPlatformLog
{
    void Warning(string message);

    void Verbose(string message);

    /// <summary>How far a long operation has got; hosts that show no progress ignore it.</summary>
    void Progress(PlatformProgress progress)
    {
    }
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

/// <summary>A log that keeps messages (and, apart, progress reports) in order, for tests and hosts that read them afterwards.</summary>
public sealed class CollectingPlatformLog : IPlatformLog
{
    private readonly System.Collections.Concurrent.ConcurrentQueue<(bool IsWarning, string Message)> _messages = new();
    private readonly System.Collections.Concurrent.ConcurrentQueue<PlatformProgress> _progress = new();

    public void Warning(string message) => _messages.Enqueue((true, message));

    public void Verbose(string message) => _messages.Enqueue((false, message));

    public void Progress(PlatformProgress progress) => _progress.Enqueue(progress);

    /// <summary>Removes and returns every progress report so far.</summary>
    public IReadOnlyList<PlatformProgress> DrainProgress()
    {
        var drained = new List<PlatformProgress>();
        while (_progress.TryDequeue(out var entry))
        {
            drained.Add(entry);
        }

        return drained;
    }

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
