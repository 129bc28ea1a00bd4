using System.Net;
using System.Text.Json.Nodes;
using Kratix.Admission;
using Kratix.Kubernetes;
using Kratix.Manifests;
using Kratix.Objects;

namespace Kratix.Platforms.Cluster;

/// <summary>
/// Upstream Kratix on a Kubernetes cluster, through its API server: writes are server-side applies with the field
/// manager <see cref="KubeApi.FieldManager"/>, reads map the cluster's objects to the same types the embedded platform
/// gives, and validation is the API server's. Upstream's controllers do the work, asynchronously: <see cref="Wait"/>
/// watches for it. One concept per file: Promises, requests, Destinations, state stores, Works, waiting, and what a
/// cluster does not do. Each member is synchronous over the asynchronous REST calls.
/// </summary>
public sealed partial class ClusterPlatform : IKratixPlatform
{
    private readonly KubeConnection _connection;
    private readonly KubeApi _api;
    private readonly ClusterPlatformOptions _options;
    private bool _kratixServed;

    public ClusterPlatform(KubeConnection connection, ClusterPlatformOptions? options = null)
    {
        _connection = connection;
        _options = options ?? new ClusterPlatformOptions();
        _api = new KubeApi(connection, _options.Log) { MaxAttempts = _options.MaxAttempts };
    }

    /// <summary>
    /// Opens the cluster a location names (see <see cref="ClusterLocation"/>) through the process's shared connection to
    /// it (<see cref="KubeConnectionCache"/>); nothing is sent yet.
    /// </summary>
    public static ClusterPlatform Open(ClusterLocation location, ClusterPlatformOptions? options = null)
    {
        var connection = KubeConnectionCache.Open(location, out var reused);
        options?.Log.Verbose(reused
            ? $"Reusing the connection to {connection.Server} (context \"{connection.Context}\") opened at {connection.OpenedAt:HH:mm:ss}; the kubeconfig has not changed since."
            : $"Read the kubeconfig ({(connection.KubeconfigFiles.Count == 0 ? "in-cluster" : string.Join(", ", connection.KubeconfigFiles))}) and opened a connection to {connection.Server} (context \"{connection.Context}\").");
        return new(connection, options);
    }

    /// <summary>The location with the context resolved: <c>kube:&lt;context&gt;</c>, with the kubeconfig when one was named.</summary>
    public string Location => _connection.Location.InCluster ? _connection.Location.ToString() : (_connection.Location with { Context = _connection.Context }).ToString();

    public string Backend => "Cluster";

    public string DefaultNamespace => _connection.Namespace;

    public KubeConnection Connection => _connection;

    public KubeApi Api => _api;

    private IPlatformLog Log => _options.Log;

    private static readonly ApiResource PromiseType = ApiResource.Kratix(KratixApi.PromiseKind);
    private static readonly ApiResource DestinationType = ApiResource.Kratix(KratixApi.DestinationKind);
    private static readonly ApiResource GitStoreType = ApiResource.Kratix(KratixApi.GitStateStoreKind);
    private static readonly ApiResource BucketStoreType = ApiResource.Kratix(KratixApi.BucketStateStoreKind);
    private static readonly ApiResource WorkType = ApiResource.Kratix(KratixApi.WorkKind);
    private static readonly ApiResource WorkPlacementType = ApiResource.Kratix(KratixApi.WorkPlacementKind);

    public void Dispose() => _connection.Dispose();

    /// <summary>A synchronous face over an asynchronous call (style example 7): one place where the cluster backend blocks.</summary>
    private static T Run<T>(Func<CancellationToken, Task<T>> call, CancellationToken cancellationToken) =>
        call(cancellationToken).GetAwaiter().GetResult();

    private static void Run(Func<CancellationToken, Task> call, CancellationToken cancellationToken) =>
        call(cancellationToken).GetAwaiter().GetResult();

    /// <summary>One clear error when the cluster does not serve Kratix's API (its CRDs are not installed); checked once per platform.</summary>
    private async Task RequireKratixAsync(CancellationToken cancellationToken)
    {
        if (_kratixServed || _connection.KratixServedAt is { } at && DateTimeOffset.UtcNow - at < KratixDiscoveryLifetime)
        {
            return;
        }

        var discovery = await _api.DiscoverAsync(KratixApi.Group, KratixApi.Version, cancellationToken).ConfigureAwait(false);
        var served = (discovery?["resources"] as JsonArray)?.OfType<JsonObject>().Select(r => r["name"]?.GetValue<string>()).ToHashSet(StringComparer.Ordinal) ?? [];
        var missing = new[] { "promises", "destinations", "gitstatestores", "bucketstatestores", "works", "workplacements" }.Where(p => !served.Contains(p)).ToList();
        if (missing.Count > 0)
        {
            throw new KratixException(
                "KratixNotInstalled",
                KratixErrorCategory.ResourceUnavailable,
                discovery is null
                    ? $"Kratix is not installed on the cluster at {_connection.Server} (context \"{_connection.Context}\"): it does not serve the API {KratixApi.ApiVersion}, so its CRDs are missing. Install Kratix there (https://docs.kratix.io), or connect to another context."
                    : $"Kratix is not fully installed on the cluster at {_connection.Server} (context \"{_connection.Context}\"): the API {KratixApi.ApiVersion} does not serve {string.Join(", ", missing)}. Install (or upgrade) Kratix's CRDs there.",
                _connection.Server);
        }

        _kratixServed = true;
        _connection.KratixServedAt = DateTimeOffset.UtcNow;
    }

