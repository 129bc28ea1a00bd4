using System.Diagnostics;

namespace Kratix.Platforms.Embedded;

/// <summary>
/// The activities of the operation under way (innermost last) and the stages they report to the platform log
/// (<see cref="IPlatformLog.Progress"/>). Only the operation's own thread opens and closes activities; a stage may be
/// advanced from any thread (workflows finish side by side).
/// </summary>
internal sealed class ProgressReporter(IPlatformLog log, TimeSpan interval)
{
    private readonly List<Activity> _open = [];

    private IPlatformLog Log => log;

    /// <summary>
    /// Opens an activity: nested in the one already open, if any. Disposing it reports it finished, also when the
    /// operation failed or was stopped.
    /// </summary>
    public IDisposable Begin(string activity)
    {
        var opened = new Activity(this, activity, _open.Count);
        _open.Add(opened);
        return opened;
    }

    /// <summary>A stage of the innermost activity, reported at once (0 of <paramref name="total"/>); nothing is reported when no activity is open.</summary>
    public ProgressStage Stage(string stage, int total = 0) =>
        _open.Count == 0 ? ProgressStage.None : new ProgressStage(log, interval, _open[^1].Name, _open[^1].Level, stage, total);

    private sealed class Activity(ProgressReporter owner, string name, int level) : IDisposable
    {
        public string Name => name;

        public int Level => level;

        public void Dispose()
        {
            if (owner._open.Remove(this))
            {
                owner.Log.Progress(new PlatformProgress(name, "Done", 0, 0) { Level = level, Finished = true });
            }
        }
    }
}

/// <summary>
/// One stage of an activity. It reports its start, then, as items are done, at most once per interval
/// (<see cref="EmbeddedPlatformOptions.ProgressInterval"/>), and always the last item, so that a batch of a thousand
/// requests costs a few dozen reports, not thousands.
/// </summary>
internal sealed class ProgressStage
{
    public static ProgressStage None { get; } = new(null, TimeSpan.Zero, string.Empty, 0, string.Empty, 0);

    private readonly IPlatformLog? _log;
    private readonly TimeSpan _interval;
    private readonly string _activity;
    private readonly int _level;
    private readonly string _stage;
    private readonly int _total;
    private readonly object _gate = new();
    private int _completed;
    private int _reported;
    private long _lastReport;

    public ProgressStage(IPlatformLog? log, TimeSpan interval, string activity, int level, string stage, int total)
    {
        (_log, _interval, _activity, _level, _stage, _total) = (log, interval, activity, level, stage, total);
        if (log is not null)
        {
            _lastReport = Stopwatch.GetTimestamp();
            log.Progress(new PlatformProgress(activity, stage, 0, total) { Level = level });
        }
    }

    /// <summary>One more item done; <paramref name="current"/> names it. Safe to call from any thread.</summary>
    public void Advance(string? current = null)
    {
        if (_log is null)
        {
            return;
        }

        var done = Interlocked.Increment(ref _completed);
        var now = Stopwatch.GetTimestamp();
        lock (_gate)
        {
            // Never a smaller count after a larger one (threads race to here); the last item always.
            if (done <= _reported || (done < _total && Stopwatch.GetElapsedTime(_lastReport, now) < _interval))
            {
                return;
            }

            _reported = done;
            _lastReport = now;
            _log.Progress(new PlatformProgress(_activity, _stage, done, _total) { Level = _level, Current = current });
        }
    }
}
