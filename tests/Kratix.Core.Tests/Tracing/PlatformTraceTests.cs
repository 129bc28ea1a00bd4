using System.Collections.Specialized;
using System.Text.Json.Nodes;
using Kratix.Objects;
using Kratix.Pipelines.Runtimes;
using Kratix.Tests.Platforms;
using Kratix.Tests.Workflows;
using Kratix.Tracing;
using static Kratix.Tests.Platforms.PlatformFixture;
using static Kratix.Tests.Workflows.WorkflowPromises;

namespace Kratix.Tests.Tracing;

/// <summary>
/// Trace-KratixRequest's and Trace-KratixPromise's engine: traces built from real platforms whose pipelines run on the
/// Host runtime and whose state store is a real bare git remote.
/// </summary>
[System.Runtime.Versioning.SupportedOSPlatform("linux")]
public sealed class PlatformTraceTests : IDisposable
{
    private readonly ManualClock _clock = new(new DateTimeOffset(2026, 11, 21, 10, 0, 0, TimeSpan.Zero));
    private readonly PlatformFixture _f;

    public PlatformTraceTests()
    {
        _f = new PlatformFixture(PipelineRuntimes.Create("Host"), _clock);
        _f.RegisterGitStore();
        _f.RegisterDestination("dev", "{environment: dev}");
    }

    public void Dispose() => _f.Dispose();

    private const string ConfigMapScript = """
        echo "rendering $KRATIX_OBJECT_NAME"
        printf 'kind: ConfigMap\nmetadata:\n  name: %s\n' "$KRATIX_OBJECT_NAME" > /kratix/output/configmap.yaml
        """;

    private TraceNode TraceOf(string name, string ns = "default") =>
        PlatformTrace.Request(TraceSnapshot.From(_f.Platform), _f.Platform.GetRequests().Single(r => r.Name == name && r.Namespace == ns));

    [Fact]
    public void A_reconciled_request_traces_to_its_run_its_work_the_placement_the_destination_and_the_commit_that_wrote_it()
    {
        _f.Platform.InstallPromise(Yaml(Promise(WorkflowSpec(resourceConfigure: [Pipeline("instance", ConfigMapScript)]))));
        _f.Platform.SubmitRequest(Yaml(Request()));

        var trace = TraceOf("example");

        Assert.Equal(("Thing", "example", "default", "Reconciled", true), (trace.Kind, trace.Name, trace.Namespace, trace.Status, trace.Ready));
        Assert.Equal("Reconciled", trace.Reason);
        Assert.Contains(trace.Conditions, c => c.Type == "Reconciled" && c.IsTrue);
        Assert.Equal(["Workflow", "Work"], trace.Children.Select(c => c.Kind));

        var workflow = trace.Children[0];
        Assert.Equal(("resource.configure", "Succeeded", true), (workflow.Name, workflow.Status, workflow.Ready));
        Assert.Equal("Host", workflow.Details["Runtime"]);
        Assert.Equal(_clock.Now, workflow.Details["FinishedAt"]);
        var logs = Assert.IsType<string>(workflow.Details["LogDirectory"]);
        Assert.Equal(Path.Combine(_f.Home, "workflows", "resource-configure", "thing", "default", "example"), logs);
        var pipeline = Assert.Single(workflow.Children);
        Assert.Equal(("Pipeline", "instance", "Succeeded"), (pipeline.Kind, pipeline.Name, pipeline.Status));
        Assert.IsType<TimeSpan>(pipeline.Details["Duration"]);
        var container = Assert.Single(pipeline.Children);
        Assert.Equal(("Container", "instance-c", "Succeeded", 0), (container.Kind, container.Name, container.Status, (int)container.Details["ExitCode"]!));
        Assert.Equal("rendering example\n", File.ReadAllText(Assert.IsType<string>(container.Details["LogPath"])));

        var work = trace.Children[1];
        Assert.Equal(("Work", "default", "Ready", true), (work.Kind, work.Namespace, work.Status, work.Ready));
        Assert.StartsWith("thing-example-instance-", work.Name, StringComparison.Ordinal);
        var placement = Assert.Single(work.Children);
        Assert.Equal(("WorkPlacement", "Ready", true, "WorkloadsWrittenToTargetDestination"), (placement.Kind, placement.Status, placement.Ready, placement.Reason));
        var head = TryGit(_f.Root, "--git-dir", _f.Remote, "rev-parse", "main").Output.Trim();
        Assert.Equal(head, placement.Details["Commit"]);
        var path = Assert.Single(Assert.IsType<string[]>(placement.Details["Paths"]));
        Assert.Equal("dev/resources/default/thing/example/instance/5058f/configmap.yaml", path);
        Assert.Equal("kind: ConfigMap\nmetadata:\n  name: example\n", _f.RemoteFile(path));
        Assert.Equal("dev", placement.Details["Destination"]);
        Assert.Equal("GitStateStore/default", placement.Details["StateStore"]);

        var destination = Assert.Single(placement.Children);
        Assert.Equal(("Destination", "dev", "Ready", true), (destination.Kind, destination.Name, destination.Status, destination.Ready));
        var store = Assert.Single(destination.Children);
        Assert.Equal(("GitStateStore", "default", "Ready", true), (store.Kind, store.Name, store.Status, store.Ready));
        Assert.Equal(_f.Remote, store.Details["Url"]);
        Assert.Equal(["dev"], (string[])trace.Details["Destinations"]!);
        Assert.Equal(["dev"], trace.Find("Destination").Select(d => d.Name));
    }

