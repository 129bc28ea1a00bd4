using System.Text.Json.Nodes;
using Kratix.Authoring;

namespace Kratix.Core.Tests.Authoring;

/// <summary>
/// The Promise author's toolkit as kratix-cli behaves (cmd/init_promise.go, add_container.go, build_promise.go,
/// update_api.go, update_dependencies.go, update_destination_selector.go and their tests in test/): layout of a new
/// Promise, flat and split; where a container goes and what its folder holds; joining split files; API, dependency and
/// selector edits. Real files in a temporary folder.
/// </summary>
public sealed class PromiseAuthoringTests : IDisposable
{
    private readonly string _dir = Directory.CreateTempSubdirectory("kratix-authoring-").FullName;

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    private static PromiseScaffoldOptions Postgres(bool split = false) =>
        new() { Name = "postgresql", Group = "syntasso.io", Kind = "Database", Split = split };

    private JsonObject Read(string relative) => PromiseFolder.ReadObject(Path.Combine(_dir, relative));

    [Fact]
    public void A_new_promise_is_kratix_clis_init_promise()
    {
        var files = PromiseScaffold.Create(_dir, Postgres());

        Assert.Equal(["promise.yaml", "example-resource.yaml", "README.md"], files.Select(Path.GetFileName));
        var promise = Read("promise.yaml");
        Assert.Equal("postgresql", (string?)promise["metadata"]!["name"]);
        Assert.Equal("v0.0.1", (string?)promise["metadata"]!["labels"]!["kratix.io/promise-version"]);
        var crd = promise["spec"]!["api"]!;
        Assert.Equal("databases.syntasso.io", (string?)crd["metadata"]!["name"]);
        Assert.Equal("database", (string?)crd["spec"]!["names"]!["singular"]);
        Assert.Equal("Namespaced", (string?)crd["spec"]!["scope"]);
        var version = crd["spec"]!["versions"]![0]!;
        Assert.Equal("v1alpha1", (string?)version["name"]);
        Assert.True((bool)version["served"]! && (bool)version["storage"]!);
        var spec = version["schema"]!["openAPIV3Schema"]!["properties"]!["spec"]!;
        Assert.Equal("object", (string?)spec["type"]);
        Assert.Empty(spec["default"]!.AsObject());
        Assert.Empty(spec["properties"]!.AsObject());
        Assert.Empty(promise["spec"]!["workflows"]!["promise"]!["configure"]!.AsArray());
        Assert.Empty(promise["spec"]!["workflows"]!["resource"]!["configure"]!.AsArray());

        var example = Read("example-resource.yaml");
        Assert.Equal("syntasso.io/v1alpha1", (string?)example["apiVersion"]);
        Assert.Equal("Database", (string?)example["kind"]);
        Assert.Equal("example-postgresql", (string?)example["metadata"]!["name"]);
    }

    [Fact]
    public void Version_and_plural_are_taken_when_given()
    {
        PromiseScaffold.Create(_dir, new PromiseScaffoldOptions { Name = "db", Group = "acme.io", Kind = "Database", Version = "v1", Plural = "dbs" });

        var crd = Read("promise.yaml")["spec"]!["api"]!;
        Assert.Equal("dbs.acme.io", (string?)crd["metadata"]!["name"]);
        Assert.Equal("v1", (string?)crd["spec"]!["versions"]![0]!["name"]);
        Assert.Equal("acme.io/v1", (string?)Read("example-resource.yaml")["apiVersion"]);
    }

    [Fact]
    public void A_split_promise_has_api_yaml_and_an_empty_dependencies_yaml_and_no_promise_yaml()
    {
        PromiseScaffold.Create(_dir, Postgres(split: true));

        Assert.False(File.Exists(Path.Combine(_dir, "promise.yaml")));
        Assert.Equal("CustomResourceDefinition", (string?)Read("api.yaml")["kind"]);
        Assert.Equal(string.Empty, File.ReadAllText(Path.Combine(_dir, "dependencies.yaml")));
        Assert.True(new PromiseFolder(_dir).IsSplit);
    }

