using System.Text.Json.Nodes;
using Kratix.Manifests;
using Kratix.Pipelines;

namespace Kratix.Platforms.Embedded;

/// <summary>
/// The last run of each workflow, kept in the platform home where upstream keeps Jobs: which spec hash it ran for
/// (so only a spec change re-runs it), how each pipeline and container ended, and the containers' logs.
/// <c>workflows/&lt;type&gt;-&lt;action&gt;/&lt;promise&gt;/[&lt;ns&gt;/]&lt;name&gt;.yaml</c>, logs beside it in a folder of the same name.
/// </summary>
internal sealed class WorkflowRuns(string home)
{
    public string? LastHash(string type, string action, string promise, string? ns, string name) =>
        Read(type, action, promise, ns, name)?["hash"]?.GetValue<string>();

    public JsonObject? Read(string type, string action, string promise, string? ns, string name)
    {
        var path = RecordPath(type, action, promise, ns, name);
        return File.Exists(path) ? ManifestReader.Default.ReadFile(path).FirstOrDefault()?.Content as JsonObject : null;
    }

    /// <summary>Records a run and its logs; returns the folder that holds the logs.</summary>
    public string Record(string type, string action, string promise, string? ns, string name, string hash, WorkflowResult result, DateTimeOffset now)
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
        AtomicFile.WriteAllText(record, ManifestWriter.ToYaml(node));
        return logs;
    }

    public void Forget(string type, string action, string promise, string? ns, string name)
    {
        var record = RecordPath(type, action, promise, ns, name);
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
