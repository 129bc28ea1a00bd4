using System.Text.Json.Nodes;
using Kratix.Objects;

namespace Kratix.Admission;

/// <summary>Validates and defaults a Destination as upstream's CRD schema and webhook do.</summary>
public static class DestinationAdmission
{
    private static readonly string[] Modes = [Destination.ModeNestedByMetadata, Destination.ModeAggregatedYaml, Destination.ModeNone];

    /// <summary>Defaults the Destination in place, or throws listing every problem.</summary>
    /// <param name="node">The Destination manifest; defaulted in place.</param>
    /// <param name="existing">The stored Destination being updated, if any (filepath.mode is immutable).</param>
    /// <param name="others">Every other Destination, to keep paths unique per state store.</param>
    public static Destination Admit(JsonObject node, Destination? existing, IEnumerable<Destination> others)
    {
        var problems = PlatformObjectAdmission.CheckTypeAndName(node, KratixApi.DestinationKind);
        var destination = new Destination(node);
        destination.ApplyDefaults();
        if (node["spec"]?["path"] is not JsonValue)
        {
            problems.Add("spec.path: Required value");
        }

        if (destination.StateStoreKind is not (KratixApi.GitStateStoreKind or KratixApi.BucketStateStoreKind))
        {
            problems.Add(destination.StateStoreKind.Length == 0
                ? "spec.stateStoreRef.kind: Required value"
                : $"spec.stateStoreRef.kind: Unsupported value: \"{destination.StateStoreKind}\": supported values: \"BucketStateStore\", \"GitStateStore\"");
        }

        if (destination.StateStoreName.Length == 0)
        {
            problems.Add("spec.stateStoreRef.name: Required value");
        }

        if (!Modes.Contains(destination.FilepathMode))
        {
            problems.Add($"spec.filepath.mode: Unsupported value: \"{destination.FilepathMode}\": supported values: \"nestedByMetadata\", \"aggregatedYAML\", \"none\"");
        }

        if (destination.Cleanup is not ("none" or "all"))
        {
            problems.Add($"spec.cleanup: Unsupported value: \"{destination.Cleanup}\": supported values: \"none\", \"all\"");
        }

        if (existing is not null && existing.FilepathMode != destination.FilepathMode)
        {
            problems.Add($"spec.filepath.mode: Invalid value: \"{destination.FilepathMode}\": filepath.mode is immutable (it was \"{existing.FilepathMode}\"); unregister and register the Destination to change it");
        }

        var clash = others.FirstOrDefault(o => o.Name != destination.Name && o.StateStoreKind == destination.StateStoreKind
            && o.StateStoreName == destination.StateStoreName && NormalisePath(o.Path) == NormalisePath(destination.Path));
        if (clash is not null)
        {
            problems.Add($"spec.path: Duplicate value: \"{destination.Path}\": Destination \"{clash.Name}\" already writes to this path of {destination.StateStoreKind} \"{destination.StateStoreName}\"");
        }

        if (problems.Count > 0)
        {
            throw new AdmissionException("DestinationInvalid", PlatformObjectAdmission.Describe(node, KratixApi.DestinationKind), problems, destination.Name);
        }

        return destination;
    }

    // As the layout reads it (DestinationLayout): surrounding slashes do not count, and "." and "/" are both the root.
    private static string NormalisePath(string path)
    {
        var trimmed = path.Trim('/').Replace("//", "/", StringComparison.Ordinal);
        return trimmed == "." ? string.Empty : trimmed;
    }
}
