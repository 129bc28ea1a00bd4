using System.Runtime.Versioning;
using System.Text.Json.Nodes;
using Kratix.Admission;
using Kratix.Manifests;
using Kratix.Objects;
using Kratix.Pipelines;
using Kratix.Pipelines.Runtimes;
using Kratix.Presentation;
using Kratix.Tests.StateStores;

namespace Kratix.Core.Tests.Pipelines;

/// <summary>
/// Invoke-KratixPipeline's engine: a Promise admitted offline, the workflow and pipeline checked before anything runs,
/// the request validated and defaulted as the platform would, then the workflow run on a runtime.
/// </summary>
public class PipelineInvocationTests
{
    private const string PromiseYaml = """
        apiVersion: platform.kratix.io/v1alpha1
        kind: Promise
        metadata:
          name: thing
          labels:
            kratix.io/promise-version: v1.2.0
        spec:
          destinationSelectors:
          - matchLabels:
              environment: dev
          api:
            apiVersion: apiextensions.k8s.io/v1
            kind: CustomResourceDefinition
            metadata:
              name: things.test.kratix.io
            spec:
              group: test.kratix.io
              names: {kind: Thing, plural: things, singular: thing}
              scope: Namespaced
              versions:
              - name: v1alpha1
                served: true
                storage: true
                schema:
                  openAPIV3Schema:
                    type: object
                    properties:
                      spec:
                        type: object
                        properties:
                          size: {type: string, enum: [small, large], default: small}
                          replicas: {type: integer, minimum: 1, maximum: 5}
                        required: [replicas]
          workflows:
            resource:
              configure:
              - apiVersion: platform.kratix.io/v1alpha1
                kind: Pipeline
                metadata: {name: first}
                spec:
                  containers:
                  - name: first-step
                    image: example/first:v1
                    env:
                    - name: PASSWORD
                      valueFrom: {secretKeyRef: {name: db, key: password}}
              - apiVersion: platform.kratix.io/v1alpha1
                kind: Pipeline
                metadata: {name: second}
                spec:
                  containers:
                  - {name: second-step, image: example/second:v1}
              delete:
              - apiVersion: platform.kratix.io/v1alpha1
                kind: Pipeline
                metadata: {name: cleanup}
                spec:
                  containers:
                  - {name: cleanup-step, image: example/cleanup:v1}
              - apiVersion: platform.kratix.io/v1alpha1
                kind: Pipeline
                metadata: {name: never}
                spec:
                  containers:
                  - {name: never-step, image: example/never:v1}
            promise:
              configure:
              - apiVersion: platform.kratix.io/v1alpha1
                kind: Pipeline
                metadata: {name: setup}
                spec:
                  containers:
                  - {name: setup-step, image: example/setup:v1}
        """;

    private static readonly ValueSources Values = ValueSources.From(null, new System.Collections.Hashtable { ["db"] = new System.Collections.Hashtable { ["password"] = "hunter22" } });

    private static Promise ThingPromise() => PipelineInvocation.ReadPromise(Items(PromiseYaml), "thing.yaml");

    private static IReadOnlyList<ManifestItem> Items(string yaml) => ManifestInput.FromObject(yaml);

    private static ManifestItem Request(string yaml) => Assert.Single(Items(yaml));

    private static ManifestItem GoodRequest() => Request("""
        apiVersion: test.kratix.io/v1alpha1
        kind: Thing
        metadata: {name: example}
        spec: {replicas: 2}
        """);

    private static PipelineInvocation Create(PipelineInvocationOptions? options = null, bool hasRequest = true) =>
        PipelineInvocation.Create(ThingPromise(), options ?? new PipelineInvocationOptions { Values = Values }, hasRequest);

