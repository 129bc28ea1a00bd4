using System.Runtime.Versioning;
using Kratix.Pipelines.Runtimes;

namespace Kratix.Tests.Pipelines.Runtimes;

/// <summary>Choosing a runtime by name or automatically, and Docker's probe on this machine (CLI, no daemon).</summary>
[SupportedOSPlatform("linux")]
public sealed class PipelineRuntimesTests
{
    [Theory]
    [InlineData("podman", "Podman")]
    [InlineData("DOCKER", "Docker")]
    [InlineData("Host", "Host")]
    public void Create_takes_a_name_in_any_case(string name, string expected)
    {
        Assert.Equal(expected, PipelineRuntimes.Create(name).Name);
    }

    [Fact]
    public void An_unknown_name_lists_the_runtimes()
    {
        var error = Assert.Throws<KratixException>(() => PipelineRuntimes.Create("containerd"));
        Assert.Equal("PipelineRuntimeUnknown", error.ErrorId);
        Assert.Equal(KratixErrorCategory.InvalidArgument, error.Category);
        Assert.Contains("'containerd'", error.Message);
        Assert.Contains("Podman, Docker, Host", error.Message);
    }

    [Fact]
    public async Task Auto_picks_Podman_here()
    {
        _ = TestTools.Podman;
        var runtime = await PipelineRuntimes.SelectAsync(TestTools.Options(), CancellationToken.None);
        Assert.Equal("Podman", runtime.Name);
        Assert.Equal("Podman", (await PipelineRuntimes.ResolveAsync("auto", TestTools.Options(), CancellationToken.None)).Name);
    }

    [Fact]
    public async Task When_nothing_works_the_error_gives_each_runtime_reason()
    {
        var options = TestTools.Options() with
        {
            PodmanExecutable = "/nonexistent/podman",
            DockerExecutable = "/nonexistent/docker",
            Host = new HostRuntimeOptions { BwrapExecutable = "/nonexistent/bwrap" },
        };
        var error = await Assert.ThrowsAsync<KratixException>(() => PipelineRuntimes.SelectAsync(options, CancellationToken.None));

        Assert.Equal("PipelineRuntimeUnavailable", error.ErrorId);
        Assert.Contains("Podman: Podman is not available: '/nonexistent/podman' was not found.", error.Message);
        Assert.Contains("Docker: Docker is not available: '/nonexistent/docker' was not found.", error.Message);
        Assert.Contains("Host: The Host runtime needs bubblewrap: '/nonexistent/bwrap' was not found.", error.Message);
    }

    [Fact]
    public async Task Docker_without_a_daemon_says_so()
    {
        var docker = new CliContainerRuntime(ContainerCliKind.Docker, TestTools.Options());
        var reason = await docker.ProbeAsync(CancellationToken.None);

        Assert.NotNull(reason);
        Assert.StartsWith("Docker is not available:", reason);
        if (File.Exists("/usr/local/bin/docker") || File.Exists("/usr/bin/docker"))
        {
            // This machine has the docker CLI but no daemon.
            Assert.Contains("Cannot connect to the Docker daemon", reason);
            Assert.Contains("no Docker daemon answers", reason);
        }
        Assert.Same(reason, await docker.ProbeAsync(CancellationToken.None));
    }

    [Fact]
    public async Task Docker_run_without_a_daemon_is_runtime_unavailable()
    {
        if (!File.Exists("/usr/local/bin/docker") && !File.Exists("/usr/bin/docker"))
        {
            Assert.Fail("This test expects the docker CLI without a daemon, as on the development machine.");
        }
        using var workspace = new RunWorkspace();
        var docker = new CliContainerRuntime(ContainerCliKind.Docker, TestTools.Options());
        var error = await Assert.ThrowsAsync<KratixException>(() => docker.RunAsync(workspace.Request("busybox", ["true"]), CancellationToken.None));

        Assert.Equal("PipelineRuntimeUnavailable", error.ErrorId);
        Assert.Contains("Cannot connect to the Docker daemon", error.Message);
    }

    [Fact]
    public void Extra_arguments_come_from_the_options_else_the_environment_variable()
    {
        Assert.Equal(["--a", "b"], new CliContainerRuntime(ContainerCliKind.Podman, new PipelineRuntimeOptions { PodmanArguments = ["--a", "b"] }).ExtraArguments);

        var previous = Environment.GetEnvironmentVariable(PipelineRuntimeOptions.DockerArgumentsVariable);
        try
        {
            Environment.SetEnvironmentVariable(PipelineRuntimeOptions.DockerArgumentsVariable, "  --ulimit nofile=1024:1024   --runtime runc ");
            Assert.Equal(["--ulimit", "nofile=1024:1024", "--runtime", "runc"], new CliContainerRuntime(ContainerCliKind.Docker).ExtraArguments);
            Assert.Empty(new CliContainerRuntime(ContainerCliKind.Docker, new PipelineRuntimeOptions { DockerArguments = [] }).ExtraArguments);
        }
        finally
        {
            Environment.SetEnvironmentVariable(PipelineRuntimeOptions.DockerArgumentsVariable, previous);
        }
    }

    [Fact]
    public async Task Host_without_bwrap_refuses_to_run_and_names_the_runtimes_that_would_work()
    {
        using var workspace = new RunWorkspace();
        var host = new HostRuntime(new PipelineRuntimeOptions { Host = new HostRuntimeOptions { BwrapExecutable = "/nonexistent/bwrap" } });
        var error = await Assert.ThrowsAsync<KratixException>(() => host.RunAsync(workspace.Request("x", ["true"]), CancellationToken.None));

        Assert.Equal("PipelineRuntimeUnavailable", error.ErrorId);
        Assert.Contains("Podman and Docker", error.Message);
    }
}
