using System.Text.Json.Nodes;
using Kratix.Manifests;
using Kratix.Objects;

namespace Kratix.Platforms;

/// <summary>
/// Moving a platform's objects from one platform to another (a home to a cluster, or back): <see cref="Export"/> reads
/// the state stores, Destinations, Promises and requests, <see cref="Clean"/> strips what a server or a home manages,
/// <see cref="Order"/> puts them in an order that applies (the Namespaces the requests need, state stores, then
/// Destinations, then Promises, then requests), and <see cref="Apply"/> applies one object to a platform by its kind. Secrets are never exported: a state
/// store keeps its <c>spec.secretRef</c>, the reference, and the Secret must exist (or be made) where it is imported.
/// </summary>
public static class PlatformExport
{
    /// <summary>Metadata fields a server or a platform home sets; none is written to an export.</summary>
    public static readonly IReadOnlyList<string> ManagedMetadata =
        ["uid", "resourceVersion", "generation", "creationTimestamp", "deletionTimestamp", "deletionGracePeriodSeconds", "managedFields", "selfLink", "finalizers", "ownerReferences"];

    /// <summary>Annotations a platform home or a client sets on objects it stores; none is written to an export.</summary>
    public static readonly IReadOnlyList<string> ManagedAnnotations =
        [Embedded.PlatformApplier.AppliedFromAnnotation, "kubectl.kubernetes.io/last-applied-configuration"];

    /// <summary>
    /// The platform's objects, cleaned and in the order they apply in. Secrets are not among them; Works and
    /// WorkPlacements neither (the target's Kratix makes them again from the requests), nor the Promises and requests
    /// the platform applied to itself from a compound Promise's placement (annotation <c>kratix.io/applied-from</c>):
    /// the target's GitOps agent applies them again from the state store.
    /// </summary>
    public static IReadOnlyList<JsonObject> Export(IKratixPlatform platform)
    {
        ArgumentNullException.ThrowIfNull(platform);
        var objects = new List<JsonObject>();
        objects.AddRange(platform.GetStateStores().Select(s => s.Node));
        objects.AddRange(platform.GetDestinations().Select(d => d.Node));
        objects.AddRange(platform.GetPromises().Select(p => p.Node));
        objects.AddRange(platform.GetRequests().Select(r => r.Node));
        var exported = objects.Where(o => !IsSecret(o) && !AppliedByPlatform(o)).Select(Clean).ToList();
        return Order(exported.Concat(NamespacesFor(exported)));
    }

    /// <summary>
    /// The Namespace objects the requests among <paramref name="objects"/> need (every namespace a request is in but
    /// <c>default</c>, which every cluster has), so that applying the export to a fresh cluster, with kubectl too, finds
    /// them. They sort first.
    /// </summary>
    public static IEnumerable<JsonObject> NamespacesFor(IEnumerable<JsonObject> objects) =>
        objects.Where(IsRequest)
            .Select(o => (o["metadata"] as JsonObject)?.GetString("namespace"))
            .Where(ns => ns is { Length: > 0 } && ns != "default")
            .Distinct(StringComparer.Ordinal)
            .Select(ns => new JsonObject { ["apiVersion"] = "v1", ["kind"] = NamespaceKind, ["metadata"] = new JsonObject { ["name"] = ns } });

    /// <summary>Whether a document is a core/v1 Namespace.</summary>
    public static bool IsNamespace(JsonObject obj) => Kind(obj) == NamespaceKind && (obj.GetString("apiVersion") ?? "v1") == "v1";

    private const string NamespaceKind = "Namespace";

    /// <summary>The export as one multi-document YAML text, as <c>kubectl apply -f</c> reads it.</summary>
    public static string ToYaml(IEnumerable<JsonObject> objects) => ManifestWriter.ToYaml(objects);

    /// <summary>
    /// A copy of <paramref name="obj"/> without status and what a server or a home manages (<see cref="ManagedMetadata"/>,
    /// <see cref="ManagedAnnotations"/>); empty labels and annotations are dropped. A Secret's values are dropped too,
    /// so that even a Secret handed in by mistake carries no value.
    /// </summary>
    public static JsonObject Clean(JsonObject obj)
    {
        ArgumentNullException.ThrowIfNull(obj);
        var copy = (JsonObject)obj.DeepClone();
        copy.Remove("status");
        if (IsSecret(copy))
        {
            copy.Remove("data");
            copy.Remove("stringData");
        }

        if (copy["metadata"] is JsonObject metadata)
        {
            foreach (var field in ManagedMetadata)
            {
                metadata.Remove(field);
            }

            if (metadata["annotations"] is JsonObject annotations)
            {
                foreach (var key in ManagedAnnotations)
                {
                    annotations.Remove(key);
                }
            }

            foreach (var map in new[] { "annotations", "labels" })
            {
                if (metadata[map] is JsonObject { Count: 0 })
                {
                    metadata.Remove(map);
                }
            }
        }

        return copy;
    }

