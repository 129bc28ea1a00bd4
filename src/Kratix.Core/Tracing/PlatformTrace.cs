using System.Collections.Specialized;
using System.Globalization;
using System.Security.Cryptography;
using System.Text.Json.Nodes;
using Kratix.Destinations;
using Kratix.Objects;
using Kratix.Pipelines;
using Kratix.Platforms;
using Kratix.Scheduling;
using Kratix.StateStores;

namespace Kratix.Tracing;

/// <summary>
/// Builds the trace of a request or a Promise from platform objects (a <see cref="TraceSnapshot"/>): its last workflow
/// run (each pipeline's phase and duration, each container's exit code and log file), its Works, their WorkPlacements,
/// the Destinations they landed on and those Destinations' state stores, with the paths each placement wrote there and
/// the commit (Git) or ETags (S3) of the write; a workload group no Destination matches, with why; sub-requests of a
/// compound Promise beneath their parent. A pure function of the snapshot: it changes nothing.
/// </summary>
public static class PlatformTrace
{
    /// <summary>Upstream's labels for a compound Promise's sub-requests, which its CLI's tree view reads.</summary>
    public const string ComponentOfPromiseLabel = "kratix.io/component-of-promise-name";

    public const string ComponentOfResourceLabel = "kratix.io/component-of-resource-name";

    public const string ComponentOfNamespaceLabel = "kratix.io/component-of-resource-namespace";

    /// <summary>The labels upstream's dry-run design gives a compound's component requests; read like the component-of ones.</summary>
    public const string ParentPromiseLabel = "kratix.io/parent-promise-name";

    public const string ParentResourceLabel = "kratix.io/parent-resource-name";

    public const string ParentNamespaceLabel = "kratix.io/parent-resource-namespace";

    /// <summary>What the embedded platform's platform Destinations annotate the objects they applied with: <c>&lt;namespace&gt;/&lt;placement&gt;</c>.</summary>
    public const string AppliedFromAnnotation = "kratix.io/applied-from";

    /// <summary>How many paths of one placement the tree view lists (Details.Paths has them all).</summary>
    public const int PathsShown = 6;

    /// <summary>How many of the last lines of a failed container's log the tree view shows.</summary>
    public const int LogLinesShown = 5;

    /// <summary>The trace of a request, its sub-requests beneath it.</summary>
    public static TraceNode Request(TraceSnapshot snapshot, ResourceRequest request) =>
        new Builder(snapshot).Request(request, []);

    /// <summary>The trace of a Promise; with <paramref name="includeRequests"/>, each of its requests' traces beneath it.</summary>
    public static TraceNode Promise(TraceSnapshot snapshot, Promise promise, bool includeRequests = false) =>
        new Builder(snapshot).Promise(promise, includeRequests, []);

    /// <summary>"850 ms", "4.2 s", "3 min 5 s".</summary>
    public static string FormatDuration(TimeSpan duration) =>
        duration.TotalSeconds < 1 ? $"{(long)duration.TotalMilliseconds} ms"
        : duration.TotalSeconds < 60 ? duration.TotalSeconds.ToString("0.0", CultureInfo.InvariantCulture) + " s"
        : $"{(long)duration.TotalMinutes} min {duration.Seconds} s";

    private sealed class Builder(TraceSnapshot s)
    {
        public TraceNode Request(ResourceRequest request, HashSet<string> visited)
        {
            visited.Add(KeyOf(request));
            var promise = s.Promises.FirstOrDefault(p => p.Name == request.PromiseName);
            var children = new List<TraceNode>();
            if (promise is not null)
            {
                children.AddRange(Workflows(promise, request, WorkflowTypes.Resource));
            }

            var works = WorksOfRequest(promise, request);
            children.AddRange(works.Select(Work));
            var own = children.ToList();
            children.AddRange(Applied(request, works, visited));

            var conditions = request.Conditions;
            var reconciled = conditions.Get(Reasons.Reconciled);
            var promiseAvailable = conditions.Get(Reasons.PromiseAvailable);
            var noWorkflow = promise is not null && promise.Workflows(WorkflowTypes.Resource, WorkflowTypes.Configure).Count == 0;
            var status = reconciled?.Message is { Length: > 0 } m ? m
                : request.Status.GetString("message") ?? (request.Status.Count == 0 ? "Pending" : "Accepted");
            var ready = reconciled is not null ? reconciled.IsTrue : noWorkflow && promiseAvailable is not { Status: Condition.False };
            string? reason = reconciled?.Reason;
            string? message = reconciled?.Message;
            if (promise is null)
            {
                (status, ready, reason, message) = ("Pending", false, "PromiseNotFound", $"Promise \"{request.PromiseName}\" is not installed.");
            }
            else if (promiseAvailable is { Status: Condition.False })
            {
                (reason, message) = (promiseAvailable.Reason, $"{promiseAvailable.Message}: Promise \"{promise.Name}\" is {promise.Status.GetString("status") ?? "not available"}.");
            }
            else if (noWorkflow && reconciled is null)
            {
                (reason, message) = ("NoWorkflow", $"Promise \"{promise.Name}\" has no resource.configure workflow, so nothing is scheduled for this request.");
            }

            if (request.IsBeingDeleted)
            {
                (status, ready, reason) = ("Deleting", false, reason ?? "Deleting");
            }

            if (Causes(own) is { Length: > 0 } causes)
            {
                message = causes;
            }

            var details = Details(
                ("Promise", request.PromiseName),
                ("ApiVersion", request.ApiVersion),
                ("Generation", request.Generation),
                ("Works", works.Count),
                ("Destinations", children.SelectMany(c => c.Kind == KratixApi.WorkKind ? c.Find(KratixApi.DestinationKind) : []).Select(d => d.Name).Distinct(StringComparer.Ordinal).ToArray()),
                ("Parent", ParentOf(request)));
            return new TraceNode(request.Kind, request.Name, request.Namespace, status, ready, reason, message, $"Promise {request.PromiseName}", conditions.All, children, details);
        }

