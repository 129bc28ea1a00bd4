using System.Text;
using System.Text.Json.Nodes;
using Kratix.Destinations;
using Kratix.Objects;
using Kratix.StateStores;

namespace Kratix.Tests.Destinations;

/// <summary>
/// The state-store layout as a pure function (the aggregatedYAML mode mostly), against upstream's workplacement_controller.go
/// (getAggregatedWorkload, combineAllWorkloads, writeWorkloadsToStateStore, deleteWorkPlacement).
/// </summary>
public class DestinationLayoutTests
{
    private static readonly PlacementContext NoContext = new(string.Empty, string.Empty, []);

    [Fact]
    public void The_aggregate_joins_every_workload_of_the_placements_sorted_by_name_with_nothing_added_at_the_end()
    {
        var b = Placement("b.agg-5058f", ("b1.yaml", "kind: B1\n"), ("b2.yaml", "kind: B2"));
        var a = Placement("a.agg-5058f", ("a.yaml", "kind: A\n"));
        var c = Placement("C.agg-5058f", ("c.yaml", "kind: C\n"));

        // Ordinal, as Go compares strings: "C" (0x43) sorts before "a" (0x61).
        Assert.Equal("kind: C\n\n---\nkind: A\n\n---\nkind: B1\n\n---\nkind: B2", Text(DestinationLayout.AggregateContent([b, a, c])));
    }

    [Fact]
    public void Empty_workloads_still_take_a_separator_and_no_placements_give_no_bytes()
    {
        Assert.Equal("\n---\nx", Text(DestinationLayout.AggregateContent([Placement("a", ("e.yaml", string.Empty), ("x.yaml", "x"))])));
        Assert.Empty(DestinationLayout.AggregateContent([]));
        Assert.Empty(DestinationLayout.AggregateContent([Placement("a")]));
    }

    [Fact]
    public void A_write_rebuilds_the_file_from_every_placement_on_the_destination_with_the_written_one_in_place_of_its_old_version()
    {
        var destination = Aggregated("agg");
        var old = Placement("b.agg-5058f", ("b.yaml", "old"));
        var other = Placement("a.agg-5058f", ("a.yaml", "a"));
        var written = Placement("b.agg-5058f", ("b.yaml", "new"));

        var change = DestinationLayout.ForPlacement(destination, written, NoContext with { DestinationPlacements = [old, other] }, delete: false);

        Assert.Equal("Update from: b.agg-5058f", change.Description);
        var file = Assert.Single(change.Files);
        Assert.Equal("agg/aggregated.yaml", file.Path);
        Assert.Equal("a\n---\nnew", Text(file.Content));
        Assert.Empty(change.Deletions);
        Assert.Null(change.ReplaceDirectory);
    }

    [Fact]
    public void A_write_whose_placement_is_not_listed_still_includes_it()
    {
        var change = DestinationLayout.ForPlacement(Aggregated("agg"), Placement("a", ("a.yaml", "a")), NoContext, delete: false);

        Assert.Equal("a", Text(Assert.Single(change.Files).Content));
    }

    [Fact]
    public void A_removal_rewrites_the_aggregate_while_others_remain_and_deletes_it_with_the_last()
    {
        var destination = Aggregated("agg", "catalog.yaml");
        var a = Placement("a", ("a.yaml", "a"));
        var b = Placement("b", ("b.yaml", "b"));

        var rewrite = DestinationLayout.ForPlacement(destination, a, NoContext with { DestinationPlacements = [a, b] }, delete: true);
        Assert.Equal("Update from: a", rewrite.Description);
        Assert.Equal(("agg/catalog.yaml", "b"), (Assert.Single(rewrite.Files).Path, Text(rewrite.Files[0].Content)));
        Assert.Empty(rewrite.Deletions);

        var last = DestinationLayout.ForPlacement(destination, b, NoContext with { DestinationPlacements = [b] }, delete: true);
        Assert.Equal("Delete from: b", last.Description);
        Assert.Empty(last.Files);
        Assert.Equal(["agg/catalog.yaml"], last.Deletions);
    }

    [Fact]
    public void A_removal_that_leaves_only_empty_workloads_deletes_the_file_as_upstream_checks_for_empty_content()
    {
        var empty = Placement("a", ("a.yaml", string.Empty));
        var gone = Placement("b", ("b.yaml", "b"));

        var change = DestinationLayout.ForPlacement(Aggregated("agg"), gone, NoContext with { DestinationPlacements = [empty, gone] }, delete: true);

        Assert.Equal("Delete from: b", change.Description);
        Assert.Equal(["agg/aggregated.yaml"], change.Deletions);
    }

