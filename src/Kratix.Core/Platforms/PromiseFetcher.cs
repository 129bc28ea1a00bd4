using System.Net;
using System.Net.Http.Headers;
using System.Text.Json.Nodes;
using Kratix.Manifests;
using Kratix.Objects;
using Kratix.StateStores;

namespace Kratix.Platforms;

/// <summary>
/// Fetches a PromiseRelease's Promise over HTTP(S), as upstream's URLFetcher: one GET with the Secret's
/// <c>authorizationHeader</c> as the Authorization header, a 10-second limit, 200 only, one document of kind Promise.
/// The header never appears in a message: errors name the URL with any user and password taken out.
/// </summary>
public static class PromiseFetcher
{
    public static readonly TimeSpan Timeout = TimeSpan.FromSeconds(10);

    public static async Task<JsonObject> FetchAsync(Uri url, string? authorizationHeader, CancellationToken cancellationToken)
    {
        var where = SecretRedactor.Redact(url.ToString());
        if (url.Scheme is not ("http" or "https"))
        {
            throw new KratixException("PromiseReleaseInvalid", KratixErrorCategory.InvalidArgument, $"The Promise URL {where} is not http or https; a PromiseRelease fetches over HTTP(S) only.", where);
        }

        using var handler = new HttpClientHandler { AllowAutoRedirect = true };
        using var client = new HttpClient(handler) { Timeout = Timeout };
        using var request = new HttpRequestMessage(HttpMethod.Get, url);
        if (!string.IsNullOrEmpty(authorizationHeader))
        {
            // TryAddWithoutValidation: the header is sent as the Secret holds it ("Bearer …", "Basic …"), never parsed or logged.
            request.Headers.TryAddWithoutValidation("Authorization", authorizationHeader);
        }

        request.Headers.Accept.Add(new MediaTypeWithQualityHeaderValue("application/yaml"));
        string text;
        try
        {
            using var response = await client.SendAsync(request, cancellationToken).ConfigureAwait(false);
            if (response.StatusCode != HttpStatusCode.OK)
            {
                var hint = response.StatusCode is HttpStatusCode.Unauthorized or HttpStatusCode.Forbidden
                    ? " The server refused the credentials: check the authorizationHeader of the Secret the secretRef names."
                    : string.Empty;
                throw new KratixException("PromiseFetchFailed", KratixErrorCategory.ConnectionError, $"Failed to get Promise from URL {where}: status code {(int)response.StatusCode}.{hint}", where);
            }

            text = await response.Content.ReadAsStringAsync(cancellationToken).ConfigureAwait(false);
        }
        catch (HttpRequestException ex)
        {
            throw new KratixException("PromiseFetchFailed", KratixErrorCategory.ConnectionError, $"Failed to get Promise from URL {where}: {SecretRedactor.Redact(ex.Message)}", where, ex);
        }
        catch (TaskCanceledException ex) when (!cancellationToken.IsCancellationRequested)
        {
            throw new KratixException("PromiseFetchFailed", KratixErrorCategory.OperationTimeout, $"Failed to get Promise from URL {where}: no answer within {Timeout.TotalSeconds:0} seconds.", where, ex);
        }

        IReadOnlyList<ManifestDocument> documents;
        try
        {
            documents = ManifestReader.Default.ReadString(text, where).Where(d => d.Content is not null).ToList();
        }
        catch (KratixException ex)
        {
            throw new KratixException("PromiseReleaseInvalid", KratixErrorCategory.InvalidData, $"failed to unmarshal into Kubernetes object: {ex.Message}", where, ex);
        }

        if (documents.Count == 0 || documents[0].Content is not JsonObject promise)
        {
            throw new KratixException("PromiseReleaseInvalid", KratixErrorCategory.InvalidData, $"{where} holds no Kubernetes object; it must hold one Promise.", where);
        }

        if (new KubeObject(promise).Kind != KratixApi.PromiseKind)
        {
            throw new KratixException("PromiseReleaseInvalid", KratixErrorCategory.InvalidData, $"expected single Promise object but found object of kind: {new KubeObject(promise).Kind} (at {where}).", where);
        }

        if (documents.Count > 1)
        {
            throw new KratixException("PromiseReleaseInvalid", KratixErrorCategory.InvalidData, $"expected single document yaml, but found multiple documents (at {where}).", where);
        }

        return promise;
    }
}
