using System.Diagnostics;
using System.Text.Json;
using System.Text.Json.Nodes;
using Kratix.Manifests;

namespace Kratix.Tests.Manifests;

public class ManifestReaderTests
{
    private static JsonNode? ReadOne(string yaml) => Assert.Single(ManifestReader.Default.ReadString(yaml)).Content;

    [Theory]
    [InlineData("v: yes", JsonValueKind.True)]
    [InlineData("v: On", JsonValueKind.True)]
    [InlineData("v: n", JsonValueKind.False)]
    [InlineData("v: FALSE", JsonValueKind.False)]
    [InlineData("v: 12", JsonValueKind.Number)]
    [InlineData("v: -3.5e2", JsonValueKind.Number)]
    [InlineData("v: 0x1F", JsonValueKind.Number)]
    [InlineData("v: .inf", JsonValueKind.Number)]
    [InlineData("v: 2024-01-01", JsonValueKind.String)]
    [InlineData("v: '12'", JsonValueKind.String)]
    [InlineData("v: \"true\"", JsonValueKind.String)]
    [InlineData("v: !!str 12", JsonValueKind.String)]
    [InlineData("v: 1.2.3", JsonValueKind.String)]
    [InlineData("v: 100m", JsonValueKind.String)]
    public void Scalars_resolve_as_kubernetes_resolves_them(string yaml, JsonValueKind expected)
    {
        Assert.Equal(expected, ReadOne(yaml)!["v"]!.GetValueKind());
    }

    [Theory]
    [InlineData("v: ~")]
    [InlineData("v: null")]
    [InlineData("v:")]
    public void Null_forms_are_null(string yaml)
    {
        var map = Assert.IsType<JsonObject>(ReadOne(yaml));
        Assert.True(map.ContainsKey("v"));
        Assert.Null(map["v"]);
    }

    [Theory]
    [InlineData("v: 0755", 493L)]
    [InlineData("v: 0o17", 15L)]
    [InlineData("v: 1_000", 1000L)]
    [InlineData("v: -42", -42L)]
    [InlineData("v: 0b101", 5L)]
    public void Integers_follow_yaml_1_1(string yaml, long expected)
    {
        Assert.Equal(expected, ReadOne(yaml)!["v"]!.GetValue<long>());
    }

    [Fact]
    public void Multiple_documents_skip_empty_ones_but_keep_their_index()
    {
        var docs = ManifestReader.Default.ReadString("---\n---\na: 1\n---\n# only a comment\n---\nb: 2\n", "multi.yaml");
        Assert.Equal(2, docs.Count);
        Assert.Equal(1, docs[0].Index);
        Assert.Equal(3, docs[1].Index);
        Assert.Equal("multi.yaml", docs[1].Source);
        Assert.Equal(6, docs[1].Start.Line);
    }

    [Fact]
    public void Json_is_read_too()
    {
        var doc = ReadOne("{\"apiVersion\": \"v1\", \"items\": [1, 2.5, true, null, \"x\"]}")!;
        Assert.Equal("v1", doc["apiVersion"]!.GetValue<string>());
        Assert.Equal(5, doc["items"]!.AsArray().Count);
        Assert.Equal(2.5, doc["items"]![1]!.GetValue<double>());
    }

    [Fact]
    public void Anchors_aliases_and_merge_keys_work()
    {
        var doc = ReadOne("""
            base: &base
              size: small
              replicas: 1
            copy: *base
            merged:
              <<: *base
              replicas: 3
            list: [&x 1, *x]
            """)!;
        Assert.Equal("small", doc["copy"]!["size"]!.GetValue<string>());
        Assert.Equal(3, doc["merged"]!["replicas"]!.GetValue<long>());
        Assert.Equal("small", doc["merged"]!["size"]!.GetValue<string>());
        Assert.Equal(1, doc["list"]![1]!.GetValue<long>());
        doc["copy"]!["size"] = "changed";
        Assert.Equal("small", doc["base"]!["size"]!.GetValue<string>());
    }

    [Fact]
    public void A_malformed_file_names_file_line_and_column()
    {
        var path = Path.Combine(Path.GetTempPath(), $"kratix-bad-{Guid.NewGuid():N}.yaml");
        File.WriteAllText(path, "apiVersion: v1\nkind: Promise\nmetadata:\n  name: [unclosed\n  other: x\n");
        try
        {
            var ex = Assert.Throws<KratixException>(() => ManifestReader.Default.ReadFile(path));
            Assert.Equal("ManifestParseError", ex.ErrorId);
            Assert.Matches($"^{System.Text.RegularExpressions.Regex.Escape(path)}:[45]:\\d+: ", ex.Message);
        }
        finally
        {
            File.Delete(path);
        }
    }

    [Fact]
    public void Duplicate_keys_are_refused_with_their_line()
    {
        var ex = Assert.Throws<KratixException>(() => ManifestReader.Default.ReadString("a: 1\nb: 2\na: 3\n", "dup.yaml"));
        Assert.Equal("ManifestDuplicateKey", ex.ErrorId);
        Assert.StartsWith("dup.yaml:3:1: mapping key \"a\" is already defined", ex.Message);
    }

