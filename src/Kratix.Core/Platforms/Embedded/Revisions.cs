using System.Text.Json.Nodes;
using Kratix.Objects;

namespace Kratix.Platforms.Embedded;

/// <summary>
/// PromiseRevisions and ResourceBindings in the platform home, as upstream's Promise, PromiseRevision, ResourceBinding
/// and dynamic request controllers keep them (behaviour.md 5.1 step 4, 5.2 steps 3 and 6, 5.3). Stateless over the
/// store, so any controller can make one.
/// </summary>
internal sealed class Revisions(PlatformContext context)
{
    public static ResourceType RevisionType { get; } = new(KratixApi.Group, KratixApi.PromiseRevisionKind, KratixApi.PluralOf(KratixApi.PromiseRevisionKind), Namespaced: false);

    public static ResourceType BindingType { get; } = new(KratixApi.Group, KratixApi.ResourceBindingKind, KratixApi.PluralOf(KratixApi.ResourceBindingKind), Namespaced: true);

    public static ResourceType ReleaseType { get; } = new(KratixApi.Group, KratixApi.PromiseReleaseKind, KratixApi.PluralOf(KratixApi.PromiseReleaseKind), Namespaced: false);

    private PlatformSettings? _settings;

    // One instance serves one batch of reconciles: a Promise's revisions are read once, and each revision's view of the
    // Promise is made once, not once per request. Record forgets them.
    private readonly Dictionary<string, IReadOnlyList<KubeObject>> _revisions = new(StringComparer.Ordinal);
    private readonly Dictionary<(string Promise, string Revision, string ResourceVersion), Promise> _views = [];

    // Bindings made for new requests, saved once with their outcome (RecordOutcome) rather than twice; a request that
    // stops before its outcome (paused, Promise unavailable) gets none, as upstream makes it after those checks.
    private readonly Dictionary<(string Promise, string Namespace, string Request), KubeObject> _pending = [];

    public IReadOnlyList<KubeObject> All(string? promise = null)
    {
        if (promise is null)
        {
            return context.Store.List(RevisionType).Select(n => new KubeObject(n)).ToList();
        }

        if (!_revisions.TryGetValue(promise, out var revisions))
        {
            revisions = context.Store.List(RevisionType, null, new Dictionary<string, string> { [KratixApi.PromiseNameLabel] = promise })
                .Select(n => new KubeObject(n)).Where(r => r.Spec["promiseRef"]?["name"]?.ToString() == promise).ToList();
            _revisions[promise] = revisions;
        }

        return revisions;
    }

    public KubeObject? Latest(string promise) => All(promise).FirstOrDefault(r => r.Status.GetBool("latest") == true);

    public KubeObject? AtVersion(string promise, string version) => All(promise).FirstOrDefault(r => r.Spec.GetString("version") == version);

    /// <summary>
    /// Upserts the revision of the Promise's current version (its spec copied), labels it latest and unlabels the others
    /// (upstream's Promise and PromiseRevision controllers). True when the latest revision changed.
    /// </summary>
    public bool Record(Promise promise)
    {
        _revisions.Remove(promise.Name);
        var version = promise.PromiseVersion;
        var name = Versioning.RevisionName(promise.Name, version);
        var previousLatest = Latest(promise.Name)?.Name;
        var stored = context.Store.Get(RevisionType, null, name);
        var node = stored?.DeepClone().AsObject() ?? Versioning.NewRevision(promise.Name, version, promise.Spec);
        var revision = new KubeObject(node);
        revision.Spec["promiseSpec"] = promise.Spec.DeepClone();
        revision.Spec["version"] = version;
        revision.SetLabel(KratixApi.PromiseNameLabel, promise.Name);
        revision.SetLabel(Versioning.LatestRevisionLabel, "true");
        MirrorReconciliationInterval(promise, revision);
        var changed = stored is null || !Manifests.JsonValues.DeepEquals(stored, revision.Node) || revision.Status.GetBool("latest") != true;
        revision.Status["latest"] = true;
        if (changed)
        {
            context.Save(RevisionType, revision);
        }

        foreach (var other in All(promise.Name).Where(r => r.Name != name && (r.GetLabel(Versioning.LatestRevisionLabel) is not null || r.Status.GetBool("latest") == true)))
        {
            other.SetLabel(Versioning.LatestRevisionLabel, null);
            other.Status["latest"] = false;
            context.Save(RevisionType, other);
        }

        _revisions.Remove(promise.Name);
        return previousLatest != name;
    }

