using System.Text.Json.Nodes;
using Kratix.Kubernetes;
using Kratix.Objects;

namespace Kratix.Platforms.Cluster;

/// <summary>What Get-KratixPlatform says of a cluster besides the counts: where it is, and whether and which Kratix runs there.</summary>
/// <param name="Server">The API server's URL.</param>
/// <param name="Context">The kubeconfig context (or in-cluster).</param>
/// <param name="Namespace">The context's namespace: where requests without one go.</param>
/// <param name="ServerVersion">The API server's gitVersion.</param>
/// <param name="KratixInstalled">Kratix's CRDs are served and its controller Deployment exists.</param>
/// <param name="CrdsInstalled">The platform.kratix.io API is served with every kind Kratix needs.</param>
/// <param name="Controller">The controller Deployment (namespace/name), or null when not found (or not readable).</param>
/// <param name="KratixVersion">The controller's image tag, when it could be read.</param>
/// <param name="ControllerReady">Whether the controller has as many ready replicas as it wants; null when unknown.</param>
public sealed record ClusterDescription(string Server, string Context, string Namespace, string? ServerVersion, bool KratixInstalled, bool CrdsInstalled, string? Controller, string? KratixVersion, bool? ControllerReady);

public sealed partial class ClusterPlatform
{
    /// <summary>Upstream's controller Deployment, as its release manifest names it.</summary>
    public const string ControllerNamespace = KratixApi.SystemNamespace;

    public const string ControllerName = "kratix-platform-controller-manager";

    /// <summary>Connects and reads what Get-KratixPlatform shows: this fails (connection, credentials) as any call would.</summary>
    public ClusterDescription Describe(CancellationToken cancellationToken = default) => Run(async token =>
    {
        var version = await _api.VersionAsync(token).ConfigureAwait(false);
        var crds = true;
        try
        {
            await RequireKratixAsync(token).ConfigureAwait(false);
        }
        catch (KratixException ex) when (ex.ErrorId == "KratixNotInstalled")
        {
            crds = false;
        }

        JsonObject? deployment = null;
        try
        {
            deployment = await _api.GetAsync(ApiResource.Deployments, ControllerNamespace, ControllerName, token).ConfigureAwait(false);
        }
        catch (KubeApiException ex) when (ex.StatusCode == System.Net.HttpStatusCode.Forbidden)
        {
            Log.Warning($"Cannot read the Kratix controller Deployment {ControllerNamespace}/{ControllerName}: {ex.ServerMessage}");
        }

        string? image = null;
        bool? ready = null;
        string? controller = deployment is null ? null : $"{ControllerNamespace}/{ControllerName}";
        if (deployment is null)
        {
            // Where Deployments cannot be read (or are not served), the controller's pods tell the same.
            try
            {
                var pods = await _api.ListItemsAsync(ApiResource.Pods, ControllerNamespace, "control-plane=controller-manager", token).ConfigureAwait(false);
                if (pods.FirstOrDefault() is { } pod)
                {
                    controller = $"{ControllerNamespace}/{pod["metadata"]?["name"]}";
                    image = (pod["spec"]?["containers"] as JsonArray)?.OfType<JsonObject>().Select(c => c["image"]?.GetValue<string>()).FirstOrDefault();
                    ready = pod["status"]?["phase"]?.GetValue<string>() is "Running" or null ? null : false;
                }
            }
            catch (KubeApiException ex) when (ex.StatusCode == System.Net.HttpStatusCode.Forbidden)
            {
            }
        }
        else
        {
            var containers = deployment["spec"]?["template"]?["spec"]?["containers"] as JsonArray;
            image = containers?.OfType<JsonObject>().Select(c => c["image"]?.GetValue<string>()).FirstOrDefault(i => i is not null && i.Contains("kratix", StringComparison.OrdinalIgnoreCase))
                ?? containers?.OfType<JsonObject>().Select(c => c["image"]?.GetValue<string>()).FirstOrDefault();
            var wanted = deployment["spec"]?["replicas"]?.GetValue<int>() ?? 1;
            var readyReplicas = deployment["status"]?["readyReplicas"]?.GetValue<int>() ?? 0;
            ready = readyReplicas >= wanted;
        }

        return new ClusterDescription(
            _connection.Server,
            _connection.Context,
            _connection.Namespace,
            version?["gitVersion"]?.GetValue<string>(),
            crds && controller is not null,
            crds,
            controller,
            TagOf(image),
            ready);
    }, cancellationToken);

    private static string? TagOf(string? image)
    {
        if (image is null)
        {
            return null;
        }

        var at = image.IndexOf('@', StringComparison.Ordinal);
        var reference = at >= 0 ? image[..at] : image;
        var colon = reference.LastIndexOf(':');
        return colon > reference.LastIndexOf('/') ? reference[(colon + 1)..] : "latest";
    }
}
