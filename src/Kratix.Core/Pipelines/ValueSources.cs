namespace Kratix.Pipelines;

/// <summary>
/// ConfigMaps and Secrets that <c>env[].valueFrom</c> and <c>envFrom</c> may name, by name (the namespace is not
/// consulted: a local run has one). Secret values only ever reach a container through its environment.
/// </summary>
public sealed record ValueSources(
    IReadOnlyDictionary<string, IReadOnlyDictionary<string, string>> ConfigMaps,
    IReadOnlyDictionary<string, IReadOnlyDictionary<string, string>> Secrets)
{
    /// <summary>
    /// What <c>valueFrom.fieldRef</c> reads, by field path (<c>metadata.namespace</c>, <c>metadata.name</c>...): the
    /// Pod the pipeline would run in on a cluster. The executor fills it for each pipeline.
    /// </summary>
    public IReadOnlyDictionary<string, string> PodFields { get; init; } = new Dictionary<string, string>();

    public static ValueSources None { get; } = new(
        new Dictionary<string, IReadOnlyDictionary<string, string>>(),
        new Dictionary<string, IReadOnlyDictionary<string, string>>());
}
