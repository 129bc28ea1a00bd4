using System.Security.Cryptography;
using System.Text;
using System.Text.Json.Nodes;

namespace Kratix.ApiServerDouble;

/// <summary>
/// OpenAPI v3 (<c>/openapi/v3</c> and one document per group-version), enough for kubectl: it looks for the
/// <c>fieldValidation</c> query parameter on each kind's PATCH operation to decide that the server validates fields
/// itself (so <c>--validate=strict</c> becomes <c>fieldValidation=Strict</c>), and <c>kubectl explain</c> reads the
/// schemas. Custom resources get their CRD's schema; built-in kinds a minimal one (the double does not carry the real
/// built-in schemas).
/// </summary>
internal static class OpenApi
{
    public static JsonObject Root(Registry registry)
    {
        var paths = new JsonObject();
        foreach (var gv in GroupVersions(registry))
        {
            string path = gv.Group.Length == 0 ? "api/" + gv.Version : "apis/" + gv.Group + "/" + gv.Version;
            var doc = Document(registry, gv.Group, gv.Version)!;
            string hash = Convert.ToHexString(SHA512.HashData(Encoding.UTF8.GetBytes(doc.ToJsonString())));
            paths[path] = new JsonObject { ["serverRelativeURL"] = "/openapi/v3/" + path + "?hash=" + hash };
        }

        return new JsonObject { ["paths"] = paths };
    }

    private static IEnumerable<(string Group, string Version)> GroupVersions(Registry registry) =>
        registry.Types.SelectMany(t => t.Versions.Select(v => (t.Group, v))).Distinct();

    public static JsonObject? Document(Registry registry, string group, string version)
    {
        var types = registry.Types.Where(t => t.Group == group && t.Versions.Contains(version)).ToList();
        if (types.Count == 0)
        {
            return null;
        }

        var paths = new JsonObject();
        var schemas = new JsonObject();
        foreach (var t in types)
        {
            string schemaName = SchemaName(t, version);
            var gvk = new JsonObject { ["group"] = t.Group, ["version"] = version, ["kind"] = t.Kind };
            var schema = t.Schemas.TryGetValue(version, out var s) ? s.Source.DeepClone().AsObject() : BuiltInSchema(t);
            schema["x-kubernetes-group-version-kind"] = new JsonArray(gvk.DeepClone());
            schemas[schemaName] = schema;
            string prefix = (group.Length == 0 ? "/api/" + version : "/apis/" + group + "/" + version) + (t.Namespaced ? "/namespaces/{namespace}/" : "/") + t.Plural;
            var body = new JsonObject { ["content"] = new JsonObject { ["application/json"] = new JsonObject { ["schema"] = new JsonObject { ["$ref"] = "#/components/schemas/" + schemaName } } } };
            paths[prefix] = new JsonObject
            {
                ["get"] = Operation("list" + t.Kind, gvk, "list", []),
                ["post"] = Operation("create" + t.Kind, gvk, "post", ["dryRun", "fieldManager", "fieldValidation"], body),
                ["delete"] = Operation("deletecollection" + t.Kind, gvk, "deletecollection", ["dryRun", "labelSelector", "fieldSelector"]),
            };
            paths[prefix + "/{name}"] = new JsonObject
            {
                ["get"] = Operation("read" + t.Kind, gvk, "get", []),
                ["put"] = Operation("replace" + t.Kind, gvk, "put", ["dryRun", "fieldManager", "fieldValidation"], body),
                ["patch"] = Operation("patch" + t.Kind, gvk, "patch", ["dryRun", "fieldManager", "fieldValidation", "force"]),
                ["delete"] = Operation("delete" + t.Kind, gvk, "delete", ["dryRun", "gracePeriodSeconds", "propagationPolicy"]),
            };
            if (t.HasStatus)
            {
                paths[prefix + "/{name}/status"] = new JsonObject
                {
                    ["get"] = Operation("read" + t.Kind + "Status", gvk, "get", []),
                    ["put"] = Operation("replace" + t.Kind + "Status", gvk, "put", ["dryRun", "fieldManager", "fieldValidation"], body),
                    ["patch"] = Operation("patch" + t.Kind + "Status", gvk, "patch", ["dryRun", "fieldManager", "fieldValidation", "force"]),
                };
            }
        }

        return new JsonObject
        {
            ["openapi"] = "3.0.0",
            ["info"] = new JsonObject { ["title"] = "Kubernetes (Kratix API server TEST DOUBLE)", ["version"] = Discovery.GitVersion },
            ["paths"] = paths,
            ["components"] = new JsonObject { ["schemas"] = schemas },
        };
    }

    /// <summary>The API server's schema names: the group reversed, the version, the kind (<c>io.kratix.platform.v1alpha1.Promise</c>).</summary>
    private static string SchemaName(ResourceType t, string version) => t.Group.Length == 0
        ? "io.k8s.api.core." + version + "." + t.Kind
        : t.IsCustom
            ? string.Join(".", t.Group.Split('.').Reverse()) + "." + version + "." + t.Kind
            : "io.k8s.api." + t.Group.Split('.')[0] + "." + version + "." + t.Kind;

    private static JsonObject Operation(string id, JsonObject gvk, string action, string[] queryParameters, JsonObject? body = null)
    {
        var op = new JsonObject
        {
            ["operationId"] = id,
            ["parameters"] = new JsonArray(queryParameters.Select(p => (JsonNode?)new JsonObject
            {
                ["name"] = p,
                ["in"] = "query",
                ["schema"] = new JsonObject { ["type"] = p is "force" ? "boolean" : p is "gracePeriodSeconds" ? "integer" : "string", ["uniqueItems"] = true },
            }).ToArray()),
            ["responses"] = new JsonObject { ["200"] = new JsonObject { ["description"] = "OK" } },
            ["x-kubernetes-action"] = action,
            ["x-kubernetes-group-version-kind"] = gvk.DeepClone(),
        };
        if (body is not null)
        {
            op["requestBody"] = body.DeepClone();
        }

        return op;
    }

    private static JsonObject BuiltInSchema(ResourceType t) => new()
    {
        ["description"] = t.Kind + " (the API server TEST DOUBLE serves a minimal schema for built-in kinds)",
        ["type"] = "object",
        ["properties"] = new JsonObject
        {
            ["apiVersion"] = new JsonObject { ["type"] = "string", ["description"] = "APIVersion defines the versioned schema of this representation of an object." },
            ["kind"] = new JsonObject { ["type"] = "string", ["description"] = "Kind is a string value representing the REST resource this object represents." },
            ["metadata"] = new JsonObject { ["type"] = "object", ["description"] = "Standard object's metadata." },
        },
    };
}
