using static Kratix.Tests.Workflows.WorkflowPromises;

namespace Kratix.Tests.Versions;

/// <summary>
/// The Thing Promise at a version: its resource configure pipeline writes <c>version.txt</c> holding that version (or
/// fails, to test a failed upgrade), so what a request last ran is read back from the state store.
/// </summary>
internal static class VersionPromises
{
    public static string Thing(string version, bool fail = false, string name = "thing", string extraSpec = "") =>
        Promise(
            WorkflowSpec(resourceConfigure: [Pipeline("instance", fail ? "echo broken >&2; exit 3" : $"echo {version} > /kratix/output/version.txt")]),
            name,
            extraSpec).Replace("kratix.io/promise-version: v1.0.0", $"kratix.io/promise-version: {version}", StringComparison.Ordinal);

    /// <summary>A Promise without an API that requires others (spec.requiredPromises).</summary>
    public static string Requiring(string name, string requirements) => $"""
        apiVersion: platform.kratix.io/v1alpha1
        kind: Promise
        metadata:
          name: {name}
          labels:
            kratix.io/promise-version: v0.1.0
        spec:
          requiredPromises:
        {requirements}
          api:
            apiVersion: apiextensions.k8s.io/v1
            kind: CustomResourceDefinition
            metadata:
              name: {name}s.test.kratix.io
            spec:
              group: test.kratix.io
              names: {"{"}kind: Compound, plural: {name}s, singular: {name}{"}"}
              scope: Namespaced
              versions:
              - name: v1alpha1
                served: true
                storage: true
                schema:
                  openAPIV3Schema: {"{"}type: object, properties: {"{"}spec: {"{"}type: object{"}"}{"}"}{"}"}
        """;
}
