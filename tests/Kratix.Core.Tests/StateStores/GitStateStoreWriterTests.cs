using System.Diagnostics;
using System.Text;
using Kratix.StateStores;

namespace Kratix.Tests.StateStores;

/// <summary>Writes, commits and batching of the Git writer, checked on the bare remote with git itself.</summary>
public sealed class GitStateStoreWriterTests : IDisposable
{
    private readonly TempDirectory _temp = new();
    private readonly GitRemote _remote;

    public GitStateStoreWriterTests() => _remote = new GitRemote(_temp);

    public void Dispose() => _temp.Dispose();

    internal GitStateStoreWriter Writer(string name = "wc", string basePath = "", string? author = null, string? email = null,
        IReadOnlyDictionary<string, string>? environment = null) =>
        new(new GitStateStoreOptions
        {
            Url = _remote.Path,
            WorkingDirectory = _temp.Combine(name),
            BasePath = basePath,
            AuthorName = author ?? "kratix",
            AuthorEmail = email ?? "",
            Environment = environment,
        });

    internal static StateStoreFile File(string path, string content) => new(path, Encoding.UTF8.GetBytes(content));

    internal static StateStoreChange Update(string workPlacement, params StateStoreFile[] files) => new($"Update from: {workPlacement}", files, []);

    [Fact]
    public async Task A_write_lands_on_the_remote_with_the_given_message_author_and_committer()
    {
        await using var writer = Writer(author: "Platform Team", email: "platform@example.com");

        var result = await writer.WriteAsync([Update("wp-1", File("dependencies/p/5058f/ns.yaml", "kind: Namespace\n"))]);

        Assert.True(result.Changed);
        Assert.Equal(_remote.Head(), result.VersionId);
        Assert.Equal("Platform Team|platform@example.com|Platform Team|platform@example.com|Update from: wp-1",
            _remote.Git("log", "-1", "--format=%an|%ae|%cn|%ce|%B", "main").Trim());
        Assert.Equal("kind: Namespace\n", _remote.Show("dependencies/p/5058f/ns.yaml"));
        Assert.Equal(["dependencies/p/5058f/ns.yaml"], _remote.Files());
    }

    [Fact]
    public async Task The_default_identity_is_upstreams_kratix_with_no_email()
    {
        await using var writer = Writer();
        await writer.WriteAsync([new StateStoreChange("kratix-canary", [File("resources/kratix-canary-configmap.yaml", "x")], [])]);
        Assert.Equal("kratix <> kratix <> kratix-canary", _remote.Git("log", "-1", "--format=%an <%ae> %cn <%ce> %s", "main").Trim());
    }

    [Fact]
    public async Task Content_is_stored_byte_for_byte()
    {
        await using var writer = Writer();
        byte[] binary = [0, 1, 2, 13, 10, 255, 254, 13, 13, 10];
        await writer.WriteAsync([new StateStoreChange("c", [File("crlf.yaml", "a: 1\r\nb: 2\r\n"), new StateStoreFile("bin.dat", binary), File("empty.yaml", "")], [])]);

        Assert.Equal("a: 1\r\nb: 2\r\n", _remote.Show("crlf.yaml"));
        Assert.Equal("", _remote.Show("empty.yaml"));
        Assert.Equal(binary, await writer.ReadFileAsync("bin.dat"));
        var blobId = _remote.Git("rev-parse", "main:bin.dat").Trim();
        Assert.Equal(GitObjectId.ForBlob(binary), blobId);
    }

