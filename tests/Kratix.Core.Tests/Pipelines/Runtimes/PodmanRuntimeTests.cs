using System.Diagnostics;
using System.Runtime.Versioning;
using Kratix.Pipelines;
using Kratix.Pipelines.Runtimes;

namespace Kratix.Tests.Pipelines.Runtimes;

/// <summary>The runtime contract and podman specifics, on the real podman with images built locally by <see cref="TestImages"/>.</summary>
[SupportedOSPlatform("linux")]
public sealed class PodmanRuntimeTests : ContainerRuntimeContract
{
    private static readonly Lazy<CliContainerRuntime> Podman = new(() =>
    {
        _ = TestTools.Podman;
        return new CliContainerRuntime(ContainerCliKind.Podman, TestTools.Options());
    });

    protected override IContainerRuntime Runtime => Podman.Value;

    protected override string Image => TestImages.EnsureBusybox();

    protected override string EntrypointImage => TestImages.Build("entrypoint", null, ["echo", "from-entrypoint"], ["from-cmd"]);

    protected override Task AssertNoContainerLeftAsync(RunWorkspace workspace)
    {
        var name = "kratix-" + workspace.RunId;
        var listed = Capture(TestTools.Podman, "ps", "--all", "--format", "{{.Names}}", "--filter", "name=^" + name + "$");
        Assert.Equal("", listed.Trim());
        return Task.CompletedTask;
    }

    [Fact]
    public void Name_is_Podman() => Assert.Equal("Podman", Runtime.Name);

    [Fact]
    public async Task The_probe_succeeds_here()
    {
        Assert.Null(await Runtime.ProbeAsync(CancellationToken.None));
    }

    [Fact]
    public async Task Image_defaults_run_when_the_container_sets_neither_command_nor_args()
    {
        using var workspace = new RunWorkspace();
        var result = await Runtime.RunAsync(workspace.Request(EntrypointImage), CancellationToken.None);
        Assert.Equal("from-entrypoint from-cmd", result.Log.Trim());
    }

    [Fact]
    public async Task A_missing_image_is_an_error_that_names_it_and_says_to_build_or_pull_it()
    {
        using var workspace = new RunWorkspace();
        var image = $"{TestImages.Repository}/does-not-exist:{workspace.RunId}";
        var error = await Assert.ThrowsAsync<KratixException>(() => Runtime.RunAsync(workspace.Request(image, ["true"]), CancellationToken.None));

        Assert.Equal("PipelineImageNotFound", error.ErrorId);
        Assert.Equal(KratixErrorCategory.ObjectNotFound, error.Category);
        Assert.Contains(image, error.Message);
        Assert.Contains("never pull", error.Message);
        Assert.Contains("Build it or pull it", error.Message);
        await AssertNoContainerLeftAsync(workspace);
    }

    [Fact]
    public async Task Cpu_and_memory_limits_reach_the_container()
    {
        using var workspace = new RunWorkspace();
        var result = await Runtime.RunAsync(workspace.Request(Image, Shell(
                "cat /sys/fs/cgroup/memory.max 2>/dev/null || cat /sys/fs/cgroup/memory/memory.limit_in_bytes; " +
                "cat /sys/fs/cgroup/cpu.max 2>/dev/null || cat /sys/fs/cgroup/cpu/cpu.cfs_quota_us"),
            limits: new ContainerLimits(0.5, 64L * 1024 * 1024)), CancellationToken.None);

        Assert.True(result.Succeeded, result.Log);
        var lines = result.Log.Split('\n', StringSplitOptions.RemoveEmptyEntries);
        Assert.Equal("67108864", lines[0]);
        Assert.StartsWith("50000", lines[1]);
    }

    [Fact]
    public async Task An_engine_failure_is_an_error_with_the_engine_message()
    {
        using var workspace = new RunWorkspace();
        var runtime = new CliContainerRuntime(ContainerCliKind.Podman, TestTools.Options() with { PodmanArguments = ["--runtime", "/nonexistent/oci-runtime"] });
        var error = await Assert.ThrowsAsync<KratixException>(() => runtime.RunAsync(workspace.Request(Image, ["true"]), CancellationToken.None));

        Assert.Equal("PipelineRuntimeFailed", error.ErrorId);
        Assert.Contains("Error:", error.Message);
        Assert.Contains("KRATIX_PODMAN_ARGS", error.Message);
    }

    [Fact]
    public async Task A_container_that_exits_125_on_its_own_is_an_ordinary_result()
    {
        using var workspace = new RunWorkspace();
        var result = await Runtime.RunAsync(workspace.Request(Image, Shell("echo not-an-engine-error >&2; exit 125")), CancellationToken.None);
        Assert.Equal(125, result.ExitCode);
        Assert.Contains("not-an-engine-error", result.Log);
    }

    [Fact]
    public async Task Image_files_and_the_image_entrypoint_script_run()
    {
        using var folder = new ImageFolder();
        var image = TestImages.Build("promise", folder.Path, ["promise-configure.sh"], null);
        using var workspace = new RunWorkspace();
        var result = await Runtime.RunAsync(workspace.Request(image), CancellationToken.None);

        Assert.True(result.Succeeded, result.Log);
        Assert.Equal("configured from-input\n", File.ReadAllText(Path.Combine(workspace.Output, "configured.txt")));
    }

    private static string Capture(string executable, params string[] arguments)
    {
        var startInfo = new ProcessStartInfo(executable) { RedirectStandardOutput = true, RedirectStandardError = true };
        foreach (var argument in arguments)
        {
            startInfo.ArgumentList.Add(argument);
        }
        using var process = Process.Start(startInfo)!;
        var output = process.StandardOutput.ReadToEnd();
        process.StandardError.ReadToEnd();
        process.WaitForExit();
        Assert.True(process.ExitCode == 0, $"{executable} {string.Join(' ', arguments)} failed");
        return output;
    }
}
