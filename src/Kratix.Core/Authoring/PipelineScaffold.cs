using System.Security.Cryptography;
using System.Text;
using System.Text.Json.Nodes;
using Kratix.Schema;

namespace Kratix.Authoring;

/// <summary>A workflow and pipeline as kratix-cli names them: <c>resource/configure/instance</c>.</summary>
public sealed record PipelineTarget(string Lifecycle, string Action, string Pipeline)
{
    public const string InvalidErrorId = "PipelineTargetInvalid";

    public static PipelineTarget Parse(string text)
    {
        var parts = text.Split('/');
        if (parts.Length != 3)
        {
            throw Invalid($"\"{text}\" is not a workflow and pipeline: give <promise|resource>/<configure|delete>/<pipeline>, such as resource/configure/instance.", text);
        }

        var lifecycle = parts[0].ToLowerInvariant();
        var action = parts[1].ToLowerInvariant();
        if (!PromiseFolder.Lifecycles.Contains(lifecycle))
        {
            throw Invalid($"invalid lifecycle: {parts[0]}, expected one of: promise, resource (in \"{text}\").", text);
        }

        if (!PromiseFolder.Actions.Contains(action))
        {
            throw Invalid($"invalid action: {parts[1]}, expected one of: configure, delete (in \"{text}\").", text);
        }

        if (parts[2].Length == 0)
        {
            throw Invalid($"pipeline name cannot be empty (in \"{text}\").", text);
        }

        if (NameValidation.IsDns1123Label(parts[2]) is { Count: > 0 } problems)
        {
            throw Invalid($"pipeline name \"{parts[2]}\" is invalid: {string.Join("; ", problems)}.", text);
        }

        return new PipelineTarget(lifecycle, action, parts[2]);
    }

    public override string ToString() => $"{Lifecycle}/{Action}/{Pipeline}";

    private static KratixException Invalid(string message, string text) =>
        new(InvalidErrorId, KratixErrorCategory.InvalidArgument, message, text);
}

/// <summary>What <see cref="PipelineScaffold.AddContainer"/> did.</summary>
public sealed record PipelineContainerResult(
    PipelineTarget Target, string ContainerName, string Image, PipelineLanguage Language, string WorkflowFile, string ContainerDirectory, string ScriptPath);

/// <summary>
/// Adds a container to a Promise's workflow and scaffolds its folder, as kratix-cli's <c>add container</c>: the
/// container goes to the end of the named pipeline (made when missing) in promise.yaml, or in
/// workflows/&lt;lifecycle&gt;/&lt;action&gt;/workflow.yaml in a split folder, and
/// workflows/&lt;lifecycle&gt;/&lt;action&gt;/&lt;pipeline&gt;/&lt;container&gt;/ gets a Dockerfile, scripts/pipeline.&lt;ext&gt; and an
/// empty resources/. Files that exist are kept, so a script being written is never overwritten.
/// </summary>
public static class PipelineScaffold
{
    public const string ContainerExistsErrorId = "PipelineContainerExists";

