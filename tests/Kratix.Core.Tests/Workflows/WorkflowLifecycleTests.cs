using System.Text;
using System.Text.Json.Nodes;
using Kratix.Objects;
using Kratix.Pipelines.Runtimes;
using Kratix.Tests.Platforms;
using static Kratix.Tests.Platforms.PlatformFixture;
using static Kratix.Tests.Workflows.WorkflowPromises;

namespace Kratix.Tests.Workflows;

/// <summary>
/// Workflows on the embedded platform (behaviour.md sections 2, 3 and 5), run by the Host runtime over real
/// bubblewrap sandboxes and written to a real bare git remote.
/// </summary>
[System.Runtime.Versioning.SupportedOSPlatform("linux")]
public sealed class WorkflowLifecycleTests : IDisposable
{
    private readonly ManualClock _clock = new(new DateTimeOffset(2026, 11, 21, 10, 0, 0, TimeSpan.Zero));
    private readonly PlatformFixture _f;

    public WorkflowLifecycleTests()
    {
        _f = new PlatformFixture(PipelineRuntimes.Create("Host"), _clock);
        _f.RegisterGitStore();
        _f.RegisterDestination("dev", "{environment: dev}");
    }

    public void Dispose() => _f.Dispose();

    [Fact]
    public void A_request_runs_its_configure_pipeline_and_its_output_lands_in_the_state_store()
    {
        _f.Platform.InstallPromise(Yaml(Promise(WorkflowSpec(resourceConfigure: [
            Pipeline("instance", """
                size=$(grep 'size:' /kratix/input/object.yaml | head -1 | sed 's/.*size: //')
                printf 'kind: ConfigMap\nmetadata:\n  name: %s\ndata:\n  size: %s\n' "$KRATIX_OBJECT_NAME" "$size" > /kratix/output/configmap.yaml
                """)]))));

        var request = _f.Platform.SubmitRequest(Yaml(Request(size: "large")));

        Assert.Equal("kind: ConfigMap\nmetadata:\n  name: example\ndata:\n  size: large\n", _f.RemoteFile("dev/resources/default/thing/example/instance/5058f/configmap.yaml"));
        Assert.Equal(("True", "PipelinesExecutedSuccessfully", "Pipelines completed"), Tuple(request.Conditions.Get("ConfigureWorkflowCompleted")));
        Assert.Equal(("True", "WorksSucceeded", "All works associated with this resource are ready"), Tuple(request.Conditions.Get("WorksSucceeded")));
        Assert.Equal(("True", "Reconciled", "Reconciled"), Tuple(request.Conditions.Get("Reconciled")));
        Assert.Equal("Resource requested", request.Status.GetString("message"));
        Assert.Equal(1, request.Status.GetLong("workflows"));
        Assert.Equal(1, request.Status.GetLong("workflowsSucceeded"));
        Assert.Equal(0, request.Status.GetLong("workflowsFailed"));
        Assert.Equal(1, request.Status.GetLong("observedGeneration"));
        Assert.Equal("2026-11-21T10:00:00Z", request.Status.GetString("lastSuccessfulConfigureWorkflowTime"));
        var phase = Assert.Single(Pipelines(request));
        Assert.Equal(("instance", "Succeeded"), (phase.GetString("name"), phase.GetString("phase")));

        var work = Assert.Single(_f.Platform.GetWorks("default"));
        Assert.StartsWith("thing-example-instance-", work.Name, StringComparison.Ordinal);
        Assert.Equal("thing", work.GetLabel("kratix.io/promise-name"));
        Assert.Equal("resource", work.GetLabel("kratix.io/work-type"));
        Assert.Equal("instance", work.GetLabel("kratix.io/pipeline-name"));
        Assert.Equal("example", work.GetLabel("kratix.io/resource-name"));
        Assert.Equal("example", work.ResourceName);
        var group = Assert.Single(work.WorkloadGroups);
        Assert.Equal(KratixApi.DefaultWorkloadGroupId, group.Id);
        Assert.Empty(group.DestinationSelectors);
    }

