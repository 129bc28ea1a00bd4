namespace Kratix.Tests.Workflows;

/// <summary>A clock the test moves by hand, so retry times can pass without waiting.</summary>
public sealed class ManualClock(DateTimeOffset start) : TimeProvider
{
    public DateTimeOffset Now { get; private set; } = start;

    public override DateTimeOffset GetUtcNow() => Now;

    public void Advance(TimeSpan by) => Now += by;
}