    [Fact]
    public void The_Promise_is_the_one_Promise_among_the_documents_admitted_offline()
    {
        var promise = PipelineInvocation.ReadPromise(Items("apiVersion: v1\nkind: Namespace\nmetadata: {name: x}\n---\n" + PromiseYaml), "file.yaml");

        Assert.Equal("thing", promise.Name);
        Assert.Equal(2, promise.Workflows("resource", "configure").Count);
    }

    [Fact]
    public void No_Promise_two_Promises_or_an_invalid_Promise_are_refused()
    {
        Assert.Equal("PromiseNotFound", Assert.Throws<KratixException>(() => PipelineInvocation.ReadPromise(Items("apiVersion: v1\nkind: Namespace\nmetadata: {name: x}\n"), "ns.yaml")).ErrorId);
        Assert.Equal("PromiseAmbiguous", Assert.Throws<KratixException>(() => PipelineInvocation.ReadPromise(Items(PromiseYaml + "\n---\n" + PromiseYaml), "two.yaml")).ErrorId);

        var broken = PromiseYaml.Replace("metadata: {name: setup}", "metadata: {name: Not_A_Label}", StringComparison.Ordinal);
        var ex = Assert.Throws<AdmissionException>(() => PipelineInvocation.ReadPromise(Items(broken), "broken.yaml"));
        Assert.Equal("PromiseInvalid", ex.ErrorId);
    }

    [Fact]
    public void The_workflow_defaults_to_resource_configure_with_a_request_and_promise_configure_without()
    {
        Assert.Equal("resource.configure", Create(hasRequest: true).Workflow);
        Assert.Equal("promise.configure", Create(hasRequest: false).Workflow);
        Assert.Equal("resource.delete", Create(new PipelineInvocationOptions { Workflow = "Resource.Delete" }).Workflow);
    }

    [Theory]
    [InlineData("resource.configure", false, "RequestRequired")]
    [InlineData("promise.configure", true, "RequestNotUsed")]
    [InlineData("promise.delete", false, "WorkflowNotDefined")]
    [InlineData("resource.update", true, "WorkflowUnknown")]
    public void A_workflow_that_cannot_run_is_refused_before_anything_runs(string workflow, bool hasRequest, string errorId)
    {
        var ex = Assert.Throws<KratixException>(() => Create(new PipelineInvocationOptions { Workflow = workflow }, hasRequest));

        Assert.Equal(errorId, ex.ErrorId);
    }

    [Fact]
    public void A_missing_workflow_error_lists_the_workflows_the_Promise_has()
    {
        var ex = Assert.Throws<KratixException>(() => Create(new PipelineInvocationOptions { Workflow = "promise.delete" }, hasRequest: false));

        Assert.Contains("It defines: resource.configure, resource.delete, promise.configure.", ex.Message);
    }

    [Fact]
    public void An_unknown_pipeline_is_refused_listing_the_pipelines()
    {
        var ex = Assert.Throws<KratixException>(() => Create(new PipelineInvocationOptions { Pipeline = "third" }));

        Assert.Equal("PipelineNotFound", ex.ErrorId);
        Assert.Equal(KratixErrorCategory.ObjectNotFound, ex.Category);
        Assert.Contains("Its resource.configure pipelines are: first, second.", ex.Message);
    }

    [Fact]
    public void Only_the_first_pipeline_of_a_delete_workflow_can_be_chosen_as_only_it_ever_runs()
    {
        var ex = Assert.Throws<KratixException>(() => Create(new PipelineInvocationOptions { Workflow = "resource.delete", Pipeline = "never" }));

        Assert.Equal("PipelineNotFound", ex.ErrorId);
        Assert.Contains("Kratix runs only the first pipeline of a delete workflow, \"cleanup\"", ex.Message);
        Assert.Equal("resource.delete", Create(new PipelineInvocationOptions { Workflow = "resource.delete", Pipeline = "cleanup" }).Workflow);
    }

