using System.Collections.Concurrent;
using System.Net;
using System.Text.Json.Nodes;
using Kratix.Admission;
using Kratix.Kubernetes;
using Kratix.Manifests;
using Kratix.Objects;
using Kratix.Schema;

namespace Kratix.Platforms.Cluster;

/// <summary>
/// Resource requests on a cluster: of any Promise's kind, found from the installed Promise's API (group, version, kind,
/// plural, scope). The API server validates them against the CRD upstream made from that API; a 422 becomes the same
/// <c>RequestInvalid</c> error as on the embedded platform, and a test is a server-side dry run.
/// </summary>
public sealed partial class ClusterPlatform
{
    /// <summary>The resource a Promise's API serves requests as; null for a Promise without an API.</summary>
    internal static ApiResource? RequestTypeOf(Promise promise)
    {
        if (promise.Api?["spec"] is not JsonObject spec || spec["names"] is not JsonObject names || names["kind"]?.GetValue<string>() is not { Length: > 0 } kind)
        {
            return null;
        }

        var versions = (spec["versions"] as JsonArray)?.OfType<JsonObject>().ToList() ?? [];
        var version = versions.FirstOrDefault(v => v["storage"]?.GetValue<bool>() == true) ?? versions.FirstOrDefault(v => v["served"]?.GetValue<bool>() != false);
        return new ApiResource(
            spec["group"]?.GetValue<string>() ?? string.Empty,
            version?["name"]?.GetValue<string>() ?? "v1",
            names["plural"]?.GetValue<string>() is { Length: > 0 } plural ? plural : kind.ToLowerInvariant() + "s",
            kind,
            spec["scope"]?.GetValue<string>() != "Cluster");
    }

    public ResourceRequest SubmitRequest(JsonObject request, ManifestDocument? source = null, bool allowUpdate = false, CancellationToken cancellationToken = default) =>
        Run(async token =>
        {
            await RequireKratixAsync(token).ConfigureAwait(false);
            return await SubmitAsync(request, source, allowUpdate, await PromisesAsync(token).ConfigureAwait(false), dryRun: false, token).ConfigureAwait(false);
        }, cancellationToken);

    /// <summary>Applies each request, several at once; every request gets its own outcome, and one refused does not stop the others.</summary>
    public IReadOnlyList<RequestOutcome> SubmitRequests(IReadOnlyList<RequestSubmission> requests, CancellationToken cancellationToken = default) => Run(async token =>
    {
        await RequireKratixAsync(token).ConfigureAwait(false);
        var promises = await PromisesAsync(token).ConfigureAwait(false);
        var outcomes = new RequestOutcome[requests.Count];
        var activity = $"Submitting {requests.Count:N0} requests";
        // At most once per ProgressInterval, as the embedded platform reports: a record per request cost the cmdlet
        // seconds per thousand requests in WriteProgress alone.
        var applying = new Embedded.ProgressStage(Log, _options.ProgressInterval, activity, 0, "Applying", requests.Count);
        await Parallel.ForEachAsync(Enumerable.Range(0, requests.Count), new ParallelOptions { MaxDegreeOfParallelism = Math.Max(1, _options.ParallelApplies), CancellationToken = token }, async (i, t) =>
        {
            var submission = requests[i];
            try
            {
                outcomes[i] = new RequestOutcome(await SubmitAsync(submission.Request, submission.Source, submission.AllowUpdate, promises, dryRun: false, t, submission.FieldValidation).ConfigureAwait(false), null);
            }
            catch (KratixException ex)
            {
                outcomes[i] = new RequestOutcome(null, ex);
            }

            applying.Advance(NameOf(submission.Request));
        }).ConfigureAwait(false);
        Log.Progress(new PlatformProgress(activity, "Applying", requests.Count, requests.Count) { Finished = true });
        return (IReadOnlyList<RequestOutcome>)outcomes;
    }, cancellationToken);

    /// <summary>A server-side dry run: the API server's defaults and validation, nothing stored.</summary>
    public (ResourceRequest Request, ValidationResult Result) TestRequest(JsonObject request, ManifestDocument? source = null, FieldValidationMode? fieldValidation = null) => Run(async token =>
    {
        await RequireKratixAsync(token).ConfigureAwait(false);
        try
        {
            var tested = await SubmitAsync(request, source, allowUpdate: true, await PromisesAsync(token).ConfigureAwait(false), dryRun: true, token, fieldValidation).ConfigureAwait(false);
            return (tested, new ValidationResult([], []));
        }
        catch (AdmissionException ex) when (ex.ErrorId == "RequestInvalid" && ex.InnerException is KubeApiException refused)
        {
            return (new ResourceRequest((JsonObject)request.DeepClone()), new ValidationResult(ProblemsOf(refused), []));
        }
    }, CancellationToken.None);

