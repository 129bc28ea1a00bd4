using System.Diagnostics;
using System.Runtime.Versioning;
using Kratix.Pipelines.Runtimes;

namespace Kratix.Tests.Pipelines.Runtimes;

/// <summary>
/// What every runtime must do, run against a real one: the workspace mounts, environment, Kubernetes command/args
/// semantics, exit codes and logs, time limits, cancellation and the network default. Each derived class is one runtime.
/// </summary>
[SupportedOSPlatform("linux")]
public abstract class ContainerRuntimeContract
{
    /// <summary>The runtime under test, configured with <see cref="TestTools.Options"/>.</summary>
    protected abstract IContainerRuntime Runtime { get; }

    /// <summary>An image with busybox and no entrypoint, where <c>command: [sh, -c, ...]</c> works.</summary>
    protected abstract string Image { get; }

    /// <summary>An image whose ENTRYPOINT is ["echo", "from-entrypoint"] and CMD is ["from-cmd"].</summary>
    protected abstract string EntrypointImage { get; }

    /// <summary>Fails when anything of the run is still there (a container, for the engines).</summary>
    protected abstract Task AssertNoContainerLeftAsync(RunWorkspace workspace);

    protected static string[] Shell(string script) => ["sh", "-c", script];

    [Fact]
    public async Task Input_is_read_only_and_output_and_metadata_writes_land_on_the_host()
    {
        using var workspace = new RunWorkspace();
        var result = await Runtime.RunAsync(workspace.Request(Image, Shell(
            "cat /kratix/input/object.yaml; " +
            "if (echo x > /kratix/input/new) 2>/dev/null; then echo input-writable; else echo input-read-only; fi; " +
            "mkdir -p /kratix/output/sub && echo 'kind: Out' > /kratix/output/sub/out.yaml; " +
            "echo 'message: done' > /kratix/metadata/status.yaml")), CancellationToken.None);

        Assert.True(result.Succeeded, $"exit code {result.ExitCode}, timed out {result.TimedOut}: {result.Log}");
        Assert.Contains("name: from-input", result.Log);
        Assert.Contains("input-read-only", result.Log);
        Assert.False(File.Exists(Path.Combine(workspace.Input, "new")));
        Assert.Equal("kind: Out\n", File.ReadAllText(Path.Combine(workspace.Output, "sub", "out.yaml")));
        Assert.Equal("message: done\n", File.ReadAllText(Path.Combine(workspace.Metadata, "status.yaml")));
    }

    [Fact]
    public async Task Environment_arrives_in_order_with_later_entries_winning_and_values_never_on_a_command_line()
    {
        using var workspace = new RunWorkspace();
        var secret = "s3cret-" + Guid.NewGuid().ToString("N");
        var started = Path.Combine(workspace.Output, "started");
        var run = Runtime.RunAsync(workspace.Request(Image, Shell(
                "echo \"type=$KRATIX_WORKFLOW_TYPE secret=$SECRET_TOKEN home=$HOME dup=$DUP\"; touch /kratix/output/started; sleep 2"),
            environment:
            [
                new("KRATIX_WORKFLOW_TYPE", "resource"),
                new("SECRET_TOKEN", secret),
                new("DUP", "first"),
                new("HOME", "/tmp/home-from-request"),
                new("DUP", "second"),
            ]), CancellationToken.None);

        // While the container runs, no process on this machine may carry the secret in its arguments.
        var deadline = Stopwatch.StartNew();
        while (!File.Exists(started) && !run.IsCompleted && deadline.Elapsed < TimeSpan.FromSeconds(30))
        {
            await Task.Delay(20);
        }
        Assert.True(File.Exists(started), "the container never started");
        var carriers = ProcessesWhoseCommandLineContains(secret);
        Assert.True(carriers.Count == 0, "processes with the secret on their command line: " + string.Join("; ", carriers));

        var result = await run;
        Assert.True(result.Succeeded, result.Log);
        Assert.Contains($"type=resource secret={secret} home=/tmp/home-from-request dup=second", result.Log);
    }