    [Fact]
    public void Every_container_sees_the_upstream_environment_and_a_read_only_input()
    {
        _f.Platform.InstallPromise(Yaml(Promise(WorkflowSpec(resourceConfigure: [
            Pipeline("contract", """
                env | grep '^KRATIX_' | sort > /kratix/output/env.txt
                if touch /kratix/input/written 2>/dev/null; then echo writable > /kratix/output/input.txt; else echo read-only > /kratix/output/input.txt; fi
                echo "$GREETING" > /kratix/output/greeting.txt
                echo "$POD_NAMESPACE" > /kratix/output/pod-namespace.txt
                """, extra: """
                            env:
                            - name: GREETING
                              value: hello $(KRATIX_OBJECT_NAME)
                            - name: POD_NAMESPACE
                              valueFrom:
                                fieldRef: {fieldPath: metadata.namespace}
                """)]))));

        _f.Platform.SubmitRequest(Yaml(Request(ns: "team-a")));

        var root = "dev/resources/team-a/thing/example/contract/5058f/";
        Assert.Equal(
            """
            KRATIX_CLUSTER_SCOPED=false
            KRATIX_CRD_PLURAL=things
            KRATIX_OBJECT_GROUP=test.kratix.io
            KRATIX_OBJECT_KIND=Thing
            KRATIX_OBJECT_NAME=example
            KRATIX_OBJECT_NAMESPACE=team-a
            KRATIX_OBJECT_VERSION=v1alpha1
            KRATIX_PIPELINE_NAME=contract
            KRATIX_PROMISE_NAME=thing
            KRATIX_WORKFLOW_ACTION=configure
            KRATIX_WORKFLOW_TYPE=resource

            """.Replace("\r", string.Empty, StringComparison.Ordinal),
            _f.RemoteFile(root + "env.txt"));
        Assert.Equal("read-only\n", _f.RemoteFile(root + "input.txt"));
        Assert.Equal("hello example\n", _f.RemoteFile(root + "greeting.txt"));
        Assert.Equal("team-a\n", _f.RemoteFile(root + "pod-namespace.txt"));
    }

    [Fact]
    public void Pipelines_chain_through_the_status_and_each_gets_its_own_work()
    {
        _f.Platform.InstallPromise(Yaml(Promise(WorkflowSpec(resourceConfigure: [
            Pipeline("first", """
                echo one > /kratix/output/first.txt
                printf 'stage: one\nconditions:\n- type: Custom\n  status: "True"\n  reason: Set\n  message: by first\n' > /kratix/metadata/status.yaml
                """),
            Pipeline("second", """
                grep -q 'stage: one' /kratix/input/object.yaml || { echo "unexpected status"; cat /kratix/input/object.yaml; exit 1; }
                echo two > /kratix/output/second.txt
                printf 'stage: two\ncompleted: true\n' > /kratix/metadata/status.yaml
                """)]))));

        var request = _f.Platform.SubmitRequest(Yaml(Request()));

        Assert.Equal("two", request.Status.GetString("stage"));
        Assert.Equal(true, request.Status.GetBool("completed"));
        Assert.Equal(("True", "Set", "by first"), Tuple(request.Conditions.Get("Custom")));
        Assert.Equal(2, request.Status.GetLong("workflowsSucceeded"));
        Assert.Equal(["Succeeded", "Succeeded"], Pipelines(request).Select(p => p.GetString("phase")));
        Assert.Equal("one\n", _f.RemoteFile("dev/resources/default/thing/example/first/5058f/first.txt"));
        Assert.Equal("two\n", _f.RemoteFile("dev/resources/default/thing/example/second/5058f/second.txt"));
        Assert.Equal(["first", "second"], _f.Platform.GetWorks("default").Select(w => w.PipelineName).Order());
    }

    [Fact]
    public void Containers_of_one_pipeline_run_in_order_over_one_workspace()
    {
        var twoContainers = """
                  - apiVersion: platform.kratix.io/v1alpha1
                    kind: Pipeline
                    metadata:
                      name: build
                    spec:
                      containers:
                      - name: first
                        image: kratix-test/host:v1
                        command: [sh, -c, 'echo "from first" > /kratix/metadata/scratch.txt; echo one > /kratix/output/one.txt']
                      - name: second
                        image: kratix-test/host:v1
                        command: [sh, -c, 'cat /kratix/metadata/scratch.txt /kratix/output/one.txt > /kratix/output/two.txt']
                      - name: third
                        image: kratix-test/host:v1
                        command: [sh, -c, 'echo "$KRATIX_PIPELINE_NAME" > /kratix/output/three.txt']
            """;
        _f.Platform.InstallPromise(Yaml(Promise(WorkflowSpec(resourceConfigure: [twoContainers]))));

        var request = _f.Platform.SubmitRequest(Yaml(Request()));

        var root = "dev/resources/default/thing/example/build/5058f/";
        Assert.Equal("one\n", _f.RemoteFile(root + "one.txt"));
        Assert.Equal("from first\none\n", _f.RemoteFile(root + "two.txt"));
        Assert.Equal("build\n", _f.RemoteFile(root + "three.txt"));
        Assert.Null(_f.RemoteFile(root + "scratch.txt"));
        Assert.Equal(1, request.Status.GetLong("workflowsSucceeded"));
        var logs = Directory.GetFiles(Path.Combine(_f.Home, "workflows"), "*.log", SearchOption.AllDirectories).Select(Path.GetFileName).Order();
        Assert.Equal(["first.log", "second.log", "third.log"], logs);
    }

