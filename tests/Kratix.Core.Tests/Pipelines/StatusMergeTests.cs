using System.Text.Json.Nodes;
using Kratix.Objects;
using Kratix.Pipelines;
using static Kratix.Core.Tests.Pipelines.PipelineTestData;

namespace Kratix.Core.Tests.Pipelines;

/// <summary>
/// metadata/status.yaml into .status, as upstream's status-writer does it (work-creator/lib/status_updater.go
/// MergeStatuses, cmd/update_status.go): top-level keys overwrite, conditions merge by type, 'kratix' is refused,
/// Promises keep only message (behaviour.md §2).
/// </summary>
public class StatusMergeTests
{
    /// <summary>Upstream's "merges the two maps" (status_updater_test.go).</summary>
    [Fact]
    public void Merges_like_upstreams_MergeStatuses_test()
    {
        var existing = Yaml("""
            message: Pending
            extra: value
            slices: [A, B]
            conditions:
            - type: PreviousCondition
              status: "False"
            - message: Some other reason
              type: SomeOtherCondition
              status: "False"
            """);
        var incoming = Yaml("""
            message: Resource requested
            new: value
            slices: [C, D]
            conditions:
            - type: PreviousCondition
              status: "True"
            - message: Another reason
              type: AnotherCondition
              status: "True"
            """);

        var result = StatusMerge.Merge(existing, incoming, isPromise: false);

        Assert.Equal(5, result.Count);
        Assert.Equal("Resource requested", result.GetString("message"));
        Assert.Equal("value", result.GetString("extra"));
        Assert.Equal("value", result.GetString("new"));
        Assert.Equal(["C", "D"], ((JsonArray)result["slices"]!).Select(n => n!.GetValue<string>()));
        var conditions = ((JsonArray)result["conditions"]!).Cast<JsonObject>().ToList();
        Assert.Equal(3, conditions.Count);
        Assert.Equal("True", conditions.Single(c => c.GetString("type") == "PreviousCondition").GetString("status"));
        var other = conditions.Single(c => c.GetString("type") == "SomeOtherCondition");
        Assert.Equal("False", other.GetString("status"));
        Assert.Equal("Some other reason", other.GetString("message"));
        var another = conditions.Single(c => c.GetString("type") == "AnotherCondition");
        Assert.Equal("True", another.GetString("status"));
        Assert.Equal("Another reason", another.GetString("message"));
    }

    [Fact]
    public void Top_level_keys_overwrite_and_the_others_are_kept()
    {
        var existing = Yaml("""
            message: old
            keep: me
            count: 1
            """);
        var incoming = Yaml("""
            message: new
            count: 2
            added: true
            """);

        var result = StatusMerge.Merge(existing, incoming, isPromise: false);

        Assert.Equal("new", result.GetString("message"));
        Assert.Equal("me", result.GetString("keep"));
        Assert.Equal(2, result.GetLong("count"));
        Assert.True(result.GetBool("added"));
        Assert.Equal(4, result.Count);
    }

    [Fact]
    public void Conditions_merge_by_type_keeping_existing_order_appending_new_types_and_incoming_wins()
    {
        var existing = Yaml("""
            conditions:
            - {type: A, status: "False", reason: Old}
            - {type: B, status: "True", reason: Untouched}
            - {type: C, status: "False", reason: Old}
            """);
        var incoming = Yaml("""
            conditions:
            - {type: D, status: "True", reason: New}
            - {type: C, status: "True", reason: Replaced}
            - {type: A, status: "True", reason: Replaced}
            """);

        var result = StatusMerge.Merge(existing, incoming, isPromise: false);

        var conditions = ((JsonArray)result["conditions"]!).Cast<JsonObject>().ToList();
        Assert.Equal(["A", "B", "C", "D"], conditions.Select(c => c.GetString("type")));
        Assert.Equal(["Replaced", "Untouched", "Replaced", "New"], conditions.Select(c => c.GetString("reason")));
        Assert.Equal(["True", "True", "True", "True"], conditions.Select(c => c.GetString("status")));
    }

    [Fact]
    public void An_incoming_condition_replaces_the_existing_one_whole_not_field_by_field()
    {
        var existing = Yaml("""
            conditions:
            - {type: Ready, status: "False", reason: Waiting, message: still waiting}
            """);
        var incoming = Yaml("""
            conditions:
            - {type: Ready, status: "True"}
            """);

        var result = StatusMerge.Merge(existing, incoming, isPromise: false);

        var ready = Assert.IsType<JsonObject>(Assert.Single((JsonArray)result["conditions"]!));
        Assert.Equal("True", ready.GetString("status"));
        Assert.False(ready.ContainsKey("reason"));
        Assert.False(ready.ContainsKey("message"));
    }

    [Fact]
    public void When_the_object_has_no_conditions_the_incoming_list_is_taken_as_it_is()
    {
        var existing = Yaml("message: Pending");
        var incoming = Yaml("""
            conditions:
            - {type: A, status: "True"}
            - {type: B, status: "False"}
            """);

        var result = StatusMerge.Merge(existing, incoming, isPromise: false);

        Assert.Equal(["A", "B"], ((JsonArray)result["conditions"]!).Cast<JsonObject>().Select(c => c.GetString("type")));
        Assert.Equal("Pending", result.GetString("message"));
    }