    [Fact]
    public async Task Command_replaces_the_entrypoint_and_drops_the_cmd()
    {
        using var workspace = new RunWorkspace();
        var result = await Runtime.RunAsync(workspace.Request(EntrypointImage, command: ["echo", "from-command"]), CancellationToken.None);
        Assert.True(result.Succeeded, result.Log);
        Assert.Equal("from-command", result.Log.Trim());
    }

    [Fact]
    public async Task Command_and_args_run_together()
    {
        using var workspace = new RunWorkspace();
        var result = await Runtime.RunAsync(workspace.Request(EntrypointImage, command: ["echo", "from-command"], args: ["from-args"]), CancellationToken.None);
        Assert.Equal("from-command from-args", result.Log.Trim());
    }

    [Fact]
    public async Task Args_alone_replace_the_cmd_and_keep_the_entrypoint()
    {
        using var workspace = new RunWorkspace();
        var result = await Runtime.RunAsync(workspace.Request(EntrypointImage, args: ["from-args"]), CancellationToken.None);
        Assert.Equal("from-entrypoint from-args", result.Log.Trim());
    }

    [Fact]
    public async Task Neither_command_nor_args_runs_the_image_entrypoint_and_cmd()
    {
        using var workspace = new RunWorkspace();
        var result = await Runtime.RunAsync(workspace.Request(EntrypointImage, command: [], args: []), CancellationToken.None);
        Assert.Equal("from-entrypoint from-cmd", result.Log.Trim());
    }

    [Fact]
    public async Task A_failing_step_is_a_result_with_its_exit_code_and_both_streams_in_order()
    {
        using var workspace = new RunWorkspace();
        // stdout and stderr are two pipes read separately: half a second between writes keeps their order certain on a busy machine.
        var result = await Runtime.RunAsync(workspace.Request(Image, Shell(
            "echo first-out; sleep 0.5; echo second-err >&2; sleep 0.5; echo third-out; exit 3")), CancellationToken.None);

        Assert.Equal(3, result.ExitCode);
        Assert.False(result.Succeeded);
        Assert.False(result.TimedOut);
        var first = result.Log.IndexOf("first-out", StringComparison.Ordinal);
        var second = result.Log.IndexOf("second-err", StringComparison.Ordinal);
        var third = result.Log.IndexOf("third-out", StringComparison.Ordinal);
        Assert.True(first >= 0 && first < second && second < third, result.Log);
    }

    [Fact]
    public async Task Working_dir_is_where_the_command_starts()
    {
        using var workspace = new RunWorkspace();
        var result = await Runtime.RunAsync(workspace.Request(Image, Shell("pwd; ls"), workingDir: "/kratix/input"), CancellationToken.None);
        Assert.True(result.Succeeded, result.Log);
        Assert.Equal("/kratix/input\nobject.yaml", result.Log.Trim());
    }

    [Fact]
    public async Task A_step_past_its_time_limit_is_stopped_and_nothing_is_left_running()
    {
        using var workspace = new RunWorkspace();
        var marker = "marker-" + workspace.RunId;
        var stopwatch = Stopwatch.StartNew();
        var result = await Runtime.RunAsync(workspace.Request(Image, Shell($"echo before-sleep; sleep 30; echo {marker}"), timeout: TimeSpan.FromSeconds(1.5)), CancellationToken.None);

        Assert.True(result.TimedOut);
        Assert.Equal(-1, result.ExitCode);
        Assert.False(result.Succeeded);
        Assert.InRange(stopwatch.Elapsed, TimeSpan.FromSeconds(1.4), TimeSpan.FromSeconds(15));
        Assert.Contains("before-sleep", result.Log);
        await AssertNoContainerLeftAsync(workspace);
        await AssertNoProcessLeftAsync(marker);
    }

