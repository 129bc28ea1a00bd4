using System.Text.Json.Nodes;
using Kratix.Objects;
using Kratix.Presentation;

namespace Kratix.Tests.Presentation;

/// <summary>
/// ObjectRelations: which Works and WorkPlacements belong to a Promise, a request, a Destination or a state store, which
/// request a Work was made for, and the Destination, StateStore and VersionId a KratixObject shows from them.
/// </summary>
public class ObjectRelationsTests
{
    private static readonly Destination Dev = Destination("dev", "GitStateStore", "main");
    private static readonly Destination Prod = Destination("prod", "BucketStateStore", "archive");

    // The request default/web of Promise app: one Work placed on dev (written) and prod (not written yet).
    private static readonly Work WebWork = Work("app-web-build-1a2b3", "default", "app", "web");
    private static readonly WorkPlacement WebOnDev = Placement("app-web-build-1a2b3.dev-5058f", "default", WebWork, "dev", "c0ffee");
    private static readonly WorkPlacement WebOnProd = Placement("app-web-build-1a2b3.prod-5058f", "default", WebWork, "prod", null);

    // A request of the same name in another namespace, whose Work lives in the Promise's pipeline namespace.
    private static readonly Work OtherWebWork = Work("app-web-team-build-9f8e7", "pipelines", "app", "web", resourceNamespace: "team");
    private static readonly WorkPlacement OtherWebOnProd = Placement("app-web-team-build-9f8e7.prod-5058f", "pipelines", OtherWebWork, "prod", "beef");

    // The Promise's own dependencies, placed on dev.
    private static readonly Work Dependencies = Work("app-static-deps-12345", "kratix-platform-system", "app", null);
    private static readonly WorkPlacement DependenciesOnDev = Placement("app-static-deps-12345.dev-5058f", "kratix-platform-system", Dependencies, "dev", "d00d");

    private static readonly ObjectRelations Relations = new(
        [WebWork, OtherWebWork, Dependencies],
        [WebOnDev, WebOnProd, OtherWebOnProd, DependenciesOnDev],
        [Dev, Prod]);

    [Fact]
    public void A_request_has_the_Works_of_its_Promise_name_and_namespace_and_their_placements()
    {
        Assert.Equal([WebWork.Name], Relations.WorksOf(Request("web", "default")).Select(w => w.Name));
        Assert.Equal([WebOnDev.Name, WebOnProd.Name], Relations.PlacementsOf(Request("web", "default")).Select(p => p.Name));
        Assert.Equal([OtherWebWork.Name], Relations.WorksOf(Request("web", "team")).Select(w => w.Name));
        Assert.Empty(Relations.WorksOf(Request("web", "default", promise: "other")));
        Assert.Empty(Relations.WorksOf(Request("nothing", "default")));
    }

    [Fact]
    public void A_request_summary_lists_every_Destination_its_store_and_each_written_version()
    {
        var summary = Relations.SummaryOf(Request("web", "default"));

        Assert.Equal(["dev", "prod"], summary.Destinations);
        Assert.Equal(["GitStateStore/main", "BucketStateStore/archive"], summary.StateStores);
        Assert.Equal(["c0ffee"], summary.VersionIds);
        var nothing = Relations.SummaryOf(Request("nothing", "default"));
        Assert.Empty(nothing.Destinations);
        Assert.Empty(nothing.StateStores);
        Assert.Empty(nothing.VersionIds);
    }

    [Fact]
    public void A_Promise_has_all_its_Works_but_its_summary_is_where_its_own_dependencies_went()
    {
        var promise = new KubeObject(new JsonObject { ["apiVersion"] = KratixApi.ApiVersion, ["kind"] = "Promise", ["metadata"] = new JsonObject { ["name"] = "app" } });

        Assert.Equal(3, Relations.WorksOf(promise).Count);
        Assert.Equal(4, Relations.PlacementsOf(promise).Count);
        var summary = Relations.SummaryOf(promise);
        Assert.Equal(["dev"], summary.Destinations);
        Assert.Equal(["d00d"], summary.VersionIds);
    }

    [Fact]
    public void A_Destination_has_the_placements_on_it_and_a_state_store_those_on_its_Destinations()
    {
        Assert.Equal([WebOnProd.Name, OtherWebOnProd.Name], Relations.PlacementsOf(Prod).Select(p => p.Name));
        Assert.Equal([WebWork.Name, OtherWebWork.Name], Relations.WorksOf(Prod).Select(w => w.Name));
        var store = new KubeObject(new JsonObject { ["apiVersion"] = KratixApi.ApiVersion, ["kind"] = "GitStateStore", ["metadata"] = new JsonObject { ["name"] = "main" } });
        Assert.Equal([WebOnDev.Name, DependenciesOnDev.Name], Relations.PlacementsOf(store).Select(p => p.Name));
        Assert.Empty(Relations.SummaryOf(Dev).Destinations);
    }