    [Fact]
    public void A_failing_container_stops_the_workflow_with_upstreams_conditions_and_keeps_its_log()
    {
        _f.Platform.InstallPromise(Yaml(Promise(WorkflowSpec(resourceConfigure: [
            Pipeline("first", "echo ok > /kratix/output/ok.txt"),
            Pipeline("second", """
                echo "something broke: $KRATIX_OBJECT_NAME"
                exit 3
                """),
            Pipeline("third", "echo never > /kratix/output/never.txt")]))));

        var request = _f.Platform.SubmitRequest(Yaml(Request()));

        Assert.Equal(("False", "ConfigureWorkflowFailed", "A Configure Pipeline has failed: second"), Tuple(request.Conditions.Get("ConfigureWorkflowCompleted")));
        Assert.Equal(("False", "ConfigureWorkflowFailed", "Failing"), Tuple(request.Conditions.Get("Reconciled")));
        Assert.Equal(1, request.Status.GetLong("workflowsFailed"));
        Assert.Equal(1, request.Status.GetLong("workflowsSucceeded"));
        Assert.Equal(["Succeeded", "Failed", "Pending"], Pipelines(request).Select(p => p.GetString("phase")));
        Assert.Equal("Pending", request.Status.GetString("message"));
        Assert.Equal(["first"], _f.Platform.GetWorks("default").Select(w => w.PipelineName));
        Assert.Null(_f.RemoteFile("dev/resources/default/thing/example/third/5058f/never.txt"));

        var warning = Assert.Single(_f.Log.Drain(), m => m.IsWarning && m.Message.Contains("has failed", StringComparison.Ordinal));
        Assert.Contains("exited with code 3", warning.Message, StringComparison.Ordinal);
        Assert.Contains("something broke: example", warning.Message, StringComparison.Ordinal);
        var log = Directory.GetFiles(Path.Combine(_f.Home, "workflows"), "second-c.log", SearchOption.AllDirectories);
        Assert.Contains("something broke: example", File.ReadAllText(Assert.Single(log)), StringComparison.Ordinal);
    }

    [Fact]
    public void Only_a_spec_change_or_a_manual_reconciliation_reruns_a_request()
    {
        _f.Platform.InstallPromise(Yaml(Promise(WorkflowSpec(resourceConfigure: [
            Pipeline("instance", "cat /proc/sys/kernel/random/uuid > /kratix/output/run.txt")]))));
        var path = "dev/resources/default/thing/example/instance/5058f/run.txt";
        _f.Platform.SubmitRequest(Yaml(Request()));
        var first = _f.RemoteFile(path);

        _f.Platform.SubmitRequest(Yaml(Request(labels: "{team: blue}")), allowUpdate: true);
        Assert.Equal(first, _f.RemoteFile(path));

        _f.Platform.SubmitRequest(Yaml(Request(size: "large", labels: "{team: blue}")), allowUpdate: true);
        var second = _f.RemoteFile(path);
        Assert.NotEqual(first, second);

        var request = _f.Platform.SubmitRequest(Yaml(Request(size: "large", labels: "{team: blue, kratix.io/manual-reconciliation: 'true'}")), allowUpdate: true);
        var third = _f.RemoteFile(path);
        Assert.NotEqual(second, third);
        Assert.Null(request.GetLabel("kratix.io/manual-reconciliation"));
        Assert.Equal("blue", request.GetLabel("team"));

        _f.Platform.SyncRequest("thing", "default", "example");
        Assert.NotEqual(third, _f.RemoteFile(path));
    }

    [Fact]
    public void A_promise_spec_change_reruns_every_request_but_a_label_change_does_not()
    {
        var workflows = WorkflowSpec(resourceConfigure: [Pipeline("instance", "cat /proc/sys/kernel/random/uuid > /kratix/output/run.txt")]);
        _f.Platform.InstallPromise(Yaml(Promise(workflows)));
        _f.Platform.SubmitRequest(Yaml(Request("a")));
        _f.Platform.SubmitRequest(Yaml(Request("b")));
        string? Run(string name) => _f.RemoteFile($"dev/resources/default/thing/{name}/instance/5058f/run.txt");
        var (a, b) = (Run("a"), Run("b"));

        var relabelled = Yaml(Promise(workflows));
        ((JsonObject)relabelled["metadata"]!["labels"]!)["owner"] = "platform";
        _f.Platform.InstallPromise(relabelled);
        Assert.Equal((a, b), (Run("a"), Run("b")));

        var promise = _f.Platform.InstallPromise(Yaml(Promise(workflows, extraSpec: "  destinationSelectors:\n  - matchLabels: {environment: dev}")));
        Assert.NotEqual(a, Run("a"));
        Assert.NotEqual(b, Run("b"));
        Assert.Equal(2, promise.Status.GetLong("observedGeneration"));
    }