    [Fact]
    public void A_new_promise_does_not_overwrite_files_unless_forced()
    {
        PromiseScaffold.Create(_dir, Postgres());

        var ex = Assert.Throws<KratixException>(() => PromiseScaffold.Create(_dir, Postgres()));
        Assert.Equal("PromiseFolderNotEmpty", ex.ErrorId);
        PromiseScaffold.Create(_dir, new PromiseScaffoldOptions { Name = "postgresql", Group = "syntasso.io", Kind = "Database", Force = true });
    }

    [Theory]
    [InlineData("Bad_Name", "syntasso.io", "Database")]
    [InlineData("db", "Syntasso IO", "Database")]
    [InlineData("db", "syntasso.io", "data-base")]
    public void Invalid_names_are_refused_before_anything_is_written(string name, string group, string kind)
    {
        var ex = Assert.Throws<KratixException>(() => PromiseScaffold.Create(_dir, new PromiseScaffoldOptions { Name = name, Group = group, Kind = kind }));

        Assert.Equal("PromiseApiInvalid", ex.ErrorId);
        Assert.Empty(Directory.EnumerateFileSystemEntries(_dir));
    }

    [Theory]
    [InlineData("syntasso/postgres-resource:v1.0.0", "syntasso-postgres-resource")]
    [InlineData("ghcr.io/syntasso/kratix-pipeline-utility", "ghcr-io-syntasso-kratix-pipeline-utility")]
    [InlineData("/image/", "image")]
    // kratix-cli's test: a name past 63 characters keeps a prefix and ends in 7 hex digits of its SHA-1.
    [InlineData("ghcr.io/blahblah/idp-reference-architecture/database-configure-pipeline:v0.1.0", "ghcr-io-blahblah-idp-reference-architecture-database-co-02fa06a")]
    public void The_default_container_name_is_kratix_clis(string image, string expected)
    {
        Assert.Equal(expected, PipelineScaffold.ContainerNameFor(image));
    }

    [Theory]
    [InlineData("resource/configure")]
    [InlineData("workflow/configure/p")]
    [InlineData("resource/update/p")]
    [InlineData("resource/configure/")]
    [InlineData("resource/configure/Bad_Name")]
    public void A_workflow_target_is_lifecycle_action_and_pipeline(string text)
    {
        Assert.Equal(PipelineTarget.InvalidErrorId, Assert.Throws<KratixException>(() => PipelineTarget.Parse(text)).ErrorId);
    }

    [Fact]
    public void A_container_goes_into_promise_yaml_and_gets_its_folder()
    {
        PromiseScaffold.Create(_dir, Postgres());

        var result = PipelineScaffold.AddContainer(_dir, PipelineTarget.Parse("resource/configure/instance"), "syntasso/postgres-resource:v1.0.0", null, PipelineLanguage.Bash, null);

        var pipelines = Read("promise.yaml")["spec"]!["workflows"]!["resource"]!["configure"]!.AsArray();
        var pipeline = Assert.Single(pipelines)!;
        Assert.Equal("Pipeline", (string?)pipeline["kind"]);
        Assert.Equal("instance", (string?)pipeline["metadata"]!["name"]);
        var container = Assert.Single(pipeline["spec"]!["containers"]!.AsArray())!;
        Assert.Equal("syntasso-postgres-resource", (string?)container["name"]);
        Assert.Equal("syntasso/postgres-resource:v1.0.0", (string?)container["image"]);

        var folder = Path.Combine(_dir, "workflows", "resource", "configure", "instance", "syntasso-postgres-resource");
        Assert.Equal(folder, result.ContainerDirectory);
        Assert.True(File.Exists(Path.Combine(folder, "Dockerfile")));
        Assert.True(File.Exists(Path.Combine(folder, "scripts", "pipeline.sh")));
        Assert.True(Directory.Exists(Path.Combine(folder, "resources")));
        Assert.Contains("ADD scripts/pipeline.sh /usr/bin/pipeline.sh", File.ReadAllText(Path.Combine(folder, "Dockerfile")));
    }

