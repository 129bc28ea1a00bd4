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
/// A configure run's record is kept pending, in memory, until <see cref="Commit"/> says the object's status (and the
/// Works the run made) were saved after it; only then is it written. When the process dies in between, the record on
/// disk is still the previous run's (or none), so the next reconcile runs the workflow again instead of trusting a run
/// whose results were never kept.
/// </para>
/// <para>
/// Under the platform lock, records are written and removed through the operation's group commit
/// (<paramref name="batch"/>), with the objects they go with, in the same order.
/// </para>
internal sealed class WorkflowRuns(string home, Func<GroupCommit?>? batch = null)
{
    private readonly Dictionary<string, JsonObject> _pending = new(StringComparer.Ordinal);

    /// <summary>The spec hash the last committed run ran for; null when there is none.</summary>
    public string? LastHash(string type, string action, string promise, string? ns, string name) =>
        Read(type, action, promise, ns, name)?["hash"]?.GetValue<string>();

    /// <summary>When the last recorded run finished (tests and Sync-KratixPlatform's checks), or null.</summary>
    public string? FinishedAt(string type, string action, string promise, string? ns, string name) =>
        Read(type, action, promise, ns, name)?["finishedAt"]?.GetValue<string>();

    /// <summary>Writes the pending record of an object's run: its object was saved after it. Does nothing when this process recorded none.</summary>
    public void Commit(string type, string action, string promise, string? ns, string name)
    {
        var path = RecordPath(type, action, promise, ns, name);
        if (_pending.Remove(path, out var record))
        {
            Write(path, record);
        }
    }

    /// <summary>The last committed run of a workflow, with its logs' full paths; null when none is recorded.</summary>
    public Kratix.Platforms.WorkflowRunRecord? ReadRecord(string type, string action, string promise, string? ns, string name)
    {
        var path = RecordPath(type, action, promise, ns, name);
        return Read(type, action, promise, ns, name) is { } node
            ? Kratix.Platforms.WorkflowRunRecord.FromJson(node, home, type, action, promise, ns, name, path)
            : null;
    }

    public JsonObject? Read(string type, string action, string promise, string? ns, string name)
    {
        var path = RecordPath(type, action, promise, ns, name);
        if (batch?.Invoke() is { } staged && staged.Find(path) is { Staged: true } found)
        {
            return found.Content is null ? null : ManifestReader.Default.ReadString(System.Text.Encoding.UTF8.GetString(found.Content), path).FirstOrDefault()?.Content as JsonObject;
        }

        return File.Exists(path) ? ManifestReader.Default.ReadFile(path).FirstOrDefault()?.Content as JsonObject : null;
    }

    /// <summary>Writes a run's logs and records it (<paramref name="pending"/>: when <see cref="Commit"/> says so); returns the folder that holds the logs.</summary>
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

            var entry = new JsonObject
            {
                ["name"] = pipeline.Name,
                ["phase"] = pipeline.Phase,
                ["durationMilliseconds"] = (long)pipeline.Duration.TotalMilliseconds,
                ["containers"] = containers,
            };
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
        // A crash here leaves the new logs beside the previous record: the record still describes the previous run.
        CrashPoints.Hit(CrashPoints.RunLogsWritten);
        if (pending)
        {
            _pending[record] = node;
        }
        else
        {
            _pending.Remove(record);
            Write(record, node);
        }

        return logs;
    }

    public void Forget(string type, string action, string promise, string? ns, string name)
    {
        var record = RecordPath(type, action, promise, ns, name);
        _pending.Remove(record);
        if (batch?.Invoke() is { } staged)
        {
            staged.Delete(record);
        }
        else if (File.Exists(record))
        {
            File.Delete(record);
        }

        var logs = record[..^".yaml".Length];
        if (Directory.Exists(logs))
        {
            Directory.Delete(logs, recursive: true);
        }
    }

    private void Write(string path, JsonObject record)
    {
        var bytes = System.Text.Encoding.UTF8.GetBytes(ManifestWriter.ToYaml(record));
        if (batch?.Invoke() is { } staged)
        {
            staged.Write(path, bytes);
        }
        else
        {
            AtomicFile.WriteAllBytes(path, bytes);
        }
    }

    private string RecordPath(string type, string action, string promise, string? ns, string name) =>
        ns is null
            ? Path.Combine(home, "workflows", $"{type}-{action}", promise, name + ".yaml")
            : Path.Combine(home, "workflows", $"{type}-{action}", promise, ns, name + ".yaml");
}