        public TraceNode Promise(Promise promise, bool includeRequests, HashSet<string> visited)
        {
            visited.Add(KeyOf(promise));
            var children = new List<TraceNode>();
            children.AddRange(Requirements(promise));
            children.AddRange(Workflows(promise, promise, WorkflowTypes.Promise));
            var works = s.WorksOf(KratixApi.SystemNamespace, promise.Name, KratixApi.WorkTypeStaticDependency, null)
                .Concat(s.WorksOf(KratixApi.SystemNamespace, promise.Name, KratixApi.WorkTypePromise, null))
                .OrderBy(w => w.WorkType == KratixApi.WorkTypeStaticDependency ? 0 : 1).ThenBy(w => w.Name, StringComparer.Ordinal).ToList();
            children.AddRange(works.Select(Work));
            var own = children.ToList();
            children.AddRange(Applied(promise, works, visited));
            if (includeRequests)
            {
                foreach (var request in s.Requests.Where(r => r.PromiseName == promise.Name && !visited.Contains(KeyOf(r))).OrderBy(r => r.Namespace, StringComparer.Ordinal).ThenBy(r => r.Name, StringComparer.Ordinal))
                {
                    children.Add(Request(request, visited));
                }
            }

            var conditions = promise.Conditions;
            var available = conditions.Get(Reasons.Available);
            var reconciled = conditions.Get(Reasons.Reconciled);
            var status = reconciled?.Message is { Length: > 0 } m ? m : promise.Status.GetString("status") ?? "Pending";
            var ready = available is { Status: Condition.True } && reconciled is null or { Status: Condition.True };
            var reason = ready ? reconciled?.Reason ?? available?.Reason : reconciled is { Status: not Condition.True } ? reconciled.Reason : available?.Reason;
            var message = ready ? available?.Message : reconciled is { Status: not Condition.True } ? reconciled.Message : available?.Message;
            if (promise.IsBeingDeleted)
            {
                (status, ready, reason) = ("Deleting", false, reason ?? "Deleting");
            }

            if (Causes(own) is { Length: > 0 } causes)
            {
                message = causes;
            }

            var summary = promise.Status.GetString("kind") is { } kind ? $"API {kind} ({promise.Status.GetString("apiVersion")})" : "no API";
            var details = Details(
                ("Version", promise.Status.GetString("version") ?? promise.PromiseVersion),
                ("Kind", promise.Status.GetString("kind")),
                ("ApiVersion", promise.Status.GetString("apiVersion")),
                ("Requests", s.Requests.Count(r => r.PromiseName == promise.Name)),
                ("Works", works.Count),
                ("Destinations", children.SelectMany(c => c.Kind == KratixApi.WorkKind ? c.Find(KratixApi.DestinationKind) : []).Select(d => d.Name).Distinct(StringComparer.Ordinal).ToArray()));
            return new TraceNode(KratixApi.PromiseKind, promise.Name, null, status, ready, reason, message, summary, conditions.All, children, details);
        }

        // The requirements a Promise's status lists (status.requiredPromises), each with its state.
        private static IEnumerable<TraceNode> Requirements(Promise promise)
        {
            foreach (var entry in (promise.Status["requiredPromises"] as JsonArray)?.OfType<JsonObject>() ?? [])
            {
                var state = entry.GetString("state") ?? "Requirement state unknown";
                var ready = state == Reasons.RequirementInstalled;
                var name = entry.GetString("name") ?? string.Empty;
                var version = entry.GetString("version");
                yield return new TraceNode(
                    "RequiredPromise",
                    name,
                    null,
                    ready ? "Installed" : "Missing",
                    ready,
                    ready ? null : Reasons.RequirementsNotFulfilled,
                    ready ? null : state,
                    version is null ? null : $"version {version}",
                    details: Details(("Version", version), ("State", state)));
            }
        }

