using System.Text.Json.Nodes;

namespace Kratix.ApiServerDouble;

/// <summary>
/// A label selector in the API's string form: <c>a=b</c>, <c>a==b</c>, <c>a!=b</c>, <c>a in (x,y)</c>,
/// <c>a notin (x,y)</c>, <c>a</c>, <c>!a</c>, comma-separated (all must hold).
/// </summary>
public sealed class LabelSelector
{
    private readonly List<Func<IReadOnlyDictionary<string, string>, bool>> requirements = [];

    public static readonly LabelSelector Everything = new();

    public bool IsEmpty => requirements.Count == 0;

    public static LabelSelector Parse(string? text)
    {
        var selector = new LabelSelector();
        if (string.IsNullOrWhiteSpace(text))
        {
            return selector;
        }

        foreach (var raw in SplitTopLevel(text))
        {
            string part = raw.Trim();
            if (part.Length == 0)
            {
                throw StatusErrors.BadRequest("unable to parse requirement: found '', expected: identifier");
            }

            selector.requirements.Add(ParseRequirement(part));
        }

        return selector;
    }

    public bool Matches(IReadOnlyDictionary<string, string> labels) => requirements.All(r => r(labels));

    private static Func<IReadOnlyDictionary<string, string>, bool> ParseRequirement(string part)
    {
        if (part.StartsWith('!'))
        {
            string key = CheckKey(part[1..].Trim());
            return l => !l.ContainsKey(key);
        }

        int setOp = IndexOfWord(part, " notin ");
        bool notIn = setOp >= 0;
        if (setOp < 0)
        {
            setOp = IndexOfWord(part, " in ");
        }

        if (setOp >= 0)
        {
            string key = CheckKey(part[..setOp].Trim());
            string rest = part[(setOp + (notIn ? 7 : 4))..].Trim();
            if (!rest.StartsWith('(') || !rest.EndsWith(')'))
            {
                throw StatusErrors.BadRequest("unable to parse requirement: found '" + rest + "', expected: '('");
            }

            var values = rest[1..^1].Split(',').Select(v => v.Trim()).ToHashSet(StringComparer.Ordinal);
            return notIn ? l => !l.TryGetValue(key, out var v) || !values.Contains(v) : l => l.TryGetValue(key, out var v) && values.Contains(v);
        }

        int ne = part.IndexOf("!=", StringComparison.Ordinal);
        if (ne >= 0)
        {
            string key = CheckKey(part[..ne].Trim());
            string value = part[(ne + 2)..].Trim();
            return l => !l.TryGetValue(key, out var v) || v != value;
        }

        int eq = part.IndexOf('=');
        if (eq >= 0)
        {
            string key = CheckKey(part[..eq].Trim());
            string value = part[(eq + (part.AsSpan(eq).StartsWith("==") ? 2 : 1))..].Trim();
            return l => l.TryGetValue(key, out var v) && v == value;
        }

        if (part.Contains('<') || part.Contains('>'))
        {
            throw StatusErrors.BadRequest("unable to parse requirement: the double does not support the gt and lt operators: " + part);
        }

        string exists = CheckKey(part);
        return l => l.ContainsKey(exists);
    }

    private static string CheckKey(string key)
    {
        if (key.Length == 0 || key.Any(char.IsWhiteSpace) || Kratix.Schema.ApiServerAdmission.QualifiedNameErrors(key) is { Count: > 0 })
        {
            throw StatusErrors.BadRequest("unable to parse requirement: invalid label key \"" + key + "\": name part must consist of alphanumeric characters, '-', '_' or '.', and must start and end with an alphanumeric character");
        }

        return key;
    }

    private static int IndexOfWord(string s, string word) => s.IndexOf(word, StringComparison.Ordinal);

    private static IEnumerable<string> SplitTopLevel(string text)
    {
        int depth = 0, start = 0;
        for (int i = 0; i < text.Length; i++)
        {
            if (text[i] == '(')
            {
                depth++;
            }
            else if (text[i] == ')')
            {
                depth--;
            }
            else if (text[i] == ',' && depth == 0)
            {
                yield return text[start..i];
                start = i + 1;
            }
        }

        yield return text[start..];
    }
}

/// <summary>
/// A field selector: <c>metadata.name=x</c>, <c>metadata.namespace!=y</c>, and the type's selectable fields
/// (<c>status.phase</c> for pods and namespaces, <c>type</c> for secrets, a CRD's <c>selectableFields</c>).
/// </summary>
public sealed class FieldSelector
{
    private readonly List<(string Path, string Value, bool Equal)> terms = [];

    public static readonly FieldSelector Everything = new();

    public static FieldSelector Parse(string? text, ResourceType type)
    {
        var selector = new FieldSelector();
        if (string.IsNullOrWhiteSpace(text))
        {
            return selector;
        }

        foreach (var raw in text.Split(','))
        {
            string part = raw.Trim();
            int ne = part.IndexOf("!=", StringComparison.Ordinal);
            int eq = part.IndexOf('=');
            if (ne < 0 && eq < 0)
            {
                throw StatusErrors.BadRequest("invalid selector: '" + text + "'; can't understand '" + part + "'");
            }

            string field = (ne >= 0 ? part[..ne] : part[..eq]).Trim();
            string value = (ne >= 0 ? part[(ne + 2)..] : part[(eq + (part.AsSpan(eq).StartsWith("==") ? 2 : 1))..]).Trim();
            string path;
            if (field is "metadata.name" or "metadata.namespace")
            {
                path = "." + field;
            }
            else if (type.SelectableFields.TryGetValue(field, out var p))
            {
                path = p.StartsWith('.') ? p : "." + p;
            }
            else
            {
                throw StatusErrors.BadRequest("field label not supported: " + field);
            }

            selector.terms.Add((path, value, ne < 0));
        }

        return selector;
    }

    public bool Matches(JsonObject obj) => terms.All(t =>
    {
        var node = Json.SimplePath(obj, t.Path);
        string actual = node is null ? string.Empty : Json.Str(node) ?? node.ToJsonString();
        return (actual == t.Value) == t.Equal;
    });
}
