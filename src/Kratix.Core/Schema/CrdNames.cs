namespace Kratix.Schema;

/// <summary><c>spec.names</c> of a CustomResourceDefinition, with Kubernetes' defaults applied (singular: lower-case kind; listKind: kind + "List").</summary>
public sealed record CrdNames(
    string Kind,
    string Plural,
    string Singular,
    string ListKind,
    IReadOnlyList<string> ShortNames,
    IReadOnlyList<string> Categories);
