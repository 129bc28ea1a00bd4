using System.Net;
using System.Net.Http.Headers;
using System.Net.Sockets;
using System.Security.Authentication;
using System.Text;
using System.Text.Json.Nodes;
using k8s.Exceptions;
using Kratix.Platforms;

namespace Kratix.Kubernetes;

/// <summary>
/// The REST calls the cluster backend makes, over KubernetesClient's HttpClient and credentials (so kubeconfig auth, exec
/// plugins and TLS are the client's): get, list, server-side apply, merge patch, delete and watch of any resource, as JSON.
/// Throttling (429) and server errors (500, 502, 503, 504) are retried a bounded number of times, honouring Retry-After;
/// every other failure becomes a <see cref="KubeApiException"/> or a <see cref="KratixException"/> that names the server,
/// the verb and the resource, and says what to check. The API server's warnings go to the log.
/// </summary>
public sealed class KubeApi
{
    /// <summary>The field manager of every write: the module's name.</summary>
    public const string FieldManager = "Kratix";

    private readonly KubeConnection _connection;
    private readonly IPlatformLog _log;

    public KubeApi(KubeConnection connection, IPlatformLog log)
    {
        _connection = connection;
        _log = log;
    }

    /// <summary>How many times a throttled or failed (5xx) call is tried in all.</summary>
    public int MaxAttempts { get; init; } = 5;

    /// <summary>The longest wait between two attempts, whatever Retry-After says.</summary>
    public TimeSpan MaxRetryDelay { get; init; } = TimeSpan.FromSeconds(30);

    public string Server => _connection.Server;

    public string Context => _connection.Context;

    /// <summary>One object, or null when there is none (404).</summary>
    public async Task<JsonObject?> GetAsync(ApiResource type, string? ns, string name, CancellationToken cancellationToken)
    {
        try
        {
            return await SendAsync(HttpMethod.Get, type.ItemPath(ns, name), null, null, new KubeOperation("get", type, ns, name), cancellationToken).ConfigureAwait(false);
        }
        catch (KubeApiException ex) when (ex.StatusCode == HttpStatusCode.NotFound)
        {
            return null;
        }
    }

    /// <summary>A list (its items and metadata.resourceVersion); null when the type is not served (404).</summary>
    public async Task<JsonObject?> ListAsync(ApiResource type, string? ns, string? labelSelector = null, string? fieldSelector = null, CancellationToken cancellationToken = default)
    {
        var query = new List<string>();
        Add(query, "labelSelector", labelSelector);
        Add(query, "fieldSelector", fieldSelector);
        try
        {
            return await SendAsync(HttpMethod.Get, type.CollectionPath(ns) + Query(query), null, null, new KubeOperation("list", type, ns), cancellationToken).ConfigureAwait(false);
        }
        catch (KubeApiException ex) when (ex.StatusCode == HttpStatusCode.NotFound)
        {
            return null;
        }
    }

    /// <summary>The items of a list; empty when the type is not served.</summary>
    public async Task<IReadOnlyList<JsonObject>> ListItemsAsync(ApiResource type, string? ns, string? labelSelector = null, CancellationToken cancellationToken = default)
    {
        var list = await ListAsync(type, ns, labelSelector, null, cancellationToken).ConfigureAwait(false);
        var items = (list?["items"] as JsonArray)?.OfType<JsonObject>().Select(i => (JsonObject)i.DeepClone()).ToList() ?? [];
        foreach (var item in items)
        {
            // List items carry no apiVersion and kind on a real API server.
            item["apiVersion"] ??= type.ApiVersion;
            item["kind"] ??= type.Kind;
        }

        return items;
    }

    /// <summary>
    /// Server-side apply with this module's field manager; <paramref name="force"/> takes ownership of conflicting fields;
    /// <paramref name="fieldValidation"/> is the server's fieldValidation (Strict, Warn or Ignore), its own default when null.
    /// </summary>
    public Task<JsonObject> ApplyAsync(ApiResource type, string? ns, string name, JsonObject body, bool force = false, bool dryRun = false, CancellationToken cancellationToken = default, string? fieldValidation = null)
    {
        var query = new List<string> { "fieldManager=" + FieldManager };
        if (fieldValidation is not null)
        {
            query.Add("fieldValidation=" + fieldValidation);
        }

        if (force)
        {
            query.Add("force=true");
        }

        if (dryRun)
        {
            query.Add("dryRun=All");
        }

        return SendAsync(HttpMethod.Patch, type.ItemPath(ns, name) + Query(query), body, "application/apply-patch+yaml", new KubeOperation("patch", type, ns, name), cancellationToken)!;
    }

