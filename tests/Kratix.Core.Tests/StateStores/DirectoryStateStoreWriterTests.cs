using System.Text;
using Kratix.StateStores;

namespace Kratix.Tests.StateStores;

public sealed class DirectoryStateStoreWriterTests : IDisposable
{
    private readonly TempDirectory _temp = new();
    private readonly string _root;

    public DirectoryStateStoreWriterTests() => _root = _temp.Combine("store", "nested");

    public void Dispose() => _temp.Dispose();

    private static StateStoreFile File(string path, string content) => new(path, Encoding.UTF8.GetBytes(content));

    private string Read(string relative) => System.IO.File.ReadAllText(Path.Combine(_root, relative));

    private List<string> AllEntries() =>
        Directory.EnumerateFileSystemEntries(_root, "*", SearchOption.AllDirectories)
            .Select(p => Path.GetRelativePath(_root, p).Replace('\\', '/')).Order(StringComparer.Ordinal).ToList();

    [Fact]
    public async Task Writes_files_creating_the_root_on_demand()
    {
        await using var writer = new DirectoryStateStoreWriter(_root);
        Assert.False(Directory.Exists(_root));

        var result = await writer.WriteAsync([new StateStoreChange("Update from: wp", [File("dependencies/p/5058f/a.yaml", "a: 1\r\n"), File("b.yaml", "b")], [])]);

        Assert.True(result.Changed);
        Assert.Null(result.VersionId);
        Assert.Equal("a: 1\r\n", Read("dependencies/p/5058f/a.yaml"));
        Assert.Equal("b", Read("b.yaml"));
        Assert.Equal(["b.yaml", "dependencies", "dependencies/p", "dependencies/p/5058f", "dependencies/p/5058f/a.yaml"], AllEntries());
    }

    [Fact]
    public async Task Overwrites_and_reports_no_change_when_content_is_identical()
    {
        await using var writer = new DirectoryStateStoreWriter(_root);
        await writer.WriteAsync([new StateStoreChange("one", [File("a.yaml", "old")], [])]);

        var overwrite = await writer.WriteAsync([new StateStoreChange("two", [File("a.yaml", "new")], [])]);
        Assert.True(overwrite.Changed);
        Assert.Equal("new", Read("a.yaml"));

        var again = await writer.WriteAsync([new StateStoreChange("three", [File("a.yaml", "new")], [])]);
        Assert.False(again.Changed);
        Assert.Equal(["a.yaml"], AllEntries());
    }

    [Fact]
    public async Task Replace_directory_removes_stale_files_only_under_that_directory()
    {
        await using var writer = new DirectoryStateStoreWriter(_root);
        await writer.WriteAsync([new StateStoreChange("first",
            [File("res/id5/keep.yaml", "1"), File("res/id5/stale.yaml", "1"), File("res/id5/sub/stale.yaml", "1"), File("res/other/untouched.yaml", "1")], [])]);

        var result = await writer.WriteAsync([new StateStoreChange("second", [File("res/id5/keep.yaml", "2"), File("res/id5/new.yaml", "2")], [], "res/id5")]);

        Assert.True(result.Changed);
        Assert.Equal(["res/id5/keep.yaml", "res/id5/new.yaml", "res/other/untouched.yaml"], await writer.ListFilesAsync(""));
        Assert.Equal("2", Read("res/id5/keep.yaml"));
        Assert.False(Directory.Exists(Path.Combine(_root, "res", "id5", "sub")));
    }

    [Fact]
    public async Task Replace_directory_with_no_files_empties_it_and_prunes_it()
    {
        await using var writer = new DirectoryStateStoreWriter(_root);
        await writer.WriteAsync([new StateStoreChange("first", [File("a/b/id5/x.yaml", "1"), File("top.yaml", "1")], [])]);

        await writer.WriteAsync([new StateStoreChange("second", [], [], "a/b/id5")]);

        Assert.Equal(["top.yaml"], AllEntries());
        Assert.True(Directory.Exists(_root));
    }

    [Fact]
    public async Task Deletions_remove_files_and_directories_and_prune_empty_parents_but_not_the_root()
    {
        await using var writer = new DirectoryStateStoreWriter(_root);
        await writer.WriteAsync([new StateStoreChange("first",
            [File("a/b/c/file.yaml", "1"), File("a/keep.yaml", "1"), File("d/e/f.yaml", "1"), File("d/e/g/h.yaml", "1")], [])]);

        var result = await writer.WriteAsync([new StateStoreChange("Delete from: wp", [], ["a/b/c/file.yaml", "d", "missing/file.yaml"])]);

        Assert.True(result.Changed);
        Assert.Equal(["a", "a/keep.yaml"], AllEntries());

        var nothing = await writer.WriteAsync([new StateStoreChange("Delete from: wp", [], ["a/keep.yaml"])]);
        Assert.True(nothing.Changed);
        Assert.Empty(AllEntries());
        Assert.True(Directory.Exists(_root));

        var absent = await writer.WriteAsync([new StateStoreChange("Delete from: wp", [], ["a/keep.yaml"])]);
        Assert.False(absent.Changed);
    }

