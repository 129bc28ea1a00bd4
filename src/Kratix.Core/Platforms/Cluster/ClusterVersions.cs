using System.Text.Json.Nodes;
using Kratix.Kubernetes;
using Kratix.Objects;

namespace Kratix.Platforms.Cluster;

/// <summary>
/// Promise versions on a cluster: upstream's controllers make the PromiseRevisions and ResourceBindings and run the
/// upgrades; this reads them, moves a request between versions by applying its binding's <c>spec.version</c>
/// (server-side apply, forced: upstream's controller wrote the field first), deletes non-latest revisions, and applies
/// PromiseReleases (upstream's controller fetches the Promise).
/// </summary>
public sealed partial class ClusterPlatform
{
    private static readonly ApiResource RevisionType = ApiResource.Kratix(KratixApi.PromiseRevisionKind);
    private static readonly ApiResource BindingType = ApiResource.Kratix(KratixApi.ResourceBindingKind) with { Namespaced = true };
    private static readonly ApiResource ReleaseType = ApiResource.Kratix(KratixApi.PromiseReleaseKind);

    public IReadOnlyList<KubeObject> GetPromiseRevisions(string? promise = null) => Run(async token =>
    {
        await RequireKratixAsync(token).ConfigureAwait(false);
        var selector = promise is null ? null : $"{KratixApi.PromiseNameLabel}={promise}";
        return (IReadOnlyList<KubeObject>)(await _api.ListItemsAsync(RevisionType, null, selector, token).ConfigureAwait(false))
            .Select(r => new KubeObject(r))
            .Where(r => promise is null || r.Spec["promiseRef"]?["name"]?.ToString() == promise)
            .OrderBy(r => r.Spec["promiseRef"]?["name"]?.ToString(), StringComparer.Ordinal).ThenBy(r => r.Name, StringComparer.Ordinal).ToList();
    }, CancellationToken.None);

    public IReadOnlyList<KubeObject> GetResourceBindings(string? promise = null, string? ns = null) => Run(async token =>
    {
        await RequireKratixAsync(token).ConfigureAwait(false);
        return (IReadOnlyList<KubeObject>)(await _api.ListItemsAsync(BindingType, ns, cancellationToken: token).ConfigureAwait(false))
            .Select(b => new KubeObject(b))
            .Where(b => promise is null || b.Spec["promiseRef"]?["name"]?.ToString() == promise)
            .OrderBy(b => b.Namespace, StringComparer.Ordinal).ThenBy(b => b.Name, StringComparer.Ordinal).ToList();
    }, CancellationToken.None);

    public ResourceRequest SetRequestVersion(string promise, string ns, string name, string version, CancellationToken cancellationToken = default) => Run(async token =>
    {
        await RequireKratixAsync(token).ConfigureAwait(false);
        var p = await RequirePromiseAsync(promise, token).ConfigureAwait(false);
        var type = RequestTypeOf(p) ?? throw NoApi(promise);
        var request = await _api.GetAsync(type, type.Namespaced ? ns : null, name, token).ConfigureAwait(false) ?? throw RequestNotFound(type, ns, name, promise);
        if (version != Versioning.Latest)
        {
            var revisions = await _api.ListItemsAsync(RevisionType, null, $"{KratixApi.PromiseNameLabel}={promise}", token).ConfigureAwait(false);
            if (!revisions.Any(r => r["spec"]?["version"]?.ToString() == version))
            {
                throw new KratixException(
                    "PromiseRevisionNotFound",
                    KratixErrorCategory.ObjectNotFound,
                    $"Promise \"{promise}\" has no PromiseRevision at version \"{version}\" on {_connection.Server}; its versions are: {string.Join(", ", revisions.Select(r => r["spec"]?["version"]?.ToString()).Order(StringComparer.Ordinal))} (or latest). Install that version of the Promise first.",
                    version);
            }
        }

        // The binding is found by its labels, as upstream finds it; one made here ahead of upstream's is adopted by it.
        var labels = Versioning.BindingLabels(name, promise);
        var found = await _api.ListItemsAsync(BindingType, ns, string.Join(",", labels.Select(l => $"{l.Key}={l.Value}")), token).ConfigureAwait(false);
        if (found.Count > 1)
        {
            throw new KratixException("ResourceBindingConflict", KratixErrorCategory.InvalidData, $"Found {found.Count} ResourceBindings for request \"{ns}/{name}\" of Promise \"{promise}\"; there must be one. Delete the extra ones with kubectl.", name);
        }

        var body = found.Count == 1
            ? new JsonObject
            {
                ["apiVersion"] = KratixApi.ApiVersion,
                ["kind"] = KratixApi.ResourceBindingKind,
                ["metadata"] = new JsonObject { ["name"] = found[0]["metadata"]?["name"]?.ToString(), ["namespace"] = ns },
                ["spec"] = new JsonObject { ["version"] = version },
            }
            : Versioning.NewBinding(promise, ns, name, version);
        var bindingName = body["metadata"]!["name"]!.ToString();
        await _api.ApplyAsync(BindingType, ns, bindingName, body, force: true, cancellationToken: token).ConfigureAwait(false);
        Log.Verbose($"ResourceBinding {ns}/{bindingName} applied with version {version} on {_connection.Server}: upstream Kratix re-runs {type.Kind} \"{ns}/{name}\" with that version's workflows when it differs from status.promiseVersion.");
        return AsRequest(request, p);
    }, cancellationToken);

    public void RemovePromiseRevision(string name, CancellationToken cancellationToken = default) => Run(async token =>
    {
        await RequireKratixAsync(token).ConfigureAwait(false);
        var revision = await _api.GetAsync(RevisionType, null, name, token).ConfigureAwait(false)
            ?? throw new KratixException("PromiseRevisionNotFound", KratixErrorCategory.ObjectNotFound, $"There is no PromiseRevision \"{name}\" on {_connection.Server}. Get-KratixPromiseRevision lists them.", name);
        if (revision["status"]?["latest"]?.GetValue<bool>() == true)
        {
            // upstream's webhook refuses it too, for any user but its own controller.
            throw new KratixException("PromiseRevisionIsLatest", KratixErrorCategory.InvalidOperation, $"can not delete the latest PromiseRevision (\"{name}\"); install a newer version of its Promise first, or uninstall the Promise.", name);
        }

        await _api.DeleteAsync(RevisionType, null, name, token).ConfigureAwait(false);
        Log.Verbose($"PromiseRevision \"{name}\" deleted on {_connection.Server}; upstream Kratix deletes the requests bound to its version unless it is annotated {Versioning.SkipRequestCleanupAnnotation}.");
    }, cancellationToken);

    public KubeObject InstallPromiseRelease(JsonObject release, CancellationToken cancellationToken = default) => Run(async token =>
    {
        await RequireKratixAsync(token).ConfigureAwait(false);
        var given = new KubeObject(ForApply(release, KratixApi.ApiVersion, KratixApi.PromiseReleaseKind));
        PromiseReleases.Validate(given);
        return new KubeObject(await ApplyAsync(ReleaseType, null, given.Name, given.Node, "PromiseReleaseInvalid", null, dryRun: false, token).ConfigureAwait(false));
    }, cancellationToken);
}
