using System.Text;
using System.Text.Json.Nodes;
using Kratix.Destinations;
using Kratix.Manifests;
using Kratix.Objects;
using Kratix.Scheduling;
using Kratix.StateStores;

namespace Kratix.Platforms.Embedded;

/// <summary>
/// Turns Works into WorkPlacements and WorkPlacements into files: schedules each Work, creates, updates and deletes
/// its placements, writes them to their Destinations' state stores (one batch per store) and records the outcome in
/// the conditions upstream uses (ScheduleSucceeded, WriteSucceeded, Ready).
/// </summary>
internal sealed class WorkController(PlatformContext context, Func<PlatformApplier> applier)
{
    private PlacementBatch? _batch;

    /// <summary>
    /// From now until <see cref="FlushBatch"/>, reconciling a Work holds the placements it would write: the flush writes
    /// them all, one change set per state store, and only then saves them and sets the Works' status, so that Ready
    /// still means "on the store". Removals are written at once.
    /// </summary>
    public void BeginBatch()
    {
        if (_batch is not null)
        {
            throw new InvalidOperationException("A placement batch is already open.");
        }

        _batch = new PlacementBatch();
    }

    /// <summary>Writes what the batch holds and sets its Works' status. Nothing when no batch is open.</summary>
    public void FlushBatch(CancellationToken cancellationToken)
    {
        if (_batch is not { } batch)
        {
            return;
        }

        _batch = null;
        var failed = batch.FailedByWork(WritePlacements(batch.Placements(), context.Destinations(), cancellationToken));
        foreach (var ((ns, name), schedule) in batch.Works())
        {
            if (context.Store.Get(ResourceType.Work, ns, name) is { } work)
            {
                UpdateWorkStatus(new Work(work), schedule, failed[(ns, name)].ToList());
            }
        }
    }

    /// <summary>Drops an open batch without writing it (an operation that failed): the next reconcile of its Works writes their placements.</summary>
    public void AbandonBatch() => _batch = null;

    /// <summary>The Works in a namespace (or all), with every label in <paramref name="labels"/> when given.</summary>
    public IReadOnlyList<Work> Works(string? ns = null, IReadOnlyDictionary<string, string>? labels = null) =>
        context.Store.List(ResourceType.Work, ns, labels).Select(n => new Work(n)).ToList();

    public IReadOnlyList<WorkPlacement> Placements(string? ns = null) =>
        context.Store.List(ResourceType.WorkPlacement, ns).Select(n => new WorkPlacement(n)).ToList();

    /// <summary>Creates or replaces a Work's spec and labels, then reconciles it.</summary>
    public Work Apply(Work desired, CancellationToken cancellationToken)
    {
        var existing = context.Store.Get(ResourceType.Work, desired.Namespace, desired.Name);
        if (existing?["status"] is JsonObject status)
        {
            desired.Node["status"] = status.DeepClone();
        }

        var stored = new Work(context.Save(ResourceType.Work, desired));
        CrashPoints.Hit(CrashPoints.WorkSaved);
        Reconcile(stored, cancellationToken);
        return stored;
    }

    public void ReconcileAll(CancellationToken cancellationToken)
    {
        foreach (var work in Works())
        {
            Reconcile(work, cancellationToken);
        }
    }

