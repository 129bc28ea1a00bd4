using System.Diagnostics;
using System.Text.Json.Nodes;
using Kratix.Manifests;
using Kratix.Objects;
using Kratix.Pipelines.Runtimes;
using Kratix.Tests.Pipelines.Runtimes;
using Kratix.Tests.Platforms;
using static Kratix.Tests.Platforms.PlatformFixture;

namespace Kratix.Tests.Workflows;

/// <summary>
/// Upstream's end-to-end core test (test/core/core_test.go) on the embedded platform: the testbundle Promise, its
/// request and their v2 updates, with two Destinations labelled as upstream's test labels them - worker-1 on a Git
/// state store (a real bare remote) and worker-2 on a bucket state store (a directory) - and pipeline scripts that do
/// what upstream's test image does. It runs once on the Host runtime (the scripts mapped in from source) and once on
/// podman (an image built locally from the same scripts), and ends with the Works, WorkPlacements, files and conditions
/// upstream's test asserts.
/// </summary>
[System.Runtime.Versioning.SupportedOSPlatform("linux")]
public sealed class TestBundleEndToEndTests
{
    private const string Image = "syntasso/test-bundle-image:v0.1.0";
    private static readonly string Assets = Path.Combine(TestPaths.UpstreamPromises, "testbundle__test.core.assets.promise");
    private static readonly string AssetsV2 = Path.Combine(TestPaths.UpstreamPromises, "testbundle__test.core.assets.promise-v2");
    private static readonly string ImageFolder = Path.Combine(TestPaths.RepositoryRoot, "tests", "Kratix.Core.Tests", "Workflows", "test-bundle-image");

