using System.Text.Json.Nodes;
using Kratix.Objects;
using Kratix.Schema;

namespace Kratix.Admission;

/// <summary>
/// Validates a Promise as upstream's CRD schema and webhook do: the API must be a valid Namespaced CRD whose identity
/// never changes once installed, pipelines are well formed with unique names that fit Kubernetes' limits.
/// </summary>
public static class PromiseAdmission
{
    private static readonly string[] WorkflowTypes = ["promise", "resource"];
    private static readonly string[] WorkflowActions = ["configure", "delete"];
    private static readonly HashSet<string> PipelineSpecFields =
        ["containers", "volumes", "imagePullSecrets", "nodeSelector", "tolerations", "restartPolicy", "jobOptions", "rbac"];

    /// <summary>The admitted Promise and its parsed API (null when it has none); throws listing every problem.</summary>
    public static (Promise Promise, CustomResourceDefinition? Api) Admit(JsonObject node, Promise? existing)
    {
        var problems = PlatformObjectAdmission.CheckTypeAndName(node, KratixApi.PromiseKind);
        var promise = new Promise(node);
        CustomResourceDefinition? api = null;
        if (promise.Api is { } crd)
        {
            try
            {
                api = CustomResourceDefinition.Parse(crd);
            }
            catch (InvalidCustomResourceDefinitionException ex)
            {
                problems.AddRange(ex.Errors.Select(e => $"spec.api.{e}"));
            }
        }

        if (existing?.Api is { } before)
        {
            problems.AddRange(CheckApiIdentity(before, promise.Api));
        }

        problems.AddRange(CheckWorkflows(promise));
        problems.AddRange(ReconciliationIntervalAdmission.Check(promise, existing));
        var selectors = promise.Spec["destinationSelectors"] as JsonArray;
        for (var i = 0; i < (selectors?.Count ?? 0); i++)
        {
            if (selectors![i] is not JsonObject selector || selector["matchLabels"] is not JsonObject)
            {
                problems.Add($"spec.destinationSelectors[{i}].matchLabels: Required value");
            }
        }

        var required = promise.Spec["requiredPromises"] as JsonArray;
        for (var i = 0; i < (required?.Count ?? 0); i++)
        {
            if (required![i] is not JsonObject r || string.IsNullOrEmpty(r.GetString("name")))
            {
                problems.Add($"spec.requiredPromises[{i}].name: Required value");
            }
        }

        if (problems.Count > 0)
        {
            throw new AdmissionException("PromiseInvalid", PlatformObjectAdmission.Describe(node, KratixApi.PromiseKind), problems, promise.Name);
        }

        return (promise, api);
    }

    private static IEnumerable<string> CheckApiIdentity(JsonObject before, JsonObject? after)
    {
        if (after is null)
        {
            yield return "spec.api: Forbidden: the API of an installed Promise cannot be removed; uninstall the Promise instead";
            yield break;
        }

        foreach (var (field, oldValue, newValue) in new[]
        {
            // As upstream's validateCRDChanges: the CRD's name, kind and apiVersion, and the whole of spec.names (plural,
            // singular, kind, listKind, shortNames, categories) as written; the group is in the name.
            ("spec.api.metadata.name", before["metadata"]?["name"]?.ToString(), after["metadata"]?["name"]?.ToString()),
            ("spec.api.kind", before["kind"]?.ToString(), after["kind"]?.ToString()),
            ("spec.api.apiVersion", before["apiVersion"]?.ToString(), after["apiVersion"]?.ToString()),
            ("spec.api.spec.names", NamesJson(before), NamesJson(after)),
        })
        {
            if (oldValue != newValue)
            {
                yield return $"{field}: Invalid value: \"{newValue}\": field is immutable (it was \"{oldValue}\"); uninstall the Promise to change its API";
            }
        }
    }

    // Keys in a fixed order, so that reordering them is no change (Go compares the decoded struct).
    private static string? NamesJson(JsonObject crd) =>
        crd["spec"]?["names"] is JsonObject names
            ? Manifests.ManifestWriter.ToJson(new JsonObject(names.OrderBy(kv => kv.Key, StringComparer.Ordinal).Select(kv => KeyValuePair.Create(kv.Key, kv.Value?.DeepClone()))), indented: false)
            : null;

    private static IEnumerable<string> CheckWorkflows(Promise promise)
    {
        foreach (var type in WorkflowTypes)
        {
            foreach (var action in WorkflowActions)
            {
                var list = promise.Spec["workflows"]?[type]?[action];
                if (list is null)
                {
                    continue;
                }

                var field = $"spec.workflows.{type}.{action}";
                if (list is not JsonArray pipelines)
                {
                    yield return $"{field}: Invalid value: must be a list of Pipelines";
                    continue;
                }

                var seen = new HashSet<string>(StringComparer.Ordinal);
                for (var i = 0; i < pipelines.Count; i++)
                {
                    foreach (var problem in CheckPipeline($"{field}[{i}]", pipelines[i], promise.Name, type, action, seen))
                    {
                        yield return problem;
                    }
                }
            }
        }
    }

    private static IEnumerable<string> CheckPipeline(string field, JsonNode? node, string promiseName, string type, string action, HashSet<string> seen)
    {
        if (node is not JsonObject pipeline)
        {
            yield return $"{field}: Invalid value: must be a Pipeline object";
            yield break;
        }

        var p = new Pipeline(pipeline);
        if (p.ApiVersion != KratixApi.ApiVersion || p.Kind != KratixApi.PipelineKind)
        {
            yield return $"{field}: Invalid value: \"{p.ApiVersion}/{p.Kind}\": must be apiVersion {KratixApi.ApiVersion}, kind Pipeline";
        }

        foreach (var problem in Names.CheckLabel($"{field}.metadata.name", p.Name))
        {
            yield return problem;
        }

        if (p.Name.Length > 0 && !seen.Add(p.Name))
        {
            yield return $"{field}.metadata.name: Duplicate value: \"{p.Name}\": pipeline names must be unique within {type}.{action}";
        }

        var id = $"{promiseName}-{type}-{action}-{p.Name}";
        if (id.Length > 60)
        {
            yield return $"{field}.metadata.name: Invalid value: \"{p.Name}\": the pipeline id \"{id}\" is {id.Length} characters; \"<promise>-<type>-<action>-<pipeline>\" must be at most 60, so shorten the Promise or pipeline name";
        }

        foreach (var unknown in p.Spec.Select(kv => kv.Key).Where(k => !PipelineSpecFields.Contains(k)))
        {
            yield return $"{field}.spec.{unknown}: Forbidden: unknown field (Pipelines reject unknown fields)";
        }

        foreach (var problem in PipelineDecoding.UnknownFields(field, pipeline).Concat(PipelineDecoding.Labels(field, pipeline, type, action)))
        {
            yield return problem;
        }

        if (p.Containers.Count == 0)
        {
            yield return $"{field}.spec.containers: Required value: a Pipeline needs at least one container";
        }

        var containerNames = new HashSet<string>(StringComparer.Ordinal);
        for (var i = 0; i < p.Containers.Count; i++)
        {
            var container = p.Containers[i];
            var name = container.GetString("name");
            foreach (var problem in Names.CheckLabel($"{field}.spec.containers[{i}].name", name))
            {
                yield return problem;
            }

            if (name is not null && !containerNames.Add(name))
            {
                yield return $"{field}.spec.containers[{i}].name: Duplicate value: \"{name}\"";
            }

            if (string.IsNullOrEmpty(container.GetString("image")))
            {
                yield return $"{field}.spec.containers[{i}].image: Required value";
            }
        }
    }
}