    [Fact]
    public void A_paused_request_does_not_run_and_unpausing_reruns_it()
    {
        _f.Platform.InstallPromise(Yaml(Promise(WorkflowSpec(resourceConfigure: [
            Pipeline("instance", "cat /proc/sys/kernel/random/uuid > /kratix/output/run.txt")]))));
        var path = "dev/resources/default/thing/example/instance/5058f/run.txt";
        _f.Platform.SubmitRequest(Yaml(Request()));
        var first = _f.RemoteFile(path);

        var paused = _f.Platform.SubmitRequest(Yaml(Request(labels: "{kratix.io/paused: 'true'}")), allowUpdate: true);
        Assert.Equal(("Unknown", "PausedReconciliation", "Paused"), Tuple(paused.Conditions.Get("Reconciled")));
        Assert.Equal(first, _f.RemoteFile(path));

        // The spec is unchanged: only the unpausing makes it run again.
        var resumed = _f.Platform.SubmitRequest(Yaml(Request()), allowUpdate: true);
        Assert.NotEqual(first, _f.RemoteFile(path));
        Assert.Equal(("True", "Reconciled", "Reconciled"), Tuple(resumed.Conditions.Get("Reconciled")));
    }

    [Fact]
    public void Unpausing_a_promise_reruns_its_requests()
    {
        var workflows = WorkflowSpec(resourceConfigure: [Pipeline("instance", "cat /proc/sys/kernel/random/uuid > /kratix/output/run.txt")]);
        _f.Platform.InstallPromise(Yaml(Promise(workflows)));
        _f.Platform.SubmitRequest(Yaml(Request()));
        var path = "dev/resources/default/thing/example/instance/5058f/run.txt";
        var first = _f.RemoteFile(path);

        var paused = Yaml(Promise(workflows));
        ((JsonObject)paused["metadata"]!["labels"]!)["kratix.io/paused"] = "true";
        _f.Platform.InstallPromise(paused);
        Assert.Equal(first, _f.RemoteFile(path));

        _f.Platform.InstallPromise(Yaml(Promise(workflows)));
        Assert.NotEqual(first, _f.RemoteFile(path));
    }

    [Fact]
    public void Destination_selectors_make_directory_groups_that_ignore_the_promise_selectors()
    {
        _f.RegisterDestination("worker-1", "{environment: dev, target: worker-1}");
        _f.RegisterDestination("worker-2", "{target: worker-2}");
        _f.Platform.InstallPromise(Yaml(Promise(
            WorkflowSpec(resourceConfigure: [Pipeline("split", """
                mkdir -p /kratix/output/dest1 /kratix/output/dest2
                echo one > /kratix/output/dest1/one.yaml
                echo two > /kratix/output/dest2/two.yaml
                echo root > /kratix/output/root.yaml
                printf -- '- directory: dest1\n  matchLabels: {target: worker-1}\n- directory: dest2\n  matchLabels: {target: worker-2}\n- matchLabels: {target: worker-1}\n' > /kratix/metadata/destination-selectors.yaml
                """)]),
            extraSpec: "  destinationSelectors:\n  - matchLabels: {environment: dev}")));

        _f.Platform.SubmitRequest(Yaml(Request()));

        var work = Assert.Single(_f.Platform.GetWorks("default"));
        Assert.Equal(["dest1", "dest2", "."], work.WorkloadGroups.Select(g => g.Directory));
        var dest1 = work.WorkloadGroups[0];
        Assert.Equal(GeneratedNames.Md5("dest1"), dest1.Id);
        Assert.Equal(["{target=worker-1}/resource-workflow"], dest1.DestinationSelectors.Select(s => $"{s}/{s.Source}"));
        Assert.Equal(["{target=worker-1}/resource-workflow", "{environment=dev}/promise"], work.WorkloadGroups[2].DestinationSelectors.Select(s => $"{s}/{s.Source}"));

        var id1 = GeneratedNames.Md5("dest1")[..5];
        var id2 = GeneratedNames.Md5("dest2")[..5];
        Assert.Equal("one\n", _f.RemoteFile($"worker-1/resources/default/thing/example/split/{id1}/dest1/one.yaml"));
        Assert.Equal("two\n", _f.RemoteFile($"worker-2/resources/default/thing/example/split/{id2}/dest2/two.yaml"));
        Assert.Equal("root\n", _f.RemoteFile("worker-1/resources/default/thing/example/split/5058f/root.yaml"));
        Assert.DoesNotContain(_f.RemoteFiles(), f => f.StartsWith("dev/resources/default/thing", StringComparison.Ordinal));
    }