        private IEnumerable<TraceNode> Workflows(Promise promise, KubeObject obj, string type)
        {
            if (promise.Workflows(type, WorkflowTypes.Configure).Count > 0)
            {
                yield return Workflow(promise, obj, type, WorkflowTypes.Configure);
            }

            var deleteRecord = s.Run(type, WorkflowTypes.Delete, promise.Name, NamespaceOf(obj), obj.Name);
            if (promise.Workflows(type, WorkflowTypes.Delete).Count > 0 && (deleteRecord is not null || obj.Conditions.Get(Reasons.DeleteWorkflowCompleted) is not null))
            {
                yield return Workflow(promise, obj, type, WorkflowTypes.Delete);
            }
        }

        private TraceNode Workflow(Promise promise, KubeObject obj, string type, string action)
        {
            var configure = action == WorkflowTypes.Configure;
            var pipelines = promise.Workflows(type, action);
            if (!configure)
            {
                pipelines = pipelines.Take(1).ToList(); // Only the first delete pipeline runs, as upstream.
            }

            var record = s.Run(type, action, promise.Name, NamespaceOf(obj), obj.Name);
            var condition = obj.Conditions.Get(configure ? Reasons.ConfigureWorkflowCompleted : Reasons.DeleteWorkflowCompleted);
            var entries = configure ? (obj.Status["kratix"]?["workflows"]?["pipelines"] as JsonArray)?.OfType<JsonObject>().ToList() ?? [] : [];
            var suspended = entries.Any(e => e.GetString("phase") == PipelinePhases.Suspended) || record?.Pipelines.Any(p => p.Phase == PipelinePhases.Suspended) == true;
            string status;
            if (condition is { Status: Condition.True })
            {
                status = PipelinePhases.Succeeded;
            }
            else if (condition?.Reason is Reasons.ConfigureWorkflowFailed or Reasons.DeleteWorkflowFailed)
            {
                status = PipelinePhases.Failed;
            }
            else if (condition?.Reason == "WorkflowRuntimeUnavailable")
            {
                status = "NotRun";
            }
            else if (suspended || condition?.Reason == Reasons.DeleteWorkflowSuspended)
            {
                status = PipelinePhases.Suspended;
            }
            else if (!configure && record is not null)
            {
                status = record.Pipelines.All(p => p.Phase == PipelinePhases.Succeeded) ? PipelinePhases.Succeeded : PipelinePhases.Failed;
            }
            else
            {
                status = PipelinePhases.Pending;
            }

            var children = new List<TraceNode>();
            string? stopped = null;
            for (var i = 0; i < pipelines.Count; i++)
            {
                var name = pipelines[i].Name;
                var node = Pipeline(name, i, entries.FirstOrDefault(e => e.GetString("name") == name), record?.Pipelines.FirstOrDefault(p => p.Name == name), record, stopped);
                if (node.Status is PipelinePhases.Failed or PipelinePhases.Suspended)
                {
                    stopped ??= name;
                }

                children.Add(node);
            }

            var workflow = $"{type}.{action}";
            var summary = $"{pipelines.Count} pipeline{(pipelines.Count == 1 ? string.Empty : "s")}"
                + (record is null ? " · no run recorded" : $" · {FormatDuration(record.Duration)} · {record.Runtime}" + (record.FinishedAt is { } at ? $" · {Timestamps.Format(at)}" : string.Empty));
            var details = Details(
                ("Workflow", workflow),
                ("Pipelines", pipelines.Select(p => p.Name).ToArray()),
                ("Runtime", record?.Runtime),
                ("FinishedAt", record?.FinishedAt),
                ("Duration", record?.Duration),
                ("Hash", record?.Hash),
                ("RecordPath", record?.RecordPath),
                ("LogDirectory", record?.LogDirectory));
            var notes = record is null ? new List<string>() : [$"logs: {record.LogDirectory}"];
            return new TraceNode("Workflow", workflow, null, status, status == PipelinePhases.Succeeded, condition?.Reason, condition?.Message, summary, condition is null ? [] : [condition], children, details, notes);
        }