    [Fact]
    public void A_second_container_joins_the_pipeline_and_the_same_name_twice_is_refused()
    {
        PromiseScaffold.Create(_dir, Postgres());
        var target = PipelineTarget.Parse("promise/configure/pipeline0");
        PipelineScaffold.AddContainer(_dir, target, "a/first:v1", null, PipelineLanguage.Python, null);
        PipelineScaffold.AddContainer(_dir, target, "a/second:v1", "second", PipelineLanguage.Go, null);

        var containers = Read("promise.yaml")["spec"]!["workflows"]!["promise"]!["configure"]![0]!["spec"]!["containers"]!.AsArray();
        Assert.Equal(["a-first", "second"], containers.Select(c => (string?)c!["name"]));
        Assert.True(File.Exists(Path.Combine(_dir, "workflows/promise/configure/pipeline0/a-first/scripts/pipeline.py")));
        Assert.True(File.Exists(Path.Combine(_dir, "workflows/promise/configure/pipeline0/second/scripts/pipeline.go")));

        var ex = Assert.Throws<KratixException>(() => PipelineScaffold.AddContainer(_dir, target, "a/second:v2", "second", PipelineLanguage.Go, null));
        Assert.Equal(PipelineScaffold.ContainerExistsErrorId, ex.ErrorId);
    }

    [Fact]
    public void In_a_split_folder_a_container_goes_into_the_workflow_file()
    {
        PromiseScaffold.Create(_dir, Postgres(split: true));

        var result = PipelineScaffold.AddContainer(_dir, PipelineTarget.Parse("resource/delete/cleanup"), "acme/cleanup:v1", null, PipelineLanguage.Bash, null);

        Assert.Equal(Path.Combine(_dir, "workflows", "resource", "delete", "workflow.yaml"), result.WorkflowFile);
        var pipelines = (JsonArray)PromiseFolder.ReadYaml(result.WorkflowFile)!;
        Assert.Equal("cleanup", (string?)pipelines[0]!["metadata"]!["name"]);
        Assert.False(File.Exists(Path.Combine(_dir, "promise.yaml")));
    }

    [Fact]
    public void A_powershell_container_gets_the_sdk_beside_its_script()
    {
        PromiseScaffold.Create(_dir, Postgres());
        var sdk = Directory.CreateDirectory(Path.Combine(_dir, "sdk-source")).FullName;
        File.WriteAllText(Path.Combine(sdk, "Kratix.Sdk.psm1"), "# sdk");
        File.WriteAllText(Path.Combine(sdk, "Kratix.Sdk.psd1"), "@{}");

        var result = PipelineScaffold.AddContainer(_dir, PipelineTarget.Parse("resource/configure/instance"), "acme/ps:v1", null, PipelineLanguage.PowerShell, sdk);

        Assert.EndsWith("pipeline.ps1", result.ScriptPath);
        Assert.Contains("Read-KratixResourceInput", File.ReadAllText(result.ScriptPath));
        Assert.True(File.Exists(Path.Combine(result.ContainerDirectory, "sdk", "Kratix.Sdk", "Kratix.Sdk.psm1")));
        Assert.Contains("COPY sdk/Kratix.Sdk", File.ReadAllText(Path.Combine(result.ContainerDirectory, "Dockerfile")));
    }

