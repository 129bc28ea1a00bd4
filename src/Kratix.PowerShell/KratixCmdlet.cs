using System.Collections;
using System.Management.Automation;
using Kratix.Kubernetes;
using Kratix.Manifests;
using Kratix.Platforms;
using Kratix.Platforms.Cluster;
using Kratix.Platforms.Embedded;
using Kratix.Presentation;

namespace Kratix.PowerShell;

/// <summary>
/// What every Kratix cmdlet shares: the -Platform parameter, opening the platform, turning engine errors into
/// ErrorRecords with stable ids, writing the engine's warnings, verbose messages and progress on the pipeline thread,
/// and Ctrl+C. Cmdlets stay thin: bind parameters, call Kratix.Core, write objects.
/// </summary>
public abstract class KratixCmdlet : PSCmdlet
{
    private readonly CancellationTokenSource _cancellation = new();

    /// <summary>The log of the platform <see cref="WithPlatform"/> has open; <see cref="Pump{T}"/> writes from it as the engine works.</summary>
    private QueuedPlatformLog? _log;

    /// <summary>The progress activities written and not yet completed, by activity id: true for the engine's, false for the cmdlet's own.</summary>
    private readonly SortedDictionary<int, bool> _openActivities = [];

    /// <summary>
    /// How many progress levels the cmdlet itself uses above the engine's activities (Install-KratixPromise's "Installing
    /// N Promises"): the engine's activity of level L is written with activity id 1 + offset + L, under its parent.
    /// </summary>
    protected int ProgressLevelOffset { get; set; }

    /// <summary>
    /// The platform to work on: a platform home path, or a cluster (kube:, kube:&lt;context&gt;,
    /// kube:&lt;context&gt;?kubeconfig=&lt;path&gt;, kube:?in-cluster); defaults to Connect-KratixPlatform's choice, then
    /// $env:KRATIX_HOME, then ~/.kratix.
    /// </summary>
    [Parameter]
    [ValidateNotNullOrEmpty]
    public string? Platform { get; set; }

    protected CancellationToken Cancellation => _cancellation.Token;

    /// <summary>
    /// Where this call works: -Platform (a home path resolved against the current location, or a cluster location with
    /// its kubeconfig paths resolved the same way), else Connect-KratixPlatform's choice, else $env:KRATIX_HOME, else ~/.kratix.
    /// </summary>
    protected string PlatformLocation => Platform is null ? PlatformSession.Location ?? EmbeddedPlatformOptions.DefaultHome : ResolveLocation(Platform);

    /// <summary>Whether this call works on a cluster.</summary>
    protected bool OnCluster => ClusterLocation.IsCluster(PlatformLocation);

    /// <summary>How messages name the namespace a request without -Namespace goes to, before the platform is open.</summary>
    protected string DefaultNamespaceText => OnCluster ? "<the context's namespace>" : "default";

    /// <summary>Server-side apply with force on a cluster: the cmdlets with -Force take ownership of fields another manager set.</summary>
    protected virtual bool TakeOwnership => false;

    /// <summary>A platform location as given, with a home path or a cluster location's kubeconfig paths made absolute against the current location.</summary>
    protected string ResolveLocation(string location)
    {
        if (!ClusterLocation.IsCluster(location))
        {
            return GetUnresolvedProviderPathFromPSPath(location);
        }

        ClusterLocation parsed;
        try
        {
            parsed = ClusterLocation.Parse(location);
        }
        catch (KratixException ex)
        {
            Report(ex, location, terminating: true);
            throw;
        }

        return parsed.Kubeconfig is null ? parsed.ToString() : (parsed with
        {
            Kubeconfig = string.Join(System.IO.Path.PathSeparator, parsed.Kubeconfig.Split(System.IO.Path.PathSeparator).Select(GetUnresolvedProviderPathFromPSPath)),
        }).ToString();
    }

    /// <summary>Opens the platform a location names: a cluster through its kubeconfig, or the embedded platform on a home.</summary>
    internal static IKratixPlatform Open(string location, IPlatformLog log, bool takeOwnership = false) =>
        ClusterLocation.IsCluster(location)
            ? ClusterPlatform.Open(ClusterLocation.Parse(location), new ClusterPlatformOptions { Log = log, ForceConflicts = takeOwnership })
            : new EmbeddedPlatform(EmbeddedPlatform.OptionsFor(location, log));

    /// <summary>Refuses, by name, what has no meaning on a cluster platform (the embedded platform's runtime settings, its sync).</summary>
    protected void RefuseOnCluster(string what, string instead, object? target = null) =>
        Report(new KratixException("NotSupportedOnCluster", KratixErrorCategory.InvalidOperation, $"{what} has no meaning on a cluster platform: {instead}", target ?? PlatformLocation), target, terminating: true);

