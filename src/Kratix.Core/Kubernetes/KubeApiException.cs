using System.Net;
using System.Text.Json.Nodes;

namespace Kratix.Kubernetes;

/// <summary>One field error of a 422 Invalid answer, as the API server gives it in <c>details.causes</c>.</summary>
public sealed record StatusCause(string? Field, string? Reason, string Message);

/// <summary>
/// The API server refused an operation: the HTTP status, the Status object's reason and message, and its causes (every
/// field error of a 422, the fields of a server-side apply conflict), with a message that says what to do.
/// </summary>
public sealed class KubeApiException : KratixException
{
    public KubeApiException(string errorId, KratixErrorCategory category, string message, HttpStatusCode statusCode, string? reason, string? serverMessage, IReadOnlyList<StatusCause> causes, object? target)
        : base(errorId, category, message, target)
    {
        StatusCode = statusCode;
        Reason = reason;
        ServerMessage = serverMessage;
        Causes = causes;
    }

    public HttpStatusCode StatusCode { get; }

    /// <summary>The Status reason: NotFound, AlreadyExists, Conflict, Invalid, Forbidden, Expired, ...</summary>
    public string? Reason { get; }

    /// <summary>The API server's own message.</summary>
    public string? ServerMessage { get; }

    public IReadOnlyList<StatusCause> Causes { get; }

    /// <summary>Reads a Status body's causes.</summary>
    internal static IReadOnlyList<StatusCause> CausesOf(JsonObject? status) =>
        (status?["details"]?["causes"] as JsonArray)?.OfType<JsonObject>()
            .Select(c => new StatusCause(c["field"]?.GetValue<string>(), c["reason"]?.GetValue<string>(), c["message"]?.GetValue<string>() ?? string.Empty))
            .ToList() ?? [];
}