    /// <summary>A JSON merge patch (labels, a finalizer list), as this module's field manager.</summary>
    public Task<JsonObject> MergePatchAsync(ApiResource type, string? ns, string name, JsonObject patch, CancellationToken cancellationToken = default) =>
        SendAsync(HttpMethod.Patch, type.ItemPath(ns, name) + "?fieldManager=" + FieldManager, patch, "application/merge-patch+json", new KubeOperation("patch", type, ns, name), cancellationToken)!;

    /// <summary>Deletes an object (its finalizers then run on the server); false when there was none.</summary>
    public async Task<bool> DeleteAsync(ApiResource type, string? ns, string name, CancellationToken cancellationToken = default)
    {
        try
        {
            await SendAsync(HttpMethod.Delete, type.ItemPath(ns, name), new JsonObject { ["kind"] = "DeleteOptions", ["apiVersion"] = "v1", ["propagationPolicy"] = "Background" }, "application/json", new KubeOperation("delete", type, ns, name), cancellationToken).ConfigureAwait(false);
            return true;
        }
        catch (KubeApiException ex) when (ex.StatusCode == HttpStatusCode.NotFound)
        {
            return false;
        }
    }

    /// <summary>The resources an API group version serves (its discovery document), or null when it is not served.</summary>
    public async Task<JsonObject?> DiscoverAsync(string group, string version, CancellationToken cancellationToken)
    {
        try
        {
            return await SendAsync(HttpMethod.Get, $"apis/{group}/{version}", null, null, new KubeOperation("get", new ApiResource(group, version, string.Empty, "APIResourceList", false)), cancellationToken).ConfigureAwait(false);
        }
        catch (KubeApiException ex) when (ex.StatusCode == HttpStatusCode.NotFound)
        {
            return null;
        }
    }

    /// <summary>
    /// A container's log (<c>pods/{name}/log</c>), its last <paramref name="tailLines"/> lines when given; null when the
    /// pod or container is gone (404, or the 400 a container name the pod does not have gets).
    /// </summary>
    public async Task<string?> PodLogAsync(string ns, string pod, string container, int? tailLines, CancellationToken cancellationToken)
    {
        var query = new List<string> { "container=" + Uri.EscapeDataString(container) };
        if (tailLines is { } tail)
        {
            query.Add("tailLines=" + tail.ToString(System.Globalization.CultureInfo.InvariantCulture));
        }

        try
        {
            using var response = await SendRawAsync(HttpMethod.Get, ApiResource.Pods.ItemPath(ns, pod) + "/log" + Query(query), null, null, new KubeOperation("get", ApiResource.Pods with { Plural = "pods/log" }, ns, pod), cancellationToken).ConfigureAwait(false);
            return await response.Content.ReadAsStringAsync(cancellationToken).ConfigureAwait(false);
        }
        catch (KubeApiException ex) when (ex.StatusCode is HttpStatusCode.NotFound or HttpStatusCode.BadRequest)
        {
            return null;
        }
    }

    /// <summary>The server's /version (gitVersion and the rest), or null when it does not answer it.</summary>
    public async Task<JsonObject?> VersionAsync(CancellationToken cancellationToken)
    {
        try
        {
            return await SendAsync(HttpMethod.Get, "version", null, null, new KubeOperation("get", new ApiResource(string.Empty, string.Empty, "version", "Version", false)), cancellationToken).ConfigureAwait(false);
        }
        catch (KubeApiException)
        {
            return null;
        }
    }

    /// <summary>
    /// Watches a collection from <paramref name="resourceVersion"/>, with bookmarks, calling <paramref name="onEvent"/> for
    /// each event until it returns false (true), the server ends the watch (false), or the connection drops (an
    /// <see cref="IOException"/> or <see cref="HttpRequestException"/>). A 410 Gone, as a response or an ERROR event,
    /// is a <see cref="KubeApiException"/> with <see cref="KubeApiException.StatusCode"/> Gone: list again.
    /// </summary>
    public async Task<bool> WatchAsync(ApiResource type, string? ns, string? fieldSelector, string? resourceVersion, TimeSpan timeout, Func<WatchEvent, bool> onEvent, CancellationToken cancellationToken)
    {
        var query = new List<string> { "watch=true", "allowWatchBookmarks=true", "timeoutSeconds=" + Math.Max(1, (int)timeout.TotalSeconds) };
        Add(query, "resourceVersion", resourceVersion);
        Add(query, "fieldSelector", fieldSelector);
        var operation = new KubeOperation("watch", type, ns);
        using var response = await SendRawAsync(HttpMethod.Get, type.CollectionPath(ns) + Query(query), null, null, operation, cancellationToken).ConfigureAwait(false);
        using var stream = await response.Content.ReadAsStreamAsync(cancellationToken).ConfigureAwait(false);
        using var reader = new StreamReader(stream, Encoding.UTF8);
        while (await reader.ReadLineAsync(cancellationToken).ConfigureAwait(false) is { } line)
        {
            if (line.Length == 0)
            {
                continue;
            }

            if (JsonNode.Parse(line) is not JsonObject frame || frame["object"] is not JsonObject obj)
            {
                continue;
            }

            var kind = frame["type"]?.GetValue<string>() ?? string.Empty;
            if (kind == "ERROR")
            {
                throw Refused((HttpStatusCode)(obj["code"]?.GetValue<int>() ?? 500), obj, operation);
            }

            if (!onEvent(new WatchEvent(kind, obj)))
            {
                return true;
            }
        }

        return false;
    }