    [Theory]
    [InlineData("Host")]
    [InlineData("Podman")]
    public void The_core_test_passes_on_the_embedded_platform(string runtimeName)
    {
        using var f = new PlatformFixture(Runtime(runtimeName));
        var bucket = Path.Combine(f.Root, "bucket");
        f.RegisterGitStore();
        f.Platform.RegisterStateStore(Yaml($"""
            apiVersion: platform.kratix.io/v1alpha1
            kind: BucketStateStore
            metadata:
              name: default
            spec:
              bucketName: kratix
              endpoint: "file://{bucket}"
              authMethod: IAM
            """));
        f.RegisterDestination("worker-1", "{environment: dev, target: worker-1}");
        f.Platform.RegisterDestination(Destination("worker-2"));
        string? Worker1(string path) => f.RemoteFile("worker-1/" + path);
        string? Worker2(string path) => File.Exists(Path.Combine(bucket, "kratix", "worker-2", path)) ? File.ReadAllText(Path.Combine(bucket, "kratix", "worker-2", path)) : null;

        // Installing the Promise runs its configure pipeline; its dependencies go to both dev Destinations.
        var promise = f.Platform.InstallPromise(Read(Assets, "promise.yaml"));
        var promiseWork = Assert.Single(f.Platform.GetWorks("kratix-platform-system"), w => w.GetLabel("kratix.io/promise-name") == "testbundle");
        var promisePlacements = Placements(f, promiseWork);
        Assert.Equal(["worker-1", "worker-2"], promisePlacements.Select(p => p.TargetDestinationName).Order());
        foreach (var placement in promisePlacements)
        {
            Assert.Equal(
                ["Ready/True/WorkloadsWrittenToTargetDestination/Ready", "ScheduleSucceeded/True/ScheduledToDestination/Scheduled to correct Destination", "WriteSucceeded/True/WorkloadsWrittenToStateStore/Workloads written to State Store"],
                Conditions(placement));
        }

        Assert.Equal(["Ready/True/AllWorkplacementsScheduled/Ready", "ScheduleSucceeded/True/AllWorkplacementsScheduled/All workplacements scheduled successfully"], Conditions(promiseWork));
        Assert.Contains("name: testbundle-ns", Worker1("dependencies/testbundle/setup-deps/5058f/namespace.yaml"), StringComparison.Ordinal);
        var promiseConfigMap = Worker2("dependencies/testbundle/setup-deps/5058f/configmap.yaml");
        Assert.Contains("name: testbundle-cm", promiseConfigMap, StringComparison.Ordinal);
        Assert.Contains("promiseEnv: undefined", promiseConfigMap, StringComparison.Ordinal);
        Assert.Equal("Available", promise.Status.GetString("status"));
        Assert.True(promise.Conditions.IsTrue("ConfigureWorkflowCompleted"));
        Assert.True(promise.Conditions.IsTrue("Reconciled"));
        Assert.True(promise.Conditions.IsTrue("WorksSucceeded"));
        Assert.Equal((1L, 0L, 1L), (promise.Status.GetLong("workflows"), promise.Status.GetLong("workflowsFailed"), promise.Status.GetLong("workflowsSucceeded")));
        Assert.Equal([("setup-deps", "Succeeded")], PipelinePhases(promise));

        // A request runs both resource pipelines; the second sees the first's status.
        var request = f.Platform.SubmitRequest(Read(Assets, "example-resource.yaml"));
        Assert.Equal("two", request.Status.GetString("stage"));
        Assert.Equal(true, request.Status.GetBool("completed"));
        Assert.True(request.Conditions.IsTrue("ConfigureWorkflowCompleted"));
        Assert.Equal(request.Generation, request.Status.GetLong("observedGeneration"));
        Assert.Equal((2L, 2L, 0L), (request.Status.GetLong("workflows"), request.Status.GetLong("workflowsSucceeded"), request.Status.GetLong("workflowsFailed")));
        Assert.Equal([("resource-pipeline0", "Succeeded"), ("resource-pipeline1", "Succeeded")], PipelinePhases(request));
        Assert.Equal(
            Timestamps.Format(request.Conditions.Get("ConfigureWorkflowCompleted")!.LastTransitionTime),
            request.Status["kratix"]!["workflows"]!["lastSuccessfulConfigureWorkflowTime"]!.GetValue<string>());
        Assert.True(request.Conditions.IsTrue("WorksSucceeded"));
        Assert.True(request.Conditions.IsTrue("Reconciled"));

        var works = f.Platform.GetWorks("default").Where(w => w.GetLabel("kratix.io/promise-name") == "testbundle").ToList();
        Assert.Equal(2, works.Count);
        var multi = works.Single(w => w.WorkloadGroups.Count > 1);
        var single = works.Single(w => w.WorkloadGroups.Count == 1);
        Assert.Equal(["worker-1"], Placements(f, single).Select(p => p.TargetDestinationName));
        Assert.Equal(["worker-1", "worker-2"], Placements(f, multi).Select(p => p.TargetDestinationName).Order());
        var dest1 = GeneratedNames.Md5("dest1")[..5];
        var dest2 = GeneratedNames.Md5("dest2")[..5];
        var cm1 = Worker1($"resources/default/testbundle/kratix-test/resource-pipeline0/{dest1}/dest1/configmap.yaml");
        var cm2 = Worker2($"resources/default/testbundle/kratix-test/resource-pipeline0/{dest2}/dest2/configmap.yaml");
        Assert.Contains("name: ksystest-cm-1", cm1, StringComparison.Ordinal);
        Assert.Contains("name: ksystest-cm-2", cm2, StringComparison.Ordinal);
        Assert.Contains("name: ksystest\n", Worker1("resources/default/testbundle/kratix-test/resource-pipeline1/5058f/namespace.yaml"), StringComparison.Ordinal);

        // Updating the request reruns its pipelines.
        request = f.Platform.SubmitRequest(Read(Assets, "example-resource-v2.yaml"), allowUpdate: true);
        Assert.Contains("name: ksystest-updated\n", Worker1("resources/default/testbundle/kratix-test/resource-pipeline1/5058f/namespace.yaml"), StringComparison.Ordinal);
        Assert.NotEqual(cm1, Worker1($"resources/default/testbundle/kratix-test/resource-pipeline0/{dest1}/dest1/configmap.yaml"));
        Assert.NotEqual(cm2, Worker2($"resources/default/testbundle/kratix-test/resource-pipeline0/{dest2}/dest2/configmap.yaml"));
        Assert.Equal([("resource-pipeline0", "Succeeded"), ("resource-pipeline1", "Succeeded")], PipelinePhases(request));
        cm1 = Worker1($"resources/default/testbundle/kratix-test/resource-pipeline0/{dest1}/dest1/configmap.yaml");
        cm2 = Worker2($"resources/default/testbundle/kratix-test/resource-pipeline0/{dest2}/dest2/configmap.yaml");

        // Updating the Promise (new API field, env on its pipeline) reruns its pipeline and every request's.
        f.Platform.InstallPromise(Read(AssetsV2, "promise-v2.yaml"));
        Assert.Contains("newName", ManifestWriter.ToYaml(f.Platform.GetPromises().Single().Api), StringComparison.Ordinal);
        var updatedConfigMap = Worker2("dependencies/testbundle/setup-deps/5058f/configmap.yaml");
        Assert.NotEqual(promiseConfigMap, updatedConfigMap);
        Assert.Contains("promiseEnv: second", updatedConfigMap, StringComparison.Ordinal);
        Assert.NotEqual(cm1, Worker1($"resources/default/testbundle/kratix-test/resource-pipeline0/{dest1}/dest1/configmap.yaml"));
        Assert.NotEqual(cm2, Worker2($"resources/default/testbundle/kratix-test/resource-pipeline0/{dest2}/dest2/configmap.yaml"));

        // Deleting the request removes its Works, WorkPlacements and files.
        f.Platform.RemoveRequest("testbundle", "default", "kratix-test");
        Assert.DoesNotContain(f.Platform.GetWorks("default"), w => w.Name.Contains("kratix-test", StringComparison.Ordinal));
        Assert.DoesNotContain(f.Platform.GetWorkPlacements("default"), p => p.Name.Contains("kratix-test", StringComparison.Ordinal));
        Assert.Null(Worker1("resources/default/testbundle/kratix-test/resource-pipeline1/5058f/namespace.yaml"));
        Assert.Null(Worker2($"resources/default/testbundle/kratix-test/resource-pipeline0/{dest2}/dest2/configmap.yaml"));

        // Uninstalling the Promise removes its Works and the dependencies from both Destinations.
        f.Platform.UninstallPromise("testbundle");
        Assert.DoesNotContain(f.Platform.GetWorks("kratix-platform-system"), w => w.Name.Contains("testbundle", StringComparison.Ordinal));
        Assert.DoesNotContain(f.Platform.GetWorkPlacements("kratix-platform-system"), p => p.Name.Contains("testbundle", StringComparison.Ordinal));
        Assert.Null(Worker1("dependencies/testbundle/setup-deps/5058f/namespace.yaml"));
        Assert.Null(Worker2("dependencies/testbundle/setup-deps/5058f/configmap.yaml"));
    }