    /// <summary>
    /// Reschedules every Work and writes every placement again, one batch per state store for the whole platform: a
    /// placement the store already holds exactly costs no commit, so this only writes what is missing or different on
    /// the store (files lost with an interrupted write, or changed there by someone else). Returns how many Works there are.
    /// </summary>
    public int ResyncAll(CancellationToken cancellationToken)
    {
        var works = Works();
        var verify = new List<WorkPlacement>();
        BeginBatch();
        try
        {
            var stage = context.Progress.Stage("Rescheduling Works", works.Count);
            foreach (var work in works)
            {
                Reconcile(work, cancellationToken, verify);
                stage.Advance($"Work {work.Namespace}/{work.Name}");
            }

            // What is missing or changed: one write per store for the whole platform.
            FlushBatch(cancellationToken);
        }
        finally
        {
            AbandonBatch();
        }

        var failed = WritePlacements(verify, context.Destinations(), cancellationToken, verifying: true).ToHashSet(StringComparer.Ordinal);
        if (failed.Count > 0)
        {
            // Record the failures on the Works as a normal reconcile does (it tries those placements once more).
            foreach (var work in works.Where(w => verify.Any(p => failed.Contains(p.Name) && p.WorkName == w.Name && p.Namespace == w.Namespace)))
            {
                if (context.Store.Get(ResourceType.Work, work.Namespace, work.Name) is { } fresh)
                {
                    Reconcile(new Work(fresh), cancellationToken);
                }
            }
        }

        return works.Count;
    }

    /// <summary>
    /// Removes WorkPlacements whose Work is gone, and their files. Returns how many.
    /// </summary>
    public int RemoveOrphanedPlacements(CancellationToken cancellationToken)
    {
        var works = Works().Select(w => (w.Namespace, w.Name)).ToHashSet();
        var orphans = Placements().Where(p => !works.Contains((p.Namespace, p.WorkName))).ToList();
        foreach (var orphan in orphans)
        {
            context.Log.Verbose($"WorkPlacement {orphan.Namespace}/{orphan.Name}: its Work {orphan.WorkName} is gone; removing it and its files.");
        }

        RemovePlacements(orphans, context.Destinations(), cancellationToken);
        return orphans.Count;
    }

    /// <param name="work">The Work.</param>
    /// <param name="cancellationToken">Cancels the writes.</param>
    /// <param name="verify">When given, placements that are already written are added to it instead of being taken as
    /// written, for the caller to write again in one batch.</param>
    public void Reconcile(Work work, CancellationToken cancellationToken, List<WorkPlacement>? verify = null)
    {
        _batch?.Forget(work);
        var destinations = context.Destinations();
        var existing = PlacementsOf(work);
        var result = Scheduler.Schedule(work, destinations, existing.Select(p => new ExistingPlacement(p.Id, p.TargetDestinationName)).ToList());
        var groups = work.WorkloadGroups.ToDictionary(g => g.Id, StringComparer.Ordinal);

        var desired = result.Placements.Select(d => BuildPlacement(work, groups[d.WorkloadGroupId], d)).ToList();
        var desiredNames = desired.Select(p => p.Name).ToHashSet(StringComparer.Ordinal);
        RemovePlacements(existing.Where(p => !desiredNames.Contains(p.Name)).ToList(), destinations, cancellationToken);

        var toWrite = new List<WorkPlacement>();
        foreach (var placement in desired)
        {
            var before = existing.FirstOrDefault(p => p.Name == placement.Name);
            if (before?.Node["status"] is JsonObject status)
            {
                placement.Node["status"] = status.DeepClone();
            }

            var decision = result.Placements.First(d => PlacementName(work, d) == placement.Name);
            SetScheduleConditions(placement, decision.Misplaced);
            var unchanged = before is not null && JsonValues.DeepEquals(before.Spec, placement.Spec) && before.Conditions.IsTrue(Reasons.WriteSucceeded);
            if (unchanged && verify is not null)
            {
                verify.Add(placement);
            }
            else if (unchanged)
            {
                context.Save(ResourceType.WorkPlacement, placement);
            }
            else
            {
                toWrite.Add(placement);
            }
        }

        if (_batch is not null && toWrite.Count > 0)
        {
            // Saved once written: a crash before the flush leaves the Work, whose next reconcile makes them again.
            _batch.Wait(work, result, toWrite);
            return;
        }

        var failed = WritePlacements(toWrite, destinations, cancellationToken);
        UpdateWorkStatus(work, result, failed);
    }