    [Fact]
    public void The_request_is_defaulted_labelled_and_given_the_metadata_the_platform_stores()
    {
        var now = new DateTimeOffset(2024, 5, 6, 7, 8, 9, TimeSpan.Zero);

        var request = Create().Prepare(GoodRequest(), new Kratix.Tests.Workflows.ManualClock(now), out var warnings);

        Assert.Empty(warnings);
        Assert.Equal("resource", request.WorkflowType);
        Assert.Equal("configure", request.Action);
        Assert.Equal(["first", "second"], request.Pipelines.Select(p => p.Name));
        var obj = new ResourceRequest(request.Object);
        Assert.Equal("small", obj.Spec.GetString("size"));
        Assert.Equal("default", obj.Namespace);
        Assert.Equal("thing", obj.GetLabel(KratixApi.PromiseNameLabel));
        Assert.Equal(1, obj.Generation);
        Assert.True(Guid.TryParse(obj.Uid, out _));
        Assert.Equal("2024-05-06T07:08:09Z", obj.Metadata.GetString("creationTimestamp"));
        Assert.Null(request.Object["status"]);
        Assert.Same(Values, request.Values);
    }

    [Fact]
    public void A_request_without_apiVersion_and_kind_gets_the_Promises()
    {
        var item = new ManifestItem(new JsonObject { ["metadata"] = new JsonObject { ["name"] = "short", ["namespace"] = "team-a" }, ["spec"] = new JsonObject { ["replicas"] = 1 } }, null);

        var obj = new KubeObject(Create().Prepare(item, TimeProvider.System, out _).Object);

        Assert.Equal(("test.kratix.io/v1alpha1", "Thing", "team-a"), (obj.ApiVersion, obj.Kind, obj.Namespace));
    }

    [Fact]
    public void Unknown_fields_are_pruned_with_a_warning_each()
    {
        var item = Request("apiVersion: test.kratix.io/v1alpha1\nkind: Thing\nmetadata: {name: a}\nspec: {replicas: 1, colour: blue}\n");

        var request = Create().Prepare(item, TimeProvider.System, out var warnings);

        Assert.Equal(["unknown field \"spec.colour\""], warnings);
        Assert.Null(request.Object["spec"]!["colour"]);
    }

    [Fact]
    public void An_invalid_request_is_refused_naming_every_failing_field_where_it_is()
    {
        var item = Request("apiVersion: test.kratix.io/v1alpha1\nkind: Thing\nmetadata: {name: Bad_Name}\nspec:\n  size: huge\n");

        var ex = Assert.Throws<AdmissionException>(() => Create().Prepare(item, TimeProvider.System, out _));

        Assert.Equal("RequestInvalid", ex.ErrorId);
        Assert.Contains(ex.Problems, p => p.Contains("metadata.name: Invalid value: \"Bad_Name\"", StringComparison.Ordinal));
        Assert.Contains(ex.Problems, p => p.Contains(":5:3: spec.size: Unsupported value: \"huge\"", StringComparison.Ordinal));
        Assert.Contains(ex.Problems, p => p.Contains("spec.replicas: Required value", StringComparison.Ordinal));
    }

    [Fact]
    public void A_request_of_another_kind_is_refused()
    {
        var item = Request("apiVersion: other.kratix.io/v1\nkind: Other\nmetadata: {name: a}\n");

        Assert.Equal("RequestKindMismatch", Assert.Throws<KratixException>(() => Create().Prepare(item, TimeProvider.System, out _)).ErrorId);
    }

    [Fact]
    public void The_request_keeps_the_status_it_came_with_unless_one_is_given()
    {
        var withStatus = Request("apiVersion: test.kratix.io/v1alpha1\nkind: Thing\nmetadata: {name: a}\nspec: {replicas: 1}\nstatus: {stage: one}\n");

        Assert.Equal("one", Create().Prepare(withStatus, TimeProvider.System, out _).Object["status"]!["stage"]!.GetValue<string>());
        var given = Create(new PipelineInvocationOptions { Status = new JsonObject { ["stage"] = "two" } }).Prepare(withStatus, TimeProvider.System, out _);
        Assert.Equal("two", given.Object["status"]!["stage"]!.GetValue<string>());
    }