    [Fact]
    public async Task A_batch_is_one_commit_of_the_changes_that_change_something_and_no_ops_make_none()
    {
        await using var writer = Writer();
        await writer.WriteAsync([Update("seed", File("existing.yaml", "same"))]);

        var result = await writer.WriteAsync(
        [
            Update("wp-a", File("a.yaml", "a")),
            Update("wp-same-again", File("a.yaml", "a")),
            Update("wp-existing", File("existing.yaml", "same")),
            new StateStoreChange("Delete from: wp-absent", [], ["not/there.yaml"]),
            new StateStoreChange("Delete from: wp-empty", [], []),
            Update("wp-b", File("b.yaml", "b")),
        ]);

        Assert.True(result.Changed);
        Assert.Equal(["Update from: wp-a (and 1 more)", "Update from: seed"], _remote.Subjects());
        Assert.Equal("Update from: wp-a (and 1 more)\n\nUpdate from: wp-a\nUpdate from: wp-b", _remote.Git("log", "-1", "--format=%B", "main").Trim());
        Assert.Equal(_remote.Head(), result.VersionId);
        Assert.Equal(2, result.ChangesWritten);

        var head = _remote.Head();
        var again = await writer.WriteAsync([Update("wp-a", File("a.yaml", "a")), Update("wp-b", File("b.yaml", "b"))]);
        Assert.False(again.Changed);
        Assert.Equal(head, again.VersionId);
        Assert.Equal(2, _remote.CommitCount());
    }

    [Fact]
    public async Task Replace_directory_removes_what_the_change_does_not_write_and_nothing_else()
    {
        await using var writer = Writer();
        await writer.WriteAsync([Update("wp", File("res/ns/p/rr/pipe/id5/keep.yaml", "1"), File("res/ns/p/rr/pipe/id5/stale.yaml", "1"),
            File("res/ns/p/rr/pipe/id5/deep/stale.yaml", "1"), File("res/ns/p/rr/pipe/id5x/sibling.yaml", "1"), File("res/ns/p/rr/other/keep.yaml", "1"))]);

        await writer.WriteAsync([new StateStoreChange("Update from: wp", [File("res/ns/p/rr/pipe/id5/keep.yaml", "2")], [], "res/ns/p/rr/pipe/id5")]);

        Assert.Equal(["res/ns/p/rr/other/keep.yaml", "res/ns/p/rr/pipe/id5/keep.yaml", "res/ns/p/rr/pipe/id5x/sibling.yaml"], _remote.Files());
        Assert.Equal("2", _remote.Show("res/ns/p/rr/pipe/id5/keep.yaml"));
        Assert.Equal(2, _remote.CommitCount());

        var same = await writer.WriteAsync([new StateStoreChange("Update from: wp", [File("res/ns/p/rr/pipe/id5/keep.yaml", "2")], [], "res/ns/p/rr/pipe/id5")]);
        Assert.False(same.Changed);
    }

    [Fact]
    public async Task Deletions_remove_files_and_whole_directories()
    {
        await using var writer = Writer();
        await writer.WriteAsync([Update("wp", File("a/one.yaml", "1"), File("a/b/two.yaml", "2"), File("c.yaml", "3"), File("ab.yaml", "4"))]);

        var result = await writer.WriteAsync([new StateStoreChange("Delete from: wp", [], ["a", "c.yaml"])]);

        Assert.True(result.Changed);
        Assert.Equal(["ab.yaml"], _remote.Files());
        Assert.Equal("Delete from: wp", _remote.Subjects()[0]);
    }

    [Fact]
    public async Task A_file_replaces_a_directory_and_a_directory_replaces_a_file()
    {
        await using var writer = Writer();
        await writer.WriteAsync([Update("wp", File("x/inner.yaml", "1"), File("y", "file"))]);
        await writer.WriteAsync([Update("wp", File("x", "now a file"), File("y/inner.yaml", "now a dir"))]);
        Assert.Equal(["x", "y/inner.yaml"], _remote.Files());
    }

    [Fact]
    public async Task An_empty_remote_gets_the_branch_created_by_a_root_commit()
    {
        _remote.Git("symbolic-ref", "HEAD", "refs/heads/trunk");
        Assert.Null(_remote.Head());
        await using var writer = Writer();

        Assert.Null(await writer.ReadFileAsync("a.yaml"));
        Assert.Empty(await writer.ListFilesAsync(""));
        var nothing = await writer.WriteAsync([new StateStoreChange("Delete from: wp", [], ["a.yaml"])]);
        Assert.Equal(new StateStoreWriteResult(null, false, 0, []), nothing);
        Assert.Empty(_remote.Refs());

        var result = await writer.WriteAsync([Update("wp", File("a.yaml", "1"))]);

        Assert.Equal(_remote.Head(), result.VersionId);
        Assert.Equal(["refs/heads/main"], _remote.Refs());
        Assert.Equal("", _remote.Git("log", "-1", "--format=%P", "main").Trim());
    }

