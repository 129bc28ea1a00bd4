using System.Text.Json.Nodes;
using Kratix.Platforms.Embedded;
using static Kratix.Tests.Platforms.PlatformFixture;

namespace Kratix.Tests.Platforms;

/// <summary>
/// PlatformCatalog lists names from the platform home's folders and file names, for tab completion: what it lists must
/// be what the platform itself lists, without the lock, without creating anything, and without failing on what it cannot read.
/// </summary>
public sealed class PlatformCatalogTests : IDisposable
{
    private readonly PlatformFixture _f = new();

    public void Dispose() => _f.Dispose();

    private PlatformCatalog Catalog => new(_f.Home);

    private void Request(string name, string ns = "default", string labels = "{}") =>
        _f.Platform.SubmitRequest(Yaml($"""
            apiVersion: marketplace.kratix.io/v1alpha1
            kind: redis
            metadata:
              name: {name}
              namespace: {ns}
              labels: {labels}
            spec:
              replicas: 1
            """));

    [Fact]
    public void It_lists_the_same_names_the_platform_does()
    {
        _f.RegisterGitStore("main-store");
        Directory.CreateDirectory(Path.Combine(_f.Root, "buckets", "b"));
        _f.Platform.RegisterStateStore(Yaml($"""
            apiVersion: platform.kratix.io/v1alpha1
            kind: BucketStateStore
            metadata:
              name: bucket-store
            spec:
              endpoint: {Path.Combine(_f.Root, "buckets")}
              bucketName: b
              authMethod: IAM
            """));
        _f.RegisterDestination("dev-1", "{environment: dev}", store: "main-store");
        _f.RegisterDestination("dev-2", "{environment: dev, zone: eu}", store: "main-store");
        _f.Platform.InstallPromise(Yaml(TestPromises.WithDependencies));
        _f.Platform.InstallPromise(Yaml(TestPromises.WithWorkflows));
        Request("b-cache");
        Request("a-cache");
        Request("team-cache", "team-a");

        Assert.Equal(["app", "redis"], Catalog.Promises());
        Assert.Equal(_f.Platform.GetPromises().Select(p => p.Name).Order(StringComparer.Ordinal), Catalog.Promises());
        Assert.Equal(["dev-1", "dev-2"], Catalog.Destinations());
        Assert.Equal([new CatalogEntry("GitStateStore", null, "main-store"), new CatalogEntry("BucketStateStore", null, "bucket-store")], Catalog.StateStores());
        Assert.Equal(["bucket-store"], Catalog.StateStores("bucketstatestore").Select(s => s.Name));
        Assert.Equal(["main-store"], Catalog.StateStores("GitStateStore").Select(s => s.Name));

        Assert.Equal(
            [new CatalogEntry("redis", "default", "a-cache"), new CatalogEntry("redis", "default", "b-cache"), new CatalogEntry("redis", "team-a", "team-cache")],
            Catalog.Requests());
        Assert.Equal(
            _f.Platform.GetRequests().Select(r => (r.Namespace, r.Name)).Order(),
            Catalog.Requests("redis").Select(r => (r.Namespace, r.Name)).Order());
        Assert.Equal(["team-cache"], Catalog.Requests("redis", "team-a").Select(r => r.Name));
        Assert.Empty(Catalog.Requests("app"));
        Assert.Empty(Catalog.Requests("not-installed"));
        Assert.Equal(["default", "team-a"], Catalog.RequestNamespaces());
        Assert.Empty(Catalog.RequestNamespaces("app"));

        Assert.Equal(_f.Platform.GetWorks().Select(w => w.Name).Order(StringComparer.Ordinal), Catalog.Works().Select(w => w.Name));
        Assert.Equal(["kratix-platform-system"], Catalog.WorkNamespaces());
        Assert.Equal(_f.Platform.GetWorkPlacements().Select(w => w.Name).Order(StringComparer.Ordinal), Catalog.WorkPlacements().Select(w => w.Name));
        Assert.Equal(2, Catalog.WorkPlacements("kratix-platform-system").Count);
        Assert.Empty(Catalog.WorkPlacements("default"));
    }

    [Fact]
    public void A_Promise_outline_has_its_request_kind_workflows_pipelines_and_selectors()
    {
        _f.Platform.InstallPromise(Yaml(TestPromises.WithDependencies));
        _f.Platform.InstallPromise(Yaml(TestPromises.WithWorkflows));

        var redis = Catalog.Outline("redis")!;
        Assert.Equal("redis", redis.RequestKind);
        Assert.Equal("redis.marketplace.kratix.io", redis.RequestType!.Folder);
        Assert.Empty(redis.Workflows);
        var selector = Assert.Single(redis.DestinationSelectors);
        Assert.Equal(new Dictionary<string, string> { ["environment"] = "dev" }, selector);

        var app = Catalog.Outline("app")!;
        Assert.Equal("App", app.RequestKind);
        var workflow = Assert.Single(app.Workflows);
        Assert.Equal("resource.configure", workflow.Workflow);
        Assert.Equal(["instance"], workflow.Pipelines);

        Assert.Null(Catalog.Outline("missing"));
        Assert.Equal(["app", "redis"], Catalog.PromiseOutlines().Select(o => o.Name));
    }

    [Fact]
    public void A_Promise_file_changed_since_it_was_read_is_read_again()
    {
        var file = Path.Combine(_f.Root, "promise.yaml");
        File.WriteAllText(file, TestPromises.WithWorkflows);
        Assert.Equal(["instance"], PlatformCatalog.ReadOutline(file)!.Workflows.Single().Pipelines);

        File.WriteAllText(file, TestPromises.WithWorkflows.Replace("name: instance", "name: first-step", StringComparison.Ordinal));
        File.SetLastWriteTimeUtc(file, DateTime.UtcNow.AddMinutes(1));

        Assert.Equal(["first-step"], PlatformCatalog.ReadOutline(file)!.Workflows.Single().Pipelines);
    }

