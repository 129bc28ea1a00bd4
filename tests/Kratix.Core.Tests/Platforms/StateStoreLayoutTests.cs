using Kratix.Pipelines.Runtimes;
using static Kratix.Tests.Platforms.PlatformFixture;

namespace Kratix.Tests.Platforms;

/// <summary>
/// What one Promise (static dependencies, a promise workflow, a resource workflow with a directory group) and one
/// request put in a Git store under each filepath mode, file by file: the trees docs/state-stores.md#layouts shows.
/// </summary>
[System.Runtime.Versioning.SupportedOSPlatform("linux")]
public sealed class StateStoreLayoutTests : IDisposable
{
    public const string Promise = """
        apiVersion: platform.kratix.io/v1alpha1
        kind: Promise
        metadata:
          name: app
        spec:
          destinationSelectors:
          - matchLabels:
              environment: dev
          dependencies:
          - apiVersion: v1
            kind: Namespace
            metadata:
              name: app-system
          api:
            apiVersion: apiextensions.k8s.io/v1
            kind: CustomResourceDefinition
            metadata:
              name: apps.example.kratix.io
            spec:
              group: example.kratix.io
              names: {kind: App, plural: apps, singular: app}
              scope: Namespaced
              versions:
              - name: v1
                served: true
                storage: true
                schema:
                  openAPIV3Schema:
                    type: object
                    properties:
                      spec:
                        type: object
                        x-kubernetes-preserve-unknown-fields: true
          workflows:
            promise:
              configure:
              - apiVersion: platform.kratix.io/v1alpha1
                kind: Pipeline
                metadata:
                  name: operator
                spec:
                  containers:
                  - name: main
                    image: example/app-promise:v1
                    command: [sh, -c]
                    args:
                    - |
                      printf 'apiVersion: apps/v1\nkind: Deployment\nmetadata:\n  name: app-operator\n  namespace: app-system\n' > /kratix/output/operator.yaml
            resource:
              configure:
              - apiVersion: platform.kratix.io/v1alpha1
                kind: Pipeline
                metadata:
                  name: instance
                spec:
                  containers:
                  - name: main
                    image: example/app-resource:v1
                    command: [sh, -c]
                    args:
                    - |
                      printf 'apiVersion: apps/v1\nkind: Deployment\nmetadata:\n  name: %s\n' "$KRATIX_OBJECT_NAME" > /kratix/output/deployment.yaml
                      printf 'apiVersion: v1\nkind: Service\nmetadata:\n  name: %s\n' "$KRATIX_OBJECT_NAME" > /kratix/output/service.yaml
                      mkdir -p /kratix/output/db
                      printf 'apiVersion: example.kratix.io/v1\nkind: Database\nmetadata:\n  name: %s-db\n' "$KRATIX_OBJECT_NAME" > /kratix/output/db/database.yaml
                      printf -- '- directory: db\n  matchLabels:\n    environment: dev\n' > /kratix/metadata/destination-selectors.yaml
        """;

    private const string Request = """
        apiVersion: example.kratix.io/v1
        kind: App
        metadata:
          name: web
          namespace: team-a
        spec: {}
        """;

    private readonly PlatformFixture _f = new(PipelineRuntimes.Create("Host"));

    public void Dispose() => _f.Dispose();

