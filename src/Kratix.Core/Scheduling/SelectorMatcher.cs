using Kratix.Objects;

namespace Kratix.Scheduling;

/// <summary>How selectors combine and which Destinations they match (behaviour.md section 3, "Matching").</summary>
public static class SelectorMatcher
{
    private static readonly string[] Precedence = [DestinationSelector.FromPromise, DestinationSelector.FromPromiseWorkflow, DestinationSelector.FromResourceWorkflow];

    /// <summary>
    /// Merges selectors into one label set: promise over promise-workflow over resource-workflow, and within one
    /// source the first selector to name a key wins.
    /// </summary>
    public static IReadOnlyDictionary<string, string> Merge(IEnumerable<DestinationSelector> selectors)
    {
        var merged = new Dictionary<string, string>(StringComparer.Ordinal);
        var list = selectors.ToList();
        var ordered = list.OrderBy(s => Array.IndexOf(Precedence, s.Source) is var i && i < 0 ? Precedence.Length : i);
        foreach (var selector in ordered)
        {
            foreach (var (key, value) in selector.MatchLabels)
            {
                merged.TryAdd(key, value);
            }
        }

        return merged;
    }

    /// <summary>
    /// True when the Destination can take work with this (merged) selector: every label equal; an empty selector matches
    /// every Destination except a strictMatchLabels one that has labels.
    /// </summary>
    public static bool Matches(IReadOnlyDictionary<string, string> selector, Destination destination)
    {
        var labels = destination.Labels;
        if (selector.Count == 0)
        {
            return !(destination.StrictMatchLabels && labels.Count > 0);
        }

        return selector.All(kv => labels.TryGetValue(kv.Key, out var value) && value == kv.Value);
    }

    /// <summary>Destinations that never receive ordinary work: those labelled kratix.io/dry-run=true.</summary>
    public static bool IsSchedulable(Destination destination) => destination.GetLabel(KratixApi.DryRunLabel) != "true";
}
