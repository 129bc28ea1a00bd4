using System.Diagnostics;
using System.Text.Json.Nodes;
using Kratix.Objects;
using Kratix.Platforms;

namespace Kratix.Health;

/// <summary>
/// Asserts a Promise end to end on any platform: submits a probe request, waits until it is Reconciled, checks that its
/// documents are on its Destinations' state stores (<see cref="IKratixPlatform.CheckRequestPlacements"/>), removes it and
/// waits until it is gone, timing each step. Each run makes a request of its own name, so probes never touch a request
/// that exists already, and a probe left over by a killed process is found by its label.
/// </summary>
public static class PromiseProbe
{
    /// <summary>The label every probe request carries.</summary>
    public const string ProbeLabel = "kratix-powershell/probe";

    /// <summary>The steps a run goes through, the first failing one named in <see cref="PromiseProbeResult.FailedStep"/>.</summary>
    public const string StepSubmit = "Submit";
    public const string StepReconciled = "Reconciled";
    public const string StepStateStore = "StateStore";
    public const string StepRemove = "Remove";

    /// <summary>
    /// The probe request for one run: <paramref name="template"/> (a request manifest of the Promise's kind) or, without
    /// one, a request of the Promise's API with <paramref name="spec"/> (the schema's defaults fill the rest), named
    /// <c>&lt;template name or Promise&gt;-probe-&lt;5 random characters&gt;</c> and labelled <see cref="ProbeLabel"/>.
    /// </summary>
    public static JsonObject BuildRequest(Promise promise, JsonObject? template, JsonNode? spec, string? ns)
    {
        var request = template?.DeepClone().AsObject() ?? RequestBuilder.Build(promise, "probe", ns, spec ?? new JsonObject(), null);
        var obj = new KubeObject(request);
        var baseName = template is not null && obj.Name.Length > 0 ? obj.Name : promise.Name;
        const string Alphabet = "bcdfghjklmnpqrstvwxz2456789";
        var suffix = string.Concat(Enumerable.Range(0, 5).Select(_ => Alphabet[Random.Shared.Next(Alphabet.Length)]));
        var prefix = $"{baseName}-probe-";
        prefix = prefix.Length + suffix.Length > 63 ? prefix[..(63 - suffix.Length)] : prefix;
        obj.Name = prefix + suffix;
        obj.Metadata.Remove("generateName");
        foreach (var field in new[] { "uid", "resourceVersion", "creationTimestamp", "generation", "managedFields", "deletionTimestamp", "finalizers" })
        {
            obj.Metadata.Remove(field);
        }

        request.Remove("status");
        if (ns is not null)
        {
            obj.Namespace = ns;
        }

        obj.SetLabel(ProbeLabel, "true");
        return request;
    }

    /// <summary>
    /// One run. <paramref name="timeout"/> bounds the time from submission until the documents are on the state stores,
    /// and again the removal; <paramref name="pollInterval"/> is how often the stores are checked meanwhile. The request
    /// is removed whatever happened once it was submitted. Cancellation stops the run (and leaves the request).
    /// </summary>
    public static PromiseProbeResult Run(IKratixPlatform platform, string promise, JsonObject request, TimeSpan timeout, TimeSpan pollInterval, CancellationToken cancellationToken = default)
    {
        var started = DateTimeOffset.UtcNow;
        var clock = Stopwatch.StartNew();
        var name = new KubeObject(request).Name;
        var ns = new KubeObject(request).Namespace ?? platform.DefaultNamespace;
        TimeSpan? reconciled = null, stored = null, removed = null;
        string? failedStep = null, message = null;
        IReadOnlyList<PlacementCheck> checks = [];

        void Fail(string step, string why)
        {
            failedStep ??= step;
            message ??= why;
        }

        try
        {
            var submitted = platform.SubmitRequest(request, null, false, cancellationToken);
            ns = submitted.Namespace ?? ns;
        }
        catch (KratixException ex)
        {
            Fail(StepSubmit, ex.Message);
            return Result();
        }

        try
        {
            platform.Wait(new WaitTarget(promise, ns, name, Reasons.Reconciled), Remaining(timeout, clock), cancellationToken);
            reconciled = clock.Elapsed;
            while (true)
            {
                checks = platform.CheckRequestPlacements(promise, ns, name, cancellationToken);
                if (checks.All(c => c.Written))
                {
                    stored = clock.Elapsed;
                    break;
                }

                if (clock.Elapsed >= timeout)
                {
                    var missing = checks.First(c => !c.Written);
                    Fail(StepStateStore, $"after {timeout.TotalSeconds:0.#} s, {checks.Count(c => !c.Written)} of {checks.Count} placement(s) are not on their state store; {missing.Placement}: {missing.Problem}");
                    break;
                }

                cancellationToken.WaitHandle.WaitOne(Min(pollInterval, Remaining(timeout, clock) + TimeSpan.FromMilliseconds(1)));
                cancellationToken.ThrowIfCancellationRequested();
            }
        }
        catch (KratixException ex)
        {
            Fail(reconciled is null ? StepReconciled : StepStateStore, ex.Message);
        }

        try
        {
            var removing = clock.Elapsed;
            platform.RemoveRequest(promise, ns, name, cancellationToken);
            platform.Wait(new WaitTarget(promise, ns, name, null), timeout, cancellationToken);
            removed = clock.Elapsed - removing;
        }
        catch (KratixException ex)
        {
            Fail(StepRemove, $"the probe request {ns}/{name} was not removed: {ex.Message}");
        }

        return Result();

        PromiseProbeResult Result() => new()
        {
            Promise = promise,
            Request = name,
            Namespace = ns,
            Backend = platform.Backend,
            Platform = platform.Location,
            Started = started,
            Success = failedStep is null,
            FailedStep = failedStep,
            Message = message ?? string.Empty,
            TimeToReconciled = reconciled,
            TimeToStateStore = stored,
            TimeToRemoved = removed,
            Total = clock.Elapsed,
            Placements = checks,
        };
    }

    /// <summary>
    /// Writes the outcome as a HealthRecord about the Promise (no resourceRef: the probe request is gone by then), named
    /// <paramref name="recordName"/> in <paramref name="ns"/>, labelled with the Promise, state healthy or unhealthy
    /// (degraded for a summary whose runs partly failed and whose objectives were met), lastRun now, and the figures as details.
    /// </summary>
    public static HealthRecord Record(IKratixPlatform platform, string promise, string ns, string recordName, string state, JsonObject details, CancellationToken cancellationToken = default) =>
        platform.ApplyHealthRecord(
            new JsonObject
            {
                ["apiVersion"] = KratixApi.ApiVersion,
                ["kind"] = KratixApi.HealthRecordKind,
                ["metadata"] = new JsonObject
                {
                    ["name"] = recordName,
                    ["namespace"] = ns,
                    ["labels"] = new JsonObject { [KratixApi.PromiseNameLabel] = promise, [ProbeLabel] = "true" },
                },
                ["data"] = new JsonObject
                {
                    ["promiseRef"] = new JsonObject { ["name"] = promise },
                    ["state"] = state,
                    ["lastRun"] = DateTimeOffset.UtcNow.ToUnixTimeSeconds(),
                    ["details"] = details,
                },
            },
            null,
            cancellationToken);

    private static TimeSpan Remaining(TimeSpan timeout, Stopwatch clock) =>
        timeout - clock.Elapsed is { } left && left > TimeSpan.FromMilliseconds(1) ? left : TimeSpan.FromMilliseconds(1);

    private static TimeSpan Min(TimeSpan a, TimeSpan b) => a < b ? a : b;
}
