using System.Text;
using System.Text.Json.Nodes;
using Kratix.Objects;
using Kratix.StateStores;
using Kratix.Tests.StateStores;
using static Kratix.Tests.Platforms.PlatformFixture;
using static Kratix.Tests.Platforms.TestPromises;

namespace Kratix.Tests.Platforms;

/// <summary>
/// BucketStateStores on a real S3-compatible server (<see cref="S3Server"/>) through the embedded platform: the three
/// filepath modes give the same files as in a Git repository or a directory, credentials become a private Secret, a
/// wrong or read-only key makes the store NotReady saying why without showing the secret, TestStateStore leaves no
/// object, and authMethod IAM takes the key from the environment.
/// </summary>
[Collection(S3ServerCollection.Name)]
public sealed class S3BucketPlatformTests(S3Server server) : IDisposable
{
    private static readonly string[] CanaryFiles = ["kratix-canary-configmap.yaml", "kratix-canary-namespace.yaml"];
    private readonly PlatformFixture _f = new();
    private readonly string _bucket = server.NewBucket();

    public void Dispose() => _f.Dispose();

    private JsonObject Store(string name = "s3", string? authMethod = null, string? secretRef = null) => Yaml($"""
        apiVersion: platform.kratix.io/v1alpha1
        kind: BucketStateStore
        metadata:
          name: {name}
        spec:
          endpoint: {server.Endpoint}
          insecure: true
          bucketName: {_bucket}
          path: platform
        {(authMethod is null ? "" : $"  authMethod: {authMethod}")}
        {(secretRef is null ? "" : $"  secretRef: {{name: {secretRef}}}")}
        """);

    private static JsonObject Secret(string name, string accessKeyId, string secretAccessKey) => Yaml($"""
        apiVersion: v1
        kind: Secret
        metadata:
          name: {name}
          namespace: default
        data:
          accessKeyID: {Convert.ToBase64String(Encoding.UTF8.GetBytes(accessKeyId))}
          secretAccessKey: {Convert.ToBase64String(Encoding.UTF8.GetBytes(secretAccessKey))}
        """);

    private void Destination(string name, string extraSpec = "", string store = "s3") =>
        _f.Platform.RegisterDestination(Yaml($$"""
            apiVersion: platform.kratix.io/v1alpha1
            kind: Destination
            metadata:
              name: {{name}}
              labels: {environment: dev}
            spec:
              path: {{name}}
              stateStoreRef: {kind: BucketStateStore, name: {{store}}}
            {{extraSpec}}
            """));

    private List<string> Files(string under = "") =>
        server.Keys(_bucket).Where(k => k.StartsWith("platform/" + under, StringComparison.Ordinal)).Select(k => k["platform/".Length..]).ToList();

    private string? File(string path) => server.Text(_bucket, "platform/" + path);

    private string SecretFile(string name) => Path.Combine(_f.Home, "secrets", "default", name + ".yaml");

    [Fact]
    public void Credentials_given_at_registration_become_a_private_Secret_and_the_nested_layout_lands_in_the_bucket()
    {
        var store = _f.Platform.RegisterStateStore(Store(), new PasswordCredentials(S3Server.AccessKeyId, server.SecretAccessKey));
        Destination("dev-1");
        _f.Platform.InstallPromise(Yaml(TestPromises.WithDependencies));

        Assert.Equal("Ready", store.Status.GetString("status"));
        Assert.Equal("accessKey", store.Spec.GetString("authMethod"));
        Assert.Equal("""{"name":"s3-bucket-credentials","namespace":"default"}""", store.Spec["secretRef"]!.ToJsonString());
        var secret = (JsonObject)Kratix.Manifests.ManifestReader.Default.ReadFile(SecretFile("s3-bucket-credentials")).Single().Content!;
        Assert.Equal("Opaque", secret.GetString("type"));
        Assert.Equal(Convert.ToBase64String(Encoding.UTF8.GetBytes(S3Server.AccessKeyId)), secret["data"]!["accessKeyID"]!.GetValue<string>());
        Assert.Equal(Convert.ToBase64String(Encoding.UTF8.GetBytes(server.SecretAccessKey)), secret["data"]!["secretAccessKey"]!.GetValue<string>());
        if (!OperatingSystem.IsWindows())
        {
            Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite, System.IO.File.GetUnixFileMode(SecretFile("s3-bucket-credentials")));
        }

        Assert.Equal(
            ["dev-1/dependencies/kratix-canary-namespace.yaml", "dev-1/dependencies/redis/5058f/static/redis-dependencies.yaml", "dev-1/resources/kratix-canary-configmap.yaml"],
            Files());
        Assert.Equal("apiVersion: v1\nkind: Namespace\nmetadata:\n  name: kratix-worker-system\nspec: {}\nstatus: {}\n", File("dev-1/dependencies/kratix-canary-namespace.yaml"));
        Assert.Contains("redis-operator", File("dev-1/dependencies/redis/5058f/static/redis-dependencies.yaml"), StringComparison.Ordinal);
        Assert.All(_f.Platform.GetWorkPlacements(), p => Assert.True(p.Conditions.IsTrue("Ready")));

