using System.Collections.Specialized;
using System.Text;
using System.Text.Json.Nodes;
using Kratix.Objects;
using Kratix.Pipelines;
using Kratix.Presentation;

namespace Kratix.Core.Tests.Presentation;

/// <summary>What Invoke-KratixPipeline shows of a pipeline run, built from the executor's result.</summary>
public class PipelineResultViewTests
{
    private static readonly ValueSources Secrets = new(
        new Dictionary<string, IReadOnlyDictionary<string, string>>(),
        new Dictionary<string, IReadOnlyDictionary<string, string>> { ["db"] = new Dictionary<string, string> { ["password"] = "hunter22" } });

    private static PipelineOutputFile File(string path, string text) => new(path, Encoding.UTF8.GetBytes(text));

    private static PipelineResult Pipeline(
        string phase = PipelinePhases.Succeeded,
        IReadOnlyList<PipelineOutputFile>? files = null,
        IReadOnlyList<ContainerResult>? containers = null,
        string? error = null,
        JsonObject? statusFile = null,
        WorkflowControl? control = null,
        IReadOnlyList<DirectorySelector>? selectors = null,
        IReadOnlyList<WorkloadGroup>? groups = null) =>
        new(
            "configure",
            1,
            phase,
            containers ?? [new ContainerResult("step", "example/step:v1", 0, TimeSpan.FromSeconds(2), "ok\n", false)],
            files ?? [],
            selectors ?? [],
            groups ?? [],
            statusFile,
            new JsonObject { ["message"] = "done", ["Conditions"] = new JsonArray(new JsonObject { ["type"] = "Ready" }) },
            control,
            error,
            TimeSpan.FromSeconds(3),
            "/tmp/out/configure");

    private static PipelineResultView View(PipelineResult pipeline, ValueSources? secrets = null) =>
        Assert.Single(PipelineResultView.From(new WorkflowResult("Host", "resource", "configure", [pipeline], pipeline.Status), secrets));

    [Fact]
    public void It_names_the_pipeline_its_workflow_runtime_and_phase()
    {
        var view = View(Pipeline());

        Assert.Equal("configure", view.Name);
        Assert.Equal(1, view.Index);
        Assert.Equal("resource.configure", view.Workflow);
        Assert.Equal("Host", view.Runtime);
        Assert.Equal("Succeeded", view.Phase);
        Assert.True(view.Succeeded);
        Assert.Equal(TimeSpan.FromSeconds(3), view.Duration);
        Assert.Equal("/tmp/out/configure", view.WorkspacePath);
        Assert.Null(view.Error);
        Assert.Null(view.FailureMessage);
    }

    [Fact]
    public void Each_yaml_or_json_document_becomes_a_dictionary_with_its_file_and_index()
    {
        var view = View(Pipeline(files:
        [
            File("app/resources.yaml", "apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: one\ndata:\n  size: small\n---\n---\napiVersion: v1\nkind: Secret\nmetadata:\n  name: two\n"),
            File("notes.txt", "kind: NotADocument\n"),
            File("service.json", """{"apiVersion": "v1", "kind": "Service", "spec": {"ports": [{"port": 80}]}}"""),
        ]));

        Assert.Equal(3, view.Documents.Count);
        var configMap = view.Documents[0];
        Assert.Equal("app/resources.yaml", configMap.Path);
        Assert.Equal(0, configMap.Index);
        Assert.Equal(["apiVersion", "kind", "metadata", "data"], configMap.Content.Keys.Cast<string>());
        Assert.Equal("ConfigMap", configMap.Content["kind"]);
        Assert.Equal("small", ((OrderedDictionary)configMap.Content["data"]!)["size"]);

        // The empty document between the two is skipped, but the index is the document's place in the file.
        Assert.Equal(("app/resources.yaml", 2, "Secret"), (view.Documents[1].Path, view.Documents[1].Index, view.Documents[1].Content["kind"]));
        var service = view.Documents[2];
        Assert.Equal("service.json", service.Path);
        var ports = (object?[])((OrderedDictionary)service.Content["spec"]!)["ports"]!;
        Assert.Equal(80L, ((OrderedDictionary)ports[0]!)["port"]);
    }

    [Fact]
    public void A_file_that_does_not_parse_has_no_documents_but_is_still_among_the_files()
    {
        var view = View(Pipeline(files: [File("broken.yaml", "a: [unclosed\n"), File("ok.yaml", "kind: Namespace\n")]));

        Assert.Equal(["ok.yaml"], view.Documents.Select(d => d.Path));
        Assert.Equal(["broken.yaml", "ok.yaml"], view.Files.Select(f => f.Path));
    }

    [Fact]
    public void Files_have_their_text_and_length_in_bytes()
    {
        var view = View(Pipeline(files: [File("é.txt", "héllo\n")]));

        var file = Assert.Single(view.Files);
        Assert.Equal("é.txt", file.Path);
        Assert.Equal("héllo\n", file.Text);
        Assert.Equal(7, file.Length);
    }