    [Fact]
    public void Nested_maps_are_replaced_not_deep_merged()
    {
        var existing = Yaml("""
            connection:
              host: db.internal
              port: 5432
            """);
        var incoming = Yaml("""
            connection:
              host: db.example.com
            """);

        var result = StatusMerge.Merge(existing, incoming, isPromise: false);

        var connection = Assert.IsType<JsonObject>(result["connection"]);
        Assert.Equal("db.example.com", connection.GetString("host"));
        Assert.False(connection.ContainsKey("port"));
        Assert.Single(connection);
    }

    [Fact]
    public void A_kratix_key_is_refused_with_upstreams_message()
    {
        var existing = Yaml("message: Pending");
        var incoming = Yaml("""
            message: hello
            kratix:
              workflows: {}
            """);

        var ex = Assert.Throws<KratixException>(() => StatusMerge.Merge(existing, incoming, isPromise: false));

        Assert.Equal("PipelineStatusReserved", ex.ErrorId);
        Assert.Contains(
            "'kratix' is a kratix managed status field that cannot be updated via workflows; remove update to 'kratix' from the '/kratix/metadata/status.yaml' file",
            ex.Message,
            StringComparison.Ordinal);
    }

    [Fact]
    public void A_kratix_key_is_refused_for_a_Promise_too()
    {
        var ex = Assert.Throws<KratixException>(() => StatusMerge.Merge(Yaml("message: Pending"), Yaml("kratix: x"), isPromise: true));

        Assert.Equal("PipelineStatusReserved", ex.ErrorId);
    }

    [Fact]
    public void A_Promise_keeps_only_the_message_and_warns_naming_the_other_keys()
    {
        var existing = Yaml("""
            message: Pending
            status: Available
            conditions:
            - {type: Available, status: "True"}
            """);
        var incoming = Yaml("""
            message: configured by pipeline
            bear: "1"
            lizard: "2"
            conditions:
            - {type: Extra, status: "True"}
            """);
        var warnings = new List<string>();

        var result = StatusMerge.Merge(existing, incoming, isPromise: true, warnings.Add);

        Assert.Equal("configured by pipeline", result.GetString("message"));
        Assert.Equal("Available", result.GetString("status"));
        Assert.False(result.ContainsKey("bear"));
        Assert.False(result.ContainsKey("lizard"));
        Assert.Equal(["Available"], ((JsonArray)result["conditions"]!).Cast<JsonObject>().Select(c => c.GetString("type")));
        var warning = Assert.Single(warnings);
        Assert.Contains("promise workflow status has unsupported keys", warning, StringComparison.Ordinal);
        Assert.Contains("only 'message' can be updated in Promise status", warning, StringComparison.Ordinal);
        var keys = System.Text.RegularExpressions.Regex.Match(warning, "unsupported keys: (.*) in status.yaml").Groups[1].Value.Split(", ");
        Assert.Equal(["bear", "conditions", "lizard"], keys.Order(StringComparer.Ordinal));
    }

    [Fact]
    public void A_Promise_status_with_only_a_message_gives_no_warning()
    {
        var warnings = new List<string>();

        var result = StatusMerge.Merge(Yaml("message: Pending"), Yaml("message: ok"), isPromise: true, warnings.Add);

        Assert.Equal("ok", result.GetString("message"));
        Assert.Empty(warnings);
    }

    [Fact]
    public void A_Promise_status_without_a_message_leaves_the_message_alone()
    {
        var warnings = new List<string>();

        var result = StatusMerge.Merge(Yaml("message: Pending"), Yaml("other: x"), isPromise: true, warnings.Add);

        Assert.Equal("Pending", result.GetString("message"));
        Assert.False(result.ContainsKey("other"));
        Assert.Contains("other", Assert.Single(warnings), StringComparison.Ordinal);
    }

    [Fact]
    public void The_inputs_are_not_changed()
    {
        var existing = Yaml("""
            message: Pending
            nested: {a: 1}
            conditions:
            - {type: A, status: "False"}
            """);
        var incoming = Yaml("""
            message: done
            nested: {b: 2}
            conditions:
            - {type: A, status: "True"}
            - {type: B, status: "True"}
            """);
        var existingBefore = existing.ToJsonString();
        var incomingBefore = incoming.ToJsonString();

        var result = StatusMerge.Merge(existing, incoming, isPromise: false);
        ((JsonObject)result["nested"]!)["c"] = 3;
        ((JsonObject)((JsonArray)result["conditions"]!)[0]!)["status"] = "Unknown";

        Assert.Equal(existingBefore, existing.ToJsonString());
        Assert.Equal(incomingBefore, incoming.ToJsonString());
        Assert.NotSame(existing, result);
    }

    [Fact]
    public void The_inputs_are_not_changed_for_a_Promise()
    {
        var existing = Yaml("message: Pending");
        var incoming = Yaml("message: done");

        var result = StatusMerge.Merge(existing, incoming, isPromise: true);

        Assert.Equal("done", result.GetString("message"));
        Assert.Equal("Pending", existing.GetString("message"));
        Assert.NotSame(existing, result);
    }
}
