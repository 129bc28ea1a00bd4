using System.Net;
using System.Text;
using System.Text.Json.Nodes;
using Kratix.Manifests;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Server.Kestrel.Core;
using Microsoft.AspNetCore.Server.Kestrel.Https;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace Kratix.ApiServerDouble;

/// <summary>
/// A TEST DOUBLE of the Kubernetes API server — not a Kubernetes API server. It listens on 127.0.0.1 (a port of its
/// own) over HTTPS with a certificate authority made at start, keeps every object in memory, and serves what the
/// Kratix cluster backend relies on: discovery and OpenAPI v3, CRDs (establishing them) and custom resources of any
/// installed CRD, namespaces, Secrets, ConfigMaps, Jobs, Pods and their logs, with the API's rules (resourceVersion
/// conflicts, Status errors with causes, the status subresource, server-side apply, dry run, finalizers, label and
/// field selectors, watches with bookmarks and 410 Gone), bearer-token and client-certificate authentication, a small
/// RBAC, and fault injection. docs/api-server-double.md says what it implements and what it does not.
/// </summary>
public sealed class ApiServerDouble : IAsyncDisposable
{
    private readonly ApiServerDoubleOptions options;
    private readonly Certificates certificates;
    private readonly Resources resources;
    private readonly CancellationTokenSource stopping = new();
    private WebApplication? app;
    private Task? bookmarkLoop;

    private ApiServerDouble(ApiServerDoubleOptions options)
    {
        this.options = options;
        certificates = new Certificates();
        Storage = new Storage(options.HistoryLimit);
        Registry = new Registry();
        var controllers = new Controllers(Storage, Registry, options);
        PodLogs = new PodLogs();
        resources = new Resources(Storage, Registry, controllers, options, PodLogs);
        controllers.Delete = (type, obj) => resources.DeleteLocked(type, obj, dryRun: false);
        Authentication = new Authentication(certificates);
        Authorization = new Authorization();
        Faults = new Faults(Storage);
        AdminToken = Authentication.AddUser(AdminUser, "system:masters", "system:authenticated");
    }

    /// <summary>The user every kubeconfig from <see cref="WriteKubeconfig"/> uses by default: a member of system:masters.</summary>
    public const string AdminUser = "kratix-admin";

    /// <summary>https://127.0.0.1:{port}.</summary>
    public Uri Uri { get; private set; } = null!;

    /// <summary>The CA that signed the server's certificate, as PEM (what a kubeconfig's certificate-authority-data holds).</summary>
    public string CertificateAuthorityPem => certificates.AuthorityPem;

    /// <summary>A bearer token for <see cref="AdminUser"/>.</summary>
    public string AdminToken { get; }

    /// <summary>Users and their tokens.</summary>
    public Authentication Authentication { get; }

    /// <summary>What users other than system:masters may do.</summary>
    public Authorization Authorization { get; }

    /// <summary>Failures to inject: 429/5xx answers, dropped watches, compacted history.</summary>
    public Faults Faults { get; }

    /// <summary>The logs pods/log returns.</summary>
    public PodLogs PodLogs { get; }

    /// <summary>The objects and their history.</summary>
    public Storage Storage { get; }

    /// <summary>The types served.</summary>
    public Registry Registry { get; }

    /// <summary>Starts a double on 127.0.0.1 with a port of its own, with the namespaces and CRDs the options name.</summary>
    public static async Task<ApiServerDouble> StartAsync(ApiServerDoubleOptions? options = null, CancellationToken cancellationToken = default)
    {
        var server = new ApiServerDouble(options ?? new ApiServerDoubleOptions());
        try
        {
            server.Seed();
            await server.ListenAsync(cancellationToken);
            return server;
        }
        catch
        {
            await server.DisposeAsync();
            throw;
        }
    }

