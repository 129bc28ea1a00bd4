using Kratix.Pipelines;
using Kratix.Pipelines.Runtimes;

namespace Kratix.Tests.Pipelines.Runtimes;

/// <summary>The podman/docker command line as a pure function of the request.</summary>
public sealed class CliRunArgumentsTests
{
    private static readonly (string, string, string) Workspace = ("/w/input", "/w/output", "/w/metadata");

    private static ContainerRunRequest Request(
        IReadOnlyList<string>? command = null,
        IReadOnlyList<string>? args = null,
        IReadOnlyList<KeyValuePair<string, string>>? environment = null,
        bool network = false,
        string? workingDir = null,
        ContainerLimits? limits = null,
        string image = "ghcr.io/example/pipeline:v1",
        string runId = "abc123") =>
        new(new ContainerSpec("configure", image, command, args, workingDir, limits ?? ContainerLimits.None),
            "/w/input", "/w/output", "/w/metadata", environment ?? [], network, TimeSpan.FromMinutes(1), runId);

    private static CliRunArguments Build(ContainerRunRequest request, ContainerCliKind kind = ContainerCliKind.Podman, bool limits = true, IReadOnlyList<string>? extra = null) =>
        CliRunArguments.Build(kind, request, Workspace, extra ?? [], limits, "/tmp/private/container.env");

    [Fact]
    public void The_whole_command_line_in_order()
    {
        var built = Build(Request(
                command: ["sh", "-c", "echo hi"], args: ["extra"],
                environment: [new("KRATIX_WORKFLOW_TYPE", "resource")],
                workingDir: "/work", limits: new ContainerLimits(0.2, 134217728)),
            extra: ["--ulimit", "nofile=1024:1024", "--runtime", "runc"]);

        Assert.Equal(
        [
            "run", "--rm", "--name=kratix-abc123", "--pull=never", "--network=none",
            "--volume=/w/input:/kratix/input:ro", "--volume=/w/output:/kratix/output", "--volume=/w/metadata:/kratix/metadata",
            "--cpus=0.2", "--memory=134217728", "--workdir=/work",
            "--env=KRATIX_WORKFLOW_TYPE",
            "--ulimit", "nofile=1024:1024", "--runtime", "runc",
            "--entrypoint=[\"sh\"]", "ghcr.io/example/pipeline:v1", "-c", "echo hi", "extra",
        ], built.Arguments);
        Assert.Equal([new KeyValuePair<string, string>("KRATIX_WORKFLOW_TYPE", "resource")], built.ProcessEnvironment);
        Assert.Empty(built.EnvironmentFileLines);
    }

    [Fact]
    public void Docker_takes_the_entrypoint_as_a_plain_string()
    {
        var built = Build(Request(command: ["/bin/run", "a"]), ContainerCliKind.Docker);
        Assert.Equal(["--entrypoint=/bin/run", "ghcr.io/example/pipeline:v1", "a"], built.Arguments.TakeLast(3));
    }

    [Fact]
    public void Args_alone_follow_the_image_without_an_entrypoint()
    {
        var built = Build(Request(args: ["--flag", "value"]));
        Assert.DoesNotContain(built.Arguments, a => a.StartsWith("--entrypoint", StringComparison.Ordinal));
        Assert.Equal(["ghcr.io/example/pipeline:v1", "--flag", "value"], built.Arguments.TakeLast(3));
    }

    [Fact]
    public void Neither_command_nor_args_ends_with_the_image()
    {
        Assert.Equal("ghcr.io/example/pipeline:v1", Build(Request()).Arguments[^1]);
        Assert.Equal("ghcr.io/example/pipeline:v1", Build(Request(command: [], args: [])).Arguments[^1]);
    }

    [Fact]
    public void Network_and_limits_are_optional()
    {
        var built = Build(Request(network: true, limits: new ContainerLimits(1, 1024)), limits: false);
        Assert.DoesNotContain(built.Arguments, a => a.StartsWith("--network", StringComparison.Ordinal) || a.StartsWith("--cpus", StringComparison.Ordinal) || a.StartsWith("--memory", StringComparison.Ordinal));
    }

    [Fact]
    public void Environment_values_never_reach_the_argument_list()
    {
        var built = Build(Request(environment:
        [
            new("TOKEN", "very-secret-1"),
            new("PATH", "/custom/bin:/usr/bin"),
            new("XDG_CONFIG_HOME", "/very-secret-2"),
            new("TOKEN", "very-secret-3"),
        ]));

        Assert.DoesNotContain(built.Arguments, a => a.Contains("very-secret", StringComparison.Ordinal) || a.Contains("/custom/bin", StringComparison.Ordinal));
        Assert.Contains("--env=TOKEN", built.Arguments);
        Assert.Single(built.Arguments, a => a == "--env=TOKEN");
        Assert.Equal([new KeyValuePair<string, string>("TOKEN", "very-secret-3")], built.ProcessEnvironment);
        // Variables the engine itself reads go through the private env file, never into the CLI's own environment.
        Assert.Equal(["PATH=/custom/bin:/usr/bin", "XDG_CONFIG_HOME=/very-secret-2"], built.EnvironmentFileLines);
        Assert.Contains("--env-file=/tmp/private/container.env", built.Arguments);
    }

    [Fact]
    public void An_engine_variable_with_a_line_break_is_refused()
    {
        var error = Assert.Throws<KratixException>(() => Build(Request(environment: [new("HOME", "/a\n/b")])));
        Assert.Equal("PipelineRunInvalid", error.ErrorId);
        Assert.Contains("HOME", error.Message);
    }

    [Theory]
    [InlineData("--privileged")]
    [InlineData("")]
    [InlineData("two words")]
    public void An_image_reference_that_is_not_one_is_refused(string image)
    {
        var error = Assert.Throws<KratixException>(() => Build(Request(image: image)));
        Assert.Equal("PipelineRunInvalid", error.ErrorId);
    }

    [Theory]
    [InlineData("A=B")]
    [InlineData("GLOB*")]
    [InlineData("")]
    public void An_environment_name_that_cannot_be_passed_is_refused(string name)
    {
        var error = Assert.Throws<KratixException>(() => Build(Request(environment: [new(name, "v")])));
        Assert.Equal("PipelineRunInvalid", error.ErrorId);
    }

    [Theory]
    [InlineData("-rf")]
    [InlineData("has space")]
    [InlineData("a/b")]
    public void A_run_id_that_cannot_name_a_container_is_refused(string runId)
    {
        var error = Assert.Throws<KratixException>(() => Build(Request(runId: runId)));
        Assert.Equal("PipelineRunInvalid", error.ErrorId);
    }

    [Fact]
    public void A_relative_working_dir_is_refused()
    {
        var error = Assert.Throws<KratixException>(() => Build(Request(workingDir: "work")));
        Assert.Equal("PipelineRunInvalid", error.ErrorId);
        Assert.Contains("absolute", error.Message);
    }

    [Fact]
    public void A_workspace_path_with_a_colon_is_refused()
    {
        var error = Assert.Throws<KratixException>(() => CliRunArguments.Build(ContainerCliKind.Podman, Request(), ("/w/in:put", "/w/o", "/w/m"), [], true, "/tmp/e"));
        Assert.Equal("PipelineRunInvalid", error.ErrorId);
        Assert.Contains("/w/in:put", error.Message);
    }
}