    [Fact]
    public void A_Work_or_placement_knows_the_request_it_was_made_for_and_a_dependency_knows_none()
    {
        Assert.Equal(("app", "default", "web"), Relations.RequestOf(WebWork));
        Assert.Equal(("app", "default", "web"), Relations.RequestOf(WebOnProd));
        Assert.Equal(("app", "team", "web"), Relations.RequestOf(OtherWebOnProd));
        Assert.Null(Relations.RequestOf(Dependencies));
        Assert.Null(Relations.RequestOf(DependenciesOnDev));
        Assert.Equal([WebWork.Name], Relations.WorksOf(WebOnDev).Select(w => w.Name));
    }

    [Fact]
    public void Only_objects_of_a_Promise_kind_labelled_with_their_Promise_are_requests()
    {
        Assert.True(ObjectRelations.IsRequest(Request("web", "default")));
        Assert.False(ObjectRelations.IsRequest(WebWork));
        Assert.False(ObjectRelations.IsRequest(Dev));
        Assert.False(ObjectRelations.IsRequest(new KubeObject(new JsonObject { ["apiVersion"] = "v1", ["kind"] = "ConfigMap", ["metadata"] = new JsonObject { ["name"] = "x" } })));
    }

    [Fact]
    public void A_KratixObject_shows_where_a_request_went_and_nothing_without_relations()
    {
        var request = new KratixObject(Request("web", "default"), Relations);
        Assert.Equal("dev, prod", request.Destination);
        Assert.Equal("GitStateStore/main, BucketStateStore/archive", request.StateStore);
        Assert.Equal("c0ffee", request.VersionId);

        var bare = new KratixObject(Request("web", "default"));
        Assert.Null(bare.Destination);
        Assert.Null(bare.StateStore);
        Assert.Null(bare.VersionId);

        var unplaced = new KratixObject(Request("nothing", "default"), Relations);
        Assert.Null(unplaced.Destination);
        Assert.Null(unplaced.VersionId);
    }

    [Fact]
    public void A_KratixObject_of_a_placement_keeps_its_own_Destination_and_gains_its_state_store()
    {
        var placement = new KratixObject(WebOnDev, Relations);
        Assert.Equal("dev", placement.Destination);
        Assert.Equal("GitStateStore/main", placement.StateStore);
        Assert.Equal("c0ffee", placement.VersionId);

        var work = new KratixObject(WebWork, Relations);
        Assert.Equal("dev, prod", work.Destination);

        var destination = new KratixObject(Dev, Relations);
        Assert.Equal("GitStateStore/main", destination.StateStore);
        Assert.Null(destination.Destination);
    }

    private static KubeObject Request(string name, string ns, string promise = "app") => new(new JsonObject
    {
        ["apiVersion"] = "example.kratix.io/v1",
        ["kind"] = "App",
        ["metadata"] = new JsonObject { ["name"] = name, ["namespace"] = ns, ["labels"] = new JsonObject { [KratixApi.PromiseNameLabel] = promise } },
    });

    private static Destination Destination(string name, string storeKind, string store) => new(new JsonObject
    {
        ["apiVersion"] = KratixApi.ApiVersion,
        ["kind"] = KratixApi.DestinationKind,
        ["metadata"] = new JsonObject { ["name"] = name },
        ["spec"] = new JsonObject { ["stateStoreRef"] = new JsonObject { ["kind"] = storeKind, ["name"] = store } },
    });

    private static Work Work(string name, string ns, string promise, string? resource, string? resourceNamespace = null)
    {
        var labels = new JsonObject { [KratixApi.PromiseNameLabel] = promise };
        var spec = new JsonObject { ["promiseName"] = promise };
        if (resource is not null)
        {
            labels[KratixApi.ResourceNameLabel] = resource;
            spec["resourceName"] = resource;
        }

        if (resourceNamespace is not null)
        {
            labels[KratixApi.ResourceNamespaceLabel] = resourceNamespace;
        }

        return new Work(new JsonObject
        {
            ["apiVersion"] = KratixApi.ApiVersion,
            ["kind"] = KratixApi.WorkKind,
            ["metadata"] = new JsonObject { ["name"] = name, ["namespace"] = ns, ["labels"] = labels },
            ["spec"] = spec,
        });
    }

    private static WorkPlacement Placement(string name, string ns, Work work, string destination, string? version)
    {
        var node = new JsonObject
        {
            ["apiVersion"] = KratixApi.ApiVersion,
            ["kind"] = KratixApi.WorkPlacementKind,
            ["metadata"] = new JsonObject { ["name"] = name, ["namespace"] = ns, ["labels"] = new JsonObject { [KratixApi.WorkLabel] = work.Name } },
            ["spec"] = new JsonObject { ["targetDestinationName"] = destination, ["promiseName"] = work.PromiseName },
        };
        if (version is not null)
        {
            node["status"] = new JsonObject { ["versionID"] = version };
        }

        return new WorkPlacement(node);
    }
}
