namespace Kratix.Schema;

/// <summary>
/// What <see cref="RequestValidator.Validate(System.Text.Json.Nodes.JsonObject, CustomResourceDefinition, RequestValidationOptions?)"/>
/// found: the API server's Bad Request message when the request could not be decoded (<see cref="DecodeError"/>), else
/// every field error (in a deterministic order), and the warnings the API server would have sent back (unknown fields
/// and duplicate keys under <see cref="FieldValidationMode.Warn"/>, deprecated versions).
/// </summary>
public sealed class ValidationResult
{
    internal ValidationResult(IReadOnlyList<FieldError> errors, IReadOnlyList<string> warnings, string? decodeError = null)
    {
        Errors = errors;
        Warnings = warnings;
        DecodeError = decodeError;
    }

    /// <summary>Every problem found, in a deterministic order.</summary>
    public IReadOnlyList<FieldError> Errors { get; }

    /// <summary>Warnings, e.g. <c>unknown field "spec.foo"</c>.</summary>
    public IReadOnlyList<string> Warnings { get; }

    /// <summary>
    /// The API server's message when it answers 400 Bad Request because it cannot decode the request, e.g.
    /// <c>Redis in version "v1" cannot be handled as a Redis: strict decoding error: unknown field "spec.foo"</c>
    /// (<see cref="FieldValidationMode.Strict"/>) or <c>... json: cannot unmarshal string into Go value of type
    /// v1.ObjectMeta</c>. Nothing else is checked then, so <see cref="Errors"/> is empty.
    /// </summary>
    public string? DecodeError { get; }

    /// <summary>True when there is no error (warnings do not count).</summary>
    public bool IsValid => Errors.Count == 0 && DecodeError is null;

    /// <summary>
    /// Each problem on a line of its own, as a user reads them: the decode error, or each field error; prefixed with
    /// <c>file:line:column</c> when the request came from a document (<paramref name="locate"/> maps a field path to it).
    /// </summary>
    public IReadOnlyList<string> Problems(Func<string, string?>? locate = null)
    {
        if (DecodeError is not null)
        {
            return [Prefix(locate?.Invoke(string.Empty)) + DecodeError];
        }

        return Errors.Select(e => Prefix(locate?.Invoke(e.Field)) + e).ToList();
    }

    /// <summary>All problems, one per line, each as Kubernetes prints it.</summary>
    public override string ToString() => DecodeError ?? string.Join(Environment.NewLine, Errors.Select(e => e.ToString()));

    private static string Prefix(string? location) => string.IsNullOrEmpty(location) ? string.Empty : location + ": ";
}