    /// <summary>Deletes a Work, its placements and the files they wrote.</summary>
    public void Delete(Work work, CancellationToken cancellationToken)
    {
        _batch?.Forget(work);
        RemovePlacements(PlacementsOf(work), context.Destinations(), cancellationToken);
        if (context.Delete(ResourceType.Work, work.Namespace, work.Name))
        {
            context.Stats.WorksRemoved++;
        }
    }

    /// <summary>Removes placements; their files are deleted from the state store when <paramref name="deleteFiles"/>.</summary>
    public void RemovePlacements(IReadOnlyList<WorkPlacement> placements, IReadOnlyList<Destination> destinations, CancellationToken cancellationToken, bool deleteFiles = true)
    {
        if (deleteFiles)
        {
            var batches = new Dictionary<(string, string), List<StateStoreChange>>();
            var stored = new Lazy<IReadOnlyList<WorkPlacement>>(() => Placements());
            var aggregated = new HashSet<string>(StringComparer.Ordinal);
            foreach (var placement in placements)
            {
                var destination = destinations.FirstOrDefault(d => d.Name == placement.TargetDestinationName);
                if (destination is null || context.StateStore(destination.StateStoreKind, destination.StateStoreName) is not { } store)
                {
                    continue; // Destination or store gone: nothing to clean, as upstream drops the finalizers.
                }

                if (aggregated.Contains(destination.Name))
                {
                    continue; // aggregatedYAML: the aggregate was already rebuilt without every placement removed here.
                }

                try
                {
                    var change = DestinationLayout.ForPlacement(destination, placement, ContextOf(placement, destination, store, stored, [], placements, cancellationToken), delete: true);
                    Batch(batches, store).Add(change);
                    if (destination.FilepathMode == Destination.ModeAggregatedYaml)
                    {
                        aggregated.Add(destination.Name);
                    }
                }
                catch (KratixException ex)
                {
                    // Deleting must not be blocked by a Destination the platform cannot write; say what was left behind.
                    context.Log.Warning($"WorkPlacement {placement.Name}: its files were not removed from Destination \"{destination.Name}\": {ex.Message}");
                }
            }

            foreach (var ((kind, name), changes) in batches)
            {
                context.WriteToStore(context.StateStore(kind, name)!, changes, cancellationToken);
            }
        }

        foreach (var placement in placements)
        {
            if (context.Delete(ResourceType.WorkPlacement, placement.Namespace, placement.Name))
            {
                context.Stats.PlacementsRemoved++;
            }

            if (destinations.FirstOrDefault(d => d.Name == placement.TargetDestinationName) is { AppliesToPlatform: true })
            {
                var removed = placement;
                context.Deferred.Enqueue(($"remove what {removed.Name} applied", ct => applier().Remove(removed, ct)));
            }
        }
    }

    private List<WorkPlacement> PlacementsOf(Work work) =>
        context.Store.List(ResourceType.WorkPlacement, work.Namespace, new Dictionary<string, string> { [KratixApi.WorkLabel] = work.Name })
            .Select(n => new WorkPlacement(n)).ToList();

    private static string PlacementName(Work work, PlacementDecision decision) =>
        $"{work.Name}.{decision.DestinationName}-{Short(decision.WorkloadGroupId)}";

    private static string Short(string id) => id.Length > 5 ? id[..5] : id;