    [Fact]
    public async Task A_missing_branch_is_created_beside_the_existing_ones()
    {
        var other = _remote.CommitExternally("someone else's branch", ("README.md", "hi"));
        await using var writer = new GitStateStoreWriter(new GitStateStoreOptions
        {
            Url = _remote.Path, Branch = "kratix/dev", WorkingDirectory = _temp.Combine("wc"),
        });

        await writer.WriteAsync([Update("wp", File("a.yaml", "1"))]);

        Assert.Equal(other, _remote.Head());
        Assert.Equal("1", _remote.Git("show", "kratix/dev:a.yaml"));
        Assert.Equal("", _remote.Git("log", "-1", "--format=%P", "kratix/dev").Trim());
    }

    [Fact]
    public async Task Base_path_prefixes_every_path_and_leaves_the_rest_of_the_repository_alone()
    {
        _remote.CommitExternally("outside", ("README.md", "hi"), ("clusters/dev-other/x.yaml", "other"), ("clusters/dev/old/stale.yaml", "s"));
        await using var writer = Writer(basePath: @".\clusters\dev/");

        await writer.WriteAsync([new StateStoreChange("Update from: wp", [File("old/new.yaml", "n")], [], "old")]);
        await writer.WriteAsync([new StateStoreChange("Delete from: wp", [], ["missing"])]);

        Assert.Equal(["README.md", "clusters/dev-other/x.yaml", "clusters/dev/old/new.yaml"], _remote.Files());
        Assert.Equal(["old/new.yaml"], await writer.ListFilesAsync(""));
        Assert.Equal("n", Encoding.UTF8.GetString((await writer.ReadFileAsync("old/new.yaml"))!));
        Assert.Null(await writer.ReadFileAsync("README.md"));
    }

    [Fact]
    public async Task Reads_and_lists_see_the_remote_as_it_is_now()
    {
        await using var writer = Writer();
        await writer.WriteAsync([Update("wp", File("b/z.yaml", "z"), File("b/a.yaml", "a"), File("B.yaml", "B"))]);
        _remote.CommitExternally("external", ("b/external.yaml", "from outside"));

        Assert.Equal("from outside", Encoding.UTF8.GetString((await writer.ReadFileAsync("b/external.yaml"))!));
        Assert.Null(await writer.ReadFileAsync("b"));
        Assert.Null(await writer.ReadFileAsync("nope.yaml"));
        Assert.Equal(["B.yaml", "b/a.yaml", "b/external.yaml", "b/z.yaml"], await writer.ListFilesAsync(""));
        Assert.Equal(["b/a.yaml", "b/external.yaml", "b/z.yaml"], await writer.ListFilesAsync("b/"));
        Assert.Empty(await writer.ListFilesAsync("b/a.yaml"));
        var error = await Assert.ThrowsAsync<KratixException>(() => writer.ReadFileAsync("../etc/passwd"));
        Assert.Equal("StateStorePathEscapes", error.ErrorId);
    }

    [Fact]
    public async Task A_bad_path_anywhere_in_the_batch_means_nothing_is_pushed_and_git_is_not_run()
    {
        await using var writer = Writer();
        await writer.WriteAsync([Update("seed", File("seed.yaml", "1"))]);
        var head = _remote.Head();
        var before = writer.ProcessesStarted;

        var error = await Assert.ThrowsAsync<KratixException>(() => writer.WriteAsync(
        [
            Update("good", File("good.yaml", "1")),
            new StateStoreChange("Delete from: evil", [], ["../../outside"]),
        ]));

        Assert.Equal("StateStorePathEscapes", error.ErrorId);
        Assert.Contains("Delete from: evil", error.Message);
        Assert.Contains("../../outside", error.Message);
        Assert.Equal(head, _remote.Head());
        Assert.Equal(before, writer.ProcessesStarted);
    }