    [Fact]
    public void The_tree_view_reads_as_a_tree_and_fits_120_columns()
    {
        _f.Platform.InstallPromise(Yaml(Promise(WorkflowSpec(resourceConfigure: [Pipeline("instance", ConfigMapScript)]))));
        _f.Platform.SubmitRequest(Yaml(Request(name: "a-request-with-a-rather-long-name-to-push-the-columns")));

        var lines = TraceOf("a-request-with-a-rather-long-name-to-push-the-columns").Tree.Split('\n');

        Assert.All(lines, line => Assert.True(line.Length <= TraceRenderer.Width, $"{line.Length} columns: {line}"));
        Assert.StartsWith("Thing default/a-request-with-a-rather-long-name-to-push-the-columns", lines[0], StringComparison.Ordinal);
        Assert.Contains(lines, l => l.StartsWith("├─ Workflow resource.configure", StringComparison.Ordinal) && l.Contains("Succeeded", StringComparison.Ordinal));
        Assert.Contains(lines, l => l.StartsWith("│  └─ Pipeline instance", StringComparison.Ordinal));
        Assert.Contains(lines, l => l.StartsWith("└─ Work default/thing-a-request", StringComparison.Ordinal));
        Assert.Contains(lines, l => l.StartsWith("   └─ WorkPlacement default/thing-a-request", StringComparison.Ordinal) && l.EndsWith("Ready", StringComparison.Ordinal));
        Assert.Contains(lines, l => l.StartsWith("      │", StringComparison.Ordinal) && l.Contains("commit ", StringComparison.Ordinal) && l.EndsWith("· 1 file", StringComparison.Ordinal));
        Assert.Contains(lines, l => l.StartsWith("│  │  logs: ", StringComparison.Ordinal));
        Assert.Contains(lines, l => l.Replace("│", string.Empty, StringComparison.Ordinal).Trim() == "dev/resources/default/thing/a-request-with-a-rather-long-name-to-push-the-columns/instance/5058f/configmap.yaml");
        Assert.Contains(lines, l => l.StartsWith("      └─ Destination dev", StringComparison.Ordinal) && l.Contains("environment=dev", StringComparison.Ordinal));
        Assert.Contains(lines, l => l.StartsWith("         └─ GitStateStore default", StringComparison.Ordinal) && l.Contains("Ready", StringComparison.Ordinal));
    }

