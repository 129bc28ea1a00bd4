using System.Text;
using Kratix.Objects;
using Kratix.StateStores;

namespace Kratix.Destinations;

/// <summary>
/// Where a WorkPlacement's files go in a Destination's state store, per filepath mode (behaviour.md section 4).
/// Paths are relative to the state store's own path; the Destination's path is the first segment.
/// </summary>
public static class DestinationLayout
{
    /// <summary>The change that writes a placement's workloads (or removes them, when <paramref name="delete"/>).</summary>
    public static StateStoreChange ForPlacement(Destination destination, WorkPlacement placement, PlacementContext context, bool delete)
    {
        var description = (delete ? "Delete from: " : "Update from: ") + placement.Name;
        switch (destination.FilepathMode)
        {
            case Destination.ModeNestedByMetadata:
                var directory = Join(destination.Path, NestedDirectory(placement, context));
                return delete
                    ? new StateStoreChange(description, [], [directory])
                    : new StateStoreChange(description, placement.Workloads.Select(w => new StateStoreFile(Join(directory, w.Filepath), w.GetBytes())).ToList(), [], directory);
            case Destination.ModeNone:
                return FlatChange(destination, placement, context, description, delete);
            case Destination.ModeAggregatedYaml:
                return AggregatedChange(destination, placement, context, delete);
            default:
                throw new KratixException(
                    "FilepathModeNotSupported",
                    KratixErrorCategory.InvalidArgument,
                    $"Destination '{destination.Name}' uses filepath mode '{destination.FilepathMode}'; the supported modes are nestedByMetadata, aggregatedYAML and none.",
                    destination.Name);
        }
    }

    /// <summary>aggregatedYAML: the one file every placement on the Destination shares, <c>&lt;dest&gt;/&lt;filename&gt;</c>.</summary>
    public static string AggregateFile(Destination destination) => Join(destination.Path, destination.AggregatedFilename);

    /// <summary>
    /// aggregatedYAML: the aggregate's bytes, as upstream's <c>combineAllWorkloads</c> builds them: the placements sorted by
    /// name (ordinally, as Go compares strings; the namespace breaks ties, where Go's sort leaves the order open), every
    /// workload of each in its own order, joined with <c>\n---\n</c>. Nothing is added at the end, so the file ends as
    /// the last workload does; no placements (or only empty workloads) give no bytes.
    /// </summary>
    public static byte[] AggregateContent(IEnumerable<WorkPlacement> placements)
    {
        using var buffer = new MemoryStream();
        var first = true;
        foreach (var placement in placements.OrderBy(p => p.Name, StringComparer.Ordinal).ThenBy(p => p.Namespace ?? string.Empty, StringComparer.Ordinal))
        {
            foreach (var workload in placement.Workloads)
            {
                if (!first)
                {
                    buffer.Write(AggregateSeparator);
                }

                buffer.Write(workload.GetBytes());
                first = false;
            }
        }

        return buffer.ToArray();
    }

    /// <summary>
    /// nestedByMetadata: <c>dependencies/&lt;promise&gt;/&lt;pipeline&gt;/&lt;id5&gt;</c> (static dependencies have no pipeline segment)
    /// or <c>resources/&lt;namespace&gt;/&lt;promise&gt;/&lt;request&gt;/&lt;pipeline&gt;/&lt;id5&gt;</c>.
    /// </summary>
    public static string NestedDirectory(WorkPlacement placement, PlacementContext context)
    {
        var id5 = placement.Id.Length >= 5 ? placement.Id[..5] : placement.Id;
        if (placement.ResourceName.Length == 0)
        {
            return context.PipelineName.Length == 0
                ? $"dependencies/{placement.PromiseName}/{id5}"
                : $"dependencies/{placement.PromiseName}/{context.PipelineName}/{id5}";
        }

        return $"resources/{context.ResourceNamespace}/{placement.PromiseName}/{placement.ResourceName}/{context.PipelineName}/{id5}";
    }

    /// <summary>The canary documents that prove a GitOps agent reads the Destination (initWorkloads), keyed by path.</summary>
    public static StateStoreChange Canary(Destination destination, bool delete)
    {
        var nested = destination.FilepathMode == Destination.ModeNestedByMetadata;
        var ns = Join(destination.Path, nested ? "dependencies/kratix-canary-namespace.yaml" : "kratix-canary-namespace.yaml");
        var cm = Join(destination.Path, nested ? "resources/kratix-canary-configmap.yaml" : "kratix-canary-configmap.yaml");
        return delete
            ? new StateStoreChange("Delete from: kratix-canary", [], [ns, cm])
            : new StateStoreChange("Update from: kratix-canary", [new(ns, Encoding.UTF8.GetBytes(CanaryNamespace)), new(cm, Encoding.UTF8.GetBytes(CanaryConfigMap))], []);
    }

