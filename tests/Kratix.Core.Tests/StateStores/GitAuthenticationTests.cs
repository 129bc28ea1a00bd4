using System.Text;
using Kratix.StateStores;

namespace Kratix.Tests.StateStores;

/// <summary>
/// The Git writer against a real smart-HTTP server (git http-backend behind a loopback HttpListener that enforces Basic
/// authentication): the right credentials push, wrong ones fail clearly, read-only users are told apart, and no secret is
/// written anywhere, shown in a message or put on any process's command line.
/// </summary>
public sealed class GitAuthenticationTests : IAsyncLifetime
{
    private const string WriterPassword = "wr1ter-S3CRET-7c41b2e9d0";
    private const string ReaderPassword = "r3ader-S3CRET-5a9f0c1d22";
    private const string Token = "ghp_T0KEN-S3CRET-e3b0c44298fc1c";
    private const string WrongPassword = "wr0ng-S3CRET-0000ffff1111";

    private readonly TempDirectory _temp = new();
    private readonly GitRemote _remote;
    private readonly GitHttpServer _server;
    private readonly string _globalConfig;
    private readonly string _userCredentialStore;

    public GitAuthenticationTests()
    {
        _remote = new GitRemote(_temp);
        _server = new GitHttpServer(_temp.Path);
        _server.AddUser("writer", WriterPassword, canWrite: true);
        _server.AddUser("reader", ReaderPassword, canWrite: false);
        _server.AddUser(GitBasicCredentials.DefaultUsername, Token, canWrite: true);
        foreach (var secret in new[] { WriterPassword, ReaderPassword, Token, WrongPassword })
        {
            _server.WatchedSecrets.Add(secret);
        }

        // The "user's" own git configuration has a credential helper that would write every credential git approves to a
        // file: the writer must never let it see ours.
        _userCredentialStore = _temp.Combine("user-home", ".git-credentials");
        _globalConfig = _temp.Combine("user-home", ".gitconfig");
        Directory.CreateDirectory(_temp.Combine("user-home"));
        File.WriteAllText(_globalConfig, $"[credential]\n\thelper = store --file {_userCredentialStore}\n");
    }

    public Task InitializeAsync() => Task.CompletedTask;

    public async Task DisposeAsync()
    {
        await _server.DisposeAsync();
        _temp.Dispose();
    }

    private string Url => _server.UrlOf("remote.git");

    private GitStateStoreWriter Writer(GitCredentials? credentials, string? url = null, string name = "wc",
        Dictionary<string, string>? environment = null)
    {
        var env = new Dictionary<string, string> { ["GIT_CONFIG_GLOBAL"] = _globalConfig, ["GIT_CONFIG_NOSYSTEM"] = "1" };
        foreach (var (key, value) in environment ?? [])
        {
            env[key] = value;
        }

        return new GitStateStoreWriter(new GitStateStoreOptions
        {
            Url = url ?? Url,
            WorkingDirectory = _temp.Combine(name),
            Credentials = credentials,
            Environment = env,
        });
    }

    private static StateStoreChange Change(string path, string content) =>
        new($"Update from: {path}", [new StateStoreFile(path, Encoding.UTF8.GetBytes(content))], []);

    [Fact]
    public async Task A_push_with_the_right_user_and_password_lands_as_that_user()
    {
        await using var writer = Writer(new GitBasicCredentials("writer", WriterPassword));

        var result = await writer.WriteAsync([Change("a.yaml", "a: 1\n")]);

        Assert.True(result.Changed);
        Assert.Equal("a: 1\n", _remote.Show("a.yaml"));
        Assert.Contains(_server.Requests, r => r.Request.Contains("git-receive-pack") && r.User == "writer" && r.Status == 200);
    }