    [Fact]
    public async Task Deletion_and_write_of_the_same_path_leaves_the_file_written()
    {
        await using var writer = new DirectoryStateStoreWriter(_root);
        await writer.WriteAsync([new StateStoreChange("c", [File("x/a.yaml", "new")], ["x"])]);
        Assert.Equal("new", Read("x/a.yaml"));
    }

    [Fact]
    public async Task A_file_replaces_a_directory_and_a_directory_replaces_a_file()
    {
        await using var writer = new DirectoryStateStoreWriter(_root);
        await writer.WriteAsync([new StateStoreChange("c", [File("x/inner.yaml", "1"), File("y", "file")], [])]);

        await writer.WriteAsync([new StateStoreChange("c", [File("x", "now a file"), File("y/inner.yaml", "now a dir")], [])]);

        Assert.Equal(["x", "y/inner.yaml"], await writer.ListFilesAsync(""));
        Assert.Equal("now a file", Read("x"));
    }

    [Theory]
    [InlineData("../escape.yaml")]
    [InlineData("/abs.yaml")]
    [InlineData("")]
    [InlineData(".git/config")]
    [InlineData("bad\u0001name")]
    [InlineData("a/con.yaml")]
    [InlineData("trailing.")]
    [InlineData("what?.yaml")]
    [InlineData(".kratix-tmp-0123456789abcdef0123456789abcdef")]
    public async Task A_bad_path_in_any_change_means_nothing_is_written(string badPath)
    {
        await using var writer = new DirectoryStateStoreWriter(_root);
        var changes = new[]
        {
            new StateStoreChange("Update from: good", [File("good.yaml", "1")], []),
            new StateStoreChange("Update from: bad", [File("fine.yaml", "1"), File(badPath, "x")], []),
        };

        var error = await Assert.ThrowsAsync<KratixException>(() => writer.WriteAsync(changes));

        Assert.Equal("StateStorePathEscapes", error.ErrorId);
        Assert.Contains("Update from: bad", error.Message);
        Assert.False(Directory.Exists(_root));
        Assert.False(System.IO.File.Exists(_temp.Combine("store", "escape.yaml")));
    }

    [Theory]
    [InlineData("deletion")]
    [InlineData("replace")]
    public async Task Bad_deletions_and_replace_directories_are_refused_before_anything_changes(string kind)
    {
        await using var writer = new DirectoryStateStoreWriter(_root);
        await writer.WriteAsync([new StateStoreChange("seed", [File("keep.yaml", "1")], [])]);
        var outside = _temp.Combine("store", "outside.yaml");
        System.IO.File.WriteAllText(outside, "precious");

        var bad = kind == "deletion"
            ? new StateStoreChange("Delete from: wp", [], ["../outside.yaml"])
            : new StateStoreChange("Update from: wp", [File("x.yaml", "1")], [], "..");
        var error = await Assert.ThrowsAsync<KratixException>(() => writer.WriteAsync([new StateStoreChange("first", [], ["keep.yaml"]), bad]));

        Assert.Equal("StateStorePathEscapes", error.ErrorId);
        Assert.Equal("precious", System.IO.File.ReadAllText(outside));
        Assert.Equal(["keep.yaml"], AllEntries());
    }

    [Fact]
    public async Task Reads_and_lists()
    {
        await using var writer = new DirectoryStateStoreWriter(_root);
        Assert.Null(await writer.ReadFileAsync("a.yaml"));
        Assert.Empty(await writer.ListFilesAsync(""));

        await writer.WriteAsync([new StateStoreChange("c", [File("b/z.yaml", "z"), File("b/a.yaml", "a"), File("B.yaml", "B"), File("a.yaml", "1")], [])]);

        Assert.Equal("z", Encoding.UTF8.GetString((await writer.ReadFileAsync(@"b\z.yaml"))!));
        Assert.Null(await writer.ReadFileAsync("b"));
        Assert.Equal(["B.yaml", "a.yaml", "b/a.yaml", "b/z.yaml"], await writer.ListFilesAsync(""));
        Assert.Equal(["b/a.yaml", "b/z.yaml"], await writer.ListFilesAsync("./b/"));
        Assert.Empty(await writer.ListFilesAsync("missing"));
        await Assert.ThrowsAsync<KratixException>(() => writer.ReadFileAsync("../x"));
        await Assert.ThrowsAsync<KratixException>(() => writer.ListFilesAsync("../"));
    }

