using System.Text.Json.Nodes;
using Kratix.Admission;
using Kratix.Manifests;
using Kratix.Objects;
using Kratix.Platforms;
using static Kratix.Tests.Platforms.PlatformFixture;

namespace Kratix.Tests.Platforms;

public class EmbeddedPlatformTests : IDisposable
{
    private const string StaticDepsPath = "dependencies/redis/5058f/static/redis-dependencies.yaml";
    private readonly PlatformFixture _f = new();

    public void Dispose() => _f.Dispose();

    [Fact]
    public void A_registered_git_store_is_ready_and_a_destination_writes_its_canary_files()
    {
        _f.RegisterGitStore();
        _f.RegisterDestination("dev-1", "{environment: dev}");

        var store = Assert.Single(_f.Platform.GetStateStores());
        Assert.Equal("Ready", store.Status.GetString("status"));
        Assert.Equal(("True", "StateStoreReady", "State store is ready"), Tuple(store.Conditions.Get("Ready")));

        var destination = Assert.Single(_f.Platform.GetDestinations());
        Assert.Equal(("True", "TestDocumentsWritten", "Test documents written to State Store"), Tuple(destination.Conditions.Get("Ready")));
        Assert.Equal("apiVersion: v1\nkind: Namespace\nmetadata:\n  name: kratix-worker-system\nspec: {}\nstatus: {}\n", _f.RemoteFile("dev-1/dependencies/kratix-canary-namespace.yaml"));
        Assert.Contains("canary: this confirms your infrastructure is reading from Kratix state stores", _f.RemoteFile("dev-1/resources/kratix-canary-configmap.yaml"));
        Assert.Contains("Update from: kratix-canary", _f.RemoteCommitSubjects());
        Assert.Equal("kratix <>", _f.RemoteAuthorOfHead());
    }

    [Fact]
    public void Installing_a_promise_writes_its_dependencies_to_every_matching_destination()
    {
        _f.RegisterGitStore();
        _f.RegisterDestination("dev-1", "{environment: dev}");
        _f.RegisterDestination("dev-2", "{environment: dev, zone: eu}");
        _f.RegisterDestination("prod", "{environment: prod}");

        var promise = _f.Platform.InstallPromise(Yaml(TestPromises.WithDependencies));

        Assert.Equal("Available", promise.Status.GetString("status"));
        Assert.Equal("v1.0.0", promise.Status.GetString("version"));
        Assert.Equal("redis", promise.Status.GetString("kind"));
        Assert.Equal("marketplace.kratix.io/v1alpha1", promise.Status.GetString("apiVersion"));
        Assert.Equal(("True", "PromiseAvailable", "Ready to fulfil resource requests"), Tuple(promise.Conditions.Get("Available")));
        Assert.Equal(("True", "WorksSucceeded", "All works associated with this promise are ready"), Tuple(promise.Conditions.Get("WorksSucceeded")));
        Assert.Null(promise.Conditions.Get("Reconciled"));
        Assert.Null(promise.Status["observedGeneration"]);

        var deps = _f.RemoteFile("dev-1/" + StaticDepsPath);
        Assert.Equal(
            "apiVersion: v1\nkind: Namespace\nmetadata:\n  name: redis-operator\n---\napiVersion: v1\ndata:\n  enabled: \"true\"\nkind: ConfigMap\nmetadata:\n  name: settings\n  namespace: redis-operator\n",
            deps);
        Assert.Equal(deps, _f.RemoteFile("dev-2/" + StaticDepsPath));
        Assert.Null(_f.RemoteFile("prod/" + StaticDepsPath));

        var work = Assert.Single(_f.Platform.GetWorks());
        Assert.StartsWith("redis-static-deps-", work.Name, StringComparison.Ordinal);
        Assert.Equal("kratix-platform-system", work.Namespace);
        Assert.Equal("static-dependency", work.GetLabel("kratix.io/work-type"));
        Assert.Equal(("True", "AllWorkplacementsScheduled", "All workplacements scheduled successfully"), Tuple(work.Conditions.Get("ScheduleSucceeded")));

        var placements = _f.Platform.GetWorkPlacements();
        Assert.Equal([$"{work.Name}.dev-1-5058f", $"{work.Name}.dev-2-5058f"], placements.Select(p => p.Name));
        foreach (var placement in placements)
        {
            Assert.Equal(("True", "WorkloadsWrittenToTargetDestination", "Ready"), Tuple(placement.Conditions.Get("Ready")));
            Assert.Equal(("True", "WorkloadsWrittenToStateStore", "Workloads written to State Store"), Tuple(placement.Conditions.Get("WriteSucceeded")));
            Assert.Equal(string.Empty, placement.GetLabel("kratix.io/pipeline-name"));
            Assert.Matches("^[0-9a-f]{40}$", placement.VersionId);
            Assert.Contains($"Update from: {placement.Name}", _f.RemoteCommitLines());
        }
    }

