using System.Collections;
using System.Management.Automation;
using Kratix.PowerShell.Completion;
using Kratix.Manifests;
using Kratix.Objects;
using Kratix.Platforms;

namespace Kratix.PowerShell.Cmdlets;

/// <summary>What New-, Set- and Test-KratixRequest share: a request from files or objects, or built from -Promise, -Name, -Namespace and -Spec.</summary>
public abstract partial class RequestInputCmdlet : KratixCmdlet
{
    [Parameter(ParameterSetName = "Path", Mandatory = true, Position = 0, ValueFromPipelineByPropertyName = true)]
    [SupportsWildcards]
    public string[]? Path { get; set; }

    [Parameter(ParameterSetName = "LiteralPath", Mandatory = true, ValueFromPipelineByPropertyName = true)]
    [Alias("PSPath", "LP")]
    public string[]? LiteralPath { get; set; }

    /// <summary>
    /// Manifests: YAML or JSON text (a whole text, or one line per string, joined until the input ends; documents are
    /// separated by ---), files from Get-Item or Get-ChildItem, hashtables, or objects a Kratix cmdlet output.
    /// </summary>
    [Parameter(ParameterSetName = "InputObject", Mandatory = true, ValueFromPipeline = true)]
    public object? InputObject { get; set; }

    /// <summary>The Promise whose API the request is for.</summary>
    [Parameter(ParameterSetName = "Spec", Mandatory = true, ValueFromPipelineByPropertyName = true)]
    [ValidateNotNullOrEmpty]
    [ArgumentCompleter(typeof(PromiseNameCompleter))]
    public string? Promise { get; set; }

    [Parameter(ParameterSetName = "Spec", Mandatory = true, Position = 0, ValueFromPipelineByPropertyName = true)]
    [ValidateNotNullOrEmpty]
    [ArgumentCompleter(typeof(RequestNameCompleter))]
    public string? Name { get; set; }

    [Parameter(ParameterSetName = "Spec", ValueFromPipelineByPropertyName = true)]
    [ValidateNotNullOrEmpty]
    [ArgumentCompleter(typeof(NamespaceCompleter))]
    public string? Namespace { get; set; }

    /// <summary>The request's spec, as a hashtable.</summary>
    [Parameter(ParameterSetName = "Spec", Position = 1)]
    public IDictionary? Spec { get; set; }

    [Parameter(ParameterSetName = "Spec")]
    [ArgumentCompleter(typeof(RequestLabelCompleter))]
    public IDictionary? Label { get; set; }

    /// <summary>
    /// What unknown fields and duplicate keys do, as the API server's fieldValidation: Strict refuses the request (kubectl's
    /// default), Warn drops them with a warning each, Ignore drops them silently. Default: the platform's setting
    /// (Connect-KratixPlatform -FieldValidation), Strict unless changed.
    /// </summary>
    [Parameter]
    [ValidateSet(FieldValidationNames.Strict, FieldValidationNames.Warn, FieldValidationNames.Ignore)]
    public string? FieldValidation { get; set; }

    private readonly List<ManifestItem> _collected = [];

    /// <summary>Requests keep a key given twice for admission, which refuses or warns as -FieldValidation says.</summary>
    protected override bool RecordsDuplicateKeys => true;

    /// <summary>When the first request was read, and when the count read was last shown (a long input reads for a while before the batch is submitted).</summary>
    private long _collectStarted;
    private long _collectProgressShown;

    /// <param name="platform">The platform whose Promises a request built from -Promise, -Name and -Spec is for.</param>
    /// <param name="endOfInput">At the end of the input (EndProcessing): the requests in the lines of text piped and not read yet.</param>
    protected IEnumerable<ManifestItem> Requests(IKratixPlatform platform, bool endOfInput = false) =>
        NeedsPlatformToRead(endOfInput) ? Requests(platform.GetPromises()) : RequestsRead(endOfInput);

    /// <summary>Only a request built from -Promise, -Name and -Spec needs the platform (its Promise's API) to be read.</summary>
    private bool NeedsPlatformToRead(bool endOfInput) => !endOfInput && ParameterSetName == "Spec";

    /// <summary>Requests from files, text and objects, which are read without the platform.</summary>
    private IEnumerable<ManifestItem> RequestsRead(bool endOfInput) => endOfInput ? ReadPipedLines() : Requests([]);

    /// <summary>
    /// Keeps the requests of this input record (or, at the end of the input, of the lines of text piped) that the user
    /// confirms (ShouldProcess with <paramref name="action"/>), for <see cref="SubmitCollected"/>.
    /// </summary>
    protected void Collect(string action, bool endOfInput = false)
    {
        foreach (var item in ReadToCollect(endOfInput))
        {
            // A dry run (-WhatIf) collects everything; it says what would happen per file later.
            if (CollectsForDryRun || ShouldProcess(item.Describe(), action))
            {
                _collected.Add(item);
            }
        }

        ReportCollected();
    }

