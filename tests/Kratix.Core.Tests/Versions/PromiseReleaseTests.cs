using System.Net;
using System.Net.Sockets;
using System.Text;
using System.Text.Json.Nodes;
using Kratix.Objects;
using Kratix.Platforms;
using Kratix.Tests.Platforms;
using static Kratix.Tests.Platforms.PlatformFixture;
using static Kratix.Tests.Versions.VersionPromises;

namespace Kratix.Tests.Versions;

/// <summary>
/// PromiseReleases on the embedded platform (behaviour.md 5.5, upstream's promiserelease controller and URLFetcher),
/// against a real HTTP server (HttpListener) on 127.0.0.1 that serves Promises and checks the Authorization header.
/// </summary>
public sealed class PromiseReleaseTests : IDisposable
{
    private const string Token = "Bearer s3cr3t-t0ken-value";
    private readonly PlatformFixture _f = new();
    private readonly PromiseServer _server = new(Token);

    public void Dispose()
    {
        _server.Dispose();
        _f.Dispose();
    }

    private static JsonObject Release(string name, Uri url, string? version = null, string? secret = null) =>
        PromiseReleases.New(name, url, version, secret, secret is null ? null : "default");

    private void RegisterTokenSecret(string value) => _f.Platform.RegisterSecret(Yaml($"""
        apiVersion: v1
        kind: Secret
        metadata:
          name: promise-token
          namespace: default
        type: Opaque
        data:
          authorizationHeader: {Convert.ToBase64String(Encoding.UTF8.GetBytes(value))}
        """));

    [Fact]
    public void A_release_installs_the_promise_at_its_url_labelled_with_the_release_and_fills_in_its_version()
    {
        _server.Serve("/public/thing.yaml", Thing("v1.0.0"));

        var release = _f.Platform.InstallPromiseRelease(Release("thing-release", _server.Url("/public/thing.yaml")));

        Assert.Equal("Installed", release.Status.GetString("status"));
        var installed = release.Conditions.Get("Installed")!;
        Assert.Equal(("True", "InstalledSuccessfully", "Installed successfully"), (installed.Status, installed.Reason, installed.Message));
        Assert.Equal("v1.0.0", release.Spec.GetString("version"));
        var promise = Assert.Single(_f.Platform.GetPromises());
        Assert.Equal("thing-release", promise.GetLabel("kratix.io/promise-release-name"));
        Assert.Equal("v1.0.0", promise.GetLabel("kratix.io/promise-version"));
        Assert.Single(_f.Platform.GetPromiseRevisions("thing"));
    }

    [Fact]
    public void A_release_whose_promise_has_another_version_is_refused_and_installs_nothing()
    {
        _server.Serve("/public/thing.yaml", Thing("v2.0.0"));

        var error = Assert.Throws<KratixException>(() => _f.Platform.InstallPromiseRelease(Release("thing-release", _server.Url("/public/thing.yaml"), version: "v1.0.0")));

        Assert.Equal("PromiseReleaseVersionMismatch", error.ErrorId);
        Assert.Contains("Version labels do not match, found: v2.0.0, expected: v1.0.0", error.Message, StringComparison.Ordinal);
        Assert.Empty(_f.Platform.GetPromises());
    }

    [Fact]
    public void A_promise_without_a_version_label_is_refused()
    {
        _server.Serve("/public/thing.yaml", Thing("v1.0.0").Replace("    kratix.io/promise-version: v1.0.0\n", "    team: a\n", StringComparison.Ordinal));
        var error = Assert.Throws<KratixException>(() => _f.Platform.InstallPromiseRelease(Release("thing-release", _server.Url("/public/thing.yaml"))));
        Assert.Equal("PromiseReleaseVersionLabelNotFound", error.ErrorId);
        Assert.Empty(_f.Platform.GetPromises());
    }

    [Fact]
    public void The_secrets_authorization_header_is_sent_and_never_shown()
    {
        _server.Serve("/private/thing.yaml", Thing("v1.0.0"), requireAuthorization: true);
        RegisterTokenSecret(Token);

        _f.Platform.InstallPromiseRelease(Release("thing-release", _server.Url("/private/thing.yaml"), "v1.0.0", secret: "promise-token"));

        Assert.Equal(Token, _server.LastAuthorization);
        Assert.Single(_f.Platform.GetPromises());
        Assert.DoesNotContain(_f.Log.Drain(), e => e.Message.Contains("s3cr3t", StringComparison.Ordinal));
    }

    [Fact]
    public void Basic_auth_from_the_secret_works_as_a_bearer_token_does()
    {
        var basic = "Basic " + Convert.ToBase64String(Encoding.UTF8.GetBytes("reader:pa55word"));
        using var server = new PromiseServer(basic);
        server.Serve("/private/thing.yaml", Thing("v1.0.0"), requireAuthorization: true);
        RegisterTokenSecret(basic);

        _f.Platform.InstallPromiseRelease(Release("thing-release", server.Url("/private/thing.yaml"), secret: "promise-token"));

        Assert.Equal(basic, server.LastAuthorization);
        Assert.Single(_f.Platform.GetPromises());
    }

