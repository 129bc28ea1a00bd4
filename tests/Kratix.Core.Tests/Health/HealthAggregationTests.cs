using System.Text.Json.Nodes;
using Kratix.Health;
using Kratix.Objects;

namespace Kratix.Tests.Health;

/// <summary>Upstream's aggregation (healthrecord_controller.go getHealthDataAndStates), case by case from its tests.</summary>
public class HealthAggregationTests
{
    internal static HealthRecord Record(string name, string state, string request = "example", string ns = "default", long lastRun = 1738158772, string? details = """{"info":"message"}""", string promise = "redis") =>
        new(new JsonObject
        {
            ["apiVersion"] = "platform.kratix.io/v1alpha1",
            ["kind"] = "HealthRecord",
            ["metadata"] = new JsonObject { ["name"] = name, ["namespace"] = "default" },
            ["data"] = new JsonObject
            {
                ["promiseRef"] = new JsonObject { ["name"] = promise },
                ["resourceRef"] = new JsonObject { ["name"] = request, ["namespace"] = ns },
                ["state"] = state,
                ["lastRun"] = lastRun,
                ["details"] = details is null ? null : JsonNode.Parse(details),
            },
        });

    [Fact]
    public void One_record_gives_its_state_and_an_entry_with_lastRun_state_details_and_source()
    {
        var status = HealthAggregation.Aggregate([Record("a-name", "ready")]);

        Assert.Equal("ready", status["state"]!.GetValue<string>());
        var entry = Assert.Single(status["healthRecords"]!.AsArray())!.AsObject();
        Assert.Equal(1738158772, entry["lastRun"]!.GetValue<long>());
        Assert.Equal("ready", entry["state"]!.GetValue<string>());
        Assert.Equal("message", entry["details"]!["info"]!.GetValue<string>());
        Assert.Equal("a-name", entry["source"]!["name"]!.GetValue<string>());
        Assert.Equal("default", entry["source"]!["namespace"]!.GetValue<string>());
        // Go's encoding/json writes map keys sorted.
        Assert.Equal(["details", "lastRun", "source", "state"], entry.Select(kv => kv.Key));
    }

    [Theory]
    [InlineData("healthy", "healthy")]
    [InlineData("unhealthy", "unhealthy")]
    [InlineData("degraded", "degraded")]
    [InlineData("unknown", "unknown")]
    [InlineData("ready", "ready")]
    public void With_a_ready_record_the_other_records_state_decides(string other, string expected)
    {
        var status = HealthAggregation.Aggregate([Record("a-name", "ready"), Record("b-name", other, details: """{"furtherInfo":"present"}""")]);

        Assert.Equal(2, status["healthRecords"]!.AsArray().Count);
        Assert.Equal(expected, status["state"]!.GetValue<string>());
    }

    [Fact]
    public void The_worst_state_wins_unhealthy_then_degraded_then_unknown_then_healthy_then_ready()
    {
        string[] order = ["unhealthy", "degraded", "unknown", "healthy", "ready"];
        for (var i = 0; i < order.Length; i++)
        {
            var records = order.Skip(i).Reverse().Select((s, n) => Record($"r{n}", s)).ToList();
            Assert.Equal(order[i], HealthAggregation.Aggregate(records)["state"]!.GetValue<string>());
        }
    }

    [Fact]
    public void No_record_is_ready_with_null_healthRecords_as_upstream_leaves_it_after_the_last_is_removed()
    {
        var status = HealthAggregation.Aggregate([]);

        Assert.Equal("ready", status["state"]!.GetValue<string>());
        Assert.True(status.ContainsKey("healthRecords"));
        Assert.Null(status["healthRecords"]);
    }

    [Fact]
    public void A_record_without_details_has_no_details_entry_and_a_record_without_lastRun_counts_zero()
    {
        var record = Record("a", "healthy", details: null);
        record.Data.Remove("lastRun");

        var entry = HealthAggregation.Aggregate([record])["healthRecords"]![0]!.AsObject();

        Assert.False(entry.ContainsKey("details"));
        Assert.Equal(0, entry["lastRun"]!.GetValue<long>());
    }

    [Fact]
    public void Only_records_whose_resourceRef_names_the_request_count_whatever_their_Promise()
    {
        var records = new[]
        {
            Record("b", "healthy"),
            Record("other-name", "unhealthy", request: "other-resource"),
            Record("a", "ready", promise: "another-promise"),
            Record("c", "degraded", ns: "elsewhere"),
        };

        var about = HealthAggregation.RecordsFor(records, "default", "example");

        Assert.Equal(["a", "b"], about.Select(r => r.Name));
    }

    [Theory]
    [InlineData(null, "unknown", true)]
    [InlineData(null, "unhealthy", true)]
    [InlineData(null, "degraded", true)]
    [InlineData(null, "healthy", false)]
    [InlineData("ready", "ready", null)]
    [InlineData("ready", "healthy", false)]
    [InlineData("healthy", "unhealthy", true)]
    public void An_event_says_the_records_state_unless_the_request_already_had_it(string? before, string recordState, bool? warning)
    {
        var healthEvent = HealthAggregation.EventFor(before, recordState);

        Assert.Equal(warning, healthEvent?.Warning);
        if (healthEvent is { } e)
        {
            Assert.Equal($"Health state is {recordState}", e.Message);
        }
    }

    [Fact]
    public void A_state_upstream_does_not_rank_wins_as_a_missing_go_map_key_reads_zero()
    {
        Assert.Equal(0, HealthAggregation.Priority("bogus"));
        Assert.Equal("bogus", HealthAggregation.Aggregate([Record("a", "unhealthy"), Record("b", "bogus")])["state"]!.GetValue<string>());
    }
}
