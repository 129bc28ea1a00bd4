using System.Diagnostics;
using System.Text;
using Kratix.StateStores;
using static Kratix.Tests.StateStores.GitStateStoreWriterTests;

namespace Kratix.Tests.StateStores;

/// <summary>The Git writer against a remote that other people change: other writers, external commits, force-pushes, refusals.</summary>
public sealed class GitStateStoreWriterRemoteTests : IDisposable
{
    private readonly TempDirectory _temp = new();
    private readonly GitRemote _remote;

    public GitStateStoreWriterRemoteTests() => _remote = new GitRemote(_temp);

    public void Dispose() => _temp.Dispose();

    private GitStateStoreWriter Writer(string name = "wc", string? url = null, int attempts = 5, IReadOnlyDictionary<string, string>? environment = null) =>
        new(new GitStateStoreOptions
        {
            Url = url ?? _remote.Path,
            WorkingDirectory = _temp.Combine(name),
            MaxPushAttempts = attempts,
            Environment = environment,
        });

    private void InstallRemoteHook(string name, string script)
    {
        if (OperatingSystem.IsWindows())
        {
            throw new PlatformNotSupportedException("remote hooks in these tests are shell scripts");
        }
        var path = Path.Combine(_remote.Path, "hooks", name);
        Directory.CreateDirectory(Path.GetDirectoryName(path)!);
        System.IO.File.WriteAllText(path, "#!/bin/sh\n" + script + "\n");
        System.IO.File.SetUnixFileMode(path, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute);
    }

    [Fact]
    public async Task Two_writers_with_their_own_working_copies_write_alternately_without_losing_anything()
    {
        await using var first = Writer("wc-1");
        await using var second = Writer("wc-2");

        for (var i = 0; i < 6; i++)
        {
            var writer = i % 2 == 0 ? first : second;
            var result = await writer.WriteAsync([new StateStoreChange($"Update from: wp-{i}", [File($"wp-{i}.yaml", $"{i}"), File("shared.yaml", $"{i}")], [])]);
            Assert.Equal(_remote.Head(), result.VersionId);
        }

        Assert.Equal(7, _remote.Files().Count);
        Assert.Equal("5", _remote.Show("shared.yaml"));
        Assert.Equal(6, _remote.CommitCount());
    }

    [Fact]
    public async Task Writers_racing_for_the_branch_all_land()
    {
        await using var first = Writer("wc-1", attempts: 20);
        await using var second = Writer("wc-2", attempts: 20);

        var writes = Enumerable.Range(0, 12).Select(i => Task.Run(() => (i % 2 == 0 ? first : second)
            .WriteAsync([new StateStoreChange($"Update from: wp-{i}", [File($"wp-{i}.yaml", $"{i}")], [])])));
        await Task.WhenAll(writes);

        Assert.Equal(Enumerable.Range(0, 12).Select(i => $"wp-{i}.yaml").Order(StringComparer.Ordinal), _remote.Files());
        Assert.Equal(12, _remote.CommitCount());
    }

    [Fact]
    public async Task Two_writers_sharing_one_working_directory_take_turns()
    {
        await using var first = Writer("shared-wc");
        await using var second = Writer("shared-wc");

        await Task.WhenAll(Enumerable.Range(0, 8).Select(i => Task.Run(() => (i % 2 == 0 ? first : second)
            .WriteAsync([new StateStoreChange($"Update from: wp-{i}", [File($"wp-{i}.yaml", $"{i}")], [])]))));

        Assert.Equal(8, _remote.Files().Count);
        Assert.Equal(8, _remote.CommitCount());
    }

    [Fact]
    public async Task An_external_commit_between_writes_is_kept_and_built_upon()
    {
        await using var writer = Writer();
        await writer.WriteAsync([new StateStoreChange("Update from: wp-1", [File("mine.yaml", "1")], [])]);
        var external = _remote.CommitExternally("hand edit", ("theirs.yaml", "t"), ("mine.yaml", "edited by hand"));

        var result = await writer.WriteAsync([new StateStoreChange("Update from: wp-2", [File("second.yaml", "2")], [])]);

        Assert.Equal(external, _remote.Git("log", "-1", "--format=%P", "main").Trim());
        Assert.Equal(["mine.yaml", "second.yaml", "theirs.yaml"], _remote.Files());
        Assert.Equal("edited by hand", _remote.Show("mine.yaml"));
        Assert.Equal(_remote.Head(), result.VersionId);

        // Writing the file's old content again is a change now, because the remote (not our last write) is the base.
        var rewrite = await writer.WriteAsync([new StateStoreChange("Update from: wp-1", [File("mine.yaml", "1")], [])]);
        Assert.True(rewrite.Changed);
        Assert.Equal("1", _remote.Show("mine.yaml"));
    }

