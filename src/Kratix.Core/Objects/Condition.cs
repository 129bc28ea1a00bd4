using System.Text.Json.Nodes;

namespace Kratix.Objects;

/// <summary>A status condition, as Kubernetes and Kratix write them.</summary>
public sealed record Condition(string Type, string Status, string Reason, string Message, DateTimeOffset LastTransitionTime)
{
    public const string True = "True";
    public const string False = "False";
    public const string Unknown = "Unknown";

    public bool IsTrue => Status == True;

    public JsonObject ToJson() => new()
    {
        ["lastTransitionTime"] = Timestamps.Format(LastTransitionTime),
        ["message"] = Message,
        ["reason"] = Reason,
        ["status"] = Status,
        ["type"] = Type,
    };

    public static Condition FromJson(JsonObject node) => new(
        node.GetString("type") ?? string.Empty,
        node.GetString("status") ?? Unknown,
        node.GetString("reason") ?? string.Empty,
        node.GetString("message") ?? string.Empty,
        Timestamps.Parse(node.GetString("lastTransitionTime")) ?? DateTimeOffset.MinValue);
}
