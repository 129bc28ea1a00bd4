using System.Globalization;
using System.Text.Json.Nodes;
using Kratix.Manifests;
using Kratix.Objects;

namespace Kratix.Pipelines;

/// <summary>
/// <c>metadata/workflow-control.yaml</c>: a pipeline asks to suspend the workflow, or to retry after a while
/// (<c>retryAfter</c>, a Go duration such as <c>30s</c> or <c>1h30m</c>; it wins over <c>suspend</c>), with a message.
/// </summary>
public sealed record WorkflowControl(bool Suspend, TimeSpan? RetryAfter, string? Message)
{
    public bool SuspendsOrRetries => Suspend || RetryAfter is not null;

    /// <summary>Parses the file's text; <paramref name="source"/> names it in errors.</summary>
    public static WorkflowControl Parse(string text, string source)
    {
        var documents = ManifestReader.Default.ReadString(text, source);
        if (documents.Count == 0 || documents[0].Content is null)
        {
            return new WorkflowControl(false, null, null);
        }

        if (documents[0].Content is not JsonObject node)
        {
            throw Invalid(source, "it must be a mapping with suspend, retryAfter and message");
        }

        var suspend = node["suspend"] switch
        {
            null => false,
            JsonValue v when v.TryGetValue<bool>(out var b) => b,
            _ => throw Invalid(source, "suspend must be true or false"),
        };
        TimeSpan? retry = null;
        // As sigs.k8s.io/yaml fills upstream's string field: `retryAfter: 10` is the text "10" (an error: no unit).
        if (node["retryAfter"] is JsonValue retryValue && retryValue.ToString() is { Length: > 0 } retryAfter)
        {
            retry = GoDuration.TryParse(retryAfter, out var duration)
                ? duration
                : throw Invalid(source, $"failed to parse retry duration: \"{retryAfter}\"; use a Go duration such as 30s, 5m or 1h30m");
        }

        var message = node["message"] is JsonValue m ? Convert.ToString(JsonValues.ToClr(m), CultureInfo.InvariantCulture) : null;
        return new WorkflowControl(suspend, retry, string.IsNullOrEmpty(message) ? null : message);
    }

    private static KratixException Invalid(string source, string why) =>
        new("PipelineWorkflowControlInvalid", KratixErrorCategory.InvalidData, $"{source}: invalid workflow-control.yaml: {why}.", source);
}
