using System.Formats.Tar;
using System.IO.Compression;
using System.Text.Json.Nodes;
using Kratix.Authoring;
using Kratix.Manifests;

namespace Kratix.Core.Tests.Authoring;

/// <summary>
/// A Promise from a Helm chart as kratix-cli's init helm-promise makes it (internal/helm_values_schema.go and its test;
/// test/init_helm_promise_test.go, where a real chart's replicaCount: 1 is a "number" because Helm reads values through JSON).
/// </summary>
public sealed class HelmPromiseTests : IDisposable
{
    private readonly string _dir = Directory.CreateTempSubdirectory("kratix-helm-").FullName;

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    private const string Values = """
        replicaCount: 1
        ratio: 0.5
        name: ""
        enabled: false
        serviceAccount:
          create: true
          annotations: {}
          name: ""
        tags: [a, b]
        ports: [80, 443]
        empty: []
        nothing: null
        """;

    private static JsonObject Schema(bool withDefaults = false) =>
        HelmPromise.ValuesToSchema((JsonObject)ManifestReader.Default.ReadString(Values)[0].Content!, withDefaults);

    [Fact]
    public void Values_become_properties_with_kratix_clis_types()
    {
        var schema = Schema();
        var properties = schema["properties"]!;

        Assert.Equal("object", (string?)schema["type"]);
        Assert.Empty(schema["default"]!.AsObject());
        Assert.Equal("number", (string?)properties["replicaCount"]!["type"]);
        Assert.Equal("number", (string?)properties["ratio"]!["type"]);
        Assert.Equal("string", (string?)properties["name"]!["type"]);
        Assert.Equal("boolean", (string?)properties["enabled"]!["type"]);
        Assert.Equal("object", (string?)properties["serviceAccount"]!["type"]);
        Assert.True((bool)properties["serviceAccount"]!["x-kubernetes-preserve-unknown-fields"]!);
        Assert.Equal("boolean", (string?)properties["serviceAccount"]!["properties"]!["create"]!["type"]);
        Assert.Equal("object", (string?)properties["serviceAccount"]!["properties"]!["annotations"]!["type"]);
        Assert.Equal("string", (string?)properties["tags"]!["items"]!["type"]);
        Assert.Equal("number", (string?)properties["ports"]!["items"]!["type"]);
        Assert.True((bool)properties["empty"]!["items"]!["x-kubernetes-int-or-string"]!);
        Assert.Equal("object", (string?)properties["nothing"]!["type"]);
        Assert.True((bool)properties["nothing"]!["x-kubernetes-preserve-unknown-fields"]!);
        Assert.Null(properties["replicaCount"]!["default"]);
    }

    [Fact]
    public void Defaults_come_from_the_values_when_asked()
    {
        var properties = Schema(withDefaults: true)["properties"]!;

        Assert.Equal(1L, (long)properties["replicaCount"]!["default"]!);
        Assert.True((bool)properties["serviceAccount"]!["properties"]!["create"]!["default"]!);
        Assert.Equal(string.Empty, (string?)properties["name"]!["default"]);
    }

    [Fact]
    public void The_workflow_runs_the_helm_stage_with_the_charts_url_name_and_version()
    {
        var pipeline = HelmPromise.ResourceConfigure(new HelmChartSource("https://helm.github.io/examples", "hello-world", "0.1.0"))[0]!;

        Assert.Equal("instance-configure", (string?)pipeline["metadata"]!["name"]);
        var container = pipeline["spec"]!["containers"]![0]!;
        Assert.Equal("instance-configure", (string?)container["name"]);
        Assert.Equal("ghcr.io/syntasso/kratix-cli/helm-resource-configure:v0.2.0", (string?)container["image"]);
        Assert.Equal(["CHART_URL=https://helm.github.io/examples", "CHART_NAME=hello-world", "CHART_VERSION=0.1.0"],
            container["env"]!.AsArray().Select(e => $"{e!["name"]}={e["value"]}"));
        Assert.Single(HelmPromise.ResourceConfigure(new HelmChartSource("oci://x/y", null, null))[0]!["spec"]!["containers"]![0]!["env"]!.AsArray());
    }

    [Fact]
    public void Values_are_read_from_a_chart_folder_and_from_a_packaged_chart()
    {
        var chart = Directory.CreateDirectory(Path.Combine(_dir, "web")).FullName;
        File.WriteAllText(Path.Combine(chart, "Chart.yaml"), "apiVersion: v2\nname: web\nversion: 1.0.0\n");
        File.WriteAllText(Path.Combine(chart, "values.yaml"), "replicaCount: 2\n");
        Directory.CreateDirectory(Path.Combine(chart, "charts", "sub"));
        File.WriteAllText(Path.Combine(chart, "charts", "sub", "values.yaml"), "other: true\n");
        var package = Path.Combine(_dir, "web-1.0.0.tgz");
        using (var file = File.Create(package))
        using (var gzip = new GZipStream(file, CompressionLevel.Fastest))
        {
            // As helm package lays it out: web/Chart.yaml, web/values.yaml, web/charts/sub/values.yaml.
            TarFile.CreateFromDirectory(_dir + "/web", gzip, includeBaseDirectory: true);
        }

        Assert.Equal(2L, (long)HelmPromise.ReadValues(chart)["replicaCount"]!);
        var packaged = HelmPromise.ReadValues(package);
        Assert.Equal(2L, (long)packaged["replicaCount"]!);
        Assert.Null(packaged["other"]);
        Assert.Equal("HelmChartInvalid", Assert.Throws<KratixException>(() => HelmPromise.ReadValues(Path.Combine(chart, "Chart.yaml"))).ErrorId);
    }

    [Fact]
    public void A_helm_promise_has_the_schema_and_the_workflow()
    {
        var values = HelmPromise.ReadValues(WriteChart());
        PromiseScaffold.Create(_dir, new PromiseScaffoldOptions
        {
            Name = "web", Group = "acme.io", Kind = "Web",
            SpecSchema = HelmPromise.ValuesToSchema(values),
            ResourceConfigure = HelmPromise.ResourceConfigure(new HelmChartSource("oci://ghcr.io/acme/web", null, "1.0.0")),
        });

        var promise = PromiseFolder.ReadObject(Path.Combine(_dir, "promise.yaml"));
        Assert.Equal("number", (string?)promise["spec"]!["api"]!["spec"]!["versions"]![0]!["schema"]!["openAPIV3Schema"]!["properties"]!["spec"]!["properties"]!["replicaCount"]!["type"]);
        Assert.Equal("instance-configure", (string?)promise["spec"]!["workflows"]!["resource"]!["configure"]![0]!["metadata"]!["name"]);
    }

    private string WriteChart()
    {
        var chart = Directory.CreateDirectory(Path.Combine(_dir, "chart")).FullName;
        File.WriteAllText(Path.Combine(chart, "values.yaml"), Values);
        return chart;
    }
}
