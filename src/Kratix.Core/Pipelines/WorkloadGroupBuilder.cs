using Kratix.Objects;
using Kratix.Scheduling;

namespace Kratix.Pipelines;

/// <summary>
/// Groups a pipeline's output files for scheduling exactly as upstream's work-creator does: one group per directory
/// named in destination-selectors.yaml (id md5(dir), only the workflow's selector: the Promise's are ignored), then the
/// default group of the remaining files (directory ".", id md5(".")) with the root selector, then the squashed Promise
/// selectors. A directory named in the file but missing from the output fails the pipeline.
/// </summary>
public static class WorkloadGroupBuilder
{
    public static IReadOnlyList<WorkloadGroup> Build(
        IReadOnlyList<PipelineOutputFile> files,
        IReadOnlyList<DirectorySelector> selectors,
        string workflowType,
        IReadOnlyList<DestinationSelector> promiseSelectors,
        string pipelineName)
    {
        var source = workflowType + "-workflow";
        var groups = new List<WorkloadGroup>();
        var directories = selectors.Where(s => s.Directory != ".").Select(s => s.Directory).ToHashSet(StringComparer.Ordinal);
        foreach (var selector in selectors.Where(s => s.Directory != "."))
        {
            var prefix = selector.Directory + "/";
            var inGroup = files.Where(f => f.Path.StartsWith(prefix, StringComparison.Ordinal)).ToList();
            if (inGroup.Count == 0)
            {
                throw new KratixException(
                    "PipelineDirectoryMissing",
                    KratixErrorCategory.InvalidData,
                    $"Pipeline \"{pipelineName}\": destination-selectors.yaml names directory \"{selector.Directory}\", but /kratix/output/{selector.Directory} does not exist or is empty. Write files there, or remove the entry.",
                    selector.Directory);
            }

            groups.Add(new WorkloadGroup(
                GeneratedNames.Md5(selector.Directory),
                selector.Directory,
                inGroup.Select(f => Workload.FromBytes(f.Path, f.Content)).ToList(),
                [new DestinationSelector(selector.MatchLabels, source)]));
        }

        var rest = files.Where(f => !directories.Contains(TopDirectory(f.Path))).ToList();
        if (rest.Count > 0)
        {
            var groupSelectors = new List<DestinationSelector>();
            if (selectors.FirstOrDefault(s => s.Directory == ".") is { } root)
            {
                groupSelectors.Add(new DestinationSelector(root.MatchLabels, source));
            }

            // Upstream adds the squashed selector whenever the Promise has selector entries, even ones without labels.
            if (promiseSelectors.Count > 0)
            {
                groupSelectors.Add(new DestinationSelector(SelectorMatcher.Merge(promiseSelectors), DestinationSelector.FromPromise));
            }

            groups.Add(new WorkloadGroup(KratixApi.DefaultWorkloadGroupId, ".", rest.Select(f => Workload.FromBytes(f.Path, f.Content)).ToList(), groupSelectors));
        }

        return groups;
    }

    private static string TopDirectory(string path) => path.Contains('/', StringComparison.Ordinal) ? path[..path.IndexOf('/', StringComparison.Ordinal)] : string.Empty;
}
