using Microsoft.AspNetCore.Http;

namespace Kratix.ApiServerDouble;

/// <summary>
/// What a resource request is about, parsed from its path as the API server's RequestInfoFactory does:
/// <c>/api/v1[/namespaces/{ns}]/{resource}[/{name}[/{subresource}]]</c> and the same under <c>/apis/{group}/{version}</c>.
/// </summary>
public sealed record RequestInfo(string Verb, string Group, string Version, string Resource, string Subresource, string? Namespace, string? Name)
{
    public static RequestInfo? Parse(HttpRequest request)
    {
        var segments = (request.Path.Value ?? string.Empty).Trim('/').Split('/', StringSplitOptions.RemoveEmptyEntries);
        string group, version;
        int i;
        if (segments.Length >= 3 && segments[0] == "api")
        {
            group = string.Empty;
            version = segments[1];
            i = 2;
        }
        else if (segments.Length >= 4 && segments[0] == "apis")
        {
            group = segments[1];
            version = segments[2];
            i = 3;
        }
        else
        {
            return null;
        }

        var rest = segments[i..];
        string? ns = null;
        // namespaces/{ns}/{resource}... unless it is the namespace itself (or its status/finalize subresource).
        if (rest.Length >= 3 && rest[0] == "namespaces" && !(group.Length == 0 && rest.Length == 3 && rest[2] is "status" or "finalize"))
        {
            ns = rest[1];
            rest = rest[2..];
        }

        string resource = rest[0];
        string? name = rest.Length > 1 ? rest[1] : null;
        string sub = rest.Length > 2 ? string.Join("/", rest[2..]) : string.Empty;
        bool watch = request.Query["watch"] is { Count: > 0 } w && (w[0] is "true" or "1");
        string verb = request.Method switch
        {
            "GET" or "HEAD" => name is null ? (watch ? "watch" : "list") : (watch ? "watch" : "get"),
            "POST" => "create",
            "PUT" => "update",
            "PATCH" => "patch",
            "DELETE" => name is null ? "deletecollection" : "delete",
            _ => request.Method.ToLowerInvariant(),
        };
        return new RequestInfo(verb, group, version, resource, sub, ns, name);
    }
}
