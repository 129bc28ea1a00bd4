using System.Text.Json.Nodes;
using Kratix.Schema;

namespace Kratix.ApiServerDouble;

/// <summary>
/// A request the double refuses, carrying the <c>meta.k8s.io/v1 Status</c> body the API server sends (code, reason,
/// message, details with causes), so clients see the same errors a cluster gives them.
/// </summary>
public sealed class ApiStatusException : Exception
{
    public ApiStatusException(int code, string reason, string message, JsonObject? details = null, int? retryAfterSeconds = null)
        : base(message)
    {
        Code = code;
        Reason = reason;
        Details = details;
        RetryAfterSeconds = retryAfterSeconds;
    }

    /// <summary>The HTTP status code.</summary>
    public int Code { get; }

    /// <summary>The StatusReason, e.g. <c>NotFound</c>, <c>Conflict</c>, <c>Invalid</c>.</summary>
    public string Reason { get; }

    /// <summary>The Status details (name, group, kind, causes, retryAfterSeconds), if any.</summary>
    public JsonObject? Details { get; }

    /// <summary>Sent as Retry-After (and details.retryAfterSeconds) when set.</summary>
    public int? RetryAfterSeconds { get; }

    /// <summary>The Status object.</summary>
    public JsonObject ToStatus() => StatusErrors.Status(Code, Reason, Message, Details?.DeepClone().AsObject());
}

/// <summary>The API server's Status bodies and the errors it builds them for (k8s.io/apimachinery/pkg/api/errors).</summary>
public static class StatusErrors
{
    public static JsonObject Status(int code, string reason, string message, JsonObject? details)
    {
        var status = new JsonObject
        {
            ["kind"] = "Status",
            ["apiVersion"] = "v1",
            ["metadata"] = new JsonObject(),
            ["status"] = code is >= 200 and < 300 ? "Success" : "Failure",
        };
        if (message.Length > 0)
        {
            status["message"] = message;
        }

        if (reason.Length > 0)
        {
            status["reason"] = reason;
        }

        if (details is not null)
        {
            status["details"] = details;
        }

        status["code"] = code;
        return status;
    }

    public static JsonObject Details(string? name, string group, string kind, JsonArray? causes = null, string? uid = null)
    {
        var d = new JsonObject();
        if (!string.IsNullOrEmpty(name))
        {
            d["name"] = name;
        }

        if (group.Length > 0)
        {
            d["group"] = group;
        }

        d["kind"] = kind;
        if (uid is not null)
        {
            d["uid"] = uid;
        }

        if (causes is not null)
        {
            d["causes"] = causes;
        }

        return d;
    }

    /// <summary>The qualified resource: <c>promises.platform.kratix.io</c>, or <c>secrets</c> for the core group.</summary>
    public static string Qualified(string resource, string group) => group.Length == 0 ? resource : resource + "." + group;

    public static ApiStatusException NotFound(string resource, string group, string name) =>
        new(404, "NotFound", Qualified(resource, group) + " " + ApiServerAdmission.Quote(name) + " not found", Details(name, group, resource));

    public static ApiStatusException NotFoundPath() =>
        new(404, "NotFound", "the server could not find the requested resource", new JsonObject());

    public static ApiStatusException AlreadyExists(string resource, string group, string name) =>
        new(409, "AlreadyExists", Qualified(resource, group) + " " + ApiServerAdmission.Quote(name) + " already exists", Details(name, group, resource));

    public static ApiStatusException Conflict(string resource, string group, string name, string why) =>
        new(409, "Conflict", "Operation cannot be fulfilled on " + Qualified(resource, group) + " " + ApiServerAdmission.Quote(name) + ": " + why, Details(name, group, resource));

    public static ApiStatusException ModifiedConflict(string resource, string group, string name) =>
        Conflict(resource, group, name, "the object has been modified; please apply your changes to the latest version and try again");

    public static ApiStatusException BadRequest(string message) => new(400, "BadRequest", message);

    public static ApiStatusException MethodNotAllowed(string message) => new(405, "MethodNotAllowed", message, new JsonObject());