        // The secret key is in the Secret only (base64): nowhere in plain text, and not even encoded outside secrets/.
        StateStores.GitAuthenticationTests.AssertNoFileContains(_f.Root, server.SecretAccessKey);
        foreach (var folder in Directory.EnumerateDirectories(_f.Home).Where(d => Path.GetFileName(d) != "secrets"))
        {
            StateStores.GitAuthenticationTests.AssertNoFileContains(folder, Convert.ToBase64String(Encoding.UTF8.GetBytes(server.SecretAccessKey)));
        }

        Assert.All(_f.Log.Drain(), m => Assert.DoesNotContain(server.SecretAccessKey, m.Message));
        Assert.Empty(server.DataFilesContaining(server.SecretAccessKey));
        Assert.DoesNotContain(server.Output, line => line.Contains(server.SecretAccessKey, StringComparison.Ordinal));

        // Removing the Promise deletes its file; the canary documents stay.
        _f.Platform.UninstallPromise("redis");
        Assert.Equal(["dev-1/dependencies/kratix-canary-namespace.yaml", "dev-1/resources/kratix-canary-configmap.yaml"], Files());

        // Registered again with no credentials: authMethod IAM, and the Secret no store uses is deleted.
        _f.Platform.UnregisterDestination("dev-1");
        using var noCredentials = EnvironmentScope.AwsAccessKey("", "", _f.Root);
        var iam = _f.Platform.RegisterStateStore(Store(authMethod: "IAM"));
        Assert.False(System.IO.File.Exists(SecretFile("s3-bucket-credentials")));
        Assert.Equal("NotReady", iam.Status.GetString("status"));
        Assert.Contains($"Found no credentials for the S3 bucket '{_bucket}'", new ConditionSet(iam.Status).Get("Ready")!.Message);
        Assert.Contains("set AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY", new ConditionSet(iam.Status).Get("Ready")!.Message);
    }

    [Fact]
    public void The_none_and_aggregatedYAML_modes_write_the_same_files_as_in_a_repository()
    {
        _f.Platform.RegisterSecret(Secret("s3-keys", S3Server.AccessKeyId, server.SecretAccessKey));
        _f.Platform.RegisterStateStore(Store(secretRef: "s3-keys"));
        Destination("nested");
        Destination("flat", "  filepath:\n    mode: none");
        Destination("agg", "  filepath:\n    mode: aggregatedYAML");

        _f.Platform.InstallPromise(Yaml(DependenciesPromise("apple", "a")));
        _f.Platform.InstallPromise(Yaml(DependenciesPromise("zebra", "z")));

        var flat = _f.Platform.GetWorkPlacements().Single(p => p.PromiseName == "apple" && p.TargetDestinationName == "flat").Name;
        Assert.Equal(Dependencies("apple", "a") + "\n---\n" + Dependencies("zebra", "z"), File("agg/aggregated.yaml"));
        Assert.Equal(Dependencies("apple", "a"), File("nested/dependencies/apple/5058f/static/apple-dependencies.yaml"));
        Assert.Equal(Dependencies("apple", "a"), File("flat/static/apple-dependencies.yaml"));
        Assert.Equal("files:\n- flat/static/apple-dependencies.yaml\n", File($"flat/.kratix/kratix-platform-system-{flat}.yaml"));
        Assert.Equal(["agg/aggregated.yaml", .. CanaryFiles.Select(f => "agg/" + f)], Files("agg/"));

        // A changed Promise replaces its nested directory's contents and rewrites the aggregate.
        _f.Platform.InstallPromise(Yaml(DependenciesPromise("apple", "a2")));
        Assert.Equal(Dependencies("apple", "a2"), File("nested/dependencies/apple/5058f/static/apple-dependencies.yaml"));
        Assert.Equal(Dependencies("apple", "a2") + "\n---\n" + Dependencies("zebra", "z"), File("agg/aggregated.yaml"));

        _f.Platform.UninstallPromise("apple");
        _f.Platform.UninstallPromise("zebra");

        Assert.Equal(
            [.. CanaryFiles.Select(f => "agg/" + f), .. CanaryFiles.Select(f => "flat/" + f), "nested/dependencies/kratix-canary-namespace.yaml", "nested/resources/kratix-canary-configmap.yaml"],
            Files());
    }

    [Fact]
    public void A_missing_or_wrong_Secret_makes_the_store_NotReady_saying_why_and_showing_no_secret()
    {
        var wrong = "wrong-" + Guid.NewGuid().ToString("N");

        var missing = _f.Platform.RegisterStateStore(Store(secretRef: "s3-keys"));
        Assert.Equal("NotReady", missing.Status.GetString("status"));
        Assert.Contains("names the Secret default/s3-keys, which is not registered", new ConditionSet(missing.Status).Get("Ready")!.Message);

        _f.Platform.RegisterSecret(Secret("s3-keys", S3Server.AccessKeyId, wrong));
        var store = _f.Platform.GetStateStores().Single();
        var message = new ConditionSet(store.Status).Get("Ready")!.Message;
        var test = _f.Platform.TestStateStore(KratixApi.BucketStateStoreKind, "s3");

        Assert.Equal("NotReady", store.Status.GetString("status"));
        Assert.Contains($"the S3 bucket '{_bucket}' at http://{server.Endpoint} (under 'platform/')", message);
        Assert.Contains("SignatureDoesNotMatch", message);
        Assert.Contains("correct secretAccessKey there", message);
        Assert.Contains("the Secret default/s3-keys", message);
        Assert.False(test.Read);
        Assert.False(test.Write);
        var logged = _f.Log.Drain().Select(m => m.Message).ToList();
        Assert.Contains(logged, m => m.Contains("SignatureDoesNotMatch", StringComparison.Ordinal));
        Assert.All(logged.Append(message).Append(test.Message), m => Assert.DoesNotContain(wrong, m));
        StateStores.GitAuthenticationTests.AssertNoFileContains(_f.Root, wrong);
        Assert.Empty(server.DataFilesContaining(wrong));
        Assert.DoesNotContain(server.Output, line => line.Contains(wrong, StringComparison.Ordinal));

        // The right key: the same Secret registered again makes the store Ready.
        _f.Platform.RegisterSecret(Secret("s3-keys", S3Server.AccessKeyId, server.SecretAccessKey));
        Assert.Equal("Ready", _f.Platform.GetStateStores().Single().Status.GetString("status"));
    }

    [Fact]
    public void TestStateStore_reports_read_and_write_access_and_leaves_no_object()
    {
        _f.Platform.RegisterStateStore(Store(name: "writer"), new PasswordCredentials(S3Server.AccessKeyId, server.SecretAccessKey));
        _f.Platform.RegisterStateStore(Store(name: "reader"), new PasswordCredentials(S3Server.ReadOnlyAccessKeyId, server.ReadOnlySecretAccessKey));

        var writer = _f.Platform.TestStateStore(KratixApi.BucketStateStoreKind, "writer");
        var reader = _f.Platform.TestStateStore(KratixApi.BucketStateStoreKind, "reader");

        Assert.True(writer.Read && writer.Write, writer.Message);
        Assert.Contains("multipart upload of 'platform/.kratix-write-permission-check'", writer.Message);
        Assert.True(reader.Read);
        Assert.False(reader.Write);
        Assert.Contains("AccessDenied", reader.Message);
        Assert.Equal("NotReady", _f.Platform.GetStateStores().Single(s => s.Name == "reader").Status.GetString("status"));
        Assert.Empty(server.Keys(_bucket));
    }

    [Fact]
    public void IAM_takes_the_access_key_from_the_environment()
    {
        using (EnvironmentScope.AwsAccessKey(S3Server.AccessKeyId, server.SecretAccessKey, _f.Root))
        {
            var store = _f.Platform.RegisterStateStore(Store(authMethod: "IAM"));
            Destination("dev-1");

            Assert.Equal("Ready", store.Status.GetString("status"));
            Assert.Null(store.Spec["secretRef"]);
            Assert.Equal(["dev-1/dependencies/kratix-canary-namespace.yaml", "dev-1/resources/kratix-canary-configmap.yaml"], Files());
        }
    }

    [Fact]
    public void Credentials_that_cannot_apply_are_refused_with_what_to_give_instead()
    {
        var token = Assert.Throws<KratixException>(() => _f.Platform.RegisterStateStore(Store(), new PasswordCredentials(null, "a-token")));
        var ssh = Assert.Throws<KratixException>(() => _f.Platform.RegisterStateStore(Store(), new GitSshCredentials(privateKeyPath: "/tmp/id")));
        var directory = Assert.Throws<KratixException>(() => _f.Platform.RegisterStateStore(Yaml($$"""
            apiVersion: platform.kratix.io/v1alpha1
            kind: BucketStateStore
            metadata: {name: local}
            spec: {endpoint: {{Path.Combine(_f.Root, "buckets")}}, bucketName: b}
            """), new PasswordCredentials("id", "secret")));

        Assert.Equal("StateStoreCredentialsInvalid", token.ErrorId);
        Assert.Contains("not a token alone", token.Message);
        Assert.Contains("-Credential with the access key id as the user name", ssh.Message);
        Assert.Contains("a directory store needs none", directory.Message);
        Assert.Empty(_f.Platform.GetStateStores());
        Assert.False(Directory.Exists(Path.Combine(_f.Home, "secrets")));
    }
}