    [Fact]
    public void A_directory_named_in_the_selectors_but_missing_fails_the_pipeline()
    {
        _f.Platform.InstallPromise(Yaml(Promise(WorkflowSpec(resourceConfigure: [Pipeline("split", """
            echo root > /kratix/output/root.yaml
            printf -- '- directory: missing\n  matchLabels: {target: x}\n' > /kratix/metadata/destination-selectors.yaml
            """)]))));

        var request = _f.Platform.SubmitRequest(Yaml(Request()));

        Assert.Equal(("False", "ConfigureWorkflowFailed", "A Configure Pipeline has failed: split"), Tuple(request.Conditions.Get("ConfigureWorkflowCompleted")));
        Assert.Empty(_f.Platform.GetWorks("default"));
        Assert.Contains(_f.Log.Drain(), m => m.IsWarning && m.Message.Contains("names directory \"missing\"", StringComparison.Ordinal));
    }

    [Fact]
    public void Status_with_a_kratix_key_fails_the_pipeline()
    {
        _f.Platform.InstallPromise(Yaml(Promise(WorkflowSpec(resourceConfigure: [Pipeline("bad", """
            printf 'kratix:\n  hacked: true\n' > /kratix/metadata/status.yaml
            """)]))));

        var request = _f.Platform.SubmitRequest(Yaml(Request()));

        Assert.Equal("Failed", Pipelines(request)[0].GetString("phase"));
        Assert.Null(request.Status["kratix"]?["hacked"]);
        Assert.Contains(_f.Log.Drain(), m => m.IsWarning && m.Message.Contains("'kratix' is a kratix managed status field", StringComparison.Ordinal));
    }

    [Fact]
    public void A_suspended_workflow_makes_no_work_and_resumes_at_the_suspended_pipeline_when_its_label_goes()
    {
        _f.Platform.InstallPromise(Yaml(Promise(WorkflowSpec(resourceConfigure: [
            Pipeline("first", "cat /proc/sys/kernel/random/uuid > /kratix/output/run.txt"),
            Pipeline("gate", """
                if grep -q 'approved: "yes"' /kratix/input/object.yaml; then echo passed > /kratix/output/gate.txt; exit 0; fi
                printf 'suspend: true\nmessage: waiting for approval\n' > /kratix/metadata/workflow-control.yaml
                """)]))));

        var request = _f.Platform.SubmitRequest(Yaml(Request()));

        Assert.Equal("true", request.GetLabel("kratix.io/workflow-suspended"));
        Assert.Equal(("Unknown", "WorkflowSuspended", "Suspended"), Tuple(request.Conditions.Get("Reconciled")));
        var gate = Pipelines(request)[1];
        Assert.Equal(("Suspended", "waiting for approval"), (gate.GetString("phase"), gate.GetString("message")));
        Assert.Equal(1, request.Status["kratix"]!["workflows"]!["suspendedGeneration"]!.GetValue<long>());
        Assert.Equal(["first"], _f.Platform.GetWorks("default").Select(w => w.PipelineName));
        var firstRun = _f.RemoteFile("dev/resources/default/thing/example/first/5058f/run.txt");

        // Still suspended: a reconcile without removing the label does nothing.
        _f.Platform.SubmitRequest(Yaml(Request(labels: "{kratix.io/workflow-suspended: 'true', approved: 'no'}")), allowUpdate: true);
        Assert.Single(_f.Platform.GetWorks("default"));

        var resumed = _f.Platform.SubmitRequest(Yaml(Request(labels: "{approved: 'yes'}")), allowUpdate: true);

        Assert.Null(resumed.GetLabel("kratix.io/workflow-suspended"));
        Assert.Equal(["Succeeded", "Succeeded"], Pipelines(resumed).Select(p => p.GetString("phase")));
        Assert.Equal(firstRun, _f.RemoteFile("dev/resources/default/thing/example/first/5058f/run.txt"));
        Assert.Equal("passed\n", _f.RemoteFile("dev/resources/default/thing/example/gate/5058f/gate.txt"));
        Assert.Equal(("True", "Reconciled", "Reconciled"), Tuple(resumed.Conditions.Get("Reconciled")));
        Assert.Null(resumed.Status["kratix"]!["workflows"]!["suspendedGeneration"]);
    }