    [Fact]
    public void A_failing_pipeline_is_the_reason_with_its_error_and_the_end_of_its_log_and_later_pipelines_did_not_run()
    {
        _f.Platform.InstallPromise(Yaml(Promise(WorkflowSpec(resourceConfigure: [
            Pipeline("first", "echo connecting; echo 'database refused the login' >&2; exit 3"),
            Pipeline("second", ConfigMapScript)]))));
        _f.Platform.SubmitRequest(Yaml(Request()));

        var trace = TraceOf("example");

        Assert.Equal(("Failing", false, "ConfigureWorkflowFailed"), (trace.Status, trace.Ready, trace.Reason));
        var workflow = trace.Children[0];
        Assert.Equal(("Failed", "ConfigureWorkflowFailed", "A Configure Pipeline has failed: first"), (workflow.Status, workflow.Reason, workflow.Message));
        var (first, second) = (workflow.Children[0], workflow.Children[1]);
        Assert.Equal(("Failed", "PipelineFailed"), (first.Status, first.Reason));
        Assert.Contains("exited with code 3", first.Message, StringComparison.Ordinal);
        Assert.Equal(("NotRun", "NotRun"), (second.Status, second.Reason));
        Assert.Empty(second.Children);
        var container = Assert.Single(first.Children);
        Assert.Equal(("Failed", "ContainerFailed", 3), (container.Status, container.Reason, (int)container.Details["ExitCode"]!));
        var log = Assert.IsType<string>(container.Details["LogPath"]);
        Assert.Contains("database refused the login", File.ReadAllText(log), StringComparison.Ordinal);
        Assert.Contains("database refused the login", Assert.IsType<string[]>(container.Details["LogTail"]));

        // The root says why, from the deepest thing that failed: the container, its exit code and where its log is.
        Assert.StartsWith("Container first-c: exited with code 3; log: " + log, trace.Message, StringComparison.Ordinal);
        Assert.Contains("│ database refused the login", trace.Tree, StringComparison.Ordinal);
        Assert.DoesNotContain(trace.Children, c => c.Kind == "Work");
    }

    [Fact]
    public void A_workload_group_no_destination_matches_is_unscheduled_and_says_which_labels_it_needs_and_what_the_destinations_have()
    {
        _f.Platform.InstallPromise(Yaml(Promise(
            WorkflowSpec(resourceConfigure: [Pipeline("instance", ConfigMapScript)]),
            extraSpec: "  destinationSelectors:\n  - matchLabels: {environment: prod}")));
        _f.Platform.SubmitRequest(Yaml(Request()));

        var trace = TraceOf("example");

        Assert.Equal(("Pending", false, "WorksPending"), (trace.Status, trace.Ready, trace.Reason));
        var work = Assert.Single(trace.Children, c => c.Kind == "Work");
        Assert.Equal(("Pending", "UnscheduledWorkloads"), (work.Status, work.Reason));
        Assert.Equal($"No matching destination found for workloadGroups: [{KratixApi.DefaultWorkloadGroupId}]", work.Message);
        var group = Assert.Single(work.Children);
        Assert.Equal(("WorkloadGroup", "5058f", "Unscheduled", "UnscheduledWorkloads"), (group.Kind, group.Name, group.Status, group.Reason));
        Assert.Equal("no Destination matches environment=prod: dev has environment=dev", group.Message);
        Assert.Equal("WorkloadGroup 5058f: no Destination matches environment=prod: dev has environment=dev", trace.Message);
        Assert.Equal("prod", ((OrderedDictionary)group.Details["Selector"]!)["environment"]);
    }

