namespace Kratix.Kubernetes;

/// <summary>
/// Where a cluster platform is, written as a platform location: <c>kube:</c> (the current context of the default
/// kubeconfig), <c>kube:&lt;context&gt;</c> (a context of it), <c>kube:&lt;context&gt;?kubeconfig=&lt;path&gt;</c> or
/// <c>kube:?kubeconfig=&lt;path&gt;</c> (a kubeconfig file of its own; several joined by the path separator, as
/// KUBECONFIG joins them), and <c>kube:?in-cluster</c> (the service account of the pod this runs in). Anything else is a
/// platform home path. The default kubeconfig is kubectl's: the files $KUBECONFIG lists, merged, else ~/.kube/config.
/// </summary>
public sealed record ClusterLocation(string? Context, string? Kubeconfig, bool InCluster)
{
    public const string Scheme = "kube:";

    private const string KubeconfigOption = "kubeconfig=";
    private const string InClusterOption = "in-cluster";

    /// <summary>Whether a platform location names a cluster (starts with <c>kube:</c>, any case).</summary>
    public static bool IsCluster(string? location) => location is not null && location.StartsWith(Scheme, StringComparison.OrdinalIgnoreCase);

    public static ClusterLocation Parse(string location)
    {
        if (!IsCluster(location))
        {
            throw new KratixException("ClusterLocationInvalid", KratixErrorCategory.InvalidArgument, $"\"{location}\" is not a cluster location: those start with {Scheme} ({Syntax}).", location);
        }

        var rest = location[Scheme.Length..];
        var query = rest.IndexOf('?', StringComparison.Ordinal);
        var context = query < 0 ? rest : rest[..query];
        string? kubeconfig = null;
        var inCluster = false;
        if (query >= 0)
        {
            foreach (var option in rest[(query + 1)..].Split('&', StringSplitOptions.RemoveEmptyEntries))
            {
                if (option.StartsWith(KubeconfigOption, StringComparison.OrdinalIgnoreCase) && option.Length > KubeconfigOption.Length)
                {
                    kubeconfig = option[KubeconfigOption.Length..];
                }
                else if (option.Equals(InClusterOption, StringComparison.OrdinalIgnoreCase))
                {
                    inCluster = true;
                }
                else
                {
                    throw new KratixException("ClusterLocationInvalid", KratixErrorCategory.InvalidArgument, $"\"{location}\": \"{option}\" is not an option of a cluster location ({Syntax}).", location);
                }
            }
        }

        if (inCluster && (context.Length > 0 || kubeconfig is not null))
        {
            throw new KratixException("ClusterLocationInvalid", KratixErrorCategory.InvalidArgument, $"\"{location}\": in-cluster takes neither a context nor a kubeconfig ({Syntax}).", location);
        }

        return new ClusterLocation(context.Length == 0 ? null : context, kubeconfig, inCluster);
    }

    /// <summary>The forms a cluster location takes, for messages.</summary>
    public const string Syntax = "kube:, kube:<context>, kube:<context>?kubeconfig=<path> or kube:?in-cluster";

    /// <summary>The canonical text of this location, which <see cref="Parse"/> reads back.</summary>
    public override string ToString() =>
        InCluster ? Scheme + "?" + InClusterOption
        : Scheme + Context + (Kubeconfig is null ? string.Empty : "?" + KubeconfigOption + Kubeconfig);
}
