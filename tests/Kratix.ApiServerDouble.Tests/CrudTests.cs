using System.Text.Json.Nodes;
using k8s;
using k8s.Models;

namespace Kratix.ApiServerDouble.Tests;

/// <summary>Create, read, update and delete through the official client (KubernetesClient 21.0.8).</summary>
public sealed class CrudTests
{
    private const string G = "platform.kratix.io";
    private const string V = "v1alpha1";

    [Fact(Timeout = TestSupport.Timeout)]
    public async Task Upstream_crds_are_installed_established_and_discoverable()
    {
        await using var server = await TestSupport.StartAsync();
        using var client = TestSupport.Client(server);
        var crds = await client.ApiextensionsV1.ListCustomResourceDefinitionAsync();
        Assert.Equal(11, crds.Items.Count);
        Assert.All(crds.Items, crd =>
        {
            Assert.Contains(crd.Status.Conditions, c => c.Type == "Established" && c.Status == "True");
            Assert.Contains(crd.Status.Conditions, c => c.Type == "NamesAccepted" && c.Status == "True");
            Assert.Contains(CrdCleanupFinalizer, crd.Metadata.Finalizers);
        });
        var resources = await client.CustomObjects.GetAPIResourcesAsync(G, V);
        Assert.Contains(resources.Resources, r => r.Name == "promises" && !r.Namespaced && r.Kind == "Promise");
        Assert.Contains(resources.Resources, r => r.Name == "works" && r.Namespaced);
        Assert.Contains(resources.Resources, r => r.Name == "promises/status");
        var version = await client.Version.GetCodeAsync();
        Assert.Contains("double", version.GitVersion, StringComparison.Ordinal);
    }

    private const string CrdCleanupFinalizer = "customresourcecleanup.apiextensions.k8s.io";

    [Fact(Timeout = TestSupport.Timeout)]
    public async Task A_promise_is_created_read_listed_and_refused_twice()
    {
        await using var server = await TestSupport.StartAsync();
        using var client = TestSupport.Client(server);
        var promise = TestSupport.Yaml(TestSupport.Promise("configtest", "promise.yaml"));
        var created = TestSupport.Node(await client.CustomObjects.CreateClusterCustomObjectAsync(promise, G, V, "promises"));
        Assert.False(string.IsNullOrEmpty(created["metadata"]!["uid"]!.GetValue<string>()));
        Assert.Equal(1, created["metadata"]!["generation"]!.GetValue<long>());
        Assert.NotNull(created["metadata"]!["resourceVersion"]);
        Assert.Equal("Update", created["metadata"]!["managedFields"]![0]!["operation"]!.GetValue<string>());

        var read = TestSupport.Node(await client.CustomObjects.GetClusterCustomObjectAsync(G, V, "promises", "configtest"));
        Assert.Equal(created.ToJsonString(), read.ToJsonString());

        var list = TestSupport.Node(await client.CustomObjects.ListClusterCustomObjectAsync(G, V, "promises"));
        Assert.Equal("PromiseList", list["kind"]!.GetValue<string>());
        Assert.Single(list["items"]!.AsArray());

        var (code, status) = await TestSupport.Fails(() => client.CustomObjects.CreateClusterCustomObjectAsync(promise, G, V, "promises"));
        Assert.Equal(409, code);
        Assert.Equal("AlreadyExists", status["reason"]!.GetValue<string>());
        Assert.Equal("promises.platform.kratix.io \"configtest\" already exists", status["message"]!.GetValue<string>());
        Assert.Equal("Status", status["kind"]!.GetValue<string>());
        Assert.Equal("Failure", status["status"]!.GetValue<string>());

        (code, status) = await TestSupport.Fails(() => client.CustomObjects.GetClusterCustomObjectAsync(G, V, "promises", "nope"));
        Assert.Equal(404, code);
        Assert.Equal("NotFound", status["reason"]!.GetValue<string>());
        Assert.Equal("promises.platform.kratix.io \"nope\" not found", status["message"]!.GetValue<string>());
        Assert.Equal("promises", status["details"]!["kind"]!.GetValue<string>());
        Assert.Equal(G, status["details"]!["group"]!.GetValue<string>());
    }