    [Fact]
    public void A_promise_workflow_runs_for_the_Promise_with_the_status_the_platform_gives_it()
    {
        var request = Create(hasRequest: false).Prepare(null, TimeProvider.System, out _);

        Assert.Equal(("promise", "configure"), (request.WorkflowType, request.Action));
        var status = request.Object["status"]!.AsObject();
        Assert.Equal("Thing", status.GetString("kind"));
        Assert.Equal("test.kratix.io/v1alpha1", status.GetString("apiVersion"));
        Assert.Equal("v1.2.0", status.GetString("version"));
    }

    [Fact]
    public async Task Runtime_names_and_arguments_are_checked_when_the_runtime_is_resolved()
    {
        var unknown = Create(new PipelineInvocationOptions { Runtime = "lxc" });
        Assert.Equal(PipelineRuntimeErrors.RuntimeUnknown, (await Assert.ThrowsAsync<KratixException>(() => unknown.ResolveRuntimeAsync(CancellationToken.None))).ErrorId);

        var hostWithArguments = Create(new PipelineInvocationOptions { Runtime = "Host", RuntimeArguments = ["--privileged"] });
        Assert.Equal("RuntimeArgumentsNotApplicable", (await Assert.ThrowsAsync<KratixException>(() => hostWithArguments.ResolveRuntimeAsync(CancellationToken.None))).ErrorId);
    }

    [Fact]
    public async Task Each_pipeline_runs_in_order_and_the_next_one_sees_the_status_the_previous_one_wrote()
    {
        var runtime = new ScriptedRuntime(run =>
        {
            if (run.Container.Name == "first-step")
            {
                File.WriteAllText(Path.Combine(run.OutputDirectory, "configmap.yaml"), "apiVersion: v1\nkind: ConfigMap\nmetadata: {name: made}\n");
                File.WriteAllText(Path.Combine(run.MetadataDirectory, "status.yaml"), "stage: one\n");
            }
            else
            {
                var input = File.ReadAllText(Path.Combine(run.InputDirectory, "object.yaml"));
                File.WriteAllText(Path.Combine(run.OutputDirectory, "seen.txt"), input.Contains("stage: one", StringComparison.Ordinal) ? "saw stage one" : "no stage");
            }

            return new ContainerRunResult(0, $"{run.Container.Name} done\n", TimeSpan.FromMilliseconds(5), false);
        });
        var invocation = Create();
        var progress = new List<string>();

        var result = await invocation.RunAsync(invocation.Prepare(GoodRequest(), TimeProvider.System, out _), runtime, progress.Add, CancellationToken.None);

        Assert.True(result.Succeeded);
        Assert.Equal(["first", "second"], result.Pipelines.Select(p => p.Name));
        var views = PipelineResultView.From(result);
        Assert.Equal("ConfigMap", Assert.Single(views[0].Documents).Content["kind"]);
        Assert.Equal("one", views[0].StatusFile!["stage"]);
        Assert.Equal("saw stage one", Assert.Single(views[1].Files).Text);
        Assert.Equal("one", views[1].Status["stage"]);
        Assert.Contains(progress, line => line.Contains("first", StringComparison.Ordinal));
        Assert.Equal("hunter22", runtime.Runs[0].Environment.Single(e => e.Key == "PASSWORD").Value);
        Assert.Null(views[0].WorkspacePath);
    }

    [Fact]
    public async Task Only_the_chosen_pipeline_runs()
    {
        var runtime = new ScriptedRuntime(_ => new ContainerRunResult(0, string.Empty, TimeSpan.Zero, false));
        var invocation = Create(new PipelineInvocationOptions { Pipeline = "second" });

        var result = await invocation.RunAsync(invocation.Prepare(GoodRequest(), TimeProvider.System, out _), runtime, null, CancellationToken.None);

        Assert.Equal("second", Assert.Single(result.Pipelines).Name);
        Assert.Equal(["second-step"], runtime.Runs.Select(r => r.Container.Name));
    }

