using System.Text;
using System.Text.Json.Nodes;
using Kratix.Objects;
using Kratix.StateStores;
using Kratix.Tests.Platforms;

namespace Kratix.Tests.StateStores;

/// <summary>
/// State-store credentials on the embedded platform, against the real smart-HTTP server: where they are kept (a Secret
/// under &lt;home&gt;/secrets, 0600, never in objects/), how a store finds them (spec.secretRef), registering a Secret by
/// manifest, deleting Secrets no store uses, and TestStateStore.
/// </summary>
public sealed class StateStoreAuthenticationPlatformTests : IAsyncLifetime
{
    private const string Password = "plat-S3CRET-4f1e9a0b7c";
    private const string ReaderPassword = "read-S3CRET-8b2d6e4f10";

    private readonly PlatformFixture _platform = new();
    private readonly GitHttpServer _server;

    public StateStoreAuthenticationPlatformTests()
    {
        _server = new GitHttpServer(_platform.Root);
        _server.AddUser("writer", Password, canWrite: true);
        _server.AddUser("reader", ReaderPassword, canWrite: false);
        _server.WatchedSecrets.Add(Password);
        _server.WatchedSecrets.Add(ReaderPassword);
    }

    public Task InitializeAsync() => Task.CompletedTask;

    public async Task DisposeAsync()
    {
        await _server.DisposeAsync();
        _platform.Dispose();
    }

    private string Url => _server.UrlOf("remote.git");

    private JsonObject Store(string name = "default", string? secretRef = null, string? authMethod = null) => PlatformFixture.Yaml($"""
        apiVersion: platform.kratix.io/v1alpha1
        kind: GitStateStore
        metadata:
          name: {name}
        spec:
          url: {Url}
          branch: main
        {(authMethod is null ? "" : $"  authMethod: {authMethod}")}
        {(secretRef is null ? "" : $"  secretRef: {{name: {secretRef}}}")}
        """);

    private static JsonObject Secret(string name, string username, string password, string ns = "default") => PlatformFixture.Yaml($"""
        apiVersion: v1
        kind: Secret
        metadata:
          name: {name}
          namespace: {ns}
        type: Opaque
        data:
          username: {Convert.ToBase64String(Encoding.UTF8.GetBytes(username))}
          password: {Convert.ToBase64String(Encoding.UTF8.GetBytes(password))}
        """);

    private string SecretFile(string ns, string name) => Path.Combine(_platform.Home, "secrets", ns, name + ".yaml");

    private List<string> Logged() => _platform.Log.Drain().Select(m => m.Message).ToList();

