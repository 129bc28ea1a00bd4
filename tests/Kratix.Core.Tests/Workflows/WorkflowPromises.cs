namespace Kratix.Tests.Workflows;

/// <summary>
/// Promises whose pipelines are shell scripts run by the Host runtime (bubblewrap over the host's /bin/sh), so the
/// workflow engine is tested on real processes and real mounts without building images.
/// </summary>
public static class WorkflowPromises
{
    /// <summary>A Promise with API kind Thing (group test.kratix.io) and the given workflows block (indented for spec.workflows).</summary>
    public static string Promise(string workflows, string name = "thing", string extraSpec = "") => $$"""
        apiVersion: platform.kratix.io/v1alpha1
        kind: Promise
        metadata:
          name: {{name}}
          labels:
            kratix.io/promise-version: v1.0.0
        spec:
        {{extraSpec}}
          api:
            apiVersion: apiextensions.k8s.io/v1
            kind: CustomResourceDefinition
            metadata:
              name: {{name}}s.test.kratix.io
            spec:
              group: test.kratix.io
              names: {kind: {{Kind(name)}}, plural: {{name}}s, singular: {{name}}}
              scope: Namespaced
              versions:
              - name: v1alpha1
                served: true
                storage: true
                schema:
                  openAPIV3Schema:
                    type: object
                    properties:
                      spec:
                        type: object
                        properties:
                          size: {type: string}
                          fail: {type: string}
          workflows:
        {{workflows}}
        """;

    /// <summary>One pipeline of one container running <paramref name="script"/> with sh -c, as a YAML list item indented for a workflow list.</summary>
    public static string Pipeline(string name, string script, string extra = "") => $$"""
              - apiVersion: platform.kratix.io/v1alpha1
                kind: Pipeline
                metadata:
                  name: {{name}}
                spec:
                  containers:
                  - name: {{name}}-c
                    image: kratix-test/host:v1
                    command: [sh, -c]
                    args:
                    - |
        {{Indent(script, 14)}}
        {{extra}}
        """;

    /// <summary>The spec.workflows block: each argument is a list of Pipeline(...) items, or null for none.</summary>
    public static string WorkflowSpec(string[]? resourceConfigure = null, string[]? resourceDelete = null, string[]? promiseConfigure = null, string[]? promiseDelete = null)
    {
        var text = new System.Text.StringBuilder();
        foreach (var (type, configure, delete) in new[] { ("promise", promiseConfigure, promiseDelete), ("resource", resourceConfigure, resourceDelete) })
        {
            if (configure is null && delete is null)
            {
                continue;
            }

            text.Append($"    {type}:\n");
            if (configure is not null)
            {
                text.Append("      configure:\n").Append(string.Join("\n", configure)).Append('\n');
            }

            if (delete is not null)
            {
                text.Append("      delete:\n").Append(string.Join("\n", delete)).Append('\n');
            }
        }

        return text.ToString();
    }

    public static string Request(string name = "example", string size = "small", string ns = "default", string labels = "{}", string kind = "Thing") => $"""
        apiVersion: test.kratix.io/v1alpha1
        kind: {kind}
        metadata:
          name: {name}
          namespace: {ns}
          labels: {labels}
        spec:
          size: {size}
        """;

    private static string Kind(string name) => char.ToUpperInvariant(name[0]) + name[1..];

    private static string Indent(string text, int spaces) =>
        string.Join('\n', text.Trim('\n').Split('\n').Select(l => new string(' ', spaces) + l));
}