    [Fact(Timeout = TestSupport.Timeout)]
    public async Task An_invalid_destination_is_422_with_a_cause_per_field()
    {
        await using var server = await TestSupport.StartAsync();
        using var client = TestSupport.Client(server);
        var destination = JsonNode.Parse("""
            {"apiVersion":"platform.kratix.io/v1alpha1","kind":"Destination","metadata":{"name":"dev"},
             "spec":{"stateStoreRef":{"kind":"SomethingElse"},"cleanup":"sometimes"}}
            """)!.AsObject();
        var (code, status) = await TestSupport.Fails(() => client.CustomObjects.CreateClusterCustomObjectAsync(destination, G, V, "destinations"));
        Assert.Equal(422, code);
        Assert.Equal("Invalid", status["reason"]!.GetValue<string>());
        string message = status["message"]!.GetValue<string>();
        Assert.StartsWith("Destination.platform.kratix.io \"dev\" is invalid: [", message);
        var causes = status["details"]!["causes"]!.AsArray().Select(c => (Reason: c!["reason"]!.GetValue<string>(), Field: c["field"]!.GetValue<string>())).ToList();
        Assert.Contains(("FieldValueNotSupported", "spec.cleanup"), causes);
        Assert.Contains(("FieldValueNotSupported", "spec.stateStoreRef.kind"), causes);
        Assert.Contains(("FieldValueRequired", "spec.stateStoreRef.name"), causes);
        Assert.Equal("Destination", status["details"]!["kind"]!.GetValue<string>());
        Assert.Equal("dev", status["details"]!["name"]!.GetValue<string>());
    }

    [Fact(Timeout = TestSupport.Timeout)]
    public async Task A_stale_resourceVersion_is_a_409_conflict_and_generation_follows_the_spec()
    {
        await using var server = await TestSupport.StartAsync();
        using var client = TestSupport.Client(server);
        var promise = TestSupport.Yaml(TestSupport.Promise("configtest", "promise.yaml"));
        var v1 = TestSupport.Node(await client.CustomObjects.CreateClusterCustomObjectAsync(promise, G, V, "promises"));

        var labelled = v1.DeepClone().AsObject();
        labelled["metadata"]!["labels"] = new JsonObject { ["team"] = "a" };
        var v2 = TestSupport.Node(await client.CustomObjects.ReplaceClusterCustomObjectAsync(labelled, G, V, "promises", "configtest"));
        Assert.Equal(1, v2["metadata"]!["generation"]!.GetValue<long>());
        Assert.NotEqual(v1["metadata"]!["resourceVersion"]!.GetValue<string>(), v2["metadata"]!["resourceVersion"]!.GetValue<string>());

        var stale = v1.DeepClone().AsObject();
        stale["spec"]!["destinationSelectors"] = new JsonArray(new JsonObject { ["matchLabels"] = new JsonObject { ["env"] = "dev" } });
        var (code, status) = await TestSupport.Fails(() => client.CustomObjects.ReplaceClusterCustomObjectAsync(stale, G, V, "promises", "configtest"));
        Assert.Equal(409, code);
        Assert.Equal("Conflict", status["reason"]!.GetValue<string>());
        Assert.Equal("Operation cannot be fulfilled on promises.platform.kratix.io \"configtest\": the object has been modified; please apply your changes to the latest version and try again", status["message"]!.GetValue<string>());

        stale["metadata"]!["resourceVersion"] = v2["metadata"]!["resourceVersion"]!.GetValue<string>();
        var v3 = TestSupport.Node(await client.CustomObjects.ReplaceClusterCustomObjectAsync(stale, G, V, "promises", "configtest"));
        Assert.Equal(2, v3["metadata"]!["generation"]!.GetValue<long>());

        // An update that changes nothing keeps the resourceVersion.
        var same = TestSupport.Node(await client.CustomObjects.ReplaceClusterCustomObjectAsync(v3, G, V, "promises", "configtest"));
        Assert.Equal(v3["metadata"]!["resourceVersion"]!.GetValue<string>(), same["metadata"]!["resourceVersion"]!.GetValue<string>());
    }