        private static TraceNode Pipeline(string name, int index, JsonObject? entry, PipelineRunRecord? run, WorkflowRunRecord? record, string? stoppedAt)
        {
            var phase = entry?.GetString("phase") ?? run?.Phase ?? PipelinePhases.Pending;
            string? reason = null;
            string? message = null;
            if (phase == PipelinePhases.Failed)
            {
                reason = "PipelineFailed";
                message = run?.Error ?? "the pipeline failed";
            }
            else if (phase == PipelinePhases.Suspended)
            {
                reason = "WorkflowSuspended";
                var retry = entry?.GetString("nextRetryAt") is { } next ? $"retry at {next}" + (entry.GetLong("attempts") is { } attempts ? $", attempt {attempts}" : string.Empty) : null;
                message = string.Join("; ", new[] { entry?.GetString("message"), retry }.Where(t => !string.IsNullOrEmpty(t)));
                if (message.Length == 0)
                {
                    message = "suspended by its workflow-control.yaml";
                }
            }
            else if (phase == PipelinePhases.Pending && stoppedAt is not null)
            {
                phase = "NotRun";
                reason = "NotRun";
                message = $"pipeline \"{stoppedAt}\" before it did not succeed";
            }

            var children = run?.Containers.Select(Container).ToList() ?? [];
            // On a cluster a pipeline's logs are its Job's Pod's, not a folder.
            var pod = run?.Containers.Select(c => c.Pod).FirstOrDefault(p => p is not null);
            var logs = record is null || run is null ? null : pod is not null ? $"pod {pod.Namespace}/{pod.Name}" : Path.Combine(record.LogDirectory, name);
            var details = Details(
                ("Index", index),
                ("Phase", phase),
                ("Duration", run?.Duration),
                ("LastTransitionTime", entry?.GetString("lastTransitionTime")),
                ("NextRetryAt", entry?.GetString("nextRetryAt")),
                ("Attempts", entry?.GetLong("attempts")),
                ("Error", run?.Error),
                ("LogDirectory", logs));
            var summary = run is null ? null : FormatDuration(run.Duration);
            return new TraceNode("Pipeline", name, null, phase, phase == PipelinePhases.Succeeded, reason, message, summary, null, children, details);
        }

        private static TraceNode Container(ContainerRunRecord container)
        {
            var status = container.Succeeded ? PipelinePhases.Succeeded : container.TimedOut ? "TimedOut" : PipelinePhases.Failed;
            string? reason = null;
            string? message = null;
            var notes = new List<string>();
            IReadOnlyList<string> tail = [];
            if (!container.Succeeded)
            {
                reason = container.TimedOut ? "ContainerTimedOut" : container.ExitCode < 0 ? "ContainerNotStarted" : "ContainerFailed";
                message = (container.TimedOut ? "stopped at the container time limit" : container.ExitCode < 0 ? "could not start" : $"exited with code {container.ExitCode}")
                    + (container.LogPath is not null ? $"; log: {container.LogPath}" : container.Pod is { } pod ? $"; log: pod {pod.Namespace}/{pod.Name} container {container.Name}" : string.Empty);
                tail = container.LogTail is { } text ? Lines(text, LogLinesShown) : LogTail(container.LogPath, LogLinesShown);
                notes.AddRange(tail.Select(line => "│ " + line));
            }

            var details = Details(
                ("Image", container.Image),
                ("ExitCode", container.ExitCode),
                ("TimedOut", container.TimedOut),
                ("Duration", container.Duration),
                ("LogPath", container.LogPath),
                ("LogTail", tail.Count == 0 ? null : tail.ToArray()));
            return new TraceNode("Container", container.Name, null, status, container.Succeeded, reason, message, $"exit {container.ExitCode} · {FormatDuration(container.Duration)}", null, null, details, notes);
        }

        private static IReadOnlyList<string> Lines(string text, int lines)
        {
            var all = text.Replace("\r", string.Empty, StringComparison.Ordinal).TrimEnd('\n').Split('\n');
            return all.Length == 1 && all[0].Length == 0 ? [] : all.Skip(Math.Max(0, all.Length - lines)).ToList();
        }

        private static IReadOnlyList<string> LogTail(string? path, int lines)
        {
            try
            {
                if (path is null || !File.Exists(path))
                {
                    return [];
                }

                return Lines(File.ReadAllText(path), lines);
            }
            catch (IOException)
            {
                return [];
            }
        }

        private List<Work> WorksOfRequest(Promise? promise, ResourceRequest request)
        {
            var ns = promise?.PipelineNamespace ?? request.Namespace ?? "default";
            return s.WorksOf(ns, request.PromiseName, KratixApi.WorkTypeResource, request.Name)
                .Where(w => promise?.PipelineNamespace is null || w.GetLabel(KratixApi.ResourceNamespaceLabel) == (request.Namespace ?? "default"))
                .OrderBy(w => PipelineIndex(promise, w)).ThenBy(w => w.Name, StringComparer.Ordinal).ToList();
        }

        private static int PipelineIndex(Promise? promise, Work work)
        {
            var names = promise?.Workflows(work.WorkType == KratixApi.WorkTypeResource ? WorkflowTypes.Resource : WorkflowTypes.Promise, WorkflowTypes.Configure).Select(p => p.Name).ToList() ?? [];
            var index = names.IndexOf(work.PipelineName);
            return index < 0 ? int.MaxValue : index;
        }

        private List<WorkPlacement> PlacementsOf(Work work) =>
            s.PlacementsOf(work).OrderBy(p => p.Name, StringComparer.Ordinal).ToList();

