namespace Kratix.Objects;

/// <summary>Identifies one object on a platform: API group, kind, namespace (null when cluster-scoped) and name.</summary>
public readonly record struct ObjectKey(string Group, string Kind, string? Namespace, string Name)
{
    public override string ToString() => Namespace is null ? $"{Kind}.{Group}/{Name}" : $"{Kind}.{Group}/{Namespace}/{Name}";
}
