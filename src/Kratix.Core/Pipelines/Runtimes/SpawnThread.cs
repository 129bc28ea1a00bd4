using System.Collections.Concurrent;
using System.Runtime.ExceptionServices;

namespace Kratix.Pipelines.Runtimes;

/// <summary>
/// One thread that lives as long as the process and starts processes that watch their parent. bwrap's
/// <c>--die-with-parent</c> uses <c>PR_SET_PDEATHSIG</c>, which fires when the <em>thread</em> that forked bwrap exits, not
/// the process; started from a thread-pool thread, a sandbox is killed (exit 137) whenever the pool retires that thread.
/// Started from here, it dies only with this process, which is what the option is for.
/// </summary>
internal static class SpawnThread
{
    private static readonly BlockingCollection<(Action Action, TaskCompletionSource Done)> Work = new();

    static SpawnThread()
    {
        var thread = new Thread(Loop) { IsBackground = true, Name = "Kratix process starter" };
        thread.Start();
    }

    /// <summary>Runs <paramref name="action"/> on the long-lived thread and waits for it; its exception is rethrown here.</summary>
    public static void Run(Action action)
    {
        var done = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        Work.Add((action, done));
        try
        {
            done.Task.Wait();
        }
        catch (AggregateException e) when (e.InnerExceptions.Count == 1)
        {
            ExceptionDispatchInfo.Capture(e.InnerExceptions[0]).Throw();
        }
    }

    private static void Loop()
    {
        foreach (var (action, done) in Work.GetConsumingEnumerable())
        {
            try
            {
                action();
                done.SetResult();
            }
            catch (Exception e)
            {
                done.SetException(e);
            }
        }
    }
}