    [Fact]
    public void Dependencies_with_no_matching_destination_wait_and_are_written_when_one_registers()
    {
        _f.RegisterGitStore();
        _f.RegisterDestination("prod", "{environment: prod}");
        _f.Platform.InstallPromise(Yaml(TestPromises.WithDependencies));

        var pending = Assert.Single(_f.Platform.GetWorks());
        Assert.Equal(("False", "UnscheduledWorkloads", $"No matching destination found for workloadGroups: [{KratixApi.DefaultWorkloadGroupId}]"), Tuple(pending.Conditions.Get("ScheduleSucceeded")));
        Assert.Equal(("False", "UnscheduledWorkloads", "Pending"), Tuple(pending.Conditions.Get("Ready")));
        Assert.Empty(_f.Platform.GetWorkPlacements());

        _f.RegisterDestination("dev-1", "{environment: dev}");

        Assert.NotNull(_f.RemoteFile("dev-1/" + StaticDepsPath));
        Assert.True(Assert.Single(_f.Platform.GetWorks()).Conditions.IsTrue("Ready"));
    }

    [Fact]
    public void A_destination_that_stops_matching_keeps_its_files_as_misplaced_and_is_ready_again_when_it_matches()
    {
        _f.RegisterGitStore();
        _f.RegisterDestination("dev-1", "{environment: dev}");
        _f.Platform.InstallPromise(Yaml(TestPromises.WithDependencies));

        _f.RegisterDestination("dev-1", "{environment: prod}");
        var misplaced = Assert.Single(_f.Platform.GetWorkPlacements());
        Assert.Equal("true", misplaced.GetLabel("kratix.io/misplaced"));
        Assert.Equal(("False", "Misplaced", "Misplaced"), Tuple(misplaced.Conditions.Get("Ready")));
        Assert.Equal(("False", "DestinationSelectorMismatch", "Target destination no longer matches destinationSelectors"), Tuple(misplaced.Conditions.Get("ScheduleSucceeded")));
        Assert.Equal("DestinationSelectorMismatch", _f.Platform.GetWorks().Single().Conditions.Get("ScheduleSucceeded")!.Reason);
        Assert.NotNull(_f.RemoteFile("dev-1/" + StaticDepsPath));

        _f.RegisterDestination("dev-1", "{environment: dev}");
        var back = Assert.Single(_f.Platform.GetWorkPlacements());
        Assert.Null(back.GetLabel("kratix.io/misplaced"));
        Assert.Equal(("True", "WorkloadsWrittenToTargetDestination", "Ready"), Tuple(back.Conditions.Get("Ready")));
        Assert.True(_f.Platform.GetWorks().Single().Conditions.IsTrue("Ready"));
    }

    [Fact]
    public void Strict_destinations_get_nothing_from_a_selectorless_promise()
    {
        _f.RegisterGitStore();
        _f.RegisterDestination("strict", "{environment: dev}", extraSpec: "  strictMatchLabels: true");
        _f.RegisterDestination("open", "{environment: dev}");
        var promise = Yaml(TestPromises.WithDependencies);
        ((JsonObject)promise["spec"]!).Remove("destinationSelectors");
        _f.Platform.InstallPromise(promise);

        Assert.NotNull(_f.RemoteFile("open/" + StaticDepsPath));
        Assert.Null(_f.RemoteFile("strict/" + StaticDepsPath));
    }