    public static ApiStatusException UnsupportedMediaType(string contentType) =>
        new(415, "UnsupportedMediaType", "the body of the request was in an unknown format - accepted media types include: application/json-patch+json, application/merge-patch+json, application/apply-patch+yaml", new JsonObject());

    public static ApiStatusException Expired(string message) => new(410, "Expired", message);

    public static ApiStatusException Gone(string message) => new(410, "Gone", message);

    public static ApiStatusException Unauthorized() => new(401, "Unauthorized", "Unauthorized");

    public static ApiStatusException TooManyRequests(int retryAfterSeconds) =>
        new(429, "TooManyRequests", "Too many requests, please try again later.", new JsonObject { ["retryAfterSeconds"] = retryAfterSeconds }, retryAfterSeconds);

    public static ApiStatusException Internal(string message) =>
        new(500, "InternalError", "Internal error occurred: " + message, new JsonObject { ["causes"] = new JsonArray(new JsonObject { ["message"] = message }) });

    public static ApiStatusException ServiceUnavailable(string message, int? retryAfterSeconds = null) =>
        new(503, "ServiceUnavailable", message, retryAfterSeconds is null ? null : new JsonObject { ["retryAfterSeconds"] = retryAfterSeconds }, retryAfterSeconds);

    /// <summary>
    /// 403 Forbidden as the RBAC authorizer words it: <c>secrets "x" is forbidden: User "bob" cannot get resource
    /// "secrets" in API group "" in the namespace "default"</c>.
    /// </summary>
    public static ApiStatusException Forbidden(string user, string verb, string resource, string subresource, string group, string? ns, string? name)
    {
        string qualified = Qualified(resource, group);
        string subject = name is { Length: > 0 } ? qualified + " " + ApiServerAdmission.Quote(name) : qualified;
        string res = subresource.Length > 0 ? resource + "/" + subresource : resource;
        string scope = string.IsNullOrEmpty(ns) ? "at the cluster scope" : "in the namespace " + ApiServerAdmission.Quote(ns);
        string message = subject + " is forbidden: User " + ApiServerAdmission.Quote(user) + " cannot " + verb + " resource "
            + ApiServerAdmission.Quote(res) + " in API group " + ApiServerAdmission.Quote(group) + " " + scope;
        return new ApiStatusException(403, "Forbidden", message, Details(name, group, resource));
    }

    /// <summary>
    /// 422 Invalid: <c>Promise.platform.kratix.io "x" is invalid: spec.a: Required value</c> (several errors in
    /// brackets, comma-separated), with one cause per field error.
    /// </summary>
    public static ApiStatusException Invalid(string kind, string group, string name, IReadOnlyList<FieldError> errors)
    {
        var causes = new JsonArray();
        foreach (var e in errors)
        {
            causes.Add(new JsonObject { ["reason"] = CauseReason(e.Type), ["message"] = e.Body, ["field"] = e.Field });
        }

        string qualifiedKind = group.Length == 0 ? kind : kind + "." + group;
        string list = errors.Count == 1 ? errors[0].ToString() : "[" + string.Join(", ", errors.Select(e => e.ToString())) + "]";
        return new ApiStatusException(422, "Invalid", qualifiedKind + " " + ApiServerAdmission.Quote(name) + " is invalid: " + list, Details(name, group, kind, causes));
    }

    /// <summary>metav1.CauseType for a field error type.</summary>
    public static string CauseReason(FieldErrorType type) => type switch
    {
        FieldErrorType.NotFound => "FieldValueNotFound",
        FieldErrorType.Required => "FieldValueRequired",
        FieldErrorType.Duplicate => "FieldValueDuplicate",
        FieldErrorType.Invalid => "FieldValueInvalid",
        FieldErrorType.NotSupported => "FieldValueNotSupported",
        FieldErrorType.Forbidden => "FieldValueForbidden",
        FieldErrorType.TooLong => "FieldValueTooLong",
        FieldErrorType.TooMany => "FieldValueTooMany",
        FieldErrorType.TooShort => "FieldValueTooShort",
        FieldErrorType.TooFew => "FieldValueTooFew",
        FieldErrorType.Internal => "InternalError",
        FieldErrorType.TypeInvalid => "FieldValueTypeInvalid",
        _ => "FieldValueInvalid",
    };
}
