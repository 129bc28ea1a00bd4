using System.Runtime.Versioning;
using Kratix.Pipelines;
using Kratix.Pipelines.Runtimes;

namespace Kratix.Tests.Pipelines.Runtimes;

/// <summary>The runtime contract and the Host runtime's specifics (image map, host root), on the real bwrap.</summary>
[SupportedOSPlatform("linux")]
public sealed class HostRuntimeTests : ContainerRuntimeContract, IClassFixture<HostRuntimeTests.Folders>
{
    private const string UnmappedImage = "registry.example/unmapped/busybox:1";
    private const string EntrypointReference = "kratix-test/entrypoint:1";
    private const string PromiseReference = "ghcr.io/example/promise-pipeline:v1";

    private readonly Folders _folders;
    private readonly HostRuntime _runtime;

    public HostRuntimeTests(Folders folders)
    {
        _ = TestTools.Bwrap;
        _folders = folders;
        _runtime = new HostRuntime(TestTools.Options(new Dictionary<string, HostImage>
        {
            [EntrypointReference] = new(folders.Empty, ["echo", "from-entrypoint"], ["from-cmd"]),
            [PromiseReference] = new(folders.Promise.Path, ["promise-configure.sh"], null),
            ["docker.io/library/mapped-with-prefix:2"] = new(folders.Empty, ["echo", "prefix-matched"], null),
        }));
    }

    protected override IContainerRuntime Runtime => _runtime;

    protected override string Image => UnmappedImage;

    protected override string EntrypointImage => EntrypointReference;

    protected override Task AssertNoContainerLeftAsync(RunWorkspace workspace) => Task.CompletedTask;

    [Fact]
    public void Name_is_Host() => Assert.Equal("Host", Runtime.Name);

    [Fact]
    public async Task The_probe_succeeds_here()
    {
        Assert.Null(await Runtime.ProbeAsync(CancellationToken.None));
    }

    [Fact]
    public async Task An_image_folder_merges_into_usr_bin_over_the_host_and_its_entrypoint_runs()
    {
        using var workspace = new RunWorkspace();
        var result = await Runtime.RunAsync(workspace.Request(PromiseReference), CancellationToken.None);
        Assert.True(result.Succeeded, result.Log);
        Assert.Equal("configured from-input\n", File.ReadAllText(Path.Combine(workspace.Output, "configured.txt")));

        // The folder's files are there, its usr/bin/true shadows the host's, and the host's other /usr/bin programs still work.
        var merged = await Runtime.RunAsync(workspace.Request(PromiseReference, Shell(
            "/usr/bin/true; /scripts/run.sh hello; ls /usr/bin/promise-configure.sh; /usr/bin/env echo host-env-works; cat --version | head -1")) with { RunId = workspace.RunId + "b" }, CancellationToken.None);
        Assert.True(merged.Succeeded, merged.Log);
        Assert.Contains("folder-true-wins\nrun.sh says hello\n/usr/bin/promise-configure.sh\nhost-env-works\n", merged.Log);
        Assert.Contains("cat (GNU coreutils)", merged.Log);
    }

    [Fact]
    public async Task Image_references_match_without_the_docker_hub_prefix()
    {
        using var workspace = new RunWorkspace();
        var result = await Runtime.RunAsync(workspace.Request("mapped-with-prefix:2"), CancellationToken.None);
        Assert.Equal("prefix-matched", result.Log.Trim());
    }

    [Fact]
    public async Task An_unmapped_image_runs_sh_against_the_host_root()
    {
        using var workspace = new RunWorkspace();
        var result = await Runtime.RunAsync(workspace.Request(UnmappedImage, Shell("test -x /usr/bin/sh && ls -d /usr /etc /kratix/input && echo $PATH")), CancellationToken.None);
        Assert.True(result.Succeeded, result.Log);
        Assert.Equal($"/etc\n/kratix/input\n/usr\n{HostRuntime.SandboxPath}\n", result.Log);
    }

    [Fact]
    public async Task No_command_and_no_image_map_entry_is_an_error_that_says_what_to_add()
    {
        using var workspace = new RunWorkspace();
        var error = await Assert.ThrowsAsync<KratixException>(() => Runtime.RunAsync(workspace.Request(UnmappedImage, args: null), CancellationToken.None));
        Assert.Equal("PipelineCommandUnknown", error.ErrorId);
        Assert.Contains(UnmappedImage, error.Message);
        Assert.Contains("'command'", error.Message);
        Assert.Contains("image map", error.Message);
    }

    [Fact]
    public async Task Host_variables_do_not_leak_in()
    {
        using var workspace = new RunWorkspace();
        var result = await Runtime.RunAsync(workspace.Request(UnmappedImage, ["env"], environment: [new("ONLY_THIS", "1")]), CancellationToken.None);
        var names = result.Log.Split('\n', StringSplitOptions.RemoveEmptyEntries).Select(line => line.Split('=')[0]).Order(StringComparer.Ordinal).ToList();

        // env prints what bwrap was given (sh is not involved): PATH, HOME and the request's variables, plus the PWD bwrap sets.
        Assert.Equal(["HOME", "ONLY_THIS", "PATH", "PWD"], names);
        Assert.Contains("HOME=/root", result.Log);
    }

    [Fact]
    public async Task Home_is_writable_and_the_sandbox_cannot_remount_its_input()
    {
        using var workspace = new RunWorkspace();
        var result = await Runtime.RunAsync(workspace.Request(UnmappedImage, Shell(
            "echo hi > $HOME/file && cat $HOME/file; mount -o remount,rw /kratix/input 2>/dev/null && echo remounted || echo remount-refused")), CancellationToken.None);
        Assert.Equal("hi\nremount-refused\n", result.Log);
    }

    [Fact]
    public async Task A_missing_command_is_a_failed_result()
    {
        using var workspace = new RunWorkspace();
        var result = await Runtime.RunAsync(workspace.Request(UnmappedImage, ["/no/such/program"]), CancellationToken.None);
        Assert.NotEqual(0, result.ExitCode);
        Assert.Contains("/no/such/program", result.Log);
    }

    [Fact]
    public async Task Resource_limits_are_ignored()
    {
        using var workspace = new RunWorkspace();
        var result = await Runtime.RunAsync(workspace.Request(UnmappedImage, ["true"], limits: new ContainerLimits(0.1, 1024 * 1024)), CancellationToken.None);
        Assert.True(result.Succeeded, result.Log);
    }

    /// <summary>The image folders, shared by the class's tests.</summary>
    public sealed class Folders : IDisposable
    {
        public Folders()
        {
            Empty = Path.Combine(Path.GetTempPath(), "kratix-image-folders", "empty-" + Guid.NewGuid().ToString("N")[..8]);
            Directory.CreateDirectory(Empty);
        }

        public string Empty { get; }

        public ImageFolder Promise { get; } = new();

        public void Dispose()
        {
            Promise.Dispose();
            Directory.Delete(Empty, recursive: true);
        }
    }
}
