namespace Kratix.PowerShell;

/// <summary>
/// The values of -FieldValidation (New-, Set-, Test-KratixRequest and Connect-KratixPlatform), as strings: a cmdlet
/// parameter cannot have a Kratix.Core type, which loads in the module's own load context.
/// </summary>
internal static class FieldValidationNames
{
    public const string Strict = "Strict";
    public const string Warn = "Warn";
    public const string Ignore = "Ignore";

    /// <summary>The engine's mode for a -FieldValidation value (null when not given).</summary>
    public static Kratix.Schema.FieldValidationMode? ToMode(string? value) =>
        value is null ? null : Enum.Parse<Kratix.Schema.FieldValidationMode>(value, ignoreCase: true);
}
