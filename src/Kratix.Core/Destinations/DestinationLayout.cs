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
            default:
                throw new KratixException(
                    "FilepathModeNotSupported",
                    KratixErrorCategory.NotSpecified,
                    $"Destination '{destination.Name}' uses filepath mode '{destination.FilepathMode}', which the embedded platform does not write yet; use nestedByMetadata or none.",
                    destination.Name);
        }
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

    private static string Join(string a, string b) => string.IsNullOrEmpty(a) || a == "." ? b : $"{a.TrimEnd('/')}/{b.TrimStart('/')}";
}

/// <summary>What the layout needs besides the placement: the Work's pipeline, the request's namespace, what was written before.</summary>
public sealed record PlacementContext(string PipelineName, string ResourceNamespace, IReadOnlyList<string> PreviouslyWrittenFiles);
