using System.Globalization;

namespace Kratix.StateStores;

/// <summary>
/// What a BucketStateStore's <c>spec.endpoint</c> names, one of:
/// <list type="bullet">
/// <item>an S3-compatible server in upstream's form, <c>host[:port]</c> with no scheme (https, or http when
/// <c>spec.insecure</c> is true), e.g. <c>s3.amazonaws.com</c> or <c>minio.example.com:9000</c>;</item>
/// <item>an S3-compatible server as an <c>http://</c> or <c>https://</c> URL (the scheme decides; <c>spec.insecure</c> is not read);</item>
/// <item>a local directory (the embedded platform's form): a path with a '/' or '\' in it (or starting with '.' or '~',
/// or a drive letter), or a <c>file://</c> URL.</item>
/// </list>
/// A bare word such as <c>minio</c> is a host; a folder in the current directory is written <c>./state</c>.
/// </summary>
public sealed class BucketEndpoint
{
    private BucketEndpoint(string? directory, Uri? serviceUrl)
    {
        Directory = directory;
        ServiceUrl = serviceUrl;
    }

    /// <summary>The absolute path of the directory that holds the bucket folder, or null for S3.</summary>
    public string? Directory { get; }

    /// <summary>The S3 server as <c>scheme://host[:port]</c>, or null for a directory.</summary>
    public Uri? ServiceUrl { get; }

    public bool IsS3 => ServiceUrl is not null;

    /// <summary>The endpoint, or a <see cref="KratixException"/> (<c>StateStoreEndpointInvalid</c>) naming spec.endpoint and what to write instead.</summary>
    public static BucketEndpoint Parse(string? endpoint, bool insecure) =>
        TryParse(endpoint, insecure, out var parsed, out var problem)
            ? parsed
            : throw new KratixException("StateStoreEndpointInvalid", KratixErrorCategory.InvalidArgument, $"spec.endpoint: {problem}", "spec.endpoint");

    /// <summary>
    /// Parses <paramref name="endpoint"/>; on failure <paramref name="problem"/> says why in the API server's style
    /// (<c>Required value</c> or <c>Invalid value: "...": reason</c>), without the field name. Credentials in a URL are never echoed.
    /// </summary>
    public static bool TryParse(string? endpoint, bool insecure, [System.Diagnostics.CodeAnalysis.NotNullWhen(true)] out BucketEndpoint? parsed, [System.Diagnostics.CodeAnalysis.NotNullWhen(false)] out string? problem)
    {
        parsed = null;
        if (string.IsNullOrWhiteSpace(endpoint))
        {
            problem = "Required value: an S3 server (host[:port], or an http(s):// URL) or a local directory (a path, or a file:// URL)";
            return false;
        }

        string Invalid(string reason) => $"Invalid value: \"{SecretRedactor.Redact(endpoint)}\": {reason}";

        if (endpoint.Contains("://", StringComparison.Ordinal))
        {
            if (!Uri.TryCreate(endpoint, UriKind.Absolute, out var uri))
            {
                problem = Invalid("not a valid URL");
                return false;
            }

            if (uri.IsFile)
            {
                parsed = new BucketEndpoint(uri.LocalPath, null);
                problem = null;
                return true;
            }

            if (uri.Scheme is not ("http" or "https"))
            {
                problem = Invalid($"the scheme '{uri.Scheme}' is not supported: use https:// or http:// for an S3 server, or file:// for a directory");
                return false;
            }

            if (uri.UserInfo.Length > 0)
            {
                problem = Invalid("credentials do not belong in the endpoint: put them in the Secret spec.secretRef names (accessKeyID, secretAccessKey)");
                return false;
            }

            if (uri.AbsolutePath != "/" || uri.Query.Length > 0 || uri.Fragment.Length > 0)
            {
                problem = Invalid("an S3 endpoint is scheme://host[:port] with nothing after it: objects are addressed as <endpoint>/<bucketName>/<key>");
                return false;
            }

            parsed = new BucketEndpoint(null, new Uri(uri.GetLeftPart(UriPartial.Authority)));
            problem = null;
            return true;
        }

        if (LooksLikePath(endpoint))
        {
            parsed = new BucketEndpoint(Path.GetFullPath(endpoint), null);
            problem = null;
            return true;
        }

        if (!TrySplitHostPort(endpoint, out var host, out var port))
        {
            problem = Invalid("not a host[:port] (an S3 server; https unless spec.insecure is true), an http(s):// URL, or a directory path; for a folder in the current directory write ./<folder>");
            return false;
        }

        var scheme = insecure ? "http" : "https";
        parsed = new BucketEndpoint(null, new Uri(port is null ? $"{scheme}://{host}" : $"{scheme}://{host}:{port}"));
        problem = null;
        return true;
    }

    private static bool LooksLikePath(string endpoint) =>
        endpoint.Contains('/', StringComparison.Ordinal)
        || endpoint.Contains('\\', StringComparison.Ordinal)
        || endpoint.StartsWith('.')
        || endpoint.StartsWith('~')
        || (endpoint.Length >= 2 && char.IsAsciiLetter(endpoint[0]) && endpoint[1] == ':' && (endpoint.Length == 2 || endpoint[2] is '/' or '\\'));

    private static bool TrySplitHostPort(string endpoint, out string host, out int? port)
    {
        host = endpoint;
        port = null;
        string? portText = null;
        if (endpoint.StartsWith('['))
        {
            // [IPv6]:port
            var close = endpoint.IndexOf(']', StringComparison.Ordinal);
            if (close < 0)
            {
                return false;
            }

            host = endpoint[..(close + 1)];
            var rest = endpoint[(close + 1)..];
            if (rest.Length > 0)
            {
                if (rest[0] != ':')
                {
                    return false;
                }

                portText = rest[1..];
            }
        }
        else
        {
            var colon = endpoint.IndexOf(':', StringComparison.Ordinal);
            if (colon >= 0)
            {
                host = endpoint[..colon];
                portText = endpoint[(colon + 1)..];
            }
        }

        if (portText is not null)
        {
            if (portText.Length == 0 || !portText.All(char.IsAsciiDigit)
                || !int.TryParse(portText, NumberStyles.None, CultureInfo.InvariantCulture, out var number) || number is < 1 or > 65535)
            {
                return false;
            }

            port = number;
        }

        return host.Length > 0 && Uri.CheckHostName(host.Trim('[', ']')) != UriHostNameType.Unknown;
    }
}