    public const string CanaryNamespace = "apiVersion: v1\nkind: Namespace\nmetadata:\n  name: kratix-worker-system\nspec: {}\nstatus: {}\n";

    public const string CanaryConfigMap = "apiVersion: v1\ndata:\n  canary: this confirms your infrastructure is reading from Kratix state stores\nkind: ConfigMap\nmetadata:\n  name: kratix-info\n  namespace: kratix-worker-system\n";

    /// <summary>none mode: the file that records what a placement wrote, <c>&lt;dest&gt;/.kratix/&lt;namespace&gt;-&lt;placement&gt;.yaml</c>.</summary>
    public static string TrackingFile(Destination destination, WorkPlacement placement) =>
        Join(destination.Path, $".kratix/{placement.Namespace}-{placement.Name}.yaml");

    /// <summary>Reads a tracking file (<c>files:</c> followed by full paths) back into its list of paths.</summary>
    public static IReadOnlyList<string> ParseTrackingFile(string text, string source)
    {
        var document = Manifests.ManifestReader.Default.ReadString(text, source).FirstOrDefault();
        return (document?.Content?["files"] as System.Text.Json.Nodes.JsonArray)?.Select(f => f?.ToString() ?? string.Empty).Where(f => f.Length > 0).ToList() ?? [];
    }

    // none: files flat under the Destination path; the full paths written are tracked in .kratix/ so stale ones can be removed.
    private static StateStoreChange FlatChange(Destination destination, WorkPlacement placement, PlacementContext context, string description, bool delete)
    {
        var tracking = TrackingFile(destination, placement);
        if (delete)
        {
            return new StateStoreChange(description, [], context.PreviouslyWrittenFiles.Append(tracking).ToList());
        }

        var files = placement.Workloads.Select(w => new StateStoreFile(Join(destination.Path, w.Filepath), w.GetBytes())).ToList();
        var written = files.Select(f => f.Path).ToList();
        var stale = context.PreviouslyWrittenFiles.Except(written, StringComparer.Ordinal).ToList();
        var list = written.Count == 0 ? "files: []\n" : "files:\n" + string.Concat(written.Select(f => $"- {f}\n"));
        files.Insert(0, new StateStoreFile(tracking, Encoding.UTF8.GetBytes(list)));
        return new StateStoreChange(description, files, stale);
    }

    // aggregatedYAML (upstream's writeWorkloadsToStateStore and deleteWorkPlacement): every write or removal rebuilds the
    // aggregate from the placements that stay on the Destination. A write always writes the file; a removal rewrites it
    // ("Update from: <removed placement>") while it has content and deletes it ("Delete from: ...") once it has none.
    // Nothing is tracked in .kratix/.
    private static StateStoreChange AggregatedChange(Destination destination, WorkPlacement placement, PlacementContext context, bool delete)
    {
        var others = (context.DestinationPlacements ?? []).Where(p => p.Name != placement.Name || p.Namespace != placement.Namespace);
        var content = AggregateContent(delete ? others : others.Append(placement));
        var file = AggregateFile(destination);
        return delete && content.Length == 0
            ? new StateStoreChange("Delete from: " + placement.Name, [], [file])
            : new StateStoreChange("Update from: " + placement.Name, [new StateStoreFile(file, content)], []);
    }

    private static readonly byte[] AggregateSeparator = "\n---\n"u8.ToArray();

    // The Destination's path is relative to the store's root whatever slashes it starts with: upstream joins it with
    // filepath.Join under the repository, so "/" (what upstream's docs suggest for the root) and "/dev" mean "" and "dev".
    private static string Join(string destinationPath, string path)
    {
        var prefix = destinationPath.Trim('/');
        return prefix.Length == 0 || prefix == "." ? path : $"{prefix}/{path.TrimStart('/')}";
    }
}

/// <summary>What the layout needs besides the placement: the Work's pipeline, the request's namespace, what was written before.</summary>
/// <param name="PipelineName">The Work's pipeline (nestedByMetadata).</param>
/// <param name="ResourceNamespace">The request's namespace (nestedByMetadata).</param>
/// <param name="PreviouslyWrittenFiles">none: the paths the placement's tracking file lists.</param>
/// <param name="DestinationPlacements">aggregatedYAML: every placement on the Destination as it will be once this change
/// lands (the placement itself is added for a write and left out for a removal, whether listed or not).</param>
public sealed record PlacementContext(
    string PipelineName,
    string ResourceNamespace,
    IReadOnlyList<string> PreviouslyWrittenFiles,
    IReadOnlyList<WorkPlacement>? DestinationPlacements = null);
