using Kratix.Objects;

namespace Kratix.Platforms;

/// <summary>What became of one submitted request: the request as stored, or why it was refused or failed (or both).</summary>
/// <param name="Request">The request as stored; null when it was refused before being stored.</param>
/// <param name="Error">Why it was refused or could not be reconciled; null when it was.</param>
public sealed record RequestOutcome(ResourceRequest? Request, KratixException? Error)
{
    /// <summary>The request, or its error thrown.</summary>
    public ResourceRequest RequestOrThrow() =>
        Error is not null ? throw Error : Request ?? throw new InvalidOperationException("A request outcome has neither a request nor an error.");
}
