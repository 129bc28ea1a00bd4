using System.Runtime.Versioning;
using Kratix.Pipelines.Runtimes;

namespace Kratix.Tests.Pipelines.Runtimes;

/// <summary>
/// The real tools the runtime tests drive. A missing tool fails the test with the way to install it: these tests never
/// skip themselves, so a machine without podman or bwrap cannot pass the suite by accident.
/// </summary>
[SupportedOSPlatform("linux")]
public static class TestTools
{
    private const string Install = ".ci/run installs them (apt-get install podman bubblewrap busybox-static runc uidmap).";

    /// <summary>
    /// podman's extra arguments for tests: KRATIX_PODMAN_ARGS when set (as .ci/run does), else what this sandbox needs
    /// (crun cannot set rlimits here, so runc with explicit ulimits).
    /// </summary>
    public static IReadOnlyList<string> PodmanArguments { get; } =
        Environment.GetEnvironmentVariable(PipelineRuntimeOptions.PodmanArgumentsVariable) is { Length: > 0 } variable
            ? variable.Split(' ', StringSplitOptions.RemoveEmptyEntries)
            : ["--ulimit", "nofile=1024:1024", "--ulimit", "nproc=4096:4096", "--runtime", "runc"];

    /// <summary>Runtime options for tests: the podman arguments above, and a generous default time limit.</summary>
    public static PipelineRuntimeOptions Options(IReadOnlyDictionary<string, HostImage>? images = null) => new()
    {
        PodmanArguments = PodmanArguments,
        Host = new HostRuntimeOptions { Images = images ?? new Dictionary<string, HostImage>() },
        DefaultTimeout = TimeSpan.FromMinutes(2),
    };

    public static string Podman => Require("podman");

    public static string Bwrap => Require("bwrap");

    /// <summary>A statically linked busybox (Debian's busybox-static), the whole userland of the test images.</summary>
    public static string Busybox
    {
        get
        {
            const string path = "/bin/busybox";
            if (!File.Exists(path))
            {
                Assert.Fail($"{path} is missing; the container tests build their images from a static busybox. {Install}");
            }
            return path;
        }
    }

    private static string Require(string tool)
    {
        var path = Environment.GetEnvironmentVariable("PATH")?.Split(':')
            .Select(directory => Path.Combine(directory, tool))
            .FirstOrDefault(File.Exists);
        if (path is null)
        {
            Assert.Fail($"'{tool}' is not installed (not on PATH), and the pipeline runtime tests run real containers. {Install}");
        }
        return path;
    }
}
