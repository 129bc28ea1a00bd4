using k8s;
using k8s.Exceptions;
using k8s.KubeConfigModels;

namespace Kratix.Kubernetes;

/// <summary>
/// A connection to a Kubernetes API server, resolved as kubectl resolves it: the kubeconfig files a location names, else
/// those $KUBECONFIG lists (merged, the first file's entries winning), else ~/.kube/config; the context named, else the
/// current one; the namespace the context names, else <c>default</c>. In-cluster, the pod's service account. Tokens,
/// client certificates, CA bundles, insecure-skip-tls-verify and exec plugins are KubernetesClient's; proxies are the
/// cluster's proxy-url (read here, since KubernetesClient does not), else the HTTPS_PROXY, HTTP_PROXY and NO_PROXY
/// environment variables.
/// </summary>
public sealed class KubeConnection : IDisposable
{
    private KubeConnection(ClusterLocation location, KubernetesClientConfiguration configuration, string context, IReadOnlyList<string> files, Uri? proxy = null)
    {
        Location = location;
        Context = context;
        Namespace = string.IsNullOrEmpty(configuration.Namespace) ? "default" : configuration.Namespace;
        Server = configuration.Host.TrimEnd('/');
        KubeconfigFiles = files;
        Proxy = proxy;
        if (proxy is not null)
        {
            // The cluster's proxy-url, as kubectl uses it: every call through it, whatever HTTPS_PROXY and NO_PROXY say.
            var chained = configuration.FirstMessageHandlerSetup;
            configuration.FirstMessageHandlerSetup = handler =>
            {
                chained?.Invoke(handler);
                handler.UseProxy = true;
                handler.Proxy = new System.Net.WebProxy(proxy) { BypassProxyOnLocal = false };
            };
        }

        Client = new k8s.Kubernetes(configuration);
    }

    /// <summary>The proxy every call goes through: the kubeconfig cluster's <c>proxy-url</c>; null when it names none.</summary>
    public Uri? Proxy { get; }

    public ClusterLocation Location { get; }

    /// <summary>The context used (<c>in-cluster</c> for the pod's service account).</summary>
    public string Context { get; }

    /// <summary>The namespace of the context: where requests without one go.</summary>
    public string Namespace { get; }

    /// <summary>The API server's URL.</summary>
    public string Server { get; }

    /// <summary>The kubeconfig files read, in order (none in-cluster).</summary>
    public IReadOnlyList<string> KubeconfigFiles { get; }

    /// <summary>The client: its HttpClient and credentials carry every request.</summary>
    internal k8s.Kubernetes Client { get; }

    /// <summary>The kubeconfig files kubectl reads: $KUBECONFIG's list (missing files skipped), else ~/.kube/config.</summary>
    public static IReadOnlyList<string> DefaultKubeconfigFiles()
    {
        var variable = Environment.GetEnvironmentVariable("KUBECONFIG");
        if (!string.IsNullOrWhiteSpace(variable))
        {
            return variable.Split(Path.PathSeparator, StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries).Distinct(StringComparer.Ordinal).ToList();
        }

        return [Path.Combine(Environment.GetFolderPath(Environment.SpecialFolder.UserProfile), ".kube", "config")];
    }