    [Fact]
    public void Credentials_given_at_registration_become_a_private_Secret_the_store_refers_to_and_the_store_is_ready()
    {
        _server.WatchCommandLinesContinuously();
        var store = _platform.Platform.RegisterStateStore(Store(), new GitBasicCredentials("writer", Password));
        _platform.Platform.RegisterDestination(PlatformFixture.Yaml("""
            apiVersion: platform.kratix.io/v1alpha1
            kind: Destination
            metadata: {name: dev}
            spec: {path: dev, stateStoreRef: {kind: GitStateStore, name: default}}
            """));

        Assert.Equal("Ready", store.Status.GetString("status"));
        Assert.Equal("basicAuth", store.Spec.GetString("authMethod"));
        Assert.Equal("""{"name":"default-git-credentials","namespace":"default"}""", store.Spec["secretRef"]!.ToJsonString());
        Assert.NotNull(_platform.RemoteFile("dev/resources/kratix-canary-configmap.yaml"));

        var file = SecretFile("default", "default-git-credentials");
        var secret = (JsonObject)Kratix.Manifests.ManifestReader.Default.ReadFile(file).Single().Content!;
        Assert.Equal("kubernetes.io/basic-auth", secret.GetString("type"));
        Assert.Equal(Convert.ToBase64String(Encoding.UTF8.GetBytes(Password)), secret["data"]!["password"]!.GetValue<string>());
        if (!OperatingSystem.IsWindows())
        {
            Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite, File.GetUnixFileMode(file));
            Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute, File.GetUnixFileMode(Path.Combine(_platform.Home, "secrets")));
            Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute, File.GetUnixFileMode(Path.Combine(_platform.Home, "secrets", "default")));
        }

        // The secret is nowhere else: not in plain text anywhere (the home, the cache, the remote), not even base64 outside secrets/.
        GitAuthenticationTests.AssertNoFileContains(_platform.Root, Password, Convert.ToBase64String(Encoding.UTF8.GetBytes("writer:" + Password)));
        foreach (var entry in Directory.EnumerateFileSystemEntries(_platform.Home).Where(e => Path.GetFileName(e) != "secrets"))
        {
            if (Directory.Exists(entry))
            {
                GitAuthenticationTests.AssertNoFileContains(entry, Convert.ToBase64String(Encoding.UTF8.GetBytes(Password)));
            }
        }

        Assert.All(Logged(), m => Assert.DoesNotContain(Password, m));
        Assert.Empty(_server.LeakingCommandLines);
        Assert.True(_server.CommandLinesInspected > 0);
    }

    [Fact]
    public void A_wrong_password_makes_the_store_NotReady_with_a_warning_that_says_why_and_shows_no_secret()
    {
        const string wrong = "wrong-S3CRET-aa55aa55";
        var store = _platform.Platform.RegisterStateStore(Store(), new GitBasicCredentials("writer", wrong));

        Assert.Equal("NotReady", store.Status.GetString("status"));
        var message = new ConditionSet(store.Status).Get("Ready")!.Message;
        Assert.Contains("Authentication failed", message);
        var logged = Logged();
        Assert.Contains(logged, m => m.Contains("Authentication failed", StringComparison.Ordinal));
        Assert.All(logged.Append(message), m => Assert.DoesNotContain(wrong, m));
        GitAuthenticationTests.AssertNoFileContains(_platform.Root, wrong);
    }

    [Fact]
    public void A_Secret_registered_by_manifest_is_found_through_secretRef_in_either_order()
    {
        // The store first: its Secret is missing, so it is NotReady and says which Secret to register.
        var store = _platform.Platform.RegisterStateStore(Store(secretRef: "git-creds"));
        Assert.Equal("NotReady", store.Status.GetString("status"));
        Assert.Contains("Secret default/git-creds", new ConditionSet(store.Status).Get("Ready")!.Message);

        // Registering the Secret checks the stores that refer to it again, as upstream's controller watches Secrets.
        _platform.Platform.RegisterSecret(Secret("git-creds", "writer", Password));

        var checkedAgain = _platform.Platform.GetStateStores().Single();
        Assert.Equal("Ready", checkedAgain.Status.GetString("status"));
        Assert.True(File.Exists(SecretFile("default", "git-creds")));
        GitAuthenticationTests.AssertNoFileContains(_platform.Root, Password);
    }

    [Fact]
    public void A_changed_Secret_is_used_by_the_next_write_of_the_same_platform_object()
    {
        _platform.Platform.RegisterSecret(Secret("git-creds", "reader", ReaderPassword));
        var readOnly = _platform.Platform.RegisterStateStore(Store(secretRef: "git-creds"));
        Assert.Equal("NotReady", readOnly.Status.GetString("status"));
        Assert.Contains("403", new ConditionSet(readOnly.Status).Get("Ready")!.Message);

        _platform.Platform.RegisterSecret(Secret("git-creds", "writer", Password));

        Assert.Equal("Ready", _platform.Platform.GetStateStores().Single().Status.GetString("status"));
    }

    [Fact]
    public void Secret_manifests_are_validated_without_ever_showing_a_value()
    {
        var bad = PlatformFixture.Yaml("""
            apiVersion: v1
            kind: Secret
            metadata: {name: Bad_Name}
            data:
              password: not*base64-S3CRET
            """);

        var error = Assert.Throws<Kratix.Admission.AdmissionException>(() => _platform.Platform.RegisterSecret(bad));

        Assert.Equal("SecretInvalid", error.ErrorId);
        Assert.Contains(error.Problems, p => p.StartsWith("metadata.name: Invalid value: \"Bad_Name\"", StringComparison.Ordinal));
        Assert.Contains("data[password]: Invalid value: (value hidden): illegal base64 data", error.Problems);
        Assert.DoesNotContain("S3CRET", error.Message);
        Assert.False(Directory.Exists(Path.Combine(_platform.Home, "secrets", "default")));
    }

    [Fact]
    public void StringData_is_stored_as_data_and_a_token_alone_authenticates_as_x_access_token()
    {
        _server.AddUser("x-access-token", "tok-S3CRET-1234abcd", canWrite: true);
        _platform.Platform.RegisterSecret(PlatformFixture.Yaml("""
            apiVersion: v1
            kind: Secret
            metadata: {name: token, namespace: platform}
            stringData: {password: tok-S3CRET-1234abcd}
            """));
        var store = _platform.Platform.RegisterStateStore(PlatformFixture.Yaml($$"""
            apiVersion: platform.kratix.io/v1alpha1
            kind: GitStateStore
            metadata: {name: default}
            spec:
              url: "{{Url}}"
              secretRef: {name: token, namespace: platform}
            """));

        Assert.Equal("Ready", store.Status.GetString("status"));
        var stored = File.ReadAllText(SecretFile("platform", "token"));
        Assert.DoesNotContain("stringData", stored);
        Assert.DoesNotContain("tok-S3CRET-1234abcd", stored);
        Assert.Contains(_server.Requests, r => r.User == "x-access-token" && r.Request.Contains("git-receive-pack"));
    }

    [Fact]
    public void GithubApp_authentication_is_refused_clearly()
    {
        _platform.Platform.RegisterSecret(Secret("app", "x", "y"));

        var store = _platform.Platform.RegisterStateStore(Store(secretRef: "app", authMethod: "githubApp"));

        Assert.Equal("NotReady", store.Status.GetString("status"));
        Assert.Contains("githubApp is not supported by the embedded platform", new ConditionSet(store.Status).Get("Ready")!.Message);
    }

    [Fact]
    public void Test_reports_read_and_write_leaves_no_ref_and_records_nothing()
    {
        var store = _platform.Platform.RegisterStateStore(Store(), new GitBasicCredentials("writer", Password));
        _platform.RegisterDestination("dev");
        PlatformFixture.Git(_platform.Root, "--git-dir", _platform.Remote, "update-ref", "refs/heads/other", "refs/heads/main^{commit}");
        var refsBefore = RemoteRefs();
        var storeBefore = File.ReadAllText(Path.Combine(_platform.Home, "objects", "gitstatestores.platform.kratix.io", "default.yaml"));

        var result = _platform.Platform.TestStateStore("GitStateStore", "default");

        Assert.Equal(("default", "GitStateStore", true, true), (result.Name, result.Kind, result.Read, result.Write));
        Assert.Contains("pushed and deleted the probe ref", result.Message);
        Assert.True(result.Duration > TimeSpan.Zero);
        Assert.Equal(refsBefore, RemoteRefs());
        Assert.Equal(storeBefore, File.ReadAllText(Path.Combine(_platform.Home, "objects", "gitstatestores.platform.kratix.io", "default.yaml")));
        Assert.Equal("Ready", store.Status.GetString("status"));
    }

    [Fact]
    public void Test_with_a_read_only_Secret_reports_write_false_and_with_a_missing_Secret_reports_neither()
    {
        _platform.Platform.RegisterSecret(Secret("reader-creds", "reader", ReaderPassword));
        _platform.Platform.RegisterStateStore(Store(name: "readonly", secretRef: "reader-creds"));
        _platform.Platform.RegisterStateStore(Store(name: "orphan", secretRef: "missing"));

        var readOnly = _platform.Platform.TestStateStore("GitStateStore", "readonly");
        var orphan = _platform.Platform.TestStateStore("GitStateStore", "orphan");

        Assert.True(readOnly.Read);
        Assert.False(readOnly.Write);
        Assert.Contains("403", readOnly.Message);
        Assert.DoesNotContain(ReaderPassword, readOnly.Message);
        Assert.False(orphan.Read);
        Assert.False(orphan.Write);
        Assert.Contains("Secret default/missing, which is not registered", orphan.Message);
        Assert.Equal("StateStoreNotFound", Assert.Throws<KratixException>(() => _platform.Platform.TestStateStore("GitStateStore", "nope")).ErrorId);
    }

    [Fact]
    public void Test_of_a_directory_store_writes_nothing_that_stays()
    {
        var bucket = Path.Combine(_platform.Root, "buckets", "state");
        _platform.Platform.RegisterStateStore(PlatformFixture.Yaml($$"""
            apiVersion: platform.kratix.io/v1alpha1
            kind: BucketStateStore
            metadata: {name: local}
            spec: {endpoint: "{{Path.GetDirectoryName(bucket)}}", bucketName: state, authMethod: IAM}
            """));
        Directory.CreateDirectory(bucket);
        File.WriteAllText(Path.Combine(bucket, "kept.yaml"), "x");

        var result = _platform.Platform.TestStateStore("BucketStateStore", "local");

        Assert.True(result.Read && result.Write, result.Message);
        Assert.Equal(["kept.yaml"], Directory.EnumerateFileSystemEntries(bucket).Select(Path.GetFileName));
    }

    [Fact]
    public void A_Secret_no_store_uses_any_more_is_deleted()
    {
        _platform.Platform.RegisterStateStore(Store(name: "a"), new GitBasicCredentials("writer", Password));
        _platform.Platform.RegisterSecret(Secret("shared", "writer", Password));
        _platform.Platform.RegisterStateStore(Store(name: "b", secretRef: "shared"));
        _platform.Platform.RegisterStateStore(Store(name: "c", secretRef: "shared"));
        Assert.True(File.Exists(SecretFile("default", "a-git-credentials")));

        // Registered again without credentials: back to the user's git configuration, and its Secret goes.
        var a = _platform.Platform.RegisterStateStore(Store(name: "a"));
        Assert.Null(a.Spec["secretRef"]);
        Assert.False(File.Exists(SecretFile("default", "a-git-credentials")));

        // A Secret two stores share stays until the last one is unregistered.
        _platform.Platform.UnregisterStateStore("GitStateStore", "b");
        Assert.True(File.Exists(SecretFile("default", "shared")));
        _platform.Platform.UnregisterStateStore("GitStateStore", "c");
        Assert.False(File.Exists(SecretFile("default", "shared")));
        Assert.False(Directory.Exists(Path.Combine(_platform.Home, "secrets", "default")));
    }

    [Fact]
    public void Ssh_paths_given_at_registration_are_kept_in_the_Secret_and_become_authMethod_ssh()
    {
        var store = _platform.Platform.RegisterStateStore(Store(),
            new GitSshCredentials(privateKeyPath: Path.Combine(_platform.Root, "id_ed25519"), knownHostsPath: Path.Combine(_platform.Root, "known_hosts")));

        Assert.Equal("ssh", store.Spec.GetString("authMethod"));
        var stored = File.ReadAllText(SecretFile("default", "default-git-credentials"));
        Assert.Contains("sshPrivateKeyPath: ", stored);
        Assert.Contains("knownHostsPath: ", stored);
        Assert.Contains("kubernetes.io/ssh-auth", stored);
    }

    [Fact]
    public void Credentials_for_a_directory_store_are_refused_and_nothing_is_stored()
    {
        var error = Assert.Throws<KratixException>(() => _platform.Platform.RegisterStateStore(PlatformFixture.Yaml("""
            apiVersion: platform.kratix.io/v1alpha1
            kind: BucketStateStore
            metadata: {name: local}
            spec: {endpoint: /tmp, bucketName: b, authMethod: IAM}
            """), new GitBasicCredentials("u", Password)));

        Assert.Equal("StateStoreCredentialsInvalid", error.ErrorId);
        Assert.Empty(_platform.Platform.GetStateStores());
        Assert.False(Directory.Exists(Path.Combine(_platform.Home, "secrets")));
    }

    private string RemoteRefs() => PlatformFixture.TryGit(_platform.Root, "--git-dir", _platform.Remote, "for-each-ref", "--format=%(objectname) %(refname)").Output;
}
