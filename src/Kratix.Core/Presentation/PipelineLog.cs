using Kratix.Platforms;

// In the root namespace so that PowerShell's type name for it is Kratix.PipelineLog, the name its format views use.
namespace Kratix;

/// <summary>
/// One container's log from the last recorded run of a workflow (Get-KratixPipelineLog): whose workflow it is, the
/// pipeline and container, how the container ended, and its log text as the platform kept it (the last MiB).
/// </summary>
public sealed class PipelineLog
{
    public PipelineLog(WorkflowRunRecord run, PipelineRunRecord pipeline, ContainerRunRecord container, string log, int? tail)
    {
        Promise = run.Promise;
        Request = run.WorkflowType == Pipelines.WorkflowTypes.Resource ? run.Name : null;
        Namespace = run.Namespace;
        Workflow = run.Workflow;
        Pipeline = pipeline.Name;
        Container = container.Name;
        Image = container.Image;
        ExitCode = container.ExitCode;
        TimedOut = container.TimedOut;
        Phase = pipeline.Phase;
        Duration = container.Duration;
        Runtime = run.Runtime;
        FinishedAt = run.FinishedAt;
        Path = container.LogPath;
        Log = tail is { } lines ? Tail(log, lines) : log;
    }

    /// <summary>The Promise whose workflow ran.</summary>
    public string Promise { get; }

    /// <summary>The request's name for a resource workflow; null for the Promise's own.</summary>
    public string? Request { get; }

    public string? Namespace { get; }

    /// <summary><c>&lt;type&gt;.&lt;action&gt;</c>, e.g. <c>resource.configure</c>.</summary>
    public string Workflow { get; }

    public string Pipeline { get; }

    public string Container { get; }

    public string Image { get; }

    /// <summary>The container's exit code; -1 when it could not start (the log then says why).</summary>
    public int ExitCode { get; }

    public bool TimedOut { get; }

    /// <summary>The pipeline's phase in that run: Succeeded, Failed or Suspended.</summary>
    public string Phase { get; }

    public TimeSpan Duration { get; }

    public string Runtime { get; }

    /// <summary>When the platform recorded the run.</summary>
    public DateTimeOffset? FinishedAt { get; }

    /// <summary>The log file in the platform home.</summary>
    public string? Path { get; }

    /// <summary>The log text (stdout and stderr as the container wrote them), or its last lines with -Tail.</summary>
    public string Log { get; }

    /// <summary>Every container's log of a recorded run, in the order they ran, read from the platform home.</summary>
    public static IEnumerable<PipelineLog> From(WorkflowRunRecord run, int? tail = null)
    {
        foreach (var pipeline in run.Pipelines)
        {
            foreach (var container in pipeline.Containers)
            {
                yield return new PipelineLog(run, pipeline, container, Read(container.LogPath), tail);
            }
        }
    }

    /// <summary>The last <paramref name="lines"/> lines of <paramref name="log"/> (its final newline kept).</summary>
    public static string Tail(string log, int lines)
    {
        if (lines <= 0)
        {
            return string.Empty;
        }

        var end = log.EndsWith('\n') ? log.Length - 1 : log.Length;
        var start = end;
        for (var seen = 0; start > 0; start--)
        {
            if (log[start - 1] == '\n' && ++seen == lines)
            {
                break;
            }
        }

        return log[start..];
    }

    public override string ToString() => $"{Workflow}/{Pipeline}/{Container}";

    private static string Read(string? path)
    {
        try
        {
            return path is not null && File.Exists(path) ? File.ReadAllText(path) : string.Empty;
        }
        catch (IOException)
        {
            return string.Empty;
        }
    }
}
