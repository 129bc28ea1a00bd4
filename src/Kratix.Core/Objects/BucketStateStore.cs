using System.Text.Json.Nodes;

namespace Kratix.Objects;

/// <summary>
/// A bucket Kratix writes scheduled documents to. On the embedded platform the bucket is a local directory:
/// <c>spec.endpoint</c> is a directory path (or a <c>file://</c> URL) and <c>spec.bucketName</c> a folder inside it.
/// </summary>
public sealed class BucketStateStore(JsonObject node) : KubeObject(node)
{
    public string BucketName => Spec.GetString("bucketName") ?? string.Empty;

    public string Endpoint => Spec.GetString("endpoint") ?? string.Empty;

    public string Path => Spec.GetString("path") ?? string.Empty;

    public string AuthMethod => Spec.GetString("authMethod") ?? "accessKey";
}
