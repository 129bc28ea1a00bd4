using Kratix.Objects;

namespace Kratix.Kubernetes;

/// <summary>A resource type of the API server: where its objects live in the REST API and what they are called.</summary>
public sealed record ApiResource(string Group, string Version, string Plural, string Kind, bool Namespaced)
{
    public static readonly ApiResource Secrets = new(string.Empty, "v1", "secrets", "Secret", true);
    public static readonly ApiResource Pods = new(string.Empty, "v1", "pods", "Pod", true);
    public static readonly ApiResource Jobs = new("batch", "v1", "jobs", "Job", true);
    public static readonly ApiResource Namespaces = new(string.Empty, "v1", "namespaces", "Namespace", false);
    public static readonly ApiResource CustomResourceDefinitions = new("apiextensions.k8s.io", "v1", "customresourcedefinitions", "CustomResourceDefinition", false);
    public static readonly ApiResource Deployments = new("apps", "v1", "deployments", "Deployment", true);

    public string ApiVersion => Group.Length == 0 ? Version : Group + "/" + Version;

    /// <summary>plural.group, as RBAC and kubectl name the resource (<c>promises.platform.kratix.io</c>, <c>secrets</c>).</summary>
    public string QualifiedName => Group.Length == 0 ? Plural : Plural + "." + Group;

    /// <summary>A platform.kratix.io kind: Works, WorkPlacements and HealthRecords are namespaced, the others cluster-scoped.</summary>
    public static ApiResource Kratix(string kind) =>
        new(KratixApi.Group, KratixApi.Version, KratixApi.PluralOf(kind), kind, kind is KratixApi.WorkKind or KratixApi.WorkPlacementKind or KratixApi.HealthRecordKind);

    /// <summary>The collection's path (all namespaces when <paramref name="ns"/> is null).</summary>
    public string CollectionPath(string? ns) =>
        (Group.Length == 0 ? "api/" + Version : "apis/" + Group + "/" + Version)
        + (Namespaced && ns is not null ? "/namespaces/" + Uri.EscapeDataString(ns) : string.Empty)
        + "/" + Plural;

    public string ItemPath(string? ns, string name) => CollectionPath(ns) + "/" + Uri.EscapeDataString(name);

    /// <summary>How messages name one object: <c>Promise "redis"</c>, <c>Redis "default/cache"</c>.</summary>
    public string Describe(string? ns, string? name) =>
        name is null ? QualifiedName : Namespaced && ns is not null ? $"{Kind} \"{ns}/{name}\"" : $"{Kind} \"{name}\"";
}
