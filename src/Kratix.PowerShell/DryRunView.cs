using System.Management.Automation;
using Kratix.Platforms;

namespace Kratix.PowerShell;

/// <summary>
/// How a dry run is shown: Compare-KratixRequest and Compare-KratixPromise output one Kratix.DryRunChange per file
/// (Change, Destination, StateStore, Path, Diff, and Subject: what was dry-run); -WhatIf on New-, Set-KratixRequest
/// and Install-KratixPromise says the same as one "What if:" line per file.
/// </summary>
internal static class DryRunView
{
    public const string TypeName = "Kratix.DryRunChange";

    public static PSObject Wrap(DryRunResult result, DryRunChange change)
    {
        var wrapped = new PSObject(change with { Subject = result.Subject });
        wrapped.TypeNames.Insert(0, TypeName);
        return wrapped;
    }

    /// <summary>The "What if:" line of one file, e.g. <c>Thing default/example: would change "dev/…/config.yaml" at Destination "dev" (GitStateStore "default").</c></summary>
    public static string Describe(DryRunResult result, DryRunChange change)
    {
        var verb = change.Change switch
        {
            DryRunChange.Added => "add",
            DryRunChange.Removed => "remove",
            _ => "change",
        };
        var where = change.StateStore.Length > 0
            ? (change.Destination.Length > 0 ? $" at Destination \"{change.Destination}\"" : string.Empty) + $" ({change.StateStoreKind} \"{change.StateStore}\")"
            : $" in the Work of pipeline \"{change.Pipeline}\"";
        return $"{result.Subject}: would {verb} \"{change.Path}\"{where}.";
    }

    /// <summary>What a dry run that changes nothing says under -WhatIf.</summary>
    public static string NoChange(DryRunResult result) => $"{result.Subject}: would change no file in any state store.";

    /// <summary>A workflow that failed in the dry run: its files are missing from what the dry run shows.</summary>
    public static KratixException Failure(string failure) => new(
        "DryRunWorkflowFailed",
        KratixErrorCategory.InvalidResult,
        $"In the dry run, the configure workflow of {failure}. The files it would write are not shown; Get-KratixPipelineLog shows a real run's logs.",
        failure);

    /// <summary>-WhatIf given, or $WhatIfPreference set and -WhatIf not given as false.</summary>
    public static bool IsWhatIf(PSCmdlet cmdlet)
    {
        if (cmdlet.MyInvocation.BoundParameters.TryGetValue("WhatIf", out var given))
        {
            return given is SwitchParameter { IsPresent: true } || given is true;
        }

        return LanguagePrimitives.IsTrue(cmdlet.SessionState.PSVariable.GetValue("WhatIfPreference"));
    }
}
