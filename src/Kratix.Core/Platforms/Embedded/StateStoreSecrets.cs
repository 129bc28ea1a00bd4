using System.Text;
using System.Text.Json.Nodes;
using Kratix.Admission;
using Kratix.Objects;
using Kratix.StateStores;

namespace Kratix.Platforms.Embedded;

/// <summary>
/// Between a state store's <c>spec.authMethod</c> and <c>spec.secretRef</c> and the credentials its writer uses, with
/// upstream's Secret keys. GitStateStore: <c>basicAuth</c> reads <c>username</c> (default <c>x-access-token</c>) and
/// <c>password</c>; <c>ssh</c> reads <c>sshPrivateKey</c> and <c>knownHosts</c>. The embedded platform also accepts
/// <c>sshPrivateKeyPath</c> and <c>knownHostsPath</c> (files on this machine, which are not secrets and are never read by
/// Kratix), which is what <c>Register-KratixStateStore -SshKeyPath/-KnownHostsPath</c> stores. A Git store without a
/// secretRef uses the user's own git configuration. BucketStateStore on S3: <c>accessKey</c> reads <c>accessKeyID</c> and
/// <c>secretAccessKey</c>; <c>IAM</c> needs no Secret (the AWS SDK's default credential chain). No message here ever
/// includes a Secret's value.
/// </summary>
internal static class StateStoreSecrets
{
    public const string UsernameKey = "username";
    public const string PasswordKey = "password";
    public const string SshPrivateKeyKey = "sshPrivateKey";
    public const string KnownHostsKey = "knownHosts";
    public const string SshPrivateKeyPathKey = "sshPrivateKeyPath";
    public const string KnownHostsPathKey = "knownHostsPath";
    public const string AccessKeyIdKey = "accessKeyID";
    public const string SecretAccessKeyKey = "secretAccessKey";

    /// <summary>Where the AWS SDK looks for credentials with authMethod IAM, for messages.</summary>
    public const string DefaultCredentialChain = "the AWS SDK's default credential chain (web identity, AWS_PROFILE in ~/.aws, AWS_ACCESS_KEY_ID/AWS_SECRET_ACCESS_KEY, container or instance role)";