    [Fact]
    public async Task OutputPath_keeps_each_workspace_in_a_folder_named_after_its_pipeline()
    {
        using var folder = new TempDirectory();
        var output = folder.Combine("out");
        var runtime = new ScriptedRuntime(run =>
        {
            File.WriteAllText(Path.Combine(run.OutputDirectory, run.Container.Name + ".yaml"), "kind: Namespace\n");
            return new ContainerRunResult(0, "log of " + run.Container.Name + "\n", TimeSpan.Zero, false);
        });
        var invocation = Create(new PipelineInvocationOptions { OutputPath = output, Values = Values });

        var result = await invocation.RunAsync(invocation.Prepare(GoodRequest(), TimeProvider.System, out _), runtime, null, CancellationToken.None);

        Assert.Equal(Path.Combine(output, "first"), result.Pipelines[0].WorkspacePath);
        Assert.True(File.Exists(Path.Combine(output, "first", "input", "object.yaml")));
        Assert.True(File.Exists(Path.Combine(output, "first", "output", "first-step.yaml")));
        Assert.True(Directory.Exists(Path.Combine(output, "first", "metadata")));
        Assert.Equal("log of first-step\n", File.ReadAllText(Path.Combine(output, "first", "logs", "first-step.log")));
        Assert.True(File.Exists(Path.Combine(output, "second", "output", "second-step.yaml")));

        // A second run replaces what the first left.
        File.WriteAllText(Path.Combine(output, "first", "output", "stale.yaml"), "kind: Stale\n");
        await invocation.RunAsync(invocation.Prepare(GoodRequest(), TimeProvider.System, out _), runtime, null, CancellationToken.None);
        Assert.False(File.Exists(Path.Combine(output, "first", "output", "stale.yaml")));
    }

    [Fact]
    public async Task A_failing_container_fails_its_pipeline_with_an_id_and_category_and_later_pipelines_do_not_run()
    {
        var runtime = new ScriptedRuntime(run => new ContainerRunResult(3, "boom\n", TimeSpan.Zero, false));
        var invocation = Create();

        var result = await invocation.RunAsync(invocation.Prepare(GoodRequest(), TimeProvider.System, out _), runtime, null, CancellationToken.None);

        var failed = Assert.Single(result.Pipelines);
        Assert.Equal(PipelinePhases.Failed, failed.Phase);
        Assert.Equal(WorkflowExecutor.ContainerFailedErrorId, failed.FailureId);
        Assert.Equal(KratixErrorCategory.InvalidResult, failed.FailureCategory);
        Assert.Contains("boom", new PipelineResultView(result, failed).FailureMessage);
    }

    [Fact]
    public async Task A_container_stopped_at_its_time_limit_is_an_operation_timeout()
    {
        var runtime = new ScriptedRuntime(run => new ContainerRunResult(-1, string.Empty, run.Timeout, true));
        var invocation = Create(new PipelineInvocationOptions { Timeout = TimeSpan.FromSeconds(7), Values = Values });

        var result = await invocation.RunAsync(invocation.Prepare(GoodRequest(), TimeProvider.System, out _), runtime, null, CancellationToken.None);

        Assert.Equal(TimeSpan.FromSeconds(7), runtime.Runs[0].Timeout);
        Assert.Equal(WorkflowExecutor.ContainerTimedOutErrorId, result.Pipelines[0].FailureId);
        Assert.Equal(KratixErrorCategory.OperationTimeout, result.Pipelines[0].FailureCategory);
    }