    private static IContainerRuntime Runtime(string name)
    {
        if (name == "Host")
        {
            return PipelineRuntimes.Create("Host", TestTools.Options(new Dictionary<string, HostImage> { [Image] = new HostImage(ImageFolder) }));
        }

        // The same scripts in a locally built image, tagged as the Promise names it, so the upstream Promise runs unchanged.
        var built = TestImages.Build("test-bundle", ImageFolder, null, null);
        var tag = Process.Start(new ProcessStartInfo(TestTools.Podman, ["tag", built, "docker.io/" + Image]))!;
        tag.WaitForExit();
        Assert.Equal(0, tag.ExitCode);
        return PipelineRuntimes.Create("Podman", TestTools.Options());
    }

    private static JsonObject Destination(string name) => Yaml($"""
        apiVersion: platform.kratix.io/v1alpha1
        kind: Destination
        metadata:
          name: {name}
          labels:
            environment: dev
            target: {name}
        spec:
          path: {name}
          cleanup: none
          filepath:
            mode: nestedByMetadata
          stateStoreRef:
            kind: BucketStateStore
            name: default
        """);

    private static JsonObject Read(string folder, string file) => Yaml(File.ReadAllText(Path.Combine(folder, file)));

    private static List<WorkPlacement> Placements(PlatformFixture f, Work work) =>
        f.Platform.GetWorkPlacements(work.Namespace).Where(p => p.WorkName == work.Name).ToList();

    private static List<string> Conditions(KubeObject obj) =>
        obj.Conditions.All.Select(c => $"{c.Type}/{c.Status}/{c.Reason}/{c.Message}").Order(StringComparer.Ordinal).ToList();

    private static List<(string?, string?)> PipelinePhases(KubeObject obj) =>
        ((obj.Status["kratix"]?["workflows"]?["pipelines"] as JsonArray) ?? []).OfType<JsonObject>().Select(p => (p.GetString("name"), p.GetString("phase"))).ToList();

}
