namespace Kratix;

/// <summary>What kind of failure a <see cref="KratixException"/> is; the cmdlet layer maps it to an ErrorCategory.</summary>
public enum KratixErrorCategory
{
    NotSpecified,
    InvalidArgument,
    InvalidData,
    ObjectNotFound,
    ResourceExists,
    ResourceUnavailable,
    InvalidOperation,
    PermissionDenied,
    ConnectionError,
    OperationStopped,
    LimitsExceeded,
    WriteError,
    ParserError,
    ReadError,
    OperationTimeout,
    InvalidResult,
}

/// <summary>
/// Every failure the engine reports to a user. <see cref="ErrorId"/> is stable (scripts and Pester tests match on it);
/// the message says what was wrong, where (file, line, field) and what to do.
/// </summary>
public class KratixException : Exception
{
    public KratixException(string errorId, KratixErrorCategory category, string message, object? target = null, Exception? inner = null)
        : base(message, inner)
    {
        ErrorId = errorId;
        Category = category;
        Target = target;
    }

    /// <summary>A stable identifier such as <c>ManifestParseError</c>.</summary>
    public string ErrorId { get; }

    public KratixErrorCategory Category { get; }

    /// <summary>The object the error is about (a path, a name, a manifest), for the ErrorRecord's TargetObject.</summary>
    public object? Target { get; }
}