    [Fact]
    public void Uninstalling_removes_what_was_written_and_every_object()
    {
        _f.RegisterGitStore();
        _f.RegisterDestination("dev-1", "{environment: dev}");
        _f.Platform.InstallPromise(Yaml(TestPromises.WithDependencies));
        _f.Platform.SubmitRequest(Yaml(TestPromises.RedisRequest));
        var placement = Assert.Single(_f.Platform.GetWorkPlacements());

        _f.Platform.UninstallPromise("redis");

        Assert.Null(_f.RemoteFile("dev-1/" + StaticDepsPath));
        Assert.NotNull(_f.RemoteFile("dev-1/dependencies/kratix-canary-namespace.yaml"));
        Assert.Contains($"Delete from: {placement.Name}", _f.RemoteCommitSubjects());
        Assert.Empty(_f.Platform.GetPromises());
        Assert.Empty(_f.Platform.GetWorks());
        Assert.Empty(_f.Platform.GetWorkPlacements());
        Assert.Empty(_f.Platform.GetRequests());
    }

    [Fact]
    public void Changing_dependencies_rewrites_the_file_and_removing_them_deletes_it()
    {
        _f.RegisterGitStore();
        _f.RegisterDestination("dev-1", "{environment: dev}");
        var promise = Yaml(TestPromises.WithDependencies);
        _f.Platform.InstallPromise(promise);

        ((JsonArray)promise["spec"]!["dependencies"]!).RemoveAt(1);
        var updated = _f.Platform.InstallPromise(promise);
        Assert.Equal(2, updated.Generation);
        Assert.Equal(2, updated.Status.GetLong("observedGeneration"));
        Assert.DoesNotContain("ConfigMap", _f.RemoteFile("dev-1/" + StaticDepsPath));

        ((JsonObject)promise["spec"]!).Remove("dependencies");
        _f.Platform.InstallPromise(promise);
        Assert.Null(_f.RemoteFile("dev-1/" + StaticDepsPath));
        Assert.Empty(_f.Platform.GetWorks());
    }

    [Fact]
    public void A_request_is_validated_defaulted_and_stored_with_upstreams_status_for_a_promise_without_workflows()
    {
        _f.RegisterGitStore();
        _f.RegisterDestination("dev-1", "{environment: dev}");
        _f.Platform.InstallPromise(Yaml(TestPromises.WithDependencies));

        var request = _f.Platform.SubmitRequest(Yaml(TestPromises.RedisRequest));

        Assert.Equal("small", request.Spec.GetString("size"));
        Assert.Equal("redis", request.GetLabel("kratix.io/promise-name"));
        Assert.Equal(1, request.Generation);
        Assert.Empty(request.Conditions.All);
        Assert.Null(request.Status["message"]);
        Assert.Equal(0, request.Status.GetLong("workflows"));
        Assert.Equal(0, request.Status.GetLong("workflowsSucceeded"));
        Assert.Equal(0, request.Status.GetLong("workflowsFailed"));
        Assert.Equal(1, request.Status.GetLong("observedGeneration"));
        Assert.Equal("v1.0.0", request.Status.GetString("promiseVersion"));
        Assert.Equal("latest", request.Status.GetString("resourceBindingVersion"));
        Assert.Empty(request.Status["kratix"]!["workflows"]!["pipelines"]!.AsArray());
        var stored = Path.Combine(_f.Home, "objects", "redis.marketplace.kratix.io", "default", "example.yaml");
        Assert.True(File.Exists(stored));
        Assert.Single(_f.Platform.GetRequests("redis"));
    }

