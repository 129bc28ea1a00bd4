using System.Text.Json.Nodes;
using k8s;
using k8s.Models;

namespace Kratix.ApiServerDouble.Tests;

/// <summary>Patch formats, preconditions, generateName and deletecollection.</summary>
public sealed class PatchAndDeleteTests
{
    private const string G = "platform.kratix.io";
    private const string V = "v1alpha1";

    private static JsonObject Work(string name) => JsonNode.Parse($$$"""
        {"apiVersion":"platform.kratix.io/v1alpha1","kind":"Work","metadata":{"name":"{{{name}}}","labels":{"app":"x"}},
         "spec":{"promiseName":"redis","workloadGroups":[]}}
        """)!.AsObject();

    [Fact(Timeout = TestSupport.Timeout)]
    public async Task Patch_formats_and_their_refusals()
    {
        await using var server = await TestSupport.StartAsync();
        using var client = TestSupport.Client(server);
        var created = TestSupport.Node(await client.CustomObjects.CreateNamespacedCustomObjectAsync(Work("w"), G, V, "default", "works"));
        string rv = created["metadata"]!["resourceVersion"]!.GetValue<string>();

        var patched = TestSupport.Node(await client.CustomObjects.PatchNamespacedCustomObjectAsync(
            new V1Patch("""[{"op":"replace","path":"/spec/promiseName","value":"postgres"},{"op":"add","path":"/metadata/labels/b","value":"c"}]""", V1Patch.PatchType.JsonPatch),
            G, V, "default", "works", "w"));
        Assert.Equal("postgres", patched["spec"]!["promiseName"]!.GetValue<string>());
        Assert.Equal("c", patched["metadata"]!["labels"]!["b"]!.GetValue<string>());

        // A merge patch carrying the old resourceVersion is a precondition, and fails.
        var (code, status) = await TestSupport.Fails(() => client.CustomObjects.PatchNamespacedCustomObjectAsync(
            new V1Patch($$$"""{"metadata":{"resourceVersion":"{{{rv}}}"},"spec":{"promiseName":"x"}}""", V1Patch.PatchType.MergePatch), G, V, "default", "works", "w"));
        Assert.Equal(409, code);
        Assert.Equal("Conflict", status["reason"]!.GetValue<string>());

        (code, status) = await TestSupport.Fails(() => client.CustomObjects.PatchNamespacedCustomObjectAsync(
            new V1Patch("""{"spec":{"promiseName":"x"}}""", V1Patch.PatchType.StrategicMergePatch), G, V, "default", "works", "w"));
        Assert.Equal(415, code);
        Assert.Equal("UnsupportedMediaType", status["reason"]!.GetValue<string>());

        (code, _) = await TestSupport.Fails(() => client.CustomObjects.PatchNamespacedCustomObjectAsync(
            new V1Patch("""{"spec":{"promiseName":"x"}}""", V1Patch.PatchType.MergePatch), G, V, "default", "works", "missing"));
        Assert.Equal(404, code);

        // Strategic merge patch is accepted for built-in kinds.
        await client.CoreV1.CreateNamespacedConfigMapAsync(new V1ConfigMap { Metadata = new() { Name = "c" }, Data = new Dictionary<string, string> { ["a"] = "1" } }, "default");
        var cm = await client.CoreV1.PatchNamespacedConfigMapAsync(new V1Patch("""{"data":{"b":"2"}}""", V1Patch.PatchType.StrategicMergePatch), "c", "default");
        Assert.Equal(["a", "b"], cm.Data.Keys.Order());
    }

    [Fact(Timeout = TestSupport.Timeout)]
    public async Task Delete_preconditions_generate_name_and_delete_collection()
    {
        await using var server = await TestSupport.StartAsync();
        using var client = TestSupport.Client(server);
        var generated = Work(string.Empty);
        generated["metadata"]!.AsObject().Remove("name");
        generated["metadata"]!["generateName"] = "redis-";
        var g = TestSupport.Node(await client.CustomObjects.CreateNamespacedCustomObjectAsync(generated, G, V, "default", "works"));
        Assert.Matches("^redis-[bcdfghjklmnpqrstvwxz2456789]{5}$", g["metadata"]!["name"]!.GetValue<string>());

        var w = TestSupport.Node(await client.CustomObjects.CreateNamespacedCustomObjectAsync(Work("w"), G, V, "default", "works"));
        var (code, status) = await TestSupport.Fails(() => client.CustomObjects.DeleteNamespacedCustomObjectAsync(G, V, "default", "works", "w",
            body: new V1DeleteOptions { Preconditions = new V1Preconditions { Uid = "not-the-uid" } }));
        Assert.Equal(409, code);
        Assert.StartsWith("Operation cannot be fulfilled on works.platform.kratix.io \"w\": Precondition failed: UID in precondition: not-the-uid", status["message"]!.GetValue<string>());
        var deleted = TestSupport.Node(await client.CustomObjects.DeleteNamespacedCustomObjectAsync(G, V, "default", "works", "w",
            body: new V1DeleteOptions { Preconditions = new V1Preconditions { Uid = w["metadata"]!["uid"]!.GetValue<string>() } }));
        Assert.Equal("w", deleted["metadata"]!["name"]!.GetValue<string>());

        await client.CustomObjects.CreateNamespacedCustomObjectAsync(Work("a"), G, V, "default", "works");
        var other = Work("b");
        other["metadata"]!["labels"]!["app"] = "y";
        await client.CustomObjects.CreateNamespacedCustomObjectAsync(other, G, V, "default", "works");
        await client.CustomObjects.DeleteCollectionNamespacedCustomObjectAsync(G, V, "default", "works", labelSelector: "app=x");
        var left = TestSupport.Node(await client.CustomObjects.ListNamespacedCustomObjectAsync(G, V, "default", "works"));
        Assert.Equal(["b"], left["items"]!.AsArray().Select(i => i!["metadata"]!["name"]!.GetValue<string>()));
    }

    [Fact(Timeout = TestSupport.Timeout)]
    public async Task A_second_crd_claiming_a_taken_plural_is_not_established()
    {
        await using var server = await TestSupport.StartAsync();
        using var client = TestSupport.Client(server);
        string Crd(string name, string plural, string kind) => $$$"""
            {"apiVersion":"apiextensions.k8s.io/v1","kind":"CustomResourceDefinition","metadata":{"name":"{{{name}}}"},
             "spec":{"group":"example.com","scope":"Cluster","names":{"plural":"{{{plural}}}","kind":"{{{kind}}}","shortNames":["things"]},
              "versions":[{"name":"v1","served":true,"storage":true,"schema":{"openAPIV3Schema":{"type":"object"} } }]} }
            """;
        await client.ApiextensionsV1.CreateCustomResourceDefinitionAsync(KubernetesJson.Deserialize<V1CustomResourceDefinition>(Crd("widgets.example.com", "widgets", "Widget")));
        await client.ApiextensionsV1.CreateCustomResourceDefinitionAsync(KubernetesJson.Deserialize<V1CustomResourceDefinition>(Crd("things.example.com", "things", "Thing")));
        var second = await client.ApiextensionsV1.ReadCustomResourceDefinitionAsync("things.example.com");
        var names = second.Status.Conditions.Single(c => c.Type == "NamesAccepted");
        Assert.Equal("False", names.Status);
        Assert.Equal("PluralConflict", names.Reason);
        Assert.Equal("False", second.Status.Conditions.Single(c => c.Type == "Established").Status);
        Assert.Null(server.Registry.Find("example.com", "v1", "things"));
    }
}
