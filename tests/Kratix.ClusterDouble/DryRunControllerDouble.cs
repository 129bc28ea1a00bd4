using System.Text;
using System.Text.Json.Nodes;
using k8s;
using k8s.Autorest;

namespace Kratix.ClusterDouble;

/// <summary>
/// TEST ONLY: the stand-in for upstream's DryRunReconciler (internal/controller/dryrun_controller.go). For each DryRun
/// without a Completed condition, after <see cref="ControllerScript.RequestDelay"/>: when the request it names is among
/// <see cref="ControllerScript.FailingRequests"/>, Completed is set False (PipelineFailed) with that message; otherwise
/// it renders what this double's "workflow" renders for the request, here with the spec tried in the ConfigMap's data
/// (the double runs no pipeline), compares that with the live request's Works as upstream's dryRunRenderDiff does,
/// writes the same markdown summary in a Work labelled kratix.io/dry-run-summary=true and kratix.io/dry-run-owner, and
/// sets Completed True (SummaryWritten). Unlike upstream it makes no ephemeral request and no component DryRuns.
/// </summary>
public sealed partial class KratixControllerDouble
{
    private async Task ReconcileDryRunsAsync(CancellationToken token)
    {
        List<JsonObject> dryRuns;
        try
        {
            dryRuns = Items(await _client.CustomObjects.ListClusterCustomObjectAsync(G, V, "dryruns", cancellationToken: token)).ToList();
        }
        catch (HttpOperationException ex) when ((int)ex.Response.StatusCode == 404)
        {
            return; // The DryRun CRD is not installed: the feature is off.
        }

        foreach (var dryRun in dryRuns)
        {
            var name = Str(dryRun, "metadata", "name")!;
            var ns = Str(dryRun, "metadata", "namespace") ?? "default";
            if ((dryRun["status"]?["conditions"] as JsonArray)?.OfType<JsonObject>().Any(c => Str(c, "type") == "Completed") == true
                || !Due($"dryrun/{ns}/{name}", Script.RequestDelay))
            {
                continue;
            }

            var promise = Str(dryRun, "spec", "promiseRef", "name")!;
            var request = Str(dryRun, "spec", "resourceRequestRef", "name")!;
            var requestNs = Str(dryRun, "spec", "resourceRequestRef", "namespace") ?? ns;
            var now = Now();
            if (Script.FailingRequests.TryGetValue(request, out var failure))
            {
                await StatusAsync(null, "dryruns", ns, name, new JsonObject { ["conditions"] = new JsonArray(Condition("Completed", "False", "PipelineFailed", failure, now)) }, token);
                continue;
            }

            var live = new Dictionary<string, string>(StringComparer.Ordinal);
            foreach (var work in Items(await _client.CustomObjects.ListNamespacedCustomObjectAsync(G, V, requestNs, "works", labelSelector: $"kratix.io/promise-name={promise},kratix.io/resource-name={request}", cancellationToken: token)))
            {
                foreach (var workload in (work["spec"]?["workloadGroups"] as JsonArray ?? []).OfType<JsonObject>().SelectMany(g => (g["workloads"] as JsonArray ?? []).OfType<JsonObject>()))
                {
                    live[Str(workload, "filepath")!] = Gunzip(Str(workload, "content")!);
                }
            }

            var data = string.Concat(((dryRun["spec"]?["resource"] as JsonObject) ?? []).Where(kv => kv.Value is JsonValue).Select(kv => $"  {kv.Key}: {kv.Value}\n"));
            var dry = new Dictionary<string, string>(StringComparer.Ordinal)
            {
                ["configmap.yaml"] = $"apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: {request}\n" + (data.Length > 0 ? "data:\n" + data : string.Empty),
            };
            var summary = "# Kratix Dry Run Summary\n\n## Pipeline: `instance-configure`\n\n" + RenderDiff(live, dry);
            var content = Convert.ToBase64String(Gzip(Encoding.UTF8.GetBytes(summary)));
            var workName = $"{promise}-{name}-dry-run-summary";
            var body = new JsonObject
            {
                ["apiVersion"] = $"{G}/{V}",
                ["kind"] = "Work",
                ["metadata"] = new JsonObject
                {
                    ["name"] = workName,
                    ["namespace"] = ns,
                    ["labels"] = new JsonObject
                    {
                        ["kratix.io/promise-name"] = promise,
                        ["kratix.io/resource-name"] = "kratix-dry-run-" + name,
                        ["kratix.io/work-type"] = "resource",
                        ["kratix.io/dry-run"] = "true",
                        ["kratix.io/dry-run-summary"] = "true",
                        ["kratix.io/dry-run-owner"] = name,
                    },
                },
                ["spec"] = new JsonObject
                {
                    ["promiseName"] = promise,
                    ["resourceName"] = "kratix-dry-run-" + name,
                    ["workloadGroups"] = new JsonArray(new JsonObject
                    {
                        ["id"] = "dry-run-summary",
                        ["directory"] = ".",
                        ["workloads"] = new JsonArray(new JsonObject { ["filepath"] = "kratix-dry-run-summary.md", ["content"] = content }),
                    }),
                },
            };
            try
            {
                await _client.CustomObjects.CreateNamespacedCustomObjectAsync(body, G, V, ns, "works", cancellationToken: token);
            }
            catch (HttpOperationException ex) when ((int)ex.Response.StatusCode == 409)
            {
            }

            await StatusAsync(null, "dryruns", ns, name, new JsonObject { ["conditions"] = new JsonArray(Condition("Completed", "True", "SummaryWritten", "Dry run completed; summary written to output repository", now)) }, token);
        }
    }