    [Fact]
    public void An_invalid_request_lists_every_failing_field_with_its_line_and_nothing_is_stored()
    {
        _f.RegisterGitStore();
        _f.Platform.InstallPromise(Yaml(TestPromises.WithDependencies));
        var source = ManifestReader.Default.ReadString("apiVersion: marketplace.kratix.io/v1alpha1\nkind: redis\nmetadata:\n  name: Bad_Name\nspec:\n  size: huge\n  replicas: 9\n", "bad.yaml").Single();

        var ex = Assert.Throws<AdmissionException>(() => _f.Platform.SubmitRequest((JsonObject)source.Content!, source));

        Assert.Equal("RequestInvalid", ex.ErrorId);
        Assert.Contains(ex.Problems, p => p.StartsWith("bad.yaml:6:3: spec.size: Unsupported value: \"huge\": supported values: \"small\", \"large\"", StringComparison.Ordinal));
        Assert.Contains(ex.Problems, p => p.StartsWith("bad.yaml:7:3: spec.replicas:", StringComparison.Ordinal) && p.Contains("less than or equal to 5", StringComparison.Ordinal));
        Assert.Contains(ex.Problems, p => p.Contains("metadata.name: Invalid value: \"Bad_Name\"", StringComparison.Ordinal));
        Assert.Empty(_f.Platform.GetRequests());
    }

