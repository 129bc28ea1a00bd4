using System.Text.Json.Nodes;
using Kratix.Schema;

namespace Kratix.Admission;

/// <summary>
/// How upstream decodes each Pipeline document inside a Promise (api/v1alpha1 PipelinesFromUnstructured): JSON decoded
/// into its Pipeline type with DisallowUnknownFields, so an unknown field at any level of the types it declares is
/// refused; and its labels checked as the webhook's validatePipelineLabels does.
/// </summary>
internal static class PipelineDecoding
{
    private static readonly HashSet<string> TopLevel = ["apiVersion", "kind", "metadata", "spec"];

    // metav1.ObjectMeta's JSON fields.
    private static readonly HashSet<string> Metadata =
    [
        "name", "generateName", "namespace", "selfLink", "uid", "resourceVersion", "generation", "creationTimestamp",
        "deletionTimestamp", "deletionGracePeriodSeconds", "labels", "annotations", "ownerReferences", "finalizers", "managedFields",
    ];

    // Kratix's own Container type (not corev1.Container): only these fields.
    private static readonly HashSet<string> Container =
        ["name", "image", "args", "command", "env", "envFrom", "volumeMounts", "imagePullPolicy", "securityContext", "resources"];

    private static readonly HashSet<string> JobOptions = ["backoffLimit"];

    private static readonly HashSet<string> Rbac = ["serviceAccount", "permissions"];

    /// <summary>Unknown fields of the Pipeline, its metadata, its containers, jobOptions and rbac, as upstream's strict decoding refuses them.</summary>
    public static IEnumerable<string> UnknownFields(string field, JsonObject pipeline)
    {
        foreach (var problem in Unknown(field, pipeline, TopLevel))
        {
            yield return problem;
        }

        if (pipeline["metadata"] is JsonObject metadata)
        {
            foreach (var problem in Unknown($"{field}.metadata", metadata, Metadata))
            {
                yield return problem;
            }
        }

        if (pipeline["spec"] is not JsonObject spec)
        {
            yield break;
        }

        if (spec["containers"] is JsonArray containers)
        {
            for (var i = 0; i < containers.Count; i++)
            {
                if (containers[i] is JsonObject container)
                {
                    foreach (var problem in Unknown($"{field}.spec.containers[{i}]", container, Container))
                    {
                        yield return problem;
                    }
                }
            }
        }

        foreach (var (name, known) in new[] { ("jobOptions", JobOptions), ("rbac", Rbac) })
        {
            if (spec[name] is JsonObject section)
            {
                foreach (var problem in Unknown($"{field}.spec.{name}", section, known))
                {
                    yield return problem;
                }
            }
        }
    }

    /// <summary>
    /// Upstream's validatePipelineLabels: every value a valid label value, every key a qualified name, with
    /// Kubernetes' messages.
    /// </summary>
    public static IEnumerable<string> Labels(string field, JsonObject pipeline, string type, string action)
    {
        if (pipeline["metadata"]?["labels"] is not JsonObject labels)
        {
            yield break;
        }

        foreach (var (key, node) in labels)
        {
            var value = node?.ToString() ?? string.Empty;
            if (NameValidation.IsLabelValue(value) is { Count: > 0 } valueErrors)
            {
                yield return $"{field}.metadata.labels: Invalid value: \"{value}\": invalid label value for key \"{key}\" in workflow \"{type}\" action \"{action}\": {string.Join(",", valueErrors)}";
            }

            if (NameValidation.IsQualifiedName(key) is { Count: > 0 } keyErrors)
            {
                yield return $"{field}.metadata.labels: Invalid value: \"{key}\": invalid label key in workflow \"{type}\" action \"{action}\": {string.Join(",", keyErrors)}";
            }
        }
    }

    private static IEnumerable<string> Unknown(string field, JsonObject obj, HashSet<string> known) =>
        obj.Select(kv => kv.Key).Where(k => !known.Contains(k))
            .Select(k => $"{field}.{k}: Forbidden: unknown field \"{k}\" (Pipelines are decoded strictly, as upstream's webhook does)");
}
