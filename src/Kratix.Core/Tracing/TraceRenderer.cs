using System.Text;

namespace Kratix.Tracing;

/// <summary>
/// Draws a trace as a tree of lines no wider than <see cref="Width"/>: each node's kind and name with ├─ / └─ glyphs,
/// its status in a column, then its summary (or, when it is not ready, its reason and message), wrapped beneath when
/// long; the node's notes (paths, log files) follow on lines of their own.
/// </summary>
public static class TraceRenderer
{
    /// <summary>The widest line drawn.</summary>
    public const int Width = 120;

    private const int MaxLabelColumn = 48;
    private const int MaxStatusColumn = 11;
    private const int MinTextWidth = 36;

    public static string Render(TraceNode root)
    {
        var rows = new List<Row>();
        Collect(root, string.Empty, string.Empty, rows);
        var labelWidth = Math.Min(MaxLabelColumn, rows.Max(r => r.Lead.Length + r.Label.Length));
        var statusWidth = Math.Min(MaxStatusColumn, rows.Max(r => r.Node.Status.Length));
        var text = new StringBuilder();
        foreach (var row in rows)
        {
            Draw(row, labelWidth, statusWidth, text);
        }

        return text.ToString().TrimEnd('\n');
    }

    private sealed record Row(TraceNode Node, string Lead, string Label, string Below);

    /// <param name="node">The node.</param>
    /// <param name="lead">What precedes its label: the glyphs of its ancestors and its own ├─ or └─.</param>
    /// <param name="continuation">What precedes lines under it: its ancestors' │ and spaces.</param>
    /// <param name="rows">The rows collected so far.</param>
    private static void Collect(TraceNode node, string lead, string continuation, List<Row> rows)
    {
        var label = node.Kind + " " + (node.Namespace is { Length: > 0 } ns ? $"{ns}/{node.Name}" : node.Name);
        var below = continuation + (node.Children.Count > 0 ? "│  " : "   ");
        rows.Add(new Row(node, lead, label, below));
        for (var i = 0; i < node.Children.Count; i++)
        {
            var last = i == node.Children.Count - 1;
            Collect(node.Children[i], continuation + (last ? "└─ " : "├─ "), continuation + (last ? "   " : "│  "), rows);
        }
    }

    private static void Draw(Row row, int labelWidth, int statusWidth, StringBuilder output)
    {
        var node = row.Node;
        var room = Width - row.Lead.Length - 2 - Math.Max(statusWidth, node.Status.Length);
        var label = row.Label.Length > room ? row.Label[..Math.Max(1, room - 1)] + "…" : row.Label;
        var line = new StringBuilder(row.Lead).Append(label);
        line.Append(' ', Math.Max(2, labelWidth + 2 - line.Length));
        line.Append(node.Status);
        var text = Text(node);
        if (text.Length > 0)
        {
            line.Append(' ', Math.Max(2, labelWidth + 2 + statusWidth + 2 - line.Length));
            var column = line.Length;
            if (Width - column >= MinTextWidth)
            {
                var chunks = Wrap(text, Width - column);
                output.Append(line).Append(chunks[0]).Append('\n');
                foreach (var chunk in chunks.Skip(1))
                {
                    output.Append(row.Below.PadRight(column)).Append(chunk).Append('\n');
                }
            }
            else
            {
                output.Append(line.ToString().TrimEnd()).Append('\n');
                AppendIndented(row.Below + "  ", text, output);
            }
        }
        else
        {
            output.Append(line).Append('\n');
        }

        foreach (var note in node.Notes)
        {
            AppendIndented(row.Below, note, output, hanging: "  ");
        }
    }

    private static string Text(TraceNode node)
    {
        if (node.Ready)
        {
            return node.Summary ?? string.Empty;
        }

        var why = node.Reason is { Length: > 0 } reason
            ? node.Message is { Length: > 0 } message && message != node.Status ? $"{reason}: {message}" : reason
            : node.Message ?? string.Empty;
        return string.Join(" · ", new[] { node.Summary, why }.Where(s => !string.IsNullOrEmpty(s)));
    }

    private static void AppendIndented(string prefix, string text, StringBuilder output, string hanging = "")
    {
        var width = Math.Max(MinTextWidth, Width - prefix.Length);
        var chunks = Wrap(text, width, width - hanging.Length);
        for (var i = 0; i < chunks.Count; i++)
        {
            output.Append(prefix).Append(i == 0 ? string.Empty : hanging).Append(chunks[i]).Append('\n');
        }
    }

    /// <summary>Splits text into lines of at most <paramref name="width"/> characters (later lines <paramref name="rest"/>), at spaces where it can.</summary>
    internal static List<string> Wrap(string text, int width, int? rest = null)
    {
        var lines = new List<string>();
        foreach (var paragraph in text.Replace("\r", string.Empty, StringComparison.Ordinal).Split('\n'))
        {
            var remaining = paragraph.TrimEnd();
            do
            {
                var limit = lines.Count == 0 ? width : rest ?? width;
                if (remaining.Length <= limit)
                {
                    lines.Add(remaining);
                    break;
                }

                // At the last space that fits, unless the word after it could not fit on a line of its own either
                // (a long path): then the line is filled and the word broken, rather than leaving a short line.
                var cut = remaining.LastIndexOf(' ', limit);
                var next = cut <= 0 ? -1 : remaining.IndexOf(' ', cut + 1);
                var word = cut <= 0 ? 0 : (next < 0 ? remaining.Length : next) - cut - 1;
                if (cut <= 0 || word > (rest ?? width))
                {
                    cut = limit;
                }

                lines.Add(remaining[..cut].TrimEnd());
                remaining = remaining[cut..].TrimStart();
            }
            while (remaining.Length > 0);
        }

        return lines.Count == 0 ? [string.Empty] : lines;
    }
}
