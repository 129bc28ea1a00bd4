using System.Text.Json.Nodes;

namespace Kratix.Objects;

/// <summary>
/// A bucket Kratix writes scheduled documents to: on an S3-compatible server when <c>spec.endpoint</c> is
/// <c>host[:port]</c> (upstream's form; https unless <c>spec.insecure</c>) or an <c>http(s)://</c> URL, or, on the embedded
/// platform, a local directory when it is a directory path or a <c>file://</c> URL (<c>spec.bucketName</c> is then a folder
/// inside it). See <see cref="StateStores.BucketEndpoint"/>.
/// </summary>
public sealed class BucketStateStore(JsonObject node) : KubeObject(node)
{
    public string BucketName => Spec.GetString("bucketName") ?? string.Empty;

    public string Endpoint => Spec.GetString("endpoint") ?? string.Empty;

    public string Path => Spec.GetString("path") ?? string.Empty;

    /// <summary>Upstream's default when absent: <c>accessKey</c> (credentials from the Secret <c>spec.secretRef</c> names).</summary>
    public string AuthMethod => Spec.GetString("authMethod") ?? "accessKey";

    /// <summary>For a <c>host[:port]</c> endpoint: plain http instead of https.</summary>
    public bool Insecure => Spec.GetBool("insecure") ?? false;
}
