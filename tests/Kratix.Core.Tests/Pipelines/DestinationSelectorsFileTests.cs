using Kratix.Pipelines;

namespace Kratix.Core.Tests.Pipelines;

/// <summary>
/// metadata/destination-selectors.yaml as upstream's ParseDestinationSelectors reads it (work-creator/lib/work_creator.go,
/// its table of error cases in work_creator_test.go; behaviour.md §3): directories cleaned with filepath.Clean (empty
/// means "."), every entry needs matchLabels, directories unique and one level deep.
/// </summary>
public class DestinationSelectorsFileTests
{
    private const string Source = "pipeline \"p\" metadata/destination-selectors.yaml";

    private static KratixException Refused(string yaml)
    {
        var ex = Assert.Throws<KratixException>(() => DestinationSelectorsFile.Parse(yaml, Source));
        Assert.Equal("PipelineDestinationSelectorsInvalid", ex.ErrorId);
        Assert.Contains(Source, ex.Message, StringComparison.Ordinal);
        return ex;
    }

    [Fact]
    public void Reads_upstreams_valid_example()
    {
        var selectors = DestinationSelectorsFile.Parse("""[{"matchLabels":{"env": "dev"}}]""", Source);

        var selector = Assert.Single(selectors);
        Assert.Equal("dev", selector.MatchLabels["env"]);
        Assert.Equal(".", selector.Directory);
    }

    [Fact]
    public void Reads_upstreams_complete_sample()
    {
        // work-creator/samples/complete/metadata/destination-selectors.yaml
        var selectors = DestinationSelectorsFile.Parse("""
            - matchLabels:
                environment: production
                region: europe
            - matchLabels:
                environment: staging
              directory: baz/
            """, Source);

        Assert.Equal([".", "baz"], selectors.Select(s => s.Directory));
        Assert.Equal(new Dictionary<string, string> { ["environment"] = "production", ["region"] = "europe" }, selectors[0].MatchLabels);
        Assert.Equal(new Dictionary<string, string> { ["environment"] = "staging" }, selectors[1].MatchLabels);
    }

    [Theory]
    [InlineData("")]
    [InlineData("# only a comment\n")]
    [InlineData("[]")]
    public void An_empty_file_has_no_selectors(string yaml)
    {
        Assert.Empty(DestinationSelectorsFile.Parse(yaml, Source));
    }

    [Theory]
    [InlineData("\"\"", ".")]
    [InlineData(".", ".")]
    [InlineData("./", ".")]
    [InlineData("./dest1/", "dest1")]
    [InlineData("dest1/", "dest1")]
    [InlineData("dest1//", "dest1")]
    [InlineData("dest1/.", "dest1")]
    [InlineData("foo/../dest2", "dest2")]
    public void The_directory_is_cleaned_as_filepath_Clean_does(string directory, string expected)
    {
        var selectors = DestinationSelectorsFile.Parse($"- directory: {directory}\n  matchLabels: {{env: dev}}\n", Source);

        Assert.Equal(expected, Assert.Single(selectors).Directory);
    }

    [Fact]
    public void An_absent_directory_means_the_root()
    {
        Assert.Equal(".", Assert.Single(DestinationSelectorsFile.Parse("- matchLabels: {env: dev}\n", Source)).Directory);
    }

    [Fact]
    public void A_directory_that_reads_as_a_number_is_still_a_directory_name()
    {
        // sigs.k8s.io/yaml unmarshals into the Go struct's string field, so `directory: 2024` is the directory "2024".
        var selectors = DestinationSelectorsFile.Parse("- directory: 2024\n  matchLabels: {env: dev}\n", Source);

        Assert.Equal("2024", Assert.Single(selectors).Directory);
    }