    public IReadOnlyList<ResourceRequest> GetRequests(string? promise = null, string? ns = null) => Run(async token =>
    {
        await RequireKratixAsync(token).ConfigureAwait(false);
        var requests = new List<ResourceRequest>();
        foreach (var p in (await PromisesAsync(token).ConfigureAwait(false)).Where(p => promise is null || p.Name == promise))
        {
            if (RequestTypeOf(p) is { } type)
            {
                requests.AddRange((await _api.ListItemsAsync(type, type.Namespaced ? ns : null, cancellationToken: token).ConfigureAwait(false)).Select(r => AsRequest(r, p)));
            }
        }

        return (IReadOnlyList<ResourceRequest>)requests;
    }, CancellationToken.None);

    public void RemoveRequest(string promise, string ns, string name, CancellationToken cancellationToken = default) => Run(async token =>
    {
        await RequireKratixAsync(token).ConfigureAwait(false);
        var type = await RequestTypeAsync(promise, token).ConfigureAwait(false);
        if (!await _api.DeleteAsync(type, type.Namespaced ? ns : null, name, token).ConfigureAwait(false))
        {
            throw RequestNotFound(type, ns, name, promise);
        }

        Log.Verbose($"{type.Describe(ns, name)} deleted on {_connection.Server}; upstream Kratix now runs its delete workflow and removes its Works (its finalizers).");
    }, cancellationToken);

    /// <summary>Labels the request <c>kratix.io/manual-reconciliation=true</c>: upstream reruns its configure workflow from the start and removes the label.</summary>
    public ResourceRequest SyncRequest(string promise, string ns, string name, CancellationToken cancellationToken = default) => Run(async token =>
    {
        await RequireKratixAsync(token).ConfigureAwait(false);
        var p = await RequirePromiseAsync(promise, token).ConfigureAwait(false);
        var type = RequestTypeOf(p) ?? throw NoApi(promise);
        var patched = await LabelAsync(type, type.Namespaced ? ns : null, name, new JsonObject { [KratixApi.ManualReconciliationLabel] = "true" }, token).ConfigureAwait(false)
            ?? throw RequestNotFound(type, ns, name, promise);
        Log.Verbose($"{type.Describe(ns, name)} labelled {KratixApi.ManualReconciliationLabel}=true: upstream Kratix reruns its configure workflow.");
        return AsRequest(patched, p);
    }, cancellationToken);

    /// <summary>Applies (or dry-runs) one request; the server checks unknown fields and duplicate keys as <paramref name="fieldValidation"/> says, Strict (kubectl's default) when not given.</summary>
    private async Task<ResourceRequest> SubmitAsync(JsonObject request, ManifestDocument? source, bool allowUpdate, IReadOnlyList<Promise> promises, bool dryRun, CancellationToken cancellationToken, FieldValidationMode? fieldValidation = null)
    {
        var given = new ResourceRequest(ForApply(request));
        var (promise, type) = promises.Select(p => (Promise: p, Type: RequestTypeOf(p)))
            .FirstOrDefault(p => p.Type is { } t && t.Group == given.Group && t.Kind == given.Kind);
        if (type is null)
        {
            throw NoPromiseFor(given, source, promises);
        }

        type = type with { Version = given.Version.Length > 0 ? given.Version : type.Version };
        if (given.Name.Length == 0)
        {
            throw NameRequired("RequestInvalid", $"{given.Kind} \"\"");
        }

        string? ns = null;
        if (type.Namespaced)
        {
            ns = given.Namespace ?? DefaultNamespace;
            given.Namespace = ns;
        }

        if (!allowUpdate && !dryRun && await _api.GetAsync(type, ns, given.Name, cancellationToken).ConfigureAwait(false) is not null)
        {
            throw new KratixException(
                "RequestExists",
                KratixErrorCategory.ResourceExists,
                $"{type.Kind} \"{given.Name}\" already exists in namespace \"{ns}\". Use Set-KratixRequest to change it.",
                given.Name);
        }

        for (var waited = false; ; waited = true)
        {
            try
            {
                return AsRequest(await ApplyAsync(type, ns, given.Name, given.Node, "RequestInvalid", source, dryRun, cancellationToken, fieldValidation ?? FieldValidationMode.Strict).ConfigureAwait(false), promise!);
            }
            catch (KubeApiException ex) when (ex.StatusCode == HttpStatusCode.NotFound)
            {
                var missingNamespace = ex.ServerMessage?.StartsWith("namespaces ", StringComparison.Ordinal) == true;
                if (!missingNamespace && !waited && await WaitForApiAsync(promise!, type, cancellationToken).ConfigureAwait(false))
                {
                    continue; // served now: apply again
                }

                throw new KratixException(
                    "PromiseApiNotServed",
                    KratixErrorCategory.ResourceUnavailable,
                    missingNamespace
                        ? $"{type.Kind} \"{given.Name}\": {ex.ServerMessage} on {_connection.Server}. Create the namespace first (kubectl create namespace {ns})."
                        : $"{type.Kind} ({type.ApiVersion}) is not served by {_connection.Server}, still after waiting {_options.ApiWaitTimeout.TotalSeconds:0} s: Promise \"{promise!.Name}\" has not finished installing (upstream has not made its CRD). Wait for it (Wait-KratixPromise {promise.Name}), then submit again.",
                    given.Name,
                    ex);
            }
        }
    }

