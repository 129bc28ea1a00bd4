using System.Text.Json.Nodes;
using Kratix.Manifests;

namespace Kratix.Tests.Manifests;

public class ManifestWriterTests
{
    public static TheoryData<string> UpstreamFiles()
    {
        var data = new TheoryData<string>();
        foreach (var file in TestPaths.PromiseFiles.Concat(TestPaths.RequestFiles))
        {
            data.Add(Path.GetRelativePath(TestPaths.UpstreamPromises, file));
        }

        return data;
    }

    [Theory]
    [MemberData(nameof(UpstreamFiles))]
    public void Every_upstream_manifest_round_trips_through_yaml_and_json(string relativePath)
    {
        var documents = ManifestReader.Default.ReadFile(Path.Combine(TestPaths.UpstreamPromises, relativePath));
        Assert.NotEmpty(documents);
        foreach (var document in documents)
        {
            var yaml = ManifestWriter.ToYaml(document.Content);
            var again = Assert.Single(ManifestReader.Default.ReadString(yaml, "rewritten")).Content;
            Assert.True(JsonValues.DeepEquals(document.Content, again), $"{document.Describe()} changed through YAML:\n{yaml}");

            var json = ManifestWriter.ToJson(document.Content);
            Assert.True(JsonValues.DeepEquals(document.Content, JsonNode.Parse(json)), $"{document.Describe()} changed through JSON");
        }
    }

    [Theory]
    [InlineData("yes")]
    [InlineData("123")]
    [InlineData("")]
    [InlineData("null")]
    [InlineData("- item")]
    [InlineData("a: b")]
    [InlineData("#comment")]
    [InlineData("line one\nline two\n")]
    [InlineData("trailing space ")]
    [InlineData("0755")]
    [InlineData("*alias")]
    public void Strings_that_look_like_other_things_stay_strings(string text)
    {
        var yaml = ManifestWriter.ToYaml(new JsonObject { ["v"] = text });
        var back = Assert.Single(ManifestReader.Default.ReadString(yaml)).Content!["v"]!;
        Assert.Equal(System.Text.Json.JsonValueKind.String, back.GetValueKind());
        Assert.Equal(text, back.GetValue<string>());
    }

    [Fact]
    public void Output_is_kubectl_style_block_yaml()
    {
        var node = new JsonObject
        {
            ["apiVersion"] = "v1",
            ["list"] = new JsonArray("a", 1, true),
            ["empty"] = new JsonObject(),
            ["none"] = new JsonArray(),
            ["nested"] = new JsonObject { ["x"] = 1.5 },
        };
        Assert.Equal("apiVersion: v1\nlist:\n- a\n- 1\n- true\nempty: {}\nnone: []\nnested:\n  x: 1.5\n", ManifestWriter.ToYaml(node));
    }

    [Fact]
    public void Unknown_fields_survive_a_round_trip()
    {
        const string yaml = "apiVersion: platform.kratix.io/v1alpha1\nkind: Promise\nmetadata:\n  name: p\nspec:\n  somethingNew:\n    deep: [1, 2]\nextra: true\n";
        var node = Assert.Single(ManifestReader.Default.ReadString(yaml)).Content;
        var written = ManifestWriter.ToYaml(node);
        Assert.Contains("somethingNew:", written, StringComparison.Ordinal);
        Assert.Contains("extra: true", written, StringComparison.Ordinal);
    }

    [Fact]
    public void Clr_values_convert_both_ways()
    {
        var table = new System.Collections.Hashtable { ["size"] = "small", ["replicas"] = 3, ["tags"] = new object[] { "a", 2.5 }, ["nested"] = new System.Collections.Hashtable { ["on"] = true } };
        var node = JsonValues.FromClr(table)!;
        Assert.Equal(3, node["replicas"]!.GetValue<long>());
        Assert.Equal(2.5, node["tags"]![1]!.GetValue<double>());
        Assert.True(node["nested"]!["on"]!.GetValue<bool>());
        var back = (System.Collections.Specialized.OrderedDictionary)JsonValues.ToClr(node)!;
        Assert.Equal(3L, back["REPLICAS"]);
    }
}
