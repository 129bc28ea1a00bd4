using System.Collections;
using System.Globalization;
using Kratix.Pipelines.Runtimes;

namespace Kratix.Pipelines;

/// <summary>
/// Reads the Host runtime's image map as the cmdlets take it (-ImageMap): a table from image reference to a folder
/// path, or to a table with <c>Path</c> and optionally <c>Entrypoint</c> and <c>Cmd</c> (a string or a list of strings
/// each), keys in any case.
/// </summary>
public static class HostImageMap
{
    public const string InvalidErrorId = "ImageMapInvalid";

    /// <param name="map">The table; null gives an empty map.</param>
    /// <param name="resolvePath">Makes a folder path absolute (the cmdlets resolve it against the current PowerShell location).</param>
    /// <param name="unwrap">Strips host wrappers (PowerShell's PSObject) and turns host objects into dictionaries.</param>
    public static IReadOnlyDictionary<string, HostImage> From(IDictionary? map, Func<string, string> resolvePath, Func<object, object?>? unwrap = null)
    {
        var images = new Dictionary<string, HostImage>(StringComparer.Ordinal);
        foreach (DictionaryEntry entry in map ?? new Hashtable())
        {
            var reference = Convert.ToString(Unwrap(entry.Key, unwrap), CultureInfo.InvariantCulture) ?? string.Empty;
            if (reference.Length == 0)
            {
                throw Invalid("An image map entry needs an image reference as its key, as in @{ 'ghcr.io/org/image:v1' = './image' }.", reference);
            }

            images[reference] = Unwrap(entry.Value, unwrap) switch
            {
                string path when path.Length > 0 => new HostImage(resolvePath(path)),
                FileSystemInfo folder => new HostImage(folder.FullName),
                IDictionary table => FromTable(reference, table, resolvePath, unwrap),
                _ => throw Invalid($"Image \"{reference}\" must map to a folder path, or to @{{ Path = '<folder>'; Entrypoint = @(...); Cmd = @(...) }}.", reference),
            };
        }

        return images;
    }

    private static HostImage FromTable(string reference, IDictionary table, Func<string, string> resolvePath, Func<object, object?>? unwrap)
    {
        string? path = null;
        IReadOnlyList<string>? entrypoint = null;
        IReadOnlyList<string>? cmd = null;
        foreach (DictionaryEntry field in table)
        {
            var name = Convert.ToString(Unwrap(field.Key, unwrap), CultureInfo.InvariantCulture) ?? string.Empty;
            var value = Unwrap(field.Value, unwrap);
            switch (name.ToUpperInvariant())
            {
                case "PATH":
                    path = value switch
                    {
                        string s when s.Length > 0 => resolvePath(s),
                        FileSystemInfo folder => folder.FullName,
                        _ => throw Invalid($"Image \"{reference}\": Path must be a folder path.", reference),
                    };
                    break;
                case "ENTRYPOINT":
                    entrypoint = Strings(reference, "Entrypoint", value, unwrap);
                    break;
                case "CMD":
                    cmd = Strings(reference, "Cmd", value, unwrap);
                    break;
                default:
                    throw Invalid($"Image \"{reference}\": unknown key \"{name}\"; an entry takes Path, Entrypoint and Cmd.", reference);
            }
        }

        return new HostImage(path ?? throw Invalid($"Image \"{reference}\" has no Path: give the folder laid out like the image.", reference), entrypoint, cmd);
    }

    private static List<string>? Strings(string reference, string field, object? value, Func<object, object?>? unwrap) => value switch
    {
        null => null,
        string s => [s],
        IEnumerable many => many.Cast<object?>().Select(v => Convert.ToString(Unwrap(v, unwrap), CultureInfo.InvariantCulture) ?? string.Empty).ToList(),
        _ => throw Invalid($"Image \"{reference}\": {field} must be a string or a list of strings.", reference),
    };

    private static object? Unwrap(object? value, Func<object, object?>? unwrap) => value is not null && unwrap is not null ? unwrap(value) : value;

    private static KratixException Invalid(string message, string target) => new(InvalidErrorId, KratixErrorCategory.InvalidArgument, message, target);
}