        private TraceNode Work(Work work)
        {
            var placements = PlacementsOf(work);
            var children = new List<TraceNode>();
            children.AddRange(placements.Select(p => Placement(work, p)));
            var placed = placements.Select(p => p.Id).ToHashSet(StringComparer.Ordinal);
            children.AddRange(work.WorkloadGroups.Where(g => !placed.Contains(g.Id)).Select(Unscheduled));

            var conditions = work.Conditions;
            var ready = conditions.Get(Reasons.Ready);
            var schedule = conditions.Get(Reasons.ScheduleSucceeded);
            var groups = work.WorkloadGroups.Count;
            var what = work.WorkType == KratixApi.WorkTypeStaticDependency ? "static dependencies" : $"pipeline {work.PipelineName}";
            var summary = groups == 0 ? $"{what} · no output" : $"{what} · {groups} workload group{(groups == 1 ? string.Empty : "s")}";
            var details = Details(
                ("Promise", work.PromiseName),
                ("Request", work.ResourceName.Length == 0 ? null : work.ResourceName),
                ("WorkType", work.WorkType),
                ("Pipeline", work.PipelineName.Length == 0 ? null : work.PipelineName),
                ("WorkloadGroups", work.WorkloadGroups.Select(g => g.Id).ToArray()),
                ("Unscheduled", work.WorkloadGroups.Where(g => !placed.Contains(g.Id)).Select(g => g.Id).ToArray()));
            return new TraceNode(
                KratixApi.WorkKind,
                work.Name,
                work.Namespace,
                ready?.Message is { Length: > 0 } m ? m : "Pending",
                ready?.IsTrue ?? false,
                ready?.Reason,
                schedule?.Message,
                summary,
                conditions.All,
                children,
                details);
        }

        // A workload group of a Work that no Destination took, and why none matches.
        private TraceNode Unscheduled(WorkloadGroup group)
        {
            var selector = SelectorMatcher.Merge(group.DestinationSelectors);
            var candidates = s.Destinations.Where(SelectorMatcher.IsSchedulable).OrderBy(d => d.Name, StringComparer.Ordinal).ToList();
            var wanted = selector.Count == 0 ? "any labels" : Labels(selector);
            string message;
            if (candidates.Count == 0)
            {
                message = $"no Destination is registered to take it (it needs {wanted})";
            }
            else
            {
                var shown = candidates.Take(4).Select(d => $"{d.Name} has {(d.Labels.Count == 0 ? "no labels" : Labels(d.Labels))}{(selector.Count == 0 && d.StrictMatchLabels ? " and strictMatchLabels" : string.Empty)}");
                message = $"no Destination matches {wanted}: " + string.Join("; ", shown) + (candidates.Count > 4 ? $"; and {candidates.Count - 4} more" : string.Empty);
            }

            var details = Details(
                ("Id", group.Id),
                ("Directory", group.Directory),
                ("Selector", Dictionary(selector)),
                ("Files", group.Workloads.Select(w => w.Filepath).ToArray()));
            var directory = group.Directory is "." or "" ? "default group" : $"directory {group.Directory}";
            return new TraceNode("WorkloadGroup", Short(group.Id), null, "Unscheduled", false, Reasons.UnscheduledWorkloads, message, directory, null, null, details);
        }

        private TraceNode Placement(Work work, WorkPlacement placement)
        {
            var destination = s.Destinations.FirstOrDefault(d => d.Name == placement.TargetDestinationName);
            var store = destination is null ? null : s.StateStores.FirstOrDefault(st => st.Kind == destination.StateStoreKind && st.Name == destination.StateStoreName);
            var conditions = placement.Conditions;
            var ready = conditions.Get(Reasons.Ready);
            var write = conditions.Get(Reasons.WriteSucceeded);
            var misplaced = placement.IsMisplaced;
            string? message = write?.Message;
            if (write is { Status: Condition.False })
            {
                message = write.Message;
            }
            else if (misplaced)
            {
                var group = work.WorkloadGroups.FirstOrDefault(g => g.Id == placement.Id);
                var wanted = group is null ? "its selector" : Labels(SelectorMatcher.Merge(group.DestinationSelectors));
                message = destination is null
                    ? $"Destination \"{placement.TargetDestinationName}\" is gone"
                    : $"Destination \"{destination.Name}\" no longer matches {wanted} (it has {(destination.Labels.Count == 0 ? "no labels" : Labels(destination.Labels))}); its files stay and are still updated";
            }
            else if (ready is null || !ready.IsTrue)
            {
                message = conditions.Get(Reasons.ScheduleSucceeded)?.Message ?? message;
            }

            var (paths, location, etags) = Written(destination, placement, store);
            var commit = placement.VersionId;
            var files = placement.Workloads.Count;
            var summary = (commit is { Length: > 0 } ? $"commit {commit[..Math.Min(12, commit.Length)]} · " : string.Empty) + $"{files} file{(files == 1 ? string.Empty : "s")}";
            var notes = paths.Take(PathsShown).ToList();
            if (paths.Count > PathsShown)
            {
                notes.Add($"… and {paths.Count - PathsShown} more (Details.Paths)");
            }

            var details = Details(
                ("Destination", placement.TargetDestinationName),
                ("StateStore", destination is null ? null : $"{destination.StateStoreKind}/{destination.StateStoreName}"),
                ("WorkloadGroupId", placement.Id),
                ("Pipeline", placement.PipelineName.Length == 0 ? null : placement.PipelineName),
                ("Misplaced", misplaced),
                ("Commit", commit),
                ("Paths", paths.ToArray()),
                ("ETags", etags),
                ("Location", location),
                ("Files", placement.Workloads.Select(w => w.Filepath).ToArray()));
            var status = misplaced ? Reasons.Misplaced : ready?.Message is { Length: > 0 } m ? m : "Pending";
            return new TraceNode(
                KratixApi.WorkPlacementKind,
                placement.Name,
                placement.Namespace,
                status,
                (ready?.IsTrue ?? false) && !misplaced,
                misplaced ? Reasons.DestinationSelectorMismatch : ready?.Reason,
                message,
                summary,
                conditions.All,
                [Destination(placement.TargetDestinationName, destination, store)],
                details,
                notes);
        }