    [Fact(Timeout = TestSupport.Timeout)]
    public async Task Status_is_written_only_through_the_status_subresource()
    {
        await using var server = await TestSupport.StartAsync();
        using var client = TestSupport.Client(server);
        var promise = TestSupport.Yaml(TestSupport.Promise("configtest", "promise.yaml"));
        promise["status"] = new JsonObject { ["status"] = "Available" };
        var created = TestSupport.Node(await client.CustomObjects.CreateClusterCustomObjectAsync(promise, G, V, "promises"));
        Assert.Null(created["status"]);

        created["status"] = new JsonObject { ["status"] = "Available" };
        var updated = TestSupport.Node(await client.CustomObjects.ReplaceClusterCustomObjectAsync(created, G, V, "promises", "configtest"));
        Assert.Null(updated["status"]);

        // Upstream's Promise status schema requires the workflow counters.
        updated["status"] = new JsonObject { ["status"] = "Available", ["kind"] = "Configtest", ["workflows"] = 1, ["workflowsFailed"] = 0, ["workflowsSucceeded"] = 1 };
        updated["spec"]!["destinationSelectors"] = new JsonArray(new JsonObject { ["matchLabels"] = new JsonObject { ["env"] = "dev" } });
        var withStatus = TestSupport.Node(await client.CustomObjects.ReplaceClusterCustomObjectStatusAsync(updated, G, V, "promises", "configtest"));
        Assert.Equal("Available", withStatus["status"]!["status"]!.GetValue<string>());
        Assert.Null(withStatus["spec"]!["destinationSelectors"]);
        Assert.Equal(1, withStatus["metadata"]!["generation"]!.GetValue<long>());
        Assert.Contains(withStatus["metadata"]!["managedFields"]!.AsArray(), e => e!["subresource"]?.GetValue<string>() == "status");

        // The schema holds for status too: conditions need their required fields.
        withStatus["status"]!["conditions"] = new JsonArray(new JsonObject { ["type"] = "Ready" });
        var (code, status) = await TestSupport.Fails(() => client.CustomObjects.ReplaceClusterCustomObjectStatusAsync(withStatus, G, V, "promises", "configtest"));
        Assert.Equal(422, code);
        Assert.Contains(status["details"]!["causes"]!.AsArray(), c => c!["field"]!.GetValue<string>() == "status.conditions[0].status");
    }

    [Fact(Timeout = TestSupport.Timeout)]
    public async Task A_dry_run_validates_and_answers_but_stores_nothing()
    {
        await using var server = await TestSupport.StartAsync();
        using var client = TestSupport.Client(server);
        long before = server.Storage.Revision;
        var promise = TestSupport.Yaml(TestSupport.Promise("configtest", "promise.yaml"));
        var answer = TestSupport.Node(await client.CustomObjects.CreateClusterCustomObjectAsync(promise, G, V, "promises", dryRun: "All"));
        Assert.Equal("configtest", answer["metadata"]!["name"]!.GetValue<string>());
        Assert.NotNull(answer["metadata"]!["uid"]);
        Assert.Null(answer["metadata"]!["resourceVersion"]);
        Assert.Equal(before, server.Storage.Revision);
        var (code, _) = await TestSupport.Fails(() => client.CustomObjects.GetClusterCustomObjectAsync(G, V, "promises", "configtest"));
        Assert.Equal(404, code);

        var bad = JsonNode.Parse("""{"apiVersion":"platform.kratix.io/v1alpha1","kind":"Destination","metadata":{"name":"x"},"spec":{}}""")!.AsObject();
        (code, _) = await TestSupport.Fails(() => client.CustomObjects.CreateClusterCustomObjectAsync(bad, G, V, "destinations", dryRun: "All"));
        Assert.Equal(422, code);

        await client.CustomObjects.CreateClusterCustomObjectAsync(promise, G, V, "promises");
        await client.CustomObjects.DeleteClusterCustomObjectAsync(G, V, "promises", "configtest", dryRun: "All");
        Assert.NotNull(await client.CustomObjects.GetClusterCustomObjectAsync(G, V, "promises", "configtest"));
    }

