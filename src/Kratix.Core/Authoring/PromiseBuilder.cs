using System.Text.Json.Nodes;

namespace Kratix.Authoring;

/// <summary>
/// Joins a Promise folder into one Promise, as kratix-cli's <c>build promise</c>: promise.yaml when there is one (else an
/// empty Promise with the workflows of workflows/*/*/workflow.yaml), spec.api from api.yaml and spec.dependencies from
/// dependencies.yaml when those exist, and the given name.
/// </summary>
public static class PromiseBuilder
{
    public static JsonObject Build(string directory, string name)
    {
        var folder = new PromiseFolder(directory);
        if (!Directory.Exists(folder.Path))
        {
            throw new KratixException(
                "PromiseFolderNotFound", KratixErrorCategory.ObjectNotFound, $"{folder.Path} does not exist: give the folder of a Promise.", folder.Path);
        }

        JsonObject promise;
        if (File.Exists(folder.PromiseFile))
        {
            promise = folder.ReadPromise();
        }
        else
        {
            if (!File.Exists(folder.ApiFile) && !Directory.Exists(folder.Combine("workflows")))
            {
                throw new KratixException(
                    "PromiseFileNotFound", KratixErrorCategory.ObjectNotFound,
                    $"{folder.Path} has neither promise.yaml nor api.yaml nor workflows/: give a folder made with New-KratixPromise.", folder.Path);
            }

            promise = new JsonObject { ["spec"] = new JsonObject { ["workflows"] = SplitWorkflows(folder) } };
        }

        var metadata = PromiseFolder.Child(promise, "metadata");
        metadata["name"] = name;
        var spec = PromiseFolder.Child(promise, "spec");

        if (File.Exists(folder.ApiFile) && new FileInfo(folder.ApiFile).Length > 0)
        {
            spec["api"] = PromiseFolder.ReadObject(folder.ApiFile);
        }

        if (File.Exists(folder.DependenciesFile))
        {
            switch (PromiseFolder.ReadYaml(folder.DependenciesFile))
            {
                case JsonArray dependencies when dependencies.Count > 0:
                    spec["dependencies"] = dependencies;
                    break;
                case null or JsonArray:
                    spec.Remove("dependencies");
                    break;
                default:
                    throw new KratixException(
                        "PromiseFileInvalid", KratixErrorCategory.InvalidData,
                        $"{folder.DependenciesFile} must hold a YAML list of manifests: fix it, or refill it with Update-KratixPromise -DependencyPath.",
                        folder.DependenciesFile);
            }
        }

        // apiVersion and kind first, as a Promise file reads.
        var ordered = new JsonObject { ["apiVersion"] = "platform.kratix.io/v1alpha1", ["kind"] = "Promise" };
        foreach (var (key, value) in promise.ToList())
        {
            if (key is "apiVersion" or "kind")
            {
                continue;
            }

            promise.Remove(key);
            ordered[key] = value;
        }

        return ordered;
    }

    private static JsonObject SplitWorkflows(PromiseFolder folder)
    {
        var workflows = new JsonObject();
        foreach (var lifecycle in PromiseFolder.Lifecycles)
        {
            foreach (var action in PromiseFolder.Actions)
            {
                if (File.Exists(folder.WorkflowFile(lifecycle, action)))
                {
                    PromiseFolder.Child(workflows, lifecycle)[action] = folder.ReadPipelines(lifecycle, action);
                }
            }
        }

        return workflows;
    }
}