    [Fact]
    public async Task A_token_alone_authenticates_as_x_access_token()
    {
        var credentials = new GitBasicCredentials(null, Token);
        Assert.Equal("x-access-token", credentials.Username);
        await using var writer = Writer(credentials);

        await writer.WriteAsync([Change("a.yaml", "1")]);

        Assert.Equal("1", _remote.Show("a.yaml"));
        Assert.Contains(_server.Requests, r => r.User == "x-access-token" && r.Status == 200);
    }

    [Fact]
    public async Task A_wrong_password_fails_with_an_authentication_error_that_does_not_show_it()
    {
        await using var writer = Writer(new GitBasicCredentials("writer", WrongPassword));

        var error = await Assert.ThrowsAsync<KratixException>(() => writer.WriteAsync([Change("a.yaml", "1")]));

        Assert.Equal("GitCommandFailed", error.ErrorId);
        Assert.Equal(KratixErrorCategory.ConnectionError, error.Category);
        Assert.Contains("Authentication failed", error.Message);
        Assert.Contains(Url, error.Message);
        Assert.DoesNotContain(WrongPassword, error.ToString());
        Assert.Null(_remote.Head());
        Assert.DoesNotContain(_server.Requests, r => r.User is not null);
    }

    [Fact]
    public async Task Without_credentials_a_protected_remote_fails_at_once_instead_of_prompting()
    {
        await using var writer = Writer(null);

        var error = await Assert.ThrowsAsync<KratixException>(() => writer.WriteAsync([Change("a.yaml", "1")]));

        Assert.Equal("GitCommandFailed", error.ErrorId);
        Assert.Contains("could not read Username", error.Message);
    }

    [Fact]
    public async Task No_secret_is_written_to_disk_shown_in_a_message_or_put_on_a_command_line()
    {
        _server.WatchCommandLinesContinuously();

        // Everything a user could have turned on to see what git does, on the failing command too.
        var tracing = new Dictionary<string, string> { ["GIT_TRACE"] = "1", ["GIT_CURL_VERBOSE"] = "1", ["GIT_TRACE_CURL"] = "1", ["GIT_TRACE_PACKET"] = "1" };
        await using (var writer = Writer(new GitBasicCredentials("writer", WriterPassword), environment: tracing))
        {
            await writer.WriteAsync([Change("a.yaml", "1")]);
            await writer.WriteAsync([Change("b.yaml", "2")]);
            Assert.True((await writer.CheckAccessAsync()).Ok);
        }

        var messages = new List<string>();
        await using (var wrong = Writer(new GitBasicCredentials("writer", WrongPassword), name: "wc-wrong", environment: tracing))
        {
            messages.Add((await Assert.ThrowsAsync<KratixException>(() => wrong.WriteAsync([Change("c.yaml", "3")]))).ToString());
            var access = await wrong.CheckAccessAsync();
            messages.Add(access.Message);
            messages.Add(access.Error!.ToString());
        }

        await using (var missing = Writer(new GitBasicCredentials("writer", WriterPassword), url: _server.UrlOf("missing.git"), name: "wc-missing", environment: tracing))
        {
            messages.Add((await Assert.ThrowsAsync<KratixException>(() => missing.WriteAsync([Change("c.yaml", "3")]))).ToString());
        }

        Assert.Contains(messages, m => m.Contains("Authentication failed", StringComparison.Ordinal));
        Assert.Contains(messages, m => m.Contains("trace:", StringComparison.Ordinal)); // the traces really were in the messages
        foreach (var secret in new[] { WriterPassword, WrongPassword })
        {
            Assert.All(messages, m => Assert.DoesNotContain(secret, m));
        }

        // Nothing on disk: the working copies (their config included), the remote, the user's credential store (never created).
        Assert.False(File.Exists(_userCredentialStore), "the user's credential helper was given the credentials to store");
        AssertNoFileContains(_temp.Path, WriterPassword, WrongPassword, Base64("writer:" + WriterPassword), Base64("writer:" + WrongPassword));
        Assert.DoesNotContain("http", File.ReadAllText(Path.Combine(_temp.Combine("wc"), "config")));

        // No command line of any process, while git ran.
        Assert.True(_server.CommandLinesInspected > 0, "the command-line scan did not run");
        Assert.Empty(_server.LeakingCommandLines);
        Assert.Equal(2, _remote.CommitCount());
    }

