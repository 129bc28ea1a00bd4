using System.Diagnostics;
using System.Text;
using Kratix.Pipelines;
using Kratix.Tests.StateStores;

namespace Kratix.Core.Tests.Pipelines;

/// <summary>
/// Reading /kratix/output. The files and their order are upstream's (work-creator getWorkloadsFromDir: os.ReadDir,
/// which sorts names byte-wise, recursing into directories where they fall); what is refused is this project's own
/// rule (symbolic links, FIFOs, names Git or Windows cannot hold, too many bytes).
/// </summary>
public sealed class PipelineOutputReaderTests : IDisposable
{
    private const string PipelineName = "make-things";
    private readonly TempDirectory _temp = new();

    private string Output => _temp.Path;

    public void Dispose() => _temp.Dispose();

    private void Write(string relative, string content = "x")
    {
        var path = Path.Combine(Output, relative);
        Directory.CreateDirectory(Path.GetDirectoryName(path)!);
        File.WriteAllText(path, content);
    }

    private IReadOnlyList<PipelineOutputFile> Read(long max = 1 << 20) => PipelineOutputReader.Read(Output, PipelineName, max);

    private KratixException Unsafe(string path)
    {
        var ex = Assert.Throws<KratixException>(() => Read());
        Assert.Equal(PipelineOutputReader.UnsafeErrorId, ex.ErrorId);
        Assert.Contains(path, ex.Message, StringComparison.Ordinal);
        Assert.Contains(PipelineName, ex.Message, StringComparison.Ordinal);
        return ex;
    }

    [Fact]
    public void An_empty_output_has_no_files()
    {
        Directory.CreateDirectory(Path.Combine(Output, "empty", "deeper"));

        Assert.Empty(Read());
    }

    [Fact]
    public void Paths_are_relative_and_slash_separated_with_the_bytes_of_each_file()
    {
        Write("root.yaml", "kind: A\n");
        Write(Path.Combine("dir", "sub", "deep.yaml"), "kind: B\n");

        var files = Read();

        Assert.Equal(["dir/sub/deep.yaml", "root.yaml"], files.Select(f => f.Path));
        Assert.Equal("kind: B\n", files[0].Text);
        Assert.Equal(Encoding.UTF8.GetBytes("kind: A\n"), files[1].Content);
    }

    [Fact]
    public void Files_come_in_directory_walk_order_with_names_sorted()
    {
        foreach (var name in new[] { "c.yaml", "b.yaml", "Z.yaml", "a.yaml", "a-b.yaml", "a/z.yaml", "a/b/c.yaml", "B/x.yaml" })
        {
            Write(name);
        }

        // A whole-path sort would put "a-b.yaml" and "a.yaml" before "a/...": the walk visits directory "a" where its name sorts.
        Assert.Equal(
            ["B/x.yaml", "Z.yaml", "a/b/c.yaml", "a/z.yaml", "a-b.yaml", "a.yaml", "b.yaml", "c.yaml"],
            Read().Select(f => f.Path));
    }

    [Fact]
    public void Names_sort_by_their_UTF8_bytes_as_Go_strings_do()
    {
        // U+FF41 is EF BD 81 in UTF-8 and sorts before U+1F600 (F0 9F 98 80); in UTF-16 the surrogate D83D sorts first.
        const string fullwidth = "\uFF41.yaml";
        const string emoji = "\U0001F600.yaml";
        Write(emoji);
        Write(fullwidth);
        Write("z.yaml");

        Assert.Equal(["z.yaml", fullwidth, emoji], Read().Select(f => f.Path));
    }

    [Fact]
    public void A_symbolic_link_to_a_file_is_unsafe()
    {
        if (OperatingSystem.IsWindows())
        {
            return; // Creating symbolic links needs a privilege on Windows.
        }

        Write("real.yaml");
        File.CreateSymbolicLink(Path.Combine(Output, "link.yaml"), Path.Combine(Output, "real.yaml"));

        var ex = Unsafe("link.yaml");

        Assert.Equal("link.yaml", ex.Target);
    }

    [Fact]
    public void A_symbolic_link_to_a_directory_is_unsafe()
    {
        if (OperatingSystem.IsWindows())
        {
            return; // Creating symbolic links needs a privilege on Windows.
        }

        var outside = Path.Combine(_temp.Path, "..", "outside-" + Guid.NewGuid().ToString("N")[..8]);
        Directory.CreateDirectory(outside);
        try
        {
            File.WriteAllText(Path.Combine(outside, "secret.txt"), "s");
            Directory.CreateSymbolicLink(Path.Combine(Output, "escape"), outside);

            Unsafe("escape");
        }
        finally
        {
            Directory.Delete(outside, recursive: true);
        }
    }

