using Kratix.Platforms.Embedded;
using static Kratix.Tests.Platforms.PlatformFixture;
using static Kratix.Tests.Workflows.WorkflowPromises;

namespace Kratix.Tests.Platforms;

/// <summary>
/// The total output limit a platform's settings give (Connect-KratixPlatform -MaxOutputBytes, maxOutputBytes in
/// platform.yaml), applied to workflows on the embedded platform opened from those settings, on the Host runtime.
/// </summary>
[System.Runtime.Versioning.SupportedOSPlatform("linux")]
public sealed class PipelineOutputLimitTests
{
    // 1,200 bytes in two files: over a limit of 1,000 only in total.
    private static readonly string Big = Pipeline("big", """
        head -c 600 /dev/zero | tr '\0' a > /kratix/output/a.yaml
        head -c 600 /dev/zero | tr '\0' b > /kratix/output/b.yaml
        """);

    [Fact]
    public void A_pipeline_over_the_platforms_limit_fails_naming_itself_and_the_limit_and_nothing_reaches_the_store()
    {
        using var f = new PlatformFixture();
        f.RegisterGitStore();
        f.RegisterDestination("dev", "{environment: dev}");
        var storeBefore = f.RemoteFiles();
        PlatformSettings.Load(f.Home).With(runtime: "Host", maxOutputBytes: 1000).Save(f.Home);
        using var platform = new EmbeddedPlatform(EmbeddedPlatform.OptionsFor(f.Home, f.Log));
        platform.InstallPromise(Yaml(Promise(WorkflowSpec(resourceConfigure: [Big]))));
        f.Log.Drain();

        var request = platform.SubmitRequest(Yaml(Request()));

        var completed = request.Conditions.Get("ConfigureWorkflowCompleted")!;
        Assert.Equal(("False", "ConfigureWorkflowFailed", "A Configure Pipeline has failed: big"), (completed.Status, completed.Reason, completed.Message));
        var warning = Assert.Single(f.Log.Drain(), m => m.IsWarning && m.Message.Contains("A Configure Pipeline has failed: big", StringComparison.Ordinal)).Message;
        Assert.Contains("Pipeline \"big\" wrote more than 1,000 bytes to /kratix/output (reached at b.yaml)", warning);
        Assert.Contains("Connect-KratixPlatform -MaxOutputBytes", warning);
        Assert.Empty(platform.GetWorks("default"));
        Assert.Equal(storeBefore, f.RemoteFiles());

        // Raised, the same pipeline succeeds: it was the limit that refused it.
        PlatformSettings.Load(f.Home).With(maxOutputBytes: 2000).Save(f.Home);
        using var raised = new EmbeddedPlatform(EmbeddedPlatform.OptionsFor(f.Home, f.Log));
        Assert.True(raised.SyncRequest("thing", "default", "example").Conditions.IsTrue("Reconciled"));
        Assert.Equal(new string('b', 600), f.RemoteFile("dev/resources/default/thing/example/big/5058f/b.yaml"));
    }
}
