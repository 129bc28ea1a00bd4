using System.Text.Json.Nodes;
using Kratix.Admission;
using Kratix.Health;
using Kratix.Objects;
using Kratix.Pipelines.Runtimes;
using Kratix.Tests.Platforms;
using static Kratix.Tests.Platforms.PlatformFixture;
using static Kratix.Tests.Workflows.WorkflowPromises;

namespace Kratix.Tests.Health;

/// <summary>HealthRecords on the embedded platform: stored, validated against upstream's CRD, aggregated as upstream's controller does.</summary>
[System.Runtime.Versioning.SupportedOSPlatform("linux")]
public sealed class HealthRecordPlatformTests : IDisposable
{
    private readonly PlatformFixture _f = new(PipelineRuntimes.Create("Host"));

    public HealthRecordPlatformTests()
    {
        _f.RegisterGitStore();
        _f.RegisterDestination("dev", "{environment: dev}");
        _f.Platform.InstallPromise(Yaml(Promise(WorkflowSpec(resourceConfigure: [Pipeline("instance", "printf 'kind: ConfigMap\\nmetadata:\\n  name: %s\\n' \"$KRATIX_OBJECT_NAME\" > /kratix/output/cm.yaml")]), extraSpec: "  destinationSelectors:\n  - matchLabels: {environment: dev}")));
        _f.Platform.SubmitRequest(Yaml(Request()));
    }

    public void Dispose() => _f.Dispose();

    private readonly List<string> _warnings = [];

    private List<string> Warnings()
    {
        _warnings.AddRange(_f.Log.Drain().Where(m => m.IsWarning).Select(m => m.Message));
        return _warnings;
    }

    private static JsonObject RecordYaml(string name, string state, string request = "example", string promise = "thing", string extra = "") => Yaml($"""
        apiVersion: platform.kratix.io/v1alpha1
        kind: HealthRecord
        metadata:
          name: {name}
          namespace: default
        data:
          promiseRef:
            name: {promise}
          resourceRef:
            name: {request}
            namespace: default
          state: {state}
          lastRun: 1738158772
          details:
            info: message
        {extra}
        """);

    private JsonObject HealthStatus() => _f.Platform.GetRequests("thing").Single(r => r.Name == "example").Status["healthStatus"]!.AsObject();

    [Fact]
    public void A_record_is_stored_and_its_request_shows_it_in_status_healthStatus()
    {
        var record = _f.Platform.ApplyHealthRecord(RecordYaml("a-name", "ready"));

        Assert.Equal("ready", record.State);
        Assert.Equal(1, record.Generation);
        Assert.Equal("a-name", Assert.Single(_f.Platform.GetHealthRecords()).Name);
        var status = HealthStatus();
        Assert.Equal("ready", status["state"]!.GetValue<string>());
        var entry = Assert.Single(status["healthRecords"]!.AsArray())!;
        Assert.Equal(1738158772, entry["lastRun"]!.GetValue<long>());
        Assert.Equal("message", entry["details"]!["info"]!.GetValue<string>());
        Assert.Equal("a-name", entry["source"]!["name"]!.GetValue<string>());
        // Health is status: the request's generation and Reconciled condition stay as they were.
        var request = _f.Platform.GetRequests("thing").Single();
        Assert.Equal(1, request.Generation);
        Assert.True(request.Conditions.Get("Reconciled")!.IsTrue);
        Assert.True(File.Exists(Path.Combine(_f.Home, "objects", "healthrecords.platform.kratix.io", "default", "a-name.yaml")));
    }

    [Fact]
    public void Other_status_fields_are_kept()
    {
        _f.Platform.ApplyHealthRecord(RecordYaml("a-name", "healthy"));

        var request = _f.Platform.GetRequests("thing").Single();
        Assert.Equal("Resource requested", request.Status.GetString("message"));
        Assert.NotNull(request.Status["conditions"]);
    }

    [Theory]
    [InlineData("healthy", "healthy")]
    [InlineData("unhealthy", "unhealthy")]
    [InlineData("degraded", "degraded")]
    [InlineData("unknown", "unknown")]
    public void Several_records_aggregate_to_the_worst_state(string state, string expected)
    {
        _f.Platform.ApplyHealthRecord(RecordYaml("a-name", "ready"));
        _f.Platform.ApplyHealthRecord(RecordYaml("b-name", state));

        Assert.Equal(2, HealthStatus()["healthRecords"]!.AsArray().Count);
        Assert.Equal(expected, HealthStatus()["state"]!.GetValue<string>());
    }

