namespace Kratix.StateStores;

/// <summary>Where and how an <see cref="S3StateStoreWriter"/> writes.</summary>
public sealed record S3StateStoreOptions
{
    /// <summary>The server as <c>scheme://host[:port]</c> (see <see cref="BucketEndpoint"/>). Requests are path-style:
    /// <c>&lt;ServiceUrl&gt;/&lt;BucketName&gt;/&lt;key&gt;</c>, which every S3-compatible server accepts.</summary>
    public required Uri ServiceUrl { get; init; }

    /// <summary>The bucket; it must exist (Kratix does not create buckets, as upstream does not).</summary>
    public required string BucketName { get; init; }

    /// <summary>The state store's spec.path: every object Kratix writes, lists or deletes has a key under it.</summary>
    public string BasePath { get; init; } = "";

    /// <summary>An access key (<c>authMethod: accessKey</c>), or null for the AWS SDK's default credential chain
    /// (<c>authMethod: IAM</c>: environment variables, the shared credentials and config files, web identity, container and
    /// instance roles).</summary>
    public BucketCredentials? Credentials { get; init; }

    /// <summary>Where the credentials come from, for messages that tell the user what to fix (e.g. "the Secret default/s3-keys").
    /// Never a secret.</summary>
    public string CredentialsSource { get; init; } = "the configured credentials";

    /// <summary>The region requests are signed for (SigV4 includes it). Null: the region an AWS host name carries
    /// (<c>s3.eu-west-1.amazonaws.com</c>), else us-east-1, which S3-compatible servers expect.</summary>
    public string? Region { get; init; }

    /// <summary>How many times one request is retried after a transient failure (a network error, a timeout, 5xx, throttling),
    /// with exponential backoff and jitter (the SDK's standard retry mode).</summary>
    public int MaxRetries { get; init; } = 3;

    /// <summary>How long one attempt of one request may take.</summary>
    public TimeSpan RequestTimeout { get; init; } = TimeSpan.FromSeconds(30);
}