    [Fact]
    public void A_request_for_a_kind_no_promise_provides_is_refused_naming_what_is_installed()
    {
        _f.Platform.InstallPromise(Yaml(TestPromises.WithDependencies));
        var ex = Assert.Throws<KratixException>(() => _f.Platform.SubmitRequest(Yaml("apiVersion: x.io/v1\nkind: Nope\nmetadata:\n  name: a\n")));
        Assert.Equal("PromiseNotFoundForRequest", ex.ErrorId);
        Assert.Contains("redis (marketplace.kratix.io)", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Creating_an_existing_request_is_refused_but_updating_it_bumps_generation_only_on_spec_changes()
    {
        _f.Platform.InstallPromise(Yaml(TestPromises.WithDependencies));
        _f.Platform.SubmitRequest(Yaml(TestPromises.RedisRequest));
        Assert.Equal("RequestExists", Assert.Throws<KratixException>(() => _f.Platform.SubmitRequest(Yaml(TestPromises.RedisRequest))).ErrorId);

        var labelled = Yaml(TestPromises.RedisRequest);
        labelled["metadata"]!["labels"] = new JsonObject { ["team"] = "a" };
        Assert.Equal(1, _f.Platform.SubmitRequest(labelled, allowUpdate: true).Generation);

        var resized = Yaml(TestPromises.RedisRequest.Replace("replicas: 2", "replicas: 3", StringComparison.Ordinal));
        var updated = _f.Platform.SubmitRequest(resized, allowUpdate: true);
        Assert.Equal(2, updated.Generation);
        Assert.Equal(2, updated.Status.GetLong("observedGeneration"));
    }

    [Fact]
    public void Removing_a_request_deletes_it_and_a_missing_one_is_reported()
    {
        _f.Platform.InstallPromise(Yaml(TestPromises.WithDependencies));
        _f.Platform.SubmitRequest(Yaml(TestPromises.RedisRequest));
        _f.Platform.RemoveRequest("redis", "default", "example");
        Assert.Empty(_f.Platform.GetRequests());
        Assert.Equal("RequestNotFound", Assert.Throws<KratixException>(() => _f.Platform.RemoveRequest("redis", "default", "example")).ErrorId);
    }

    [Fact]
    public void Workflows_that_cannot_run_yet_are_reported_not_silently_passed()
    {
        _f.Platform.InstallPromise(Yaml(TestPromises.WithWorkflows));
        var request = _f.Platform.SubmitRequest(Yaml("apiVersion: example.kratix.io/v1\nkind: App\nmetadata:\n  name: a\nspec:\n  anything: 1\n"));
        Assert.Equal("Pending", request.Status.GetString("message"));
        Assert.Equal(Condition.False, request.Conditions.Get("ConfigureWorkflowCompleted")!.Status);
        Assert.Equal("Pending", request.Conditions.Get("Reconciled")!.Message);
        Assert.Contains(_f.Log.Drain(), m => m.IsWarning && m.Message.Contains("resource.configure workflow was not run", StringComparison.Ordinal));
    }

    [Fact]
    public void A_promise_that_requires_a_missing_promise_is_unavailable_and_its_requests_wait()
    {
        var dependent = Yaml(TestPromises.WithDependencies);
        dependent["spec"]!["requiredPromises"] = new JsonArray(new JsonObject { ["name"] = "base", ["version"] = "v1" });
        var installed = _f.Platform.InstallPromise(dependent);
        Assert.Equal("Unavailable", installed.Status.GetString("status"));
        Assert.Equal(("False", "RequirementsNotInstalled", "Requirements not fulfilled"), Tuple(installed.Conditions.Get("RequirementsFulfilled")));
        Assert.Equal("Requirement not installed", installed.Status["requiredPromises"]![0]!["state"]!.GetValue<string>());

        var waiting = _f.Platform.SubmitRequest(Yaml(TestPromises.RedisRequest));
        Assert.Equal("Pending", waiting.Status.GetString("message"));
        Assert.Equal(("False", "PromiseRequirementsNotInstalled", "Promise Requirements are not installed"), Tuple(waiting.Conditions.Get("PromiseAvailable")));

        _f.Platform.InstallPromise(Yaml("apiVersion: platform.kratix.io/v1alpha1\nkind: Promise\nmetadata:\n  name: base\n  labels:\n    kratix.io/promise-version: v1\nspec: {}\n"));

        var available = _f.Platform.GetPromises().Single(p => p.Name == "redis");
        Assert.Equal("Available", available.Status.GetString("status"));
        Assert.Equal("Requirement installed", available.Status["requiredPromises"]![0]!["state"]!.GetValue<string>());
        Assert.Equal("redis", _f.Platform.GetPromises().Single(p => p.Name == "base").Status["requiredBy"]![0]!["promise"]!["name"]!.GetValue<string>());
        var released = Assert.Single(_f.Platform.GetRequests());
        Assert.Equal(("True", "PromiseAvailable", "Promise Requirements are met"), Tuple(released.Conditions.Get("PromiseAvailable")));
    }

    [Fact]
    public void Invalid_platform_objects_are_refused_with_every_problem()
    {
        var ex = Assert.Throws<AdmissionException>(() => _f.Platform.RegisterDestination(Yaml("apiVersion: platform.kratix.io/v1alpha1\nkind: Destination\nmetadata:\n  name: d\nspec:\n  filepath:\n    mode: weird\n")));
        Assert.Contains("spec.path: Required value", ex.Problems);
        Assert.Contains("spec.stateStoreRef.kind: Required value", ex.Problems);
        Assert.Contains(ex.Problems, p => p.StartsWith("spec.filepath.mode: Unsupported value: \"weird\"", StringComparison.Ordinal));
        Assert.Empty(_f.Platform.GetDestinations());

        var promise = Assert.Throws<AdmissionException>(() => _f.Platform.InstallPromise(Yaml(TestPromises.WithWorkflows.Replace("name: instance", "name: a-pipeline-name-so-long-that-the-generated-service-account-is-too-long", StringComparison.Ordinal))));
        Assert.Contains(promise.Problems, p => p.Contains("must be at most 60", StringComparison.Ordinal));
    }

    [Fact]
    public void Paths_must_be_unique_per_state_store_and_filepath_mode_is_immutable()
    {
        _f.RegisterGitStore();
        _f.RegisterDestination("a");
        var clash = Assert.Throws<AdmissionException>(() => _f.Platform.RegisterDestination(Yaml("apiVersion: platform.kratix.io/v1alpha1\nkind: Destination\nmetadata:\n  name: b\nspec:\n  path: a\n  stateStoreRef: {kind: GitStateStore, name: default}\n")));
        Assert.Contains(clash.Problems, p => p.StartsWith("spec.path: Duplicate value", StringComparison.Ordinal));
        var mode = Assert.Throws<AdmissionException>(() => _f.RegisterDestination("a", extraSpec: "  filepath:\n    mode: none"));
        Assert.Contains(mode.Problems, p => p.Contains("immutable", StringComparison.Ordinal));
    }

    [Fact]
    public void A_destination_whose_store_is_missing_is_not_ready_then_ready_once_the_store_registers()
    {
        _f.RegisterDestination("dev-1", "{environment: dev}");
        Assert.Equal(("False", "StateStoreNotFound", "GitStateStore/default: not found"), Tuple(_f.Platform.GetDestinations().Single().Conditions.Get("Ready")));

        _f.RegisterGitStore();
        Assert.Equal("TestDocumentsWritten", _f.Platform.GetDestinations().Single().Conditions.Get("Ready")!.Reason);
    }

    [Fact]
    public void A_store_that_cannot_be_written_is_not_ready_with_the_reason()
    {
        _f.Platform.RegisterStateStore(Yaml($"apiVersion: platform.kratix.io/v1alpha1\nkind: GitStateStore\nmetadata:\n  name: broken\nspec:\n  url: {Path.Combine(_f.Root, "does-not-exist.git")}\n"));
        var store = _f.Platform.GetStateStores().Single();
        Assert.Equal("NotReady", store.Status.GetString("status"));
        Assert.Equal("ErrorValidatingPermissions", store.Conditions.Get("Ready")!.Reason);
        Assert.StartsWith("Error validating state store permissions: ", store.Conditions.Get("Ready")!.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Unregistering_a_destination_with_cleanup_all_removes_its_files_and_a_used_store_cannot_go()
    {
        _f.RegisterGitStore();
        _f.RegisterDestination("dev-1", "{environment: dev}", extraSpec: "  cleanup: all");
        _f.Platform.InstallPromise(Yaml(TestPromises.WithDependencies));
        Assert.Equal("StateStoreInUse", Assert.Throws<KratixException>(() => _f.Platform.UnregisterStateStore("GitStateStore", "default")).ErrorId);

        _f.Platform.UnregisterDestination("dev-1");

        Assert.DoesNotContain(_f.RemoteFiles(), f => f.StartsWith("dev-1/", StringComparison.Ordinal));
        Assert.Empty(_f.Platform.GetWorkPlacements());
        Assert.False(_f.Platform.GetWorks().Single().Conditions.IsTrue("Ready"));
        _f.Platform.UnregisterStateStore("GitStateStore", "default");
        Assert.Empty(_f.Platform.GetStateStores());
    }

    [Fact]
    public void A_directory_state_store_gets_the_same_layout()
    {
        var bucket = Path.Combine(_f.Root, "buckets");
        _f.Platform.RegisterStateStore(Yaml($"apiVersion: platform.kratix.io/v1alpha1\nkind: BucketStateStore\nmetadata:\n  name: local\nspec:\n  endpoint: {bucket}\n  bucketName: kratix\n  authMethod: IAM\n  path: platform\n"));
        _f.Platform.RegisterDestination(Yaml("apiVersion: platform.kratix.io/v1alpha1\nkind: Destination\nmetadata:\n  name: dev-1\n  labels:\n    environment: dev\nspec:\n  path: dev-1\n  stateStoreRef:\n    kind: BucketStateStore\n    name: local\n"));
        _f.Platform.InstallPromise(Yaml(TestPromises.WithDependencies));

        var root = Path.Combine(bucket, "kratix", "platform", "dev-1");
        Assert.True(File.Exists(Path.Combine(root, "dependencies", "kratix-canary-namespace.yaml")));
        Assert.Contains("redis-operator", File.ReadAllText(Path.Combine(root, StaticDepsPath)), StringComparison.Ordinal);
    }

    [Fact]
    public void The_platform_home_holds_one_readable_yaml_file_per_object()
    {
        _f.RegisterGitStore();
        _f.Platform.InstallPromise(Yaml(TestPromises.WithDependencies));
        var file = Path.Combine(_f.Home, "objects", "promises.platform.kratix.io", "redis.yaml");
        var stored = (JsonObject)ManifestReader.Default.ReadFile(file).Single().Content!;
        Assert.Equal("redis", stored["metadata"]!["name"]!.GetValue<string>());
        Assert.NotNull(stored["metadata"]!["uid"]);
        Assert.Empty(Directory.GetFiles(_f.Home, "*.tmp", SearchOption.AllDirectories));
    }

    private static (string, string, string) Tuple(Condition? condition) =>
        condition is null ? ("<none>", string.Empty, string.Empty) : (condition.Status, condition.Reason, condition.Message);
}