    /// <summary>The requests of this input record (or, at the end of the input, of the lines of text piped), errors reported.</summary>
    private List<ManifestItem> ReadToCollect(bool endOfInput)
    {
        var items = new List<ManifestItem>();
        if (endOfInput && !HasPipedLines)
        {
            return items;
        }

        if (!NeedsPlatformToRead(endOfInput))
        {
            // Files, text and objects are read without the platform: it is opened once, to submit the whole input,
            // rather than once per input record (a thousand files piped in opened it a thousand times).
            try
            {
                items.AddRange(RequestsRead(endOfInput));
            }
            catch (KratixException ex)
            {
                Report(ex, null);
            }
        }
        else
        {
            WithPlatform(platform => items.AddRange(Requests(platform)));
        }

        return items;
    }

    private void ReportCollected()
    {
        // Until the input ends nothing is submitted: once reading has taken half a second, say how many requests are
        // waiting, at most five times a second. The engine's activity, written with the same id when the batch is
        // submitted, takes its place.
        if (_collectStarted == 0)
        {
            _collectStarted = System.Diagnostics.Stopwatch.GetTimestamp();
        }

        if (_collected.Count > 0
            && System.Diagnostics.Stopwatch.GetElapsedTime(_collectStarted).TotalMilliseconds >= 500
            && System.Diagnostics.Stopwatch.GetElapsedTime(_collectProgressShown).TotalMilliseconds >= 200)
        {
            _collectProgressShown = System.Diagnostics.Stopwatch.GetTimestamp();
            WriteCommandProgress(0, "Reading requests", $"{_collected.Count:N0} read; they are submitted together when the input ends", 0, 0);
        }
    }

    /// <summary>
    /// Submits every request collected from the whole input as one operation (their workflows run side by side and their
    /// files land in one commit per state store), then writes, in input order, each request or its error.
    /// </summary>
    /// <summary>-Wait on New- and Set-KratixRequest: wait for each request to be Reconciled before it is output.</summary>
    protected virtual bool WaitForReconciled => false;

    /// <summary>-Timeout with -Wait, in seconds.</summary>
    protected virtual int WaitTimeout => 300;

    protected void SubmitCollected(bool allowUpdate, bool writeResult)
    {
        if (_collected.Count == 0)
        {
            return;
        }

        WithPlatform(platform =>
        {
            var submissions = _collected.Select(i => new RequestSubmission(i.Node, i.Source, allowUpdate, FieldValidationNames.ToMode(FieldValidation))).ToList();
            var outcomes = Pump(() => platform.SubmitRequests(submissions, Cancellation)).ToList();
            if (WaitForReconciled)
            {
                // -Wait: each request applied is awaited in turn (Reconciled); one that does not get there is its own error.
                for (var i = 0; i < outcomes.Count; i++)
                {
                    if (outcomes[i].Request is { } applied)
                    {
                        try
                        {
                            var reconciled = Pump(() => platform.Wait(new WaitTarget(applied.PromiseName, applied.Namespace, applied.Name, "Reconciled"), TimeSpan.FromSeconds(WaitTimeout), Cancellation));
                            outcomes[i] = new RequestOutcome(reconciled as ResourceRequest ?? applied, null);
                        }
                        catch (KratixException ex)
                        {
                            outcomes[i] = new RequestOutcome(null, ex);
                        }
                    }
                }
            }

            var relations = writeResult && outcomes.Any(o => o.Request is not null) ? Kratix.Presentation.ObjectRelations.Load(platform) : null;
            foreach (var (item, outcome) in _collected.Zip(outcomes))
            {
                if (outcome.Error is { } error)
                {
                    Report(error, item.Describe());
                }
                else if (writeResult && outcome.Request is { } request)
                {
                    WriteKratixObject(request, relations);
                }
            }
        });
    }

    /// <summary>The requests given, building one from -Promise/-Name/-Spec with the named Promise among <paramref name="promises"/>.</summary>
    protected IEnumerable<ManifestItem> Requests(IEnumerable<Promise> promises)
    {
        if (ParameterSetName != "Spec")
        {
            var unreadable = UnreadableCount;
            var items = ReadManifests(Path, LiteralPath, InputObject).ToList();
            // Lines of piped text are read when the input ends; until then an input may rightly give nothing.
            if (items.Count == 0 && UnreadableCount == unreadable && !HasPipedLines)
            {
                // An empty or null document is not a request; say so rather than submit nothing in silence.
                throw new KratixException(
                    "RequestInputEmpty",
                    KratixErrorCategory.InvalidData,
                    "The input holds no request: it is empty, or every document in it is empty or null. Give a request with apiVersion, kind, metadata and spec.",
                    InputObject ?? (object?)Path ?? LiteralPath);
            }

            return items;
        }

        var promise = promises.FirstOrDefault(p => p.Name == Promise)
            ?? throw new KratixException("PromiseNotFound", KratixErrorCategory.ObjectNotFound, $"Promise \"{Promise}\" is not installed. Get-KratixPromise lists those that are.", Promise);
        return [new ManifestItem(RequestBuilder.Build(promise, Name!, Namespace ?? (OnCluster ? null : "default"), ToJson(Spec) ?? new System.Text.Json.Nodes.JsonObject(), ToJson(Label)), null)];
    }
}
