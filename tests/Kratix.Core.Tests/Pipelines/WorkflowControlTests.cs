using Kratix.Pipelines;

namespace Kratix.Core.Tests.Pipelines;

/// <summary>
/// metadata/workflow-control.yaml as upstream reads it (work-creator/lib/workflow_control.go, its test and
/// samples/workflow-control; behaviour.md §5.4): suspend, retryAfter (a Go duration, wins), message.
/// </summary>
public class WorkflowControlTests
{
    private const string Source = "pipeline \"approve\" metadata/workflow-control.yaml";

    [Fact]
    public void Reads_upstreams_retry_sample()
    {
        // samples/workflow-control/workflow-control-with-retry.yaml
        var control = WorkflowControl.Parse("retryAfter: 10m\nmessage: \"ananas\"\nsuspend: true", Source);

        Assert.Equal("ananas", control.Message);
        Assert.True(control.Suspend);
        Assert.Equal(TimeSpan.FromMinutes(10), control.RetryAfter);
        Assert.True(control.SuspendsOrRetries);
    }

    [Fact]
    public void Reads_upstreams_suspend_sample()
    {
        // samples/complete-with-suspend/metadata/workflow-control.yaml
        var control = WorkflowControl.Parse("suspend: true\nmessage: waiting for approval\n", Source);

        Assert.True(control.Suspend);
        Assert.Null(control.RetryAfter);
        Assert.Equal("waiting for approval", control.Message);
        Assert.True(control.SuspendsOrRetries);
    }

    [Fact]
    public void A_retry_alone_suspends_or_retries()
    {
        // samples/complete-with-retry/metadata/workflow-control.yaml
        var control = WorkflowControl.Parse("retryAfter: 10m\nmessage: waiting for approval\n", Source);

        Assert.False(control.Suspend);
        Assert.Equal(TimeSpan.FromMinutes(10), control.RetryAfter);
        Assert.True(control.SuspendsOrRetries);
    }

    [Fact]
    public void RetryAfter_takes_a_full_Go_duration()
    {
        Assert.Equal(TimeSpan.FromMinutes(90), WorkflowControl.Parse("retryAfter: 1h30m", Source).RetryAfter);
        Assert.Equal(TimeSpan.FromMilliseconds(1500), WorkflowControl.Parse("retryAfter: \"1.5s\"", Source).RetryAfter);
    }

    [Fact]
    public void An_invalid_retry_duration_is_an_error_naming_the_file_and_the_value()
    {
        // samples/workflow-control/workflow-control-with-invalid-retry.yaml
        var ex = Assert.Throws<KratixException>(() => WorkflowControl.Parse("retryAfter: \"whale\"\nmessage: \"ananas\"", Source));

        Assert.Equal("PipelineWorkflowControlInvalid", ex.ErrorId);
        Assert.Contains("failed to parse retry duration: \"whale\"", ex.Message, StringComparison.Ordinal);
        Assert.Contains(Source, ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void A_retryAfter_that_reads_as_a_number_is_a_duration_without_a_unit()
    {
        // sigs.k8s.io/yaml gives the Go string field "10"; time.ParseDuration("10") fails: "missing unit in duration".
        var ex = Assert.Throws<KratixException>(() => WorkflowControl.Parse("retryAfter: 10\n", Source));

        Assert.Equal("PipelineWorkflowControlInvalid", ex.ErrorId);
        Assert.Contains("\"10\"", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void A_retryAfter_of_number_zero_is_an_immediate_retry()
    {
        // "0" is the one unitless duration Go accepts; a non-empty retryAfter is a retry.
        var control = WorkflowControl.Parse("retryAfter: 0\n", Source);

        Assert.Equal(TimeSpan.Zero, control.RetryAfter);
        Assert.True(control.SuspendsOrRetries);
    }

    [Theory]
    [InlineData("")]
    [InlineData("# nothing to say\n")]
    [InlineData("{}")]
    [InlineData("suspend: false\n")]
    [InlineData("retryAfter: \"\"\n")]
    public void An_empty_file_neither_suspends_nor_retries(string yaml)
    {
        var control = WorkflowControl.Parse(yaml, Source);

        Assert.False(control.Suspend);
        Assert.Null(control.RetryAfter);
        Assert.Null(control.Message);
        Assert.False(control.SuspendsOrRetries);
    }

    [Fact]
    public void A_message_alone_neither_suspends_nor_retries()
    {
        var control = WorkflowControl.Parse("message: hello\n", Source);

        Assert.Equal("hello", control.Message);
        Assert.False(control.SuspendsOrRetries);
    }

    [Fact]
    public void An_empty_message_is_no_message()
    {
        Assert.Null(WorkflowControl.Parse("suspend: true\nmessage: \"\"\n", Source).Message);
    }

    [Fact]
    public void A_message_that_reads_as_a_number_is_text()
    {
        Assert.Equal("42", WorkflowControl.Parse("suspend: true\nmessage: 42\n", Source).Message);
    }

    [Theory]
    [InlineData("- suspend: true\n")]
    [InlineData("suspend: maybe\n")]
    public void A_file_that_is_not_a_workflow_control_mapping_is_an_error_naming_the_file(string yaml)
    {
        var ex = Assert.Throws<KratixException>(() => WorkflowControl.Parse(yaml, Source));

        Assert.Equal("PipelineWorkflowControlInvalid", ex.ErrorId);
        Assert.Contains(Source, ex.Message, StringComparison.Ordinal);
    }
}