    [Fact]
    public void A_retry_records_when_and_how_often_and_resumes_once_the_time_has_come()
    {
        _f.Platform.InstallPromise(Yaml(Promise(WorkflowSpec(resourceConfigure: [Pipeline("flaky", """
            if grep -q 'attempts: 2' /kratix/input/object.yaml; then echo done > /kratix/output/done.txt; exit 0; fi
            printf 'retryAfter: 5m\nmessage: not yet\n' > /kratix/metadata/workflow-control.yaml
            """)]))));

        var request = _f.Platform.SubmitRequest(Yaml(Request()));
        var entry = Pipelines(request)[0];
        Assert.Equal(("Suspended", "2026-11-21T10:05:00Z", 1L), (entry.GetString("phase"), entry.GetString("nextRetryAt"), entry.GetLong("attempts")));

        _clock.Advance(TimeSpan.FromMinutes(1));
        request = _f.Platform.SubmitRequest(Yaml(Request(labels: "{kratix.io/workflow-suspended: 'true'}")), allowUpdate: true);
        Assert.Equal(1L, Pipelines(request)[0].GetLong("attempts"));

        _clock.Advance(TimeSpan.FromMinutes(5));
        request = _f.Platform.SubmitRequest(Yaml(Request(labels: "{kratix.io/workflow-suspended: 'true'}")), allowUpdate: true);
        Assert.Equal(2L, Pipelines(request)[0].GetLong("attempts"));

        _clock.Advance(TimeSpan.FromMinutes(6));
        request = _f.Platform.SubmitRequest(Yaml(Request(labels: "{kratix.io/workflow-suspended: 'true'}")), allowUpdate: true);
        Assert.Equal("Succeeded", Pipelines(request)[0].GetString("phase"));
        Assert.Equal("done\n", _f.RemoteFile("dev/resources/default/thing/example/flaky/5058f/done.txt"));
    }

    [Fact]
    public void Removing_a_request_runs_only_the_first_delete_pipeline_then_removes_its_files()
    {
        _f.Platform.InstallPromise(Yaml(Promise(WorkflowSpec(
            resourceConfigure: [Pipeline("instance", "echo x > /kratix/output/x.yaml")],
            resourceDelete: [Pipeline("teardown", "echo 'tearing down' $KRATIX_WORKFLOW_ACTION"), Pipeline("never", "exit 1")]))));
        _f.Platform.SubmitRequest(Yaml(Request()));
        Assert.NotNull(_f.RemoteFile("dev/resources/default/thing/example/instance/5058f/x.yaml"));
        _f.Log.Drain();

        _f.Platform.RemoveRequest("thing", "default", "example");

        Assert.Empty(_f.Platform.GetRequests("thing"));
        Assert.Empty(_f.Platform.GetWorks("default"));
        Assert.Null(_f.RemoteFile("dev/resources/default/thing/example/instance/5058f/x.yaml"));
        var messages = _f.Log.Drain().Select(m => m.Message).ToList();
        Assert.Contains(messages, m => m.Contains("resource.delete/teardown", StringComparison.Ordinal));
        Assert.DoesNotContain(messages, m => m.Contains("never", StringComparison.Ordinal));
    }

    [Fact]
    public void A_failing_delete_pipeline_keeps_the_request_and_its_files()
    {
        _f.Platform.InstallPromise(Yaml(Promise(WorkflowSpec(
            resourceConfigure: [Pipeline("instance", "echo x > /kratix/output/x.yaml")],
            resourceDelete: [Pipeline("teardown", "echo 'cannot tear down'; exit 1")]))));
        _f.Platform.SubmitRequest(Yaml(Request()));

        var error = Assert.Throws<KratixException>(() => _f.Platform.RemoveRequest("thing", "default", "example"));

        Assert.Equal("RequestDeleteWorkflowFailed", error.ErrorId);
        var request = Assert.Single(_f.Platform.GetRequests("thing"));
        Assert.Equal(("False", "DeleteWorkflowFailed", "The Delete Pipeline has failed"), Tuple(request.Conditions.Get("DeleteWorkflowCompleted")));
        Assert.NotNull(_f.RemoteFile("dev/resources/default/thing/example/instance/5058f/x.yaml"));
        Assert.Contains(_f.Log.Drain(), m => m.IsWarning && m.Message.Contains("cannot tear down", StringComparison.Ordinal));
    }