    [Fact]
    public void A_dangling_symbolic_link_is_unsafe()
    {
        if (OperatingSystem.IsWindows())
        {
            return; // Creating symbolic links needs a privilege on Windows.
        }

        Write(Path.Combine("sub", "ok.yaml"));
        File.CreateSymbolicLink(Path.Combine(Output, "sub", "dangling.yaml"), "/nonexistent/target.yaml");

        Unsafe("sub/dangling.yaml");
    }

    [Fact]
    public async Task A_FIFO_is_unsafe_and_is_never_opened()
    {
        if (OperatingSystem.IsWindows())
        {
            return; // Windows has no FIFOs in the file system.
        }

        var fifo = Path.Combine(Output, "pipe.yaml");
        using (var mkfifo = Process.Start(new ProcessStartInfo("mkfifo", [fifo]) { UseShellExecute = false })!)
        {
            await mkfifo.WaitForExitAsync().WaitAsync(TimeSpan.FromSeconds(30));
            Assert.Equal(0, mkfifo.ExitCode);
        }

        var read = Task.Run(() => Assert.Throws<KratixException>(() => Read()));
        KratixException ex;
        try
        {
            ex = await read.WaitAsync(TimeSpan.FromSeconds(20));
        }
        catch (TimeoutException)
        {
            // The reader opened the FIFO and blocks until a writer appears: be that writer so the thread ends, then fail.
            using (new FileStream(fifo, FileMode.Open, FileAccess.Write))
            {
            }

            throw new Xunit.Sdk.XunitException("Reading the output opened a FIFO and hung.");
        }

        Assert.Equal(PipelineOutputReader.UnsafeErrorId, ex.ErrorId);
        Assert.Contains("pipe.yaml", ex.Message, StringComparison.Ordinal);
        Assert.Contains(PipelineName, ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void A_socket_is_unsafe()
    {
        if (OperatingSystem.IsWindows())
        {
            return; // A Windows Unix-domain socket is a reparse point, not a file type .NET or this reader can tell apart.
        }

        Write("ok.yaml");
        using var socket = new System.Net.Sockets.Socket(System.Net.Sockets.AddressFamily.Unix, System.Net.Sockets.SocketType.Stream, System.Net.Sockets.ProtocolType.Unspecified);
        socket.Bind(new System.Net.Sockets.UnixDomainSocketEndPoint(Path.Combine(Output, "listen.sock")));

        Unsafe("listen.sock");
    }

    [Theory]
    [InlineData("con.yaml")]
    [InlineData("CON")]
    [InlineData("nul.txt")]
    [InlineData("lpt1.yaml")]
    [InlineData("a:b")]
    [InlineData("what?.yaml")]
    [InlineData("star*.yaml")]
    [InlineData("pipe|.yaml")]
    [InlineData("quote\".yaml")]
    [InlineData("trailing.")]
    [InlineData("trailing ")]
    [InlineData("back\\slash.yaml")]
    public void A_name_Git_or_Windows_cannot_hold_is_unsafe(string name)
    {
        if (OperatingSystem.IsWindows())
        {
            return; // Windows cannot create these names, which is the point of refusing them.
        }

        Write(name);

        var ex = Unsafe(name);

        Assert.Equal(name, ex.Target);
    }

    [Theory]
    [InlineData(".git", "config")]
    [InlineData("dir", "aux.yaml")]
    [InlineData("bad:dir", "ok.yaml")]
    public void An_unsafe_name_anywhere_in_the_path_is_unsafe(string directory, string file)
    {
        if (OperatingSystem.IsWindows())
        {
            return; // Windows cannot create these names, which is the point of refusing them.
        }

        Write(Path.Combine(directory, file));

        Unsafe(directory);
    }

    [Fact]
    public void Nothing_is_returned_when_one_file_is_unsafe()
    {
        Write("a.yaml");
        Write("z:z.yaml");

        Assert.Throws<KratixException>(() => Read());
    }

    [Fact]
    public void Output_up_to_the_limit_is_read()
    {
        Write("a.yaml", "12345");
        Write("b.yaml", "67890");

        Assert.Equal(2, Read(max: 10).Count);
    }

    [Fact]
    public void Output_over_the_limit_is_too_large()
    {
        Write("a.yaml", "12345");
        Write("b.yaml", "678901");

        var ex = Assert.Throws<KratixException>(() => Read(max: 10));

        Assert.Equal(PipelineOutputReader.TooLargeErrorId, ex.ErrorId);
        Assert.Equal(KratixErrorCategory.LimitsExceeded, ex.Category);
        Assert.Contains(PipelineName, ex.Message, StringComparison.Ordinal);
        Assert.Contains("b.yaml", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void The_limit_counts_bytes_across_directories()
    {
        Write(Path.Combine("x", "a.yaml"), new string('a', 600));
        Write(Path.Combine("y", "b.yaml"), new string('b', 600));

        var ex = Assert.Throws<KratixException>(() => Read(max: 1000));

        Assert.Equal(PipelineOutputReader.TooLargeErrorId, ex.ErrorId);
        Assert.Contains("y/b.yaml", ex.Message, StringComparison.Ordinal);
    }
}
