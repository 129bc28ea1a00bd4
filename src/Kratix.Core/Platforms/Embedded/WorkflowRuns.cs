using System.Text.Json.Nodes;
using Kratix.Manifests;
using Kratix.Pipelines;

namespace Kratix.Platforms.Embedded;

/// <summary>
/// The last run of each workflow, kept in the platform home where upstream keeps Jobs: which spec hash it ran for
/// (so only a spec change re-runs it), how each pipeline and container ended, and the containers' logs.
/// <c>workflows/&lt;type&gt;-&lt;action&gt;/&lt;promise&gt;/[&lt;ns&gt;/]&lt;name&gt;.yaml</c>, logs beside it in a folder of the same name.
/// </summary>
/// <para>
/// A configure run is recorded <c>pending</c> until <see cref="Commit"/> says the object's status (and the Works the run
/// made) were saved after it. A pending record has no hash for <see cref="LastHash"/>, so when the process dies in
/// between, the next reconcile runs the workflow again instead of trusting a run whose results were never kept.
/// </para>
internal sealed class WorkflowRuns(string home)
{
    private readonly HashSet<string> _pending = new(StringComparer.Ordinal);

    /// <summary>The spec hash the last committed run ran for; null when there is none or the last run was never committed.</summary>
    public string? LastHash(string type, string action, string promise, string? ns, string name) =>
        Read(type, action, promise, ns, name) is { } record && record["pending"]?.GetValue<bool>() != true
            ? record["hash"]?.GetValue<string>()
            : null;

    /// <summary>When the last recorded run finished (tests and Sync-KratixPlatform's checks), or null.</summary>
    public string? FinishedAt(string type, string action, string promise, string? ns, string name) =>
        Read(type, action, promise, ns, name)?["finishedAt"]?.GetValue<string>();

    /// <summary>Marks the pending run of an object as kept: its object was saved after it. Does nothing when this process recorded none.</summary>
    public void Commit(string type, string action, string promise, string? ns, string name)
    {
        var path = RecordPath(type, action, promise, ns, name);
        if (!_pending.Remove(path) || Read(type, action, promise, ns, name) is not { } record)
        {
            return;
        }

        record.Remove("pending");
        AtomicFile.WriteAllText(path, ManifestWriter.ToYaml(record));
    }

    public JsonObject? Read(string type, string action, string promise, string? ns, string name)
    {
        var path = RecordPath(type, action, promise, ns, name);
        return File.Exists(path) ? ManifestReader.Default.ReadFile(path).FirstOrDefault()?.Content as JsonObject : null;
    }

    /// <summary>Records a run and its logs (<paramref name="pending"/>: until <see cref="Commit"/>); returns the folder that holds the logs.</summary>
    public string Record(string type, string action, string promise, string? ns, string name, string hash, WorkflowResult result, DateTimeOffset now, bool pending = false)
    {
        var record = RecordPath(type, action, promise, ns, name);
        var logs = record[..^".yaml".Length];
        if (Directory.Exists(logs))
        {
            Directory.Delete(logs, recursive: true);
        }

        var pipelines = new JsonArray();
        foreach (var pipeline in result.Pipelines)
        {
            var containers = new JsonArray();
            foreach (var container in pipeline.Containers)
            {
                var log = Path.Combine(logs, pipeline.Name, container.Name + ".log");
                Directory.CreateDirectory(Path.GetDirectoryName(log)!);
                File.WriteAllText(log, container.Log);
                containers.Add(new JsonObject
                {
                    ["name"] = container.Name,
                    ["image"] = container.Image,
                    ["exitCode"] = container.ExitCode,
                    ["timedOut"] = container.TimedOut,
                    ["durationMilliseconds"] = (long)container.Duration.TotalMilliseconds,
                    ["log"] = Path.GetRelativePath(home, log).Replace('\\', '/'),
                });
            }

            var entry = new JsonObject { ["name"] = pipeline.Name, ["phase"] = pipeline.Phase, ["containers"] = containers };
            if (pipeline.Error is not null)
            {
                entry["error"] = pipeline.Error;
            }

            pipelines.Add(entry);
        }

        var node = new JsonObject
        {
            ["hash"] = hash,
            ["runtime"] = result.Runtime,
            ["finishedAt"] = Objects.Timestamps.Format(now),
            ["pipelines"] = pipelines,
        };
        if (pending)
        {
            node["pending"] = true;
        }

        // A crash here leaves the new logs beside the previous record: the record still describes the previous run.
        CrashPoints.Hit(CrashPoints.RunLogsWritten);
        AtomicFile.WriteAllText(record, ManifestWriter.ToYaml(node));
        if (pending)
        {
            _pending.Add(record);
        }
        else
        {
            _pending.Remove(record);
        }

        return logs;
    }

    public void Forget(string type, string action, string promise, string? ns, string name)
    {
        var record = RecordPath(type, action, promise, ns, name);
        _pending.Remove(record);
        if (File.Exists(record))
        {
            File.Delete(record);
        }

        var logs = record[..^".yaml".Length];
        if (Directory.Exists(logs))
        {
            Directory.Delete(logs, recursive: true);
        }
    }

    private string RecordPath(string type, string action, string promise, string? ns, string name) =>
        ns is null
            ? Path.Combine(home, "workflows", $"{type}-{action}", promise, name + ".yaml")
            : Path.Combine(home, "workflows", $"{type}-{action}", promise, ns, name + ".yaml");
}