    [Fact]
    public void Undefined_alias_is_refused()
    {
        var ex = Assert.Throws<KratixException>(() => ManifestReader.Default.ReadString("a: *nope\n", "x.yaml"));
        Assert.StartsWith("x.yaml:1:4:", ex.Message);
    }

    [Fact]
    public void A_billion_laughs_document_is_refused_quickly()
    {
        var yaml = new System.Text.StringBuilder("a: &a [\"lol\",\"lol\",\"lol\",\"lol\",\"lol\",\"lol\",\"lol\",\"lol\",\"lol\"]\n");
        for (var level = 'b'; level <= 'i'; level++)
        {
            var previous = (char)(level - 1);
            yaml.Append($"{level}: &{level} [{string.Join(",", Enumerable.Repeat($"*{previous}", 9))}]\n");
        }

        var watch = Stopwatch.StartNew();
        var ex = Assert.Throws<KratixException>(() => ManifestReader.Default.ReadString(yaml.ToString(), "lol.yaml"));
        watch.Stop();
        Assert.Equal("ManifestTooLarge", ex.ErrorId);
        Assert.Contains("alias", ex.Message, StringComparison.Ordinal);
        Assert.True(watch.Elapsed < TimeSpan.FromSeconds(5), $"refusal took {watch.Elapsed}");
    }

    [Fact]
    public void Deep_nesting_is_refused_not_a_stack_overflow()
    {
        var yaml = new string('[', 5000) + new string(']', 5000);
        var ex = Assert.Throws<KratixException>(() => ManifestReader.Default.ReadString(yaml));
        Assert.Equal("ManifestTooDeep", ex.ErrorId);
    }

    [Fact]
    public void Locations_point_at_fields()
    {
        var doc = Assert.Single(ManifestReader.Default.ReadString("spec:\n  items:\n  - name: a\n  - name: b\n  labels:\n    app: x\n", "loc.yaml"));
        Assert.Equal(new SourceLocation("loc.yaml", 4, 5), doc.Locate("spec.items[1].name"));
        Assert.Equal(6, doc.Locate("spec.labels[app]").Line);
        Assert.Equal(5, doc.Locate("spec.labels.missing").Line);
    }

    [Fact]
    public void Describe_names_kind_name_and_position()
    {
        var docs = ManifestReader.Default.ReadString("a: 1\n---\nkind: Promise\nmetadata:\n  name: redis\n", "p.yaml");
        Assert.Equal("Promise \"redis\" (document 2 of p.yaml, line 2)", docs[1].Describe());
    }
}

public class ManifestInputTests
{
    [Fact]
    public void A_document_of_the_wrong_kind_is_named_by_kind_name_and_position()
    {
        var items = ManifestInput.FromObject("apiVersion: platform.kratix.io/v1alpha1\nkind: Promise\nmetadata:\n  name: a\n---\napiVersion: platform.kratix.io/v1alpha1\nkind: Destination\nmetadata:\n  name: dev\n");
        items[0].ExpectKind("Promise");
        var ex = Assert.Throws<KratixException>(() => items[1].ExpectKind("Promise"));
        Assert.Equal("UnexpectedKind", ex.ErrorId);
        Assert.Equal("Destination \"dev\" (document 2 of <input>, line 5) is a Destination, not a Promise. Register it with Register-KratixDestination.", ex.Message);
    }

    [Fact]
    public void Hashtables_lists_and_objects_become_manifests()
    {
        var table = new System.Collections.Hashtable { ["apiVersion"] = "v1", ["kind"] = "ConfigMap", ["metadata"] = new System.Collections.Hashtable { ["name"] = "x" } };
        var items = ManifestInput.FromObject(new object[] { table, "kind: Namespace\nmetadata:\n  name: y\n" });
        Assert.Equal(["ConfigMap", "Namespace"], items.Select(i => i.Kind));
        Assert.Equal("UnsupportedInput", Assert.Throws<KratixException>(() => ManifestInput.FromObject(42)).ErrorId);
    }

    [Fact]
    public void Text_is_named_as_its_source_says_in_descriptions_field_locations_and_parse_errors()
    {
        var items = ManifestInput.FromText("kind: Promise\nmetadata:\n  name: a\n---\nkind: Cache\nmetadata:\n  name: b\nspec:\n  size: huge\n", "piped text");
        Assert.Equal("Cache \"b\" (document 2 of piped text, line 4)", items[1].Describe());
        Assert.Equal("piped text:9:3", items[1].Source!.Locate("spec.size").ToString());

        var ex = Assert.Throws<KratixException>(() => ManifestInput.FromText("kind: Promise\nmetadata: [unclosed\n", "piped text 2"));
        Assert.Equal("ManifestParseError", ex.ErrorId);
        Assert.StartsWith("piped text 2:", ex.Message, StringComparison.Ordinal);
    }
}