    [Fact]
    public void Updating_a_record_updates_its_entry_and_a_warning_says_so_unless_healthy_or_ready()
    {
        _f.Platform.ApplyHealthRecord(RecordYaml("a-name", "ready"));
        Assert.DoesNotContain(Warnings(), w => w.Contains("Health state", StringComparison.Ordinal));

        var updated = RecordYaml("a-name", "unhealthy");
        updated["data"]!["lastRun"] = 1738159999;
        var record = _f.Platform.ApplyHealthRecord(updated);

        Assert.Equal(2, record.Generation);
        Assert.Equal("unhealthy", HealthStatus()["state"]!.GetValue<string>());
        Assert.Equal(1738159999, HealthStatus()["healthRecords"]![0]!["lastRun"]!.GetValue<long>());
        Assert.Contains(Warnings(), w => w.Contains("Thing \"default/example\": Health state is unhealthy (HealthRecord default/a-name).", StringComparison.Ordinal));
    }

    [Fact]
    public void Records_about_other_requests_do_not_count()
    {
        _f.Platform.ApplyHealthRecord(RecordYaml("other-name", "unhealthy", request: "other-resource"));
        _f.Platform.ApplyHealthRecord(RecordYaml("a-name", "ready"));

        Assert.Single(HealthStatus()["healthRecords"]!.AsArray());
        Assert.Equal("ready", HealthStatus()["state"]!.GetValue<string>());
    }

    [Fact]
    public void Removing_records_recomputes_and_the_last_leaves_ready_with_no_records()
    {
        _f.Platform.ApplyHealthRecord(RecordYaml("a-name", "ready"));
        _f.Platform.ApplyHealthRecord(RecordYaml("b-name", "unhealthy"));

        _f.Platform.RemoveHealthRecord("default", "b-name");
        Assert.Equal("ready", HealthStatus()["state"]!.GetValue<string>());
        Assert.Single(HealthStatus()["healthRecords"]!.AsArray());

        _f.Platform.RemoveHealthRecord("default", "a-name");
        Assert.Equal("ready", HealthStatus()["state"]!.GetValue<string>());
        Assert.True(HealthStatus().ContainsKey("healthRecords"));
        Assert.Null(HealthStatus()["healthRecords"]);
        Assert.Empty(_f.Platform.GetHealthRecords());
        var missing = Assert.Throws<KratixException>(() => _f.Platform.RemoveHealthRecord("default", "a-name"));
        Assert.Equal("HealthRecordNotFound", missing.ErrorId);
    }

    [Fact]
    public void A_record_for_a_request_that_does_not_exist_yet_is_kept_and_counts_once_it_exists()
    {
        _f.Platform.ApplyHealthRecord(RecordYaml("later", "degraded", request: "later"));
        Assert.Contains(Warnings(), w => w.Contains("has no request \"default/later\"", StringComparison.Ordinal));

        var request = _f.Platform.SubmitRequest(Yaml(Request(name: "later")));

        Assert.Equal("degraded", request.Status["healthStatus"]!["state"]!.GetValue<string>());
    }

    [Fact]
    public void Records_outlive_their_request_and_their_Promise_and_can_still_be_removed()
    {
        _f.Platform.ApplyHealthRecord(RecordYaml("a-name", "healthy"));

        _f.Platform.RemoveRequest("thing", "default", "example");
        Assert.Single(_f.Platform.GetHealthRecords());
        _f.Platform.UninstallPromise("thing");
        Assert.Single(_f.Platform.GetHealthRecords());

        _f.Platform.RemoveHealthRecord("default", "a-name");
        Assert.Empty(_f.Platform.GetHealthRecords());
    }