    [Fact]
    public async Task MaxOutputBytes_limits_each_pipeline_of_this_run_and_a_pipeline_over_it_fails_naming_itself_and_the_limit()
    {
        var runtime = new ScriptedRuntime(run =>
        {
            File.WriteAllText(Path.Combine(run.OutputDirectory, "a.yaml"), new string('a', 600));
            File.WriteAllText(Path.Combine(run.OutputDirectory, "b.yaml"), new string('b', 600));
            return new ContainerRunResult(0, string.Empty, TimeSpan.Zero, false);
        });
        var invocation = Create(new PipelineInvocationOptions { MaxOutputBytes = 1000, Values = Values });
        Assert.Equal(1000, invocation.ExecutorOptions(null).MaxOutputBytes);

        var result = await invocation.RunAsync(invocation.Prepare(GoodRequest(), TimeProvider.System, out _), runtime, null, CancellationToken.None);

        var failed = Assert.Single(result.Pipelines);
        Assert.Equal((PipelinePhases.Failed, PipelineOutputReader.TooLargeErrorId, KratixErrorCategory.LimitsExceeded), (failed.Phase, failed.FailureId, failed.FailureCategory));
        Assert.Contains("Pipeline \"first\" wrote more than 1,000 bytes to /kratix/output (reached at b.yaml)", new PipelineResultView(result, failed).FailureMessage);
        Assert.Empty(failed.WorkloadGroups);

        // The same output passes under the default limit: the limit, not the files, refused it.
        var unlimited = Create();
        Assert.Equal(64L * 1024 * 1024, unlimited.ExecutorOptions(null).MaxOutputBytes);
        var passed = await unlimited.RunAsync(unlimited.Prepare(GoodRequest(), TimeProvider.System, out _), runtime, null, CancellationToken.None);
        Assert.All(passed.Pipelines, p => Assert.Equal(PipelinePhases.Succeeded, p.Phase));
    }

