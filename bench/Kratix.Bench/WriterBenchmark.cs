using System.Diagnostics;
using System.Text;
using Kratix.StateStores;
using static Kratix.Bench.Program;

namespace Kratix.Bench;

/// <summary>
/// (f) The Git writer alone, side by side with a baseline that does what upstream Kratix's writer does for each
/// WorkPlacement (behaviour.md section 4): fetch, reset --hard, clean, write, add, commit, push, one placement at a time.
/// Both write the same placements (one nestedByMetadata directory each) to their own local bare remote, until every file
/// is on the remote; both results are checked with git ls-tree.
/// </summary>
internal static class WriterBenchmark
{
    public static IEnumerable<Result> Run(string directory, int count)
    {
        Console.WriteLine($"(f) {count:N0} WorkPlacements written and pushed: this project's writer vs an upstream-style writer");
        Directory.CreateDirectory(directory);
        var placements = Enumerable.Range(1, count).Select(Placement).ToList();

        var ours = Path.Combine(directory, "ours.git");
        Git.Check(directory, "init", "--quiet", "--bare", "--initial-branch=main", ours);
        var clock = Stopwatch.StartNew();
        var options = new GitStateStoreOptions { Url = ours, Branch = "main", WorkingDirectory = Path.Combine(directory, "ours-cache") };
        var writer = new GitStateStoreWriter(options);
        try
        {
            writer.WriteAsync(placements.Select(p => new StateStoreChange($"Update from: {p.Name}", [new StateStoreFile(p.Path, p.Content)], [], p.Directory)).ToList(), CancellationToken.None)
                .GetAwaiter().GetResult();
        }
        finally
        {
            writer.DisposeAsync().AsTask().GetAwaiter().GetResult();
        }

        var oursSeconds = clock.Elapsed.TotalSeconds;
        Verify(directory, ours, placements);
        Console.WriteLine($"    this project's writer: {oursSeconds:0.00} s (one batch: fast-import of {count:N0} commits, one push)");

        var theirs = Path.Combine(directory, "baseline.git");
        Git.Check(directory, "init", "--quiet", "--bare", "--initial-branch=main", theirs);
        var clone = Path.Combine(directory, "baseline-clone");
        Git.Check(directory, "clone", "--quiet", theirs, clone);
        Git.Check(clone, "config", "user.name", "kratix");
        Git.Check(clone, "config", "user.email", "kratix@example.invalid");
        Git.Check(clone, "commit", "--quiet", "--allow-empty", "-m", "init");
        Git.Check(clone, "push", "--quiet", "origin", "HEAD:main");
        clock.Restart();
        foreach (var placement in placements)
        {
            // What upstream's git writer does per WorkPlacement, one process at a time.
            Git.Check(clone, "fetch", "--quiet", "origin", "main");
            Git.Check(clone, "reset", "--quiet", "--hard", "origin/main");
            Git.Check(clone, "clean", "-ffdxq");
            var file = Path.Combine(clone, placement.Path);
            Directory.CreateDirectory(Path.GetDirectoryName(file)!);
            File.WriteAllBytes(file, placement.Content);
            Git.Check(clone, "add", "--all");
            Git.Check(clone, "commit", "--quiet", "-m", $"Update from: {placement.Name}");
            Git.Check(clone, "push", "--quiet", "origin", "HEAD:main");
        }

        var baselineSeconds = clock.Elapsed.TotalSeconds;
        Verify(directory, theirs, placements);
        Console.WriteLine($"    upstream-style writer: {baselineSeconds:0.00} s ({count * 7:N0} git processes)");
        var ratio = baselineSeconds / oursSeconds;
        yield return new Result($"(f) writer, {count:N0} placements", $"{oursSeconds:0.00} s", "this project's Git writer, one batch, until all files are on the remote");
        yield return new Result($"(f) baseline, {count:N0} placements", $"{baselineSeconds:0.00} s", "fetch, reset --hard, clean, write, add, commit, push per placement");
        yield return new Result("(f) writer speed-up", $"{ratio:0.0}x", "baseline time / writer time (target: at least 20x)");
        DeleteDirectory(directory);
    }

    private sealed record PlacementFiles(string Name, string Directory, string Path, byte[] Content);

    private static PlacementFiles Placement(int i)
    {
        var name = $"app-{i:D4}-instance-abcde.bench-5058f";
        var directory = $"bench/resources/default/app/app-{i:D4}/instance/5058f";
        var content = Encoding.UTF8.GetBytes($"apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: app-{i:D4}\n  namespace: default\ndata:\n  size: small\n");
        return new PlacementFiles(name, directory, directory + "/configmap.yaml", content);
    }

    private static void Verify(string directory, string remote, IReadOnlyList<PlacementFiles> placements)
    {
        var files = Git.Check(directory, "--git-dir=" + remote, "ls-tree", "-r", "--name-only", "main")
            .Split('\n', StringSplitOptions.RemoveEmptyEntries).ToHashSet(StringComparer.Ordinal);
        var missing = placements.Count(p => !files.Contains(p.Path));
        if (missing > 0)
        {
            throw new BenchmarkException($"{missing} of {placements.Count} placements are not on {remote}");
        }
    }
}