    private async Task<JsonObject?> SendAsync(HttpMethod method, string path, JsonNode? body, string? contentType, KubeOperation operation, CancellationToken cancellationToken)
    {
        using var response = await SendRawAsync(method, path, body, contentType, operation, cancellationToken).ConfigureAwait(false);
        var text = await response.Content.ReadAsStringAsync(cancellationToken).ConfigureAwait(false);
        return text.Length == 0 ? null : JsonNode.Parse(text) as JsonObject;
    }

    /// <summary>Sends one call, retrying throttling and server errors; a success's response is the caller's to dispose.</summary>
    private async Task<HttpResponseMessage> SendRawAsync(HttpMethod method, string path, JsonNode? body, string? contentType, KubeOperation operation, CancellationToken cancellationToken)
    {
        var client = _connection.Client;
        for (var attempt = 1; ; attempt++)
        {
            using var request = new HttpRequestMessage(method, new Uri(client.BaseUri, path)) { Version = HttpVersion.Version20 };
            request.Headers.Accept.Add(new MediaTypeWithQualityHeaderValue("application/json"));
            if (body is not null)
            {
                request.Content = new StringContent(body.ToJsonString(), Encoding.UTF8);
                request.Content.Headers.ContentType = new MediaTypeHeaderValue(contentType ?? "application/json");
            }

            HttpResponseMessage response;
            try
            {
                if (client.Credentials is not null)
                {
                    await client.Credentials.ProcessHttpRequestAsync(request, cancellationToken).ConfigureAwait(false);
                }

                response = await client.HttpClient.SendAsync(request, HttpCompletionOption.ResponseHeadersRead, cancellationToken).ConfigureAwait(false);
            }
            catch (HttpRequestException ex)
            {
                throw Unreachable(ex, operation);
            }
            catch (TaskCanceledException ex) when (!cancellationToken.IsCancellationRequested)
            {
                throw new KratixException("ClusterTimeout", KratixErrorCategory.OperationTimeout,
                    $"The Kubernetes API server at {Server} (context \"{Context}\") did not answer in time ({operation.Describe()}). Check that it is up and reachable from here (kubectl cluster-info), and any proxy in between.",
                    Server, ex);
            }
            catch (KubeConfigException ex)
            {
                throw new KratixException("KubeconfigCredentialsFailed", KratixErrorCategory.PermissionDenied,
                    $"The credentials of context \"{Context}\" could not be obtained: {ex.Message} Check the kubeconfig's user entry (its exec plugin, token file or certificate).",
                    Context, ex);
            }

            foreach (var warning in response.Headers.TryGetValues("Warning", out var warnings) ? warnings : [])
            {
                _log.Warning(WarningText(warning));
            }

            if (response.IsSuccessStatusCode)
            {
                return response;
            }

            using (response)
            {
                var text = await response.Content.ReadAsStringAsync(cancellationToken).ConfigureAwait(false);
                var status = TryParse(text);
                var code = response.StatusCode;
                var conflict = IsModifiedConflict(method, code, status);
                var retriable = conflict || code is HttpStatusCode.TooManyRequests or HttpStatusCode.InternalServerError or HttpStatusCode.BadGateway or HttpStatusCode.ServiceUnavailable or HttpStatusCode.GatewayTimeout;
                if (retriable && attempt < MaxAttempts)
                {
                    var delay = RetryDelay(response, attempt);
                    _log.Verbose(conflict
                        ? $"{Server} answered 409 Conflict to {operation.Describe()} (the object changed while the server wrote it); sending it again in {delay.TotalSeconds:0.#} s, against the object as it is now (attempt {attempt + 1} of {MaxAttempts})."
                        : $"{Server} answered {(int)code} {response.ReasonPhrase} to {operation.Describe()}; trying again in {delay.TotalSeconds:0.#} s (attempt {attempt + 1} of {MaxAttempts}).");
                    await Task.Delay(delay, cancellationToken).ConfigureAwait(false);
                    continue;
                }

                throw Refused(code, status, operation, retriable ? attempt : 0);
            }
        }
    }