    [Fact]
    public void A_promise_configure_workflow_makes_a_dependency_work_for_every_matching_destination()
    {
        _f.RegisterDestination("dev-2", "{environment: dev}");
        _f.RegisterDestination("prod", "{environment: prod}");

        var promise = _f.Platform.InstallPromise(Yaml(Promise(
            WorkflowSpec(promiseConfigure: [Pipeline("deps", """
                echo "kind: Namespace" > /kratix/output/namespace.yaml
                printf 'message: configured by %s\nignored: true\n' "$KRATIX_OBJECT_NAME" > /kratix/metadata/status.yaml
                """)]),
            extraSpec: "  destinationSelectors:\n  - matchLabels: {environment: dev}")));

        Assert.Equal("Available", promise.Status.GetString("status"));
        Assert.Equal("configured by thing", promise.Status.GetString("message"));
        Assert.Null(promise.Status["ignored"]);
        Assert.Equal(("True", "PipelinesExecutedSuccessfully", "Pipelines completed"), Tuple(promise.Conditions.Get("ConfigureWorkflowCompleted")));
        Assert.Equal(("True", "Reconciled", "Reconciled"), Tuple(promise.Conditions.Get("Reconciled")));
        var work = Assert.Single(_f.Platform.GetWorks("kratix-platform-system"), w => w.WorkType == "promise");
        Assert.StartsWith("thing-deps-", work.Name, StringComparison.Ordinal);
        Assert.True(work.IsDependency);
        Assert.Equal("kind: Namespace\n", _f.RemoteFile("dev/dependencies/thing/deps/5058f/namespace.yaml"));
        Assert.Equal("kind: Namespace\n", _f.RemoteFile("dev-2/dependencies/thing/deps/5058f/namespace.yaml"));
        Assert.Null(_f.RemoteFile("prod/dependencies/thing/deps/5058f/namespace.yaml"));
    }

    [Fact]
    public void A_failing_promise_workflow_leaves_the_promise_unavailable_and_its_requests_pending()
    {
        var promise = _f.Platform.InstallPromise(Yaml(Promise(WorkflowSpec(
            promiseConfigure: [Pipeline("deps", "echo nope; exit 1")],
            resourceConfigure: [Pipeline("instance", "echo x > /kratix/output/x.yaml")]))));

        Assert.NotEqual("Available", promise.Status.GetString("status"));
        Assert.Equal(("False", "ConfigureWorkflowFailed", "A Configure Pipeline has failed: deps"), Tuple(promise.Conditions.Get("ConfigureWorkflowCompleted")));
        var request = _f.Platform.SubmitRequest(Yaml(Request()));
        Assert.Equal(("False", "PromiseRequirementsNotInstalled", "Promise Requirements are not installed"), Tuple(request.Conditions.Get("PromiseAvailable")));
        Assert.Empty(_f.Platform.GetWorks("default"));
    }

    [Fact]
    public void Uninstalling_runs_the_promise_delete_pipeline_before_the_requests_delete_pipelines()
    {
        _f.Platform.InstallPromise(Yaml(Promise(WorkflowSpec(
            promiseDelete: [Pipeline("promise-teardown", "true")],
            resourceConfigure: [Pipeline("instance", "echo x > /kratix/output/x.yaml")],
            resourceDelete: [Pipeline("request-teardown", "true")]))));
        _f.Platform.SubmitRequest(Yaml(Request()));
        _f.Log.Drain();

        _f.Platform.UninstallPromise("thing");

        var starts = _f.Log.Drain().Select(m => m.Message).Where(m => m.EndsWith("starting on Host", StringComparison.Ordinal)).ToList();
        Assert.Equal(["Pipeline promise.delete/promise-teardown: starting on Host", "Pipeline resource.delete/request-teardown: starting on Host"], starts);
        Assert.Empty(_f.Platform.GetPromises());
        Assert.Empty(_f.Platform.GetWorks());
        Assert.DoesNotContain(_f.RemoteFiles(), f => f.Contains("/thing/", StringComparison.Ordinal));
    }