    [Fact]
    public async Task Symbolic_links_are_replaced_never_followed()
    {
        if (OperatingSystem.IsWindows())
        {
            return; // Creating symbolic links needs a privilege on Windows.
        }
        var outside = _temp.Combine("outside");
        Directory.CreateDirectory(outside);
        System.IO.File.WriteAllText(Path.Combine(outside, "victim.yaml"), "precious");
        Directory.CreateDirectory(_root);
        Directory.CreateSymbolicLink(Path.Combine(_root, "link"), outside);
        Directory.CreateSymbolicLink(Path.Combine(_root, "gone"), outside);
        await using var writer = new DirectoryStateStoreWriter(_root);

        Assert.Equal(["gone", "link"], await writer.ListFilesAsync(""));
        await writer.WriteAsync([new StateStoreChange("c", [File("link/victim.yaml", "overwritten?")], ["gone"])]);

        Assert.Equal("precious", System.IO.File.ReadAllText(Path.Combine(outside, "victim.yaml")));
        Assert.Equal("overwritten?", Read("link/victim.yaml"));
        Assert.False(new DirectoryInfo(Path.Combine(_root, "link")).Attributes.HasFlag(FileAttributes.ReparsePoint));
        Assert.False(Path.Exists(Path.Combine(_root, "gone")));
    }

    [Fact]
    public async Task Concurrent_writes_from_many_tasks_and_two_instances_all_land_intact()
    {
        await using var first = new DirectoryStateStoreWriter(_root);
        await using var second = new DirectoryStateStoreWriter(_root);
        var content = new string('x', 200_000);

        var writes = Enumerable.Range(0, 40).Select(i => Task.Run(() => (i % 2 == 0 ? first : second).WriteAsync(
        [
            new StateStoreChange($"Update from: wp-{i}", [File($"res/wp-{i}/id5/a.yaml", $"{i}:{content}"), File("shared/last.yaml", $"{i}:{content}")], [], $"res/wp-{i}/id5"),
        ]))).ToList();
        await Task.WhenAll(writes);

        var files = await first.ListFilesAsync("");
        Assert.Equal(41, files.Count);
        for (var i = 0; i < 40; i++)
        {
            Assert.Equal($"{i}:{content}", Read($"res/wp-{i}/id5/a.yaml"));
        }
        var shared = Read("shared/last.yaml");
        Assert.EndsWith(content, shared);
        Assert.Equal(content.Length, shared.Length - shared.IndexOf(':') - 1);
        Assert.DoesNotContain(Directory.EnumerateFiles(_root, "*", SearchOption.AllDirectories), p => Path.GetFileName(p).StartsWith(".kratix-tmp-", StringComparison.Ordinal));
    }

    [Fact]
    public async Task Validate_permissions_leaves_no_trace()
    {
        await using var writer = new DirectoryStateStoreWriter(_root);
        await writer.ValidatePermissionsAsync();
        Assert.False(Directory.Exists(_temp.Combine("store")));

        Directory.CreateDirectory(_root);
        await writer.ValidatePermissionsAsync();
        Assert.Empty(AllEntries());
    }

    [Fact]
    public async Task Validate_permissions_fails_when_the_root_cannot_be_created()
    {
        var blocker = _temp.Combine("blocker");
        System.IO.File.WriteAllText(blocker, "a file where a directory should be");
        await using var writer = new DirectoryStateStoreWriter(Path.Combine(blocker, "store"));

        var error = await Assert.ThrowsAsync<KratixException>(() => writer.ValidatePermissionsAsync());

        Assert.Equal("StateStoreNotWritable", error.ErrorId);
        Assert.Equal("a file where a directory should be", System.IO.File.ReadAllText(blocker));
    }

    [Fact]
    public async Task A_cancelled_write_throws_and_a_disposed_writer_refuses_work()
    {
        var writer = new DirectoryStateStoreWriter(_root);
        using var cancelled = new CancellationTokenSource();
        cancelled.Cancel();
        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => writer.WriteAsync([new StateStoreChange("c", [File("a", "1")], [])], cancelled.Token));
        Assert.False(Directory.Exists(_root));

        await writer.DisposeAsync();
        await Assert.ThrowsAsync<ObjectDisposedException>(() => writer.ReadFileAsync("a"));
    }
}
