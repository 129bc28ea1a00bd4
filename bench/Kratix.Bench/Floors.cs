using System.Diagnostics;
using System.Runtime.InteropServices;
using System.Text;
using Kratix.Pipelines;
using Kratix.Pipelines.Runtimes;
using Kratix.StateStores;

namespace Kratix.Bench;

/// <summary>
/// What each benchmark is compared with, measured in the same run (the machine is shared and its load moves): the
/// floor of the work itself, with nothing of the platform around it. Also the load average and the min/median/max of
/// repeated runs, so a figure can be judged on a noisy machine.
/// </summary>
internal static class Floors
{
    /// <summary>The 1-, 5- and 15-minute load averages, as /proc/loadavg gives them ("n/a" elsewhere).</summary>
    public static string LoadAverage()
    {
        try
        {
            return string.Join(' ', File.ReadAllText("/proc/loadavg").Split(' ').Take(3));
        }
        catch (IOException)
        {
            return "n/a";
        }
    }

    /// <summary>min / median / max of some timings, in seconds.</summary>
    public static string Spread(IReadOnlyList<double> seconds, string format = "0.00", string unit = "s")
    {
        var sorted = seconds.Order().ToList();
        return $"min {sorted[0].ToString(format)} / median {Median(sorted).ToString(format)} / max {sorted[^1].ToString(format)} {unit}";
    }

    public static double Median(IReadOnlyList<double> values)
    {
        var sorted = values.Order().ToList();
        return sorted.Count % 2 == 1 ? sorted[sorted.Count / 2] : (sorted[sorted.Count / 2 - 1] + sorted[sorted.Count / 2]) / 2;
    }

    /// <summary>
    /// The floor of storing objects: the same files written as one durable batch (each to a temporary name, one syncfs,
    /// renamed, one syncfs), into a new folder beside <paramref name="beside"/>; returns the seconds it took.
    /// </summary>
    public static double DurableBatch(IReadOnlyList<(string RelativePath, byte[] Content)> files, string beside)
    {
        var root = Path.Combine(Path.GetDirectoryName(beside)!, "floor-" + Guid.NewGuid().ToString("N")[..8]);
        Directory.CreateDirectory(root);
        try
        {
            SyncFs(root); // What others left dirty is not the floor's to flush.
            var clock = Stopwatch.StartNew();
            var temps = new List<(string Temp, string Target)>(files.Count);
            foreach (var (relative, content) in files)
            {
                var target = Path.Combine(root, relative);
                var directory = Path.GetDirectoryName(target)!;
                Directory.CreateDirectory(directory);
                var temp = Path.Combine(directory, $".{Path.GetFileName(target)}.{Guid.NewGuid():N}.tmp");
                using (var stream = new FileStream(temp, FileMode.CreateNew, FileAccess.Write, FileShare.None))
                {
                    stream.Write(content);
                }

                temps.Add((temp, target));
            }

            SyncFs(root);
            foreach (var (temp, target) in temps)
            {
                File.Move(temp, target, overwrite: true);
            }

            SyncFs(root);
            return clock.Elapsed.TotalSeconds;
        }
        finally
        {
            Program.DeleteDirectory(root);
        }
    }

    /// <summary>Every object file under a platform home's <c>objects/</c> and run records under <c>workflows/</c>, with their content.</summary>
    public static List<(string RelativePath, byte[] Content)> StoredFiles(string home) =>
        new[] { "objects", "workflows" }
            .Select(d => Path.Combine(home, d))
            .Where(Directory.Exists)
            .SelectMany(d => Directory.EnumerateFiles(d, "*.yaml", SearchOption.AllDirectories))
            .Select(f => (Path.GetRelativePath(home, f), File.ReadAllBytes(f)))
            .ToList();