    /// <summary>Adds the container; <paramref name="sdkSource"/> is the PowerShell SDK's folder, copied beside a PowerShell script.</summary>
    public static PipelineContainerResult AddContainer(
        string directory, PipelineTarget target, string image, string? containerName, PipelineLanguage language, string? sdkSource, bool force = false)
    {
        var folder = new PromiseFolder(directory);
        var name = string.IsNullOrEmpty(containerName) ? ContainerNameFor(image) : containerName;
        if (NameValidation.IsDns1123Label(name) is { Count: > 0 } problems)
        {
            throw new KratixException(
                "PipelineContainerNameInvalid", KratixErrorCategory.InvalidArgument,
                $"Container name \"{name}\" is invalid: {string.Join("; ", problems)}. Give one with -Name.", name);
        }

        var pipelines = folder.ReadPipelines(target.Lifecycle, target.Action);
        var container = new JsonObject { ["name"] = name, ["image"] = image };
        var pipeline = pipelines.OfType<JsonObject>().FirstOrDefault(p => (string?)p["metadata"]?["name"] == target.Pipeline);
        if (pipeline is null)
        {
            pipelines.Add(new JsonObject
            {
                ["apiVersion"] = "platform.kratix.io/v1alpha1",
                ["kind"] = "Pipeline",
                ["metadata"] = new JsonObject { ["name"] = target.Pipeline },
                ["spec"] = new JsonObject { ["containers"] = new JsonArray(container) },
            });
        }
        else
        {
            var spec = PromiseFolder.Child(pipeline, "spec");
            if (spec["containers"] is not JsonArray containers)
            {
                containers = [];
                spec["containers"] = containers;
            }

            var index = containers.Select((c, i) => (c, i)).FirstOrDefault(x => (string?)x.c?["name"] == name, (null, -1)).Item2;
            if (index >= 0 && !force)
            {
                throw new KratixException(
                    ContainerExistsErrorId, KratixErrorCategory.ResourceExists,
                    $"Pipeline \"{target.Pipeline}\" ({target.Lifecycle}/{target.Action}) already has a container \"{name}\": give another -Name, or -Force to replace its image.",
                    name);
            }

            if (index >= 0)
            {
                containers[index] = container;
            }
            else
            {
                containers.Add(container);
            }
        }

        var containerDirectory = folder.Combine("workflows", target.Lifecycle, target.Action, target.Pipeline, name);
        var scriptPath = Scaffold(containerDirectory, language, sdkSource);
        folder.WritePipelines(target.Lifecycle, target.Action, pipelines);
        var workflowFile = folder.IsSplit ? folder.WorkflowFile(target.Lifecycle, target.Action) : folder.PromiseFile;
        return new PipelineContainerResult(target, name, image, language, workflowFile, containerDirectory, scriptPath);
    }

    /// <summary>Writes the container folder's files that do not exist yet; returns the script's path.</summary>
    public static string Scaffold(string containerDirectory, PipelineLanguage language, string? sdkSource)
    {
        var scripts = Path.Combine(containerDirectory, "scripts");
        Directory.CreateDirectory(scripts);
        Directory.CreateDirectory(Path.Combine(containerDirectory, "resources"));
        var script = Path.Combine(scripts, PipelineTemplates.ScriptName(language));
        WriteNew(Path.Combine(containerDirectory, "Dockerfile"), PipelineTemplates.Dockerfile(language));
        WriteNew(script, PipelineTemplates.Script(language));
        if (language == PipelineLanguage.Bash && !OperatingSystem.IsWindows())
        {
            File.SetUnixFileMode(script, File.GetUnixFileMode(script) | UnixFileMode.UserExecute | UnixFileMode.GroupExecute | UnixFileMode.OtherExecute);
        }

        if (language == PipelineLanguage.PowerShell)
        {
            CopySdk(sdkSource, Path.Combine(containerDirectory, "sdk", "Kratix.Sdk"));
        }

        return script;
    }

    /// <summary>Copies the PowerShell SDK into a container folder (replacing an older copy, so a rebuild takes the module's).</summary>
    public static void CopySdk(string? sdkSource, string destination)
    {
        if (sdkSource is null || !File.Exists(Path.Combine(sdkSource, "Kratix.Sdk.psm1")))
        {
            throw new KratixException(
                "KratixSdkNotFound", KratixErrorCategory.ObjectNotFound,
                $"The Kratix SDK for PowerShell is not at {sdkSource ?? "<none>"}: reinstall the Kratix module (its Sdk/Kratix.Sdk folder), or build it with ./build.ps1.",
                sdkSource);
        }

        Directory.CreateDirectory(destination);
        foreach (var file in Directory.EnumerateFiles(sdkSource))
        {
            File.Copy(file, Path.Combine(destination, Path.GetFileName(file)), overwrite: true);
        }
    }

    private static void WriteNew(string path, string content)
    {
        if (!File.Exists(path))
        {
            File.WriteAllText(path, content.ReplaceLineEndings("\n"));
        }
    }

    /// <summary>
    /// kratix-cli's default container name: the image without its tag, '/' and '.' as '-', trimmed of '-'; a name longer
    /// than 63 characters keeps its first characters and ends in seven of its SHA-1.
    /// </summary>
    public static string ContainerNameFor(string image)
    {
        var name = image.Split(':')[0].Replace('/', '-').Replace('.', '-').Trim('-');
        if (name.Length <= 63)
        {
            return name;
        }

        var suffix = Convert.ToHexString(SHA1.HashData(Encoding.UTF8.GetBytes(name))).ToLowerInvariant()[..7];
        var prefix = name[..(63 - suffix.Length - 1)].TrimEnd('-');
        return $"{prefix}-{suffix}";
    }
}
