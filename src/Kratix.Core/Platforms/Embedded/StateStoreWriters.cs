using Kratix.Objects;
using Kratix.StateStores;

namespace Kratix.Platforms.Embedded;

/// <summary>
/// One writer per registered state store for the life of the platform object. Git writers keep their long-lived
/// working copy in the platform home (<c>cache/gitstatestores/&lt;name&gt;</c>), so it is reused across processes too.
/// A Git store's credentials come from the Secret its <c>spec.secretRef</c> names (<see cref="StateStoreSecrets"/>); a
/// writer is rebuilt when the store's spec or that Secret changes.
/// </summary>
internal sealed class StateStoreWriters(string home, SecretStore secrets) : IAsyncDisposable
{
    private readonly Dictionary<(string Kind, string Name), (string Fingerprint, IStateStoreWriter Writer)> _writers = new();

    /// <summary>The store's writer; throws a <see cref="KratixException"/> when its credentials cannot be resolved (a missing or unusable Secret).</summary>
    public IStateStoreWriter For(KubeObject store)
    {
        var key = (store.Kind, store.Name);
        GitCredentials? credentials = null;
        var fingerprint = store.Spec.ToJsonString();
        if (store.Kind == KratixApi.GitStateStoreKind)
        {
            (credentials, var secretVersion) = StateStoreSecrets.Resolve(new GitStateStore(store.Node), secrets);
            fingerprint += "|" + secretVersion;
        }

        if (_writers.TryGetValue(key, out var cached) && cached.Fingerprint == fingerprint)
        {
            return cached.Writer;
        }

        if (cached.Writer is not null)
        {
            cached.Writer.DisposeAsync().AsTask().GetAwaiter().GetResult();
        }

        var writer = Create(store, credentials);
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

    private IStateStoreWriter Create(KubeObject store, GitCredentials? credentials)
    {
        if (store.Kind == KratixApi.GitStateStoreKind)
        {
            var git = new GitStateStore(store.Node);
            return new GitStateStoreWriter(new GitStateStoreOptions
            {
                Url = git.Url,
                Branch = git.Branch,
                BasePath = git.Path,
                WorkingDirectory = WorkingCopyOf(git.Name),
                AuthorName = git.AuthorName,
                AuthorEmail = git.AuthorEmail,
                Credentials = credentials,
            });
        }

        var bucket = new BucketStateStore(store.Node);
        var endpoint = bucket.Endpoint.StartsWith("file://", StringComparison.OrdinalIgnoreCase) ? new Uri(bucket.Endpoint).LocalPath : bucket.Endpoint;
        return new DirectoryStateStoreWriter(Path.Combine(Path.GetFullPath(endpoint), bucket.BucketName, bucket.Path));
    }
}
