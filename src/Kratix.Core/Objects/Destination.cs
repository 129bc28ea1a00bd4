using System.Text.Json.Nodes;

namespace Kratix.Objects;

/// <summary>A Destination: a target (a cluster, a folder GitOps reads) chosen by its labels, writing to a state store.</summary>
public sealed class Destination(JsonObject node) : KubeObject(node)
{
    public const string ModeNestedByMetadata = "nestedByMetadata";
    public const string ModeAggregatedYaml = "aggregatedYAML";
    public const string ModeNone = "none";

    /// <summary>spec.path: the directory under the state store's own path.</summary>
    /// <summary>
    /// The annotation that makes a Destination the platform itself: the embedded platform applies the Promises and
    /// requests written to it, as the GitOps agent on upstream's platform cluster would (compound Promises).
    /// </summary>
    public const string ApplyToPlatformAnnotation = "kratix.io/apply-to-platform";

    public bool AppliesToPlatform => GetAnnotation(ApplyToPlatformAnnotation) == "true";

    public string Path => Spec.GetString("path") ?? string.Empty;

    public string StateStoreKind => Spec["stateStoreRef"]?.AsObjectOrNull()?.GetString("kind") ?? string.Empty;

    public string StateStoreName => Spec["stateStoreRef"]?.AsObjectOrNull()?.GetString("name") ?? string.Empty;

    public bool StrictMatchLabels => Spec.GetBool("strictMatchLabels") ?? false;

    public string FilepathMode => Spec["filepath"]?.AsObjectOrNull()?.GetString("mode") ?? ModeNestedByMetadata;

    /// <summary>The aggregate file name in aggregatedYAML mode (default aggregated.yaml).</summary>
    public string AggregatedFilename => Spec["filepath"]?.AsObjectOrNull()?.GetString("filename") is { Length: > 0 } name ? name : "aggregated.yaml";

    /// <summary>spec.cleanup: "none" (default) or "all" (remove everything written when the Destination goes).</summary>
    public string Cleanup => Spec.GetString("cleanup") ?? "none";

    public bool InitWorkloadsEnabled => Spec["initWorkloads"]?.AsObjectOrNull()?.GetBool("enabled") ?? true;

    /// <summary>Fills in the defaults upstream's CRD applies: filepath.mode, cleanup, initWorkloads.enabled.</summary>
    public void ApplyDefaults()
    {
        var filepath = Spec.GetOrAddObject("filepath");
        if (filepath.GetString("mode") is null)
        {
            filepath["mode"] = ModeNestedByMetadata;
        }

        if (filepath.GetString("mode") == ModeAggregatedYaml && filepath.GetString("filename") is null)
        {
            filepath["filename"] = "aggregated.yaml";
        }

        if (Spec.GetString("cleanup") is null)
        {
            Spec["cleanup"] = "none";
        }

        var init = Spec.GetOrAddObject("initWorkloads");
        if (init.GetBool("enabled") is null)
        {
            init["enabled"] = true;
        }
    }
}