    [Fact]
    public void Scaffolding_keeps_a_script_being_written()
    {
        PromiseScaffold.Create(_dir, Postgres());
        var first = PipelineScaffold.AddContainer(_dir, PipelineTarget.Parse("resource/configure/instance"), "acme/x:v1", null, PipelineLanguage.Bash, null);
        File.WriteAllText(first.ScriptPath, "my script");

        PipelineScaffold.AddContainer(_dir, PipelineTarget.Parse("resource/configure/instance"), "acme/x:v2", null, PipelineLanguage.Bash, null, force: true);

        Assert.Equal("my script", File.ReadAllText(first.ScriptPath));
        Assert.Equal("acme/x:v2", (string?)Read("promise.yaml")["spec"]!["workflows"]!["resource"]!["configure"]![0]!["spec"]!["containers"]![0]!["image"]);
    }

    [Fact]
    public void Building_a_split_folder_joins_api_dependencies_and_workflows()
    {
        PromiseScaffold.Create(_dir, Postgres(split: true));
        PipelineScaffold.AddContainer(_dir, PipelineTarget.Parse("resource/configure/instance"), "acme/x:v1", null, PipelineLanguage.Bash, null);
        File.WriteAllText(Path.Combine(_dir, "dependencies.yaml"), "- apiVersion: v1\n  kind: Namespace\n  metadata:\n    name: dbs\n");

        var promise = PromiseBuilder.Build(_dir, "postgresql");

        Assert.Equal("platform.kratix.io/v1alpha1", (string?)promise["apiVersion"]);
        Assert.Equal("Promise", (string?)promise["kind"]);
        Assert.Equal("postgresql", (string?)promise["metadata"]!["name"]);
        Assert.Equal("databases.syntasso.io", (string?)promise["spec"]!["api"]!["metadata"]!["name"]);
        Assert.Equal("dbs", (string?)promise["spec"]!["dependencies"]![0]!["metadata"]!["name"]);
        Assert.Equal("instance", (string?)promise["spec"]!["workflows"]!["resource"]!["configure"]![0]!["metadata"]!["name"]);
    }

    [Fact]
    public void Building_a_flat_folder_renames_its_promise()
    {
        PromiseScaffold.Create(_dir, Postgres());

        var promise = PromiseBuilder.Build(_dir, "other");

        Assert.Equal("other", (string?)promise["metadata"]!["name"]);
        Assert.Equal("v0.0.1", (string?)promise["metadata"]!["labels"]!["kratix.io/promise-version"]);
    }

    [Fact]
    public void Properties_are_added_nested_and_removed()
    {
        PromiseScaffold.Create(_dir, Postgres());

        PromiseApiEditor.Update(_dir, new PromiseApiChange { Properties = ["size:string", "replicas:integer", "tls.enabled:boolean", "tls.issuer:string"] });
        PromiseApiEditor.Update(_dir, new PromiseApiChange { Properties = ["size-"], Remove = ["tls.issuer"] });

        var properties = Read("promise.yaml")["spec"]!["api"]!["spec"]!["versions"]![0]!["schema"]!["openAPIV3Schema"]!["properties"]!["spec"]!["properties"]!;
        Assert.Null(properties["size"]);
        Assert.Equal("integer", (string?)properties["replicas"]!["type"]);
        Assert.Equal("object", (string?)properties["tls"]!["type"]);
        Assert.Equal("boolean", (string?)properties["tls"]!["properties"]!["enabled"]!["type"]);
        Assert.Null(properties["tls"]!["properties"]!["issuer"]);
    }

    [Theory]
    [InlineData("size:str")]
    [InlineData("size")]
    [InlineData("a:b:c")]
    public void A_bad_property_is_refused(string property)
    {
        PromiseScaffold.Create(_dir, Postgres());

        var ex = Assert.Throws<KratixException>(() => PromiseApiEditor.Update(_dir, new PromiseApiChange { Properties = [property] }));
        Assert.Equal(PromiseApiEditor.PropertyInvalidErrorId, ex.ErrorId);
    }

