using System.Collections;
using System.Management.Automation;
using Kratix.Manifests;
using Kratix.Platforms;
using Kratix.Platforms.Embedded;
using Kratix.Presentation;

namespace Kratix.PowerShell;

/// <summary>
/// What every Kratix cmdlet shares: the -Platform parameter, opening the platform, turning engine errors into
/// ErrorRecords with stable ids, writing the engine's warnings on the pipeline thread, and Ctrl+C.
/// Cmdlets stay thin: bind parameters, call Kratix.Core, write objects.
/// </summary>
public abstract class KratixCmdlet : PSCmdlet
{
    private readonly CancellationTokenSource _cancellation = new();

    /// <summary>The platform home to work on; defaults to Connect-KratixPlatform's choice, then $env:KRATIX_HOME, then ~/.kratix.</summary>
    [Parameter]
    [ValidateNotNullOrEmpty]
    public string? Platform { get; set; }

    protected CancellationToken Cancellation => _cancellation.Token;

    /// <summary>The platform home this call uses, resolved against the current location.</summary>
    protected string PlatformHome =>
        Platform is not null ? GetUnresolvedProviderPathFromPSPath(Platform)
        : PlatformSession.Home ?? EmbeddedPlatformOptions.DefaultHome;

    protected override void StopProcessing() => _cancellation.Cancel();

    protected override void EndProcessing() => _cancellation.Dispose();

    /// <summary>Opens the platform, runs <paramref name="action"/>, and writes what the engine logged; errors become ErrorRecords.</summary>
    protected void WithPlatform(Action<IKratixPlatform> action, object? target = null, bool terminating = false)
    {
        var log = new CollectingPlatformLog();
        try
        {
            using var platform = new EmbeddedPlatform(EmbeddedPlatform.OptionsFor(PlatformHome, log));
            action(platform);
        }
        catch (KratixException ex)
        {
            Flush(log);
            Report(ex, target, terminating);
            return;
        }
        catch (OperationCanceledException ex)
        {
            Flush(log);
            ThrowTerminatingError(new ErrorRecord(ex, "OperationStopped", ErrorCategory.OperationStopped, target));
        }

        Flush(log);
    }

    /// <summary>Writes engine errors as non-terminating (one bad record, pipeline goes on) or terminating errors.</summary>
    protected void Report(KratixException ex, object? target, bool terminating = false)
    {
        var record = new ErrorRecord(ex, ex.ErrorId, Map(ex.Category), ex.Target ?? target);
        if (terminating)
        {
            ThrowTerminatingError(record);
        }

        WriteError(record);
    }

    /// <summary>Writes an engine object with the type name its format view is registered under (e.g. Kratix.Promise).</summary>
    protected void WriteKratixObject(Kratix.Objects.KubeObject obj)
    {
        var view = new KratixObject(obj);
        var wrapped = new PSObject(view);
        wrapped.TypeNames.Insert(0, TypeNameOf(view.Kind));
        WriteObject(wrapped);
    }

    /// <summary>
    /// Applies <paramref name="apply"/> to each manifest the user confirms (ShouldProcess with <paramref name="action"/>);
    /// a failure is an error for that manifest and the others still go ahead.
    /// </summary>
    protected void ForEachManifest(IEnumerable<ManifestItem> items, string action, Func<ManifestItem, Kratix.Objects.KubeObject> apply, bool writeResult)
    {
        foreach (var item in items)
        {
            if (!ShouldProcess(item.Describe(), action))
            {
                continue;
            }

            try
            {
                var result = apply(item);
                if (writeResult)
                {
                    WriteKratixObject(result);
                }
            }
            catch (KratixException ex)
            {
                Report(ex, item.Describe());
            }
        }
    }

    /// <summary>
    /// Manifests from -Path (wildcards), -LiteralPath or -InputObject, each with where it came from. A path that matches
    /// nothing or a file that does not parse is reported as an error for that file, and the others are still read.
    /// </summary>
    /// <param name="path">Paths with wildcards.</param>
    /// <param name="literalPath">Paths taken as they are.</param>
    /// <param name="inputObject">Manifest text, files or objects from the pipeline.</param>
    /// <param name="unreadable">Called with each file that could not be found or read, after its error was written.</param>
    /// <param name="recordDuplicateKeys">Keep documents with a key given twice, recording it for request admission (requests only).</param>
    protected IEnumerable<ManifestItem> ReadManifests(string[]? path, string[]? literalPath, object? inputObject, Action<string>? unreadable = null, bool recordDuplicateKeys = false)
    {
        var files = new List<string>();
        foreach (var pattern in path ?? [])
        {
            try
            {
                files.AddRange(GetResolvedProviderPathFromPSPath(pattern, out _));
            }
            catch (ItemNotFoundException ex)
            {
                WriteError(new ErrorRecord(ex, "ManifestFileNotFound", ErrorCategory.ObjectNotFound, pattern));
                unreadable?.Invoke(pattern);
            }
        }

        files.AddRange((literalPath ?? []).Select(GetUnresolvedProviderPathFromPSPath));
        var items = new List<ManifestItem>();
        foreach (var file in files)
        {
            try
            {
                items.AddRange(ManifestInput.FromFile(file, recordDuplicateKeys));
            }
            catch (KratixException ex)
            {
                Report(ex, file);
                unreadable?.Invoke(file);
            }
        }

        if (inputObject is not null)
        {
            items.AddRange(ManifestInput.FromObject(inputObject, Unwrap, recordDuplicateKeys));
        }

        return items;
    }