    [Fact]
    public void A_refused_credential_is_an_error_that_names_the_url_but_not_the_secret()
    {
        _server.Serve("/private/thing.yaml", Thing("v1.0.0"), requireAuthorization: true);
        RegisterTokenSecret("Bearer wrong-s3cr3t");

        var error = Assert.Throws<KratixException>(() => _f.Platform.InstallPromiseRelease(Release("thing-release", _server.Url("/private/thing.yaml"), secret: "promise-token")));

        Assert.Equal("PromiseFetchFailed", error.ErrorId);
        Assert.Contains("status code 401", error.Message, StringComparison.Ordinal);
        Assert.Contains("/private/thing.yaml", error.Message, StringComparison.Ordinal);
        Assert.DoesNotContain("s3cr3t", error.ToString(), StringComparison.Ordinal);
        Assert.DoesNotContain(_f.Log.Drain(), e => e.Message.Contains("s3cr3t", StringComparison.Ordinal));
        Assert.Empty(_f.Platform.GetPromises());
    }

    [Fact]
    public void Without_a_secret_a_private_promise_is_refused_with_401()
    {
        _server.Serve("/private/thing.yaml", Thing("v1.0.0"), requireAuthorization: true);
        var error = Assert.Throws<KratixException>(() => _f.Platform.InstallPromiseRelease(Release("thing-release", _server.Url("/private/thing.yaml"))));
        Assert.Equal("PromiseFetchFailed", error.ErrorId);
        Assert.Null(_server.LastAuthorization);
    }

    [Fact]
    public void A_secret_ref_to_a_missing_secret_is_refused()
    {
        _server.Serve("/public/thing.yaml", Thing("v1.0.0"));
        var error = Assert.Throws<KratixException>(() => _f.Platform.InstallPromiseRelease(Release("thing-release", _server.Url("/public/thing.yaml"), secret: "absent")));
        Assert.Equal("SecretNotFound", error.ErrorId);
    }

    [Fact]
    public void Only_one_promise_document_is_accepted()
    {
        _server.Serve("/two.yaml", Thing("v1.0.0") + "\n---\n" + Thing("v1.0.0", name: "other"));
        _server.Serve("/configmap.yaml", "apiVersion: v1\nkind: ConfigMap\nmetadata: {name: x}\n");
        Assert.Contains("multiple documents", Assert.Throws<KratixException>(() => _f.Platform.InstallPromiseRelease(Release("r", _server.Url("/two.yaml")))).Message, StringComparison.Ordinal);
        Assert.Contains("found object of kind: ConfigMap", Assert.Throws<KratixException>(() => _f.Platform.InstallPromiseRelease(Release("r", _server.Url("/configmap.yaml")))).Message, StringComparison.Ordinal);
        Assert.Contains("status code 404", Assert.Throws<KratixException>(() => _f.Platform.InstallPromiseRelease(Release("r", _server.Url("/missing.yaml")))).Message, StringComparison.Ordinal);
    }

    [Fact]
    public void A_release_needs_an_http_url()
    {
        var release = Release("r", new Uri("http://127.0.0.1/x.yaml"));
        release["spec"]!["sourceRef"]!["url"] = "ftp://127.0.0.1/x.yaml";
        Assert.Equal("PromiseReleaseInvalid", Assert.Throws<KratixException>(() => _f.Platform.InstallPromiseRelease(release)).ErrorId);
    }

    [Fact]
    public void A_release_name_comes_from_the_urls_file_or_folder()
    {
        Assert.Equal("redis", PromiseReleases.NameFor(new Uri("https://example.test/promises/redis/promise.yaml")));
        Assert.Equal("postgres-v2", PromiseReleases.NameFor(new Uri("https://example.test/Postgres_v2.yaml")));
    }

    /// <summary>An HTTP server on 127.0.0.1 at a free port, serving fixed documents; private paths need one Authorization header.</summary>
    private sealed class PromiseServer : IDisposable
    {
        private readonly HttpListener _listener = new();
        private readonly Dictionary<string, (string Body, bool Private)> _documents = new(StringComparer.Ordinal);
        private readonly string _authorization;
        private readonly int _port;

        public PromiseServer(string authorization)
        {
            _authorization = authorization;
            var probe = new TcpListener(IPAddress.Loopback, 0);
            probe.Start();
            _port = ((IPEndPoint)probe.LocalEndpoint).Port;
            probe.Stop();
            _listener.Prefixes.Add($"http://127.0.0.1:{_port}/");
            _listener.Start();
            _ = Task.Run(Loop);
        }

        public string? LastAuthorization { get; private set; }

        public Uri Url(string path) => new($"http://127.0.0.1:{_port}{path}");

        public void Serve(string path, string body, bool requireAuthorization = false)
        {
            lock (_documents)
            {
                _documents[path] = (body, requireAuthorization);
            }
        }

        private async Task Loop()
        {
            while (_listener.IsListening)
            {
                HttpListenerContext context;
                try
                {
                    context = await _listener.GetContextAsync().ConfigureAwait(false);
                }
                catch (Exception ex) when (ex is HttpListenerException or ObjectDisposedException)
                {
                    return;
                }

                LastAuthorization = context.Request.Headers["Authorization"];
                (string Body, bool Private) document;
                bool found;
                lock (_documents)
                {
                    found = _documents.TryGetValue(context.Request.Url!.AbsolutePath, out document);
                }

                context.Response.StatusCode = !found ? 404 : document.Private && LastAuthorization != _authorization ? 401 : 200;
                var bytes = Encoding.UTF8.GetBytes(context.Response.StatusCode == 200 ? document.Body : "no");
                await context.Response.OutputStream.WriteAsync(bytes).ConfigureAwait(false);
                context.Response.Close();
            }
        }

        public void Dispose() => _listener.Close();
    }
}