    private static WorkPlacement BuildPlacement(Work work, WorkloadGroup group, PlacementDecision decision)
    {
        var labels = new JsonObject
        {
            [KratixApi.WorkLabel] = work.Name,
            [KratixApi.WorkloadGroupIdLabel] = group.Id,
            [KratixApi.TargetDestinationLabel] = decision.DestinationName,
            [KratixApi.PipelineNameLabel] = work.PipelineName,
        };
        if (decision.Misplaced)
        {
            labels[KratixApi.MisplacedLabel] = "true";
        }

        var spec = new JsonObject
        {
            ["targetDestinationName"] = decision.DestinationName,
            ["workloads"] = new JsonArray(group.Workloads.Select(w => (JsonNode)w.ToJson()).ToArray()),
            ["promiseName"] = work.PromiseName,
        };
        if (!work.IsDependency)
        {
            spec["resourceName"] = work.ResourceName;
        }

        spec["id"] = group.Id;
        spec["generation"] = work.Generation;
        return new WorkPlacement(new JsonObject
        {
            ["apiVersion"] = KratixApi.ApiVersion,
            ["kind"] = KratixApi.WorkPlacementKind,
            ["metadata"] = new JsonObject { ["name"] = PlacementName(work, decision), ["namespace"] = work.Namespace, ["labels"] = labels },
            ["spec"] = spec,
        });
    }

    private void SetScheduleConditions(WorkPlacement placement, bool misplaced)
    {
        var conditions = placement.Conditions;
        if (misplaced)
        {
            conditions.Set(Reasons.ScheduleSucceeded, Condition.False, Reasons.DestinationSelectorMismatch, "Target destination no longer matches destinationSelectors", context.Now);
            conditions.Set(Reasons.Ready, Condition.False, Reasons.Misplaced, Reasons.Misplaced, context.Now);
            context.Log.Warning($"WorkPlacement {placement.Name}: labels for destination: {placement.TargetDestinationName} no longer match the expected labels, marking this workplacement as misplaced");
        }
        else
        {
            var changed = conditions.Set(Reasons.ScheduleSucceeded, Condition.True, Reasons.ScheduledToDestination, Reasons.ScheduledToDestinationMessage, context.Now);
            if (changed && !conditions.IsTrue(Reasons.WriteSucceeded))
            {
                conditions.Set(Reasons.Ready, Condition.False, Reasons.ScheduledToDestination, "Pending", context.Now);
            }
            else if (changed && conditions.Get(Reasons.Ready)?.Reason == Reasons.Misplaced)
            {
                // Matching again: its files are still written, so it is Ready again.
                conditions.Set(Reasons.Ready, Condition.True, Reasons.WorkloadsWrittenToTargetDestination, "Ready", context.Now);
            }
        }
    }

    /// <summary>Writes placements, one batch per state store; returns the names of those that failed.</summary>
    /// <param name="placements">The placements to write.</param>
    /// <param name="destinations">Every Destination.</param>
    /// <param name="cancellationToken">Cancels the writes.</param>
    /// <param name="verifying">The placements were written before: their versionID stays unless this write changed the store.</param>
    private List<string> WritePlacements(List<WorkPlacement> placements, IReadOnlyList<Destination> destinations, CancellationToken cancellationToken, bool verifying = false)
    {
        var failed = new List<string>();
        var batches = new Dictionary<(string, string), (List<WorkPlacement> Placements, List<StateStoreChange> Changes)>();
        var stored = new Lazy<IReadOnlyList<WorkPlacement>>(() => Placements());
        var aggregated = new HashSet<string>(StringComparer.Ordinal);
        foreach (var placement in placements)
        {
            var destination = destinations.First(d => d.Name == placement.TargetDestinationName);
            var store = context.StateStore(destination.StateStoreKind, destination.StateStoreName);
            if (store is null)
            {
                MarkWrite(placement, null, $"{destination.StateStoreKind}/{destination.StateStoreName}: not found");
                failed.Add(placement.Name);
                continue;
            }

            try
            {
                // aggregatedYAML: the first placement on a Destination writes the aggregate of all of them (this batch's
                // included); the others ride on that change, as upstream's later reconciles find nothing left to commit.
                var change = aggregated.Contains(destination.Name) ? null : DestinationLayout.ForPlacement(destination, placement, ContextOf(placement, destination, store, stored, placements, [], cancellationToken), delete: false);
                if (destination.FilepathMode == Destination.ModeAggregatedYaml)
                {
                    aggregated.Add(destination.Name);
                }

                var key = (store.Kind, store.Name);
                if (!batches.TryGetValue(key, out var batch))
                {
                    batches[key] = batch = ([], []);
                }

                batch.Placements.Add(placement);
                if (change is not null)
                {
                    batch.Changes.Add(change);
                }
            }
            catch (KratixException ex)
            {
                MarkWrite(placement, null, ex.Message);
                failed.Add(placement.Name);
            }
        }

        var stage = batches.Count == 0 ? ProgressStage.None
            : context.Progress.Stage(verifying ? "Checking that the state stores hold every placement" : "Writing to state stores", batches.Count);
        foreach (var ((kind, name), batch) in batches)
        {
            try
            {
                var result = context.WriteToStore(context.StateStore(kind, name)!, batch.Changes, cancellationToken);
                stage.Advance($"{kind} \"{name}\": {batch.Placements.Count:N0} placement(s)");
                context.Stats.PlacementsWritten += result.ChangesWritten;
                foreach (var placement in batch.Placements)
                {
                    MarkWrite(placement, verifying && !result.Changed ? null : result.VersionId, null);
                    if (destinations.First(d => d.Name == placement.TargetDestinationName).AppliesToPlatform)
                    {
                        var written = placement;
                        context.Deferred.Enqueue(($"apply {written.Name}", ct => applier().Apply(written, ct)));
                    }
                }
            }
            catch (KratixException ex)
            {
                stage.Advance($"{kind} \"{name}\": {ex.Message}");
                foreach (var placement in batch.Placements)
                {
                    MarkWrite(placement, null, ex.Message);
                    failed.Add(placement.Name);
                }
            }
        }

        return failed;
    }