    [Fact]
    public void Label_values_that_read_as_other_scalars_are_strings()
    {
        // From upstream's duplicate-directory case: `pci: true` is accepted as the label value "true".
        var selectors = DestinationSelectorsFile.Parse("- matchLabels:\n    pci: true\n    tier: 1\n", Source);

        Assert.Equal(new Dictionary<string, string> { ["pci"] = "true", ["tier"] = "1" }, Assert.Single(selectors).MatchLabels);
    }

    [Fact]
    public void An_entry_without_labels_is_refused_naming_its_index()
    {
        // Upstream's case "there are entries with no labels": `env` is not under matchLabels.
        var ex = Refused("- matchLabels:\n    env: dev\n  directory: \"bar\"\n- matchLabels:\n  env: prod");

        Assert.Contains("entry with index 1 has no selectors", ex.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("- directory: foo\n")]
    [InlineData("- directory: foo\n  matchLabels: {}\n")]
    public void Missing_or_empty_matchLabels_are_refused(string yaml)
    {
        var ex = Refused(yaml);

        Assert.Contains("entry with index 0 has no selectors", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Labels_are_checked_for_every_entry_before_directories_are_checked()
    {
        // Upstream checks all entries for labels first, then duplicates, then sub-directories.
        var ex = Refused("""
            - matchLabels: {env: dev}
              directory: foo/bar
            - directory: baz
            """);

        Assert.Contains("entry with index 1 has no selectors", ex.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("- matchLabels:\n    environment: production\n    region: europe\n- matchLabels:\n    environment: staging\n  directory: baz/\n- matchLabels:\n    pci: true\n  directory: baz/\n", "baz")]
    [InlineData("- matchLabels:\n    environment: production\n    region: europe\n  directory: foo/\n- matchLabels:\n    environment: staging\n  directory: foo\n", "foo")]
    [InlineData("- matchLabels:\n    environment: production\n    region: europe\n- matchLabels:\n    environment: staging\n", ".")]
    [InlineData("- matchLabels: {a: b}\n  directory: ./x\n- matchLabels: {c: d}\n  directory: x/\n", "x")]
    public void Duplicate_directories_are_refused_after_cleaning(string yaml, string directory)
    {
        var ex = Refused(yaml);

        Assert.Contains("duplicate", ex.Message, StringComparison.OrdinalIgnoreCase);
        Assert.Contains(directory, ex.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("foo/bar")]
    [InlineData("./foo/bar/")]
    [InlineData("/abs")]
    public void Sub_directories_are_refused(string directory)
    {
        var ex = Refused($"- matchLabels:\n    environment: production\n- matchLabels:\n    environment: staging\n  directory: {directory}\n");

        Assert.Contains("sub-directories are not allowed", ex.Message, StringComparison.Ordinal);
        Assert.Contains(DestinationSelectorsFile.Clean(directory), ex.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("invalid-key: invalid-value")]
    [InlineData("just a string")]
    [InlineData("42")]
    public void A_file_that_is_not_a_list_is_refused(string yaml)
    {
        var ex = Refused(yaml);

        Assert.Contains("list", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void An_entry_that_is_not_a_mapping_is_refused()
    {
        var ex = Refused("- matchLabels: {env: dev}\n- just-a-string\n");

        Assert.Contains("index 1", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Yaml_that_does_not_parse_is_a_parse_error_naming_the_file()
    {
        var ex = Assert.Throws<KratixException>(() => DestinationSelectorsFile.Parse("- matchLabels: {env: dev\n", Source));

        Assert.Equal("ManifestParseError", ex.ErrorId);
        Assert.Contains(Source, ex.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("", ".")]
    [InlineData(".", ".")]
    [InlineData("./", ".")]
    [InlineData("a/./b/../c/", "a/c")]
    [InlineData("../a", "../a")]
    [InlineData("a/../..", "..")]
    [InlineData("/../a", "/a")]
    [InlineData("/", "/")]
    [InlineData("//a//", "/a")]
    public void Clean_is_Go_filepath_Clean(string path, string expected)
    {
        Assert.Equal(expected, DestinationSelectorsFile.Clean(path));
    }
}
