using System.Text.Json.Nodes;
using Kratix.Admission;
using Kratix.Objects;
using Kratix.Presentation;
using Kratix.StateStores;

namespace Kratix.Platforms.Embedded;

/// <summary>Registers GitStateStores and BucketStateStores and reports whether Kratix can write to them.</summary>
internal sealed class StateStoreController(PlatformContext context)
{
    public static ResourceType TypeOf(string kind) =>
        kind == KratixApi.BucketStateStoreKind ? ResourceType.BucketStateStore : ResourceType.GitStateStore;

    public IReadOnlyList<KubeObject> List() =>
        context.Store.List(ResourceType.GitStateStore).Select(n => (KubeObject)new GitStateStore(n))
            .Concat(context.Store.List(ResourceType.BucketStateStore).Select(n => new BucketStateStore(n)))
            .ToList();

    /// <summary>
    /// Admits and stores a state store, then checks it. With <paramref name="credentials"/> (a Git store, or a bucket on S3)
    /// they are stored as the Secret the store's <c>spec.secretRef</c> names (<c>&lt;name&gt;-git-credentials</c> or
    /// <c>&lt;name&gt;-bucket-credentials</c> in <c>default</c> when it names none) and <c>spec.authMethod</c> is set to match.
    /// A Secret the store used before and no store uses any more is deleted.
    /// </summary>
    public KubeObject Register(JsonObject node, StateStoreCredentials? credentials, CancellationToken cancellationToken)
    {
        var store = StateStoreAdmission.Admit(node);
        var type = TypeOf(store.Kind);
        var existing = context.Store.Get(type, null, store.Name);
        if (existing?["status"] is JsonObject status)
        {
            store.Node["status"] = status.DeepClone();
        }

        JsonObject? secret = null;
        if (credentials is not null)
        {
            var applied = StateStoreSecrets.ForStore(store, credentials);
            var (ns, name) = StateStoreSecrets.RefOf(store) ?? (SecretAdmission.DefaultNamespace, StateStoreSecrets.DefaultSecretName(store));
            store.Spec["secretRef"] = new JsonObject { ["name"] = name, ["namespace"] = ns };
            store.Spec["authMethod"] = StateStoreSecrets.AuthMethodOf(applied);
            secret = SecretAdmission.Admit(StateStoreSecrets.SecretFor(ns, name, applied));
        }

        if (secret is not null)
        {
            context.Secrets.Put(secret);
        }

        context.Save(type, store);
        if (existing is not null)
        {
            ForgetUnusedSecret(new KubeObject(existing));
        }

        return Reconcile(context.StateStore(store.Kind, store.Name)!, cancellationToken);
    }

    /// <summary>Stores a Secret; returns the state stores that refer to it, which the caller checks again (as upstream's controllers watch Secrets).</summary>
    public IReadOnlyList<KubeObject> RegisterSecret(JsonObject node)
    {
        var secret = new KubeObject(context.Secrets.Put(SecretAdmission.Admit(node)).Node);
        return List().Where(s => StateStoreSecrets.RefOf(s) == (secret.Namespace!, secret.Name)).ToList();
    }

    /// <summary>
    /// Checks read and write access as <see cref="Reconcile"/> does (the same writer code), without recording anything: the
    /// store's status is not changed, and the check leaves nothing in the store.
    /// </summary>
    public StateStoreTestResult Test(string kind, string name, CancellationToken cancellationToken)
    {
        var store = context.StateStore(kind, name)
            ?? throw new KratixException("StateStoreNotFound", KratixErrorCategory.ObjectNotFound, $"{kind} \"{name}\" is not registered. Get-KratixStateStore lists those that are.", name);
        var clock = System.Diagnostics.Stopwatch.StartNew();
        StateStoreAccess access;
        try
        {
            access = context.Writers.For(store).CheckAccessAsync(cancellationToken).GetAwaiter().GetResult();
        }
        catch (KratixException ex)
        {
            // A missing or unusable Secret, an unusable cache: nothing could be checked.
            access = new StateStoreAccess(false, false, ex.Message, ex);
            context.Writers.Forget(store.Kind, store.Name);
        }

        return new StateStoreTestResult(store.Name, store.Kind, access.Read, access.Write, access.Message, clock.Elapsed);
    }

    /// <summary>Checks read and write access and records Ready or NotReady, as upstream's state store controllers do.</summary>
    public KubeObject Reconcile(KubeObject store, CancellationToken cancellationToken)
    {
        string? error = null;
        string reason = Reasons.StateStoreReady;
        try
        {
            // The same check Test-KratixStateStore reports (CheckAccessAsync), thrown as an error when it fails.
            context.Writers.For(store).ValidatePermissionsAsync(cancellationToken).GetAwaiter().GetResult();
        }
        catch (KratixException ex)
        {
            reason = Reasons.ErrorValidatingPermissions;
            error = $"Error validating state store permissions: {ex.Message}";
            context.Writers.Forget(store.Kind, store.Name);
        }

        store.Status["observedGeneration"] = store.Generation;
        store.Status["status"] = error is null ? Reasons.StatusReady : Reasons.StatusNotReady;
        store.Conditions.Set(Reasons.Ready, error is null ? Condition.True : Condition.False, reason, error ?? Reasons.StateStoreReadyMessage, context.Now);
        if (error is not null)
        {
            context.Log.Warning($"{store.Kind} \"{store.Name}\": {error}");
        }

        context.Save(TypeOf(store.Kind), store);
        return store;
    }

    public static bool IsReady(KubeObject store) => store.Status.GetString("status") == Reasons.StatusReady;

    public void Unregister(string kind, string name)
    {
        var users = context.Destinations().Where(d => d.StateStoreKind == kind && d.StateStoreName == name).Select(d => d.Name).ToList();
        if (users.Count > 0)
        {
            throw new KratixException(
                "StateStoreInUse",
                KratixErrorCategory.InvalidOperation,
                $"{kind} \"{name}\" is used by Destination(s) {string.Join(", ", users.Select(u => $"\"{u}\""))}. Unregister them first.",
                name);
        }

        context.Writers.Forget(kind, name);
        var store = context.StateStore(kind, name);
        if (store is null || !context.Delete(TypeOf(kind), null, name))
        {
            throw new KratixException("StateStoreNotFound", KratixErrorCategory.ObjectNotFound, $"{kind} \"{name}\" is not registered. Get-KratixStateStore lists those that are.", name);
        }

        ForgetUnusedSecret(store);
        var workingCopy = context.Writers.WorkingCopyOf(name);
        if (kind == KratixApi.GitStateStoreKind && Directory.Exists(workingCopy))
        {
            Directory.Delete(workingCopy, recursive: true);
        }
    }

    /// <summary>
    /// Deletes the Secret <paramref name="previous"/> (a store as it was) referred to when no registered store refers to it
    /// now: on the embedded platform Secrets exist for state stores only, so none is left behind holding credentials.
    /// </summary>
    private void ForgetUnusedSecret(KubeObject previous)
    {
        if (StateStoreSecrets.RefOf(previous) is not { } reference || List().Any(s => StateStoreSecrets.RefOf(s) == reference))
        {
            return;
        }

        if (context.Secrets.Delete(reference.Namespace, reference.Name))
        {
            context.Log.Verbose($"Deleted the Secret {reference.Namespace}/{reference.Name}: no state store uses it any more.");
        }
    }
}
