using System.Collections;
using System.Management.Automation;
using Kratix.Manifests;
using Kratix.Objects;
using Kratix.Platforms;

namespace Kratix.PowerShell.Cmdlets;

/// <summary>What New-, Set- and Test-KratixRequest share: a request from files or objects, or built from -Promise, -Name, -Namespace and -Spec.</summary>
public abstract class RequestInputCmdlet : KratixCmdlet
{
    [Parameter(ParameterSetName = "Path", Mandatory = true, Position = 0, ValueFromPipelineByPropertyName = true)]
    [SupportsWildcards]
    public string[]? Path { get; set; }

    [Parameter(ParameterSetName = "LiteralPath", Mandatory = true, ValueFromPipelineByPropertyName = true)]
    [Alias("PSPath", "LP")]
    public string[]? LiteralPath { get; set; }

    [Parameter(ParameterSetName = "InputObject", Mandatory = true, ValueFromPipeline = true)]
    public object? InputObject { get; set; }

    /// <summary>The Promise whose API the request is for.</summary>
    [Parameter(ParameterSetName = "Spec", Mandatory = true, ValueFromPipelineByPropertyName = true)]
    [ValidateNotNullOrEmpty]
    public string? Promise { get; set; }

    [Parameter(ParameterSetName = "Spec", Mandatory = true, Position = 0, ValueFromPipelineByPropertyName = true)]
    [ValidateNotNullOrEmpty]
    public string? Name { get; set; }

    [Parameter(ParameterSetName = "Spec", ValueFromPipelineByPropertyName = true)]
    [ValidateNotNullOrEmpty]
    public string Namespace { get; set; } = "default";

    /// <summary>The request's spec, as a hashtable.</summary>
    [Parameter(ParameterSetName = "Spec", Position = 1)]
    public IDictionary? Spec { get; set; }

    [Parameter(ParameterSetName = "Spec")]
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

    protected IEnumerable<ManifestItem> Requests(IKratixPlatform platform) => Requests(platform.GetPromises());

    /// <summary>Keeps the requests of this input record that the user confirms (ShouldProcess with <paramref name="action"/>), for <see cref="SubmitCollected"/>.</summary>
    protected void Collect(string action)
    {
        var items = new List<ManifestItem>();
        WithPlatform(platform => items.AddRange(Requests(platform)));
        foreach (var item in items)
        {
            if (ShouldProcess(item.Describe(), action))
            {
                _collected.Add(item);
            }
        }
    }

    /// <summary>
    /// Submits every request collected from the whole input as one operation (their workflows run side by side and their
    /// files land in one commit per state store), then writes, in input order, each request or its error.
    /// </summary>
    protected void SubmitCollected(bool allowUpdate, bool writeResult)
    {
        if (_collected.Count == 0)
        {
            return;
        }

        WithPlatform(platform =>
        {
            var outcomes = platform.SubmitRequests(_collected.Select(i => new RequestSubmission(i.Node, i.Source, allowUpdate, FieldValidationNames.ToMode(FieldValidation))).ToList(), Cancellation);
            foreach (var (item, outcome) in _collected.Zip(outcomes))
            {
                if (outcome.Error is { } error)
                {
                    Report(error, item.Describe());
                }
                else if (writeResult && outcome.Request is { } request)
                {
                    WriteKratixObject(request);
                }
            }
        });
    }

    /// <summary>The requests given, building one from -Promise/-Name/-Spec with the named Promise among <paramref name="promises"/>.</summary>
    protected IEnumerable<ManifestItem> Requests(IEnumerable<Promise> promises)
    {
        if (ParameterSetName != "Spec")
        {
            var unreadable = false;
            var items = ReadManifests(Path, LiteralPath, InputObject, _ => unreadable = true, recordDuplicateKeys: true).ToList();
            if (items.Count == 0 && !unreadable)
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
        return [new ManifestItem(RequestBuilder.Build(promise, Name!, Namespace, ToJson(Spec) ?? new System.Text.Json.Nodes.JsonObject(), ToJson(Label)), null)];
    }
}