    [Theory]
    [InlineData("agg", "aggregated.yaml", "agg/aggregated.yaml")]
    [InlineData(".", "aggregated.yaml", "aggregated.yaml")]
    [InlineData("agg/", "all/workloads.yaml", "agg/all/workloads.yaml")]
    [InlineData("agg", "/workloads.yaml", "agg/workloads.yaml")]
    public void The_aggregate_lives_at_the_destination_path_joined_with_the_filename(string path, string filename, string expected)
    {
        var change = DestinationLayout.ForPlacement(Aggregated(path, filename), Placement("a", ("a.yaml", "a")), NoContext, delete: false);

        Assert.Equal(expected, StatePaths.Normalize(Assert.Single(change.Files).Path, "test"));
    }

    [Fact]
    public void The_filename_defaults_to_aggregated_yaml()
    {
        var destination = new Destination(new JsonObject
        {
            ["metadata"] = new JsonObject { ["name"] = "agg" },
            ["spec"] = new JsonObject { ["path"] = "agg", ["filepath"] = new JsonObject { ["mode"] = Destination.ModeAggregatedYaml } },
        });

        Assert.Equal("agg/aggregated.yaml", DestinationLayout.AggregateFile(destination));
        destination.ApplyDefaults();
        Assert.Equal("aggregated.yaml", destination.Spec["filepath"]!["filename"]!.GetValue<string>());
    }

    [Fact]
    public void The_canary_files_go_to_the_root_of_the_destination_as_in_none()
    {
        var canary = DestinationLayout.Canary(Aggregated("agg"), delete: false);

        Assert.Equal(["agg/kratix-canary-namespace.yaml", "agg/kratix-canary-configmap.yaml"], canary.Files.Select(f => f.Path));
    }

    [Theory]
    [InlineData("/", "")]
    [InlineData(".", "")]
    [InlineData("/dev/", "dev/")]
    [InlineData("dev", "dev/")]
    public void A_destination_path_with_leading_slashes_is_relative_to_the_store_root_in_every_mode(string path, string prefix)
    {
        var placement = Placement("a", ("a.yaml", "a"));
        var nested = WithMode(Destination.ModeNestedByMetadata, path);
        var none = WithMode(Destination.ModeNone, path);

        Assert.Equal(prefix + "dependencies/p/pipe/5058f/a.yaml", DestinationLayout.ForPlacement(nested, placement, NoContext with { PipelineName = "pipe" }, delete: false).Files.Single().Path);
        Assert.Equal([prefix + ".kratix/default-a.yaml", prefix + "a.yaml"], DestinationLayout.ForPlacement(none, placement, NoContext, delete: false).Files.Select(f => f.Path));
        Assert.Equal(prefix + "aggregated.yaml", DestinationLayout.AggregateFile(WithMode(Destination.ModeAggregatedYaml, path)));
        Assert.Equal([prefix + "dependencies/kratix-canary-namespace.yaml", prefix + "resources/kratix-canary-configmap.yaml"], DestinationLayout.Canary(nested, delete: false).Files.Select(f => f.Path));
        Assert.All(DestinationLayout.Canary(none, delete: false).Files, f => Assert.Equal(f.Path, StatePaths.Normalize(f.Path, "test")));
    }

    private static Destination WithMode(string mode, string path) => new(new JsonObject
    {
        ["metadata"] = new JsonObject { ["name"] = "d" },
        ["spec"] = new JsonObject { ["path"] = path, ["filepath"] = new JsonObject { ["mode"] = mode } },
    });

    private static Destination Aggregated(string path, string? filename = null)
    {
        var filepath = new JsonObject { ["mode"] = Destination.ModeAggregatedYaml };
        if (filename is not null)
        {
            filepath["filename"] = filename;
        }

        return new Destination(new JsonObject
        {
            ["apiVersion"] = KratixApi.ApiVersion,
            ["kind"] = KratixApi.DestinationKind,
            ["metadata"] = new JsonObject { ["name"] = "agg" },
            ["spec"] = new JsonObject { ["path"] = path, ["filepath"] = filepath },
        });
    }

    private static WorkPlacement Placement(string name, params (string Path, string Content)[] workloads) => new(new JsonObject
    {
        ["apiVersion"] = KratixApi.ApiVersion,
        ["kind"] = KratixApi.WorkPlacementKind,
        ["metadata"] = new JsonObject { ["name"] = name, ["namespace"] = "default" },
        ["spec"] = new JsonObject
        {
            ["targetDestinationName"] = "agg",
            ["workloads"] = new JsonArray(workloads.Select(w => (JsonNode)Workload.FromBytes(w.Path, Encoding.UTF8.GetBytes(w.Content)).ToJson()).ToArray()),
            ["promiseName"] = "p",
            ["id"] = KratixApi.DefaultWorkloadGroupId,
        },
    });

    private static string Text(byte[] bytes) => Encoding.UTF8.GetString(bytes);
}