    [Fact]
    public async Task A_batch_of_200_changes_makes_one_commit_with_a_handful_of_git_processes()
    {
        await using var writer = Writer();
        await writer.WriteAsync([Update("seed", File("seed.yaml", "1"))]);
        var before = writer.ProcessesStarted;
        var changes = Enumerable.Range(0, 200).Select(i => new StateStoreChange(
            $"Update from: wp-{i:D3}",
            [File($"resources/ns/p/rr-{i:D3}/pipe/id5/a.yaml", $"a{i}"), File($"resources/ns/p/rr-{i:D3}/pipe/id5/b.yaml", "shared")],
            [],
            $"resources/ns/p/rr-{i:D3}/pipe/id5")).ToList();

        var result = await writer.WriteAsync(changes);

        var processes = writer.ProcessesStarted - before;
        Assert.True(processes <= 4, $"a 200-change batch started {processes} git processes");
        Assert.Equal(2, _remote.CommitCount());
        Assert.Equal(["Update from: wp-000 (and 199 more)", "Update from: seed"], _remote.Subjects());
        // Every change's message is in the body, so `git log --grep` finds each placement.
        Assert.Equal(changes.Select(c => c.Description), _remote.Git("log", "-1", "--format=%b", "main").Trim().Split('\n'));
        Assert.Equal(result.VersionId, _remote.Git("log", "--format=%H", "--grep", "^Update from: wp-137$", "main").Trim());
        Assert.Equal(401, _remote.Files().Count);
        Assert.Equal(result.VersionId, _remote.Head());
        Assert.Equal(200, result.ChangesWritten);
    }

    [Fact]
    public async Task The_working_copy_is_reused_by_a_new_writer_on_the_same_directory()
    {
        await using (var first = Writer())
        {
            await first.WriteAsync([Update("wp-1", File("one.yaml", "1"))]);
        }
        await using var second = Writer();
        var before = second.ProcessesStarted;

        await second.WriteAsync([Update("wp-2", File("two.yaml", "2"))]);

        Assert.Equal(["one.yaml", "two.yaml"], _remote.Files());
        Assert.True(second.ProcessesStarted - before <= 4, "no clone or init for an existing working copy");
    }

    [Fact]
    public async Task A_working_directory_that_is_not_the_writers_is_refused()
    {
        var busy = _temp.Combine("busy");
        Directory.CreateDirectory(busy);
        System.IO.File.WriteAllText(Path.Combine(busy, "notes.txt"), "mine");
        await using var writer = Writer("busy");

        var error = await Assert.ThrowsAsync<KratixException>(() => writer.WriteAsync([Update("wp", File("a", "1"))]));

        Assert.Equal("StateStoreWorkingDirectoryInvalid", error.ErrorId);
        Assert.Equal(["notes.txt"], Directory.EnumerateFileSystemEntries(busy).Select(Path.GetFileName));
    }

    [Theory]
    [InlineData("", "wc", "kratix", "", 5)]
    [InlineData("/r.git", "", "kratix", "", 5)]
    [InlineData("/r.git", "wc", "a<b", "", 5)]
    [InlineData("/r.git", "wc", "kratix", "x>y", 5)]
    [InlineData("/r.git", "wc", "kratix", "", 0)]
    public void Bad_options_are_refused(string url, string workingDirectory, string author, string email, int attempts)
    {
        var error = Assert.Throws<KratixException>(() => new GitStateStoreWriter(new GitStateStoreOptions
        {
            Url = url, WorkingDirectory = workingDirectory, AuthorName = author, AuthorEmail = email, MaxPushAttempts = attempts,
        }));
        Assert.Equal("StateStoreOptionsInvalid", error.ErrorId);
    }

    [Theory]
    [InlineData("https://git.example.com/org/state.git")]
    [InlineData("ssh://git@example.com:2222/state.git")]
    [InlineData("git@github.com:org/state.git")]
    [InlineData("example.com:state.git")]
    [InlineData("file:///srv/state.git")]
    public void Remote_urls_are_passed_on_unchanged(string url)
    {
        Assert.Equal(url, GitStateStoreWriter.ResolveUrl(url));
    }

