using Kratix.Pipelines;

namespace Kratix.Core.Tests.Pipelines;

/// <summary>Go's time.ParseDuration, which upstream applies to workflow-control.yaml's retryAfter (lib/workflow_control.go).</summary>
public class GoDurationTests
{
    public static TheoryData<string, TimeSpan> Valid() => new()
    {
        { "1h30m", TimeSpan.FromMinutes(90) },
        { "10m", TimeSpan.FromMinutes(10) },
        { "1.5s", TimeSpan.FromMilliseconds(1500) },
        { "300ms", TimeSpan.FromMilliseconds(300) },
        { "-2m", TimeSpan.FromMinutes(-2) },
        { "+5s", TimeSpan.FromSeconds(5) },
        { "0", TimeSpan.Zero },
        { "-0", TimeSpan.Zero },
        { "+0", TimeSpan.Zero },
        { "0s", TimeSpan.Zero },
        { ".5s", TimeSpan.FromMilliseconds(500) },
        { "5.s", TimeSpan.FromSeconds(5) },
        { "1h1m1s1ms1us", new TimeSpan(0, 1, 1, 1, 1, 1) },
        { "2µs", TimeSpan.FromTicks(20) },
        { "2μs", TimeSpan.FromTicks(20) },
        { "100ns", TimeSpan.FromTicks(1) },
        { "1m30s30s", TimeSpan.FromMinutes(2) },
        { "72h", TimeSpan.FromDays(3) },
        { "2562047h", TimeSpan.FromHours(2562047) },
        { "0.7s", TimeSpan.FromMilliseconds(700) },
        { "2.3h", TimeSpan.FromMinutes(138) },
        { "1.1ms", TimeSpan.FromMicroseconds(1100) },
        { "0.1s", TimeSpan.FromMilliseconds(100) },
    };

    [Theory]
    [MemberData(nameof(Valid))]
    public void Parses_what_Go_parses(string text, TimeSpan expected)
    {
        Assert.True(GoDuration.TryParse(text, out var duration), text);
        Assert.Equal(expected, duration);
    }

    [Theory]
    [InlineData("")]
    [InlineData("5")]
    [InlineData("00")]
    [InlineData("1x")]
    [InlineData("h")]
    [InlineData("-")]
    [InlineData(".")]
    [InlineData(".s")]
    [InlineData("1.5.5s")]
    [InlineData("1h 30m")]
    [InlineData(" 1h")]
    [InlineData("1h ")]
    [InlineData("1H")]
    [InlineData("1d")]
    [InlineData("1e3s")]
    [InlineData("1h-30m")]
    [InlineData("whale")]
    [InlineData("2562048h")]
    [InlineData("9999999999h")]
    public void Refuses_what_Go_refuses(string text)
    {
        Assert.False(GoDuration.TryParse(text, out _), text);
    }
}
