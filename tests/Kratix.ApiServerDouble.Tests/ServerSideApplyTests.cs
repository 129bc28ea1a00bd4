using System.Text.Json.Nodes;
using k8s;
using k8s.Models;

namespace Kratix.ApiServerDouble.Tests;

/// <summary>Server-side apply through the official client: create or merge, managedFields, conflicts between managers.</summary>
public sealed class ServerSideApplyTests
{
    private const string G = "platform.kratix.io";
    private const string V = "v1alpha1";

    private static V1Patch Apply(string json) => new(json, V1Patch.PatchType.ApplyPatch);

    [Fact(Timeout = TestSupport.Timeout)]
    public async Task Apply_creates_merges_and_forgets_what_a_manager_stops_applying()
    {
        await using var server = await TestSupport.StartAsync();
        using var client = TestSupport.Client(server);
        const string first = """
            {"apiVersion":"platform.kratix.io/v1alpha1","kind":"Destination","metadata":{"name":"dev","labels":{"env":"dev","tier":"1"}},
             "spec":{"stateStoreRef":{"kind":"GitStateStore","name":"default"},"path":"dev","cleanup":"all"}}
            """;
        var created = TestSupport.Node(await client.CustomObjects.PatchClusterCustomObjectAsync(Apply(first), G, V, "destinations", "dev", fieldManager: "backend"));
        Assert.Equal("dev", created["spec"]!["path"]!.GetValue<string>());
        // Defaults from the schema are applied (filepath.mode defaults to nestedByMetadata upstream).
        Assert.Equal("nestedByMetadata", created["spec"]!["filepath"]!["mode"]!.GetValue<string>());
        var entry = created["metadata"]!["managedFields"]!.AsArray().Single()!;
        Assert.Equal("backend", entry["manager"]!.GetValue<string>());
        Assert.Equal("Apply", entry["operation"]!.GetValue<string>());
        Assert.Equal("platform.kratix.io/v1alpha1", entry["apiVersion"]!.GetValue<string>());
        Assert.Equal("FieldsV1", entry["fieldsType"]!.GetValue<string>());
        Assert.NotNull(entry["fieldsV1"]!["f:spec"]!["f:stateStoreRef"]!["f:name"]);
        Assert.NotNull(entry["fieldsV1"]!["f:metadata"]!["f:labels"]!["f:tier"]);

        // Another manager (an Update) sets a label of its own.
        await client.CustomObjects.PatchClusterCustomObjectAsync(new V1Patch("""{"metadata":{"labels":{"owner":"ops"}}}""", V1Patch.PatchType.MergePatch), G, V, "destinations", "dev", fieldManager: "ops");

        // The backend applies again without tier and cleanup: they go; ops' label stays.
        const string second = """
            {"apiVersion":"platform.kratix.io/v1alpha1","kind":"Destination","metadata":{"name":"dev","labels":{"env":"dev"}},
             "spec":{"stateStoreRef":{"kind":"GitStateStore","name":"default"},"path":"dev"}}
            """;
        var merged = TestSupport.Node(await client.CustomObjects.PatchClusterCustomObjectAsync(Apply(second), G, V, "destinations", "dev", fieldManager: "backend"));
        var labels = merged["metadata"]!["labels"]!.AsObject();
        Assert.Equal(["env", "owner"], labels.Select(p => p.Key).Order());
        Assert.Equal("none", merged["spec"]!["cleanup"]!.GetValue<string>()); // removed, then defaulted again
        Assert.Equal(["backend", "ops"], merged["metadata"]!["managedFields"]!.AsArray().Select(e => e!["manager"]!.GetValue<string>()).Order());
    }

    [Fact(Timeout = TestSupport.Timeout)]
    public async Task A_field_owned_by_another_manager_conflicts_unless_forced()
    {
        await using var server = await TestSupport.StartAsync();
        using var client = TestSupport.Client(server);
        const string mine = """{"apiVersion":"platform.kratix.io/v1alpha1","kind":"Destination","metadata":{"name":"dev"},"spec":{"stateStoreRef":{"kind":"GitStateStore","name":"default"},"path":"a"}}""";
        const string theirs = """{"apiVersion":"platform.kratix.io/v1alpha1","kind":"Destination","metadata":{"name":"dev"},"spec":{"stateStoreRef":{"kind":"GitStateStore","name":"default"},"path":"b"}}""";
        await client.CustomObjects.PatchClusterCustomObjectAsync(Apply(mine), G, V, "destinations", "dev", fieldManager: "alice");

        // The same value is shared ownership, not a conflict.
        await client.CustomObjects.PatchClusterCustomObjectAsync(Apply(mine), G, V, "destinations", "dev", fieldManager: "carol");

        var (code, status) = await TestSupport.Fails(() => client.CustomObjects.PatchClusterCustomObjectAsync(Apply(theirs), G, V, "destinations", "dev", fieldManager: "bob"));
        Assert.Equal(409, code);
        Assert.Equal("Conflict", status["reason"]!.GetValue<string>());
        Assert.StartsWith("Apply failed with 2 conflicts: conflicts with \"alice\" using platform.kratix.io/v1alpha1:\n- .spec.path", status["message"]!.GetValue<string>());
        var causes = status["details"]!["causes"]!.AsArray();
        Assert.All(causes, c => Assert.Equal("FieldManagerConflict", c!["reason"]!.GetValue<string>()));
        Assert.Contains(causes, c => c!["field"]!.GetValue<string>() == ".spec.path" && c["message"]!.GetValue<string>().StartsWith("conflict with \"carol\""));

        var forced = TestSupport.Node(await client.CustomObjects.PatchClusterCustomObjectAsync(Apply(theirs), G, V, "destinations", "dev", fieldManager: "bob", force: true));
        Assert.Equal("b", forced["spec"]!["path"]!.GetValue<string>());
        var alice = forced["metadata"]!["managedFields"]!.AsArray().Single(e => e!["manager"]!.GetValue<string>() == "alice")!;
        Assert.Null(alice["fieldsV1"]!["f:spec"]!["f:path"]);

        // An apply without a field manager is refused.
        (code, _) = await TestSupport.Fails(() => client.CustomObjects.PatchClusterCustomObjectAsync(Apply(mine), G, V, "destinations", "dev"));
        Assert.Equal(400, code);
    }