    /// <summary>How long a shared connection trusts that Kratix's API is served before discovering it again.</summary>
    private static readonly TimeSpan KratixDiscoveryLifetime = TimeSpan.FromMinutes(1);

    /// <summary>
    /// What a manifest sends in a server-side apply: the object as given, without what the server owns (status, uid,
    /// resourceVersion, managedFields, timestamps) and without the finalizers upstream's controllers add, so that the
    /// output of a Get- cmdlet can be applied again without this module claiming the controllers' fields.
    /// </summary>
    private static JsonObject ForApply(JsonObject manifest, string? apiVersion = null, string? kind = null)
    {
        var body = (JsonObject)manifest.DeepClone();
        body.Remove("status");
        if (apiVersion is not null)
        {
            body["apiVersion"] ??= apiVersion;
        }

        if (kind is not null)
        {
            body["kind"] ??= kind;
        }

        if (body["metadata"] is JsonObject metadata)
        {
            foreach (var field in new[] { "resourceVersion", "uid", "creationTimestamp", "generation", "managedFields", "deletionTimestamp", "deletionGracePeriodSeconds", "selfLink", "finalizers" })
            {
                metadata.Remove(field);
            }
        }

        return body;
    }

    /// <summary>
    /// Applies an object; a 422 from the API server becomes <paramref name="invalidId"/> listing every field error (at
    /// its file and line when <paramref name="source"/> is known), as the embedded platform's admission reports them.
    /// </summary>
    private async Task<JsonObject> ApplyAsync(ApiResource type, string? ns, string name, JsonObject body, string invalidId, ManifestDocument? source, bool dryRun, CancellationToken cancellationToken, Schema.FieldValidationMode? fieldValidation = null)
    {
        try
        {
            var applied = await _api.ApplyAsync(type, ns, name, body, _options.ForceConflicts, dryRun, cancellationToken, fieldValidation?.ToString()).ConfigureAwait(false);
            if (!dryRun)
            {
                Log.Verbose($"{type.Describe(ns, name)} applied to {_connection.Server} (resourceVersion {applied["metadata"]?["resourceVersion"]}, field manager {KubeApi.FieldManager}{(_options.ForceConflicts ? ", forced" : string.Empty)}).");
            }

            return applied;
        }
        catch (KubeApiException ex) when (ex.StatusCode == HttpStatusCode.UnprocessableEntity)
        {
            throw Invalid(invalidId, type, ns, name, ex, source);
        }
    }

    private static AdmissionException Invalid(string errorId, ApiResource type, string? ns, string name, KubeApiException ex, ManifestDocument? source)
    {
        var problems = ProblemsOf(ex).Select(e => source is null ? e.ToString() : $"{source.Locate(e.Field)}: {e}").ToList();
        if (problems.Count == 0)
        {
            problems.Add(ex.ServerMessage ?? ex.Message);
        }

        // The server's answer stays the inner exception: TestRequest lists its field errors.
        return new AdmissionException(errorId, $"{type.Kind} \"{name}\"", problems, name, ex);
    }

    private static List<Schema.FieldError> ProblemsOf(KubeApiException ex) =>
        ex.Causes.Where(c => c.Field is { Length: > 0 }).Select(c => Schema.FieldError.FromServer(c.Field!, c.Reason, c.Message)).ToList();

    /// <summary>A capability this backend does not have, refused by name (design notes: "say so by name").</summary>
    private static KratixException NotOnCluster(string what, string instead) =>
        new("NotSupportedOnCluster", KratixErrorCategory.InvalidOperation, $"{what} has no meaning on a cluster platform: {instead}", what);

    private static string NameOf(JsonObject manifest) => manifest["metadata"]?["name"]?.GetValue<string>() ?? string.Empty;

    private static KratixException NameRequired(string errorId, string kind) =>
        new AdmissionException(errorId, kind, ["metadata.name: Required value: name or generateName is required"]);
}
