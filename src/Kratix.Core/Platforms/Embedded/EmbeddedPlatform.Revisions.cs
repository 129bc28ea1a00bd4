using System.Text.Json.Nodes;
using Kratix.Objects;

namespace Kratix.Platforms.Embedded;

/// <summary>Promise versions on the embedded platform: revisions, bindings, moving a request between versions, and PromiseReleases.</summary>
public sealed partial class EmbeddedPlatform
{
    public IReadOnlyList<KubeObject> GetPromiseRevisions(string? promise = null) =>
        new Revisions(_context).All(promise).OrderBy(r => r.Spec["promiseRef"]?["name"]?.ToString(), StringComparer.Ordinal).ThenBy(r => r.Name, StringComparer.Ordinal).ToList();

    public IReadOnlyList<KubeObject> GetResourceBindings(string? promise = null, string? ns = null) =>
        new Revisions(_context).Bindings(promise, ns).OrderBy(b => b.Namespace, StringComparer.Ordinal).ThenBy(b => b.Name, StringComparer.Ordinal).ToList();

    public ResourceRequest SetRequestVersion(string promise, string ns, string name, string version, CancellationToken cancellationToken = default) =>
        Locked(cancellationToken, () =>
        {
            var live = RequirePromise(promise);
            var request = _requests.Get(live, ns, name)
                ?? throw new KratixException("RequestNotFound", KratixErrorCategory.ObjectNotFound, $"There is no {_context.ApiOf(live)?.Names.Kind} \"{name}\" in namespace \"{ns}\". Get-KratixRequest -Promise {promise} lists the requests.", name);
            var revisions = new Revisions(_context);
            if (revisions.Latest(promise) is null)
            {
                revisions.Record(live);
            }

            if (version != Versioning.Latest && revisions.AtVersion(promise, version) is null)
            {
                var known = revisions.All(promise).Select(r => r.Spec.GetString("version")).OfType<string>().Order(StringComparer.Ordinal);
                throw new KratixException(
                    "PromiseRevisionNotFound",
                    KratixErrorCategory.ObjectNotFound,
                    $"Promise \"{promise}\" has no PromiseRevision at version \"{version}\"; its versions are: {string.Join(", ", known)} (or latest). Install that version of the Promise first.",
                    version);
            }

            var binding = revisions.BindingOf(promise, ns, name) ?? new KubeObject(Versioning.NewBinding(promise, ns, name, version));
            binding.Spec["version"] = version;
            _context.Save(Revisions.BindingType, binding);
            _context.Log.Verbose($"ResourceBinding {ns}/{binding.Name} now binds {request.Kind} \"{ns}/{name}\" to version {version} of Promise \"{promise}\".");
            return _requests.Reconcile(live, request, cancellationToken);
        });

    public void RemovePromiseRevision(string name, CancellationToken cancellationToken = default) =>
        Locked(cancellationToken, () =>
        {
            var revisions = new Revisions(_context);
            var revision = revisions.All().FirstOrDefault(r => r.Name == name)
                ?? throw new KratixException("PromiseRevisionNotFound", KratixErrorCategory.ObjectNotFound, $"There is no PromiseRevision \"{name}\". Get-KratixPromiseRevision lists them.", name);
            if (revision.Status.GetBool("latest") == true)
            {
                throw new KratixException("PromiseRevisionIsLatest", KratixErrorCategory.InvalidOperation, $"can not delete the latest PromiseRevision (\"{name}\"); install a newer version of its Promise first, or uninstall the Promise.", name);
            }

            var promiseName = revision.Spec["promiseRef"]?["name"]?.ToString() ?? string.Empty;
            var version = revision.Spec.GetString("version");
            if (revision.GetAnnotation(Versioning.SkipRequestCleanupAnnotation) != "true" && _context.Promise(promiseName) is { } promise)
            {
                // upstream's resource-request-cleanup finalizer: the requests bound to exactly this version go with it.
                foreach (var binding in revisions.Bindings(promiseName).Where(b => b.Spec.GetString("version") == version))
                {
                    var refName = binding.Spec["resourceRef"]?["name"]?.ToString() ?? string.Empty;
                    if (_requests.Get(promise, binding.Namespace!, refName) is { } request)
                    {
                        _requests.Delete(promise, request, cancellationToken);
                    }

                    _context.Delete(Revisions.BindingType, binding.Namespace, binding.Name);
                }
            }

            _context.Delete(Revisions.RevisionType, null, name);
        });

    public KubeObject InstallPromiseRelease(JsonObject release, CancellationToken cancellationToken = default)
    {
        var given = new KubeObject(release.DeepClone().AsObject());
        var url = PromiseReleases.Validate(given);
        string? header = null;
        if (PromiseReleases.SecretOf(given) is { } secret)
        {
            var data = _context.Secrets.Data(secret.Namespace, secret.Name)
                ?? throw new KratixException("SecretNotFound", KratixErrorCategory.ObjectNotFound, $"PromiseRelease \"{given.Name}\": failed to fetch data from secretRef: Secret {secret.Namespace}/{secret.Name} is not registered. Register it with Register-KratixStateStore's Secret support or Import-KratixPlatform.", given.Name);
            header = data.TryGetValue("authorizationHeader", out var bytes) ? System.Text.Encoding.UTF8.GetString(bytes) : null;
        }

        // Fetched before the platform lock is taken: the network may be slow, and nothing is written until it answers.
        var fetched = new Promise(PromiseFetcher.FetchAsync(url, header, cancellationToken).GetAwaiter().GetResult());
        PromiseReleases.CheckVersion(given, fetched);
        fetched.SetLabel(Versioning.PromiseReleaseNameLabel, given.Name);
        return Locked(cancellationToken, () =>
        {
            _promises.Install(fetched.Node, cancellationToken);
            given.Status["status"] = PromiseReleases.StatusInstalled;
            given.Conditions.Set("Installed", Condition.True, "InstalledSuccessfully", "Installed successfully", _context.Now);
            _context.Save(Revisions.ReleaseType, given);
            return new KubeObject(_context.Store.Get(Revisions.ReleaseType, null, given.Name)!);
        });
    }
}
