using Kratix.Objects;
using Kratix.Pipelines;
using Kratix.Tests;
using static Kratix.Core.Tests.Pipelines.PipelineTestData;

namespace Kratix.Core.Tests.Pipelines;

/// <summary>
/// The variables every pipeline container gets, in upstream's order (api/v1alpha1/pipeline_factory.go defaultEnvVars,
/// pipeline_types.go ForPromise/ForResource; behaviour.md §2 "Env vars"), for real upstream Promises and requests.
/// </summary>
public class PipelineEnvironmentTests
{
    private const string Folder = "workflow-suspend__test.system.assets.workflow-control.promise";

    private static readonly string[] UpstreamOrder =
    [
        "KRATIX_WORKFLOW_ACTION", "KRATIX_WORKFLOW_TYPE", "KRATIX_PROMISE_NAME", "KRATIX_PIPELINE_NAME",
        "KRATIX_OBJECT_KIND", "KRATIX_OBJECT_GROUP", "KRATIX_OBJECT_VERSION", "KRATIX_OBJECT_NAME", "KRATIX_OBJECT_NAMESPACE",
        "KRATIX_CRD_PLURAL", "KRATIX_CLUSTER_SCOPED",
    ];

    private static Dictionary<string, string> AsMap(IReadOnlyList<KeyValuePair<string, string>> environment)
    {
        Assert.Equal(environment.Count, environment.Select(kv => kv.Key).Distinct().Count());
        return environment.ToDictionary(kv => kv.Key, kv => kv.Value);
    }

    [Fact]
    public void A_Promise_workflow_gets_the_Promise_as_its_object()
    {
        var promise = UpstreamPromise(Folder, "promise.yaml");
        var request = WorkflowRequest.For(promise, null, WorkflowTypes.Configure);
        var pipeline = request.Pipelines[1];

        var environment = PipelineEnvironment.For(request, pipeline);

        Assert.Equal(UpstreamOrder, environment.Select(kv => kv.Key));
        Assert.Equal(
            new Dictionary<string, string>
            {
                ["KRATIX_WORKFLOW_ACTION"] = "configure",
                ["KRATIX_WORKFLOW_TYPE"] = "promise",
                ["KRATIX_PROMISE_NAME"] = "workflow-suspend",
                ["KRATIX_PIPELINE_NAME"] = "pipe-1",
                ["KRATIX_OBJECT_KIND"] = "Promise",
                ["KRATIX_OBJECT_GROUP"] = "platform.kratix.io",
                ["KRATIX_OBJECT_VERSION"] = "v1alpha1",
                ["KRATIX_OBJECT_NAME"] = "workflow-suspend",
                ["KRATIX_OBJECT_NAMESPACE"] = "",
                ["KRATIX_CRD_PLURAL"] = "promises",
                ["KRATIX_CLUSTER_SCOPED"] = "true",
            },
            AsMap(environment));
    }

    [Fact]
    public void A_Promise_delete_workflow_says_delete()
    {
        var promise = UpstreamPromise(Folder, "promise.yaml");
        var request = WorkflowRequest.For(promise, null, WorkflowTypes.Delete);

        var environment = AsMap(PipelineEnvironment.For(request, request.Pipelines[0]));

        Assert.Equal("delete", environment["KRATIX_WORKFLOW_ACTION"]);
        Assert.Equal("promise", environment["KRATIX_WORKFLOW_TYPE"]);
        Assert.Equal("promise-delete-pipe", environment["KRATIX_PIPELINE_NAME"]);
    }

    [Fact]
    public void A_resource_workflow_gets_the_request_and_the_APIs_plural()
    {
        var promise = UpstreamPromise(Folder, "promise.yaml");
        var resource = UpstreamDocument(Folder, "resource-request.yaml");
        var request = WorkflowRequest.For(promise, resource, WorkflowTypes.Configure);

        var environment = PipelineEnvironment.For(request, request.Pipelines[0]);

        Assert.Equal(UpstreamOrder, environment.Select(kv => kv.Key));
        Assert.Equal(
            new Dictionary<string, string>
            {
                ["KRATIX_WORKFLOW_ACTION"] = "configure",
                ["KRATIX_WORKFLOW_TYPE"] = "resource",
                ["KRATIX_PROMISE_NAME"] = "workflow-suspend",
                ["KRATIX_PIPELINE_NAME"] = "resource-pipe-0",
                ["KRATIX_OBJECT_KIND"] = "WorkflowSuspend",
                ["KRATIX_OBJECT_GROUP"] = "test.kratix.io",
                ["KRATIX_OBJECT_VERSION"] = "v1alpha1",
                ["KRATIX_OBJECT_NAME"] = "suspend-test",
                ["KRATIX_OBJECT_NAMESPACE"] = "default",
                ["KRATIX_CRD_PLURAL"] = "workflowsuspends",
                ["KRATIX_CLUSTER_SCOPED"] = "false",
            },
            AsMap(environment));
    }