    [Fact]
    public async Task A_force_push_that_rewrote_history_is_the_new_base()
    {
        await using var writer = Writer();
        await writer.WriteAsync([new StateStoreChange("Update from: wp-1", [File("before.yaml", "1")], [])]);
        var rewritten = _remote.ForcePushNewHistory("new history", ("rewritten.yaml", "r"));

        var result = await writer.WriteAsync([new StateStoreChange("Update from: wp-2", [File("after.yaml", "2")], [])]);

        Assert.Equal(rewritten, _remote.Git("log", "-1", "--format=%P", "main").Trim());
        Assert.Equal(["after.yaml", "rewritten.yaml"], _remote.Files());
        Assert.Equal(["Update from: wp-2", "new history"], _remote.Subjects());
        Assert.Equal(result.VersionId, _remote.Head());
    }

    [Fact]
    public async Task A_rewind_to_an_older_commit_while_a_batch_is_in_flight_is_respected_not_undone()
    {
        await using var writer = Writer();
        await writer.WriteAsync([new StateStoreChange("Update from: wp-1", [File("one.yaml", "1")], [])]);
        var older = _remote.Head()!;
        await writer.WriteAsync([new StateStoreChange("Update from: wp-2", [File("two.yaml", "2")], [])]);
        // Between our fetch and our push someone rewinds the branch, deliberately removing wp-2's commit. A plain push would
        // still be a fast-forward from the rewound head and would bring wp-2 back; the lease on the fetched head refuses it.
        writer.BeforePush = attempt =>
        {
            if (attempt == 1)
            {
                _remote.Git("update-ref", "refs/heads/main", older);
            }
            return Task.CompletedTask;
        };

        await writer.WriteAsync([new StateStoreChange("Update from: wp-3", [File("three.yaml", "3")], [])]);

        Assert.Equal(["one.yaml", "three.yaml"], _remote.Files());
        Assert.Equal(["Update from: wp-3", "Update from: wp-1"], _remote.Subjects());
    }

    [Fact]
    public async Task When_the_remote_moves_between_fetch_and_push_the_batch_is_rebuilt_on_the_new_head()
    {
        await using var writer = Writer();
        await writer.WriteAsync([new StateStoreChange("seed", [File("seed.yaml", "s")], [])]);
        var externals = new List<string>();
        writer.BeforePush = attempt =>
        {
            if (attempt <= 2)
            {
                externals.Add(_remote.CommitExternally($"racing commit {attempt}", ($"race-{attempt}.yaml", "r")));
            }
            return Task.CompletedTask;
        };

        var result = await writer.WriteAsync(
        [
            new StateStoreChange("Update from: wp-a", [File("a.yaml", "a")], []),
            new StateStoreChange("Update from: wp-b", [File("b.yaml", "b")], []),
        ]);

        Assert.Equal(["Update from: wp-a (and 1 more)", "racing commit 2", "racing commit 1", "seed"], _remote.Subjects());
        Assert.Equal(["a.yaml", "b.yaml", "race-1.yaml", "race-2.yaml", "seed.yaml"], _remote.Files());
        Assert.Equal(_remote.Head(), result.VersionId);
    }

    [Fact]
    public async Task A_remote_that_keeps_moving_fails_the_write_after_the_allowed_attempts_and_nothing_lands()
    {
        await using var writer = Writer(attempts: 3);
        var attempts = 0;
        writer.BeforePush = attempt =>
        {
            attempts = attempt;
            _remote.CommitExternally($"racing commit {attempt}", ($"race-{attempt}.yaml", "r"));
            return Task.CompletedTask;
        };

        var error = await Assert.ThrowsAsync<KratixException>(() => writer.WriteAsync([new StateStoreChange("Update from: wp", [File("mine.yaml", "1")], [])]));

        Assert.Equal("GitRemoteKeptMoving", error.ErrorId);
        Assert.Contains("kept moving", error.Message);
        Assert.Equal(3, attempts);
        Assert.DoesNotContain("mine.yaml", _remote.Files());
        Assert.Equal(3, _remote.CommitCount());
    }

