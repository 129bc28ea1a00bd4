using Kratix.Objects;
using Kratix.Platforms;

namespace Kratix.Cluster.Tests;

/// <summary>What both backends count as a wait satisfied, and how they say why not.</summary>
public class WaitConditionsTests
{
    private static KubeObject Object(long generation, string status) =>
        new(ClusterHarness.Json($$"""{"metadata":{"name":"x","generation":{{generation}}},"status":{{status}}}"""));

    private static readonly WaitTarget Reconciled = new("redis", "default", "x", "Reconciled");

    [Fact]
    public void A_condition_True_for_the_current_generation_is_met() =>
        Assert.True(WaitConditions.IsMet(Reconciled, Object(2, """{"observedGeneration":2,"conditions":[{"type":"Reconciled","status":"True","reason":"Reconciled","message":""}]}""")));

    [Fact]
    public void A_condition_left_from_an_earlier_generation_is_not()
    {
        var (met, why) = WaitConditions.Check(Reconciled, Object(3, """{"observedGeneration":2,"conditions":[{"type":"Reconciled","status":"True","reason":"Reconciled","message":""}]}"""));
        Assert.False(met);
        Assert.Contains("generation 2, but the object is at generation 3", why, StringComparison.Ordinal);
    }

    [Fact]
    public void A_false_condition_gives_its_reason_and_message()
    {
        var (met, why) = WaitConditions.Check(Reconciled, Object(1, """{"observedGeneration":1,"conditions":[{"type":"Reconciled","status":"False","reason":"ConfigureWorkflowFailed","message":"boom"}]}"""));
        Assert.False(met);
        Assert.Equal("condition Reconciled is False (reason ConfigureWorkflowFailed): boom", why);
    }

    [Fact]
    public void Without_a_configure_workflow_an_observed_request_counts_as_reconciled()
    {
        Assert.True(WaitConditions.IsMet(Reconciled, Object(1, """{"observedGeneration":1,"workflows":0.0}""")));
        Assert.False(WaitConditions.IsMet(Reconciled, Object(2, """{"observedGeneration":1,"workflows":0}""")));
        Assert.False(WaitConditions.IsMet(Reconciled with { Condition = "WorksSucceeded" }, Object(1, """{"observedGeneration":1,"workflows":0}""")));
    }

    [Fact]
    public void A_deletion_is_met_once_the_object_is_gone()
    {
        var deleted = new WaitTarget(null, null, "redis", null);
        Assert.True(WaitConditions.IsMet(deleted, null));
        var terminating = new KubeObject(ClusterHarness.Json("""{"metadata":{"name":"redis","deletionTimestamp":"2026-01-01T00:00:00Z","finalizers":["kratix.io/api-crd-cleanup"]}}"""));
        Assert.Equal((false, "it is still being deleted (finalizers: kratix.io/api-crd-cleanup)"), WaitConditions.Check(deleted, terminating));
    }
}
