using System.Collections.Specialized;
using System.Text.Json.Nodes;
using Kratix.Manifests;
using Kratix.Objects;
using Kratix.Platforms;

namespace Kratix.Presentation;

/// <summary>
/// What the cmdlets output for every platform object: the manifest as case-insensitive ordered dictionaries (so
/// <c>$request.Spec.size</c> works in PowerShell), its conditions, and a few summary columns chosen per kind.
/// Passing it back to a cmdlet (-InputObject) uses the exact manifest it was made from.
/// </summary>
public sealed class KratixObject
{
    private readonly JsonObject _node;

    /// <param name="source">The object.</param>
    /// <param name="relations">
    /// The platform's Works, placements and Destinations, from which a request's, a Work's and a Promise's Destination,
    /// StateStore and VersionId are filled in (where its documents were written), and a WorkPlacement's StateStore.
    /// Without it those stay empty for those kinds.
    /// </param>
    public KratixObject(KubeObject source, ObjectRelations? relations = null)
    {
        _node = source.Node.DeepClone().AsObject();
        var obj = new KubeObject(_node);
        Kind = obj.Kind;
        ApiVersion = obj.ApiVersion;
        Name = obj.Name;
        Namespace = obj.Namespace;
        Metadata = Dictionary(_node["metadata"]);
        Labels = Dictionary(_node["metadata"]?["labels"]);
        Spec = Dictionary(_node["spec"]);
        Status = Dictionary(_node["status"]);
        Conditions = obj.Conditions.All.ToArray();
        Promise = Kind switch
        {
            KratixApi.PromiseKind => null,
            KratixApi.WorkKind or KratixApi.WorkPlacementKind => obj.Spec.GetString("promiseName"),
            KratixApi.HealthRecordKind => new HealthRecord(_node).PromiseName,
            _ => obj.GetLabel(KratixApi.PromiseNameLabel),
        };
        Data = Dictionary(_node["data"]);
        Health = Kind == KratixApi.HealthRecordKind ? new HealthRecord(_node).State : Kratix.Health.HealthAggregation.StateOf(obj.Status);
        (State, Message) = Summarise(obj);
        var placed = relations?.SummaryOf(obj) ?? PlacementSummary.None;
        Destination = Kind == KratixApi.WorkPlacementKind ? obj.Spec.GetString("targetDestinationName") : Join(placed.Destinations);
        StateStore = Kind == KratixApi.DestinationKind ? $"{new Destination(_node).StateStoreKind}/{new Destination(_node).StateStoreName}" : Join(placed.StateStores);
        VersionId = Kind == KratixApi.WorkPlacementKind ? obj.Status.GetString("versionID") : Join(placed.VersionIds);
    }

    public string Kind { get; }

    public string ApiVersion { get; }

    public string Name { get; }

    public string? Namespace { get; }

    /// <summary>The Promise a request, Work or WorkPlacement belongs to.</summary>
    public string? Promise { get; }

    /// <summary>The one-word state a table shows: Available, Ready/NotReady, True/False, or a request's Reconciled message.</summary>
    public string State { get; }

    public string Message { get; }

    /// <summary>
    /// Where the object's documents went: a WorkPlacement's Destination; for a request, a Work or a Promise (its
    /// dependencies and promise workflows), every Destination its WorkPlacements are on, comma-separated. Null when nothing is placed.
    /// </summary>
    public string? Destination { get; }

    /// <summary>
    /// <c>&lt;kind&gt;/&lt;name&gt;</c> of a Destination's state store; for a WorkPlacement, a request, a Work or a Promise, of
    /// the state stores of the Destinations in <see cref="Destination"/>, comma-separated.
    /// </summary>
    public string? StateStore { get; }

    /// <summary>
    /// The git commit (or other version) of a WorkPlacement's last write; for a request, a Work or a Promise, of each of
    /// its WorkPlacements' last writes, comma-separated. Null until something is written.
    /// </summary>
    public string? VersionId { get; }

    /// <summary>
    /// A request's health: status.healthStatus.state, which its HealthRecords make (unhealthy, degraded, unknown, healthy,
    /// ready); a HealthRecord's own state; null otherwise.
    /// </summary>
    public string? Health { get; }

    /// <summary>A HealthRecord's <c>data</c> (promiseRef, resourceRef, state, lastRun, details); empty for other kinds.</summary>
    public OrderedDictionary Data { get; }

    public OrderedDictionary Metadata { get; }

    public OrderedDictionary Labels { get; }

    public OrderedDictionary Spec { get; }

    public OrderedDictionary Status { get; }

    public IReadOnlyList<Condition> Conditions { get; }

    /// <summary>
    /// For a Work or a WorkPlacement: every YAML or JSON document its workloads carry (decoded from base64 of gzip), in
    /// order, with their own keys; files that are not manifests or do not parse give none. Empty for other kinds.
    /// </summary>
    public IReadOnlyList<OrderedDictionary> Documents()
    {
        var workloads = Kind switch
        {
            KratixApi.WorkKind => new Work(_node).WorkloadGroups.SelectMany(g => g.Workloads),
            KratixApi.WorkPlacementKind => new WorkPlacement(_node).Workloads,
            _ => [],
        };
        return workloads.SelectMany(w => new Pipelines.PipelineOutputFile(w.Filepath, w.GetBytes()).Documents()).Select(d => Dictionary(d)).ToList();
    }

    /// <summary>A copy of the manifest this object was made from.</summary>
    public JsonObject GetManifest() => _node.DeepClone().AsObject();

    public string ToYaml() => ManifestWriter.ToYaml(_node);

    public string ToJson() => ManifestWriter.ToJson(_node);

    public override string ToString() => Namespace is null ? $"{Kind}/{Name}" : $"{Kind}/{Namespace}/{Name}";

    private static string? Join(IReadOnlyList<string> values) => values.Count == 0 ? null : string.Join(", ", values);

    private static OrderedDictionary Dictionary(JsonNode? node) =>
        JsonValues.ToClr(node) as OrderedDictionary ?? new OrderedDictionary(StringComparer.OrdinalIgnoreCase);

    private static (string State, string Message) Summarise(KubeObject obj)
    {
        var conditions = obj.Conditions;
        var ready = conditions.Get(Reasons.Ready);
        return obj.Kind switch
        {
            KratixApi.PromiseKind => (obj.Status.GetString("status") ?? "Pending", obj.Status.GetString("message") ?? conditions.Get(Reasons.Available)?.Message ?? string.Empty),
            KratixApi.GitStateStoreKind or KratixApi.BucketStateStoreKind => (obj.Status.GetString("status") ?? "Unknown", ready?.Message ?? string.Empty),
            KratixApi.DestinationKind => (ready?.Status == Condition.True ? "Ready" : ready is null ? "Unknown" : "NotReady", ready?.Message ?? string.Empty),
            KratixApi.WorkKind or KratixApi.WorkPlacementKind => (ready?.Message ?? "Pending", conditions.Get(Reasons.ScheduleSucceeded)?.Message ?? string.Empty),
            KratixApi.HealthRecordKind => (new HealthRecord(obj.Node).State, obj.Node["data"]?["details"] is { } details ? details.ToJsonString() : string.Empty),
            _ => (conditions.Get(Reasons.Reconciled)?.Message ?? obj.Status.GetString("message") ?? (obj.Status.Count == 0 ? "Pending" : "Accepted"),
                obj.Status.GetString("message") ?? string.Empty),
        };
    }
}