    [Fact]
    public void NestedByMetadata_puts_dependencies_and_resources_in_their_own_trees_with_a_folder_per_workload_group()
    {
        Run(Kratix.Objects.Destination.ModeNestedByMetadata);

        Assert.Equal(
        [
            "clusters/dev-1/dependencies/app/5058f/static/app-dependencies.yaml",
            "clusters/dev-1/dependencies/app/operator/5058f/operator.yaml",
            "clusters/dev-1/dependencies/kratix-canary-namespace.yaml",
            "clusters/dev-1/resources/kratix-canary-configmap.yaml",
            "clusters/dev-1/resources/team-a/app/web/instance/5058f/deployment.yaml",
            "clusters/dev-1/resources/team-a/app/web/instance/5058f/service.yaml",
            "clusters/dev-1/resources/team-a/app/web/instance/d77d5/db/database.yaml", // md5("db") starts d77d5
        ], _f.RemoteFiles());
        // One commit per write: the request's two placements went together, and its body names each.
        Assert.Equal(
            ["kratix-canary", Placement("app-static-deps-"), Placement("app-operator-"), Placement("app-web-instance-", "d77d5") + " (and 1 more)"],
            _f.RemoteCommitSubjects().Reverse().Select(s => s.Replace("Update from: ", string.Empty, StringComparison.Ordinal)));
        Assert.Equal(
            [$"Update from: {Placement("app-web-instance-", "d77d5")} (and 1 more)", $"Update from: {Placement("app-web-instance-", "d77d5")}", $"Update from: {Placement("app-web-instance-", "5058f")}"],
            _f.RemoteCommitLines().Take(3));
    }

    [Fact]
    public void None_writes_each_file_at_its_own_path_and_records_per_placement_what_it_wrote()
    {
        Run(Kratix.Objects.Destination.ModeNone);

        var tracking = _f.Platform.GetWorkPlacements().Select(p => $"clusters/dev-1/.kratix/{p.Namespace}-{p.Name}.yaml");
        Assert.Equal(
            tracking.Concat(
            [
                "clusters/dev-1/db/database.yaml",
                "clusters/dev-1/deployment.yaml",
                "clusters/dev-1/kratix-canary-configmap.yaml",
                "clusters/dev-1/kratix-canary-namespace.yaml",
                "clusters/dev-1/operator.yaml",
                "clusters/dev-1/service.yaml",
                "clusters/dev-1/static/app-dependencies.yaml",
            ]).Order(StringComparer.Ordinal),
            _f.RemoteFiles());
        // Paths in a tracking file are relative to the store's spec.path, as the Destination's path is.
        Assert.Equal("files:\n- dev-1/deployment.yaml\n- dev-1/service.yaml\n", _f.RemoteFile($"clusters/dev-1/.kratix/team-a-{Placement("app-web-instance-", "5058f")}.yaml"));
    }

    [Fact]
    public void AggregatedYaml_writes_one_file_for_everything_placements_sorted_by_name()
    {
        Run(Kratix.Objects.Destination.ModeAggregatedYaml);

        Assert.Equal(["clusters/dev-1/aggregated.yaml", "clusters/dev-1/kratix-canary-configmap.yaml", "clusters/dev-1/kratix-canary-namespace.yaml"], _f.RemoteFiles());
        // app-operator-... < app-static-deps-... < app-web-instance-... (5058f, then d77d5).
        Assert.Equal(
            string.Join("\n---\n", "app-operator", "app-system", "web", "web", "web-db"),
            string.Join("\n---\n", _f.RemoteFile("clusters/dev-1/aggregated.yaml")!.Split("\n---\n").Select(d => d.Split("name: ")[1].Split('\n')[0])));
    }

    private void Run(string mode)
    {
        _f.RegisterGitStore(path: "clusters");
        _f.RegisterDestination("dev-1", "{environment: dev}", extraSpec: $"  filepath:\n    mode: {mode}");
        _f.Platform.InstallPromise(Yaml(Promise));
        _f.Platform.SubmitRequest(Yaml(Request));
        Assert.All(_f.Platform.GetWorkPlacements(), p => Assert.True(p.Conditions.IsTrue("Ready"), p.Name));
    }

    private string Placement(string workPrefix, string id5 = "5058f") =>
        _f.Platform.GetWorkPlacements().Single(p => p.Name.StartsWith(workPrefix, StringComparison.Ordinal) && p.Name.EndsWith("-" + id5, StringComparison.Ordinal)).Name;
}
