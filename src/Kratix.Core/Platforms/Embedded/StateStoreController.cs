using System.Text.Json.Nodes;
using Kratix.Admission;
using Kratix.Objects;

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

    public KubeObject Register(JsonObject node, CancellationToken cancellationToken)
    {
        var store = StateStoreAdmission.Admit(node);
        var type = TypeOf(store.Kind);
        if (context.Store.Get(type, null, store.Name)?["status"] is JsonObject status)
        {
            store.Node["status"] = status.DeepClone();
        }

        context.Save(type, store);
        return Reconcile(context.StateStore(store.Kind, store.Name)!, cancellationToken);
    }

    /// <summary>Checks read and write access and records Ready or NotReady, as upstream's state store controllers do.</summary>
    public KubeObject Reconcile(KubeObject store, CancellationToken cancellationToken)
    {
        string? error = null;
        string reason = Reasons.StateStoreReady;
        try
        {
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
        if (!context.Store.Delete(TypeOf(kind), null, name))
        {
            throw new KratixException("StateStoreNotFound", KratixErrorCategory.ObjectNotFound, $"{kind} \"{name}\" is not registered. Get-KratixStateStore lists those that are.", name);
        }

        var workingCopy = context.Writers.WorkingCopyOf(name);
        if (kind == KratixApi.GitStateStoreKind && Directory.Exists(workingCopy))
        {
            Directory.Delete(workingCopy, recursive: true);
        }
    }
}