    [Fact]
    public void A_compound_promise_emits_sub_requests_to_the_platform_destination_which_applies_and_later_removes_them()
    {
        _f.RegisterDestination("platform", "{environment: platform}", extraSpec: "");
        var platform = _f.Platform.GetDestinations().Single(d => d.Name == "platform").Node.DeepClone().AsObject();
        ((JsonObject)platform["metadata"]!)["annotations"] = new JsonObject { ["kratix.io/apply-to-platform"] = "true" };
        platform.Remove("status");
        _f.Platform.RegisterDestination(platform);

        // Upstream's sub-promise is only a name and a version; give it an API so the compound can request it.
        var sub = Yaml(File.ReadAllText(Path.Combine(TestPaths.UpstreamPromises, "sub-promise__test.system.assets.compound-promise.sub-promise", "sub-promise.yaml")));
        sub["spec"] = Yaml(Promise(string.Empty))["spec"]!.DeepClone();
        sub["spec"]!.AsObject().Remove("workflows");
        var compound = Yaml(File.ReadAllText(Path.Combine(TestPaths.UpstreamPromises, "compound-promise", "promise.yaml")));
        var subKind = sub["spec"]!["api"]!["spec"]!["names"]!["kind"]!.GetValue<string>();
        var subGroup = sub["spec"]!["api"]!["spec"]!["group"]!.GetValue<string>();
        var subVersion = sub["spec"]!["api"]!["spec"]!["versions"]![0]!["name"]!.GetValue<string>();

        // The compound's resource pipeline emits a request for the sub-Promise into a directory for the platform.
        var container = compound["spec"]!["workflows"]!["resource"]!["configure"]![0]!["spec"]!["containers"]![0]!.AsObject();
        container["args"] = new JsonArray("-c", $$"""
            mkdir -p /kratix/output/platform
            printf 'apiVersion: {{subGroup}}/{{subVersion}}\nkind: {{subKind}}\nmetadata:\n  name: %s-sub\n  namespace: %s\nspec: {}\n' "$KRATIX_OBJECT_NAME" "$KRATIX_OBJECT_NAMESPACE" > /kratix/output/platform/sub-request.yaml
            printf -- '- directory: platform\n  matchLabels: {environment: platform}\n' > /kratix/metadata/destination-selectors.yaml
            """);

        // A bundle Promise ships the sub-Promise as a dependency scheduled to the platform: the platform installs it,
        // which meets the compound's requirement (upstream's compound returns before its own dependencies until then).
        var bundle = Yaml(Promise(string.Empty, name: "bundle", extraSpec: "  destinationSelectors:\n  - matchLabels: {environment: platform}"));
        bundle["spec"]!.AsObject().Remove("api");
        bundle["spec"]!.AsObject()["dependencies"] = new JsonArray(sub.DeepClone());
        _f.Platform.InstallPromise(bundle);
        var installedSub = Assert.Single(_f.Platform.GetPromises(), p => p.Name == "sub-promise");
        Assert.StartsWith("kratix-platform-system/bundle-static-deps-", installedSub.GetAnnotation("kratix.io/applied-from"), StringComparison.Ordinal);

        var installed = _f.Platform.InstallPromise(compound);
        Assert.Equal("Available", installed.Status.GetString("status"));

        var request = Yaml(File.ReadAllText(Path.Combine(TestPaths.UpstreamPromises, "compound-promise", "resource-request.yaml")));
        _f.Platform.SubmitRequest(request);

        var subRequest = Assert.Single(_f.Platform.GetRequests(sub["metadata"]!["name"]!.GetValue<string>()));
        Assert.Equal("example-compound-rr-sub", subRequest.Name);
        Assert.StartsWith("default/compound-promise-example-compound-rr-do-nothing-", subRequest.GetAnnotation("kratix.io/applied-from"), StringComparison.Ordinal);

        // Sync-KratixPlatform applies what the platform Destination holds again, as its agent would: a sub-request that
        // was never applied (a crash between the write and the apply; here removed by hand) comes back, and nothing runs.
        var subPromise = sub["metadata"]!["name"]!.GetValue<string>();
        _f.Platform.RemoveRequest(subPromise, "default", "example-compound-rr-sub");
        var head = TryGit(_f.Root, "--git-dir", _f.Remote, "rev-parse", "main").Output;
        var synced = _f.Platform.SyncPlatform();
        Assert.Empty(synced.Failures);
        Assert.Equal((0, 0), (synced.PipelinesRun, synced.PlacementsWritten));
        Assert.Equal("example-compound-rr-sub", Assert.Single(_f.Platform.GetRequests(subPromise)).Name);
        Assert.Equal(head, TryGit(_f.Root, "--git-dir", _f.Remote, "rev-parse", "main").Output);

        _f.Platform.RemoveRequest("compound-promise", "default", "example-compound-rr");

        Assert.Empty(_f.Platform.GetRequests(sub["metadata"]!["name"]!.GetValue<string>()));
    }

    private static List<JsonObject> Pipelines(KubeObject obj) =>
        (obj.Status["kratix"]?["workflows"]?["pipelines"] as JsonArray)?.OfType<JsonObject>().ToList() ?? [];


    private static (string, string, string) Tuple(Condition? condition) =>
        condition is null ? ("<none>", "<none>", "<none>") : (condition.Status, condition.Reason, condition.Message);
}
