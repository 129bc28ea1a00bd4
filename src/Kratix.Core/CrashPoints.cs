using System.Diagnostics;

namespace Kratix;

/// <summary>
/// Fault injection for crash-recovery tests: the places where a process killed at that instant leaves the platform
/// half-way through an operation. Production code only calls <see cref="Hit"/>, which does nothing unless a test armed
/// a point; nothing here reads the environment. The test harness (a separate process the tests start and let die)
/// arms a point from its <c>KRATIX_TEST_CRASH_AT</c> variable through the internal <see cref="Arm"/>; the process then
/// kills itself with SIGKILL when it reaches that point, as <c>kill -9</c> would: no finally block, no flush, no
/// disposal runs.
/// </summary>
internal static class CrashPoints
{
    /// <summary>A Promise or request was saved by Install-KratixPromise or New-/Set-KratixRequest; its reconcile has not started.</summary>
    public const string ObjectSaved = "object-saved";

    /// <summary>A pipeline's containers ran; its output is still in the workspace and the workspace was not removed.</summary>
    public const string PipelineRan = "pipeline-ran";

    /// <summary>A run's container logs were replaced; its run record was not written yet.</summary>
    public const string RunLogsWritten = "run-logs-written";

    /// <summary>A configure run was recorded; none of its Works were saved yet.</summary>
    public const string RunRecorded = "run-recorded";

    /// <summary>A Work was saved; its WorkPlacements were not scheduled or written yet.</summary>
    public const string WorkSaved = "work-saved";

    /// <summary>The Git writer built a batch's commits in its local bare repository; it has not pushed them.</summary>
    public const string GitCommitted = "git-committed";

    /// <summary>The Git writer pushed a batch; the platform has not recorded the placements as written.</summary>
    public const string GitPushed = "git-pushed";

    /// <summary>An object's new content is in its temporary file; the file was not renamed over the object yet.</summary>
    public const string AtomicFileTempWritten = "atomic-file-temp-written";

    /// <summary>A request's (or Promise's) delete pipeline succeeded and the object was marked for deletion; its Works are not removed yet.</summary>
    public const string DeletionMarked = "deletion-marked";

    /// <summary>A group commit wrote and synced its temporary files; none was renamed into place yet.</summary>
    public const string BatchSynced = "batch-synced";

    /// <summary>A group commit renamed (or deleted) one more of its files; the rest are still temporary files.</summary>
    public const string BatchRenamed = "batch-renamed";

    /// <summary>Every point, for tests that go through them all.</summary>
    public static IReadOnlyList<string> All { get; } =
        [ObjectSaved, PipelineRan, RunLogsWritten, RunRecorded, WorkSaved, GitCommitted, GitPushed, AtomicFileTempWritten, DeletionMarked, BatchSynced, BatchRenamed];

    private static string? _armed;
    private static int _remaining;

    /// <summary>
    /// Arms one point: <c>&lt;point&gt;</c> crashes the first time it is reached, <c>&lt;point&gt;#&lt;n&gt;</c> the n-th time.
    /// Null or empty disarms.
    /// </summary>
    internal static void Arm(string? spec)
    {
        if (string.IsNullOrEmpty(spec))
        {
            Volatile.Write(ref _armed, null);
            return;
        }

        var hash = spec.IndexOf('#', StringComparison.Ordinal);
        var point = hash < 0 ? spec : spec[..hash];
        var count = hash < 0 ? 1 : int.Parse(spec[(hash + 1)..], System.Globalization.CultureInfo.InvariantCulture);
        if (!All.Contains(point) || count < 1)
        {
            throw new ArgumentException($"Unknown crash point '{spec}'. Known: {string.Join(", ", All)}, optionally followed by #<n>.", nameof(spec));
        }

        Volatile.Write(ref _remaining, count);
        Volatile.Write(ref _armed, point);
    }

    /// <summary>Kills this process at once if <paramref name="point"/> is armed and its count is reached; otherwise nothing.</summary>
    public static void Hit(string point)
    {
        if (!ReferenceEquals(Volatile.Read(ref _armed), null) && string.Equals(_armed, point, StringComparison.Ordinal)
            && Interlocked.Decrement(ref _remaining) == 0)
        {
            Die(point);
        }
    }

    private static void Die(string point)
    {
        try
        {
            Console.Error.WriteLine($"crash point {point} reached: killing process {Environment.ProcessId}");
            Console.Error.Flush();
            using var self = Process.GetCurrentProcess();
            self.Kill(); // SIGKILL on Unix, TerminateProcess on Windows.
            Thread.Sleep(TimeSpan.FromSeconds(10)); // The signal lands while this thread waits.
        }
        finally
        {
            Environment.FailFast($"crash point {point} reached");
        }
    }
}
