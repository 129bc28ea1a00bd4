using System.Text;
using System.Text.Json.Nodes;
using Kratix.Admission;
using Kratix.Objects;
using Kratix.StateStores;

namespace Kratix.Platforms.Embedded;

/// <summary>
/// Between a GitStateStore's <c>spec.authMethod</c> and <c>spec.secretRef</c> and the credentials its writer uses, with
/// upstream's Secret keys: <c>basicAuth</c> reads <c>username</c> (default <c>x-access-token</c>) and <c>password</c>;
/// <c>ssh</c> reads <c>sshPrivateKey</c> and <c>knownHosts</c>. The embedded platform also accepts <c>sshPrivateKeyPath</c>
/// and <c>knownHostsPath</c> (files on this machine, which are not secrets and are never read by Kratix), which is what
/// <c>Register-KratixStateStore -SshKeyPath/-KnownHostsPath</c> stores. A store without a secretRef uses the user's own git
/// configuration. No message here ever includes a Secret's value.
/// </summary>
internal static class StateStoreSecrets
{
    public const string UsernameKey = "username";
    public const string PasswordKey = "password";
    public const string SshPrivateKeyKey = "sshPrivateKey";
    public const string KnownHostsKey = "knownHosts";
    public const string SshPrivateKeyPathKey = "sshPrivateKeyPath";
    public const string KnownHostsPathKey = "knownHostsPath";

    /// <summary>The Secret a store refers to, as (namespace, name), or null.</summary>
    public static (string Namespace, string Name)? RefOf(KubeObject store)
    {
        if (store.Kind != KratixApi.GitStateStoreKind || store.Spec["secretRef"] is not JsonObject secretRef || secretRef.GetString("name") is not { Length: > 0 } name)
        {
            return null;
        }

        return (secretRef.GetString("namespace") is { Length: > 0 } ns ? ns : SecretAdmission.DefaultNamespace, name);
    }

    /// <summary>
    /// The credentials a GitStateStore's writer uses (null: the user's git configuration) and a fingerprint of the Secret they
    /// come from (its uid and resourceVersion, no value), so a writer is rebuilt when the Secret changes.
    /// </summary>
    public static (GitCredentials? Credentials, string Fingerprint) Resolve(GitStateStore store, SecretStore secrets)
    {
        if (RefOf(store) is not { } reference)
        {
            return (null, "");
        }

        var (ns, name) = reference;

        var what = $"GitStateStore \"{store.Name}\"";
        if (store.AuthMethod == "githubApp")
        {
            throw new KratixException("StateStoreAuthUnsupported", KratixErrorCategory.InvalidOperation,
                $"{what}: authMethod githubApp is not supported by the embedded platform. Use basicAuth with a token (for GitHub, an installation or personal access token as the password), or ssh.",
                store.Name);
        }

        var secret = secrets.Get(ns, name) ?? throw new KratixException("StateStoreSecretNotFound", KratixErrorCategory.ObjectNotFound,
            $"{what}: its spec.secretRef names the Secret {ns}/{name}, which is not registered. Register the Secret (Register-KratixStateStore -Path <secret.yaml>), or register the store again with -Credential or -SshKeyPath.",
            store.Name);
        var data = secrets.Data(ns, name)!;
        var fingerprint = $"{secret.Uid}/{secret.Metadata.GetString("resourceVersion")}";
        string? Text(string key) => data.TryGetValue(key, out var bytes) && bytes.Length > 0 ? Encoding.UTF8.GetString(bytes) : null;

        try
        {
            if (store.AuthMethod == "ssh")
            {
                var keyPath = Text(SshPrivateKeyPathKey);
                var key = Text(SshPrivateKeyKey);
                if (keyPath is null && key is null)
                {
                    throw Invalid(what, ns, name, $"has no \"{SshPrivateKeyKey}\" (or \"{SshPrivateKeyPathKey}\") key, which authMethod ssh needs");
                }

                // A path wins over content when a Secret has both.
                var knownHostsPath = Text(KnownHostsPathKey);
                return (new GitSshCredentials(
                    privateKeyPath: keyPath,
                    privateKey: keyPath is null ? key : null,
                    knownHostsPath: knownHostsPath,
                    knownHosts: knownHostsPath is null ? Text(KnownHostsKey) : null), fingerprint);
            }

            var password = Text(PasswordKey) ?? throw Invalid(what, ns, name, $"has no \"{PasswordKey}\" key, which authMethod basicAuth needs (with an optional \"{UsernameKey}\", default {GitBasicCredentials.DefaultUsername})");
            return (new GitBasicCredentials(Text(UsernameKey), password), fingerprint);
        }
        catch (KratixException e) when (e.ErrorId == "StateStoreCredentialsInvalid")
        {
            throw Invalid(what, ns, name, $"does not hold usable credentials: {e.Message}");
        }
    }

    /// <summary>The Secret that holds <paramref name="credentials"/>, in upstream's keys (paths in the embedded platform's).</summary>
    public static JsonObject SecretFor(string ns, string name, GitCredentials credentials)
    {
        var data = new JsonObject();
        switch (credentials)
        {
            case GitBasicCredentials basic:
                data[UsernameKey] = basic.Username;
                data[PasswordKey] = basic.Password;
                break;
            case GitSshCredentials ssh:
                Add(data, SshPrivateKeyPathKey, ssh.PrivateKeyPath);
                Add(data, SshPrivateKeyKey, ssh.PrivateKey);
                Add(data, KnownHostsPathKey, ssh.KnownHostsPath);
                Add(data, KnownHostsKey, ssh.KnownHosts);
                break;
        }

        return new JsonObject
        {
            ["apiVersion"] = "v1",
            ["kind"] = "Secret",
            ["metadata"] = new JsonObject { ["name"] = name, ["namespace"] = ns },
            ["type"] = credentials is GitSshCredentials ? "kubernetes.io/ssh-auth" : "kubernetes.io/basic-auth",
            ["stringData"] = data,
        };
    }

    /// <summary>The authMethod for a kind of credentials.</summary>
    public static string AuthMethodOf(GitCredentials credentials) => credentials is GitSshCredentials ? "ssh" : "basicAuth";

    private static void Add(JsonObject data, string key, string? value)
    {
        if (value is not null)
        {
            data[key] = value;
        }
    }

    private static KratixException Invalid(string what, string ns, string name, string problem) =>
        new("StateStoreSecretInvalid", KratixErrorCategory.InvalidData, $"{what}: the Secret {ns}/{name} {problem}.", name);
}
