using Kratix.Objects;

namespace Kratix.Platforms.Embedded;

/// <summary>A kind of object the platform stores: its group, kind, plural (its folder name) and whether it is namespaced.</summary>
public sealed record ResourceType(string Group, string Kind, string Plural, bool Namespaced)
{
    public static ResourceType Promise { get; } = Platform(KratixApi.PromiseKind, namespaced: false);
    public static ResourceType Destination { get; } = Platform(KratixApi.DestinationKind, namespaced: false);
    public static ResourceType GitStateStore { get; } = Platform(KratixApi.GitStateStoreKind, namespaced: false);
    public static ResourceType BucketStateStore { get; } = Platform(KratixApi.BucketStateStoreKind, namespaced: false);
    public static ResourceType Work { get; } = Platform(KratixApi.WorkKind, namespaced: true);
    public static ResourceType WorkPlacement { get; } = Platform(KratixApi.WorkPlacementKind, namespaced: true);
    public static ResourceType HealthRecord { get; } = Platform(KratixApi.HealthRecordKind, namespaced: true);

    /// <summary>The folder this type's objects live in: <c>&lt;plural&gt;.&lt;group&gt;</c>, as etcd keys Kubernetes resources.</summary>
    public string Folder => $"{Plural}.{Group}";

    private static ResourceType Platform(string kind, bool namespaced) => new(KratixApi.Group, kind, KratixApi.PluralOf(kind), namespaced);
}
