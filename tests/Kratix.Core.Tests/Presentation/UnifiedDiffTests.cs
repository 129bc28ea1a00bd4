using System.Diagnostics;
using Kratix.Presentation;

namespace Kratix.Tests.Presentation;

/// <summary>The unified diff a dry run shows for each changed file: diff -u's format, minimal, and one that rebuilds both texts.</summary>
public sealed class UnifiedDiffTests
{
    [Fact]
    public void Equal_texts_have_no_diff() => Assert.Equal(string.Empty, UnifiedDiff.Create("a.yaml", "x\n", "x\n"));

    [Fact]
    public void A_changed_line_is_shown_with_three_lines_of_context_as_diff_u_does()
    {
        var before = "1\n2\n3\n4\n5\n6\n7\n8\n9\n";
        var after = "1\n2\n3\n4\nfive\n6\n7\n8\n9\n";

        Assert.Equal("--- a/f.yaml\n+++ b/f.yaml\n@@ -2,7 +2,7 @@\n 2\n 3\n 4\n-5\n+five\n 6\n 7\n 8\n", UnifiedDiff.Create("f.yaml", before, after));
        Assert.Equal(GnuBody(before, after), Body(UnifiedDiff.Create("f.yaml", before, after)));
    }

    [Fact]
    public void Changes_far_apart_are_separate_hunks_and_close_ones_one()
    {
        var lines = Enumerable.Range(1, 30).Select(i => i.ToString(System.Globalization.CultureInfo.InvariantCulture)).ToList();
        var before = string.Join('\n', lines) + "\n";
        var far = before.Replace("\n3\n", "\nthree\n").Replace("\n25\n", "\ntwenty-five\n");
        var near = before.Replace("\n3\n", "\nthree\n").Replace("\n9\n", "\nnine\n");

        Assert.Equal(2, UnifiedDiff.Create("f", before, far).Split('\n').Count(l => l.StartsWith("@@", StringComparison.Ordinal)));
        Assert.Single(UnifiedDiff.Create("f", before, near).Split('\n'), l => l.StartsWith("@@", StringComparison.Ordinal));
        Assert.Equal(GnuBody(before, far), Body(UnifiedDiff.Create("f", before, far)));
        Assert.Equal(GnuBody(before, near), Body(UnifiedDiff.Create("f", before, near)));
    }

    [Fact]
    public void A_new_file_is_all_added_and_a_removed_one_all_removed()
    {
        Assert.Equal("--- /dev/null\n+++ b/new.yaml\n@@ -0,0 +1,2 @@\n+a: 1\n+b: 2\n", UnifiedDiff.Create("new.yaml", null, "a: 1\nb: 2\n"));
        Assert.Equal("--- a/old.yaml\n+++ /dev/null\n@@ -1 +0,0 @@\n-a: 1\n", UnifiedDiff.Create("old.yaml", "a: 1\n", null));
    }

    [Fact]
    public void A_missing_final_newline_is_marked()
    {
        Assert.Equal("--- a/f\n+++ b/f\n@@ -1 +1 @@\n-a\n\\ No newline at end of file\n+a\n", UnifiedDiff.Create("f", "a", "a\n"));
        Assert.Equal(GnuBody("a", "a\n"), Body(UnifiedDiff.Create("f", "a", "a\n")));
    }

    [Fact]
    public void Random_edits_rebuild_both_texts_with_the_fewest_changed_lines()
    {
        var random = new Random(11);
        for (var round = 0; round < 300; round++)
        {
            var before = RandomText(random);
            var after = RandomText(random);
            var diff = UnifiedDiff.Create("f", before, after);
            if (before == after)
            {
                Assert.Empty(diff);
                continue;
            }

            var (rebuiltBefore, rebuiltAfter, changed) = Apply(diff, before);
            Assert.Equal(Lines(before), rebuiltBefore);
            Assert.Equal(Lines(after), rebuiltAfter);
            var lcs = Lcs(Lines(before), Lines(after));
            Assert.Equal(Lines(before).Count + Lines(after).Count - (2 * lcs), changed);
        }
    }

    private static string RandomText(Random random) =>
        string.Concat(Enumerable.Range(0, random.Next(0, 12)).Select(_ => "abc"[random.Next(3)] + "\n"));

    private static List<string> Lines(string text) => text.Split('\n', StringSplitOptions.None).SkipLast(1).ToList();

    /// <summary>Rebuilds both texts from the hunks (the unchanged lines between hunks are taken from before) and counts the +/- lines.</summary>
    private static (List<string> Before, List<string> After, int Changed) Apply(string diff, string beforeText)
    {
        var source = Lines(beforeText);
        var before = new List<string>();
        var after = new List<string>();
        var changed = 0;
        var position = 0;
        foreach (var line in diff.Split('\n').Skip(2).Where(l => l.Length > 0))
        {
            if (line.StartsWith("@@", StringComparison.Ordinal))
            {
                var start = int.Parse(line.Split(' ')[1].TrimStart('-').Split(',')[0], System.Globalization.CultureInfo.InvariantCulture);
                var count = line.Split(' ')[1].Contains(',') ? int.Parse(line.Split(' ')[1].Split(',')[1], System.Globalization.CultureInfo.InvariantCulture) : 1;
                var lineIndex = count == 0 ? start : start - 1;
                while (position < lineIndex)
                {
                    before.Add(source[position]);
                    after.Add(source[position++]);
                }

                continue;
            }

            switch (line[0])
            {
                case ' ':
                    before.Add(line[1..]);
                    after.Add(line[1..]);
                    position++;
                    break;
                case '-':
                    before.Add(line[1..]);
                    position++;
                    changed++;
                    break;
                case '+':
                    after.Add(line[1..]);
                    changed++;
                    break;
            }
        }

        while (position < source.Count)
        {
            before.Add(source[position]);
            after.Add(source[position++]);
        }

        return (before, after, changed);
    }

    private static int Lcs(List<string> a, List<string> b)
    {
        var table = new int[a.Count + 1, b.Count + 1];
        for (var i = a.Count - 1; i >= 0; i--)
        {
            for (var j = b.Count - 1; j >= 0; j--)
            {
                table[i, j] = a[i] == b[j] ? table[i + 1, j + 1] + 1 : Math.Max(table[i + 1, j], table[i, j + 1]);
            }
        }

        return table[0, 0];
    }

    private static string Body(string diff) => string.Join('\n', diff.Split('\n').Skip(2));

    /// <summary>What GNU diff -u prints for the same texts, without its two header lines (they carry file names and times).</summary>
    private static string GnuBody(string before, string after)
    {
        var folder = Directory.CreateTempSubdirectory("kratix-diff-");
        try
        {
            File.WriteAllText(Path.Combine(folder.FullName, "a"), before);
            File.WriteAllText(Path.Combine(folder.FullName, "b"), after);
            var info = new ProcessStartInfo("diff", ["-u", "a", "b"]) { WorkingDirectory = folder.FullName, RedirectStandardOutput = true };
            using var process = Process.Start(info)!;
            var output = process.StandardOutput.ReadToEnd();
            process.WaitForExit();
            return Body(output);
        }
        finally
        {
            folder.Delete(recursive: true);
        }
    }
}