    [Fact]
    public void A_record_is_validated_against_upstreams_crd()
    {
        var invalid = Yaml("""
            apiVersion: platform.kratix.io/v1alpha1
            kind: HealthRecord
            metadata:
              name: bad
            data:
              resourceRef:
                name: example
              state: great
            """);

        var refused = Assert.Throws<AdmissionException>(() => _f.Platform.ApplyHealthRecord(invalid));

        Assert.Equal("HealthRecordInvalid", refused.ErrorId);
        Assert.Contains(refused.Problems, p => p.Contains("data.state", StringComparison.Ordinal) && p.Contains("\"great\"", StringComparison.Ordinal));
        Assert.Contains(refused.Problems, p => p.Contains("data.promiseRef", StringComparison.Ordinal) && p.Contains("Required", StringComparison.Ordinal));
        Assert.Contains(refused.Problems, p => p.Contains("data.resourceRef.namespace", StringComparison.Ordinal));
        Assert.Empty(_f.Platform.GetHealthRecords());
    }

    [Fact]
    public void The_state_defaults_to_unknown_and_the_namespace_to_default()
    {
        var record = _f.Platform.ApplyHealthRecord(Yaml("""
            apiVersion: platform.kratix.io/v1alpha1
            kind: HealthRecord
            metadata:
              name: defaults
            data:
              promiseRef: {name: thing}
              resourceRef: {name: example, namespace: default}
            """));

        Assert.Equal("unknown", record.State);
        Assert.Equal("default", record.Namespace);
        Assert.Equal("unknown", HealthStatus()["state"]!.GetValue<string>());
    }

    [Fact]
    public void The_embedded_crd_schema_is_upstreams()
    {
        var upstream = (JsonObject)Kratix.Manifests.ManifestReader.Default.ReadString(File.ReadAllText(Path.Combine(TestPaths.UpstreamPromises, "..", "crds", "platform.kratix.io_healthrecords.yaml"))).Single(d => d.Content is JsonObject).Content!;
        var ours = JsonNode.Parse(HealthRecordAdmission.CrdJson)!.AsObject();

        Assert.True(JsonNode.DeepEquals(WithoutDescriptions(upstream["spec"]!["versions"]![0]!["schema"]), ours["spec"]!["versions"]![0]!["schema"]));
        Assert.True(JsonNode.DeepEquals(upstream["spec"]!["names"], ours["spec"]!["names"]));
    }

    [Fact]
    public void A_pipeline_scheduled_to_a_platform_destination_writes_health_records_that_go_with_its_output()
    {
        var platform = _f.Platform.GetDestinations().Single(d => d.Name == "dev").Node.DeepClone().AsObject();
        platform["metadata"] = new JsonObject { ["name"] = "platform", ["labels"] = new JsonObject { ["environment"] = "platform" }, ["annotations"] = new JsonObject { ["kratix.io/apply-to-platform"] = "true" } };
        platform["spec"]!["path"] = "platform";
        platform.Remove("status");
        _f.Platform.RegisterDestination(platform);
        _f.Platform.InstallPromise(Yaml(Promise(WorkflowSpec(resourceConfigure: [Pipeline("health", """
            mkdir -p /kratix/output/platform
            printf 'apiVersion: platform.kratix.io/v1alpha1\nkind: HealthRecord\nmetadata:\n  name: %s-check\n  namespace: %s\ndata:\n  promiseRef: {name: checked}\n  resourceRef: {name: %s, namespace: %s}\n  state: %s\n' "$KRATIX_OBJECT_NAME" "$KRATIX_OBJECT_NAMESPACE" "$KRATIX_OBJECT_NAME" "$KRATIX_OBJECT_NAMESPACE" "$(grep 'size:' /kratix/input/object.yaml | sed 's/.*size: //')" > /kratix/output/platform/health.yaml
            printf -- '- directory: platform\n  matchLabels: {environment: platform}\n' > /kratix/metadata/destination-selectors.yaml
            """)]), name: "checked")));

        _f.Platform.SubmitRequest(Yaml(Request(size: "degraded", kind: "Checked")));

        var record = Assert.Single(_f.Platform.GetHealthRecords(), r => r.Name == "example-check");
        Assert.Equal("degraded", record.State);
        Assert.StartsWith("default/checked-example-health-", record.GetAnnotation("kratix.io/applied-from"), StringComparison.Ordinal);
        Assert.Equal("degraded", _f.Platform.GetRequests("checked").Single().Status["healthStatus"]!["state"]!.GetValue<string>());

        _f.Platform.RemoveRequest("checked", "default", "example");
        Assert.DoesNotContain(_f.Platform.GetHealthRecords(), r => r.Name == "example-check");
    }