    public IReadOnlyList<KubeObject> Bindings(string? promise = null, string? ns = null) =>
        context.Store.List(BindingType, ns).Select(n => new KubeObject(n))
            .Where(b => promise is null || b.Spec["promiseRef"]?["name"]?.ToString() == promise).ToList();

    /// <summary>The request's binding, found by its labels as upstream finds it (a binding made ahead of the request is adopted).</summary>
    public KubeObject? BindingOf(string promise, string ns, string request)
    {
        if (_pending.TryGetValue((promise, ns, request), out var pending))
        {
            return pending;
        }

        // The name Kratix gives it first (one read), then the labels (a binding made ahead of the request).
        var labels = Versioning.BindingLabels(request, promise);
        if (context.Store.Get(BindingType, ns, Versioning.BindingName(request, promise)) is { } named
            && labels.All(l => new KubeObject(named).GetLabel(l.Key) == l.Value))
        {
            return new KubeObject(named);
        }

        var found = context.Store.List(BindingType, ns, labels).Select(n => new KubeObject(n)).ToList();
        return found.Count switch
        {
            0 => null,
            1 => found[0],
            _ => throw new KratixException(
                "ResourceBindingConflict",
                KratixErrorCategory.InvalidData,
                $"Found {found.Count} ResourceBindings for request \"{ns}/{request}\" of Promise \"{promise}\" ({string.Join(", ", found.Select(b => b.Name))}); there must be one. Remove the extra ones from {Path.Combine(context.Options.Home, BindingType.Folder, ns)}.",
                request),
        };
    }

    /// <summary>
    /// The revision a request runs (its binding's version: <c>latest</c> is the latest revision), making the binding if
    /// there is none (version: the request's recorded binding version, else latest, or the latest version when the
    /// platform's strategy is pinned). Throws when the bound version has no revision.
    /// </summary>
    public (KubeObject Revision, KubeObject Binding) Resolve(Promise promise, ResourceRequest request)
    {
        var binding = BindingOf(promise.Name, request.Namespace!, request.Name);
        if (binding is null)
        {
            var version = request.Status.GetString("resourceBindingVersion") is { Length: > 0 } recorded ? recorded
                : Settings.ResourceBindingVersionStrategy == Versioning.Pinned ? (Latest(promise.Name)?.Spec.GetString("version") ?? Versioning.Latest)
                : Versioning.Latest;
            binding = new KubeObject(Versioning.NewBinding(promise.Name, request.Namespace!, request.Name, version));
            _pending[(promise.Name, request.Namespace!, request.Name)] = binding;
        }

        var wanted = binding.Spec.GetString("version") ?? Versioning.Latest;
        var revision = wanted == Versioning.Latest ? Latest(promise.Name) : AtVersion(promise.Name, wanted);
        if (revision is null)
        {
            throw new KratixException(
                "PromiseRevisionNotFound",
                KratixErrorCategory.ObjectNotFound,
                wanted == Versioning.Latest
                    ? $"Promise \"{promise.Name}\" has no latest PromiseRevision yet; reconcile the Promise (Sync-KratixPromise {promise.Name})."
                    : $"{request.Kind} \"{request.Namespace}/{request.Name}\" is bound to version \"{wanted}\" of Promise \"{promise.Name}\", which has no PromiseRevision. Get-KratixPromiseRevision -Promise {promise.Name} lists the versions; bind it to one of them or to latest with Update-KratixRequest -Version.",
                request.Name);
        }

        return (revision, binding);
    }

