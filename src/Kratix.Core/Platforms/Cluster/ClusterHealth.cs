using System.Net;
using System.Text.Json.Nodes;
using Kratix.Health;
using Kratix.Kubernetes;
using Kratix.Manifests;
using Kratix.Objects;
using Kratix.Presentation;

namespace Kratix.Platforms.Cluster;

/// <summary>
/// HealthRecords on a cluster: server-side applied, listed and deleted through the API server, which validates them
/// against upstream's CRD. Upstream's HealthRecord controller aggregates them into the request's status.healthStatus
/// (and keeps a finalizer on each until its request forgets it), so nothing here computes health. Where a request's
/// documents went is what upstream reports on its WorkPlacements (WriteSucceeded); the store itself is upstream's to read.
/// </summary>
public sealed partial class ClusterPlatform
{
    private static readonly ApiResource HealthRecordType = ApiResource.Kratix(KratixApi.HealthRecordKind);

    public HealthRecord ApplyHealthRecord(JsonObject record, ManifestDocument? source = null, CancellationToken cancellationToken = default) => Run(async token =>
    {
        await RequireKratixAsync(token).ConfigureAwait(false);
        var body = ForApply(record, KratixApi.ApiVersion, KratixApi.HealthRecordKind);
        var name = NameOf(body);
        if (name.Length == 0)
        {
            throw NameRequired("HealthRecordInvalid", "HealthRecord \"\"");
        }

        var ns = body["metadata"]?["namespace"]?.GetValue<string>() ?? DefaultNamespace;
        ((JsonObject)body["metadata"]!)["namespace"] = ns;
        try
        {
            return new HealthRecord(await ApplyAsync(HealthRecordType, ns, name, body, "HealthRecordInvalid", source, dryRun: false, token, Schema.FieldValidationMode.Strict).ConfigureAwait(false));
        }
        catch (KubeApiException ex) when (ex.StatusCode == HttpStatusCode.NotFound)
        {
            throw NotServed(ex);
        }
    }, cancellationToken);

    public IReadOnlyList<HealthRecord> GetHealthRecords(string? ns = null) => Run(async token =>
    {
        await RequireKratixAsync(token).ConfigureAwait(false);
        try
        {
            return (IReadOnlyList<HealthRecord>)(await _api.ListItemsAsync(HealthRecordType, ns, cancellationToken: token).ConfigureAwait(false))
                .Select(r => new HealthRecord(r)).OrderBy(r => r.Namespace, StringComparer.Ordinal).ThenBy(r => r.Name, StringComparer.Ordinal).ToList();
        }
        catch (KubeApiException ex) when (ex.StatusCode == HttpStatusCode.NotFound)
        {
            throw NotServed(ex);
        }
    }, CancellationToken.None);

    /// <summary>Deletes a record; upstream's finalizer takes it out of its request's healthStatus before it goes.</summary>
    public void RemoveHealthRecord(string ns, string name, CancellationToken cancellationToken = default) => Run(async token =>
    {
        await RequireKratixAsync(token).ConfigureAwait(false);
        if (!await _api.DeleteAsync(HealthRecordType, ns, name, token).ConfigureAwait(false))
        {
            throw new KratixException("HealthRecordNotFound", KratixErrorCategory.ObjectNotFound, $"There is no HealthRecord \"{name}\" in namespace \"{ns}\". Get-KratixHealthRecord lists them.", name);
        }

        Log.Verbose($"{HealthRecordType.Describe(ns, name)} deleted on {_connection.Server}; upstream Kratix takes it out of its request's health status (its finalizer).");
    }, cancellationToken);

    /// <summary>What upstream reports of the request's WorkPlacements: WriteSucceeded True once their documents are in the state store.</summary>
    public IReadOnlyList<PlacementCheck> CheckRequestPlacements(string promise, string ns, string name, CancellationToken cancellationToken = default)
    {
        var request = GetRequests(promise, ns).FirstOrDefault(r => r.Name == name) ?? throw new KratixException(
            "RequestNotFound", KratixErrorCategory.ObjectNotFound, $"There is no request \"{ns}/{name}\" of Promise \"{promise}\". Get-KratixRequest -Promise {promise} lists the requests.", name);
        var relations = ObjectRelations.Load(this);
        var destinations = GetDestinations().ToDictionary(d => d.Name, StringComparer.Ordinal);
        var checks = new List<PlacementCheck>();
        foreach (var work in relations.WorksOf(request))
        {
            var placements = relations.PlacementsOf(work);
            foreach (var group in work.WorkloadGroups.Where(g => g.Workloads.Count > 0 && !placements.Any(p => p.Id == g.Id)))
            {
                checks.Add(new PlacementCheck($"{work.Namespace}/{work.Name}", string.Empty, string.Empty, false, $"workload group \"{group.Directory}\" of Work {work.Namespace}/{work.Name} is not scheduled to any Destination", []));
            }

            foreach (var placement in placements)
            {
                var store = destinations.TryGetValue(placement.TargetDestinationName, out var d) ? $"{d.StateStoreKind}/{d.StateStoreName}" : string.Empty;
                var written = placement.Conditions.Get(Reasons.WriteSucceeded);
                checks.Add(new PlacementCheck(
                    $"{placement.Namespace}/{placement.Name}",
                    placement.TargetDestinationName,
                    store,
                    written?.IsTrue == true,
                    written?.IsTrue == true ? null : written is null ? "upstream has not reported writing it yet (no WriteSucceeded condition)" : $"WriteSucceeded is {written.Status}: {written.Message}",
                    []));
            }
        }

        return checks;
    }

    private KratixException NotServed(KubeApiException ex) => new(
        "HealthRecordsNotServed",
        KratixErrorCategory.ResourceUnavailable,
        $"The cluster at {_connection.Server} does not serve {KratixApi.HealthRecordKind} ({KratixApi.ApiVersion}): its Kratix predates HealthRecords. Upgrade Kratix there to use them.",
        _connection.Server,
        ex);
}
