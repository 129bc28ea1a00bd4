using Kratix.Pipelines.Runtimes;
using Kratix.Tests.Platforms;
using Kratix.Tests.Workflows;
using static Kratix.Tests.Platforms.PlatformFixture;
using static Kratix.Tests.Workflows.WorkflowPromises;

namespace Kratix.Tests.Tracing;

/// <summary>Get-KratixPipelineLog's engine: one object per container of the last recorded run, read from the platform home.</summary>
[System.Runtime.Versioning.SupportedOSPlatform("linux")]
public sealed class PipelineLogTests : IDisposable
{
    private readonly PlatformFixture _f = new(PipelineRuntimes.Create("Host"), new ManualClock(new DateTimeOffset(2026, 11, 21, 10, 0, 0, TimeSpan.Zero)));

    public PipelineLogTests()
    {
        _f.RegisterGitStore();
        _f.RegisterDestination("dev", "{environment: dev}");
    }

    public void Dispose() => _f.Dispose();

    [Fact]
    public void Each_container_of_the_last_run_gives_its_log_and_how_it_ended()
    {
        _f.Platform.InstallPromise(Yaml(Promise(WorkflowSpec(
            promiseConfigure: [Pipeline("setup", "echo 'setting up'")],
            resourceConfigure: [Pipeline("render", "echo one; echo two; echo three >&2"), Pipeline("publish", "echo 'publish failed'; exit 2")]))));
        _f.Platform.SubmitRequest(Yaml(Request()));

        var logs = PipelineLog.From(_f.Platform.GetWorkflowRun("resource", "configure", "thing", "default", "example")!).ToList();

        Assert.Equal(["render/render-c", "publish/publish-c"], logs.Select(l => $"{l.Pipeline}/{l.Container}"));
        var (render, publish) = (logs[0], logs[1]);
        Assert.Equal(("thing", "example", "default", "resource.configure"), (render.Promise, render.Request, render.Namespace, render.Workflow));
        Assert.Equal((0, "Succeeded", "Host"), (render.ExitCode, render.Phase, render.Runtime));
        Assert.Equal("one\ntwo\nthree\n", render.Log);
        Assert.Equal(render.Log, File.ReadAllText(render.Path!));
        Assert.Equal((2, "Failed", "publish failed\n"), (publish.ExitCode, publish.Phase, publish.Log));

        var promise = Assert.Single(PipelineLog.From(_f.Platform.GetWorkflowRun("promise", "configure", "thing", null, "thing")!));
        Assert.Equal(("thing", null, "promise.configure", "setting up\n"), (promise.Promise, promise.Request, promise.Workflow, promise.Log));

        var tailed = PipelineLog.From(_f.Platform.GetWorkflowRun("resource", "configure", "thing", "default", "example")!, tail: 2).First();
        Assert.Equal("two\nthree\n", tailed.Log);
    }

    [Theory]
    [InlineData("a\nb\nc\n", 2, "b\nc\n")]
    [InlineData("a\nb\nc", 2, "b\nc")]
    [InlineData("a\nb\nc\n", 5, "a\nb\nc\n")]
    [InlineData("a\nb\nc\n", 0, "")]
    [InlineData("", 3, "")]
    [InlineData("only\n", 1, "only\n")]
    public void Tail_keeps_the_last_lines(string log, int lines, string expected) => Assert.Equal(expected, PipelineLog.Tail(log, lines));
}