    /// <summary>The Secret a store refers to, as (namespace, name), or null.</summary>
    public static (string Namespace, string Name)? RefOf(KubeObject store)
    {
        if (store.Spec["secretRef"] is not JsonObject secretRef || secretRef.GetString("name") is not { Length: > 0 } name)
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

    /// <summary>
    /// The access key an S3 BucketStateStore's writer uses (null: authMethod IAM, the SDK's default credential chain), a
    /// fingerprint of the Secret it comes from (its uid and resourceVersion, no value) so a writer is rebuilt when the
    /// Secret changes, and where the credentials come from, for messages.
    /// </summary>
    public static (BucketCredentials? Credentials, string Fingerprint, string Source) ResolveBucket(BucketStateStore store, SecretStore secrets)
    {
        if (store.AuthMethod == "IAM")
        {
            return (null, "", DefaultCredentialChain);
        }

        var what = $"BucketStateStore \"{store.Name}\"";
        if (RefOf(store) is not { } reference)
        {
            throw new KratixException("StateStoreSecretNotFound", KratixErrorCategory.ObjectNotFound,
                $"{what}: authMethod accessKey needs spec.secretRef, naming a Secret with the keys \"{AccessKeyIdKey}\" and \"{SecretAccessKeyKey}\". Register the store again with -Credential (the access key id as the user name, the secret access key as the password), or set spec.authMethod to IAM.",
                store.Name);
        }

        var (ns, name) = reference;
        var secret = secrets.Get(ns, name) ?? throw new KratixException("StateStoreSecretNotFound", KratixErrorCategory.ObjectNotFound,
            $"{what}: its spec.secretRef names the Secret {ns}/{name}, which is not registered. Register the Secret (Register-KratixStateStore -Path <secret.yaml>), or register the store again with -Credential.",
            store.Name);
        var data = secrets.Data(ns, name)!;
        string? Text(string key) => data.TryGetValue(key, out var bytes) && bytes.Length > 0 ? Encoding.UTF8.GetString(bytes) : null;
        var accessKeyId = Text(AccessKeyIdKey) ?? throw Invalid(what, ns, name, $"has no \"{AccessKeyIdKey}\" key, which authMethod accessKey needs (with \"{SecretAccessKeyKey}\")");
        var secretAccessKey = Text(SecretAccessKeyKey) ?? throw Invalid(what, ns, name, $"has no \"{SecretAccessKeyKey}\" key, which authMethod accessKey needs (with \"{AccessKeyIdKey}\")");
        try
        {
            return (new BucketCredentials(accessKeyId, secretAccessKey), $"{secret.Uid}/{secret.Metadata.GetString("resourceVersion")}", $"the Secret {ns}/{name}");
        }
        catch (KratixException e) when (e.ErrorId == "StateStoreCredentialsInvalid")
        {
            throw Invalid(what, ns, name, $"does not hold usable credentials: {e.Message}");
        }
    }

    /// <summary>
    /// What credentials given to Register-KratixStateStore mean for <paramref name="store"/>: a user and password become
    /// basic authentication for a Git store and an access key for an S3 bucket. Throws when they cannot apply to it.
    /// </summary>
    public static StateStoreCredentials ForStore(KubeObject store, StateStoreCredentials given)
    {
        var what = $"{store.Kind} \"{store.Name}\"";
        if (store.Kind == KratixApi.GitStateStoreKind)
        {
            return given switch
            {
                GitCredentials git => git,
                PasswordCredentials password => new GitBasicCredentials(password.UserName, password.Password),
                _ => throw NotApplicable($"{what}: {given} cannot authenticate to a Git repository. Give -Credential, -Token or -SshKeyPath."),
            };
        }

        var bucket = new BucketStateStore(store.Node);
        if (!BucketEndpoint.Parse(bucket.Endpoint, bucket.Insecure).IsS3)
        {
            throw NotApplicable($"{what}: credentials apply to GitStateStores and S3 buckets only; a directory store needs none.");
        }

        return given switch
        {
            BucketCredentials access => access,
            PasswordCredentials { UserName: { } user } password => new BucketCredentials(user, password.Password),
            PasswordCredentials => throw NotApplicable($"{what}: an S3 bucket needs an access key id and a secret access key, not a token alone: give -Credential with the access key id as the user name and the secret access key as the password."),
            _ => throw NotApplicable($"{what}: {given} cannot authenticate to an S3 bucket. Give -Credential with the access key id as the user name and the secret access key as the password, or use authMethod IAM."),
        };
    }

    /// <summary>The name of the Secret Register-KratixStateStore creates for a store's credentials when its secretRef names none.</summary>
    public static string DefaultSecretName(KubeObject store) =>
        store.Name + (store.Kind == KratixApi.GitStateStoreKind ? "-git-credentials" : "-bucket-credentials");

    /// <summary>The Secret that holds <paramref name="credentials"/>, in upstream's keys (paths in the embedded platform's).</summary>
    public static JsonObject SecretFor(string ns, string name, StateStoreCredentials credentials)
    {
        var data = new JsonObject();
        switch (credentials)
        {
            case BucketCredentials access:
                data[AccessKeyIdKey] = access.AccessKeyId;
                data[SecretAccessKeyKey] = access.SecretAccessKey;
                break;
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
            ["type"] = credentials switch
            {
                GitSshCredentials => "kubernetes.io/ssh-auth",
                GitBasicCredentials => "kubernetes.io/basic-auth",
                _ => "Opaque",
            },
            ["stringData"] = data,
        };
    }

    /// <summary>The authMethod for a kind of credentials (as <see cref="ForStore"/> returns them).</summary>
    public static string AuthMethodOf(StateStoreCredentials credentials) => credentials switch
    {
        GitSshCredentials => "ssh",
        BucketCredentials => "accessKey",
        _ => "basicAuth",
    };

    private static void Add(JsonObject data, string key, string? value)
    {
        if (value is not null)
        {
            data[key] = value;
        }
    }

    private static KratixException NotApplicable(string message) =>
        new("StateStoreCredentialsInvalid", KratixErrorCategory.InvalidArgument, message);

    private static KratixException Invalid(string what, string ns, string name, string problem) =>
        new("StateStoreSecretInvalid", KratixErrorCategory.InvalidData, $"{what}: the Secret {ns}/{name} {problem}.", name);
}