    [Fact(Timeout = TestSupport.Timeout)]
    public async Task Apply_with_dry_run_and_strict_validation()
    {
        await using var server = await TestSupport.StartAsync();
        using var client = TestSupport.Client(server);
        const string config = """{"apiVersion":"platform.kratix.io/v1alpha1","kind":"Destination","metadata":{"name":"dev"},"spec":{"stateStoreRef":{"kind":"GitStateStore","name":"default"},"path":"dev","bogus":1}}""";
        var (code, status) = await TestSupport.Fails(() => client.CustomObjects.PatchClusterCustomObjectAsync(Apply(config), G, V, "destinations", "dev", fieldManager: "m", fieldValidation: "Strict"));
        Assert.Equal(400, code);
        Assert.Equal("strict decoding error: unknown field \"spec.bogus\"", status["message"]!.GetValue<string>());

        var answer = TestSupport.Node(await client.CustomObjects.PatchClusterCustomObjectAsync(Apply(config), G, V, "destinations", "dev", fieldManager: "m", dryRun: "All"));
        Assert.Null(answer["spec"]!["bogus"]);
        (code, _) = await TestSupport.Fails(() => client.CustomObjects.GetClusterCustomObjectAsync(G, V, "destinations", "dev"));
        Assert.Equal(404, code);
    }

    [Fact(Timeout = TestSupport.Timeout)]
    public async Task List_map_items_merge_by_key()
    {
        await using var server = await TestSupport.StartAsync();
        using var client = TestSupport.Client(server);
        // PromiseRevision's status.conditions... use a CRD of our own with a map list to show key merging.
        var crd = JsonNode.Parse("""
            {"apiVersion":"apiextensions.k8s.io/v1","kind":"CustomResourceDefinition","metadata":{"name":"widgets.example.com"},
             "spec":{"group":"example.com","scope":"Namespaced","names":{"plural":"widgets","kind":"Widget"},
              "versions":[{"name":"v1","served":true,"storage":true,"schema":{"openAPIV3Schema":{"type":"object","properties":{
                "spec":{"type":"object","properties":{"ports":{"type":"array","x-kubernetes-list-type":"map","x-kubernetes-list-map-keys":["name"],
                  "items":{"type":"object","required":["name"],"properties":{"name":{"type":"string"},"port":{"type":"integer"}}}}}}}}}}]}}
            """)!.AsObject();
        await client.ApiextensionsV1.CreateCustomResourceDefinitionAsync(k8s.KubernetesJson.Deserialize<V1CustomResourceDefinition>(crd.ToJsonString()));
        await client.CustomObjects.PatchNamespacedCustomObjectAsync(Apply("""{"apiVersion":"example.com/v1","kind":"Widget","metadata":{"name":"w"},"spec":{"ports":[{"name":"http","port":80}]}}"""), "example.com", "v1", "default", "widgets", "w", fieldManager: "a");
        var both = TestSupport.Node(await client.CustomObjects.PatchNamespacedCustomObjectAsync(Apply("""{"apiVersion":"example.com/v1","kind":"Widget","metadata":{"name":"w"},"spec":{"ports":[{"name":"grpc","port":90}]}}"""), "example.com", "v1", "default", "widgets", "w", fieldManager: "b"));
        Assert.Equal(["http", "grpc"], both["spec"]!["ports"]!.AsArray().Select(p => p!["name"]!.GetValue<string>()));
        var b = both["metadata"]!["managedFields"]!.AsArray().Single(e => e!["manager"]!.GetValue<string>() == "b")!;
        Assert.NotNull(b["fieldsV1"]!["f:spec"]!["f:ports"]!["k:{\"name\":\"grpc\"}"]!["."]);
        var gone = TestSupport.Node(await client.CustomObjects.PatchNamespacedCustomObjectAsync(Apply("""{"apiVersion":"example.com/v1","kind":"Widget","metadata":{"name":"w"}}"""), "example.com", "v1", "default", "widgets", "w", fieldManager: "b"));
        Assert.Equal(["http"], gone["spec"]!["ports"]!.AsArray().Select(p => p!["name"]!.GetValue<string>()));
    }
}