    [Fact]
    public void The_plural_comes_from_the_API_not_from_the_kind()
    {
        // kind "redis", plural "redis": a plural made from the kind would be wrong.
        const string folder = "promise-with-workflow__internal.controller.assets.promise-with-workflow";
        var promise = UpstreamPromise(folder, "promise-with-workflow.yaml");
        var resource = UpstreamDocument(folder, "redis-request.yaml");
        resource["metadata"]!["namespace"] = "team-a";
        var request = WorkflowRequest.For(promise, resource, WorkflowTypes.Configure);

        var environment = AsMap(PipelineEnvironment.For(request, request.Pipelines[0]));

        Assert.Equal("redis", environment["KRATIX_CRD_PLURAL"]);
        Assert.Equal("redis", environment["KRATIX_OBJECT_KIND"]);
        Assert.Equal("marketplace.kratix.io", environment["KRATIX_OBJECT_GROUP"]);
        Assert.Equal("v1alpha1", environment["KRATIX_OBJECT_VERSION"]);
        Assert.Equal("example", environment["KRATIX_OBJECT_NAME"]);
        Assert.Equal("first-pipeline", environment["KRATIX_PIPELINE_NAME"]);
        Assert.Equal("team-a", environment["KRATIX_OBJECT_NAMESPACE"]);
        Assert.Equal("promise-with-workflow", environment["KRATIX_PROMISE_NAME"]);
        Assert.Equal("resource", environment["KRATIX_WORKFLOW_TYPE"]);
    }

    [Fact]
    public void KRATIX_DRY_RUN_is_set_only_for_a_dry_run_and_comes_last()
    {
        var promise = UpstreamPromise(Folder, "promise.yaml");
        var request = WorkflowRequest.For(promise, UpstreamDocument(Folder, "resource-request.yaml"), WorkflowTypes.Configure);

        var normal = PipelineEnvironment.For(request, request.Pipelines[0]);
        var dryRun = PipelineEnvironment.For(request with { DryRun = true }, request.Pipelines[0]);

        Assert.DoesNotContain(normal, kv => kv.Key == "KRATIX_DRY_RUN");
        Assert.Equal(new KeyValuePair<string, string>("KRATIX_DRY_RUN", "true"), dryRun[^1]);
        Assert.Equal([.. UpstreamOrder, "KRATIX_DRY_RUN"], dryRun.Select(kv => kv.Key));
    }

    [Fact]
    public void Every_upstream_Promise_with_a_workflow_gets_the_full_set()
    {
        var checkedAny = false;
        foreach (var file in TestPaths.PromiseFiles)
        {
            var documents = Kratix.Manifests.ManifestReader.Default.ReadFile(file).Select(d => d.Content).OfType<System.Text.Json.Nodes.JsonObject>();
            foreach (var node in documents.Where(d => d.GetString("kind") == KratixApi.PromiseKind))
            {
                var promise = new Promise(node);
                foreach (var action in new[] { WorkflowTypes.Configure, WorkflowTypes.Delete })
                {
                    var request = WorkflowRequest.For(promise, null, action);
                    foreach (var pipeline in request.Pipelines)
                    {
                        var environment = AsMap(PipelineEnvironment.For(request, pipeline));
                        Assert.Equal(UpstreamOrder.Order(StringComparer.Ordinal), environment.Keys.Order(StringComparer.Ordinal));
                        Assert.Equal(promise.Name, environment["KRATIX_OBJECT_NAME"]);
                        Assert.Equal(pipeline.Name, environment["KRATIX_PIPELINE_NAME"]);
                        Assert.Equal(action, environment["KRATIX_WORKFLOW_ACTION"]);
                        checkedAny = true;
                    }
                }
            }
        }

        Assert.True(checkedAny);
    }
}
