namespace Kratix.Pipelines;

/// <summary>An entry of metadata/destination-selectors.yaml: a directory (or "." for the root) and the labels it needs.</summary>
public sealed record DirectorySelector(string Directory, IReadOnlyDictionary<string, string> MatchLabels);