    [Fact]
    public void A_placement_whose_destination_no_longer_matches_is_misplaced_naming_both_label_sets()
    {
        _f.Platform.InstallPromise(Yaml(Promise(
            WorkflowSpec(resourceConfigure: [Pipeline("instance", ConfigMapScript)]),
            extraSpec: "  destinationSelectors:\n  - matchLabels: {environment: dev}")));
        _f.Platform.SubmitRequest(Yaml(Request()));
        var dev = _f.Platform.GetDestinations().Single(d => d.Name == "dev").Node.DeepClone().AsObject();
        ((JsonObject)dev["metadata"]!)["labels"] = new JsonObject { ["environment"] = "staging" };
        dev.Remove("status");
        _f.Platform.RegisterDestination(dev);

        var trace = TraceOf("example");

        var placement = Assert.Single(trace.Find("WorkPlacement"));
        Assert.Equal(("Misplaced", false, "DestinationSelectorMismatch"), (placement.Status, placement.Ready, placement.Reason));
        Assert.Equal("Destination \"dev\" no longer matches environment=dev (it has environment=staging); its files stay and are still updated", placement.Message);
        Assert.True((bool)placement.Details["Misplaced"]!);
        // The request's own conditions change at its next reconcile; the trace shows the placement's state now, and says so at the root.
        Assert.StartsWith("WorkPlacement " + placement.Name + ": Destination \"dev\" no longer matches environment=dev", trace.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void A_compound_requests_sub_requests_are_traced_beneath_it_whether_applied_by_the_platform_destination_or_labelled()
    {
        _f.RegisterDestination("platform", "{environment: platform}");
        var platform = _f.Platform.GetDestinations().Single(d => d.Name == "platform").Node.DeepClone().AsObject();
        ((JsonObject)platform["metadata"]!)["annotations"] = new JsonObject { ["kratix.io/apply-to-platform"] = "true" };
        platform.Remove("status");
        _f.Platform.RegisterDestination(platform);

        var sub = Yaml(Promise(string.Empty, name: "part"));
        sub["spec"]!.AsObject().Remove("workflows");
        _f.Platform.InstallPromise(sub);
        _f.Platform.InstallPromise(Yaml(Promise(WorkflowSpec(resourceConfigure: [Pipeline("emit", """
            mkdir -p /kratix/output/platform
            printf 'apiVersion: test.kratix.io/v1alpha1\nkind: Part\nmetadata:\n  name: %s-part\n  namespace: %s\nspec: {}\n' "$KRATIX_OBJECT_NAME" "$KRATIX_OBJECT_NAMESPACE" > /kratix/output/platform/part.yaml
            printf -- '- directory: platform\n  matchLabels: {environment: platform}\n' > /kratix/metadata/destination-selectors.yaml
            """)]), name: "stack")));
        _f.Platform.SubmitRequest(Yaml(Request(kind: "Stack")));
        // A sub-request a workflow asked for some other way, labelled as upstream's docs recommend.
        _f.Platform.SubmitRequest(Yaml(Request(name: "labelled", kind: "Part",
            labels: "{kratix.io/component-of-promise-name: stack, kratix.io/component-of-resource-name: example, kratix.io/component-of-resource-namespace: default}")));

        var trace = TraceOf("example");

        Assert.Equal("Stack", trace.Kind);
        var subs = trace.Children.Where(c => c.Kind == "Part").ToList();
        Assert.Equal(["example-part", "labelled"], subs.Select(s => s.Name));
        Assert.All(subs, s => Assert.Equal("stack/default/example", s.Details["Parent"]));
        var applied = subs[0];
        Assert.Equal(("Accepted", true, "NoWorkflow"), (applied.Status, applied.Ready, applied.Reason));
        var placement = Assert.Single(trace.Find("WorkPlacement"));
        Assert.Equal("platform", placement.Details["Destination"]);
        Assert.Contains("applies to this platform", placement.Children[0].Summary, StringComparison.Ordinal);

        // A sub-request written to the platform Destination but not on the platform is shown as not applied.
        _f.Platform.RemoveRequest("part", "default", "example-part");
        var missing = Assert.Single(TraceOf("example").Children, c => c.Kind == "Part" && c.Name == "example-part");
        Assert.Equal(("NotApplied", false, "default"), (missing.Status, missing.Ready, missing.Namespace));
        Assert.Contains("Sync-KratixPlatform", missing.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void A_promise_traces_its_workflow_its_dependency_works_and_with_requests_each_requests_trace()
    {
        var promise = Yaml(Promise(
            WorkflowSpec(promiseConfigure: [Pipeline("setup", "echo 'kind: Namespace' > /kratix/output/ns.yaml")], resourceConfigure: [Pipeline("instance", ConfigMapScript)]),
            extraSpec: "  destinationSelectors:\n  - matchLabels: {environment: dev}"));
        promise["spec"]!["dependencies"] = new JsonArray(new JsonObject { ["apiVersion"] = "v1", ["kind"] = "Namespace", ["metadata"] = new JsonObject { ["name"] = "things" } });
        _f.Platform.InstallPromise(promise);
        _f.Platform.SubmitRequest(Yaml(Request()));
        var snapshot = TraceSnapshot.From(_f.Platform);
        var installed = _f.Platform.GetPromises().Single();

        var trace = PlatformTrace.Promise(snapshot, installed);

        Assert.Equal(("Promise", "thing", "Reconciled", true), (trace.Kind, trace.Name, trace.Status, trace.Ready));
        Assert.Equal(["Workflow", "Work", "Work"], trace.Children.Select(c => c.Kind));
        Assert.Equal("promise.configure", trace.Children[0].Name);
        Assert.Equal("static-dependency", trace.Children[1].Details["WorkType"]);
        Assert.Equal(["dev/dependencies/thing/5058f/static/thing-dependencies.yaml"], (string[])trace.Children[1].Find("WorkPlacement").Single().Details["Paths"]!);
        Assert.Equal(["dev/dependencies/thing/setup/5058f/ns.yaml"], (string[])trace.Children[2].Find("WorkPlacement").Single().Details["Paths"]!);
        Assert.DoesNotContain(trace.Children, c => c.Kind == "Thing");

        var withRequests = PlatformTrace.Promise(snapshot, installed, includeRequests: true);

        var request = Assert.Single(withRequests.Children, c => c.Kind == "Thing");
        Assert.Equal(("example", "Reconciled"), (request.Name, request.Status));
        Assert.Equal(["Workflow", "Work"], request.Children.Select(c => c.Kind));
    }

    [Fact]
    public void A_suspended_pipeline_says_its_message_and_when_it_retries()
    {
        _f.Platform.InstallPromise(Yaml(Promise(WorkflowSpec(resourceConfigure: [
            Pipeline("wait", "printf 'retryAfter: 5m\nmessage: waiting for the database\n' > /kratix/metadata/workflow-control.yaml")]))));
        _f.Platform.SubmitRequest(Yaml(Request()));

        var trace = TraceOf("example");

        Assert.Equal(("Suspended", false), (trace.Status, trace.Ready));
        var pipeline = trace.Children[0].Children[0];
        Assert.Equal(("Suspended", "WorkflowSuspended"), (pipeline.Status, pipeline.Reason));
        Assert.Equal("waiting for the database; retry at 2026-11-21T10:05:00Z, attempt 1", pipeline.Message);
        Assert.Equal("Suspended", trace.Children[0].Status);
        Assert.Equal("Pipeline wait: waiting for the database; retry at 2026-11-21T10:05:00Z, attempt 1", trace.Message);
    }

    [Fact]
    public void The_run_record_keeps_each_pipelines_duration_and_the_platform_reads_it_back()
    {
        _f.Platform.InstallPromise(Yaml(Promise(WorkflowSpec(resourceConfigure: [Pipeline("instance", ConfigMapScript)]))));
        _f.Platform.SubmitRequest(Yaml(Request()));

        var run = _f.Platform.GetWorkflowRun("resource", "configure", "thing", "default", "example");

        Assert.NotNull(run);
        Assert.Equal(("resource.configure", "Host", _clock.Now), (run.Workflow, run.Runtime, run.FinishedAt));
        var pipeline = Assert.Single(run.Pipelines);
        Assert.NotNull(pipeline.RecordedDuration);
        Assert.Equal(Path.Combine(run.LogDirectory, "instance", "instance-c.log"), Assert.Single(pipeline.Containers).LogPath);
        Assert.Contains("durationMilliseconds", File.ReadAllText(run.RecordPath), StringComparison.Ordinal);
        Assert.Null(_f.Platform.GetWorkflowRun("resource", "configure", "thing", "default", "nobody"));
    }

    [Fact]
    public void Bucket_placements_give_each_files_etag_and_paths_under_the_stores_path()
    {
        // A pure function of the objects: no platform, no server.
        var store = new KubeObject(Yaml("""
            apiVersion: platform.kratix.io/v1alpha1
            kind: BucketStateStore
            metadata: {name: bucket}
            spec: {endpoint: s3.example.com, bucketName: kratix, path: clusters}
            status:
              status: Ready
              conditions: [{type: Ready, status: "True", reason: StateStoreReady, message: State store is ready}]
            """));
        var destination = new Destination(Yaml("""
            apiVersion: platform.kratix.io/v1alpha1
            kind: Destination
            metadata: {name: edge, labels: {zone: a}}
            spec: {path: edge, stateStoreRef: {kind: BucketStateStore, name: bucket}}
            """));
        var work = new Work(Yaml($$"""
            apiVersion: platform.kratix.io/v1alpha1
            kind: Work
            metadata:
              name: w-1
              namespace: default
              labels: {kratix.io/promise-name: thing, kratix.io/work-type: resource, kratix.io/pipeline-name: p, kratix.io/resource-name: r}
            spec:
              promiseName: thing
              resourceName: r
              workloadGroups:
              - {id: {{KratixApi.DefaultWorkloadGroupId}}, directory: ., workloads: [{filepath: a.yaml, content: "{{Workload.FromBytes("a.yaml", "hello\n"u8.ToArray()).Content}}"}]}
            status:
              conditions: [{type: Ready, status: "True", reason: AllWorkplacementsScheduled, message: Ready}]
            """));
        var placement = new WorkPlacement(Yaml($$"""
            apiVersion: platform.kratix.io/v1alpha1
            kind: WorkPlacement
            metadata:
              name: w-1.edge-5058f
              namespace: default
              labels: {kratix.io/work: w-1, kratix.io/pipeline-name: p}
            spec:
              targetDestinationName: edge
              promiseName: thing
              resourceName: r
              id: {{KratixApi.DefaultWorkloadGroupId}}
              workloads: [{filepath: a.yaml, content: "{{Workload.FromBytes("a.yaml", "hello\n"u8.ToArray()).Content}}"}]
            status:
              conditions: [{type: Ready, status: "True", reason: WorkloadsWrittenToTargetDestination, message: Ready}]
            """));
        var request = new ResourceRequest(Yaml("""
            apiVersion: test.kratix.io/v1alpha1
            kind: Thing
            metadata: {name: r, namespace: default, labels: {kratix.io/promise-name: thing}}
            status:
              conditions: [{type: Reconciled, status: "True", reason: Reconciled, message: Reconciled}]
            """));
        var snapshot = new TraceSnapshot([new Promise(Yaml(Promise(string.Empty)))], [request], [work], [placement], [destination], [store], (_, _, _, _, _) => null);

        var trace = PlatformTrace.Request(snapshot, request);

        var node = Assert.Single(trace.Find("WorkPlacement"));
        Assert.Equal(["clusters/edge/resources/default/thing/r/p/5058f/a.yaml"], (string[])node.Details["Paths"]!);
        var etags = Assert.IsType<OrderedDictionary>(node.Details["ETags"]);
        Assert.Equal("b1946ac92492d2347c6235b4d2611184", etags["clusters/edge/resources/default/thing/r/p/5058f/a.yaml"]); // md5("hello\n")
        Assert.Null(node.Details["Commit"]);
        Assert.Equal(("BucketStateStore", "Ready"), (node.Children[0].Children[0].Kind, node.Children[0].Children[0].Status));
        Assert.Equal(("Reconciled", true), (trace.Status, trace.Ready));
    }

    [Fact]
    public void Long_text_wraps_under_its_column_and_paths_too_long_for_a_line_are_broken_not_cut()
    {
        var path = string.Join('/', Enumerable.Repeat("a-rather-long-directory-name", 6)) + "/file.yaml";
        var leaf = new TraceNode("WorkPlacement", "wp", "default", "Failing", false, "WorkloadsFailedWrite",
            string.Join(' ', Enumerable.Repeat("the remote refused the push because a hook rejected it;", 4)), "1 file", notes: [path]);
        var root = new TraceNode("Thing", "example", "default", "Failing", false, "WorksFailing", "see below", null, children: [leaf]);

        var lines = root.Tree.Split('\n');

        Assert.All(lines, line => Assert.True(line.Length <= TraceRenderer.Width, $"{line.Length}: {line}"));
        Assert.Equal(path, string.Concat(lines.Where(l => l.Contains("a-rather", StringComparison.Ordinal) || l.Contains("file.yaml", StringComparison.Ordinal)).Select(l => l.Trim())));
        var flowed = System.Text.RegularExpressions.Regex.Replace(root.Tree, @"\s+", " ");
        Assert.Equal(4, System.Text.RegularExpressions.Regex.Matches(flowed, "a hook rejected it;").Count);
        Assert.StartsWith("└─ WorkPlacement default/wp", lines[1], StringComparison.Ordinal);
    }
}

/// <summary>Tracing every request of a large platform reads each object once (the snapshot's indexes), not once per request.</summary>
public sealed class PlatformTraceScaleTests
{
    [Fact]
    public void Tracing_two_thousand_requests_is_linear_in_the_platform_not_quadratic()
    {
        const int count = 2000;
        var content = Workload.FromBytes("cm.yaml", "kind: ConfigMap\n"u8.ToArray()).Content;
        var requests = new List<ResourceRequest>();
        var works = new List<Work>();
        var placements = new List<WorkPlacement>();
        for (var i = 0; i < count; i++)
        {
            requests.Add(new ResourceRequest(Yaml($$"""
                apiVersion: test.kratix.io/v1alpha1
                kind: Thing
                metadata: {name: r{{i}}, namespace: default, labels: {kratix.io/promise-name: thing} }
                status: {conditions: [{type: Reconciled, status: "True", reason: Reconciled, message: Reconciled}]}
                """)));
            works.Add(new Work(Yaml($$"""
                apiVersion: platform.kratix.io/v1alpha1
                kind: Work
                metadata: {name: w{{i}}, namespace: default, labels: {kratix.io/promise-name: thing, kratix.io/work-type: resource, kratix.io/pipeline-name: p, kratix.io/resource-name: r{{i}} } }
                spec: {promiseName: thing, resourceName: r{{i}}, workloadGroups: [{id: {{KratixApi.DefaultWorkloadGroupId}}, directory: ., workloads: [{filepath: cm.yaml, content: "{{content}}"}]}]}
                status: {conditions: [{type: Ready, status: "True", reason: AllWorkplacementsScheduled, message: Ready}]}
                """)));
            placements.Add(new WorkPlacement(Yaml($$"""
                apiVersion: platform.kratix.io/v1alpha1
                kind: WorkPlacement
                metadata: {name: w{{i}}.dev-5058f, namespace: default, labels: {kratix.io/work: w{{i}}, kratix.io/pipeline-name: p} }
                spec: {targetDestinationName: dev, promiseName: thing, resourceName: r{{i}}, id: {{KratixApi.DefaultWorkloadGroupId}}, workloads: [{filepath: cm.yaml, content: "{{content}}"}]}
                status: {versionID: abc, conditions: [{type: Ready, status: "True", reason: WorkloadsWrittenToTargetDestination, message: Ready}]}
                """)));
        }

        var destination = new Destination(Yaml("""
            apiVersion: platform.kratix.io/v1alpha1
            kind: Destination
            metadata: {name: dev, labels: {environment: dev}}
            spec: {path: dev, stateStoreRef: {kind: GitStateStore, name: default}}
            """));
        var store = new KubeObject(Yaml("""
            apiVersion: platform.kratix.io/v1alpha1
            kind: GitStateStore
            metadata: {name: default}
            spec: {url: /tmp/x.git, branch: main}
            """));
        var promise = new Promise(Yaml(Promise(string.Empty)));
        var snapshot = new TraceSnapshot([promise], requests, works, placements, [destination], [store], (_, _, _, _, _) => null);
        var clock = System.Diagnostics.Stopwatch.StartNew();

        var traces = requests.Select(r => PlatformTrace.Request(snapshot, r)).ToList();

        Assert.All(traces, t => Assert.Equal("dev", Assert.Single(t.Find("Destination")).Name));
        // A few seconds at most on a loaded two-core machine; a lookup per request over every object took minutes.
        Assert.True(clock.Elapsed < TimeSpan.FromSeconds(30), $"{count} traces took {clock.Elapsed}.");
    }
}