    /// <summary>
    /// The floor of the end-to-end run: <paramref name="names"/>.Count bare launches of the workflow's command in the Host
    /// runtime's sandbox (the same bwrap options, one reused workspace per slot), <paramref name="parallel"/> at once,
    /// then one push of the same files to a new bare remote. Returns (launch seconds, push seconds).
    /// </summary>
    public static (double Launches, double Push) SandboxAndPush(IReadOnlyList<string> names, int parallel, string script, IReadOnlyList<string> paths, string directory)
    {
        Directory.CreateDirectory(directory);
        try
        {
            var runtime = PipelineRuntimes.Create("Host");
            var spec = new ContainerSpec("write", "bench/app:v1", ["sh", "-c", script], null, null, ContainerLimits.None);
            var slots = Enumerable.Range(0, parallel).Select(i =>
            {
                var root = Path.Combine(directory, "slot-" + i);
                var dirs = new[] { "input", "output", "metadata" }.Select(d => Directory.CreateDirectory(Path.Combine(root, d)).FullName).ToArray();
                File.WriteAllText(Path.Combine(dirs[0], "object.yaml"), "kind: App\n");
                return dirs;
            }).ToArray();
            var next = -1;
            var clock = Stopwatch.StartNew();
            var workers = slots.Select(dirs => Task.Run(async () =>
            {
                int i;
                while ((i = Interlocked.Increment(ref next)) < names.Count)
                {
                    var request = new ContainerRunRequest(spec, dirs[0], dirs[1], dirs[2], [new("KRATIX_OBJECT_NAME", names[i])], false, TimeSpan.FromMinutes(1), $"floor-{i}");
                    var result = await runtime.RunAsync(request, CancellationToken.None).ConfigureAwait(false);
                    if (!result.Succeeded)
                    {
                        throw new BenchmarkException($"a bare sandbox launch failed: exit {result.ExitCode}: {Program.FirstLine(result.Log)}");
                    }
                }
            })).ToArray();
            Task.WaitAll(workers);
            var launches = clock.Elapsed.TotalSeconds;

            var remote = Path.Combine(directory, "floor-remote.git");
            Git.Check(directory, "init", "--quiet", "--bare", "--initial-branch=main", remote);
            var writer = new GitStateStoreWriter(new GitStateStoreOptions { Url = remote, Branch = "main", WorkingDirectory = Path.Combine(directory, "floor-cache") });
            try
            {
                var changes = paths.Select(p => new StateStoreChange("floor", [new StateStoreFile(p, Encoding.UTF8.GetBytes(ContentFor(p)))], [], Path.GetDirectoryName(p)!.Replace('\\', '/'))).ToList();
                clock.Restart();
                writer.WriteAsync(changes, CancellationToken.None).GetAwaiter().GetResult();
                return (launches, clock.Elapsed.TotalSeconds);
            }
            finally
            {
                writer.DisposeAsync().AsTask().GetAwaiter().GetResult();
            }
        }
        finally
        {
            Program.DeleteDirectory(directory);
        }
    }

    // .../<name>/instance/5058f/configmap.yaml holds the ConfigMap the workflow's script writes for <name>.
    private static string ContentFor(string path)
    {
        var parts = path.Split('/');
        return $"kind: ConfigMap\nmetadata:\n  name: {parts[^4]}\n";
    }

    private static void SyncFs(string directory)
    {
        if (!OperatingSystem.IsLinux())
        {
            return;
        }

        var fd = Open(directory, 0);
        try
        {
            if (fd < 0 || SyncFsCall(fd) != 0)
            {
                throw new BenchmarkException($"syncfs failed for {directory}");
            }
        }
        finally
        {
            Close(fd);
        }
    }

    [DllImport("libc", EntryPoint = "open", SetLastError = true)]
    private static extern int Open([MarshalAs(UnmanagedType.LPUTF8Str)] string path, int flags);

    [DllImport("libc", EntryPoint = "syncfs", SetLastError = true)]
    private static extern int SyncFsCall(int fd);

    [DllImport("libc", EntryPoint = "close", SetLastError = true)]
    private static extern int Close(int fd);
}
