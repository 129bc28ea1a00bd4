namespace Kratix.Schema;

/// <summary>
/// What <see cref="RequestValidator.Validate"/> found: every error (in a deterministic order) and the warnings the API
/// server would have sent back (pruned unknown fields, deprecated versions, CEL rules that are not enforced).
/// </summary>
public sealed class ValidationResult
{
    internal ValidationResult(IReadOnlyList<FieldError> errors, IReadOnlyList<string> warnings)
    {
        Errors = errors;
        Warnings = warnings;
    }

    /// <summary>Every problem found, in a deterministic order.</summary>
    public IReadOnlyList<FieldError> Errors { get; }

    /// <summary>Warnings, e.g. <c>unknown field "spec.foo"</c>.</summary>
    public IReadOnlyList<string> Warnings { get; }

    /// <summary>True when there is no error (warnings do not count).</summary>
    public bool IsValid => Errors.Count == 0;

    /// <summary>All errors, one per line, each as Kubernetes prints it.</summary>
    public override string ToString() => string.Join(Environment.NewLine, Errors.Select(e => e.ToString()));
}