    [Fact]
    public void A_probe_submits_checks_the_files_in_the_git_store_removes_and_times_every_step()
    {
        var promise = _f.Platform.GetPromises().Single(p => p.Name == "thing");
        var request = PromiseProbe.BuildRequest(promise, null, new JsonObject { ["size"] = "small" }, null);

        var result = PromiseProbe.Run(_f.Platform, "thing", request, TimeSpan.FromSeconds(60), TimeSpan.FromMilliseconds(100));

        Assert.True(result.Success, result.Message);
        Assert.Matches("^thing-probe-[a-z0-9]{5}$", result.Request);
        var check = Assert.Single(result.Placements);
        Assert.True(check.Written);
        Assert.Equal("dev", check.Destination);
        Assert.Equal("GitStateStore/default", check.StateStore);
        Assert.Equal([$"dev/resources/default/thing/{result.Request}/instance/5058f/cm.yaml"], check.Paths);
        Assert.True(result.TimeToReconciled <= result.TimeToStateStore);
        Assert.True(result.TimeToStateStore <= result.Total);
        Assert.NotNull(result.TimeToRemoved);
        Assert.DoesNotContain(_f.Platform.GetRequests("thing"), r => r.Name == result.Request);
        Assert.Null(_f.RemoteFile(check.Paths[0]));

        var recorded = PromiseProbe.Record(_f.Platform, "thing", "default", "thing-probe", "healthy", result.ToDetails());
        Assert.False(recorded.HasRequest);
        Assert.Equal("thing", recorded.PromiseName);
        Assert.True(recorded.Details!["success"]!.GetValue<bool>());
    }

    [Fact]
    public void A_probe_fails_at_reconciled_when_no_destination_takes_the_documents_and_still_removes_its_request()
    {
        _f.Platform.InstallPromise(Yaml(Promise(WorkflowSpec(resourceConfigure: [Pipeline("instance", "echo 'kind: ConfigMap' > /kratix/output/cm.yaml")]), name: "nowhere", extraSpec: "  destinationSelectors:\n  - matchLabels: {environment: none}")));
        var promise = _f.Platform.GetPromises().Single(p => p.Name == "nowhere");

        var result = PromiseProbe.Run(_f.Platform, "nowhere", PromiseProbe.BuildRequest(promise, null, null, null), TimeSpan.FromSeconds(1), TimeSpan.FromMilliseconds(100));

        // Its Work is not scheduled, so the request is not Reconciled (WorksSucceeded is not True).
        Assert.False(result.Success);
        Assert.Equal(PromiseProbe.StepReconciled, result.FailedStep);
        Assert.Contains("Reconciled", result.Message, StringComparison.Ordinal);
        Assert.Null(result.TimeToReconciled);
        Assert.Null(result.TimeToStateStore);
        Assert.NotNull(result.TimeToRemoved);
        Assert.DoesNotContain(_f.Platform.GetRequests("nowhere"), r => r.Name == result.Request);
    }

    [Fact]
    public void A_probe_whose_request_is_refused_fails_at_submit()
    {
        var promise = _f.Platform.GetPromises().Single(p => p.Name == "thing");

        var result = PromiseProbe.Run(_f.Platform, "thing", PromiseProbe.BuildRequest(promise, null, new JsonObject { ["size"] = 3 }, null), TimeSpan.FromSeconds(5), TimeSpan.FromMilliseconds(100));

        Assert.False(result.Success);
        Assert.Equal(PromiseProbe.StepSubmit, result.FailedStep);
        Assert.Contains("spec.size", result.Message, StringComparison.Ordinal);
    }

    private static JsonNode? WithoutDescriptions(JsonNode? node)
    {
        switch (node)
        {
            case JsonObject obj:
                var copy = new JsonObject();
                foreach (var (key, value) in obj.Where(kv => kv.Key != "description"))
                {
                    copy[key] = WithoutDescriptions(value);
                }

                return copy;
            case JsonArray array:
                return new JsonArray(array.Select(WithoutDescriptions).ToArray());
            default:
                return node?.DeepClone();
        }
    }
}