    [Fact]
    public async Task A_push_refused_by_a_server_hook_fails_with_the_hooks_message_and_is_not_retried()
    {
        if (OperatingSystem.IsWindows())
        {
            return;
        }
        InstallRemoteHook("pre-receive", "echo 'branch main is protected by policy' >&2\nexit 1");
        await using var writer = Writer();
        var attempts = 0;
        writer.BeforePush = attempt => { attempts = attempt; return Task.CompletedTask; };

        var error = await Assert.ThrowsAsync<KratixException>(() => writer.WriteAsync([new StateStoreChange("Update from: wp", [File("a.yaml", "1")], [])]));

        Assert.Equal("GitPushRejected", error.ErrorId);
        Assert.Contains("branch main is protected by policy", error.Message);
        Assert.Contains("pre-receive hook declined", error.Message);
        Assert.Equal(1, attempts);
        Assert.Null(_remote.Head());
    }

    [Fact]
    public async Task Validate_permissions_on_a_writable_remote_succeeds_and_leaves_no_trace()
    {
        await using var writer = Writer();
        await writer.ValidatePermissionsAsync();
        Assert.Empty(_remote.Refs());
        Assert.Null(_remote.Head());

        await writer.WriteAsync([new StateStoreChange("Update from: wp", [File("a.yaml", "1")], [])]);
        var head = _remote.Head();
        await writer.ValidatePermissionsAsync();

        Assert.Equal(["refs/heads/main"], _remote.Refs());
        Assert.Equal(head, _remote.Head());
        Assert.Equal(1, _remote.CommitCount());
        Assert.Equal("", _remote.Git("rev-list", "--all", "--not", "main").Trim());
    }

    [Fact]
    public async Task Validate_permissions_really_pushes_so_a_remote_that_refuses_writes_fails_it()
    {
        if (OperatingSystem.IsWindows())
        {
            return;
        }
        _remote.CommitExternally("seed", ("a.yaml", "1"));
        InstallRemoteHook("pre-receive", "echo 'read-only mirror' >&2\nexit 1");
        await using var writer = Writer();

        var error = await Assert.ThrowsAsync<KratixException>(() => writer.ValidatePermissionsAsync());

        Assert.Equal("StateStoreNotWritable", error.ErrorId);
        Assert.Equal(KratixErrorCategory.PermissionDenied, error.Category);
        Assert.Contains("read-only mirror", error.Message);
        Assert.Equal(["refs/heads/main"], _remote.Refs());
    }

    [Fact]
    public async Task Validate_permissions_on_a_missing_remote_fails_clearly()
    {
        var missing = _temp.Combine("does-not-exist.git");
        await using var writer = Writer(url: missing);

        var error = await Assert.ThrowsAsync<KratixException>(() => writer.ValidatePermissionsAsync());

        Assert.Equal("StateStoreNotReadable", error.ErrorId);
        Assert.Contains(missing, error.Message);
        Assert.Contains("does not appear to be a git repository", error.Message);
        var inner = Assert.IsType<KratixException>(error.InnerException);
        Assert.Equal("GitCommandFailed", inner.ErrorId);
        Assert.Contains("git fetch failed with exit code 128", inner.Message);
    }

    [Fact]
    public async Task Credentials_in_the_url_never_reach_messages_or_command_lines()
    {
        await using var writer = Writer(url: "https://kratix-user:s3cr3t-t0ken@127.0.0.1:9/state.git");

        var error = await Assert.ThrowsAsync<KratixException>(() => writer.WriteAsync([new StateStoreChange("c", [File("a", "1")], [])]));

        Assert.Equal("GitCommandFailed", error.ErrorId);
        Assert.Equal(KratixErrorCategory.ConnectionError, error.Category);
        Assert.DoesNotContain("s3cr3t", error.Message);
        Assert.DoesNotContain("kratix-user", error.Message);
        Assert.Contains("https://***@127.0.0.1:9/state.git", error.Message);
        Assert.DoesNotContain("s3cr3t", error.Target?.ToString() ?? "");
        Assert.DoesNotContain("s3cr3t", System.IO.File.ReadAllText(Path.Combine(_temp.Combine("wc"), "config")));
    }

