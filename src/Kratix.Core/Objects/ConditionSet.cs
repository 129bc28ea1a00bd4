using System.Text.Json.Nodes;

namespace Kratix.Objects;

/// <summary>
/// The conditions list of an object's status. <see cref="Set"/> behaves like apimachinery's SetStatusCondition:
/// lastTransitionTime changes only when the status does.
/// </summary>
public sealed class ConditionSet(JsonObject status)
{
    public IReadOnlyList<Condition> All =>
        (status["conditions"] as JsonArray)?.OfType<JsonObject>().Select(Condition.FromJson).ToList() ?? [];

    public Condition? Get(string type) => All.FirstOrDefault(c => c.Type == type);

    public bool IsTrue(string type) => Get(type)?.IsTrue ?? false;

    /// <summary>Adds or updates the condition of this type; returns true when anything changed.</summary>
    public bool Set(string type, string conditionStatus, string reason, string message, DateTimeOffset now)
    {
        var list = status["conditions"] as JsonArray;
        if (list is null)
        {
            list = new JsonArray();
            status["conditions"] = list;
        }

        var existing = list.OfType<JsonObject>().FirstOrDefault(c => c.GetString("type") == type);
        if (existing is null)
        {
            list.Add(new Condition(type, conditionStatus, reason, message, now).ToJson());
            return true;
        }

        var old = Condition.FromJson(existing);
        if (old.Status == conditionStatus && old.Reason == reason && old.Message == message)
        {
            return false;
        }

        var transition = old.Status == conditionStatus ? old.LastTransitionTime : now;
        var index = list.IndexOf(existing);
        list[index] = new Condition(type, conditionStatus, reason, message, transition).ToJson();
        return true;
    }

    public bool Remove(string type)
    {
        if (status["conditions"] is not JsonArray list)
        {
            return false;
        }

        var existing = list.OfType<JsonObject>().FirstOrDefault(c => c.GetString("type") == type);
        return existing is not null && list.Remove(existing);
    }
}
