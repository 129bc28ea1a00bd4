using System.Text.Json.Nodes;

namespace Kratix.ApiServerDouble;

/// <summary>
/// The few controllers of a real control plane that the API's behaviour depends on, run synchronously after each
/// write (with the storage lock held): the apiextensions controllers (establish a CRD's names, serve its type,
/// delete its instances when it is deleted, then drop its finalizer) and the namespace controller (delete a
/// terminating namespace's content, then the namespace). No other controller runs: nothing reconciles Jobs or Pods,
/// and there is no garbage collection by ownerReferences.
/// </summary>
internal sealed class Controllers
{
    private readonly Storage storage;
    private readonly Registry registry;
    private readonly ApiServerDoubleOptions options;

    public Controllers(Storage storage, Registry registry, ApiServerDoubleOptions options)
    {
        this.storage = storage;
        this.registry = registry;
        this.options = options;
    }

    /// <summary>Deletes an object as DELETE does (set by the server once the verbs exist).</summary>
    public Func<ResourceType, JsonObject, (JsonObject Result, bool Removed)>? Delete { get; set; }

    private static ResourceType NamespaceType => BuiltInKinds.All[0];

    /// <summary>404 if the namespace does not exist, 403 if it is being deleted, as the NamespaceLifecycle admission plugin.</summary>
    public void CheckNamespaceAcceptsContent(string ns)
    {
        var nsObj = storage.Get(NamespaceType.StoreKey, ns)?.Object ?? throw StatusErrors.NotFound("namespaces", string.Empty, ns);
        if (nsObj["metadata"]?["deletionTimestamp"] is not null)
        {
            throw new ApiStatusException(403, "Forbidden", "unable to create new content in namespace " + ns + " because it is being terminated",
                StatusErrors.Details(ns, string.Empty, "namespaces", new JsonArray(new JsonObject
                {
                    ["reason"] = "NamespaceTerminating",
                    ["message"] = "namespace " + ns + " is being terminated",
                    ["field"] = "metadata.namespace",
                })));
        }
    }

    /// <summary>Runs after every committed write: <paramref name="current"/> is null when the object is gone.</summary>
    public void AfterWrite(ResourceType type, JsonObject? current, JsonObject? previous)
    {
        if (type == Crds.Type)
        {
            if (current is not null && current["metadata"]?["deletionTimestamp"] is null && options.EstablishDelay <= TimeSpan.Zero)
            {
                Establish(Json.Name(current));
            }
            else if (current is not null && current["metadata"]?["deletionTimestamp"] is null && !Crds.IsConditionTrue(current, "Established"))
            {
                string name = Json.Name(current);
                _ = Task.Run(async () =>
                {
                    await Task.Delay(options.EstablishDelay);
                    lock (storage.Gate)
                    {
                        Establish(name);
                    }
                });
            }

            RebuildRegistry();
            if (current?["metadata"]?["deletionTimestamp"] is not null)
            {
                CleanUpCrd(current);
            }

            return;
        }

        if (type == NamespaceType && current?["metadata"]?["deletionTimestamp"] is not null)
        {
            CleanUpNamespace(Json.Name(current));
            return;
        }

        var obj = current ?? previous;
        if (current is null && obj is not null)
        {
            if (type.Namespaced && storage.Get(NamespaceType.StoreKey, Json.Namespace(obj))?.Object is { } ns && ns["metadata"]?["deletionTimestamp"] is not null)
            {
                FinishNamespaceIfEmpty(Json.Name(ns));
            }

            if (type.CrdName is { } crdName && storage.Get(Crds.Type.StoreKey, crdName)?.Object is { } crd && crd["metadata"]?["deletionTimestamp"] is not null)
            {
                FinishCrdIfEmpty(crd, type);
            }
        }
    }

    private void Establish(string name)
    {
        var crd = storage.Get(Crds.Type.StoreKey, name)?.Object;
        if (crd is null || crd["metadata"]?["deletionTimestamp"] is not null)
        {
            return;
        }

        var others = storage.List(Crds.Type.StoreKey, null).Select(o => o.Object).Where(o => Json.Name(o) != name);
        var status = Crds.ComputeStatus(crd, others, Json.Time(DateTimeOffset.UtcNow));
        if (JsonNode.DeepEquals(status, crd["status"]))
        {
            return;
        }

        var updated = crd.DeepClone().AsObject();
        updated["status"] = status;
        storage.Commit(Crds.Type.StoreKey, WatchEventTypes.Modified, updated, crd);
        RebuildRegistry();
    }

