using System.Text;
using System.Text.Json.Nodes;
using Kratix.Manifests;
using Kratix.Objects;
using Kratix.Presentation;

namespace Kratix.Platforms.Embedded;

/// <summary>
/// Dry runs (upstream's DryRun, a preview feature): an operation done on a scratch copy of the platform home whose
/// workflows run with KRATIX_DRY_RUN=true and whose state-store writes land in an overlay (<see cref="DryRunStateStore"/>),
/// then compared, file by file, with what the stores hold. The platform home, its run records and the stores are never
/// written. Everything the operation sets off runs in the copy as it would for real: a compound Promise's sub-requests,
/// applied by the platform Destination, run their own workflows there.
/// </summary>
public sealed partial class EmbeddedPlatform
{
    /// <summary>
    /// Dry-runs a request: a new one, or a change to a stored one (the whole object, as Set-KratixRequest sends it). Its
    /// configure workflow runs even when nothing changed, as upstream's DryRun always runs its ephemeral request.
    /// </summary>
    public DryRunResult DryRunRequest(JsonObject request, ManifestDocument? source = null, TimeSpan timeout = default, CancellationToken cancellationToken = default)
    {
        var node = request.DeepClone().AsObject();
        var submitted = new ResourceRequest(node);
        submitted.SetLabel(KratixApi.ManualReconciliationLabel, "true");
        var subject = $"{submitted.Kind} {submitted.Namespace ?? DefaultNamespace}/{submitted.Name}";
        return DryRun(subject, scratch => scratch.SubmitRequest(node, source, allowUpdate: true, cancellationToken), cancellationToken);
    }

    /// <summary>Dry-runs installing (or upgrading) a Promise: its workflows, its dependencies, and its requests' workflows when it changes them.</summary>
    public DryRunResult DryRunPromise(JsonObject promise, CancellationToken cancellationToken = default)
    {
        var node = promise.DeepClone().AsObject();
        return DryRun($"Promise {new KubeObject(node).Name}", scratch => scratch.InstallPromise(node, cancellationToken), cancellationToken);
    }

    private DryRunResult DryRun(string subject, Action<EmbeddedPlatform> operation, CancellationToken cancellationToken)
    {
        var home = _context.Options.Home;
        var scratchHome = Path.Combine(Path.GetTempPath(), "kratix-dry-run-" + Guid.NewGuid().ToString("N")[..12]);
        var overlays = new List<DryRunStateStore>();
        EmbeddedPlatform? scratch = null;
        try
        {
            using (PlatformLock.Acquire(home, _context.Options.LockTimeout, cancellationToken))
            {
                CopyHome(home, scratchHome);
            }

            scratch = new EmbeddedPlatform(_context.Options with
            {
                Home = scratchHome,
                Log = new DryRunLog(_context.Log, scratchHome),
                Workflows = _context.Options.Workflows with { WorkspaceRoot = null },
                DryRun = true,
                WrapWriter = (store, writer) =>
                {
                    var overlay = new DryRunStateStore(store, writer);
                    lock (overlays)
                    {
                        overlays.Add(overlay);
                    }

                    return overlay;
                },
            });
            operation(scratch);
            return new DryRunResult(subject, Changes(scratch, overlays, cancellationToken), Failures(scratch).Select(f => DryRunLog.Scrub(f, scratchHome)).ToList());
        }
        finally
        {
            scratch?.Dispose();
            ObjectCache.Forget(Path.Combine(scratchHome, "objects"));
            DeleteQuietly(PlatformContext.DefaultWorkspaceRoot(scratchHome));
            DeleteQuietly(scratchHome);
        }
    }

    /// <summary>Each overlay's files against the store's, attributed to the Destination whose directory holds them.</summary>
    private static List<DryRunChange> Changes(EmbeddedPlatform scratch, List<DryRunStateStore> overlays, CancellationToken cancellationToken)
    {
        var destinations = scratch.GetDestinations();
        var changes = new List<DryRunChange>();
        foreach (var overlay in overlays.OrderBy(o => o.Kind, StringComparer.Ordinal).ThenBy(o => o.Name, StringComparer.Ordinal))
        {
            var candidates = destinations.Where(d => d.StateStoreKind == overlay.Kind && d.StateStoreName == overlay.Name).ToList();
            foreach (var (path, before, after) in overlay.Changes(cancellationToken).GetAwaiter().GetResult())
            {
                var destination = candidates
                    .Where(d => StateStores.StatePaths.IsUnder(path, d.Path.Trim('/')))
                    .OrderByDescending(d => d.Path.Trim('/').Length)
                    .ThenBy(d => d.Name, StringComparer.Ordinal)
                    .FirstOrDefault()?.Name ?? string.Empty;
                var (beforeText, afterText) = (Text(before), Text(after));
                var change = before is null ? DryRunChange.Added : after is null ? DryRunChange.Removed : DryRunChange.Changed;
                changes.Add(new DryRunChange(change, destination, overlay.Kind, overlay.Name, path, beforeText, afterText, UnifiedDiff.Create(path, beforeText, afterText)));
            }
        }

        return changes;
    }

