namespace Kratix.Platforms;

/// <summary>
/// How far a long operation has got, as the engine reports it through <see cref="IPlatformLog.Progress"/>: an activity
/// (submitting a batch of requests, a platform sync, a Promise install), the stage it is in, and how many of the stage's
/// items are done. Reports come from whichever thread does the work (workflows run side by side); a host that must write
/// them from one thread queues them (the PowerShell cmdlets do). Within a stage they are throttled: its start, its last item, and in between at most one report per 100 ms.
/// </summary>
/// <param name="Activity">What the whole operation does, e.g. <c>Submitting 1,000 requests</c>.</param>
/// <param name="Stage">The step it is in, e.g. <c>Running workflows</c>.</param>
/// <param name="Completed">Items of the stage done so far.</param>
/// <param name="Total">Items in the stage; 0 when the stage has no count.</param>
public sealed record PlatformProgress(string Activity, string Stage, int Completed, int Total)
{
    /// <summary>0 for an operation's own activity; 1 for one nested in it (a sync's requests of one Promise), and so on.</summary>
    public int Level { get; init; }

    /// <summary>The item last done, when there is one to name, e.g. <c>redis default/example: Succeeded in 1.2 s</c>.</summary>
    public string? Current { get; init; }

    /// <summary>True on the last report of an activity: it is over (done, failed or stopped).</summary>
    public bool Finished { get; init; }

    /// <summary>Completed as a percentage of Total, or null when the stage has no count.</summary>
    public int? PercentComplete => Total > 0 ? (int)Math.Clamp(Completed * 100L / Total, 0, 100) : null;
}
