using System.Text;
using System.Text.Json.Nodes;
using Kratix.Admission;
using Kratix.Kubernetes;
using Kratix.Objects;
using Kratix.Platforms.Embedded;
using Kratix.StateStores;

namespace Kratix.Platforms.Cluster;

/// <summary>
/// Git and bucket state stores on a cluster. Credentials given at registration become the Secret upstream reads, with
/// upstream's keys (<c>username</c>/<c>password</c>, <c>sshPrivateKey</c>/<c>knownHosts</c>,
/// <c>accessKeyID</c>/<c>secretAccessKey</c>), in the namespace the store's <c>spec.secretRef</c> names: applied before
/// the store, never logged (messages name the Secret and its keys, never a value). SSH keys and known-hosts files given
/// as paths are read here and sent as content: upstream cannot read this machine's files.
/// </summary>
public sealed partial class ClusterPlatform
{
    public KubeObject RegisterStateStore(JsonObject stateStore, CancellationToken cancellationToken = default) =>
        RegisterStateStore(stateStore, null, cancellationToken);

    public KubeObject RegisterStateStore(JsonObject stateStore, StateStoreCredentials? credentials, CancellationToken cancellationToken = default) => Run(async token =>
    {
        await RequireKratixAsync(token).ConfigureAwait(false);
        var body = ForApply(stateStore, KratixApi.ApiVersion);
        var store = new KubeObject(body);
        var type = StoreType(store.Kind);
        if (store.Name.Length == 0)
        {
            throw NameRequired("StateStoreInvalid", store.Kind);
        }

        if (credentials is not null)
        {
            var applied = ForCluster(StateStoreSecrets.ForStore(store, credentials));
            var (ns, name) = StateStoreSecrets.RefOf(store) ?? (SecretAdmission.DefaultNamespace, StateStoreSecrets.DefaultSecretName(store));
            store.Spec["secretRef"] = new JsonObject { ["name"] = name, ["namespace"] = ns };
            store.Spec["authMethod"] = StateStoreSecrets.AuthMethodOf(applied);
            var secret = AsData(StateStoreSecrets.SecretFor(ns, name, applied));
            await ApplyAsync(ApiResource.Secrets, ns, name, secret, "SecretInvalid", null, dryRun: false, token).ConfigureAwait(false);
            Log.Verbose($"Secret \"{ns}/{name}\" holds {store.Kind} \"{store.Name}\"'s credentials (keys {string.Join(", ", ((JsonObject)secret["data"]!).Select(k => k.Key))}).");
        }

        return new KubeObject(await ApplyAsync(type, null, store.Name, body, "StateStoreInvalid", null, dryRun: false, token).ConfigureAwait(false));
    }, cancellationToken);

    /// <summary>Applies a Secret (a state store's credentials) in its namespace, <c>default</c> when it names none.</summary>
    public void RegisterSecret(JsonObject secret, CancellationToken cancellationToken = default) => Run(async token =>
    {
        var body = ForApply(secret, "v1", "Secret");
        var ns = body["metadata"]?["namespace"]?.GetValue<string>() ?? SecretAdmission.DefaultNamespace;
        var name = NameOf(body);
        if (name.Length == 0)
        {
            throw NameRequired("SecretInvalid", "Secret");
        }

        ((JsonObject)body["metadata"]!)["namespace"] = ns;
        await ApplyAsync(ApiResource.Secrets, ns, name, body, "SecretInvalid", null, dryRun: false, token).ConfigureAwait(false);
    }, cancellationToken);

    /// <summary>Deletes the store. The Secret it referred to stays: on a cluster it may be shared or managed elsewhere.</summary>
    public void UnregisterStateStore(string kind, string name) => Run(async token =>
    {
        await RequireKratixAsync(token).ConfigureAwait(false);
        if (!await _api.DeleteAsync(StoreType(kind), null, name, token).ConfigureAwait(false))
        {
            throw new KratixException("StateStoreNotFound", KratixErrorCategory.ObjectNotFound, $"{kind} \"{name}\" is not registered. Get-KratixStateStore lists those that are.", name);
        }

        Log.Verbose($"{kind} \"{name}\" deleted on {_connection.Server}.");
    }, CancellationToken.None);

    public IReadOnlyList<KubeObject> GetStateStores() => Run(async token =>
    {
        await RequireKratixAsync(token).ConfigureAwait(false);
        var stores = new List<KubeObject>();
        foreach (var type in new[] { GitStoreType, BucketStoreType })
        {
            stores.AddRange((await _api.ListItemsAsync(type, null, cancellationToken: token).ConfigureAwait(false)).Select(s => new KubeObject(s)));
        }

        return (IReadOnlyList<KubeObject>)stores.OrderBy(s => s.Kind, StringComparer.Ordinal).ThenBy(s => s.Name, StringComparer.Ordinal).ToList();
    }, CancellationToken.None);

    private static ApiResource StoreType(string kind) => kind switch
    {
        KratixApi.GitStateStoreKind => GitStoreType,
        KratixApi.BucketStateStoreKind => BucketStoreType,
        _ => throw new KratixException("StateStoreKindInvalid", KratixErrorCategory.InvalidArgument, $"\"{kind}\" is not a state store kind: GitStateStore or BucketStateStore.", kind),
    };

    /// <summary>SSH credentials given as paths become content: upstream on the cluster cannot read this machine's files.</summary>
    private static StateStoreCredentials ForCluster(StateStoreCredentials credentials)
    {
        if (credentials is not GitSshCredentials { PrivateKeyPath: not null } and not GitSshCredentials { KnownHostsPath: not null })
        {
            return credentials;
        }

        var ssh = (GitSshCredentials)credentials;
        string Read(string path, string what)
        {
            try
            {
                return File.ReadAllText(path);
            }
            catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
            {
                throw new KratixException("StateStoreCredentialsInvalid", KratixErrorCategory.ReadError, $"The {what} file {path} could not be read: {ex.Message}", path);
            }
        }

        return new GitSshCredentials(
            privateKey: ssh.PrivateKeyPath is { } keyPath ? Read(keyPath, "SSH private key") : ssh.PrivateKey,
            knownHosts: ssh.KnownHostsPath is { } hostsPath ? Read(hostsPath, "known hosts") : ssh.KnownHosts);
    }

    /// <summary>A Secret with its stringData as base64 data: what server-side apply tracks field by field.</summary>
    private static JsonObject AsData(JsonObject secret)
    {
        if (secret["stringData"] is JsonObject strings)
        {
            var data = new JsonObject();
            foreach (var (key, value) in strings)
            {
                data[key] = Convert.ToBase64String(Encoding.UTF8.GetBytes(value?.GetValue<string>() ?? string.Empty));
            }

            secret.Remove("stringData");
            secret["data"] = data;
        }

        return secret;
    }
}
