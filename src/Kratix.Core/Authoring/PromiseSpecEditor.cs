using System.Text.Json.Nodes;
using Kratix.Manifests;

namespace Kratix.Authoring;

/// <summary>
/// Edits a Promise folder's dependencies and destination selectors, as kratix-cli's <c>update dependencies</c> and
/// <c>update destination-selector</c>.
/// </summary>
public static class PromiseSpecEditor
{
    public const string DependenciesContainerName = "configure-deps";
    public const string DependenciesPipelineName = "dependencies";

    /// <summary>
    /// The manifests of a file, or of every .yaml/.yml/.json file under a folder (sub-folders included, in name order),
    /// each without a namespace given <c>default</c>.
    /// </summary>
    public static JsonArray ReadDependencies(string path)
    {
        var full = Path.GetFullPath(path);
        var files = new List<string>();
        if (File.Exists(full))
        {
            files.Add(full);
        }
        else if (Directory.Exists(full))
        {
            Collect(full, files);
            if (files.Count == 0)
            {
                throw NoDependencies(full, $"no YAML files found in directory: {full}; nothing to update.");
            }
        }
        else
        {
            throw new KratixException(
                "DependencyPathNotFound", KratixErrorCategory.ObjectNotFound, $"{full} does not exist: give a file or folder of manifests.", full);
        }

        var dependencies = new JsonArray();
        foreach (var file in files)
        {
            foreach (var document in ManifestReader.Default.ReadFile(file))
            {
                if (document.Content is not JsonObject manifest)
                {
                    continue;
                }

                var metadata = PromiseFolder.Child(manifest, "metadata");
                if (string.IsNullOrEmpty((string?)metadata["namespace"]))
                {
                    metadata["namespace"] = "default";
                }

                dependencies.Add(manifest);
            }
        }

        if (dependencies.Count == 0)
        {
            throw NoDependencies(full, $"no valid dependencies found in: {full}.");
        }

        return dependencies;
    }

    private static void Collect(string directory, List<string> files)
    {
        foreach (var entry in new DirectoryInfo(directory).EnumerateFileSystemInfos().OrderBy(e => e.Name, StringComparer.Ordinal))
        {
            if (entry is DirectoryInfo)
            {
                Collect(entry.FullName, files);
            }
            else if (entry.Extension is ".yaml" or ".yml" or ".json")
            {
                files.Add(entry.FullName);
            }
        }
    }

    private static KratixException NoDependencies(string path, string message) =>
        new("DependenciesNotFound", KratixErrorCategory.InvalidData, message, path);

    /// <summary>Puts the manifests into spec.dependencies (promise.yaml) or dependencies.yaml (split); returns the file.</summary>
    public static string SetDependencies(string directory, JsonArray dependencies)
    {
        var folder = new PromiseFolder(directory);
        if (!File.Exists(folder.DependenciesFile) && File.Exists(folder.PromiseFile))
        {
            var promise = folder.ReadPromise();
            var spec = PromiseFolder.Child(promise, "spec");
            if (dependencies.Count == 0)
            {
                spec.Remove("dependencies");
            }
            else
            {
                spec["dependencies"] = dependencies;
            }

            PromiseFolder.WriteYaml(folder.PromiseFile, promise);
            return folder.PromiseFile;
        }

        if (!File.Exists(folder.ApiFile) && !File.Exists(folder.PromiseFile))
        {
            folder.ReadPromise(); // throws PromiseFileNotFound with what to do
        }

        File.WriteAllText(folder.DependenciesFile, dependencies.Count == 0 ? string.Empty : ManifestWriter.ToYaml((JsonNode)dependencies));
        return folder.DependenciesFile;
    }

    /// <summary>
    /// kratix-cli's <c>update dependencies --image</c>: the manifests go to a promise.configure pipeline "dependencies"
    /// whose container copies them to the output (resources/ of its folder, and a script <c>cp /resources/* /kratix/output</c>),
    /// and spec.dependencies (or dependencies.yaml) is emptied.
    /// </summary>
    public static PipelineContainerResult SetDependenciesAsWorkflow(string directory, string dependencyPath, string image, string? containerName)
    {
        var manifests = Path.GetFullPath(dependencyPath);
        if (!File.Exists(manifests) && !Directory.Exists(manifests))
        {
            throw new KratixException(
                "DependencyPathNotFound", KratixErrorCategory.ObjectNotFound, $"{manifests} does not exist: give a file or folder of manifests.", manifests);
        }

        var target = new PipelineTarget("promise", "configure", DependenciesPipelineName);
        var result = PipelineScaffold.AddContainer(directory, target, image, containerName ?? DependenciesContainerName, PipelineLanguage.Bash, null, force: true);
        var resources = Path.Combine(result.ContainerDirectory, "resources");
        if (File.Exists(manifests))
        {
            File.Copy(manifests, Path.Combine(resources, Path.GetFileName(manifests)), overwrite: true);
        }
        else
        {
            foreach (var file in Directory.EnumerateFiles(manifests))
            {
                File.Copy(file, Path.Combine(resources, Path.GetFileName(file)), overwrite: true);
            }
        }

        File.WriteAllText(result.ScriptPath, "#!/usr/bin/env sh\n\ncp /resources/* /kratix/output\n");
        var folder = new PromiseFolder(directory);
        if (File.Exists(folder.DependenciesFile))
        {
            File.Delete(folder.DependenciesFile);
        }
        else
        {
            SetDependencies(directory, []);
        }

        return result;
    }

    /// <summary>
    /// Adds <c>key=value</c> to (or, with <c>key-</c>, removes key from) the matchLabels of the Promise's first destination
    /// selector, as kratix-cli does; returns the file written.
    /// </summary>
    public static string UpdateDestinationSelectors(string directory, IEnumerable<string> changes)
    {
        var folder = new PromiseFolder(directory);
        var promise = folder.ReadPromise();
        var spec = PromiseFolder.Child(promise, "spec");
        foreach (var change in changes)
        {
            var parts = change.Split('=');
            if (parts.Length == 2 && parts[0].Length > 0)
            {
                if (spec["destinationSelectors"] is not JsonArray { Count: > 0 } selectors)
                {
                    selectors = [new JsonObject { ["matchLabels"] = new JsonObject() }];
                    spec["destinationSelectors"] = selectors;
                }

                PromiseFolder.Child((JsonObject)selectors[0]!, "matchLabels")[parts[0]] = parts[1];
            }
            else if (change.EndsWith('-') && !change.Contains('='))
            {
                if (spec["destinationSelectors"] is JsonArray { Count: > 0 } selectors && selectors[0]?["matchLabels"] is JsonObject labels)
                {
                    labels.Remove(change.TrimEnd('-'));
                }
            }
            else
            {
                throw new KratixException(
                    "DestinationSelectorInvalid", KratixErrorCategory.InvalidArgument,
                    $"invalid destination key: {change}. Give key=value to add a label, or key- to remove one.", change);
            }
        }

        PromiseFolder.WriteYaml(folder.PromiseFile, promise);
        return folder.PromiseFile;
    }
}
