using System.Management.Automation;

namespace Kratix.PowerShell;

/// <summary>-Name filtering with wildcards, and the "not found" error Get-* cmdlets give for an exact name that matched nothing.</summary>
internal static class NameFilter
{
    public static bool Matches(string[]? patterns, string? value) =>
        patterns is null || patterns.Length == 0 || patterns.Any(p => WildcardPattern.Get(p, WildcardOptions.IgnoreCase).IsMatch(value ?? string.Empty));

    public static void ReportMissing(Cmdlet cmdlet, string[]? patterns, IEnumerable<string> names, string what, string errorId)
    {
        var all = names.ToList();
        foreach (var pattern in patterns ?? [])
        {
            if (!WildcardPattern.ContainsWildcardCharacters(pattern) && !all.Contains(pattern, StringComparer.OrdinalIgnoreCase))
            {
                cmdlet.WriteError(new ErrorRecord(
                    new ItemNotFoundException($"{what} \"{pattern}\" was not found on this platform."),
                    errorId,
                    ErrorCategory.ObjectNotFound,
                    pattern));
            }
        }
    }
}