        /// <summary>
        /// The paths a placement's write puts in its store (relative to the store's root: the store's spec.path, the
        /// Destination's path, then the layout's), where a directory store keeps them, and for an S3 bucket each file's
        /// ETag (the MD5 of its content, which a single-part PUT gives the object).
        /// </summary>
        private static (List<string> Paths, string? Location, OrderedDictionary? ETags) Written(Destination? destination, WorkPlacement placement, KubeObject? store)
        {
            if (destination is null)
            {
                return ([], null, null);
            }

            StateStoreChange change;
            try
            {
                change = DestinationLayout.ForPlacement(destination, placement, new PlacementContext(placement.PipelineName, placement.Namespace ?? string.Empty, []), delete: false);
            }
            catch (KratixException)
            {
                return ([], null, null);
            }

            var basePath = store?.Spec.GetString("path") ?? string.Empty;
            var paths = change.Files.Select(f => JoinStorePath(basePath, f.Path)).ToList();
            if (store is null || store.Kind != KratixApi.BucketStateStoreKind)
            {
                return (paths, null, null);
            }

            var bucket = new BucketStateStore(store.Node);
            if (BucketEndpoint.TryParse(bucket.Endpoint, bucket.Insecure, out var endpoint, out _) && endpoint.Directory is { } directory)
            {
                return (paths, Path.Combine(directory, bucket.BucketName), null);
            }

            var etags = new OrderedDictionary(StringComparer.Ordinal);
            foreach (var file in change.Files)
            {
                etags[JoinStorePath(basePath, file.Path)] = Convert.ToHexString(MD5.HashData(file.Content)).ToLowerInvariant();
            }

            return (paths, null, etags);
        }

        private static string JoinStorePath(string basePath, string path)
        {
            var prefix = basePath.Replace('\\', '/').Trim('/');
            return prefix.Length == 0 || prefix == "." ? path : $"{prefix}/{path}";
        }

        private TraceNode Destination(string name, Destination? destination, KubeObject? store)
        {
            if (destination is null)
            {
                return new TraceNode(KratixApi.DestinationKind, name, null, "Missing", false, "DestinationNotFound", $"Destination \"{name}\" is not registered (Get-KratixDestination lists those that are).", null);
            }

            var ready = destination.Conditions.Get(Reasons.Ready);
            var summary = (destination.Labels.Count == 0 ? "no labels" : Labels(destination.Labels))
                + $" · path {(destination.Path.Length == 0 ? "/" : destination.Path)}"
                + (destination.FilepathMode == Objects.Destination.ModeNestedByMetadata ? string.Empty : $" · {destination.FilepathMode}")
                + (destination.AppliesToPlatform ? " · applies to this platform" : string.Empty);
            var details = Details(
                ("Labels", Dictionary(destination.Labels)),
                ("Path", destination.Path),
                ("FilepathMode", destination.FilepathMode),
                ("StrictMatchLabels", destination.StrictMatchLabels),
                ("AppliesToPlatform", destination.AppliesToPlatform),
                ("StateStore", $"{destination.StateStoreKind}/{destination.StateStoreName}"));
            return new TraceNode(
                KratixApi.DestinationKind,
                destination.Name,
                null,
                ready is null ? "Unknown" : ready.IsTrue ? "Ready" : "NotReady",
                ready?.IsTrue ?? false,
                ready?.Reason,
                ready?.Message,
                summary,
                destination.Conditions.All,
                [StateStore(destination.StateStoreKind, destination.StateStoreName, store)],
                details);
        }