    private readonly ConcurrentDictionary<ApiResource, Lazy<Task<bool>>> _apiWaits = new();

    /// <summary>
    /// Waits, at most <see cref="ClusterPlatformOptions.ApiWaitTimeout"/>, for a Promise's request kind to be served
    /// (upstream makes its CRD as it installs the Promise; the API server serves it once established), saying so in
    /// progress. One wait per kind, however many requests of it are being applied. True when it is served.
    /// </summary>
    private Task<bool> WaitForApiAsync(Promise promise, ApiResource type, CancellationToken cancellationToken) =>
        _apiWaits.GetOrAdd(type, t => new Lazy<Task<bool>>(async () =>
        {
            var activity = $"Waiting for Promise \"{promise.Name}\"'s API ({t.Kind}, {t.ApiVersion}) to be served";
            Log.Verbose($"{activity}: {_connection.Server} does not serve {t.QualifiedName} yet; waiting at most {_options.ApiWaitTimeout.TotalSeconds:0} s.");
            var clock = System.Diagnostics.Stopwatch.StartNew();
            var served = false;
            while (true)
            {
                var discovery = await _api.DiscoverAsync(t.Group, t.Version, cancellationToken).ConfigureAwait(false);
                served = (discovery?["resources"] as JsonArray)?.OfType<JsonObject>().Any(r => r["name"]?.GetValue<string>() == t.Plural) == true;
                if (served || clock.Elapsed >= _options.ApiWaitTimeout)
                {
                    break;
                }

                Log.Progress(new PlatformProgress(activity, "Not served yet", 0, 0) { Current = $"{clock.Elapsed.TotalSeconds:0} s of {_options.ApiWaitTimeout.TotalSeconds:0} s" });
                await Task.Delay(ApiPollInterval, cancellationToken).ConfigureAwait(false);
            }

            Log.Progress(new PlatformProgress(activity, served ? "Served" : "Timed out", 0, 0) { Finished = true });
            return served;
        })).Value;

    private static readonly TimeSpan ApiPollInterval = TimeSpan.FromMilliseconds(250);

    private async Task<IReadOnlyList<Promise>> PromisesAsync(CancellationToken cancellationToken) =>
        (await _api.ListItemsAsync(PromiseType, null, cancellationToken: cancellationToken).ConfigureAwait(false)).Select(p => new Promise(p)).ToList();

    private async Task<ApiResource> RequestTypeAsync(string promise, CancellationToken cancellationToken) =>
        RequestTypeOf(await RequirePromiseAsync(promise, cancellationToken).ConfigureAwait(false)) ?? throw NoApi(promise);

    /// <summary>A request as the cmdlets show it: kind and apiVersion set, and its Promise's label even before upstream adds it.</summary>
    private static ResourceRequest AsRequest(JsonObject obj, Promise promise)
    {
        var request = new ResourceRequest(obj);
        if (request.GetLabel(KratixApi.PromiseNameLabel) is null)
        {
            request.SetLabel(KratixApi.PromiseNameLabel, promise.Name);
        }

        return request;
    }

    private static KratixException NoApi(string promise) =>
        new("PromiseHasNoApi", KratixErrorCategory.InvalidOperation, $"Promise \"{promise}\" has no API (spec.api), so it takes no requests.", promise);

    private static KratixException RequestNotFound(ApiResource type, string ns, string name, string promise) =>
        new("RequestNotFound", KratixErrorCategory.ObjectNotFound, $"There is no {type.Kind} \"{name}\" in namespace \"{ns}\". Get-KratixRequest -Promise {promise} lists the requests.", name);

    private static KratixException NoPromiseFor(ResourceRequest request, ManifestDocument? source, IReadOnlyList<Promise> promises)
    {
        var provided = promises.Select(RequestTypeOf).OfType<ApiResource>().Select(t => $"{t.Kind} ({t.Group})").ToList();
        var where = source is null ? string.Empty : $"{source.Start}: ";
        return new KratixException(
            "PromiseNotFoundForRequest",
            KratixErrorCategory.ObjectNotFound,
            $"{where}no installed Promise provides kind \"{request.Kind}\" in group \"{request.Group}\" (apiVersion \"{request.ApiVersion}\"). "
                + (provided.Count == 0 ? "No Promise with an API is installed; install one with Install-KratixPromise." : $"Installed Promises provide: {string.Join(", ", provided)}."),
            request.Name);
    }
}
