using System.Management.Automation;

namespace Kratix.PowerShell.Completion;

/// <summary>
/// Validates like [ValidateSet] (one of a fixed list, case-insensitive) but leaves tab completion to the parameter's
/// [ArgumentCompleter]: PowerShell completes a [ValidateSet] parameter from its values and never asks a completer, so a
/// completer that adds tooltips or narrows the list (to the workflows a Promise defines) needs this instead.
/// </summary>
[AttributeUsage(AttributeTargets.Property | AttributeTargets.Field)]
public sealed class ValidateChoiceAttribute(params string[] validValues) : ValidateEnumeratedArgumentsAttribute
{
    public IReadOnlyList<string> ValidValues { get; } = validValues;

    protected override void ValidateElement(object element)
    {
        var value = (element is PSObject ps ? ps.BaseObject : element) as string;
        if (value is null || !ValidValues.Contains(value, StringComparer.OrdinalIgnoreCase))
        {
            throw new ValidationMetadataException($"\"{element}\" is not one of {string.Join(", ", ValidValues)}. Supply one of them and try the command again.");
        }
    }
}