        private static TraceNode StateStore(string kind, string name, KubeObject? store)
        {
            if (store is null)
            {
                return new TraceNode(kind.Length == 0 ? "StateStore" : kind, name, null, "Missing", false, Reasons.StateStoreNotFound, $"{kind}/{name}: not found (Get-KratixStateStore lists those registered).", null);
            }

            var ready = store.Conditions.Get(Reasons.Ready);
            string summary;
            OrderedDictionary details;
            if (store.Kind == KratixApi.GitStateStoreKind)
            {
                var git = new GitStateStore(store.Node);
                summary = $"{git.Url} ({git.Branch})" + (git.Path.Length == 0 ? string.Empty : $" path {git.Path}");
                details = Details(("Url", git.Url), ("Branch", git.Branch), ("Path", git.Path));
            }
            else
            {
                var bucket = new BucketStateStore(store.Node);
                summary = $"{bucket.Endpoint} bucket {bucket.BucketName}" + (bucket.Path.Length == 0 ? string.Empty : $" path {bucket.Path}");
                details = Details(("Endpoint", bucket.Endpoint), ("BucketName", bucket.BucketName), ("Path", bucket.Path));
            }

            return new TraceNode(
                store.Kind,
                store.Name,
                null,
                store.Status.GetString("status") ?? "Unknown",
                ready?.IsTrue ?? false,
                ready?.Reason,
                ready?.Message,
                summary,
                store.Conditions.All,
                null,
                details);
        }

        /// <summary>
        /// Sub-requests (and sub-Promises) of <paramref name="parent"/>: what a platform Destination applied from the
        /// placements of its Works (annotation kratix.io/applied-from), and requests labelled as its components
        /// (kratix.io/component-of-* or kratix.io/parent-*); documents on a platform Destination that are not on the
        /// platform show as NotApplied.
        /// </summary>
        private IEnumerable<TraceNode> Applied(KubeObject parent, IReadOnlyList<Work> works, HashSet<string> visited)
        {
            var placements = works.SelectMany(PlacementsOf).ToList();
            var sources = placements.Select(p => $"{p.Namespace}/{p.Name}").ToHashSet(StringComparer.Ordinal);
            var found = new List<TraceNode>();
            var applied = sources.SelectMany(s.AppliedFrom).ToList();
            foreach (var promise in applied.OfType<Promise>().Where(p => !visited.Contains(KeyOf(p))).OrderBy(p => p.Name, StringComparer.Ordinal))
            {
                found.Add(Promise(promise, includeRequests: false, visited));
            }

            var requests = applied.OfType<ResourceRequest>()
                .Concat(parent is ResourceRequest parentRequest ? s.LabelledComponents.Where(r => IsLabelledComponentOf(r, parentRequest)) : [])
                .Where(r => !visited.Contains(KeyOf(r)))
                .Distinct()
                .OrderBy(r => r.Namespace, StringComparer.Ordinal).ThenBy(r => r.Name, StringComparer.Ordinal).ToList();
            foreach (var request in requests)
            {
                if (!visited.Contains(KeyOf(request)))
                {
                    found.Add(Request(request, visited));
                }
            }

            foreach (var placement in placements)
            {
                var destination = s.Destinations.FirstOrDefault(d => d.Name == placement.TargetDestinationName);
                if (destination is not { AppliesToPlatform: true } || !placement.Conditions.IsTrue(Reasons.WriteSucceeded))
                {
                    continue;
                }

                foreach (var document in placement.Workloads.SelectMany(w => new PipelineOutputFile(w.Filepath, w.GetBytes()).Documents()))
                {
                    if (Missing(document) is { } missing)
                    {
                        found.Add(new TraceNode(
                            missing.Kind,
                            missing.Name,
                            missing.Namespace,
                            "NotApplied",
                            false,
                            "NotApplied",
                            $"written to platform Destination \"{destination.Name}\" by WorkPlacement {placement.Name}, but not on this platform; Sync-KratixPlatform applies what platform Destinations hold again",
                            null,
                            details: Details(("AppliedFrom", $"{placement.Namespace}/{placement.Name}"))));
                    }
                }
            }

            return found;
        }

        // A Promise or a request (of a kind a Promise here serves) in a platform Destination's documents that the platform does not have.
        private (string Kind, string Name, string? Namespace)? Missing(JsonObject document)
        {
            var obj = new KubeObject(document);
            if (obj.Name.Length == 0)
            {
                return null;
            }

            if (obj.Kind == KratixApi.PromiseKind && obj.ApiVersion == KratixApi.ApiVersion)
            {
                return s.Promises.Any(p => p.Name == obj.Name) ? null : (obj.Kind, obj.Name, null);
            }

            var served = s.Promises.Any(p => p.Status.GetString("kind") == obj.Kind
                && string.Equals(p.Status.GetString("apiVersion")?.Split('/')[0], obj.Group, StringComparison.OrdinalIgnoreCase));
            if (!served)
            {
                return null;
            }

            var ns = obj.Namespace ?? "default";
            return s.Requests.Any(r => r.Kind == obj.Kind && r.Group == obj.Group && (r.Namespace ?? "default") == ns && r.Name == obj.Name) ? null : (obj.Kind, obj.Name, ns);
        }

