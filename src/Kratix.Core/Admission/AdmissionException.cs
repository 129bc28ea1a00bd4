namespace Kratix.Admission;

/// <summary>An object was refused; <see cref="Problems"/> lists every failing field, Kubernetes style (<c>spec.path: Required value</c>).</summary>
public sealed class AdmissionException : KratixException
{
    public AdmissionException(string errorId, string what, IReadOnlyList<string> problems, object? target = null, Exception? inner = null)
        : base(errorId, KratixErrorCategory.InvalidData, $"{what} is invalid:\n  " + string.Join("\n  ", problems), target, inner)
    {
        Problems = problems;
    }

    public IReadOnlyList<string> Problems { get; }

    /// <summary>
    /// A refused request: <c>RequestBadRequest</c> with the API server's message when it could not be decoded (a strict
    /// decoding error, malformed metadata), else <c>RequestInvalid</c> listing every field error; each prefixed with
    /// where it is in <paramref name="source"/> when the request came from a document.
    /// </summary>
    public static AdmissionException ForRequest(string kind, string name, Schema.ValidationResult result, Manifests.ManifestDocument? source)
    {
        var problems = result.Problems(Locator(source));
        return result.DecodeError is not null
            ? new AdmissionException("RequestBadRequest", problems[0], problems, name, true)
            : new AdmissionException("RequestInvalid", $"{kind} \"{name}\"", problems, name);
    }

    /// <summary>Maps a field path to its <c>file:line:column</c> in <paramref name="source"/>, or to nothing without one.</summary>
    public static Func<string, string?>? Locator(Manifests.ManifestDocument? source) =>
        source is null ? null : field => (field.Length == 0 ? source.Start : source.Locate(field)).ToString();

    private AdmissionException(string errorId, string message, IReadOnlyList<string> problems, object? target, bool _)
        : base(errorId, KratixErrorCategory.InvalidData, message, target)
    {
        Problems = problems;
    }
}