    /// <summary>The configure workflows that failed in the dry run, and why (a failure the real platform already records is not new).</summary>
    private List<string> Failures(EmbeddedPlatform scratch)
    {
        var failures = new List<string>();
        foreach (var obj in scratch.GetPromises().Cast<KubeObject>().Concat(scratch.GetRequests()))
        {
            if (obj.Conditions.Get(Reasons.ConfigureWorkflowCompleted) is not { Status: Condition.False } failed)
            {
                continue;
            }

            KubeObject? real = obj is Promise ? _context.Promise(obj.Name) : GetRequests(obj.GetLabel(KratixApi.PromiseNameLabel), obj.Namespace).FirstOrDefault(r => r.Name == obj.Name);
            if (real?.Conditions.Get(Reasons.ConfigureWorkflowCompleted) is { } was && was.Status == failed.Status && was.LastTransitionTime == failed.LastTransitionTime)
            {
                continue;
            }

            failures.Add(obj is Promise ? $"Promise {obj.Name}: {failed.Message}" : $"{obj.Kind} {obj.Namespace}/{obj.Name}: {failed.Message}");
        }

        return failures;
    }

    /// <summary>
    /// What the scratch platform needs of the home: its objects, Secrets, settings and workflow run records (which say
    /// which workflows are due). Logs and the Git stores' working copies are left out (a scratch writer fetches its own).
    /// </summary>
    private static void CopyHome(string home, string scratch)
    {
        Directory.CreateDirectory(scratch);
        if (!OperatingSystem.IsWindows())
        {
            File.SetUnixFileMode(scratch, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute);
        }

        foreach (var folder in new[] { "objects", "secrets", "workflows" })
        {
            var from = Path.Combine(home, folder);
            if (!Directory.Exists(from))
            {
                continue;
            }

            foreach (var file in Directory.EnumerateFiles(from, "*", SearchOption.AllDirectories))
            {
                if (folder == "workflows" && !file.EndsWith(".yaml", StringComparison.Ordinal))
                {
                    continue;
                }

                var to = Path.Combine(scratch, Path.GetRelativePath(home, file));
                Directory.CreateDirectory(Path.GetDirectoryName(to)!);
                File.Copy(file, to);
            }
        }

        if (File.Exists(Path.Combine(home, PlatformSettings.FileName)))
        {
            File.Copy(Path.Combine(home, PlatformSettings.FileName), Path.Combine(scratch, PlatformSettings.FileName));
        }
    }

    private static string? Text(byte[]? content) => content is null ? null : Encoding.UTF8.GetString(content);

    private static void DeleteQuietly(string directory)
    {
        try
        {
            if (Directory.Exists(directory))
            {
                Directory.Delete(directory, recursive: true);
            }
        }
        catch (IOException)
        {
            // Scratch space in the temporary directory: the OS cleans what a process still holds.
        }
        catch (UnauthorizedAccessException)
        {
        }
    }

    /// <summary>
    /// The scratch platform's log: what it did happened in the dry run only, and says so; a path into the scratch home
    /// (a failed pipeline's logs) is gone when the dry run returns, so it is not shown.
    /// </summary>
    private sealed class DryRunLog(IPlatformLog log, string scratchHome) : IPlatformLog
    {
        public void Warning(string message) => log.Warning("Dry run: " + Scrub(message, scratchHome));

        public void Verbose(string message) => log.Verbose("Dry run: " + Scrub(message, scratchHome));

        public void Progress(PlatformProgress progress) => log.Progress(progress);

        public static string Scrub(string message, string scratchHome) =>
            System.Text.RegularExpressions.Regex.Replace(message, "Logs: " + System.Text.RegularExpressions.Regex.Escape(scratchHome) + @"\S*", "Logs: not kept (a dry run records nothing)");
    }
}
