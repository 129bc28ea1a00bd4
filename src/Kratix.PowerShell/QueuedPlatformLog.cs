using System.Collections.Concurrent;
using Kratix.Platforms;

namespace Kratix.PowerShell;

/// <summary>
/// The platform log of one cmdlet call: whatever thread the engine reports from (workflows run side by side on worker
/// threads), entries wait here, in order, until the pipeline thread takes them and writes them as warnings, verbose
/// messages and progress records (<see cref="KratixCmdlet"/>). PowerShell must only be written to from the pipeline thread.
/// </summary>
internal sealed class QueuedPlatformLog : IPlatformLog
{
    private readonly BlockingCollection<LogEntry> _entries = new(new ConcurrentQueue<LogEntry>());

    public void Warning(string message) => _entries.Add(new LogEntry(LogEntryKind.Warning, message, null));

    public void Verbose(string message) => _entries.Add(new LogEntry(LogEntryKind.Verbose, message, null));

    public void Progress(PlatformProgress progress) => _entries.Add(new LogEntry(LogEntryKind.Progress, null, progress));

    /// <summary>Makes a waiting <see cref="TakeBatch"/> return: the work it waits for is over.</summary>
    public void Wake() => _entries.Add(new LogEntry(LogEntryKind.Wake, null, null));

    /// <summary>Waits for at least one entry, then takes every entry there is, in order.</summary>
    public List<LogEntry> TakeBatch(CancellationToken cancellationToken = default)
    {
        var batch = new List<LogEntry> { _entries.Take(cancellationToken) };
        while (_entries.TryTake(out var next))
        {
            batch.Add(next);
        }

        return batch;
    }

    /// <summary>Takes every entry there is without waiting.</summary>
    public List<LogEntry> Drain()
    {
        var batch = new List<LogEntry>();
        while (_entries.TryTake(out var next))
        {
            batch.Add(next);
        }

        return batch;
    }
}

internal enum LogEntryKind
{
    Warning,
    Verbose,
    Progress,
    Wake,
}

internal readonly record struct LogEntry(LogEntryKind Kind, string? Message, PlatformProgress? Progress);
