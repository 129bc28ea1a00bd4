using System.Net;
using System.Text;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using Kratix.Kubernetes;
using Kratix.Manifests;
using Kratix.Objects;
using Kratix.Presentation;

namespace Kratix.Platforms.Cluster;

/// <summary>
/// Dry runs on a cluster: upstream's <c>DryRun</c> (platform.kratix.io/v1alpha1, a preview feature behind
/// <c>featureFlags.dryRun</c>). The request is first checked by a server-side dry run, then a DryRun names its Promise,
/// the live request to compare with and the spec to try; upstream's controller runs an ephemeral copy of the request
/// with KRATIX_DRY_RUN=true, diffs its Works with the live request's, writes the result as a markdown summary in a Work
/// (labels <c>kratix.io/dry-run-summary=true</c>, <c>kratix.io/dry-run-owner=&lt;name&gt;</c>) and sets the condition
/// <c>Completed</c>. The summary is read back into the same <see cref="DryRunChange"/>s as the embedded platform's, but
/// per pipeline (upstream compares Works), not per Destination and state store; then the DryRun and its summary are
/// deleted, so nothing is left behind.
/// </summary>
public sealed partial class ClusterPlatform
{
    internal static readonly ApiResource DryRunType = new(KratixApi.Group, KratixApi.Version, "dryruns", "DryRun", Namespaced: true);

    public DryRunResult DryRunRequest(JsonObject request, ManifestDocument? source = null, TimeSpan timeout = default, CancellationToken cancellationToken = default) => Run(async token =>
    {
        await RequireKratixAsync(token).ConfigureAwait(false);
        var promises = await PromisesAsync(token).ConfigureAwait(false);
        var checkedRequest = await SubmitAsync(request, source, allowUpdate: true, promises, dryRun: true, token).ConfigureAwait(false);
        var promise = promises.First(p => RequestTypeOf(p) is { } t && t.Group == checkedRequest.Group && t.Kind == checkedRequest.Kind);
        var ns = checkedRequest.Namespace ?? DefaultNamespace;
        var subject = $"{checkedRequest.Kind} {ns}/{checkedRequest.Name}";
        var name = $"{checkedRequest.Name}-preview-{Guid.NewGuid().ToString("N")[..5]}";
        var dryRun = new JsonObject
        {
            ["apiVersion"] = KratixApi.ApiVersion,
            ["kind"] = "DryRun",
            ["metadata"] = new JsonObject { ["name"] = name, ["namespace"] = ns },
            ["spec"] = new JsonObject
            {
                ["promiseRef"] = new JsonObject { ["name"] = promise.Name },
                ["resourceRequestRef"] = new JsonObject { ["name"] = checkedRequest.Name, ["namespace"] = ns },
                ["resource"] = checkedRequest.Spec.DeepClone(),
            },
        };
        try
        {
            await _api.ApplyAsync(DryRunType, ns, name, dryRun, cancellationToken: token).ConfigureAwait(false);
        }
        catch (KubeApiException ex) when (ex.StatusCode == HttpStatusCode.NotFound)
        {
            throw new KratixException(
                "DryRunNotEnabled",
                KratixErrorCategory.ResourceUnavailable,
                "This cluster's Kratix does not serve DryRun (platform.kratix.io/v1alpha1), a preview feature: install a Kratix that has it, set featureFlags.dryRun: true in its config, and register a Destination labelled kratix.io/dry-run=true for the preview's Works.",
                subject,
                ex);
        }

        try
        {
            var waited = timeout > TimeSpan.Zero ? timeout : TimeSpan.FromMinutes(5);
            var waiter = new ObjectWaiter(_api) { ReconnectDelay = WatchReconnectDelay, WatchTimeout = WatchTimeout };
            Log.Progress(new PlatformProgress($"Dry run of {subject}", "Waiting for upstream's DryRun to complete", 0, 0));
            var (found, done) = await waiter.WaitAsync(DryRunType, ns, name, obj => obj is not null && Completed(obj) is not null, waited, null, token).ConfigureAwait(false);
            Log.Progress(new PlatformProgress($"Dry run of {subject}", done ? "Done" : "Timed out", 0, 0) { Finished = true });
            if (!done || found is null)
            {
                throw new KratixException(
                    "WaitConditionNotMet",
                    KratixErrorCategory.OperationTimeout,
                    $"DryRun \"{ns}/{name}\" for {subject} did not complete within {waited}: its condition Completed is not set. Is the DryRun controller running (featureFlags.dryRun), and is a Destination labelled kratix.io/dry-run=true registered?",
                    subject);
            }

            var completed = Completed(found)!;
            if (completed.GetString("status") != "True")
            {
                throw new KratixException("DryRunWorkflowFailed", KratixErrorCategory.InvalidResult, $"In the dry run, the configure workflow of {subject} failed: {completed.GetString("message")}", subject);
            }

            var failures = new List<string>();
            var components = (found["status"]?["conditions"] as JsonArray)?.OfType<JsonObject>().FirstOrDefault(c => c.GetString("type") == "ComponentsSucceeded");
            if (components?.GetString("status") == "False")
            {
                failures.Add($"{subject}: {components.GetString("message")}");
            }

            var summaries = await _api.ListItemsAsync(WorkType, ns, $"kratix.io/dry-run-summary=true,kratix.io/dry-run-owner={name}", token).ConfigureAwait(false);
            var text = summaries.Select(w => new Work(w)).SelectMany(w => w.WorkloadGroups).SelectMany(g => g.Workloads)
                .Select(w => Encoding.UTF8.GetString(w.GetBytes())).FirstOrDefault() ?? string.Empty;
            foreach (var summary in summaries)
            {
                await _api.DeleteAsync(WorkType, ns, new KubeObject(summary).Name, token).ConfigureAwait(false);
            }

            return new DryRunResult(subject, ParseDryRunSummary(text), failures);
        }
        finally
        {
            // Its ephemeral request and component DryRuns are owned by it: the cluster's garbage collector removes them.
            await _api.DeleteAsync(DryRunType, ns, name, CancellationToken.None).ConfigureAwait(false);
        }
    }, cancellationToken);

