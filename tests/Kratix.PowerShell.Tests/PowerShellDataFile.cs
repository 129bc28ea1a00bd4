using System.Globalization;
using System.Text;

namespace Kratix.PowerShell.Tests;

/// <summary>
/// Reads a PowerShell data file (.psd1) the way Import-PowerShellDataFile would for the subset module manifests use:
/// hashtables <c>@{ key = value }</c>, arrays <c>@( ... )</c> and comma lists, single- and double-quoted strings,
/// numbers, <c>$true</c>/<c>$false</c>/<c>$null</c>, and comments. Anything else is an error, as it would be in the
/// restricted language. Hashtables become case-insensitive dictionaries, arrays lists.
/// </summary>
internal sealed class PowerShellDataFile
{
    private readonly string _text;
    private readonly string _source;
    private int _at;

    private PowerShellDataFile(string text, string source)
    {
        _text = text;
        _source = source;
    }

    public static Dictionary<string, object?> Read(string path) => Parse(File.ReadAllText(path), path);

    public static Dictionary<string, object?> Parse(string text, string source = "<string>")
    {
        var reader = new PowerShellDataFile(text, source);
        reader.SkipTrivia(newlines: true);
        var value = reader.ReadValue();
        reader.SkipTrivia(newlines: true);
        if (reader._at != text.Length)
        {
            throw reader.Error("unexpected text after the data");
        }

        return value as Dictionary<string, object?> ?? throw reader.Error("a data file must hold one hashtable");
    }

    /// <summary>A value as a list of strings: a single string is a list of one.</summary>
    public static IReadOnlyList<string> Strings(object? value) => value switch
    {
        null => [],
        string s => [s],
        List<object?> list => list.Select(v => v as string ?? throw new InvalidDataException($"expected strings, found {v}")).ToList(),
        _ => throw new InvalidDataException($"expected a string or a list of strings, found {value}"),
    };

    private object? ReadValue()
    {
        var first = ReadSingle();
        SkipTrivia(newlines: false);
        if (Peek() != ',')
        {
            return first;
        }

        var list = new List<object?> { first };
        while (Peek() == ',')
        {
            _at++;
            SkipTrivia(newlines: true);
            list.Add(ReadSingle());
            SkipTrivia(newlines: false);
        }

        return list;
    }

    private object? ReadSingle()
    {
        var c = Peek();
        if (c == '@' && PeekAt(1) == '{')
        {
            _at += 2;
            return ReadHashtable();
        }

        if (c == '@' && PeekAt(1) == '(')
        {
            _at += 2;
            return ReadArray();
        }

        if (c == '@' && PeekAt(1) is '\'' or '"')
        {
            return ReadHereString();
        }

        if (c == '\'')
        {
            return ReadSingleQuoted();
        }

        if (c == '"')
        {
            return ReadDoubleQuoted();
        }

        if (c == '$')
        {
            var word = ReadWord(1);
            return word.ToLowerInvariant() switch
            {
                "$true" => true,
                "$false" => false,
                "$null" => null,
                _ => throw Error($"variable {word} is not allowed in a data file"),
            };
        }

        if (c is '-' or '+' || char.IsAsciiDigit(c))
        {
            var number = ReadWord(1);
            if (long.TryParse(number, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out var integer))
            {
                return integer;
            }

            if (double.TryParse(number, NumberStyles.Float, CultureInfo.InvariantCulture, out var real))
            {
                return real;
            }

            throw Error($"\"{number}\" is not a number");
        }

        throw Error(c == '\0' ? "unexpected end of file" : $"unexpected '{c}'");
    }

    /// <summary>A here-string (@' ... '@ or @" ... "@, no expansion): the lines between the opening and the closing line.</summary>
    private string ReadHereString()
    {
        var quote = PeekAt(1);
        var start = _text.IndexOf('\n', _at);
        if (start < 0)
        {
            throw Error("a here-string's opening @' must end its line");
        }

        var close = "\n" + quote + "@";
        var end = _text.IndexOf(close, start, StringComparison.Ordinal);
        if (end < 0)
        {
            throw Error("a here-string is not closed");
        }

        _at = end + close.Length;
        return _text[(start + 1)..end].TrimEnd('\r');
    }