    [Fact]
    public void Renaming_the_api_renames_the_crd_and_updates_the_example_in_a_split_folder()
    {
        PromiseScaffold.Create(_dir, Postgres(split: true));

        PromiseApiEditor.Update(_dir, new PromiseApiChange { Group = "acme.org", Kind = "Store", Version = "v1beta1", Plural = "stores" });

        var crd = Read("api.yaml");
        Assert.Equal("stores.acme.org", (string?)crd["metadata"]!["name"]);
        Assert.Equal("store", (string?)crd["spec"]!["names"]!["singular"]);
        Assert.Equal("v1beta1", (string?)crd["spec"]!["versions"]![0]!["name"]);
        Assert.Equal("acme.org/v1beta1", (string?)Read("example-resource.yaml")["apiVersion"]);
        Assert.Equal("Store", (string?)Read("example-resource.yaml")["kind"]);
    }

    [Fact]
    public void Dependencies_come_from_a_folder_with_namespace_default()
    {
        PromiseScaffold.Create(_dir, Postgres());
        var deps = Directory.CreateDirectory(Path.Combine(_dir, "deps", "sub")).Parent!.FullName;
        File.WriteAllText(Path.Combine(deps, "a.yaml"), "apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: a\n---\napiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: b\n  namespace: x\n");
        File.WriteAllText(Path.Combine(deps, "sub", "c.yml"), "apiVersion: v1\nkind: Secret\nmetadata:\n  name: c\n");
        File.WriteAllText(Path.Combine(deps, "notes.txt"), "not a manifest");

        PromiseSpecEditor.SetDependencies(_dir, PromiseSpecEditor.ReadDependencies(deps));

        var dependencies = Read("promise.yaml")["spec"]!["dependencies"]!.AsArray();
        Assert.Equal(["a", "b", "c"], dependencies.Select(d => (string?)d!["metadata"]!["name"]));
        Assert.Equal(["default", "x", "default"], dependencies.Select(d => (string?)d!["metadata"]!["namespace"]));
    }

    [Fact]
    public void Dependencies_as_a_workflow_copy_the_manifests_and_empty_spec_dependencies()
    {
        PromiseScaffold.Create(_dir, Postgres());
        var deps = Directory.CreateDirectory(Path.Combine(_dir, "deps")).FullName;
        File.WriteAllText(Path.Combine(deps, "a.yaml"), "apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: a\n");
        PromiseSpecEditor.SetDependencies(_dir, PromiseSpecEditor.ReadDependencies(deps));

        var result = PromiseSpecEditor.SetDependenciesAsWorkflow(_dir, deps, "acme/deps:v1", null);

        Assert.Equal("configure-deps", result.ContainerName);
        Assert.Equal("cp /resources/* /kratix/output", File.ReadAllLines(result.ScriptPath)[^1]);
        Assert.True(File.Exists(Path.Combine(result.ContainerDirectory, "resources", "a.yaml")));
        var spec = Read("promise.yaml")["spec"]!;
        Assert.Null(spec["dependencies"]);
        Assert.Equal("dependencies", (string?)spec["workflows"]!["promise"]!["configure"]![0]!["metadata"]!["name"]);
    }

    [Fact]
    public void Destination_selectors_are_added_and_removed_in_the_first_selector()
    {
        PromiseScaffold.Create(_dir, Postgres());

        PromiseSpecEditor.UpdateDestinationSelectors(_dir, ["env=dev", "zone=a"]);
        PromiseSpecEditor.UpdateDestinationSelectors(_dir, ["zone-"]);

        var selectors = Read("promise.yaml")["spec"]!["destinationSelectors"]!.AsArray();
        var labels = Assert.Single(selectors)!["matchLabels"]!.AsObject();
        Assert.Equal("dev", (string?)labels["env"]);
        Assert.False(labels.ContainsKey("zone"));
        Assert.Equal("DestinationSelectorInvalid", Assert.Throws<KratixException>(() => PromiseSpecEditor.UpdateDestinationSelectors(_dir, ["zone"])).ErrorId);
    }
}
