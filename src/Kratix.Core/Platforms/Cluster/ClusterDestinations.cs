using System.Text.Json.Nodes;
using Kratix.Objects;

namespace Kratix.Platforms.Cluster;

/// <summary>Destinations on a cluster: applied, listed and deleted; upstream's Destination controller checks them and writes their canaries.</summary>
public sealed partial class ClusterPlatform
{
    public Destination RegisterDestination(JsonObject destination, CancellationToken cancellationToken = default) => Run(async token =>
    {
        await RequireKratixAsync(token).ConfigureAwait(false);
        var body = ForApply(destination, KratixApi.ApiVersion, KratixApi.DestinationKind);
        var name = NameOf(body);
        if (name.Length == 0)
        {
            throw NameRequired("DestinationInvalid", "Destination");
        }

        return new Destination(await ApplyAsync(DestinationType, null, name, body, "DestinationInvalid", null, dryRun: false, token).ConfigureAwait(false));
    }, cancellationToken);

    public void UnregisterDestination(string name, CancellationToken cancellationToken = default) => Run(async token =>
    {
        await RequireKratixAsync(token).ConfigureAwait(false);
        if (!await _api.DeleteAsync(DestinationType, null, name, token).ConfigureAwait(false))
        {
            throw new KratixException("DestinationNotFound", KratixErrorCategory.ObjectNotFound, $"Destination \"{name}\" is not registered. Get-KratixDestination lists those that are.", name);
        }

        Log.Verbose($"Destination \"{name}\" deleted on {_connection.Server}.");
    }, cancellationToken);

    public IReadOnlyList<Destination> GetDestinations() => Run(async token =>
    {
        await RequireKratixAsync(token).ConfigureAwait(false);
        return (IReadOnlyList<Destination>)(await _api.ListItemsAsync(DestinationType, null, cancellationToken: token).ConfigureAwait(false))
            .Select(d => new Destination(d)).OrderBy(d => d.Name, StringComparer.Ordinal).ToList();
    }, CancellationToken.None);
}