    /// <summary>
    /// What a request's reconcile runs with: the Promise at its bound revision, and whether its workflow must re-run
    /// from the start because the bound version is not the one it last ran (an upgrade or downgrade, behaviour.md 5.3).
    /// A request or Promise that is paused or being deleted keeps the live Promise.
    /// </summary>
    public (Promise Promise, bool Force) Bind(Promise live, ResourceRequest request, bool force)
    {
        if (request.IsBeingDeleted || live.IsBeingDeleted || live.GetLabel(KratixApi.PausedLabel) == "true" || request.GetLabel(KratixApi.PausedLabel) == "true")
        {
            return (live, force);
        }

        if (Latest(live.Name) is null)
        {
            Record(live); // A Promise installed before revisions were kept gets its first one when first needed.
        }

        var (revision, binding) = Resolve(live, request);
        var version = revision.Spec.GetString("version") ?? Versioning.NotSet;
        var current = request.Status.GetString("promiseVersion");
        var failedBefore = binding.Status.GetString("failedVersion") == version && binding.Conditions.Get(Versioning.UpgradeSucceeded) is { Status: Condition.False };
        if (current is { Length: > 0 } && current != Versioning.NotSet && current != version && !failedBefore)
        {
            MarkInProgress(binding, version);
            force = true;
        }

        var key = (live.Name, revision.Name, live.Metadata.GetString("resourceVersion") ?? string.Empty);
        if (!_views.TryGetValue(key, out var view))
        {
            view = AtRevision(live, revision);
            _views[key] = view;
        }

        return (view, force);
    }

    /// <summary>
    /// The Promise as a revision defines it: the live Promise's metadata (name, labels) with the revision's spec, version
    /// label and reconciliation-interval annotation (upstream reads a request's interval from its revision).
    /// </summary>
    public static Promise AtRevision(Promise live, KubeObject revision)
    {
        var node = live.Node.DeepClone().AsObject();
        node["spec"] = revision.Spec["promiseSpec"]?.DeepClone() ?? new JsonObject();
        var promise = new Promise(node);
        var version = revision.Spec.GetString("version");
        promise.SetLabel(KratixApi.PromiseVersionLabel, version == Versioning.NotSet ? null : version);
        promise.SetAnnotation(KratixApi.ReconciliationIntervalAnnotation, revision.GetAnnotation(KratixApi.ReconciliationIntervalAnnotation));
        return promise;
    }

    /// <summary>
    /// Upstream's promise controller copies the Promise's kratix.io/reconciliation-interval annotation onto its latest
    /// revision (or removes it there), except for a Promise a PromiseRelease manages, whose revision's annotation is left
    /// to whoever set it; a value below the policy (from before admission checked it) is declined with a warning.
    /// </summary>
    private void MirrorReconciliationInterval(Promise promise, KubeObject revision)
    {
        if (promise.GetLabel(Versioning.PromiseReleaseNameLabel) is not null)
        {
            return;
        }

        var interval = promise.GetAnnotation(KratixApi.ReconciliationIntervalAnnotation);
        revision.SetAnnotation(KratixApi.ReconciliationIntervalAnnotation, interval);
        if (interval is not null && ReconciliationSchedule.AnnotatedInterval(revision) is null)
        {
            revision.SetAnnotation(KratixApi.ReconciliationIntervalAnnotation, null);
            context.Log.Warning($"Promise \"{promise.Name}\": its {KratixApi.ReconciliationIntervalAnnotation} annotation \"{interval}\" is declined and not mirrored onto revision \"{revision.Name}\" (an interval of at least 1m is needed).");
        }
    }

