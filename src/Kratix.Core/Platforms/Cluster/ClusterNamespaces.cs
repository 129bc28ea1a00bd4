using System.Net;
using Kratix.Kubernetes;

namespace Kratix.Platforms.Cluster;

/// <summary>The cluster's namespaces, for completion: none when the user may not list them.</summary>
public sealed partial class ClusterPlatform
{
    public List<string> ListNamespaces() => Run(async token =>
    {
        try
        {
            return (await _api.ListItemsAsync(ApiResource.Namespaces, null, cancellationToken: token).ConfigureAwait(false))
                .Select(n => n["metadata"]?["name"]?.GetValue<string>()).OfType<string>().Order(StringComparer.Ordinal).ToList();
        }
        catch (KubeApiException ex) when (ex.StatusCode == HttpStatusCode.Forbidden)
        {
            return [];
        }
    }, CancellationToken.None);
}