    /// <summary>
    /// Writes a kubeconfig for kubectl and KubernetesClient: the server, its CA, and <paramref name="user"/>'s
    /// credentials — a client certificate (CN user, O groups) or, with <paramref name="token"/>, a bearer token.
    /// </summary>
    public string WriteKubeconfig(string path, string user = AdminUser, string? token = null, IEnumerable<string>? groups = null, string ns = "default")
    {
        var sb = new StringBuilder();
        sb.Append("# A kubeconfig for the Kratix API server TEST DOUBLE (tests/Kratix.ApiServerDouble), not a cluster.\n");
        sb.Append("apiVersion: v1\nkind: Config\nclusters:\n- name: apiserver-double\n  cluster:\n");
        sb.Append("    server: ").Append(Uri.ToString().TrimEnd('/')).Append('\n');
        sb.Append("    certificate-authority-data: ").Append(Base64(CertificateAuthorityPem)).Append('\n');
        sb.Append("users:\n- name: ").Append(user).Append("\n  user:\n");
        if (token is not null)
        {
            sb.Append("    token: ").Append(token).Append('\n');
        }
        else
        {
            var (cert, key, _) = certificates.IssueClient(user, groups ?? (user == AdminUser ? ["system:masters"] : []));
            sb.Append("    client-certificate-data: ").Append(Base64(cert)).Append('\n');
            sb.Append("    client-key-data: ").Append(Base64(key)).Append('\n');
        }

        sb.Append("contexts:\n- name: apiserver-double\n  context:\n    cluster: apiserver-double\n    user: ").Append(user).Append("\n    namespace: ").Append(ns).Append('\n');
        sb.Append("current-context: apiserver-double\n");
        File.WriteAllText(path, sb.ToString());
        return path;
    }

    /// <summary>A client certificate (PEM) and key (PKCS#8 PEM) for <paramref name="user"/> in <paramref name="groups"/>.</summary>
    public (string CertificatePem, string KeyPem) IssueClientCertificate(string user, params string[] groups)
    {
        var (cert, key, _) = certificates.IssueClient(user, groups);
        return (cert, key);
    }

    /// <summary>Installs every CRD in a file or folder of YAML files, as <c>kubectl apply</c> of them would.</summary>
    public void InstallCrds(string path)
    {
        var files = Directory.Exists(path)
            ? Directory.GetFiles(path, "*.yaml").Concat(Directory.GetFiles(path, "*.yml")).Order(StringComparer.Ordinal)
            : (IEnumerable<string>)[path];
        foreach (var file in files)
        {
            foreach (var doc in ManifestReader.Default.ReadFile(file))
            {
                if (doc.Content is JsonObject crd && Json.Str(crd["kind"]) == "CustomResourceDefinition")
                {
                    Create(crd);
                }
            }
        }
    }

    /// <summary>Creates an object directly (as a POST by the admin would), for test set-up. Returns it as stored.</summary>
    public JsonObject Create(JsonObject obj)
    {
        string apiVersion = Json.Str(obj["apiVersion"]) ?? string.Empty;
        string kind = Json.Str(obj["kind"]) ?? string.Empty;
        int slash = apiVersion.IndexOf('/');
        string group = slash < 0 ? string.Empty : apiVersion[..slash];
        string version = slash < 0 ? apiVersion : apiVersion[(slash + 1)..];
        var type = Registry.Types.FirstOrDefault(t => t.Group == group && t.Kind == kind && t.Versions.Contains(version))
            ?? throw new InvalidOperationException("no type serves " + apiVersion + " " + kind);
        var ctx = new DefaultHttpContext();
        ctx.Request.Headers.UserAgent = "apiserver-double-setup";
        string? ns = type.Namespaced ? Json.Namespace(obj) is { Length: > 0 } n ? n : "default" : null;
        return resources.CreateDirect(ctx, type, new RequestInfo("create", group, version, type.Plural, string.Empty, ns, null), obj.DeepClone().AsObject());
    }

    public async ValueTask DisposeAsync()
    {
        if (!stopping.IsCancellationRequested)
        {
            await stopping.CancelAsync();
        }

        Storage.DropWatches();
        if (bookmarkLoop is not null)
        {
            try
            {
                await bookmarkLoop;
            }
            catch (OperationCanceledException)
            {
            }
        }

        if (app is not null)
        {
            using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(5));
            await app.StopAsync(timeout.Token);
            await app.DisposeAsync();
        }

