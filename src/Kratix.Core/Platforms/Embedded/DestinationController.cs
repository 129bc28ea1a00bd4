using System.Text.Json.Nodes;
using Kratix.Admission;
using Kratix.Destinations;
using Kratix.Objects;

namespace Kratix.Platforms.Embedded;

/// <summary>
/// Registers Destinations: writes the canary documents that prove the state store is reachable, reports Ready, and
/// reschedules every Work when a Destination comes, changes or goes.
/// </summary>
internal sealed class DestinationController(PlatformContext context, WorkController works)
{
    public Destination Register(JsonObject node, CancellationToken cancellationToken)
    {
        var existingNode = context.Store.Get(ResourceType.Destination, null, new KubeObject(node).Name);
        var existing = existingNode is null ? null : new Destination(existingNode);
        var destination = DestinationAdmission.Admit(node, existing, context.Destinations());
        if (context.StateStore(destination.StateStoreKind, destination.StateStoreName) is null)
        {
            context.Log.Warning($"referenced {destination.StateStoreKind} \"{destination.StateStoreName}\" does not exist");
        }

        if (existingNode?["status"] is JsonObject status)
        {
            destination.Node["status"] = status.DeepClone();
        }

        context.Save(ResourceType.Destination, destination);
        var reconciled = Reconcile(new Destination(context.Store.Get(ResourceType.Destination, null, destination.Name)!), cancellationToken);
        works.ReconcileAll(cancellationToken);
        return reconciled;
    }

    public Destination Reconcile(Destination destination, CancellationToken cancellationToken)
    {
        var storeRef = $"{destination.StateStoreKind}/{destination.StateStoreName}";
        var store = context.StateStore(destination.StateStoreKind, destination.StateStoreName);
        if (store is null)
        {
            return SetReady(destination, false, Reasons.StateStoreNotFound, $"{storeRef}: not found");
        }

        if (!StateStoreController.IsReady(store))
        {
            return SetReady(destination, false, Reasons.StateStoreNotReady, $"{storeRef}: not ready");
        }

        try
        {
            var canary = DestinationLayout.Canary(destination, delete: !destination.InitWorkloadsEnabled);
            context.WriteToStore(store, [canary], cancellationToken);
        }
        catch (KratixException ex)
        {
            return SetReady(destination, false, Reasons.StateStoreWriteFailed, $"Failed to write test documents to State Store: {ex.Message}");
        }

        return destination.InitWorkloadsEnabled
            ? SetReady(destination, true, Reasons.TestDocumentsWritten, Reasons.TestDocumentsWrittenMessage)
            : SetReady(destination, true, Reasons.DestinationReady, Reasons.DestinationReadyMessage);
    }

    public void Unregister(string name, CancellationToken cancellationToken)
    {
        var node = context.Store.Get(ResourceType.Destination, null, name)
            ?? throw new KratixException("DestinationNotFound", KratixErrorCategory.ObjectNotFound, $"Destination \"{name}\" is not registered. Get-KratixDestination lists those that are.", name);
        var destination = new Destination(node);
        var placements = works.Placements().Where(p => p.TargetDestinationName == name).ToList();
        var cleanup = destination.Cleanup == "all";
        works.RemovePlacements(placements, context.Destinations(), cancellationToken, deleteFiles: cleanup);
        if (cleanup && context.StateStore(destination.StateStoreKind, destination.StateStoreName) is { } store)
        {
            context.WriteToStore(store, [DestinationLayout.Canary(destination, delete: true)], cancellationToken);
        }

        context.Delete(ResourceType.Destination, null, name);
        works.ReconcileAll(cancellationToken);
    }

    private Destination SetReady(Destination destination, bool ready, string reason, string message)
    {
        destination.Conditions.Set(Reasons.Ready, ready ? Condition.True : Condition.False, reason, message, context.Now);
        if (!ready)
        {
            context.Log.Warning($"Destination \"{destination.Name}\" is not ready: {message}");
        }

        context.Save(ResourceType.Destination, destination);
        return destination;
    }
}