    [Fact]
    public async Task Cancellation_stops_the_step_throws_and_leaves_nothing_running()
    {
        using var workspace = new RunWorkspace();
        var marker = "marker-" + workspace.RunId;
        using var cancellation = new CancellationTokenSource(TimeSpan.FromSeconds(1.5));
        var stopwatch = Stopwatch.StartNew();

        await Assert.ThrowsAnyAsync<OperationCanceledException>(() =>
            Runtime.RunAsync(workspace.Request(Image, Shell($"sleep 30; echo {marker}")), cancellation.Token));

        Assert.InRange(stopwatch.Elapsed, TimeSpan.FromSeconds(1.4), TimeSpan.FromSeconds(15));
        await AssertNoContainerLeftAsync(workspace);
        await AssertNoProcessLeftAsync(marker);
    }

    [Fact]
    public async Task There_is_no_network_unless_the_request_asks_for_it()
    {
        using var workspace = new RunWorkspace();
        var isolated = await Runtime.RunAsync(workspace.Request(Image, Shell("cat /proc/net/dev")), CancellationToken.None);
        var shared = await Runtime.RunAsync(workspace.Request(Image, Shell("cat /proc/net/dev"), network: true) with { RunId = workspace.RunId + "n" }, CancellationToken.None);

        Assert.Equal(["lo"], Interfaces(isolated.Log));
        Assert.Contains(Interfaces(shared.Log), name => name != "lo");
    }

    [Fact]
    public async Task The_log_keeps_its_end_and_says_how_much_was_cut()
    {
        using var workspace = new RunWorkspace();
        // 3 MiB of output through the real pipes; the default cap keeps the last 1 MiB.
        var result = await Runtime.RunAsync(workspace.Request(Image, Shell(
            "i=0; while [ $i -lt 3 ]; do head -c 1048576 /dev/zero | tr '\\0' 'x'; i=$((i+1)); done; echo; echo the-end")), CancellationToken.None);

        Assert.True(result.Succeeded, result.Log[..Math.Min(200, result.Log.Length)]);
        Assert.StartsWith("[… ", result.Log);
        Assert.Contains(" bytes truncated …]\n", result.Log);
        Assert.EndsWith("the-end\n", result.Log);
        var body = result.Log[(result.Log.IndexOf('\n') + 1)..];
        Assert.Equal(1024 * 1024, System.Text.Encoding.UTF8.GetByteCount(body));
    }

    protected static IReadOnlyList<string> Interfaces(string procNetDev) =>
        procNetDev.Split('\n').Skip(2)
            .Select(line => line.Split(':')[0].Trim())
            .Where(name => name.Length > 0)
            .ToList();

    /// <summary>Processes (other than this one) whose command line contains the text.</summary>
    protected static IReadOnlyList<string> ProcessesWhoseCommandLineContains(string text)
    {
        var found = new List<string>();
        foreach (var directory in Directory.EnumerateDirectories("/proc"))
        {
            var name = Path.GetFileName(directory);
            if (!int.TryParse(name, out var pid) || pid == Environment.ProcessId)
            {
                continue;
            }
            try
            {
                var commandLine = File.ReadAllText(Path.Combine(directory, "cmdline")).Replace('\0', ' ');
                if (commandLine.Contains(text, StringComparison.Ordinal))
                {
                    found.Add($"{pid}: {commandLine}");
                }
            }
            catch (Exception e) when (e is IOException or UnauthorizedAccessException)
            {
                // The process ended while we looked.
            }
        }
        return found;
    }

    protected static async Task AssertNoProcessLeftAsync(string marker)
    {
        var left = ProcessesWhoseCommandLineContains(marker);
        for (var attempt = 0; attempt < 20 && left.Count > 0; attempt++)
        {
            await Task.Delay(100);
            left = ProcessesWhoseCommandLineContains(marker);
        }
        Assert.Empty(left);
    }
}
