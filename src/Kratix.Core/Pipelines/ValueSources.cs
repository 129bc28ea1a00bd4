using System.Collections;
using System.Globalization;

namespace Kratix.Pipelines;

/// <summary>
/// ConfigMaps and Secrets that <c>env[].valueFrom</c> and <c>envFrom</c> may name, by name (the namespace is not
/// consulted: a local run has one). Secret values only ever reach a container through its environment.
/// </summary>
public sealed record ValueSources(
    IReadOnlyDictionary<string, IReadOnlyDictionary<string, string>> ConfigMaps,
    IReadOnlyDictionary<string, IReadOnlyDictionary<string, string>> Secrets)
{
    /// <summary>What replaces a Secret value in text that may reach a message or a log.</summary>
    public const string Mask = "***";

    /// <summary>Secret values shorter than this are not masked: masking every "a" or "1" would make text unreadable.</summary>
    public const int MinimumMaskedLength = 3;

    /// <summary>
    /// What <c>valueFrom.fieldRef</c> reads, by field path (<c>metadata.namespace</c>, <c>metadata.name</c>...): the
    /// Pod the pipeline would run in on a cluster. The executor fills it for each pipeline.
    /// </summary>
    public IReadOnlyDictionary<string, string> PodFields { get; init; } = new Dictionary<string, string>();

    public static ValueSources None { get; } = new(
        new Dictionary<string, IReadOnlyDictionary<string, string>>(),
        new Dictionary<string, IReadOnlyDictionary<string, string>>());

    /// <summary>
    /// Reads <c>name → (key → value)</c> tables, as Invoke-KratixPipeline's -ConfigMap and -Secret take them (hashtables).
    /// Values become strings as Kubernetes stores them: booleans <c>true</c>/<c>false</c>, numbers invariant. Errors name
    /// the ConfigMap or Secret and the key, never a value.
    /// </summary>
    /// <param name="configMaps">ConfigMaps by name, each a table of keys and values; null for none.</param>
    /// <param name="secrets">Secrets by name, like <paramref name="configMaps"/>.</param>
    /// <param name="unwrap">Strips host wrappers (PowerShell's PSObject) from every value.</param>
    public static ValueSources From(IDictionary? configMaps, IDictionary? secrets, Func<object, object?>? unwrap = null) =>
        configMaps is null && secrets is null
            ? None
            : new ValueSources(Read(configMaps, "ConfigMap", unwrap), Read(secrets, "Secret", unwrap));

    /// <summary>
    /// <paramref name="text"/> with every Secret value of at least <see cref="MinimumMaskedLength"/> characters replaced
    /// by <see cref="Mask"/>, longest first, so a value that contains another is masked whole.
    /// </summary>
    public string Redact(string? text)
    {
        if (string.IsNullOrEmpty(text) || Secrets.Count == 0)
        {
            return text ?? string.Empty;
        }

        foreach (var value in Secrets.Values.SelectMany(s => s.Values).Where(v => v.Length >= MinimumMaskedLength).Distinct(StringComparer.Ordinal).OrderByDescending(v => v.Length))
        {
            text = text.Replace(value, Mask, StringComparison.Ordinal);
        }

        return text;
    }

    private static Dictionary<string, IReadOnlyDictionary<string, string>> Read(IDictionary? tables, string kind, Func<object, object?>? unwrap)
    {
        var result = new Dictionary<string, IReadOnlyDictionary<string, string>>(StringComparer.Ordinal);
        foreach (DictionaryEntry table in tables ?? new Hashtable())
        {
            var name = Convert.ToString(Unwrap(table.Key, unwrap), CultureInfo.InvariantCulture) ?? string.Empty;
            if (name.Length == 0)
            {
                throw Invalid(kind, $"A {kind} needs a name: give -{kind} @{{ '<name>' = @{{ '<key>' = '<value>' }} }}.", name);
            }

            if (Unwrap(table.Value, unwrap) is not IDictionary entries)
            {
                throw Invalid(kind, $"{kind} \"{name}\" must be a hashtable of keys and values, as in -{kind} @{{ '{name}' = @{{ '<key>' = '<value>' }} }}.", name);
            }

            var values = new Dictionary<string, string>(StringComparer.Ordinal);
            foreach (DictionaryEntry entry in entries)
            {
                var key = Convert.ToString(Unwrap(entry.Key, unwrap), CultureInfo.InvariantCulture) ?? string.Empty;
                values[key] = Unwrap(entry.Value, unwrap) switch
                {
                    null => string.Empty,
                    bool b => b ? "true" : "false",
                    string s => s,
                    IConvertible c when c is not char => c.ToString(CultureInfo.InvariantCulture),
                    char ch => ch.ToString(),
                    _ => throw Invalid(kind, $"{kind} \"{name}\" key \"{key}\" must have a text, number or boolean value.", name),
                };
            }

            result[name] = values;
        }

        return result;
    }

    private static object? Unwrap(object? value, Func<object, object?>? unwrap) => value is not null && unwrap is not null ? unwrap(value) : value;

    private static KratixException Invalid(string kind, string message, string name) =>
        new($"{kind}Invalid", KratixErrorCategory.InvalidArgument, message, name);
}