    /// <summary>Upstream's DryRun previews requests only.</summary>
    public DryRunResult DryRunPromise(JsonObject promise, CancellationToken cancellationToken = default) =>
        throw NotOnCluster("Compare-KratixPromise (and Install-KratixPromise -WhatIf)", "upstream Kratix's DryRun previews resource requests only, not Promises. Preview the Promise on an embedded platform (Export-KratixPlatform, then Import-KratixPlatform into a home).");

    private static JsonObject? Completed(JsonObject dryRun) =>
        (dryRun["status"]?["conditions"] as JsonArray)?.OfType<JsonObject>().FirstOrDefault(c => c.GetString("type") == "Completed");

    private static readonly Regex SummaryHeading = new(@"^(?<level>#{2,3}) (?:(?<pipeline>Pipeline): `(?<name>[^`]*)`|(?<component>Component request): `(?<promise>[^`]*)` / `(?<request>[^`]*)`|\S+ (?<change>Added|Modified|Removed): `(?<path>[^`]*)`)", RegexOptions.CultureInvariant);

    /// <summary>
    /// The files of upstream's dry-run summary (<c>dryRunRenderDiff</c>'s markdown): a section per pipeline
    /// (<c>## Pipeline: `name`</c>, <c>### Pipeline</c> in a compound's), a section per component request
    /// (<c>## Component request: `promise` / `name`</c>), and under them <c>## ➕ Added: `path`</c> and
    /// <c>## 🗑️ Removed: `path`</c> with the file in a fenced block, <c>## ✏️ Modified: `path`</c> with a whole-file line
    /// diff. Each becomes a <see cref="DryRunChange"/> whose <see cref="DryRunChange.Pipeline"/> says where it came from;
    /// the texts are rebuilt and diffed again, so the diff has diff -u's hunks as on the embedded platform.
    /// </summary>
    internal static List<DryRunChange> ParseDryRunSummary(string summary)
    {
        var changes = new List<DryRunChange>();
        var lines = summary.Replace("\r\n", "\n", StringComparison.Ordinal).Split('\n');
        string pipeline = string.Empty, component = string.Empty;
        for (var i = 0; i < lines.Length; i++)
        {
            var heading = SummaryHeading.Match(lines[i]);
            if (!heading.Success)
            {
                continue;
            }

            if (heading.Groups["pipeline"].Success)
            {
                pipeline = heading.Groups["name"].Value;
                continue;
            }

            if (heading.Groups["component"].Success)
            {
                component = $"{heading.Groups["promise"].Value}/{heading.Groups["request"].Value}";
                pipeline = string.Empty;
                continue;
            }

            // The fenced block after the heading.
            var body = new List<string>();
            var j = i + 1;
            while (j < lines.Length && !lines[j].StartsWith("```", StringComparison.Ordinal))
            {
                j++;
            }

            for (j++; j < lines.Length && lines[j] != "```"; j++)
            {
                body.Add(lines[j]);
            }

            i = j;
            var path = heading.Groups["path"].Value;
            var where = component.Length == 0 ? pipeline : $"{component} {pipeline}".Trim();
            string? before = null, after = null;
            var kind = heading.Groups["change"].Value;
            if (kind == "Modified")
            {
                var diff = body.Where(l => !l.StartsWith("--- ", StringComparison.Ordinal) && !l.StartsWith("+++ ", StringComparison.Ordinal)).ToList();
                before = string.Concat(diff.Where(l => !l.StartsWith('+')).Select(l => (l.Length > 0 ? l[1..] : l) + "\n"));
                after = string.Concat(diff.Where(l => !l.StartsWith('-')).Select(l => (l.Length > 0 ? l[1..] : l) + "\n"));
            }
            else
            {
                var text = string.Concat(body.Select(l => l + "\n"));
                (before, after) = kind == "Added" ? ((string?)null, text) : (text, (string?)null);
            }

            var change = kind switch { "Added" => DryRunChange.Added, "Removed" => DryRunChange.Removed, _ => DryRunChange.Changed };
            changes.Add(new DryRunChange(change, string.Empty, string.Empty, string.Empty, path, before, after, UnifiedDiff.Create(path, before, after), where));
        }

        return changes;
    }
}