    [Fact]
    public async Task Check_access_as_a_writer_confirms_both_and_leaves_no_ref_and_no_object_behind()
    {
        _remote.CommitExternally("seed", ("a.yaml", "1"));
        var refsBefore = _remote.Git("for-each-ref", "--format=%(objectname) %(refname)");
        var objectsBefore = _remote.Git("cat-file", "--batch-all-objects", "--batch-check");
        await using var writer = Writer(new GitBasicCredentials("writer", WriterPassword));

        var access = await writer.CheckAccessAsync();

        Assert.True(access.Read);
        Assert.True(access.Write);
        Assert.Null(access.Error);
        Assert.Contains("pushed and deleted the probe ref refs/kratix/permission-check-", access.Message);
        Assert.Equal(refsBefore, _remote.Git("for-each-ref", "--format=%(objectname) %(refname)"));
        Assert.Equal(objectsBefore, _remote.Git("cat-file", "--batch-all-objects", "--batch-check"));
        Assert.Contains(_server.Requests, r => r.Request.Contains("git-receive-pack") && r.User == "writer");
    }

    [Fact]
    public async Task Check_access_as_a_read_only_user_reports_read_but_not_write_and_changes_nothing()
    {
        _remote.CommitExternally("seed", ("a.yaml", "1"));
        var refsBefore = _remote.Git("for-each-ref", "--format=%(objectname) %(refname)");
        await using var writer = Writer(new GitBasicCredentials("reader", ReaderPassword));

        var access = await writer.CheckAccessAsync();

        Assert.True(access.Read);
        Assert.False(access.Write);
        Assert.Equal("StateStoreNotWritable", access.Error?.ErrorId);
        Assert.Equal(KratixErrorCategory.PermissionDenied, access.Error!.Category);
        Assert.Contains("403", access.Message);
        Assert.DoesNotContain(ReaderPassword, access.Message);
        Assert.Equal(refsBefore, _remote.Git("for-each-ref", "--format=%(objectname) %(refname)"));
        var validation = await Assert.ThrowsAsync<KratixException>(() => writer.ValidatePermissionsAsync());
        Assert.Equal("StateStoreNotWritable", validation.ErrorId);
    }

    [Fact]
    public async Task Check_access_with_a_wrong_password_reports_neither_and_does_not_try_to_write()
    {
        await using var writer = Writer(new GitBasicCredentials("reader", WrongPassword));

        var access = await writer.CheckAccessAsync();

        Assert.False(access.Read);
        Assert.False(access.Write);
        Assert.Equal("StateStoreNotReadable", access.Error?.ErrorId);
        Assert.Contains("Authentication failed", access.Message);
        Assert.Contains("Write access was not checked.", access.Message);
        Assert.DoesNotContain(_server.Requests, r => r.Request.Contains("git-receive-pack"));
    }

    private static string Base64(string text) => Convert.ToBase64String(Encoding.UTF8.GetBytes(text));

    /// <summary>Fails if any file under <paramref name="root"/> contains any of <paramref name="secrets"/> (as UTF-8 bytes).</summary>
    internal static void AssertNoFileContains(string root, params string[] secrets)
    {
        var files = Directory.EnumerateFiles(root, "*", new EnumerationOptions { RecurseSubdirectories = true, AttributesToSkip = 0 }).ToList();
        Assert.NotEmpty(files);
        foreach (var file in files)
        {
            byte[] bytes;
            try
            {
                bytes = File.ReadAllBytes(file);
            }
            catch (IOException)
            {
                continue; // removed while listing (a lock file)
            }

            foreach (var secret in secrets)
            {
                Assert.True(bytes.AsSpan().IndexOf(Encoding.UTF8.GetBytes(secret)) < 0, $"{file} contains a secret");
            }
        }
    }
}
