using System.Text.Json.Nodes;
using Kratix.Admission;
using Kratix.Health;
using Kratix.Manifests;
using Kratix.Objects;

namespace Kratix.Platforms.Embedded;

/// <summary>
/// Stores HealthRecords and folds them into their request's <c>status.healthStatus</c>, as upstream's HealthRecord
/// controller does (behaviour.md 5.6), but at once instead of on a watch: a record written is aggregated with every
/// record about the same request (resourceRef name and namespace), a record removed leaves the others. Upstream's events
/// are warnings (Warning) and verbose messages (Normal). A record whose Promise or request does not exist is kept and
/// counts once that request exists (upstream requeues it until then).
/// </summary>
internal sealed class HealthRecordController(PlatformContext context, RequestController requests)
{
    public HealthRecord Apply(JsonObject node, ManifestDocument? source)
    {
        var record = HealthRecordAdmission.Admit(node, source, context.Options.FieldValidation, context.Log.Warning);
        if (context.Store.Get(ResourceType.HealthRecord, record.Namespace, record.Name) is { } existing && new HealthRecord(existing).Node["metadata"]?["annotations"] is JsonObject kept
            && record.Node["metadata"]?["annotations"] is null)
        {
            // A later write that names no annotations keeps those the record had (kratix.io/applied-from), as an apply would.
            record.Metadata["annotations"] = kept.DeepClone();
        }

        context.Save(ResourceType.HealthRecord, record);
        var saved = new HealthRecord(context.Store.Get(ResourceType.HealthRecord, record.Namespace, record.Name)!);
        Reconcile(saved);
        return saved;
    }

    public IReadOnlyList<HealthRecord> List(string? ns = null) =>
        context.Store.List(ResourceType.HealthRecord, ns).Select(n => new HealthRecord(n))
            .OrderBy(r => r.Namespace, StringComparer.Ordinal).ThenBy(r => r.Name, StringComparer.Ordinal).ToList();

    public HealthRecord? Get(string ns, string name) =>
        context.Store.Get(ResourceType.HealthRecord, ns, name) is { } node ? new HealthRecord(node) : null;

    /// <summary>Removes a record; its request's healthStatus is computed again from the records left (upstream's finalizer).</summary>
    public void Delete(string ns, string name)
    {
        var record = Get(ns, name) ?? throw new KratixException(
            "HealthRecordNotFound",
            KratixErrorCategory.ObjectNotFound,
            $"There is no HealthRecord \"{name}\" in namespace \"{ns}\". Get-KratixHealthRecord lists them.",
            name);
        context.Delete(ResourceType.HealthRecord, ns, name);
        if (Target(record) is { } target)
        {
            Fold(target.Promise, target.Request, record, removed: true);
        }
    }

    /// <summary>
    /// Sets <c>status.healthStatus</c> of a request about to be stored for the first time from the records already about
    /// it (upstream's controller requeues such records until their request exists); nothing when there are none.
    /// </summary>
    public static void FoldInto(PlatformContext context, ResourceRequest request)
    {
        var ns = request.Namespace ?? "default";
        var about = HealthAggregation.RecordsFor(context.Store.List(ResourceType.HealthRecord).Select(n => new HealthRecord(n)), ns, request.Name);
        // Upstream finds the request through a record's Promise, then aggregates every record naming that request.
        if (about.Any(r => r.PromiseName == request.GetLabel(KratixApi.PromiseNameLabel)))
        {
            request.Status["healthStatus"] = HealthAggregation.Aggregate(about);
        }
    }

    private void Reconcile(HealthRecord record)
    {
        if (Target(record) is { } target)
        {
            Fold(target.Promise, target.Request, record, removed: false);
        }
    }

    /// <summary>The record's request, found through its Promise's API as upstream does; null (with the reason logged) when there is none.</summary>
    private (Promise Promise, ResourceRequest Request)? Target(HealthRecord record)
    {
        var what = $"HealthRecord {record.Namespace}/{record.Name}";
        if (context.Promise(record.PromiseName) is not { } promise)
        {
            context.Log.Warning($"{what}: Promise \"{record.PromiseName}\" is not installed, so the record is kept but counts towards no request's health.");
            return null;
        }

        if (!record.HasRequest)
        {
            context.Log.Verbose($"{what} names no request (data.resourceRef), so it is a record about Promise \"{promise.Name}\" and counts towards no request's health.");
            return null;
        }

        if (context.ApiOf(promise) is null || requests.Get(promise, record.RequestNamespace, record.RequestName) is not { } request)
        {
            context.Log.Warning($"{what}: Promise \"{promise.Name}\" has no request \"{record.RequestNamespace}/{record.RequestName}\"; the record is kept and counts once that request exists.");
            return null;
        }

        return (promise, request);
    }

    private void Fold(Promise promise, ResourceRequest request, HealthRecord record, bool removed)
    {
        var before = HealthAggregation.StateOf(request.Status);
        var records = HealthAggregation.RecordsFor(List(), record.RequestNamespace, record.RequestName);
        request.Status["healthStatus"] = HealthAggregation.Aggregate(records);
        context.Save(context.RequestTypeOf(context.ApiOf(promise)!), request);
        if (!removed && HealthAggregation.EventFor(before, record.State) is { } healthEvent)
        {
            var message = $"{request.Kind} \"{request.Namespace}/{request.Name}\": {healthEvent.Message} (HealthRecord {record.Namespace}/{record.Name}).";
            if (healthEvent.Warning)
            {
                context.Log.Warning(message);
            }
            else
            {
                context.Log.Verbose(message);
            }
        }
    }
}