    private Dictionary<string, object?> ReadHashtable()
    {
        var table = new Dictionary<string, object?>(StringComparer.OrdinalIgnoreCase);
        while (true)
        {
            SkipTrivia(newlines: true, semicolons: true);
            if (Peek() == '}')
            {
                _at++;
                return table;
            }

            var key = Peek() switch
            {
                '\'' => ReadSingleQuoted(),
                '"' => ReadDoubleQuoted(),
                _ => ReadWord(0),
            };
            if (key.Length == 0)
            {
                throw Error("expected a key");
            }

            SkipTrivia(newlines: false);
            if (Peek() != '=')
            {
                throw Error($"expected '=' after key {key}");
            }

            _at++;
            SkipTrivia(newlines: true);
            if (!table.TryAdd(key, ReadValue()))
            {
                throw Error($"duplicate key {key}");
            }

            SkipTrivia(newlines: false);
            if (Peek() is not ('\n' or '\r' or ';' or '}'))
            {
                throw Error($"expected a new line, ';' or '}}' after the value of {key}");
            }
        }
    }

    private List<object?> ReadArray()
    {
        var list = new List<object?>();
        while (true)
        {
            SkipTrivia(newlines: true, semicolons: true);
            if (Peek() == ')')
            {
                _at++;
                return list;
            }

            // Inside @( ), a comma list adds its items: PowerShell makes @('a', 'b') one array of two strings.
            var value = ReadValue();
            if (value is List<object?> items)
            {
                list.AddRange(items);
            }
            else
            {
                list.Add(value);
            }
        }
    }

    private string ReadSingleQuoted()
    {
        var builder = new StringBuilder();
        _at++;
        while (true)
        {
            var c = Next();
            if (c == '\'')
            {
                if (Peek() == '\'')
                {
                    _at++;
                    builder.Append('\'');
                    continue;
                }

                return builder.ToString();
            }

            builder.Append(c);
        }
    }

    private string ReadDoubleQuoted()
    {
        var builder = new StringBuilder();
        _at++;
        while (true)
        {
            var c = Next();
            switch (c)
            {
                case '"':
                    return builder.ToString();
                case '`':
                    var escaped = Next();
                    builder.Append(escaped switch { 'n' => '\n', 'r' => '\r', 't' => '\t', '0' => '\0', _ => escaped });
                    break;
                case '$':
                    throw Error("expandable strings with variables are not allowed in a data file");
                default:
                    builder.Append(c);
                    break;
            }
        }
    }

    private string ReadWord(int start)
    {
        var begin = _at;
        _at += start;
        while (_at < _text.Length && (char.IsLetterOrDigit(_text[_at]) || _text[_at] is '_' or '.' or '-' or '+'))
        {
            _at++;
        }

        return _text[begin.._at];
    }

    private void SkipTrivia(bool newlines, bool semicolons = false)
    {
        while (_at < _text.Length)
        {
            var c = _text[_at];
            if (c is ' ' or '\t' or '\uFEFF' || (newlines && c is '\r' or '\n') || (semicolons && c == ';'))
            {
                _at++;
            }
            else if (c == '<' && PeekAt(1) == '#')
            {
                var end = _text.IndexOf("#>", _at + 2, StringComparison.Ordinal);
                _at = end < 0 ? throw Error("unterminated <# comment") : end + 2;
            }
            else if (c == '#')
            {
                while (_at < _text.Length && _text[_at] is not ('\r' or '\n'))
                {
                    _at++;
                }
            }
            else if (c == '`' && PeekAt(1) is '\r' or '\n')
            {
                _at++;
                SkipTrivia(newlines: true);
                return;
            }
            else
            {
                return;
            }
        }
    }

    private char Peek() => _at < _text.Length ? _text[_at] : '\0';

    private char PeekAt(int offset) => _at + offset < _text.Length ? _text[_at + offset] : '\0';

    private char Next() => _at < _text.Length ? _text[_at++] : throw Error("unterminated string");

    private InvalidDataException Error(string message)
    {
        var line = 1 + _text.AsSpan(0, Math.Min(_at, _text.Length)).Count('\n');
        return new InvalidDataException($"{_source}:{line}: {message}");
    }
}
