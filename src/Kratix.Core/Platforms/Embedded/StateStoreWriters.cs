using Kratix.Objects;
using Kratix.StateStores;

namespace Kratix.Platforms.Embedded;

/// <summary>
/// One writer per registered state store for the life of the platform object. Git writers keep their long-lived
/// working copy in the platform home (<c>cache/gitstatestores/&lt;name&gt;</c>), so it is reused across processes too.
/// A Git store's or an S3 bucket's credentials come from the Secret its <c>spec.secretRef</c> names
/// (<see cref="StateStoreSecrets"/>); a writer is rebuilt when the store's spec or that Secret changes. A BucketStateStore
/// is an <see cref="S3StateStoreWriter"/> or, when its endpoint is a directory, a <see cref="DirectoryStateStoreWriter"/>.
/// </summary>
internal sealed class StateStoreWriters(string home, SecretStore secrets, Func<KubeObject, IStateStoreWriter, IStateStoreWriter>? wrap = null) : IAsyncDisposable
{
    private readonly Dictionary<(string Kind, string Name), (string Fingerprint, IStateStoreWriter Writer)> _writers = new();

    /// <summary>The store's writer; throws a <see cref="KratixException"/> when its credentials cannot be resolved (a missing or unusable Secret).</summary>
    public IStateStoreWriter For(KubeObject store)
    {
        var key = (store.Kind, store.Name);
        var fingerprint = store.Spec.ToJsonString();
        Func<IStateStoreWriter> create;
        if (store.Kind == KratixApi.GitStateStoreKind)
        {
            var (credentials, secretVersion) = StateStoreSecrets.Resolve(new GitStateStore(store.Node), secrets);
            fingerprint += "|" + secretVersion;
            create = () => CreateGit(new GitStateStore(store.Node), credentials);
        }
        else
        {
            var bucket = new BucketStateStore(store.Node);
            var endpoint = BucketEndpoint.Parse(bucket.Endpoint, bucket.Insecure);
            if (endpoint.Directory is { } directory)
            {
                create = () => new DirectoryStateStoreWriter(Path.Combine(directory, bucket.BucketName, bucket.Path));
            }
            else
            {
                var (credentials, secretVersion, source) = StateStoreSecrets.ResolveBucket(bucket, secrets);
                var region = Region();
                fingerprint += "|" + secretVersion + "|" + region;
                create = () => new S3StateStoreWriter(new S3StateStoreOptions
                {
                    ServiceUrl = endpoint.ServiceUrl!,
                    BucketName = bucket.BucketName,
                    BasePath = bucket.Path,
                    Credentials = credentials,
                    CredentialsSource = source,
                    Region = region,
                });
            }
        }

        if (_writers.TryGetValue(key, out var cached) && cached.Fingerprint == fingerprint)
        {
            return cached.Writer;
        }

        if (cached.Writer is not null)
        {
            cached.Writer.DisposeAsync().AsTask().GetAwaiter().GetResult();
            _writers.Remove(key);
        }

        var writer = wrap is null ? create() : wrap(store, create());
        _writers[key] = (fingerprint, writer);
        return writer;
    }

    public string WorkingCopyOf(string name) => Path.Combine(home, "cache", "gitstatestores", name);

    public void Forget(string kind, string name)
    {
        if (_writers.Remove((kind, name), out var cached))
        {
            cached.Writer.DisposeAsync().AsTask().GetAwaiter().GetResult();
        }
    }

    public async ValueTask DisposeAsync()
    {
        foreach (var (_, writer) in _writers.Values)
        {
            await writer.DisposeAsync().ConfigureAwait(false);
        }

        _writers.Clear();
    }

    private GitStateStoreWriter CreateGit(GitStateStore git, GitCredentials? credentials) =>
        new(new GitStateStoreOptions
        {
            Url = git.Url,
            Branch = git.Branch,
            BasePath = git.Path,
            WorkingDirectory = WorkingCopyOf(git.Name),
            AuthorName = git.AuthorName,
            AuthorEmail = git.AuthorEmail,
            Credentials = credentials,
        });

    /// <summary>
    /// The region S3 requests are signed for: the AWS SDK's variables (AWS_REGION, then AWS_DEFAULT_REGION) when set; else
    /// null, for the region in an AWS host name or us-east-1. BucketStateStore has no region field upstream either
    /// (minio-go asks the bucket for its location).
    /// </summary>
    private static string? Region() =>
        Environment.GetEnvironmentVariable("AWS_REGION") is { Length: > 0 } region ? region
        : Environment.GetEnvironmentVariable("AWS_DEFAULT_REGION") is { Length: > 0 } fallback ? fallback
        : null;
}
