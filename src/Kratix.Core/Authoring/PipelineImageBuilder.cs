using System.Diagnostics;
using System.Text;
using System.Text.Json.Nodes;
using Kratix.Pipelines.Runtimes;

namespace Kratix.Authoring;

/// <summary>One container of a Promise folder's workflows to build: its image and its folder (the build context).</summary>
public sealed record PipelineImage(PipelineTarget Target, string ContainerName, string Image, string Directory);

/// <summary>
/// Builds pipeline images from a Promise folder, as kratix-cli's <c>build container</c>: <c>&lt;engine&gt; build --tag
/// &lt;image&gt; &lt;container folder&gt;</c>, for one container, the containers of one pipeline, or every container of every
/// workflow. A PowerShell container's Dockerfile copies <c>sdk/Kratix.Sdk</c>: the module's SDK is copied there first,
/// so the image gets the SDK of the module that builds it.
/// </summary>
public static class PipelineImageBuilder
{
    public const string SdkCopyMarker = "sdk/Kratix.Sdk";

    /// <summary>The containers to build: of <paramref name="target"/> (all of them, or the one named), or of every workflow when target is null.</summary>
    public static IReadOnlyList<PipelineImage> Plan(string directory, PipelineTarget? target, string? containerName)
    {
        var folder = new PromiseFolder(directory);
        var images = new List<PipelineImage>();
        foreach (var lifecycle in PromiseFolder.Lifecycles)
        {
            foreach (var action in PromiseFolder.Actions)
            {
                if (target is not null && (target.Lifecycle != lifecycle || target.Action != action))
                {
                    continue;
                }

                foreach (var pipeline in folder.ReadPipelines(lifecycle, action).OfType<JsonObject>())
                {
                    var pipelineName = (string?)pipeline["metadata"]?["name"] ?? string.Empty;
                    if (target is not null && target.Pipeline != pipelineName)
                    {
                        continue;
                    }

                    foreach (var container in (pipeline["spec"]?["containers"] as JsonArray ?? []).OfType<JsonObject>())
                    {
                        var name = (string?)container["name"] ?? string.Empty;
                        if (containerName is not null && name != containerName)
                        {
                            continue;
                        }

                        var containerDirectory = folder.Combine("workflows", lifecycle, action, pipelineName, name);
                        images.Add(new PipelineImage(new PipelineTarget(lifecycle, action, pipelineName), name, (string?)container["image"] ?? string.Empty, containerDirectory));
                    }
                }
            }
        }

        if (images.Count == 0)
        {
            var what = target is null ? "no workflow has a container" : containerName is null ? $"pipeline {target} has no containers" : $"pipeline {target} has no container \"{containerName}\"";
            throw new KratixException(
                "PipelineContainerNotFound", KratixErrorCategory.ObjectNotFound,
                $"{folder.Path}: {what}. Add one with Add-KratixPipelineContainer.", folder.Path);
        }

        return images;
    }

    /// <summary>The engine: podman or docker as asked, else the first of them on PATH.</summary>
    public static string FindEngine(string? engine)
    {
        foreach (var candidate in engine is null ? new[] { "podman", "docker" } : [engine])
        {
            if (ExecutableLocator.Find(candidate) is { } path)
            {
                return path;
            }
        }

        throw new KratixException(
            "ContainerEngineNotFound", KratixErrorCategory.ResourceUnavailable,
            engine is null ? "Neither podman nor docker is on PATH: install one to build pipeline images." : $"{engine} is not on PATH: install it, or choose the other engine with -Engine.",
            engine);
    }

    /// <summary>The build's arguments: build, the extra arguments, --tag and the folder.</summary>
    public static IReadOnlyList<string> Arguments(PipelineImage image, IEnumerable<string> extraArguments) =>
        ["build", .. extraArguments, "--tag", image.Image, image.Directory];

    /// <summary>Builds one image; the engine's output goes to <paramref name="output"/> line by line. Fails with the output's last lines.</summary>
    public static void Build(string engine, PipelineImage image, IEnumerable<string> extraArguments, string? sdkSource, Action<string> output, CancellationToken cancellationToken = default)
    {
        if (!File.Exists(Path.Combine(image.Directory, "Dockerfile")) && !File.Exists(Path.Combine(image.Directory, "Containerfile")))
        {
            throw new KratixException(
                "DockerfileNotFound", KratixErrorCategory.ObjectNotFound,
                $"{image.Directory} has no Dockerfile: scaffold it with Add-KratixPipelineContainer, or write one.", image.Directory);
        }

        var dockerfile = Path.Combine(image.Directory, File.Exists(Path.Combine(image.Directory, "Dockerfile")) ? "Dockerfile" : "Containerfile");
        if (File.ReadAllText(dockerfile).Contains(SdkCopyMarker, StringComparison.Ordinal))
        {
            PipelineScaffold.CopySdk(sdkSource, Path.Combine(image.Directory, "sdk", "Kratix.Sdk"));
        }

        var start = new ProcessStartInfo(engine) { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        foreach (var argument in Arguments(image, extraArguments))
        {
            start.ArgumentList.Add(argument);
        }

        var tail = new Queue<string>();
        void Line(string? line)
        {
            if (line is null)
            {
                return;
            }

            lock (tail)
            {
                tail.Enqueue(line);
                if (tail.Count > 20)
                {
                    tail.Dequeue();
                }

                output(line);
            }
        }

        using var process = Process.Start(start) ?? throw new KratixException(
            "PipelineImageBuildFailed", KratixErrorCategory.ResourceUnavailable, $"{engine} did not start.", image.Image);
        process.OutputDataReceived += (_, e) => Line(e.Data);
        process.ErrorDataReceived += (_, e) => Line(e.Data);
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        using (cancellationToken.Register(() => { try { process.Kill(entireProcessTree: true); } catch (InvalidOperationException) { } }))
        {
            process.WaitForExit();
        }

        cancellationToken.ThrowIfCancellationRequested();
        if (process.ExitCode != 0)
        {
            var last = new StringBuilder();
            lock (tail)
            {
                foreach (var line in tail)
                {
                    last.Append('\n').Append(line);
                }
            }

            throw new KratixException(
                "PipelineImageBuildFailed", KratixErrorCategory.InvalidResult,
                $"Building {image.Image} from {image.Directory} failed ({Path.GetFileName(engine)} exited with {process.ExitCode}):{last}", image.Image);
        }
    }
}
