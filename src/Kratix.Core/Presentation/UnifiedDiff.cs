using System.Text;

namespace Kratix.Presentation;

/// <summary>
/// A unified diff of two texts, line by line, as <c>diff -u</c> prints it: <c>--- a/path</c>, <c>+++ b/path</c>, then hunks
/// <c>@@ -start,count +start,count @@</c> of changed lines with <see cref="Context"/> unchanged lines around them. The
/// edit script is Myers' shortest one (the algorithm of git and GNU diff), so the diff is minimal; a text that does
/// not end in a newline gets <c>\ No newline at end of file</c> after its last line. A new file is diffed against
/// nothing (<c>--- /dev/null</c>), a removed one against nothing after (<c>+++ /dev/null</c>).
/// </summary>
public static class UnifiedDiff
{
    /// <summary>Unchanged lines shown around each change, as <c>diff -u</c>.</summary>
    public const int Context = 3;

    /// <summary>
    /// The diff from <paramref name="before"/> to <paramref name="after"/> (null: the file does not exist on that side);
    /// empty when they are equal.
    /// </summary>
    public static string Create(string path, string? before, string? after)
    {
        if (before == after)
        {
            return string.Empty;
        }

        var a = Lines(before);
        var b = Lines(after);
        var script = Script(Keys(a, before), Keys(b, after));
        var text = new StringBuilder();
        text.Append("--- ").Append(before is null ? "/dev/null" : "a/" + path).Append('\n');
        text.Append("+++ ").Append(after is null ? "/dev/null" : "b/" + path).Append('\n');
        foreach (var hunk in Hunks(script))
        {
            var (aStart, aCount, bStart, bCount) = Span(script, hunk.Start, hunk.End);
            text.Append("@@ -").Append(Range(aStart, aCount)).Append(" +").Append(Range(bStart, bCount)).Append(" @@\n");
            for (var i = hunk.Start; i < hunk.End; i++)
            {
                var (op, ai, bi) = script[i];
                var (line, last, lines) = op == '+' ? (b[bi], bi == b.Count - 1, after!) : (a[ai], ai == a.Count - 1, before!);
                text.Append(op).Append(line).Append('\n');
                if (last && !lines.EndsWith('\n'))
                {
                    text.Append("\\ No newline at end of file\n");
                }
            }
        }

        return text.ToString();
    }

    /// <summary>The lines of a text, without their newlines (a final newline ends the last line, it does not start another).</summary>
    private static List<string> Lines(string? text)
    {
        if (string.IsNullOrEmpty(text))
        {
            return [];
        }

        var lines = text.Split('\n').ToList();
        if (text.EndsWith('\n'))
        {
            lines.RemoveAt(lines.Count - 1);
        }

        return lines;
    }

    /// <summary>What lines are compared by: a last line without its newline differs from the same line with one, as in diff.</summary>
    private static List<string> Keys(List<string> lines, string? text) =>
        text is null || text.EndsWith('\n') || lines.Count == 0 ? lines : [.. lines.SkipLast(1), lines[^1] + "\n\\"];

    /// <summary>
    /// The edit script: each step keeps (' '), removes ('-') or adds ('+') a line, with its index in a and in b. Myers'
    /// greedy forward search records each step's furthest reaching paths, then the path is walked back from the end.
    /// </summary>
    private static List<(char Op, int A, int B)> Script(List<string> a, List<string> b)
    {
        int n = a.Count, m = b.Count, max = n + m, offset = max + 1;
        var v = new int[2 * max + 3];
        var trace = new List<int[]>();
        var found = false;
        for (var d = 0; d <= max && !found; d++)
        {
            trace.Add((int[])v.Clone());
            for (var k = -d; k <= d; k += 2)
            {
                var x = k == -d || (k != d && v[offset + k - 1] < v[offset + k + 1]) ? v[offset + k + 1] : v[offset + k - 1] + 1;
                var y = x - k;
                while (x < n && y < m && a[x] == b[y])
                {
                    x++;
                    y++;
                }

                v[offset + k] = x;
                if (x >= n && y >= m)
                {
                    found = true;
                    break;
                }
            }
        }

        var steps = new List<(char, int, int)>();
        int cx = n, cy = m;
        for (var d = trace.Count - 1; d >= 0 && (cx > 0 || cy > 0); d--)
        {
            var vd = trace[d];
            var k = cx - cy;
            var prevK = d == 0 ? 0 : k == -d || (k != d && vd[offset + k - 1] < vd[offset + k + 1]) ? k + 1 : k - 1;
            var prevX = d == 0 ? 0 : vd[offset + prevK];
            var prevY = prevX - prevK;
            while (cx > prevX && cy > prevY)
            {
                cx--;
                cy--;
                steps.Add((' ', cx, cy));
            }

            if (d > 0)
            {
                if (cx == prevX)
                {
                    steps.Add(('+', cx, cy - 1));
                }
                else
                {
                    steps.Add(('-', cx - 1, cy));
                }

                (cx, cy) = (prevX, prevY);
            }
        }

        steps.Reverse();
        return steps;
    }

    /// <summary>The ranges of the script shown as hunks: each change with its context, neighbours closer than twice the context merged.</summary>
    private static IEnumerable<(int Start, int End)> Hunks(List<(char Op, int A, int B)> script)
    {
        var changes = Enumerable.Range(0, script.Count).Where(i => script[i].Op != ' ').ToList();
        var i = 0;
        while (i < changes.Count)
        {
            var start = Math.Max(0, changes[i] - Context);
            var end = changes[i] + 1;
            while (i + 1 < changes.Count && changes[i + 1] - end <= 2 * Context)
            {
                end = changes[++i] + 1;
            }

            yield return (start, Math.Min(script.Count, end + Context));
            i++;
        }
    }

    /// <summary>Where a hunk starts in each text (1-based) and how many of its lines it covers.</summary>
    private static (int AStart, int ACount, int BStart, int BCount) Span(List<(char Op, int A, int B)> script, int start, int end)
    {
        var aCount = 0;
        var bCount = 0;
        for (var i = start; i < end; i++)
        {
            aCount += script[i].Op != '+' ? 1 : 0;
            bCount += script[i].Op != '-' ? 1 : 0;
        }

        // A step's indexes are the lines of each text before it (for a line it does not touch, where it stands), so the
        // first step's are the lines before the hunk. An empty range names the line before it, as diff -u does.
        var (_, before, beforeB) = script[start];
        return (aCount == 0 ? before : before + 1, aCount, bCount == 0 ? beforeB : beforeB + 1, bCount);
    }

    private static string Range(int start, int count) => count == 1 ? start.ToString(System.Globalization.CultureInfo.InvariantCulture) : $"{start},{count}";
}