    /// <summary>Upstream's dryRunRenderDiff: counts, then each added, modified (a whole-file line diff) and removed file.</summary>
    private static string RenderDiff(Dictionary<string, string> before, Dictionary<string, string> after)
    {
        var added = after.Keys.Where(k => !before.ContainsKey(k)).Order(StringComparer.Ordinal).ToList();
        var modified = after.Keys.Where(k => before.TryGetValue(k, out var old) && old != after[k]).Order(StringComparer.Ordinal).ToList();
        var removed = before.Keys.Where(k => !after.ContainsKey(k)).Order(StringComparer.Ordinal).ToList();
        var text = new StringBuilder($"**{added.Count} added · {modified.Count} modified · {removed.Count} removed**\n");
        if (added.Count + modified.Count + removed.Count == 0)
        {
            return text.Append("\nNo changes.\n").ToString();
        }

        foreach (var path in added)
        {
            text.Append($"\n---\n\n## ➕ Added: `{path}`\n\n```yaml\n{after[path].TrimEnd('\n')}\n```\n");
        }

        foreach (var path in modified)
        {
            text.Append($"\n---\n\n## ✏️ Modified: `{path}`\n\n```diff\n--- a/{path}\n+++ b/{path}\n{LineDiff(before[path], after[path])}```\n");
        }

        foreach (var path in removed)
        {
            text.Append($"\n---\n\n## 🗑️ Removed: `{path}`\n\n```yaml\n{before[path].TrimEnd('\n')}\n```\n");
        }

        return text.ToString();
    }

    /// <summary>Every line of both texts: the common first and last lines kept (" "), the rest removed ("-") then added ("+").</summary>
    private static string LineDiff(string before, string after)
    {
        var a = before.TrimEnd('\n').Split('\n');
        var b = after.TrimEnd('\n').Split('\n');
        var head = 0;
        while (head < a.Length && head < b.Length && a[head] == b[head])
        {
            head++;
        }

        var tail = 0;
        while (tail < a.Length - head && tail < b.Length - head && a[^(tail + 1)] == b[^(tail + 1)])
        {
            tail++;
        }

        var text = new StringBuilder();
        foreach (var line in a[..head])
        {
            text.Append(' ').Append(line).Append('\n');
        }

        foreach (var line in a[head..^tail])
        {
            text.Append('-').Append(line).Append('\n');
        }

        foreach (var line in b[head..^tail])
        {
            text.Append('+').Append(line).Append('\n');
        }

        foreach (var line in a[^tail..])
        {
            text.Append(' ').Append(line).Append('\n');
        }

        return text.ToString();
    }

    private static string Gunzip(string base64)
    {
        using var input = new System.IO.Compression.GZipStream(new MemoryStream(Convert.FromBase64String(base64)), System.IO.Compression.CompressionMode.Decompress);
        using var reader = new StreamReader(input, Encoding.UTF8);
        return reader.ReadToEnd();
    }
}
