using System.Globalization;
using System.Text.RegularExpressions;

namespace Kratix.HelpCompiler;

/// <summary>
/// Reads a parameter's ```yaml block as platyPS writes it: one "Key: value" a line, every key below present once and no
/// other. Values are checked here (True/False, Named or a number, the pipeline input forms) so that a typo fails the
/// build at its line rather than showing in Get-Help.
/// </summary>
public static partial class ParameterYaml
{
    public static IReadOnlyList<string> Keys { get; } =
        ["Type", "Parameter Sets", "Aliases", "Required", "Position", "Default value", "Accept pipeline input", "Accept wildcard characters"];

    /// <summary>Keys platyPS writes only for some parameters.</summary>
    public static IReadOnlyList<string> OptionalKeys { get; } = ["Accepted values"];

    public static ParameterUsage Read(MarkdownBlock block, string parameter, string file)
    {
        if (!block.Info.Equals("yaml", StringComparison.OrdinalIgnoreCase))
        {
            throw new HelpFormatException(file, block.Line, $"The metadata of -{parameter} must be a ```yaml block, not ```{block.Info}.");
        }

        var values = new Dictionary<string, (string Value, int Line)>(StringComparer.Ordinal);
        var lines = block.Text.Split('\n');
        for (var i = 0; i < lines.Length; i++)
        {
            var line = lines[i].Trim();
            var at = block.Line + 1 + i;
            if (line.Length == 0)
            {
                continue;
            }

            var colon = line.IndexOf(':', StringComparison.Ordinal);
            var key = colon < 0 ? line : line[..colon].Trim();
            if (colon < 0 || !(Keys.Contains(key, StringComparer.Ordinal) || OptionalKeys.Contains(key, StringComparer.Ordinal)))
            {
                throw new HelpFormatException(file, at, $"\"{line}\" is not one of the yaml keys of a parameter ({string.Join(", ", Keys.Concat(OptionalKeys))}), as \"Key: value\".");
            }

            if (!values.TryAdd(key, (line[(colon + 1)..].Trim(), at)))
            {
                throw new HelpFormatException(file, at, $"The yaml of -{parameter} gives \"{key}\" twice.");
            }
        }

        if (Keys.FirstOrDefault(k => !values.ContainsKey(k)) is { } missing)
        {
            throw new HelpFormatException(file, block.Line, $"The yaml of -{parameter} has no \"{missing}:\" line.");
        }

        var type = values["Type"];
        if (type.Value.Length == 0)
        {
            throw new HelpFormatException(file, type.Line, $"-{parameter} has no Type.");
        }

        var sets = List(values["Parameter Sets"].Value);
        if (sets.Count == 0)
        {
            throw new HelpFormatException(file, values["Parameter Sets"].Line, $"-{parameter} is in no parameter set: give the sets' names, or {ParameterUsage.AllSets}.");
        }

        var defaultValue = values["Default value"].Value;
        return new ParameterUsage(
            type.Value,
            sets,
            List(values["Aliases"].Value),
            Boolean(values["Required"], file),
            Position(values["Position"], file),
            defaultValue.Length == 0 ? "None" : defaultValue,
            PipelineInput(values["Accept pipeline input"], file),
            Boolean(values["Accept wildcard characters"], file),
            block.Line)
        {
            AcceptedValues = values.TryGetValue("Accepted values", out var accepted) ? List(accepted.Value) : [],
        };
    }

    private static List<string> List(string value) =>
        value.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries).ToList();

    private static bool Boolean((string Value, int Line) value, string file) => value.Value.ToLowerInvariant() switch
    {
        "true" => true,
        "false" => false,
        _ => throw new HelpFormatException(file, value.Line, $"\"{value.Value}\" is not True or False."),
    };

    private static int? Position((string Value, int Line) value, string file)
    {
        if (value.Value.Equals("Named", StringComparison.OrdinalIgnoreCase))
        {
            return null;
        }

        return int.TryParse(value.Value, NumberStyles.None, CultureInfo.InvariantCulture, out var position)
            ? position
            : throw new HelpFormatException(file, value.Line, $"The position \"{value.Value}\" is not Named or a number from 0.");
    }

    /// <summary>False, or True with ByValue and/or ByPropertyName, normalised to "True (ByValue, ByPropertyName)" order.</summary>
    private static string PipelineInput((string Value, int Line) value, string file)
    {
        if (value.Value.Equals("False", StringComparison.OrdinalIgnoreCase))
        {
            return "False";
        }

        var match = PipelineForm().Match(value.Value);
        if (!match.Success)
        {
            throw new HelpFormatException(file, value.Line, $"\"{value.Value}\" is not False, True (ByValue), True (ByPropertyName) or True (ByValue, ByPropertyName).");
        }

        var kinds = match.Groups[1].Value.Split(',', StringSplitOptions.TrimEntries);
        var byValue = kinds.Contains("ByValue", StringComparer.OrdinalIgnoreCase);
        var byName = kinds.Contains("ByPropertyName", StringComparer.OrdinalIgnoreCase);
        return "True (" + string.Join(", ", new[] { byValue ? "ByValue" : null, byName ? "ByPropertyName" : null }.OfType<string>()) + ")";
    }

    [GeneratedRegex(@"^True \(((?:ByValue|ByPropertyName)(?:, *(?:ByValue|ByPropertyName))?)\)$", RegexOptions.IgnoreCase)]
    private static partial Regex PipelineForm();
}