    [Fact]
    public void Relative_local_paths_are_made_absolute_against_the_current_directory()
    {
        Assert.Equal(Path.GetFullPath("state/remote.git"), GitStateStoreWriter.ResolveUrl("state/remote.git"));
        Assert.Equal(Path.GetFullPath("../remote.git"), GitStateStoreWriter.ResolveUrl("../remote.git"));
        Assert.True(Path.IsPathFullyQualified(GitStateStoreWriter.ResolveUrl("./x:y/remote.git")));
    }

    [Theory]
    [InlineData("-main")]
    [InlineData("a..b")]
    [InlineData("feature/")]
    [InlineData("with space")]
    [InlineData("x.lock")]
    [InlineData("a:b")]
    [InlineData("")]
    public void Bad_branch_names_are_refused(string branch)
    {
        var error = Assert.Throws<KratixException>(() => new GitStateStoreWriter(new GitStateStoreOptions
        {
            Url = "/r.git", WorkingDirectory = "wc", Branch = branch,
        }));
        Assert.Equal("StateStoreOptionsInvalid", error.ErrorId);
    }

    [Fact]
    public async Task A_hostile_global_git_config_does_not_change_what_is_written()
    {
        if (OperatingSystem.IsWindows())
        {
            return; // The hooks below are shell scripts.
        }
        var hooks = _temp.Combine("global-hooks");
        Directory.CreateDirectory(hooks);
        foreach (var hook in new[] { "pre-push", "reference-transaction", "post-checkout", "pre-commit" })
        {
            var path = Path.Combine(hooks, hook);
            // With a remote on the same machine, the remote's receive-pack reads the same global config: its hooks are the
            // server's business and may run. Only hooks in the writer's own repository must not.
            System.IO.File.WriteAllText(path, $"#!/bin/sh\ncase \"$PWD\" in *remote.git*) exit 0;; esac\necho {hook} ran in $PWD >> {_temp.Combine("hooks-ran")}\nexit 1\n");
            System.IO.File.SetUnixFileMode(path, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute);
        }
        var config = _temp.Combine("hostile.gitconfig");
        System.IO.File.WriteAllText(config, $"""
            [user]
                useConfigOnly = true
            [core]
                hooksPath = {hooks}
                autocrlf = true
            [commit]
                gpgSign = true
            [push]
                gpgSign = true
                pushOption = ci.skip
                followTags = true
            [safe]
                bareRepository = explicit
            """);
        await using var writer = Writer(environment: new Dictionary<string, string> { ["GIT_CONFIG_GLOBAL"] = config, ["HOME"] = _temp.Path });

        await writer.WriteAsync([Update("wp", File("crlf.yaml", "a\r\nb\r\n"))]);
        await writer.ValidatePermissionsAsync();

        Assert.Equal("a\r\nb\r\n", _remote.Show("crlf.yaml"));
        Assert.Equal("kratix <>", _remote.Git("log", "-1", "--format=%an <%ae>", "main").Trim());
        var ran = _temp.Combine("hooks-ran");
        Assert.False(System.IO.File.Exists(ran), System.IO.File.Exists(ran) ? System.IO.File.ReadAllText(ran) : "");
    }

    [Fact]
    public async Task Git_variables_of_an_enclosing_hook_do_not_redirect_the_writer()
    {
        var decoy = new GitRemote(_temp, "decoy.git");
        var previous = Environment.GetEnvironmentVariable("GIT_DIR");
        Environment.SetEnvironmentVariable("GIT_DIR", decoy.Path);
        try
        {
            await using var writer = Writer();
            await writer.WriteAsync([Update("wp", File("a.yaml", "1"))]);
        }
        finally
        {
            Environment.SetEnvironmentVariable("GIT_DIR", previous);
        }
        Assert.Equal(["a.yaml"], _remote.Files());
        Assert.Empty(decoy.Refs());
    }
}
