using System.Text.Json.Nodes;
using Kratix.Kubernetes;
using Kratix.Objects;

namespace Kratix.Platforms.Cluster;

/// <summary>Promises on a cluster: applied, listed, deleted (upstream's finalizers then remove their requests and API), and rerun by label.</summary>
public sealed partial class ClusterPlatform
{
    public Promise InstallPromise(JsonObject promise, CancellationToken cancellationToken = default) => Run(async token =>
    {
        await RequireKratixAsync(token).ConfigureAwait(false);
        var body = ForApply(promise, KratixApi.ApiVersion, KratixApi.PromiseKind);
        var name = NameOf(body);
        if (name.Length == 0)
        {
            throw NameRequired("PromiseInvalid", "Promise");
        }

        return new Promise(await ApplyAsync(PromiseType, null, name, body, "PromiseInvalid", null, dryRun: false, token).ConfigureAwait(false));
    }, cancellationToken);

    public void UninstallPromise(string name, CancellationToken cancellationToken = default) => Run(async token =>
    {
        await RequireKratixAsync(token).ConfigureAwait(false);
        if (!await _api.DeleteAsync(PromiseType, null, name, token).ConfigureAwait(false))
        {
            throw PromiseNotFound(name);
        }

        Log.Verbose($"Promise \"{name}\" deleted on {_connection.Server}; upstream Kratix now runs its finalizers (its requests, dependencies and API go first).");
    }, cancellationToken);

    public IReadOnlyList<Promise> GetPromises() => Run(async token =>
    {
        await RequireKratixAsync(token).ConfigureAwait(false);
        return (IReadOnlyList<Promise>)(await _api.ListItemsAsync(PromiseType, null, cancellationToken: token).ConfigureAwait(false))
            .Select(p => new Promise(p)).OrderBy(p => p.Name, StringComparer.Ordinal).ToList();
    }, CancellationToken.None);

    /// <summary>
    /// Labels the Promise <c>kratix.io/manual-reconciliation=true</c>, which makes upstream rerun its configure workflow,
    /// and with <paramref name="includeRequests"/> <c>kratix.io/reconcile-resources=true</c>, which reruns every request's.
    /// </summary>
    public Promise SyncPromise(string name, bool includeRequests = false, CancellationToken cancellationToken = default) => Run(async token =>
    {
        await RequireKratixAsync(token).ConfigureAwait(false);
        var labels = new JsonObject { [KratixApi.ManualReconciliationLabel] = "true" };
        if (includeRequests)
        {
            labels[KratixApi.ReconcileResourcesLabel] = "true";
        }

        var patched = await LabelAsync(PromiseType, null, name, labels, token).ConfigureAwait(false) ?? throw PromiseNotFound(name);
        Log.Verbose($"Promise \"{name}\" labelled {string.Join(", ", labels.Select(l => $"{l.Key}=true"))}: upstream Kratix reruns {(includeRequests ? "its configure workflow and every request's" : "its configure workflow")}.");
        return new Promise(patched);
    }, cancellationToken);

    /// <summary>Adds labels with a merge patch (no resourceVersion, so no conflict with the controllers' writes); null when the object does not exist.</summary>
    private async Task<JsonObject?> LabelAsync(ApiResource type, string? ns, string name, JsonObject labels, CancellationToken cancellationToken)
    {
        try
        {
            return await _api.MergePatchAsync(type, ns, name, new JsonObject { ["metadata"] = new JsonObject { ["labels"] = labels } }, cancellationToken).ConfigureAwait(false);
        }
        catch (KubeApiException ex) when (ex.StatusCode == System.Net.HttpStatusCode.NotFound)
        {
            return null;
        }
    }

    private async Task<Promise> RequirePromiseAsync(string name, CancellationToken cancellationToken) =>
        await _api.GetAsync(PromiseType, null, name, cancellationToken).ConfigureAwait(false) is { } found ? new Promise(found) : throw PromiseNotFound(name);

    private static KratixException PromiseNotFound(string name) =>
        new("PromiseNotFound", KratixErrorCategory.ObjectNotFound, $"Promise \"{name}\" is not installed. Get-KratixPromise lists those that are.", name);
}
