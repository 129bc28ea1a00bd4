using System.Net;
using Kratix.Kubernetes;

namespace Kratix.Platforms.Cluster;

/// <summary>The cluster's namespaces: listed for completion (none when the user may not list them), and made for an import.</summary>
public sealed partial class ClusterPlatform
{
    /// <summary>Applies a Namespace (server-side, field manager Kratix): nothing changes when it exists.</summary>
    public void EnsureNamespace(string name, CancellationToken cancellationToken = default) => Run(async token =>
    {
        var body = new System.Text.Json.Nodes.JsonObject { ["apiVersion"] = "v1", ["kind"] = "Namespace", ["metadata"] = new System.Text.Json.Nodes.JsonObject { ["name"] = name } };
        await _api.ApplyAsync(ApiResource.Namespaces, null, name, body, cancellationToken: token).ConfigureAwait(false);
        Log.Verbose($"Namespace \"{name}\" applied to {_connection.Server}.");
    }, cancellationToken);

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
