using System.Management.Automation;

namespace Kratix.PowerShell.Cmdlets;

/// <summary>
/// The Promise author's cmdlets (docs/authoring.md): they work on a Promise's source folder, never on a platform, so
/// -Platform (from <see cref="KratixCmdlet"/>) is unused. Engine errors become non-terminating ErrorRecords, a folder
/// that cannot be written a WriteError.
/// </summary>
public abstract class AuthoringCmdlet : KratixCmdlet
{
    /// <summary>A path as PowerShell resolves it (relative to the current location, ~ expanded), existing or not.</summary>
    protected string Resolve(string path) => SessionState.Path.GetUnresolvedProviderPathFromPSPath(path);

    /// <summary>The module's PowerShell SDK folder (Sdk/Kratix.Sdk beside the cmdlet assembly).</summary>
    protected string SdkFolder => System.IO.Path.Combine(
        System.IO.Path.GetDirectoryName(typeof(AuthoringCmdlet).Assembly.Location)!, "Sdk", "Kratix.Sdk");

    /// <summary>Runs an engine call; a KratixException or an I/O failure is written as an error for <paramref name="target"/>.</summary>
    protected void Run(object? target, Action action)
    {
        try
        {
            action();
        }
        catch (KratixException ex)
        {
            Report(ex, target);
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            WriteError(new ErrorRecord(ex, "PromiseFolderWriteFailed", ErrorCategory.WriteError, target));
        }
    }
}