    /// <summary>
    /// After a reconcile: the binding's UpgradeSucceeded condition, lastAppliedVersion and failedVersion, as upstream's
    /// dynamic controller records them from the configure workflow's outcome (no workflow: the upgrade is complete).
    /// </summary>
    public void RecordOutcome(Promise promise, ResourceRequest request, string attemptedVersion)
    {
        if (BindingOf(promise.Name, request.Namespace!, request.Name) is not { } binding)
        {
            return;
        }

        var isNew = _pending.Remove((promise.Name, request.Namespace!, request.Name));

        var completed = request.Conditions.Get(Reasons.ConfigureWorkflowCompleted);
        var applied = request.Status.GetString("promiseVersion") ?? string.Empty;
        var hasWorkflow = promise.Workflows("resource", "configure").Count > 0;
        (string Status, string Reason, string Message) outcome;
        if (!hasWorkflow || completed is { IsTrue: true })
        {
            outcome = (Condition.True, Versioning.UpgradeComplete, $"Resource is at version {applied}");
        }
        else if (completed is { Status: Condition.False } && completed.Reason != WorkflowController.WorkflowRuntimeUnavailable && completed.Reason != "PipelinesInProgress")
        {
            outcome = (Condition.False, Versioning.UpgradeFailed, completed.Message);
        }
        else
        {
            if (isNew)
            {
                context.Save(BindingType, binding);
            }

            return;
        }

        var status = binding.Status;
        var lastApplied = status.GetString("lastAppliedVersion") ?? string.Empty;
        var failed = status.GetString("failedVersion") ?? string.Empty;
        var existing = binding.Conditions.Get(Versioning.UpgradeSucceeded);
        var record = outcome.Status == Condition.False || failed.Length > 0 || existing is { Reason: Versioning.UpgradeInProgress } || existing is { Status: Condition.False }
            || (lastApplied.Length > 0 && lastApplied != applied) || existing is null;
        var changed = false;
        if (outcome.Status == Condition.True && lastApplied != applied)
        {
            status["lastAppliedVersion"] = applied;
            changed = true;
        }

        if (outcome.Status == Condition.False && failed != attemptedVersion)
        {
            status["failedVersion"] = attemptedVersion;
            changed = true;
        }

        if (outcome.Status != Condition.False && failed.Length > 0)
        {
            status.Remove("failedVersion");
            changed = true;
        }

        if (record)
        {
            changed |= binding.Conditions.Set(Versioning.UpgradeSucceeded, outcome.Status, outcome.Reason, outcome.Message, context.Now);
        }

        if (changed || isNew)
        {
            context.Save(BindingType, binding);
        }
    }

    /// <summary>Marks an upgrade (or downgrade) under way, as upstream's ResourceBinding controller does before the re-run.</summary>
    public void MarkInProgress(KubeObject binding, string version)
    {
        _pending.Remove((binding.Spec["promiseRef"]?["name"]?.ToString() ?? string.Empty, binding.Namespace ?? string.Empty, binding.Spec["resourceRef"]?["name"]?.ToString() ?? string.Empty));
        binding.Conditions.Set(Versioning.UpgradeSucceeded, Condition.Unknown, Versioning.UpgradeInProgress, $"Upgrade to version {version} is in progress", context.Now);
        binding.Status.Remove("failedVersion");
        context.Save(BindingType, binding);
    }

    public void DeleteBindingOf(string promise, string ns, string request)
    {
        if (BindingOf(promise, ns, request) is { } binding)
        {
            context.Delete(BindingType, binding.Namespace, binding.Name);
        }
    }

    /// <summary>What an uninstall leaves behind: every revision and binding of the Promise (upstream's revision-cleanup finalizer and owner references).</summary>
    public void DeleteAllOf(string promise)
    {
        foreach (var binding in Bindings(promise))
        {
            context.Delete(BindingType, binding.Namespace, binding.Name);
        }

        foreach (var revision in All(promise))
        {
            context.Delete(RevisionType, null, revision.Name);
        }
    }

    public PlatformSettings Settings => _settings ??= PlatformSettings.Load(context.Options.Home);
}