    /// <summary>
    /// The manifests in one parameter value: a string is a file path (resolved against the current location, no
    /// wildcards) unless it spans lines, when it is YAML or JSON text; anything else is read by ManifestInput (a FileInfo
    /// from Get-Item, a hashtable, a PSCustomObject, an object a Kratix cmdlet output).
    /// </summary>
    protected IReadOnlyList<ManifestItem> ManifestsFrom(object input) => Unwrap(input) switch
    {
        string text when text.Contains('\n', StringComparison.Ordinal) => ManifestInput.FromObject(text),
        string path => ManifestInput.FromFile(GetUnresolvedProviderPathFromPSPath(path)),
        var other => ManifestInput.FromObject(other, Unwrap),
    };

    /// <summary>
    /// Runs <paramref name="run"/> on a worker thread and writes the progress lines it reports as verbose messages, here on
    /// the pipeline thread, as they come (WriteVerbose must never be called from another thread). Each line passes
    /// through <paramref name="redact"/> first. If the pipeline is stopped while it runs, the cancellation token has been
    /// cancelled (StopProcessing) and this waits a little for the work to stop its processes before returning.
    /// </summary>
    protected T RunWithProgress<T>(Func<Action<string>, Task<T>> run, Func<string, string>? redact = null)
    {
        var lines = new System.Collections.Concurrent.BlockingCollection<string>();
        var task = Task.Run(() => run(lines.Add));
        var drained = task.ContinueWith(_ => lines.CompleteAdding(), CancellationToken.None, TaskContinuationOptions.ExecuteSynchronously, TaskScheduler.Default);
        var finished = false;
        try
        {
            foreach (var line in lines.GetConsumingEnumerable())
            {
                WriteVerbose(redact is null ? line : redact(line));
            }

            finished = true;
        }
        finally
        {
            if (!finished)
            {
                // Stopped (Ctrl+C) or a write failed: make sure the work stops too, and give it time to remove its containers.
                _cancellation.Cancel();
                drained.Wait(TimeSpan.FromSeconds(30));
            }

            if (drained.IsCompleted)
            {
                lines.Dispose();
            }
        }

        return task.GetAwaiter().GetResult();
    }

    /// <summary>Strips PSObject wrappers; a PSCustomObject becomes an ordered dictionary of its note properties.</summary>
    protected static object? Unwrap(object value)
    {
        if (value is not PSObject ps)
        {
            return value;
        }

        if (ps.BaseObject is PSCustomObject)
        {
            var map = new System.Collections.Specialized.OrderedDictionary();
            foreach (var property in ps.Properties)
            {
                if (property is PSNoteProperty)
                {
                    map[property.Name] = property.Value;
                }
            }

            return map;
        }

        return ps.BaseObject;
    }

    protected static string TypeNameOf(string kind) => kind switch
    {
        "Promise" or "Destination" or "GitStateStore" or "BucketStateStore" or "Work" or "WorkPlacement" => "Kratix." + kind,
        _ => "Kratix.ResourceRequest",
    };

    private void Flush(CollectingPlatformLog log)
    {
        foreach (var (isWarning, message) in log.Drain())
        {
            if (isWarning)
            {
                WriteWarning(message);
            }
            else
            {
                WriteVerbose(message);
            }
        }
    }

    internal static ErrorCategory Map(KratixErrorCategory category) => category switch
    {
        KratixErrorCategory.InvalidArgument => ErrorCategory.InvalidArgument,
        KratixErrorCategory.InvalidData => ErrorCategory.InvalidData,
        KratixErrorCategory.ObjectNotFound => ErrorCategory.ObjectNotFound,
        KratixErrorCategory.ResourceExists => ErrorCategory.ResourceExists,
        KratixErrorCategory.ResourceUnavailable => ErrorCategory.ResourceUnavailable,
        KratixErrorCategory.InvalidOperation => ErrorCategory.InvalidOperation,
        KratixErrorCategory.PermissionDenied => ErrorCategory.PermissionDenied,
        KratixErrorCategory.ConnectionError => ErrorCategory.ConnectionError,
        KratixErrorCategory.OperationStopped => ErrorCategory.OperationStopped,
        KratixErrorCategory.LimitsExceeded => ErrorCategory.LimitsExceeded,
        KratixErrorCategory.WriteError => ErrorCategory.WriteError,
        KratixErrorCategory.ParserError => ErrorCategory.ParserError,
        KratixErrorCategory.ReadError => ErrorCategory.ReadError,
        KratixErrorCategory.OperationTimeout => ErrorCategory.OperationTimeout,
        KratixErrorCategory.InvalidResult => ErrorCategory.InvalidResult,
        _ => ErrorCategory.NotSpecified,
    };

    /// <summary>Converts a -Spec or -Label hashtable for the engine.</summary>
    protected static System.Text.Json.Nodes.JsonNode? ToJson(IDictionary? table) => table is null ? null : JsonValues.FromClr(table, Unwrap);
}