    [Theory]
    [InlineData(0L)]
    [InlineData(-1L)]
    public void An_output_limit_that_is_not_positive_is_refused_before_anything_runs(long limit)
    {
        var ex = Assert.Throws<KratixException>(() => Create(new PipelineInvocationOptions { MaxOutputBytes = limit, Values = Values }));

        Assert.Equal(("PipelineOutputLimitInvalid", KratixErrorCategory.InvalidArgument), (ex.ErrorId, ex.Category));
        Assert.StartsWith("-MaxOutputBytes must be a positive number of bytes", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_container_that_cannot_start_fails_with_the_runtimes_error_id()
    {
        var runtime = new ScriptedRuntime(_ => throw new KratixException(PipelineRuntimeErrors.ImageNotFound, KratixErrorCategory.ObjectNotFound, "no such image"));
        var invocation = Create();

        var result = await invocation.RunAsync(invocation.Prepare(GoodRequest(), TimeProvider.System, out _), runtime, null, CancellationToken.None);

        Assert.Equal(PipelineRuntimeErrors.ImageNotFound, result.Pipelines[0].FailureId);
        Assert.Equal(KratixErrorCategory.ObjectNotFound, result.Pipelines[0].FailureCategory);
        Assert.Equal(-1, result.Pipelines[0].Containers[0].ExitCode);
    }

    [Fact]
    public async Task A_secret_that_is_not_given_fails_the_pipeline_saying_how_to_give_it()
    {
        var runtime = new ScriptedRuntime(_ => new ContainerRunResult(0, string.Empty, TimeSpan.Zero, false));
        var invocation = Create(new PipelineInvocationOptions());

        var result = await invocation.RunAsync(invocation.Prepare(GoodRequest(), TimeProvider.System, out _), runtime, null, CancellationToken.None);

        Assert.Equal("PipelineEnvUnresolvable", result.Pipelines[0].FailureId);
        Assert.Contains("-Secret", result.Pipelines[0].Error);
        Assert.Empty(runtime.Runs);
    }

    /// <summary>A runtime that runs a delegate instead of a container, recording each run.</summary>
    private sealed class ScriptedRuntime(Func<ContainerRunRequest, ContainerRunResult> run) : IContainerRuntime
    {
        public List<ContainerRunRequest> Runs { get; } = [];

        public string Name => "Scripted";

        public Task<string?> ProbeAsync(CancellationToken cancellationToken) => Task.FromResult<string?>(null);

        public Task<ContainerRunResult> RunAsync(ContainerRunRequest request, CancellationToken cancellationToken)
        {
            var result = run(request);
            Runs.Add(request);
            return Task.FromResult(result);
        }
    }
}

/// <summary>Invoke-KratixPipeline's engine on the real Host runtime (bubblewrap), with an image folder from the image map.</summary>
[SupportedOSPlatform("linux")]
public class PipelineInvocationHostTests
{
    [Fact]
    public async Task A_pipeline_script_from_an_image_folder_runs_on_the_Host_runtime()
    {
        _ = Kratix.Tests.Pipelines.Runtimes.TestTools.Bwrap;
        using var folder = new TempDirectory();
        var image = folder.Combine("image");
        Directory.CreateDirectory(Path.Combine(image, "usr", "bin"));
        File.WriteAllText(Path.Combine(image, "usr", "bin", "configure.sh"), """
            #!/bin/sh
            set -eu
            name=$(sed -n 's/^  name: //p' /kratix/input/object.yaml | head -n 1)
            size=$(sed -n 's/^  size: //p' /kratix/input/object.yaml)
            cat > /kratix/output/configmap.yaml <<EOF
            apiVersion: v1
            kind: ConfigMap
            metadata:
              name: $name-config
            data:
              size: $size
              workflow: $KRATIX_WORKFLOW_TYPE.$KRATIX_WORKFLOW_ACTION
            EOF
            echo "message: configured $name" > /kratix/metadata/status.yaml
            echo "configured $name"
            """.Replace("\r\n", "\n", StringComparison.Ordinal));
        var promise = PipelineInvocation.ReadPromise(ManifestInput.FromObject("""
            apiVersion: platform.kratix.io/v1alpha1
            kind: Promise
            metadata: {name: app}
            spec:
              api:
                apiVersion: apiextensions.k8s.io/v1
                kind: CustomResourceDefinition
                metadata: {name: apps.test.kratix.io}
                spec:
                  group: test.kratix.io
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
                            properties:
                              size: {type: string, default: small}
              workflows:
                resource:
                  configure:
                  - apiVersion: platform.kratix.io/v1alpha1
                    kind: Pipeline
                    metadata: {name: configure}
                    spec:
                      containers:
                      - {name: configure, image: example/app-configure:v1}
            """), "app.yaml");
        var invocation = PipelineInvocation.Create(promise, new PipelineInvocationOptions
        {
            Runtime = "Host",
            Images = new Dictionary<string, HostImage> { ["example/app-configure:v1"] = new(image, ["sh", "/usr/bin/configure.sh"]) },
            Timeout = TimeSpan.FromMinutes(1),
        }, hasRequest: true);
        var request = invocation.Prepare(ManifestInput.FromObject("apiVersion: test.kratix.io/v1\nkind: App\nmetadata: {name: web}\nspec: {}\n").Single(), TimeProvider.System, out _);

        var runtime = await invocation.ResolveRuntimeAsync(CancellationToken.None);
        var result = await invocation.RunAsync(request, runtime, null, CancellationToken.None);

        var view = Assert.Single(PipelineResultView.From(result));
        Assert.True(view.Succeeded, view.Error + "\n" + string.Join("\n", view.Containers.Select(c => c.Log)));
        Assert.Equal("Host", view.Runtime);
        var document = Assert.Single(view.Documents);
        Assert.Equal("web-config", ((System.Collections.Specialized.OrderedDictionary)document.Content["metadata"]!)["name"]);
        var data = (System.Collections.Specialized.OrderedDictionary)document.Content["data"]!;
        Assert.Equal(("small", "resource.configure"), (data["size"], data["workflow"]));
        Assert.Equal("configured web", view.Status["message"]);
        Assert.Equal("configured web\n", view.Containers[0].Log);
        Assert.Equal(0, view.Containers[0].ExitCode);
    }

    /// <summary>examples/promise-test, as its Promise.Tests.ps1 runs it: the Promise, its request and its image folder.</summary>
    [Fact]
    public async Task The_promise_test_example_renders_what_its_Pester_test_expects()
    {
        _ = Kratix.Tests.Pipelines.Runtimes.TestTools.Bwrap;
        var example = Path.Combine(Kratix.Tests.TestPaths.RepositoryRoot, "examples", "promise-test");
        var script = Path.Combine(example, "image", "usr", "bin", "configure.sh");
        Assert.True((File.GetUnixFileMode(script) & UnixFileMode.UserExecute) != 0, $"{script} must be executable: it is the image's entrypoint.");
        var promise = PipelineInvocation.ReadPromise(ManifestInput.FromFile(Path.Combine(example, "promise.yaml")), "promise.yaml");
        var invocation = PipelineInvocation.Create(promise, new PipelineInvocationOptions
        {
            Runtime = "Host",
            Images = new Dictionary<string, HostImage> { ["ghcr.io/example/app-pipeline:v0.1.0"] = new(Path.Combine(example, "image"), ["/usr/bin/configure.sh"]) },
        }, hasRequest: true);
        var runtime = await invocation.ResolveRuntimeAsync(CancellationToken.None);

        var exposed = Assert.Single(PipelineResultView.From(await invocation.RunAsync(
            invocation.Prepare(ManifestInput.FromFile(Path.Combine(example, "request.yaml")).Single(), TimeProvider.System, out _), runtime, null, CancellationToken.None)));
        var defaults = Assert.Single(PipelineResultView.From(await invocation.RunAsync(
            invocation.Prepare(new ManifestItem(new JsonObject { ["metadata"] = new JsonObject { ["name"] = "internal" }, ["spec"] = new JsonObject { ["image"] = "nginx:1.27" } }, null), TimeProvider.System, out _),
            runtime, null, CancellationToken.None)));

        Assert.True(exposed.Succeeded, exposed.Error + "\n" + exposed.Containers[0].Log);
        var deployment = exposed.Documents.Single(d => (string?)d.Content["kind"] == "Deployment").Content;
        Assert.Equal("shop", Map(deployment["metadata"])["name"]);
        Assert.Equal("team-a", Map(deployment["metadata"])["namespace"]);
        Assert.Equal(3L, Map(deployment["spec"])["replicas"]);
        var container = Map(((object?[])Map(Map(Map(deployment["spec"])["template"])["spec"])["containers"]!)[0]);
        Assert.Equal("ghcr.io/example/shop:1.4.2", container["image"]);
        var service = exposed.Documents.Single(d => (string?)d.Content["kind"] == "Service").Content;
        Assert.Equal(80L, Map(((object?[])Map(service["spec"])["ports"]!)[0])["port"]);
        Assert.Equal("http://shop.team-a.svc", exposed.Status["url"]);
        Assert.Equal("dev", Assert.Single(exposed.WorkloadGroups).DestinationSelectors[0].MatchLabels["environment"]);

        Assert.True(defaults.Succeeded, defaults.Error + "\n" + defaults.Containers[0].Log);
        Assert.Equal(1L, Map(defaults.Documents.Single(d => (string?)d.Content["kind"] == "Deployment").Content["spec"])["replicas"]);
        Assert.DoesNotContain(defaults.Documents, d => (string?)d.Content["kind"] == "Service");
        Assert.Equal("none", defaults.Status["url"]);

        static System.Collections.Specialized.OrderedDictionary Map(object? value) => Assert.IsType<System.Collections.Specialized.OrderedDictionary>(value);
    }
}