    /// <summary>
    /// The objects in an order that applies: state stores (Destinations name them), Destinations, Promises (each makes
    /// the API its requests need), requests and anything else; by namespace and name within a rank. Stable.
    /// </summary>
    public static IReadOnlyList<JsonObject> Order(IEnumerable<JsonObject> objects) =>
        objects
            .Select((o, i) => (Object: o, Index: i))
            .OrderBy(x => Rank(Kind(x.Object)))
            .ThenBy(x => Kind(x.Object), StringComparer.Ordinal)
            .ThenBy(x => (x.Object["metadata"] as JsonObject)?.GetString("namespace") ?? string.Empty, StringComparer.Ordinal)
            .ThenBy(x => (x.Object["metadata"] as JsonObject)?.GetString("name") ?? string.Empty, StringComparer.Ordinal)
            .ThenBy(x => x.Index)
            .Select(x => x.Object)
            .ToList();

    /// <summary>Whether an object is a request: neither one of Kratix's own kinds nor a Secret.</summary>
    public static bool IsRequest(JsonObject obj) => Rank(Kind(obj)) == RequestRank;

    /// <summary>
    /// Applies one exported object to <paramref name="platform"/> by its kind: a state store is registered, a Destination
    /// registered, a Promise installed and (with <paramref name="promiseTimeout"/>) waited for until it is Available, so
    /// that its API serves the requests after it; a Secret is refused (exports carry no values); anything else is
    /// submitted as a request (created or updated).
    /// </summary>
    public static KubeObject Apply(IKratixPlatform platform, JsonObject obj, ManifestDocument? source = null, TimeSpan? promiseTimeout = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(platform);
        ArgumentNullException.ThrowIfNull(obj);
        var node = Clean(obj);
        switch (Kind(node))
        {
            case KratixApi.GitStateStoreKind or KratixApi.BucketStateStoreKind:
                return platform.RegisterStateStore(node, cancellationToken);
            case KratixApi.DestinationKind:
                return platform.RegisterDestination(node, cancellationToken);
            case KratixApi.PromiseKind:
                var promise = platform.InstallPromise(node, cancellationToken);
                return promiseTimeout is { } timeout
                    ? platform.Wait(new WaitTarget(null, null, promise.Name, Reasons.Available), timeout, cancellationToken) ?? promise
                    : promise;
            case NamespaceKind:
                // A cluster makes it (server-side apply); the embedded platform has no namespace objects to make.
                platform.EnsureNamespace((node["metadata"] as JsonObject)?.GetString("name") ?? string.Empty, cancellationToken);
                return new KubeObject(node);
            case "Secret":
                throw new KratixException(
                    "SecretNotImported",
                    KratixErrorCategory.InvalidData,
                    $"Secret \"{(node["metadata"] as JsonObject)?.GetString("name")}\" is not imported: exports carry no Secret values. Make it with Register-KratixStateStore -Credential, or kubectl create secret.",
                    source?.Describe());
            case "":
                throw new KratixException("UnexpectedKind", KratixErrorCategory.InvalidData, $"{source?.Describe() ?? "A document"} has no kind.", source?.Describe());
            default:
                return platform.SubmitRequest(node, source, allowUpdate: true, cancellationToken);
        }
    }

    private const int RequestRank = 4;

    private static int Rank(string kind) => kind switch
    {
        NamespaceKind => -1,
        "Secret" => 0,
        KratixApi.GitStateStoreKind or KratixApi.BucketStateStoreKind => 1,
        KratixApi.DestinationKind => 2,
        KratixApi.PromiseKind => 3,
        _ => RequestRank,
    };

    private static bool AppliedByPlatform(JsonObject obj) =>
        (obj["metadata"] as JsonObject)?["annotations"] is JsonObject annotations && annotations.ContainsKey(Embedded.PlatformApplier.AppliedFromAnnotation);

    private static string Kind(JsonObject obj) => obj.GetString("kind") ?? string.Empty;

    private static bool IsSecret(JsonObject obj) => Kind(obj) == "Secret" && (obj.GetString("apiVersion") ?? "v1") == "v1";
}
