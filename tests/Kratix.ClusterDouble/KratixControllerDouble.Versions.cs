using System.Security.Cryptography;
using System.Text;
using System.Text.Json.Nodes;
using k8s;
using k8s.Models;

namespace Kratix.ClusterDouble;

/// <summary>
/// The stand-in's part of upstream's version handling (behaviour.md 5.1 step 4, 5.2 steps 3 and 6, 5.3), scripted, not
/// a port: a PromiseRevision per version label (the newest labelled and marked latest), a ResourceBinding per request
/// (version latest), a request re-run when its binding's version differs from the version it last ran, and the versions
/// recorded on the request and the binding once it is reconciled. Workflows are not run per revision: the stand-in runs none.
/// </summary>
public sealed partial class KratixControllerDouble
{
    private static string Hash5(string text) => Convert.ToHexString(MD5.HashData(Encoding.UTF8.GetBytes(text)))[..5].ToLowerInvariant();

    private async Task EnsureRevisionAsync(JsonObject promise, CancellationToken token)
    {
        var name = Str(promise, "metadata", "name")!;
        var version = promise["metadata"]?["labels"]?["kratix.io/promise-version"]?.GetValue<string>() ?? "not-set";
        var revisionName = $"{name}-{Hash5(version)}";
        var revisions = Items(await _client.CustomObjects.ListClusterCustomObjectAsync(G, V, "promiserevisions", labelSelector: $"kratix.io/promise-name={name}", cancellationToken: token)).ToList();
        foreach (var other in revisions.Where(r => Str(r, "metadata", "name") != revisionName && (r["status"]?["latest"]?.GetValue<bool>() == true || r["metadata"]?["labels"]?["kratix.io/latest-revision"] is not null)))
        {
            await PatchAsync(null, "promiserevisions", null, Str(other, "metadata", "name")!, """{"metadata":{"labels":{"kratix.io/latest-revision":null}}}""", token);
            await StatusAsync(null, "promiserevisions", null, Str(other, "metadata", "name")!, new JsonObject { ["latest"] = false }, token);
        }

        var existing = revisions.FirstOrDefault(r => Str(r, "metadata", "name") == revisionName);
        if (existing is not null && existing["status"]?["latest"]?.GetValue<bool>() == true && JsonNode.DeepEquals(existing["spec"]?["promiseSpec"], promise["spec"]))
        {
            return;
        }

        var revision = new JsonObject
        {
            ["apiVersion"] = $"{G}/{V}",
            ["kind"] = "PromiseRevision",
            ["metadata"] = new JsonObject { ["name"] = revisionName, ["labels"] = new JsonObject { ["kratix.io/promise-name"] = name, ["kratix.io/latest-revision"] = "true" } },
            ["spec"] = new JsonObject { ["promiseRef"] = new JsonObject { ["name"] = name }, ["promiseSpec"] = promise["spec"]?.DeepClone(), ["version"] = version },
        };
        await _client.CustomObjects.PatchClusterCustomObjectAsync(new V1Patch(revision.ToJsonString(), V1Patch.PatchType.ApplyPatch), G, V, "promiserevisions", revisionName, fieldManager: "manager", force: true, cancellationToken: token);
        await StatusAsync(null, "promiserevisions", null, revisionName, new JsonObject { ["latest"] = true }, token);
    }

    /// <summary>The request's binding (made, version latest, when missing) and the version it resolves to; null while the Promise has no latest revision.</summary>
    private async Task<(JsonObject Binding, string Version)?> EnsureBindingAsync(string promise, string request, string ns, CancellationToken token)
    {
        var bindings = Items(await _client.CustomObjects.ListNamespacedCustomObjectAsync(G, V, ns, "resourcebindings", labelSelector: $"kratix.io/promise-name={promise},kratix.io/resource-name={request}", cancellationToken: token)).ToList();
        var binding = bindings.FirstOrDefault();
        if (binding is null)
        {
            var name = $"{request}-{promise}-{Hash5($"{request}-{promise}")}";
            binding = new JsonObject
            {
                ["apiVersion"] = $"{G}/{V}",
                ["kind"] = "ResourceBinding",
                ["metadata"] = new JsonObject { ["name"] = name, ["namespace"] = ns, ["labels"] = new JsonObject { ["kratix.io/promise-name"] = promise, ["kratix.io/resource-name"] = request } },
                ["spec"] = new JsonObject { ["version"] = "latest", ["promiseRef"] = new JsonObject { ["name"] = promise }, ["resourceRef"] = new JsonObject { ["name"] = request, ["namespace"] = ns } },
            };
            await _client.CustomObjects.PatchNamespacedCustomObjectAsync(new V1Patch(binding.ToJsonString(), V1Patch.PatchType.ApplyPatch), G, V, ns, "resourcebindings", name, fieldManager: "manager", cancellationToken: token);
        }

        var wanted = Str(binding, "spec", "version") ?? "latest";
        var revisions = Items(await _client.CustomObjects.ListClusterCustomObjectAsync(G, V, "promiserevisions", labelSelector: $"kratix.io/promise-name={promise}", cancellationToken: token));
        var revision = wanted == "latest"
            ? revisions.FirstOrDefault(r => r["status"]?["latest"]?.GetValue<bool>() == true)
            : revisions.FirstOrDefault(r => Str(r, "spec", "version") == wanted);
        return revision is null ? null : (binding, Str(revision, "spec", "version")!);
    }

    /// <summary>Once the request is reconciled: its versions, and the binding's lastAppliedVersion and UpgradeSucceeded.</summary>
    private async Task RecordVersionsAsync((string Group, string Version, string Plural, string Kind) type, string request, string ns, JsonObject binding, string version, CancellationToken token)
    {
        await StatusAsync(type, type.Plural, ns, request, new JsonObject { ["promiseVersion"] = version, ["resourceBindingVersion"] = Str(binding, "spec", "version") }, token);
        await StatusAsync(null, "resourcebindings", ns, Str(binding, "metadata", "name")!, new JsonObject
        {
            ["lastAppliedVersion"] = version,
            ["conditions"] = new JsonArray(Condition("UpgradeSucceeded", "True", "UpgradeComplete", $"Resource is at version {version}", Now())),
        }, token);
    }
}