    [Fact]
    public void Workload_groups_list_their_files_and_selectors_and_the_metadata_selectors_are_as_written()
    {
        var files = new[] { File("db/db.yaml", "kind: A\n"), File("app.yaml", "kind: B\n") };
        var selectors = new[] { new DirectorySelector("db", new Dictionary<string, string> { ["tier"] = "data" }) };
        var groups = WorkloadGroupBuilder.Build(files, selectors, "resource", [new DestinationSelector(new Dictionary<string, string> { ["env"] = "dev" }, "promise")], "configure");

        var view = View(Pipeline(files: files, selectors: selectors, groups: groups));

        Assert.Equal(2, view.WorkloadGroups.Count);
        var db = view.WorkloadGroups[0];
        Assert.Equal(GeneratedNames.Md5("db"), db.Id);
        Assert.Equal("db", db.Directory);
        Assert.Equal(["db/db.yaml"], db.Files);
        var dbSelector = Assert.Single(db.DestinationSelectors);
        Assert.Equal("data", dbSelector.MatchLabels["TIER"]);
        Assert.Equal("resource-workflow", dbSelector.Source);
        var root = view.WorkloadGroups[1];
        Assert.Equal((KratixApi.DefaultWorkloadGroupId, ".", "promise"), (root.Id, root.Directory, Assert.Single(root.DestinationSelectors).Source));
        Assert.Equal(["app.yaml"], root.Files);

        var written = Assert.Single(view.DestinationSelectors);
        Assert.Equal("db", written.Directory);
        Assert.Equal("data", written.MatchLabels["tier"]);
    }

    [Fact]
    public void Status_and_the_status_file_are_case_insensitive_dictionaries()
    {
        var view = View(Pipeline(statusFile: new JsonObject { ["endpoint"] = "db:5432" }));

        Assert.Equal("done", view.Status["Message"]);
        Assert.IsType<object?[]>(view.Status["conditions"]);
        Assert.Equal("db:5432", view.StatusFile!["endpoint"]);
        Assert.Null(View(Pipeline()).StatusFile);
    }

    [Fact]
    public void Workflow_control_and_containers_are_passed_through()
    {
        var control = new WorkflowControl(true, TimeSpan.FromMinutes(5), "waiting");

        var view = View(Pipeline(phase: PipelinePhases.Suspended, control: control));

        Assert.Same(control, view.WorkflowControl);
        Assert.False(view.Succeeded);
        Assert.Null(view.FailureMessage);
        var container = Assert.Single(view.Containers);
        Assert.Equal(("step", "example/step:v1", 0), (container.Name, container.Image, container.ExitCode));
    }

    [Fact]
    public void A_failure_says_why_with_the_last_twenty_lines_of_the_failing_containers_log()
    {
        var log = string.Join('\n', Enumerable.Range(1, 30).Select(i => $"line {i}")) + "\n";
        var view = View(Pipeline(
            phase: PipelinePhases.Failed,
            containers:
            [
                new ContainerResult("first", "img:1", 0, TimeSpan.Zero, "fine\n", false),
                new ContainerResult("second", "img:2", 3, TimeSpan.Zero, log, false),
            ],
            error: "Pipeline \"configure\" container \"second\" exited with code 3.") with { FailureId = WorkflowExecutor.ContainerFailedErrorId, FailureCategory = KratixErrorCategory.InvalidResult });

        Assert.False(view.Succeeded);
        Assert.Equal(WorkflowExecutor.ContainerFailedErrorId, view.FailureId);
        Assert.Equal(KratixErrorCategory.InvalidResult, view.FailureCategory);
        Assert.StartsWith("resource.configure pipeline \"configure\" failed: Pipeline \"configure\" container \"second\" exited with code 3.", view.FailureMessage);
        Assert.Contains("--- last 20 lines of second's log ---", view.FailureMessage);
        Assert.Contains("line 11\n", view.FailureMessage);
        Assert.EndsWith("line 30", view.FailureMessage);
        Assert.DoesNotContain("line 10\n", view.FailureMessage);
    }

    [Fact]
    public void Secret_values_are_masked_in_the_error_and_failure_message_but_not_in_the_log()
    {
        var view = View(
            Pipeline(
                phase: PipelinePhases.Failed,
                containers: [new ContainerResult("step", "img", 1, TimeSpan.Zero, "connecting with hunter22\n", false)],
                error: "engine said: bad value hunter22"),
            Secrets);

        Assert.Equal("engine said: bad value ***", view.Error);
        Assert.DoesNotContain("hunter22", view.FailureMessage);
        Assert.Contains("connecting with ***", view.FailureMessage);
        Assert.Equal("connecting with hunter22\n", view.Containers[0].Log);
    }

    [Fact]
    public void A_failure_of_unknown_kind_is_an_invalid_result()
    {
        var view = View(Pipeline(phase: PipelinePhases.Failed, error: "something"));

        Assert.Null(view.FailureId);
        Assert.Equal(KratixErrorCategory.InvalidResult, view.FailureCategory);
        Assert.Equal("resource.configure pipeline \"configure\" failed: something", view.FailureMessage);
    }
}
