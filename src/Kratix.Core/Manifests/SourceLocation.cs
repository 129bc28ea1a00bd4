namespace Kratix.Manifests;

/// <summary>Where something was read from: a file (or a name such as <c>&lt;string&gt;</c>), a 1-based line and column.</summary>
public readonly record struct SourceLocation(string Source, int Line, int Column)
{
    public override string ToString() => $"{Source}:{Line}:{Column}";
}