    private void MarkWrite(WorkPlacement placement, string? versionId, string? error)
    {
        var conditions = placement.Conditions;
        if (error is null)
        {
            conditions.Set(Reasons.WriteSucceeded, Condition.True, Reasons.WorkloadsWrittenToStateStore, Reasons.WorkloadsWrittenToStateStoreMessage, context.Now);
            if (conditions.Get(Reasons.ScheduleSucceeded) is not { Status: Condition.False })
            {
                conditions.Set(Reasons.Ready, Condition.True, Reasons.WorkloadsWrittenToTargetDestination, "Ready", context.Now);
            }

            if (!string.IsNullOrEmpty(versionId))
            {
                placement.Status["versionID"] = versionId;
            }

            context.Log.Verbose($"WorkPlacement {placement.Name}: successfully written to Destination: {placement.TargetDestinationName}" + (versionId is null ? string.Empty : $" with versionID: {versionId}"));
        }
        else
        {
            conditions.Set(Reasons.WriteSucceeded, Condition.False, Reasons.WorkloadsFailedWrite, error, context.Now);
            conditions.Set(Reasons.Ready, Condition.False, Reasons.WorkloadsFailedWrite, "Failing", context.Now);
            context.Log.Warning($"WorkPlacement {placement.Name}: error writing to destination; check Get-KratixDestination for more info: {error}");
        }

        context.Save(ResourceType.WorkPlacement, placement);
    }