    [Fact(Timeout = TestSupport.Timeout)]
    public async Task Finalizers_hold_a_deleted_object_until_they_are_removed()
    {
        await using var server = await TestSupport.StartAsync();
        using var client = TestSupport.Client(server);
        var promise = TestSupport.Yaml(TestSupport.Promise("configtest", "promise.yaml"));
        promise["metadata"]!["finalizers"] = new JsonArray("kratix.io/api-crd-cleanup");
        await client.CustomObjects.CreateClusterCustomObjectAsync(promise, G, V, "promises");

        var deleting = TestSupport.Node(await client.CustomObjects.DeleteClusterCustomObjectAsync(G, V, "promises", "configtest"));
        Assert.NotNull(deleting["metadata"]!["deletionTimestamp"]);
        Assert.Equal(2, deleting["metadata"]!["generation"]!.GetValue<long>());
        var still = TestSupport.Node(await client.CustomObjects.GetClusterCustomObjectAsync(G, V, "promises", "configtest"));
        Assert.NotNull(still["metadata"]!["deletionTimestamp"]);

        var (code, status) = await TestSupport.Fails(() => client.CustomObjects.PatchClusterCustomObjectAsync(
            new V1Patch("""{"metadata":{"finalizers":["kratix.io/api-crd-cleanup","another.io/x"]}}""", V1Patch.PatchType.MergePatch), G, V, "promises", "configtest"));
        Assert.Equal(422, code);
        Assert.Contains("no new finalizers can be added if the object is being deleted", status["message"]!.GetValue<string>());

        await client.CustomObjects.PatchClusterCustomObjectAsync(new V1Patch("""{"metadata":{"finalizers":null}}""", V1Patch.PatchType.MergePatch), G, V, "promises", "configtest");
        (code, _) = await TestSupport.Fails(() => client.CustomObjects.GetClusterCustomObjectAsync(G, V, "promises", "configtest"));
        Assert.Equal(404, code);
    }

    [Fact(Timeout = TestSupport.Timeout)]
    public async Task Label_and_field_selectors_and_chunked_lists()
    {
        await using var server = await TestSupport.StartAsync();
        using var client = TestSupport.Client(server);
        for (int i = 0; i < 5; i++)
        {
            await client.CoreV1.CreateNamespacedConfigMapAsync(new V1ConfigMap
            {
                Metadata = new V1ObjectMeta { Name = "cm-" + i, Labels = new Dictionary<string, string> { ["n"] = i.ToString(), ["parity"] = i % 2 == 0 ? "even" : "odd" } },
                Data = new Dictionary<string, string> { ["k"] = "v" },
            }, "default");
        }

        Assert.Equal(["cm-0", "cm-2", "cm-4"], (await client.CoreV1.ListNamespacedConfigMapAsync("default", labelSelector: "parity=even")).Items.Select(c => c.Metadata.Name));
        Assert.Equal(["cm-1", "cm-3"], (await client.CoreV1.ListNamespacedConfigMapAsync("default", labelSelector: "parity!=even")).Items.Select(c => c.Metadata.Name));
        Assert.Equal(["cm-1", "cm-4"], (await client.CoreV1.ListNamespacedConfigMapAsync("default", labelSelector: "n in (1,4),parity")).Items.Select(c => c.Metadata.Name));
        Assert.Empty((await client.CoreV1.ListNamespacedConfigMapAsync("default", labelSelector: "!n")).Items);
        Assert.Equal(["cm-3"], (await client.CoreV1.ListNamespacedConfigMapAsync("default", fieldSelector: "metadata.name=cm-3")).Items.Select(c => c.Metadata.Name));
        var (code, status) = await TestSupport.Fails(() => client.CoreV1.ListNamespacedConfigMapAsync("default", fieldSelector: "data.k=v"));
        Assert.Equal(400, code);
        Assert.Equal("field label not supported: data.k", status["message"]!.GetValue<string>());

        var page1 = await client.CoreV1.ListNamespacedConfigMapAsync("default", limit: 2);
        Assert.Equal(["cm-0", "cm-1"], page1.Items.Select(c => c.Metadata.Name));
        Assert.Equal(3, page1.Metadata.RemainingItemCount);
        var page2 = await client.CoreV1.ListNamespacedConfigMapAsync("default", limit: 2, continueParameter: page1.Metadata.ContinueProperty);
        Assert.Equal(["cm-2", "cm-3"], page2.Items.Select(c => c.Metadata.Name));
        var page3 = await client.CoreV1.ListNamespacedConfigMapAsync("default", limit: 2, continueParameter: page2.Metadata.ContinueProperty);
        Assert.Equal(["cm-4"], page3.Items.Select(c => c.Metadata.Name));
        Assert.Null(page3.Metadata.ContinueProperty);
    }
}