        certificates.Dispose();
        stopping.Dispose();
    }

    private static string Base64(string s) => Convert.ToBase64String(Encoding.UTF8.GetBytes(s));

    private void Seed()
    {
        foreach (var ns in options.Namespaces)
        {
            Create(new JsonObject { ["apiVersion"] = "v1", ["kind"] = "Namespace", ["metadata"] = new JsonObject { ["name"] = ns } });
        }

        foreach (var path in options.CrdPaths)
        {
            InstallCrds(path);
        }
    }

    private async Task ListenAsync(CancellationToken cancellationToken)
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.Logging.ClearProviders();
        builder.WebHost.ConfigureKestrel(k =>
        {
            k.AddServerHeader = false;
            // Clients multiplex every watch of a process over one HTTP/2 connection.
            k.Limits.Http2.MaxStreamsPerConnection = 1000;
            k.Listen(IPAddress.Loopback, 0, listen =>
            {
                listen.Protocols = HttpProtocols.Http1AndHttp2;
                listen.UseHttps(https =>
                {
                    https.ServerCertificate = certificates.Server;
                    https.ClientCertificateMode = ClientCertificateMode.AllowCertificate;
                    // Client certificates are checked against the double's CA by Authentication, per request.
                    https.AllowAnyClientCertificate();
                });
            });
        });
        app = builder.Build();
        app.Run(HandleAsync);
        await app.StartAsync(cancellationToken);
        var address = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First();
        Uri = new Uri(address.Replace("[::]", "127.0.0.1", StringComparison.Ordinal));
        if (options.BookmarkInterval > TimeSpan.Zero)
        {
            bookmarkLoop = SendBookmarksAsync(options.BookmarkInterval, stopping.Token);
        }
    }

    private async Task SendBookmarksAsync(TimeSpan interval, CancellationToken token)
    {
        using var timer = new PeriodicTimer(interval);
        while (await timer.WaitForNextTickAsync(token))
        {
            Storage.SendBookmarks();
        }
    }

    private async Task HandleAsync(HttpContext ctx)
    {
        try
        {
            string path = ctx.Request.Path.Value ?? "/";
            if (path is "/healthz" or "/livez" or "/readyz")
            {
                ctx.Response.ContentType = "text/plain";
                await ctx.Response.WriteAsync("ok");
                return;
            }

            var user = Authentication.Authenticate(ctx);
            var info = RequestInfo.Parse(ctx.Request);
            if (Faults.Next(info, ctx.Request.Method) is { } fault)
            {
                throw fault;
            }

            if (info is null)
            {
                NonResource(ctx, path);
            }
            else
            {
                var type = Registry.Find(info.Group, info.Version, info.Resource) ?? throw StatusErrors.NotFoundPath();
                string verb = info.Verb == "watch" && info.Name is not null ? "watch" : info.Verb;
                if (!Authorization.IsAllowed(user, verb, info.Group, info.Resource, info.Subresource, info.Namespace))
                {
                    throw StatusErrors.Forbidden(user.Name, verb, info.Resource, info.Subresource, info.Group, info.Namespace, info.Name);
                }

                await resources.HandleAsync(ctx, info, type, stopping.Token);
            }

            await Http.SendPendingAsync(ctx);
        }
        catch (ApiStatusException e) when (!ctx.Response.HasStarted)
        {
            Http.WriteStatus(ctx, e);
            await Http.SendPendingAsync(ctx);
        }
        catch (Exception e) when (!ctx.Response.HasStarted && e is not OperationCanceledException)
        {
            Http.WriteStatus(ctx, StatusErrors.Internal(e.GetType().Name + ": " + e.Message));
            await Http.SendPendingAsync(ctx);
        }
    }

    private void NonResource(HttpContext ctx, string path)
    {
        if (ctx.Request.Method != "GET")
        {
            throw StatusErrors.NotFoundPath();
        }

        var segments = path.Trim('/').Split('/', StringSplitOptions.RemoveEmptyEntries);
        JsonNode? body = segments switch
        {
            ["version"] => Discovery.Version(),
            ["api"] => Discovery.CoreVersions(Uri.Authority),
            ["api", var v] => Discovery.Resources(Registry, string.Empty, v),
            ["apis"] => Discovery.Groups(Registry),
            ["apis", var g] => Discovery.Group(Registry, g),
            ["apis", var g, var v] => Discovery.Resources(Registry, g, v),
            ["openapi", "v3"] => OpenApi.Root(Registry),
            ["openapi", "v3", "api", var v] => OpenApi.Document(Registry, string.Empty, v),
            ["openapi", "v3", "apis", var g, var v] => OpenApi.Document(Registry, g, v),
            _ => null,
        };
        Http.WriteJson(ctx, 200, body ?? throw StatusErrors.NotFoundPath());
    }
}
