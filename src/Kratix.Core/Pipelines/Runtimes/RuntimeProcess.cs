using System.ComponentModel;
using System.Diagnostics;

namespace Kratix.Pipelines.Runtimes;

/// <summary>How a runtime's process ended: exit code (-1 when it was stopped), the capped combined log, the tail of stderr alone (where a container engine explains its own failures), and the wall time.</summary>
internal sealed record ProcessOutcome(int ExitCode, bool TimedOut, string Log, string StderrTail, TimeSpan Duration);

/// <summary>
/// Runs the one process behind a container run (the podman/docker CLI or bwrap): stdin closed, stdout and stderr pumped
/// concurrently into one <see cref="CappedLog"/> as they arrive, a time limit, and cancellation. On either, the
/// runtime's own stop action runs first (removing the container, for the CLIs), then the whole process tree is killed,
/// so nothing is left running when this returns or throws.
/// </summary>
internal static class RuntimeProcess
{
    private const int StderrTailBytes = 8 * 1024;

    /// <summary>How long output may keep arriving after the process exited (a grandchild holding the pipe open).</summary>
    private static readonly TimeSpan DrainGrace = TimeSpan.FromSeconds(5);

    /// <param name="startInfo">The process; its standard streams are redirected here.</param>
    /// <param name="timeout">The time limit, or <see cref="Timeout.InfiniteTimeSpan"/>.</param>
    /// <param name="maxLogBytes">How much of the end of the log to keep.</param>
    /// <param name="stopAsync">Stops what the process started (given the process); runs on timeout or cancellation, before the tree is killed.</param>
    /// <param name="beforeStart">Runs right before the process starts, on the same thread (e.g. to make a descriptor inheritable).</param>
    /// <param name="afterStart">Runs right after the process started (or failed to), on the same thread, e.g. to close the parent's copy of that descriptor.</param>
    /// <param name="startOnSpawnThread">Start the process from <see cref="SpawnThread"/>, for processes that die with the thread that started them.</param>
    /// <param name="cancellationToken">Stops the run and throws <see cref="OperationCanceledException"/> once everything is stopped.</param>
    /// <exception cref="Win32Exception">The executable could not be started; callers turn it into a KratixException.</exception>
    public static async Task<ProcessOutcome> RunAsync(
        ProcessStartInfo startInfo,
        TimeSpan timeout,
        int maxLogBytes,
        Func<Process, Task> stopAsync,
        Action? beforeStart,
        Action? afterStart,
        bool startOnSpawnThread,
        CancellationToken cancellationToken)
    {
        cancellationToken.ThrowIfCancellationRequested();
        startInfo.UseShellExecute = false;
        startInfo.CreateNoWindow = true;
        startInfo.RedirectStandardInput = true;
        startInfo.RedirectStandardOutput = true;
        startInfo.RedirectStandardError = true;

        var log = new CappedLog(maxLogBytes);
        var stderrTail = new CappedLog(StderrTailBytes);
        using var process = new Process { StartInfo = startInfo };
        var stopwatch = Stopwatch.StartNew();
        void Start()
        {
            try
            {
                beforeStart?.Invoke();
                process.Start();
            }
            finally
            {
                afterStart?.Invoke();
            }
        }
        if (startOnSpawnThread)
        {
            SpawnThread.Run(Start);
        }
        else
        {
            Start();
        }
        CloseQuietly(process.StandardInput);
        var pumps = Task.WhenAll(
            PumpAsync(process.StandardOutput.BaseStream, log, null),
            PumpAsync(process.StandardError.BaseStream, log, stderrTail));

        using var timeoutSource = new CancellationTokenSource(timeout);
        using var linked = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken, timeoutSource.Token);
        var stopped = false;
        try
        {
            await process.WaitForExitAsync(linked.Token).ConfigureAwait(false);
        }
        catch (OperationCanceledException) when (linked.IsCancellationRequested)
        {
            stopped = true;
            try
            {
                await stopAsync(process).ConfigureAwait(false);
            }
            finally
            {
                KillTree(process);
                await process.WaitForExitAsync(CancellationToken.None).ConfigureAwait(false);
            }
        }
        await Task.WhenAny(pumps, Task.Delay(DrainGrace, CancellationToken.None)).ConfigureAwait(false);
        var duration = stopwatch.Elapsed;
        if (stopped && cancellationToken.IsCancellationRequested)
        {
            throw new OperationCanceledException("The container run was cancelled; it has been stopped and removed.", cancellationToken);
        }
        return new ProcessOutcome(stopped ? -1 : process.ExitCode, stopped, log.ToString(), stderrTail.ToString(), duration);
    }

    /// <summary>Kills a process and all its descendants; a process that already exited is not an error.</summary>
    public static void KillTree(Process process)
    {
        try
        {
            if (!process.HasExited)
            {
                process.Kill(entireProcessTree: true);
            }
        }
        catch (Exception e) when (e is InvalidOperationException or Win32Exception or NotSupportedException)
        {
            // Already exited, or exited while its tree was walked.
        }
    }

    private static async Task PumpAsync(Stream stream, CappedLog log, CappedLog? copy)
    {
        var buffer = new byte[16 * 1024];
        try
        {
            int read;
            while ((read = await stream.ReadAsync(buffer, CancellationToken.None).ConfigureAwait(false)) > 0)
            {
                log.Append(buffer.AsSpan(0, read));
                copy?.Append(buffer.AsSpan(0, read));
            }
        }
        catch (Exception e) when (e is IOException or ObjectDisposedException)
        {
            // The pipe went away with the process: what arrived is kept.
        }
    }

    private static void CloseQuietly(StreamWriter writer)
    {
        try
        {
            writer.Close();
        }
        catch (IOException)
        {
            // The process already exited and closed its end.
        }
    }
}