    private void UpdateWorkStatus(Work work, ScheduleResult result, List<string> failed)
    {
        var fresh = context.Store.Get(ResourceType.Work, work.Namespace, work.Name) is { } node ? new Work(node) : work;
        var status = fresh.Status;
        var groups = fresh.WorkloadGroups.Count;
        SetOrRemoveCount(status, "workPlacements", groups);
        SetOrRemoveCount(status, "workPlacementsCreated", groups - result.UnscheduledGroupIds.Count);
        var misplaced = result.Placements.Where(p => p.Misplaced).Select(p => p.WorkloadGroupId).Distinct().ToList();
        var conditions = fresh.Conditions;
        if (result.UnscheduledGroupIds.Count > 0)
        {
            conditions.Set(Reasons.ScheduleSucceeded, Condition.False, Reasons.UnscheduledWorkloads, $"No matching destination found for workloadGroups: [{string.Join(",", result.UnscheduledGroupIds)}]", context.Now);
            conditions.Set(Reasons.Ready, Condition.False, Reasons.UnscheduledWorkloads, "Pending", context.Now);
            foreach (var id in result.UnscheduledGroupIds)
            {
                context.Log.Warning($"Work {fresh.Name}: waiting for a destination with labels for workloadGroup: {id}");
            }
        }
        else if (misplaced.Count > 0)
        {
            conditions.Set(Reasons.ScheduleSucceeded, Condition.False, Reasons.DestinationSelectorMismatch, $"Target destination no longer matches destinationSelectors for workloadGroups: [{string.Join(",", misplaced)}]", context.Now);
            conditions.Set(Reasons.Ready, Condition.False, Reasons.Misplaced, Reasons.Misplaced, context.Now);
        }
        else if (failed.Count > 0)
        {
            conditions.Set(Reasons.ScheduleSucceeded, Condition.False, Reasons.WorkplacementsFailing, $"Workplacements failed to write: [{string.Join(",", failed)}]", context.Now);
            conditions.Set(Reasons.Ready, Condition.False, Reasons.WorkplacementsFailing, "Failing", context.Now);
        }
        else
        {
            conditions.Set(Reasons.ScheduleSucceeded, Condition.True, Reasons.AllWorkplacementsScheduled, Reasons.AllWorkplacementsScheduledMessage, context.Now);
            conditions.Set(Reasons.Ready, Condition.True, Reasons.AllWorkplacementsScheduled, "Ready", context.Now);
        }

        context.Save(ResourceType.Work, fresh);
    }

    private static void SetOrRemoveCount(JsonObject status, string field, int value)
    {
        if (value == 0)
        {
            status.Remove(field);
        }
        else
        {
            status[field] = value;
        }
    }

    /// <summary>
    /// What the layout needs for one placement: for none, the paths its tracking file lists; for aggregatedYAML, every
    /// placement on the Destination once this batch lands (those <paramref name="stored"/>, less <paramref name="removing"/>,
    /// with <paramref name="writing"/> in place of their stored versions), as upstream lists the WorkPlacements labelled
    /// with the Destination that are not being deleted.
    /// </summary>
    private PlacementContext ContextOf(
        WorkPlacement placement,
        Destination destination,
        KubeObject store,
        Lazy<IReadOnlyList<WorkPlacement>> stored,
        IReadOnlyList<WorkPlacement> writing,
        IReadOnlyList<WorkPlacement> removing,
        CancellationToken cancellationToken)
    {
        IReadOnlyList<string> previous = [];
        IReadOnlyList<WorkPlacement>? onDestination = null;
        if (destination.FilepathMode == Destination.ModeNone)
        {
            var trackingPath = DestinationLayout.TrackingFile(destination, placement);
            var bytes = context.Writers.For(store).ReadFileAsync(trackingPath, cancellationToken).GetAwaiter().GetResult();
            previous = bytes is null ? [] : DestinationLayout.ParseTrackingFile(Encoding.UTF8.GetString(bytes), trackingPath);
        }
        else if (destination.FilepathMode == Destination.ModeAggregatedYaml)
        {
            var replaced = writing.Concat(removing).Select(p => (p.Namespace, p.Name)).ToHashSet();
            onDestination = stored.Value.Where(p => !replaced.Contains((p.Namespace, p.Name)))
                .Concat(writing)
                .Where(p => p.TargetDestinationName == destination.Name)
                .ToList();
        }

        return new PlacementContext(placement.PipelineName, placement.Namespace ?? string.Empty, previous, onDestination);
    }

    private static List<StateStoreChange> Batch(Dictionary<(string, string), List<StateStoreChange>> batches, KubeObject store)
    {
        var key = (store.Kind, store.Name);
        if (!batches.TryGetValue(key, out var list))
        {
            batches[key] = list = [];
        }

        return list;
    }
}