    private void RebuildRegistry()
    {
        var before = registry.Types.Select(t => t.StoreKey).ToHashSet(StringComparer.Ordinal);
        registry.Rebuild(storage.List(Crds.Type.StoreKey, null).Select(o => o.Object).ToList());
        var after = registry.Types.Select(t => t.StoreKey).ToHashSet(StringComparer.Ordinal);
        foreach (var gone in before.Except(after))
        {
            storage.DropWatchesLocked(gone);
        }
    }

    private void CleanUpCrd(JsonObject crd)
    {
        // Mark it Terminating (keeping its other conditions), delete every instance, and drop the finalizer when none is left.
        if (!Crds.IsConditionTrue(crd, "Terminating"))
        {
            var updated = crd.DeepClone().AsObject();
            var status = updated["status"] as JsonObject ?? [];
            var conditions = status["conditions"] as JsonArray ?? [];
            conditions.Add(new JsonObject
            {
                ["type"] = "Terminating",
                ["status"] = "True",
                ["lastTransitionTime"] = Json.Time(DateTimeOffset.UtcNow),
                ["reason"] = "InstanceDeletionInProgress",
                ["message"] = "CustomResource deletion is in progress",
            });
            status["conditions"] = conditions;
            updated["status"] = status;
            storage.Commit(Crds.Type.StoreKey, WatchEventTypes.Modified, updated, crd);
            RebuildRegistry();
            crd = updated;
        }

        var type = registry.Types.FirstOrDefault(t => t.CrdName == Json.Name(crd));
        if (type is null)
        {
            FinishCrdIfEmpty(crd, null);
            return;
        }

        foreach (var o in storage.List(type.StoreKey, null).Select(o => o.Object).ToList())
        {
            if (o["metadata"]?["deletionTimestamp"] is null)
            {
                Delete!(type, o);
            }
        }

        FinishCrdIfEmpty(storage.Get(Crds.Type.StoreKey, Json.Name(crd))?.Object ?? crd, type);
    }

    private void FinishCrdIfEmpty(JsonObject crd, ResourceType? type)
    {
        if (storage.Get(Crds.Type.StoreKey, Json.Name(crd)) is null || (type is not null && storage.Count(type.StoreKey) > 0))
        {
            return;
        }

        var finalizers = Json.StringList(crd["metadata"]?["finalizers"]).Where(f => f != Crds.CleanupFinalizer).ToList();
        var updated = crd.DeepClone().AsObject();
        Json.Meta(updated)["finalizers"] = new JsonArray(finalizers.Select(f => (JsonNode?)f).ToArray());
        if (finalizers.Count == 0)
        {
            Json.Meta(updated).Remove("finalizers");
        }

        storage.Commit(Crds.Type.StoreKey, finalizers.Count == 0 ? WatchEventTypes.Deleted : WatchEventTypes.Modified, updated, crd);
        RebuildRegistry();
    }

    private void CleanUpNamespace(string ns)
    {
        foreach (var type in registry.Types.Where(t => t.Namespaced).ToList())
        {
            foreach (var o in storage.List(type.StoreKey, ns).Select(o => o.Object).ToList())
            {
                if (o["metadata"]?["deletionTimestamp"] is null)
                {
                    Delete!(type, o);
                }
            }
        }

        FinishNamespaceIfEmpty(ns);
    }

    private void FinishNamespaceIfEmpty(string ns)
    {
        var nsObj = storage.Get(NamespaceType.StoreKey, ns)?.Object;
        if (nsObj is null || registry.Types.Where(t => t.Namespaced).Any(t => storage.List(t.StoreKey, ns).Any()))
        {
            return;
        }

        bool gone = Json.StringList(nsObj["metadata"]?["finalizers"]).Count == 0;
        if (!gone && Json.StringList(nsObj["spec"]?["finalizers"]).Count == 0)
        {
            return;
        }

        var updated = nsObj.DeepClone().AsObject();
        updated["spec"] = new JsonObject();
        storage.Commit(NamespaceType.StoreKey, gone ? WatchEventTypes.Deleted : WatchEventTypes.Modified, updated, nsObj);
    }
}