    /// <summary>
    /// A 409 that is optimistic concurrency ("the object has been modified"), not an object that exists nor a field
    /// another manager owns. This module's writes are server-side applies and merge patches, which carry no
    /// resourceVersion, so each is applied to the object as it is when the server takes it: the server re-reads, and
    /// sending the same patch again is the bounded re-read-and-retry. A real API server can still answer 409 when its own
    /// retries of a contended update run out.
    /// </summary>
    private static bool IsModifiedConflict(HttpMethod method, HttpStatusCode code, JsonObject? status) =>
        code == HttpStatusCode.Conflict
        && method == HttpMethod.Patch
        && status?["reason"]?.GetValue<string>() != "AlreadyExists"
        && !KubeApiException.CausesOf(status).Any(c => c.Reason == "FieldManagerConflict");

    private TimeSpan RetryDelay(HttpResponseMessage response, int attempt)
    {
        var retryAfter = response.Headers.RetryAfter;
        var delay = retryAfter?.Delta ?? (retryAfter?.Date is { } date ? date - DateTimeOffset.UtcNow : TimeSpan.FromMilliseconds(200 * Math.Pow(2, attempt - 1)));
        return delay < TimeSpan.Zero ? TimeSpan.Zero : delay > MaxRetryDelay ? MaxRetryDelay : delay;
    }

    /// <summary>A refusal as the error a user reads: what was refused, the server's words, and what to do.</summary>
    internal KubeApiException Refused(HttpStatusCode code, JsonObject? status, KubeOperation operation, int attempts = 0)
    {
        var reason = status?["reason"]?.GetValue<string>();
        var said = status?["message"]?.GetValue<string>();
        var causes = KubeApiException.CausesOf(status);
        var target = (object?)operation.Name ?? Server;
        var what = operation.Describe();
        var (id, category, message) = code switch
        {
            HttpStatusCode.Unauthorized => ("ClusterUnauthorized", KratixErrorCategory.PermissionDenied,
                $"The Kubernetes API server at {Server} did not accept the credentials of context \"{Context}\" (401 Unauthorized, on {what}). The token or client certificate is missing, expired or not trusted: log in again, or check the kubeconfig's user entry."),
            HttpStatusCode.Forbidden => ("ClusterForbidden", KratixErrorCategory.PermissionDenied,
                $"Not allowed to {what} on {Server} (context \"{Context}\"): {said ?? "403 Forbidden"}. Ask a cluster administrator for the \"{operation.Verb}\" permission on \"{operation.Resource.Plural}\" in API group \"{operation.Resource.Group}\"" + (operation.Resource.Namespaced && operation.Namespace is not null ? $" in namespace \"{operation.Namespace}\"" : string.Empty) + $" (kubectl auth can-i {operation.Verb} {operation.Resource.QualifiedName})."),
            HttpStatusCode.NotFound => ("ClusterObjectNotFound", KratixErrorCategory.ObjectNotFound, $"{said ?? "Not found"} ({what} on {Server})."),
            HttpStatusCode.Conflict when reason == "AlreadyExists" => ("ClusterObjectExists", KratixErrorCategory.ResourceExists, $"{said} ({what} on {Server})."),
            HttpStatusCode.Conflict when causes.Any(c => c.Reason == "FieldManagerConflict") => ("ApplyConflict", KratixErrorCategory.ResourceExists,
                $"{operation.Resource.Describe(operation.Namespace, operation.Name)}: {said} Those fields were set by another field manager with other values; give -Force to take them over, or change them with the tool that set them."),
            HttpStatusCode.Conflict => ("ClusterConflict", KratixErrorCategory.ResourceExists, $"{said ?? "Conflict"} ({what} on {Server}){(attempts > 0 ? $", still after {attempts} attempts: the object keeps changing; try again" : string.Empty)}."),
            HttpStatusCode.Gone => ("ClusterResourceVersionExpired", KratixErrorCategory.ResourceUnavailable, $"{said ?? "Gone"} ({what} on {Server})."),
            HttpStatusCode.UnprocessableEntity => ("ClusterObjectInvalid", KratixErrorCategory.InvalidData, said ?? "The object is invalid."),
            HttpStatusCode.BadRequest => ("ClusterBadRequest", KratixErrorCategory.InvalidArgument, $"{said ?? "Bad request"} ({what} on {Server})."),
            HttpStatusCode.TooManyRequests => ("ClusterThrottled", KratixErrorCategory.LimitsExceeded,
                $"The Kubernetes API server at {Server} is throttling requests (429 Too Many Requests, on {what}){(attempts > 0 ? $", still after {attempts} attempts" : string.Empty)}. Try again later, or with fewer objects at once."),
            _ when (int)code >= 500 => ("ClusterUnavailable", KratixErrorCategory.ResourceUnavailable,
                $"The Kubernetes API server at {Server} failed ({(int)code} {said ?? code.ToString()}, on {what}){(attempts > 0 ? $", still after {attempts} attempts" : string.Empty)}. Check the cluster's health (kubectl get --raw /readyz) and try again."),
            _ => ("ClusterRequestFailed", KratixErrorCategory.NotSpecified, $"{(int)code} {said ?? code.ToString()} ({what} on {Server})."),
        };
        return new KubeApiException(id, category, message, code, reason, said, causes, target);
    }

