namespace Kratix.Pipelines.Runtimes;

/// <summary>The Host runtime's settings.</summary>
public sealed record HostRuntimeOptions
{
    /// <summary>The bubblewrap executable: a name looked up on PATH, or a path.</summary>
    public string BwrapExecutable { get; init; } = "bwrap";

    /// <summary>
    /// The image map: an image reference (as a Pipeline names it) to a local folder laid out like the image's file system,
    /// with the image's entrypoint and cmd, so a pipeline's scripts run from source without building an image. A reference
    /// matches exactly, or after dropping a <c>docker.io/</c>, <c>docker.io/library/</c> or <c>index.docker.io/</c> prefix
    /// on either side; the tag must match as written.
    /// </summary>
    public IReadOnlyDictionary<string, HostImage> Images { get; init; } = new Dictionary<string, HostImage>();
}

/// <summary>
/// A local folder that stands in for an image on the Host runtime. Its files are laid out as in the image
/// (<c>&lt;Path&gt;/usr/bin/promise-configure.sh</c> is <c>/usr/bin/promise-configure.sh</c>) and are merged over the host's
/// system directories. <see cref="Entrypoint"/> and <see cref="Cmd"/> are the image's ENTRYPOINT and CMD; null when the
/// image has none.
/// </summary>
public sealed record HostImage(string Path, IReadOnlyList<string>? Entrypoint = null, IReadOnlyList<string>? Cmd = null);