    public static KubeConnection Open(ClusterLocation location)
    {
        if (location.InCluster)
        {
            if (!KubernetesClientConfiguration.IsInCluster())
            {
                throw new KratixException(
                    "ClusterNotInCluster",
                    KratixErrorCategory.ResourceUnavailable,
                    "-InCluster (kube:?in-cluster) works only inside a Kubernetes pod: KUBERNETES_SERVICE_HOST and KUBERNETES_SERVICE_PORT are not set, or the service account token is not mounted. Outside a cluster, connect with -Kubeconfig and -Context.",
                    location.ToString());
            }

            try
            {
                return new KubeConnection(location, KubernetesClientConfiguration.InClusterConfig(), "in-cluster", []);
            }
            catch (KubeConfigException ex)
            {
                throw new KratixException("ClusterNotInCluster", KratixErrorCategory.ResourceUnavailable, $"The in-cluster configuration could not be read: {ex.Message}", location.ToString(), ex);
            }
        }

        var named = location.Kubeconfig is null
            ? DefaultKubeconfigFiles()
            : location.Kubeconfig.Split(Path.PathSeparator, StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
        var files = named.Where(File.Exists).ToList();
        if (files.Count == 0)
        {
            throw new KratixException(
                "KubeconfigNotFound",
                KratixErrorCategory.ObjectNotFound,
                location.Kubeconfig is null
                    ? $"No kubeconfig was found ({string.Join(", ", named)}). Give one with Connect-KratixPlatform -Kubeconfig <path>, set $env:KUBECONFIG, or run inside a pod with -InCluster."
                    : $"The kubeconfig {string.Join(", ", named)} does not exist.",
                location.ToString());
        }

        K8SConfiguration merged;
        try
        {
            merged = Merge(files);
        }
        catch (Exception ex) when (ex is KubeConfigException or IOException or UnauthorizedAccessException or YamlDotNet.Core.YamlException)
        {
            throw new KratixException("KubeconfigInvalid", KratixErrorCategory.InvalidData, $"The kubeconfig {string.Join(", ", files)} could not be read: {ex.Message}", location.ToString(), ex);
        }

        var contexts = merged.Contexts?.Select(c => c.Name).ToList() ?? [];
        var context = location.Context ?? merged.CurrentContext;
        if (string.IsNullOrEmpty(context))
        {
            throw new KratixException(
                "KubeconfigNoContext",
                KratixErrorCategory.InvalidArgument,
                $"The kubeconfig {string.Join(", ", files)} has no current context. Name one with -Context (or kube:<context>)"
                    + (contexts.Count == 0 ? "; it has none." : $": {string.Join(", ", contexts)}."),
                location.ToString());
        }

        if (!contexts.Contains(context, StringComparer.Ordinal))
        {
            throw new KratixException(
                "KubeconfigContextNotFound",
                KratixErrorCategory.ObjectNotFound,
                $"The kubeconfig {string.Join(", ", files)} has no context \"{context}\"."
                    + (contexts.Count == 0 ? " It has no context at all." : $" Its contexts: {string.Join(", ", contexts)}."),
                context);
        }

        var proxy = ProxyUrlOf(files, merged, context, location);
        try
        {
            return new KubeConnection(location, KubernetesClientConfiguration.BuildConfigFromConfigObject(merged, context), context, files, proxy);
        }
        catch (Exception ex) when (ex is KubeConfigException or IOException or UnauthorizedAccessException or FormatException or System.Security.Cryptography.CryptographicException)
        {
            throw new KratixException("KubeconfigInvalid", KratixErrorCategory.InvalidData, $"Context \"{context}\" of the kubeconfig {string.Join(", ", files)} cannot be used: {ex.Message}", context, ex);
        }
    }

    /// <summary>When the kubeconfig was read and the client built.</summary>
    public DateTimeOffset OpenedAt { get; } = DateTimeOffset.UtcNow;

    /// <summary>A connection <see cref="KubeConnectionCache"/> hands out: kept for the process, so Dispose leaves it open.</summary>
    public bool Shared { get; internal set; }

    /// <summary>When Kratix's API was last found served here: checked again after a while, not on every command.</summary>
    internal DateTimeOffset? KratixServedAt { get; set; }

    public void Dispose()
    {
        if (!Shared)
        {
            Client.Dispose();
        }
    }

    /// <summary>
    /// The <c>proxy-url</c> of the context's cluster (KubernetesClient does not read it): from the first file that names
    /// that cluster, as the merge takes the cluster. http, https, socks5 and socks4 URLs, as kubectl takes them.
    /// </summary>
    private static Uri? ProxyUrlOf(IReadOnlyList<string> files, K8SConfiguration merged, string context, ClusterLocation location)
    {
        var clusterName = merged.Contexts?.FirstOrDefault(c => c.Name == context)?.ContextDetails?.Cluster;
        if (clusterName is null)
        {
            return null;
        }

        foreach (var file in files)
        {
            System.Text.Json.Nodes.JsonObject? config;
            try
            {
                config = Manifests.ManifestReader.Default.ReadFile(file).FirstOrDefault()?.Content as System.Text.Json.Nodes.JsonObject;
            }
            catch (Exception ex) when (ex is KratixException or IOException or UnauthorizedAccessException)
            {
                continue; // LoadKubeConfig read it; a file this reader refuses names no proxy
            }

            var cluster = (config?["clusters"] as System.Text.Json.Nodes.JsonArray)?.OfType<System.Text.Json.Nodes.JsonObject>()
                .FirstOrDefault(c => c["name"]?.GetValue<string>() == clusterName);
            if (cluster is null)
            {
                continue;
            }

            var text = cluster["cluster"]?["proxy-url"]?.GetValue<string>();
            if (string.IsNullOrWhiteSpace(text))
            {
                return null;
            }

            if (!Uri.TryCreate(text, UriKind.Absolute, out var url) || url.Scheme is not ("http" or "https" or "socks5" or "socks4" or "socks4a"))
            {
                throw new KratixException(
                    "KubeconfigInvalid",
                    KratixErrorCategory.InvalidData,
                    $"The proxy-url \"{text}\" of cluster \"{clusterName}\" in the kubeconfig {file} is not an http, https or socks5 URL.",
                    location.ToString());
            }

            return url;
        }

        return null;
    }

    /// <summary>
    /// kubectl's merge of several kubeconfig files: the first file to name a cluster, context or user wins, and the first
    /// current-context set wins. Relative file paths (certificate-authority, client-certificate, client-key) are made
    /// absolute against their own file's folder first, since the merged configuration has one folder only.
    /// </summary>
    private static K8SConfiguration Merge(IReadOnlyList<string> files)
    {
        var configs = files.Select(f => (File: f, Config: KubernetesClientConfiguration.LoadKubeConfig(new FileInfo(f), true))).ToList();
        if (configs.Count == 1)
        {
            return configs[0].Config;
        }

        foreach (var (file, config) in configs)
        {
            var folder = Path.GetDirectoryName(Path.GetFullPath(file))!;
            string? Absolute(string? path) => string.IsNullOrEmpty(path) || Path.IsPathRooted(path) ? path : Path.GetFullPath(Path.Combine(folder, path));
            foreach (var cluster in config.Clusters ?? [])
            {
                if (cluster.ClusterEndpoint is { } endpoint)
                {
                    endpoint.CertificateAuthority = Absolute(endpoint.CertificateAuthority);
                }
            }

            foreach (var user in config.Users ?? [])
            {
                if (user.UserCredentials is { } credentials)
                {
                    credentials.ClientCertificate = Absolute(credentials.ClientCertificate);
                    credentials.ClientKey = Absolute(credentials.ClientKey);
                }
            }
        }

        static List<T> FirstWins<T>(IEnumerable<IEnumerable<T>?> lists, Func<T, string> name) =>
            lists.SelectMany(l => l ?? []).GroupBy(name, StringComparer.Ordinal).Select(g => g.First()).ToList();

        var first = configs[0].Config;
        first.CurrentContext = configs.Select(c => c.Config.CurrentContext).FirstOrDefault(c => !string.IsNullOrEmpty(c));
        first.Clusters = FirstWins(configs.Select(c => c.Config.Clusters), c => c.Name);
        first.Contexts = FirstWins(configs.Select(c => c.Config.Contexts), c => c.Name);
        first.Users = FirstWins(configs.Select(c => c.Config.Users), u => u.Name);
        return first;
    }
}