    protected override void StopProcessing() => _cancellation.Cancel();

    protected override void EndProcessing()
    {
        CompleteProgress(engineOnly: false);
        _cancellation.Dispose();
    }

    /// <summary>Opens the platform, runs <paramref name="action"/>, and writes what the engine logged; errors become ErrorRecords.</summary>
    protected void WithPlatform(Action<IKratixPlatform> action, object? target = null, bool terminating = false)
    {
        var log = new QueuedPlatformLog();
        var outer = _log;
        _log = log;
        try
        {
            using var platform = Open(PlatformLocation, log, TakeOwnership);
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
        finally
        {
            _log = outer;
            CompleteProgress(engineOnly: true);
        }

        Flush(log);
    }

    /// <summary>
    /// Runs a long engine call (a batch of requests, a sync, an install) on a worker thread while this thread, the
    /// pipeline thread, writes what the engine logs as it comes: warnings, verbose messages and progress records (the
    /// engine throttles its progress; of a burst that queued up while this thread was busy, only each stage's latest
    /// count is written). Nothing else may touch the platform meanwhile. Call it inside <see cref="WithPlatform"/>, and write the
    /// result here, after it returns. If the pipeline is stopped or a write fails, the call is cancelled and given time to
    /// stop its processes before this returns.
    /// </summary>
    protected T Pump<T>(Func<T> call)
    {
        var log = _log ?? throw new InvalidOperationException("Pump runs inside WithPlatform.");
        var task = Task.Run(call);
        var woken = task.ContinueWith(_ => log.Wake(), CancellationToken.None, TaskContinuationOptions.ExecuteSynchronously, TaskScheduler.Default);
        var finished = false;
        try
        {
            var over = false;
            while (!over)
            {
                var batch = log.TakeBatch();
                over = batch.Exists(e => e.Kind == LogEntryKind.Wake);
                Write(batch, progress: true);
            }

            finished = true;
        }
        finally
        {
            if (!finished)
            {
                // Stopped (Ctrl+C) or a write failed: make sure the work stops too, and give it time to remove its containers.
                _cancellation.Cancel();
                woken.Wait(TimeSpan.FromSeconds(30));
            }
        }

        return task.GetAwaiter().GetResult();
    }

    /// <summary>
    /// Writes a progress record of the cmdlet's own, at level <paramref name="level"/> (below <see cref="ProgressLevelOffset"/>);
    /// it stays until an engine activity of the same id ends, <see cref="CompleteProgress"/>, or the end of the input.
    /// </summary>
    protected void WriteCommandProgress(int level, string activity, string status, int completed, int total, string? current = null) =>
        WriteProgressRecord(new PlatformProgress(activity, status, completed, total) { Current = current }, 1 + level, engine: false);

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

    /// <summary>
    /// Writes an engine object with the type name its format view is registered under (e.g. Kratix.Promise). With
    /// <paramref name="relations"/>, a request's, Work's, Promise's or WorkPlacement's Destination, StateStore and
    /// VersionId say where its documents were written.
    /// </summary>
    protected void WriteKratixObject(Kratix.Objects.KubeObject obj, ObjectRelations? relations = null)
    {
        var view = new KratixObject(obj, relations);
        var wrapped = new PSObject(view);
        wrapped.TypeNames.Insert(0, TypeNameOf(view.Kind));
        WriteObject(wrapped);
    }

    /// <summary>
    /// Applies <paramref name="apply"/> to each manifest the user confirms (ShouldProcess with <paramref name="action"/>);
    /// a failure is an error for that manifest and the others still go ahead. <paramref name="relations"/>, when given, is
    /// read after each change for the object written (see <see cref="WriteKratixObject"/>).
    /// </summary>
    protected void ForEachManifest(IEnumerable<ManifestItem> items, string action, Func<ManifestItem, Kratix.Objects.KubeObject> apply, bool writeResult, Func<ObjectRelations>? relations = null)
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
                    WriteKratixObject(result, relations?.Invoke());
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
    /// nothing, a file that does not parse or text that does not parse is reported as an error for that file or text, and
    /// the others are still read. Text given one line per string (Get-Content without -Raw, kubectl get -o yaml) is kept
    /// until the input ends, when <see cref="ReadPipedLines"/> reads it as one text.
    /// </summary>
    /// <param name="path">Paths with wildcards.</param>
    /// <param name="literalPath">Paths taken as they are.</param>
    /// <param name="inputObject">Manifest text, files or objects from the pipeline.</param>
    protected IEnumerable<ManifestItem> ReadManifests(string[]? path, string[]? literalPath, object? inputObject)
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
                NoteUnreadable(pattern);
            }
        }

        files.AddRange((literalPath ?? []).Select(GetUnresolvedProviderPathFromPSPath));
        var items = new List<ManifestItem>();
        foreach (var file in files)
        {
            try
            {
                items.AddRange(ManifestInput.FromFile(file, RecordsDuplicateKeys));
            }
            catch (KratixException ex)
            {
                Report(ex, file);
                NoteUnreadable(file);
            }
        }

        if (inputObject is not null)
        {
            items.AddRange(FromInput(inputObject));
        }

        return items;
    }

    /// <summary>
    /// Whether documents with a key given twice are kept (the last value wins) and the duplicates recorded, for request
    /// admission to treat as its field-validation mode says; otherwise such a document is refused. Requests only.
    /// </summary>
    protected virtual bool RecordsDuplicateKeys => false;

    /// <summary>How many inputs so far could not be found or read (each was reported, and <see cref="OnUnreadable"/> called).</summary>
    protected int UnreadableCount { get; private set; }

    private readonly List<string> _pipedLines = [];
    private int _textsRead;

    /// <summary>Whether lines of text were received and not read yet (see <see cref="ReadPipedLines"/>).</summary>
    protected bool HasPipedLines => _pipedLines.Count > 0;

    /// <summary>
    /// The manifests in the lines of text received so far and not yet read (see <see cref="ReadManifests"/>), as one text
    /// whose documents are separated by ---; empty when there are none. Cmdlets that read -InputObject call it when their
    /// input ends (EndProcessing), and <see cref="ReadManifests"/> calls it before anything that is not a line.
    /// </summary>
    protected IReadOnlyList<ManifestItem> ReadPipedLines()
    {
        if (_pipedLines.Count == 0)
        {
            return [];
        }

        var lines = _pipedLines.ToList();
        _pipedLines.Clear();
        return ReadText(string.Join("\n", lines), lines.Count == 1 ? lines[0] : null);
    }

    /// <summary>
    /// What one -InputObject value holds. A string with a line break is YAML or JSON text, read now; a string without one
    /// is a line of such text, kept until the next value that is not a line or the end of the input (so `kubectl get -o
    /// yaml | ...` and `Get-Content file.yaml | ...` give whole documents); an array of lines (-InputObject (Get-Content
    /// f)) is one text; a FileInfo is its file; hashtables and objects the Kratix cmdlets output are manifests.
    /// </summary>
    private List<ManifestItem> FromInput(object input)
    {
        // A Find-KratixPromise result is the Promise file it found.
        if (input is PSObject { TypeNames: var names } entry && names.Contains("Kratix.CatalogueEntry") && entry.Properties["Path"]?.Value is string found)
        {
            return [.. ReadPipedLines(), .. ManifestInput.FromFile(found)];
        }

        var value = Unwrap(input);
        if (value is string line && !line.Contains('\n', StringComparison.Ordinal))
        {
            _pipedLines.Add(line.TrimEnd('\r'));
            return [];
        }

        if (value is object[] array && array.Length > 0 && array.All(e => Unwrap(e!) is string))
        {
            var items = new List<ManifestItem>();
            foreach (var element in array)
            {
                items.AddRange(FromInput(element));
            }

            return items;
        }

        var read = new List<ManifestItem>(ReadPipedLines());
        if (value is string text)
        {
            read.AddRange(ReadText(text, null));
            return read;
        }

        try
        {
            read.AddRange(ManifestInput.FromObject(value, Unwrap, RecordsDuplicateKeys));
        }
        catch (KratixException ex)
        {
            Report(ex, value);
            NoteUnreadable(value?.ToString() ?? string.Empty);
        }

        return read;
    }

    /// <summary>
    /// Reads one text of piped YAML or JSON, named "piped text" (then "piped text 2", ...) in errors, which say the
    /// document and line. A parse error is reported for this text and nothing of it is read.
    /// </summary>
    private IReadOnlyList<ManifestItem> ReadText(string text, string? singleLine)
    {
        _textsRead++;
        var source = _textsRead == 1 ? "piped text" : $"piped text {_textsRead}";
        try
        {
            var items = ManifestInput.FromText(text, source, RecordsDuplicateKeys);
            if (items.Count == 0 && text.Trim().Length > 0)
            {
                throw new KratixException("ManifestTextEmpty", KratixErrorCategory.InvalidData, $"{source} holds no manifest: it is empty, or every document in it is empty or null. Give YAML or JSON with apiVersion, kind and metadata.", source);
            }

            return items;
        }
        catch (KratixException ex)
        {
            if (singleLine is { Length: > 0 } && ex.ErrorId == "ManifestNotAnObject" && LooksLikeAFile(singleLine))
            {
                // A path string reaches -InputObject now that -Path no longer takes strings from the pipeline.
                Report(new KratixException(
                    "ManifestTextIsAPath",
                    KratixErrorCategory.InvalidArgument,
                    $"The text \"{singleLine}\" was piped in, which is not a manifest but names a file. Pipe files with Get-Item or Get-ChildItem, or give them with -Path.",
                    singleLine,
                    ex), singleLine);
            }
            else
            {
                Report(ex, source);
            }

            NoteUnreadable(source);

            return [];
        }
    }

    private void NoteUnreadable(string source)
    {
        UnreadableCount++;
        OnUnreadable(source);
    }

    /// <summary>
    /// Called after a file, text or object given as manifests could not be read (the error is already written), so a
    /// cmdlet can answer for it too: Test-KratixPromise outputs $false.
    /// </summary>
    protected virtual void OnUnreadable(string source)
    {
    }

    private bool LooksLikeAFile(string text)
    {
        try
        {
            return File.Exists(GetUnresolvedProviderPathFromPSPath(text));
        }
        catch (Exception ex) when (ex is ArgumentException or NotSupportedException or ItemNotFoundException or System.Management.Automation.DriveNotFoundException or ProviderNotFoundException or PSNotSupportedException)
        {
            return false;
        }
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
        "Promise" or "Destination" or "GitStateStore" or "BucketStateStore" or "Work" or "WorkPlacement" or "HealthRecord" => "Kratix." + kind,
        "PromiseRevision" or "ResourceBinding" or "PromiseRelease" => "Kratix." + kind,
        _ => "Kratix.ResourceRequest",
    };

    /// <summary>Writes what the engine logged that was not written yet. Progress is dropped: it is over by now.</summary>
    private void Flush(QueuedPlatformLog log) => Write(log.Drain(), progress: false);

    private void Write(List<LogEntry> batch, bool progress)
    {
        for (var i = 0; i < batch.Count; i++)
        {
            var entry = batch[i];
            switch (entry.Kind)
            {
                case LogEntryKind.Warning:
                    WriteWarning(entry.Message);
                    break;
                case LogEntryKind.Verbose:
                    WriteVerbose(entry.Message);
                    break;
                case LogEntryKind.Progress when progress:
                    var report = entry.Progress!;
                    // A later count of the same stage in this batch supersedes this one; every stage's last count and every end is written.
                    if (!report.Finished && batch.Skip(i + 1).Any(e => e.Kind == LogEntryKind.Progress && e.Progress!.Level == report.Level && e.Progress.Stage == report.Stage && e.Progress.Activity == report.Activity))
                    {
                        break;
                    }

                    WriteProgressRecord(report, 1 + ProgressLevelOffset + report.Level, engine: true);
                    break;
            }
        }
    }

    private void WriteProgressRecord(PlatformProgress report, int activityId, bool engine)
    {
        var status = report.Finished ? "Done" : report.Total > 0 ? $"{report.Stage}: {report.Completed:N0} of {report.Total:N0}" : report.Stage;
        var record = new ProgressRecord(activityId, report.Activity, string.IsNullOrEmpty(status) ? "Working" : status)
        {
            ParentActivityId = activityId > 1 ? activityId - 1 : -1,
            CurrentOperation = report.Current,
            PercentComplete = report.PercentComplete ?? -1,
            RecordType = report.Finished ? ProgressRecordType.Completed : ProgressRecordType.Processing,
        };
        if (report.Finished)
        {
            _openActivities.Remove(activityId);
        }
        else
        {
            _openActivities[activityId] = engine;
        }

        WriteProgress(record);
    }

    /// <summary>
    /// Completes the progress activities still shown (innermost first): the engine's, which an operation that failed or
    /// was stopped leaves open, or all of them.
    /// </summary>
    protected void CompleteProgress(bool engineOnly = false)
    {
        foreach (var id in _openActivities.Where(a => a.Value || !engineOnly).Select(a => a.Key).Reverse().ToList())
        {
            _openActivities.Remove(id);
            try
            {
                WriteProgress(new ProgressRecord(id, "Kratix", "Done") { ParentActivityId = id > 1 ? id - 1 : -1, RecordType = ProgressRecordType.Completed });
            }
            catch (PipelineStoppedException)
            {
                return;
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
