namespace Kratix.Kubernetes;

/// <summary>What a request to the API server does, in RBAC's words (verb, resource, namespace, name), for messages.</summary>
public sealed record KubeOperation(string Verb, ApiResource Resource, string? Namespace = null, string? Name = null)
{
    public string Describe() =>
        $"{Verb} {Resource.QualifiedName}" + (Name is null ? string.Empty : $" \"{Name}\"") + (Resource.Namespaced && Namespace is not null ? $" in namespace \"{Namespace}\"" : string.Empty);
}
