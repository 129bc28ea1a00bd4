using Kratix.Objects;

namespace Kratix.Pipelines;

/// <summary>The variables upstream gives every pipeline container, in upstream's order, before the container's own env.</summary>
public static class PipelineEnvironment
{
    public static IReadOnlyList<KeyValuePair<string, string>> For(WorkflowRequest request, Pipeline pipeline)
    {
        var isPromise = request.WorkflowType == WorkflowTypes.Promise;
        var obj = new KubeObject(request.Object);
        var list = new List<KeyValuePair<string, string>>
        {
            new("KRATIX_WORKFLOW_ACTION", request.Action),
            new("KRATIX_WORKFLOW_TYPE", request.WorkflowType),
            new("KRATIX_PROMISE_NAME", request.Promise.Name),
            new("KRATIX_PIPELINE_NAME", pipeline.Name),
            new("KRATIX_OBJECT_KIND", isPromise ? KratixApi.PromiseKind : obj.Kind),
            new("KRATIX_OBJECT_GROUP", isPromise ? KratixApi.Group : obj.Group),
            new("KRATIX_OBJECT_VERSION", isPromise ? KratixApi.Version : obj.Version),
            new("KRATIX_OBJECT_NAME", obj.Name),
            new("KRATIX_OBJECT_NAMESPACE", isPromise ? string.Empty : obj.Namespace ?? "default"),
            new("KRATIX_CRD_PLURAL", isPromise ? "promises" : CrdPlural(request.Promise)),
            new("KRATIX_CLUSTER_SCOPED", isPromise ? "true" : "false"),
        };
        if (request.DryRun)
        {
            list.Add(new("KRATIX_DRY_RUN", "true"));
        }

        return list;
    }

    private static string CrdPlural(Promise promise) =>
        promise.Api?["spec"]?["names"]?["plural"]?.GetValue<string>() ?? string.Empty;
}
