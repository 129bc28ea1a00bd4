using System.Text.Json.Nodes;
using Kratix.Objects;
using Kratix.Scheduling;

namespace Kratix.Tests.Scheduling;

public class SchedulerTests
{
    private static Destination Dest(string name, bool strict = false, params (string Key, string Value)[] labels)
    {
        var labelNode = new JsonObject();
        foreach (var (k, v) in labels)
        {
            labelNode[k] = v;
        }

        return new Destination(new JsonObject
        {
            ["apiVersion"] = KratixApi.ApiVersion,
            ["kind"] = "Destination",
            ["metadata"] = new JsonObject { ["name"] = name, ["labels"] = labelNode },
            ["spec"] = new JsonObject { ["path"] = name, ["strictMatchLabels"] = strict },
        });
    }

    private static Work MakeWork(string? resourceName, params WorkloadGroup[] groups)
    {
        var spec = new JsonObject
        {
            ["promiseName"] = "redis",
            ["workloadGroups"] = new JsonArray(groups.Select(g => (JsonNode)g.ToJson()).ToArray()),
        };
        if (resourceName is not null)
        {
            spec["resourceName"] = resourceName;
        }

        return new Work(new JsonObject
        {
            ["apiVersion"] = KratixApi.ApiVersion,
            ["kind"] = "Work",
            ["metadata"] = new JsonObject { ["name"] = "w", ["namespace"] = "default" },
            ["spec"] = spec,
        });
    }

    private static WorkloadGroup Group(string id, params DestinationSelector[] selectors) =>
        new(id, ".", [Workload.FromBytes("a.yaml", "x"u8.ToArray())], selectors);

    private static DestinationSelector Sel(string source, params (string Key, string Value)[] labels) =>
        new(labels.ToDictionary(l => l.Key, l => l.Value), source);

    [Fact]
    public void Dependencies_go_to_every_matching_destination()
    {
        var work = MakeWork(null, Group("g", Sel("promise", ("env", "dev"))));
        var result = Scheduler.Schedule(work, [Dest("a", false, ("env", "dev")), Dest("b", false, ("env", "prod")), Dest("c", false, ("env", "dev"), ("x", "y"))], []);
        Assert.Equal(["a", "c"], result.Placements.Select(p => p.DestinationName));
        Assert.Empty(result.UnscheduledGroupIds);
    }

    [Fact]
    public void A_resource_group_goes_to_exactly_one_match_and_stays_there()
    {
        var work = MakeWork("example", Group("g"));
        var destinations = new[] { Dest("a"), Dest("b"), Dest("c") };
        var first = Assert.Single(Scheduler.Schedule(work, destinations, []).Placements);
        var again = Assert.Single(Scheduler.Schedule(work, destinations, [new ExistingPlacement("g", "b")]).Placements);
        Assert.Contains(first.DestinationName, new[] { "a", "b", "c" });
        Assert.Equal("b", again.DestinationName);
        Assert.False(again.Misplaced);
    }

    [Fact]
    public void Resource_groups_of_many_works_spread_over_matching_destinations()
    {
        var destinations = new[] { Dest("a"), Dest("b"), Dest("c") };
        var chosen = Enumerable.Range(0, 60)
            .Select(i => Scheduler.Schedule(MakeWork("r", Group($"g{i}")), destinations, []).Placements.Single().DestinationName)
            .ToHashSet();
        Assert.Equal(3, chosen.Count);
    }

    [Fact]
    public void Empty_selector_skips_strict_destinations_with_labels()
    {
        var work = MakeWork(null, Group("g"));
        var result = Scheduler.Schedule(work, [Dest("plain"), Dest("strict", true, ("env", "dev")), Dest("strict-nolabels", true)], []);
        Assert.Equal(["plain", "strict-nolabels"], result.Placements.Select(p => p.DestinationName));
    }

    [Fact]
    public void Strict_destination_still_matches_an_explicit_selector()
    {
        var work = MakeWork(null, Group("g", Sel("promise", ("env", "dev"))));
        Assert.Single(Scheduler.Schedule(work, [Dest("strict", true, ("env", "dev"))], []).Placements);
    }

    [Fact]
    public void Nothing_matching_leaves_the_group_unscheduled()
    {
        var work = MakeWork(null, Group("g1", Sel("promise", ("env", "prod"))), Group("g2"));
        var result = Scheduler.Schedule(work, [Dest("a", false, ("env", "dev"))], []);
        Assert.Equal(["g1"], result.UnscheduledGroupIds);
        Assert.Equal("g2", Assert.Single(result.Placements).WorkloadGroupId);
    }

    [Fact]
    public void Promise_selectors_take_precedence_over_workflow_selectors_key_by_key()
    {
        var merged = SelectorMatcher.Merge([
            Sel("resource-workflow", ("env", "dev"), ("zone", "eu")),
            Sel("promise", ("env", "prod")),
            Sel("promise-workflow", ("zone", "us"), ("tier", "gold")),
            Sel("promise", ("env", "staging"), ("team", "a")),
        ]);
        Assert.Equal("prod", merged["env"]);
        Assert.Equal("us", merged["zone"]);
        Assert.Equal("gold", merged["tier"]);
        Assert.Equal("a", merged["team"]);
    }

    [Fact]
    public void A_destination_that_stops_matching_keeps_its_placement_as_misplaced()
    {
        var dependency = MakeWork(null, Group("g", Sel("promise", ("env", "dev"))));
        var result = Scheduler.Schedule(dependency, [Dest("a", false, ("env", "prod")), Dest("b", false, ("env", "dev"))], [new ExistingPlacement("g", "a")]);
        Assert.Equal([("a", true), ("b", false)], result.Placements.Select(p => (p.DestinationName, p.Misplaced)));

        var resource = MakeWork("r", Group("g", Sel("resource-workflow", ("env", "dev"))));
        var moved = Assert.Single(Scheduler.Schedule(resource, [Dest("a", false, ("env", "prod")), Dest("b", false, ("env", "dev"))], [new ExistingPlacement("g", "a")]).Placements);
        Assert.Equal(("a", true), (moved.DestinationName, moved.Misplaced));
    }

    [Fact]
    public void Dry_run_destinations_and_vanished_destinations_get_nothing()
    {
        var work = MakeWork("r", Group("g"));
        var dryRun = Dest("dry", false, (KratixApi.DryRunLabel, "true"));
        var placed = Assert.Single(Scheduler.Schedule(work, [dryRun, Dest("real")], [new ExistingPlacement("g", "gone")]).Placements);
        Assert.Equal("real", placed.DestinationName);
    }
}