        private static bool IsLabelledComponentOf(ResourceRequest candidate, ResourceRequest parent) =>
            Links(candidate, ComponentOfPromiseLabel, ComponentOfResourceLabel, ComponentOfNamespaceLabel, parent)
            || Links(candidate, ParentPromiseLabel, ParentResourceLabel, ParentNamespaceLabel, parent);

        private static bool Links(KubeObject candidate, string promiseLabel, string resourceLabel, string namespaceLabel, ResourceRequest parent) =>
            candidate.GetLabel(resourceLabel) == parent.Name
            && candidate.GetLabel(promiseLabel) is { } promise && (promise == parent.PromiseName || string.Equals(promise, parent.Kind, StringComparison.OrdinalIgnoreCase))
            && (candidate.GetLabel(namespaceLabel) ?? candidate.Namespace ?? "default") == (parent.Namespace ?? "default");

        // What a request says about its parent: applied from a placement, or labelled a component of a request.
        private string? ParentOf(ResourceRequest request)
        {
            foreach (var (promiseLabel, resourceLabel, namespaceLabel) in new[] { (ComponentOfPromiseLabel, ComponentOfResourceLabel, ComponentOfNamespaceLabel), (ParentPromiseLabel, ParentResourceLabel, ParentNamespaceLabel) })
            {
                if (request.GetLabel(resourceLabel) is { } name)
                {
                    return $"{request.GetLabel(promiseLabel)}/{request.GetLabel(namespaceLabel) ?? request.Namespace ?? "default"}/{name}";
                }
            }

            if (request.GetAnnotation(AppliedFromAnnotation) is { } from)
            {
                var slash = from.IndexOf('/', StringComparison.Ordinal);
                var placement = s.Placements.FirstOrDefault(p => $"{p.Namespace}/{p.Name}" == from);
                var work = placement is null ? null : s.Works.FirstOrDefault(w => w.Namespace == placement.Namespace && w.Name == placement.WorkName);
                return work is { ResourceName.Length: > 0 } ? $"{work.PromiseName}/{from[..Math.Max(0, slash)]}/{work.ResourceName}" : work is not null ? work.PromiseName : null;
            }

            return null;
        }

        /// <summary>What keeps a node from being ready, from the deepest nodes that are not ready below it.</summary>
        private static string Causes(IReadOnlyList<TraceNode> children)
        {
            var leaves = new List<TraceNode>();
            foreach (var child in children)
            {
                Leaves(child, leaves);
            }

            var shown = leaves.Take(3).Select(n => $"{n.Kind} {n.Name}: " + (n.Message is { Length: > 0 } m ? m : n.Reason ?? n.Status)).ToList();
            if (leaves.Count > 3)
            {
                shown.Add($"and {leaves.Count - 3} more");
            }

            return string.Join("; ", shown);
        }

        // Adds the nodes of this subtree that are not ready while everything below them is; true when it added any.
        private static bool Leaves(TraceNode node, List<TraceNode> leaves)
        {
            var below = false;
            foreach (var child in node.Children)
            {
                below |= Leaves(child, leaves);
            }

            if (below)
            {
                return true;
            }

            if (node.Ready || node.Reason == "NotRun" || node.Status == "Unknown")
            {
                return false;
            }

            leaves.Add(node);
            return true;
        }

        private static string? NamespaceOf(KubeObject obj) => obj is Promise ? null : obj.Namespace ?? "default";

        private static string KeyOf(KubeObject obj) => $"{obj.Kind}/{obj.Namespace}/{obj.Name}";

        private static string Short(string id) => id.Length > 5 ? id[..5] : id;
    }

    private static string Labels(IReadOnlyDictionary<string, string> labels) =>
        string.Join(",", labels.OrderBy(kv => kv.Key, StringComparer.Ordinal).Select(kv => $"{kv.Key}={kv.Value}"));

    private static OrderedDictionary Dictionary(IReadOnlyDictionary<string, string> map)
    {
        var result = new OrderedDictionary(StringComparer.OrdinalIgnoreCase);
        foreach (var (key, value) in map.OrderBy(kv => kv.Key, StringComparer.Ordinal))
        {
            result[key] = value;
        }

        return result;
    }

    private static OrderedDictionary Details(params (string Key, object? Value)[] entries)
    {
        var details = new OrderedDictionary(StringComparer.OrdinalIgnoreCase);
        foreach (var (key, value) in entries)
        {
            if (value is not null)
            {
                details[key] = value;
            }
        }

        return details;
    }
}