    [Fact]
    public void A_manifest_file_outline_is_its_first_Promise_and_anything_else_has_none()
    {
        var file = Path.Combine(_f.Root, "many.yaml");
        File.WriteAllText(file, "apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: x\n---\n" + TestPromises.WithWorkflows);
        Assert.Equal("app", PlatformCatalog.ReadOutline(file)!.Name);

        File.WriteAllText(file, "a: [1");
        Assert.Null(PlatformCatalog.ReadOutline(file));
        Assert.Null(PlatformCatalog.ReadOutline(Path.Combine(_f.Root, "missing.yaml")));
    }

    [Fact]
    public void Labels_are_read_from_metadata_wherever_it_is_in_the_file_and_a_broken_file_has_none()
    {
        _f.Platform.InstallPromise(Yaml(TestPromises.WithDependencies));
        Request("labelled", labels: "{team: a, tier: gold}");
        Request("plain");

        var labels = Catalog.RequestLabels("redis").ToDictionary(r => r.Request.Name, r => r.Labels);
        Assert.Equal("a", labels["labelled"]["team"]);
        Assert.Equal("gold", labels["labelled"]["tier"]);
        Assert.Equal("redis", labels["plain"]["kratix.io/promise-name"]);
        Assert.DoesNotContain("team", labels["plain"].Keys);

        var file = Path.Combine(_f.Root, "hand-written.yaml");
        File.WriteAllText(file, "spec:\n  nested: {a: [1, 2]}\nmetadata:\n  name: x\n  labels:\n    app: web\n    complex: {not: a string}\nstatus: {}\n");
        Assert.Equal(new Dictionary<string, string> { ["app"] = "web" }, PlatformCatalog.ReadLabels(file));
        File.WriteAllText(file, "metadata: [unclosed");
        Assert.Empty(PlatformCatalog.ReadLabels(file));
    }

    [Fact]
    public void Labels_can_be_limited_to_the_most_recently_written_requests()
    {
        _f.Platform.InstallPromise(Yaml(TestPromises.WithDependencies));
        Request("old");
        Request("newer", "team-a");
        Request("newest");
        var folder = Path.Combine(_f.Home, "objects", "redis.marketplace.kratix.io");
        var now = DateTime.UtcNow;
        File.SetLastWriteTimeUtc(Path.Combine(folder, "default", "old.yaml"), now.AddHours(-2));
        File.SetLastWriteTimeUtc(Path.Combine(folder, "team-a", "newer.yaml"), now.AddHours(-1));
        File.SetLastWriteTimeUtc(Path.Combine(folder, "default", "newest.yaml"), now);

        Assert.Equal(["newest", "newer"], Catalog.RequestLabels("redis", newest: 2).Select(r => r.Request.Name));
        Assert.Equal(3, Catalog.RequestLabels(newest: 10).Count);
    }

    [Fact]
    public void Destination_labels_are_listed_by_Destination()
    {
        _f.RegisterGitStore();
        _f.RegisterDestination("dev-1", "{environment: dev}");
        _f.RegisterDestination("plain");

        var labels = Catalog.DestinationLabels();
        Assert.Equal(["dev-1", "plain"], labels.Select(d => d.Destination));
        Assert.Equal("dev", labels[0].Labels["environment"]);
        Assert.Empty(labels[1].Labels);
    }

    [Fact]
    public void A_home_that_does_not_exist_lists_nothing_and_is_not_created()
    {
        var home = Path.Combine(_f.Root, "no-such-home");
        var catalog = new PlatformCatalog(home);

        Assert.Empty(catalog.Promises());
        Assert.Empty(catalog.Requests());
        Assert.Empty(catalog.RequestNamespaces());
        Assert.Empty(catalog.StateStores());
        Assert.Empty(catalog.RequestLabels());
        Assert.Empty(catalog.DestinationLabels());
        Assert.Null(catalog.Outline("redis"));
        Assert.False(Directory.Exists(home));
    }

    [Fact]
    public void It_reads_while_another_operation_holds_the_platform_lock_and_writes_nothing()
    {
        _f.Platform.InstallPromise(Yaml(TestPromises.WithDependencies));
        Request("example");
        var token = File.ReadAllText(Path.Combine(_f.Home, "objects", ".token"));

        using (PlatformLock.Acquire(_f.Home, TimeSpan.FromSeconds(5)))
        {
            Assert.Equal(["example"], Catalog.Requests("redis").Select(r => r.Name));
        }

        Assert.Equal(token, File.ReadAllText(Path.Combine(_f.Home, "objects", ".token")));
    }

    [Theory]
    [InlineData("..")]
    [InlineData("../objects")]
    [InlineData("a/b")]
    [InlineData("")]
    public void Names_typed_by_a_user_never_reach_outside_the_objects_folder(string name)
    {
        _f.Platform.InstallPromise(Yaml(TestPromises.WithDependencies));
        Request("example");

        Assert.Null(Catalog.Outline(name));
        Assert.Empty(Catalog.Requests("redis", name));
        Assert.Empty(Catalog.Requests(name));
    }

    [Fact]
    public void A_Promise_manifest_without_an_API_has_no_request_type()
    {
        var outline = PlatformCatalog.ReadOutline(Yaml(TestPromises.DependenciesPromise("deps", "1")))!;
        Assert.Null(outline.RequestType);
        Assert.Null(outline.RequestKind);
        Assert.Null(PlatformCatalog.ReadOutline(new JsonObject { ["kind"] = "ConfigMap" }));
    }
}
