namespace Kratix.Pipelines.Runtimes;

/// <summary>
/// The stable <see cref="KratixException.ErrorId"/>s the pipeline runtimes throw, in one place so callers and Pester tests
/// can match on them.
/// </summary>
public static class PipelineRuntimeErrors
{
    /// <summary>The runtime cannot run containers here (not installed, no daemon, not Linux, unknown name).</summary>
    public const string RuntimeUnavailable = "PipelineRuntimeUnavailable";

    /// <summary>A runtime name that is not Podman, Docker, Host or Auto.</summary>
    public const string RuntimeUnknown = "PipelineRuntimeUnknown";

    /// <summary>The container engine refused to start the container for a reason of its own (its stderr is in the message).</summary>
    public const string RuntimeFailed = "PipelineRuntimeFailed";

    /// <summary>The image is not in the engine's local store; runtimes never pull.</summary>
    public const string ImageNotFound = "PipelineImageNotFound";

    /// <summary>The Host runtime does not know what to run: no <c>command</c> and no image map entry with an entrypoint.</summary>
    public const string CommandUnknown = "PipelineCommandUnknown";

    /// <summary>The run request cannot be expressed safely (bad run id, image reference, environment name, workspace path).</summary>
    public const string RunInvalid = "PipelineRunInvalid";
}
