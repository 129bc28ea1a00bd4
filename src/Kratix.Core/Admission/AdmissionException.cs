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
}
