using System.Text;
using System.Text.Json.Nodes;
using Kratix.Objects;
using Kratix.Presentation;

namespace Kratix.Tests.Presentation;

/// <summary>KratixObject.Documents: what Should -HaveKratixDocument reads from the Works and WorkPlacements on a platform.</summary>
public class KratixObjectDocumentsTests
{
    private static JsonObject Workload(string path, string text) => Objects.Workload.FromBytes(path, Encoding.UTF8.GetBytes(text)).ToJson();

    [Fact]
    public void A_placement_gives_every_document_of_its_manifest_files_in_order_with_their_own_keys()
    {
        var placement = new WorkPlacement(new JsonObject
        {
            ["apiVersion"] = KratixApi.ApiVersion,
            ["kind"] = KratixApi.WorkPlacementKind,
            ["metadata"] = new JsonObject { ["name"] = "w.dev-5058f", ["namespace"] = "default" },
            ["spec"] = new JsonObject
            {
                ["workloads"] = new JsonArray(
                    Workload("app.yaml", "kind: Deployment\nmetadata:\n  name: web\n---\nkind: Service\nmetadata:\n  name: web\n"),
                    Workload("notes.txt", "kind: NotAManifest\n"),
                    Workload("broken.yaml", "kind: [unclosed\n")),
            },
        });

        var documents = new KratixObject(placement).Documents();

        Assert.Equal(["Deployment", "Service"], documents.Select(d => (string)d["kind"]!));
        Assert.Equal("web", ((System.Collections.Specialized.OrderedDictionary)documents[0]["metadata"]!)["name"]);
    }

    [Fact]
    public void A_work_gives_the_documents_of_every_workload_group_and_other_kinds_none()
    {
        var work = new Work(new JsonObject
        {
            ["apiVersion"] = KratixApi.ApiVersion,
            ["kind"] = KratixApi.WorkKind,
            ["metadata"] = new JsonObject { ["name"] = "w", ["namespace"] = "default" },
            ["spec"] = new JsonObject
            {
                ["workloadGroups"] = new JsonArray(
                    new JsonObject { ["id"] = "a", ["directory"] = ".", ["workloads"] = new JsonArray(Workload("a.yaml", "kind: A\n")) },
                    new JsonObject { ["id"] = "b", ["directory"] = "b", ["workloads"] = new JsonArray(Workload("b/b.json", "{\"kind\": \"B\"}")) }),
            },
        });

        Assert.Equal(["A", "B"], new KratixObject(work).Documents().Select(d => (string)d["kind"]!));
        Assert.Empty(new KratixObject(new KubeObject(new JsonObject { ["kind"] = "Destination", ["metadata"] = new JsonObject { ["name"] = "dev" } })).Documents());
    }
}
