namespace Kratix.Platforms;

/// <summary>What a dry run (Compare-KratixRequest, -WhatIf) found: each file that would change, and what did not run.</summary>
/// <param name="Subject">What was dry-run, e.g. <c>Thing default/example</c> or <c>Promise thing</c>.</param>
/// <param name="Changes">Every file that would be added, changed or removed, by state store then path.</param>
/// <param name="Failures">The workflows that failed in the dry run (a compound's sub-request's too): their files are missing from <paramref name="Changes"/>.</param>
public sealed record DryRunResult(string Subject, IReadOnlyList<DryRunChange> Changes, IReadOnlyList<string> Failures);

/// <summary>One file a dry run would add, change or remove.</summary>
/// <param name="Change"><see cref="Added"/>, <see cref="Changed"/> or <see cref="Removed"/>.</param>
/// <param name="Destination">The Destination whose directory holds the file; empty when none does (or, on a cluster, the pipeline's Work; see <paramref name="Pipeline"/>).</param>
/// <param name="StateStoreKind">GitStateStore or BucketStateStore; empty on a cluster, whose answer does not say.</param>
/// <param name="StateStore">The state store's name; empty on a cluster.</param>
/// <param name="Path">The file's path from the state store's root (its <c>spec.path</c>); on a cluster, the file's path in its Work.</param>
/// <param name="Before">The file's text now; null when it would be added.</param>
/// <param name="After">Its text after; null when it would be removed.</param>
/// <param name="Diff">The unified diff from before to after (see <see cref="Presentation.UnifiedDiff"/>).</param>
/// <param name="Pipeline">On a cluster, the pipeline whose Work holds the file (upstream's summary is per pipeline); empty on the embedded platform.</param>
public sealed record DryRunChange(string Change, string Destination, string StateStoreKind, string StateStore, string Path, string? Before, string? After, string Diff, string Pipeline = "")
{
    /// <summary>What was dry-run (the <see cref="DryRunResult.Subject"/>), set on each change the cmdlets output.</summary>
    public string Subject { get; init; } = string.Empty;

    public const string Added = "Added";
    public const string Changed = "Changed";
    public const string Removed = "Removed";
}