    private KratixException Unreachable(HttpRequestException ex, KubeOperation operation)
    {
        var where = $"the Kubernetes API server at {Server} (context \"{Context}\")";
        var socket = Inner<SocketException>(ex);
        var tls = Inner<AuthenticationException>(ex);
        var (id, message) =
            tls is not null || ex.HttpRequestError == HttpRequestError.SecureConnectionError
                ? ("ClusterTlsFailed", $"The TLS connection to {where} failed: {(tls ?? (Exception)ex).Message} Check the kubeconfig's certificate-authority (or certificate-authority-data) for that cluster, the server's name (tls-server-name), and the client certificate; insecure-skip-tls-verify is a last resort.")
            : socket?.SocketErrorCode is SocketError.HostNotFound or SocketError.TryAgain or SocketError.NoData || ex.HttpRequestError == HttpRequestError.NameResolutionError
                ? ("ClusterNameNotResolved", $"The name of {where} could not be resolved: {ex.Message} Check the server address in the kubeconfig and your DNS or VPN.")
            : socket?.SocketErrorCode == SocketError.ConnectionRefused
                ? ("ClusterConnectionRefused", $"Could not connect to {where}: the connection was refused. Check that the cluster is running and that the kubeconfig's server address and port are right (kubectl cluster-info).")
            : ("ClusterUnreachable", $"Could not reach {where}: {ex.Message} Check that the cluster is up, the server address in the kubeconfig, and any proxy (HTTPS_PROXY, NO_PROXY).");
        if (_connection.Proxy is { } proxy)
        {
            // Through the cluster's proxy-url, a refused or unresolved connection is most likely the proxy's.
            message += $" The kubeconfig sends every call through the proxy {proxy} (the cluster's proxy-url): check that it is running and lets this through.";
        }
        return new KratixException(id, KratixErrorCategory.ConnectionError, $"{message} (while trying to {operation.Describe()})", Server, ex);
    }

    private static T? Inner<T>(Exception ex)
        where T : Exception
    {
        for (Exception? e = ex; e is not null; e = e.InnerException)
        {
            if (e is T found)
            {
                return found;
            }
        }

        return null;
    }

    /// <summary>The text of a Warning header (<c>299 - "unknown field \"spec.foo\""</c>): the quoted part.</summary>
    private static string WarningText(string header)
    {
        var start = header.IndexOf('"', StringComparison.Ordinal);
        var end = header.LastIndexOf('"');
        return start >= 0 && end > start ? header[(start + 1)..end].Replace("\\\"", "\"", StringComparison.Ordinal) : header;
    }

    private static JsonObject? TryParse(string text)
    {
        try
        {
            return text.Length == 0 ? null : JsonNode.Parse(text) as JsonObject;
        }
        catch (System.Text.Json.JsonException)
        {
            return null;
        }
    }

    private static void Add(List<string> query, string name, string? value)
    {
        if (!string.IsNullOrEmpty(value))
        {
            query.Add(name + "=" + Uri.EscapeDataString(value));
        }
    }

    private static string Query(List<string> query) => query.Count == 0 ? string.Empty : "?" + string.Join("&", query);
}

/// <summary>One event of a watch: ADDED, MODIFIED, DELETED or BOOKMARK, and the object.</summary>
public sealed record WatchEvent(string Type, JsonObject Object)
{
    public string? ResourceVersion => Object["metadata"]?["resourceVersion"]?.GetValue<string>();
}