    [Fact]
    public async Task Cancellation_kills_a_hanging_git_process_tree()
    {
        if (!OperatingSystem.IsLinux())
        {
            return;
        }
        // Unique per run, so another test run on the same machine cannot be mistaken for a survivor of this one.
        var marker = $"31.{Random.Shared.Next(100_000, 999_999)}";
        await using var writer = Writer(url: "ssh://nobody@example.invalid/state.git",
            environment: new Dictionary<string, string> { ["GIT_SSH_COMMAND"] = $"sleep {marker};:" });
        using var cancellation = new CancellationTokenSource(TimeSpan.FromMilliseconds(500));
        var clock = Stopwatch.StartNew();

        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => writer.WriteAsync([new StateStoreChange("c", [File("a", "1")], [])], cancellation.Token));

        Assert.True(clock.Elapsed < TimeSpan.FromSeconds(10), $"cancellation took {clock.Elapsed}");
        await Task.Delay(200);
        var survivors = Directory.EnumerateDirectories("/proc")
            .Select(dir => { try { return System.IO.File.ReadAllText(Path.Combine(dir, "cmdline")); } catch (IOException) { return ""; } catch (UnauthorizedAccessException) { return ""; } })
            .Where(cmdline => cmdline.Contains(marker, StringComparison.Ordinal))
            .ToList();
        Assert.Empty(survivors);
    }

    [Fact]
    public async Task A_batch_committed_locally_but_never_pushed_is_rebuilt_by_the_next_write()
    {
        await using (var dying = Writer())
        {
            await dying.WriteAsync([new StateStoreChange("seed", [File("seed.yaml", "s")], [])]);
            // The process dies between fast-import and push (here: the push never happens).
            dying.BeforePush = _ => throw new InvalidOperationException("killed");
            await Assert.ThrowsAsync<InvalidOperationException>(() => dying.WriteAsync([new StateStoreChange("Update from: wp-1", [File("one.yaml", "1")], [])]));
        }

        var cache = _temp.Combine("wc");
        var unpushed = RunGit(cache, "rev-parse", "refs/kratix/batch").Trim();
        Assert.NotEqual(_remote.Head(), unpushed);
        Assert.DoesNotContain("one.yaml", _remote.Files());

        // The next session's writer over the same local repository.
        await using var next = Writer();
        var result = await next.WriteAsync([new StateStoreChange("Update from: wp-1", [File("one.yaml", "1")], [])]);

        Assert.Equal(1, result.ChangesWritten);
        Assert.Equal(["one.yaml", "seed.yaml"], _remote.Files());
        Assert.Equal(["Update from: wp-1", "seed"], _remote.Subjects());
        var again = await next.WriteAsync([new StateStoreChange("Update from: wp-1", [File("one.yaml", "1")], [])]);
        Assert.Equal((false, 0), (again.Changed, again.ChangesWritten));
    }

    [Fact]
    public async Task A_lock_file_a_killed_git_left_is_waited_for_then_removed()
    {
        await using var writer = Writer();
        await writer.WriteAsync([new StateStoreChange("seed", [File("seed.yaml", "s")], [])]);
        writer.StaleGitLockAge = TimeSpan.FromMilliseconds(500);
        var shallowLock = Path.Combine(_temp.Combine("wc"), "shallow.lock");
        System.IO.File.WriteAllText(shallowLock, string.Empty); // young: it may belong to a git that outlived its process

        var watch = Stopwatch.StartNew();
        await writer.WriteAsync([new StateStoreChange("Update from: wp-1", [File("one.yaml", "1")], [])]);

        Assert.True(watch.Elapsed >= TimeSpan.FromMilliseconds(400), $"the writer did not wait for the young lock ({watch.Elapsed})");
        Assert.False(System.IO.File.Exists(shallowLock));
        Assert.Equal(["one.yaml", "seed.yaml"], _remote.Files());
    }

    private static string RunGit(string gitDirectory, params string[] args)
    {
        var info = new ProcessStartInfo("git") { RedirectStandardOutput = true, RedirectStandardError = true };
        info.ArgumentList.Add("--git-dir=" + gitDirectory);
        foreach (var arg in args)
        {
            info.ArgumentList.Add(arg);
        }

        using var process = Process.Start(info)!;
        var output = process.StandardOutput.ReadToEnd();
        process.WaitForExit();
        return output;
    }
}
