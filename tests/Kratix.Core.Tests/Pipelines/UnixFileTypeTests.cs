using System.Diagnostics;
using System.Runtime.InteropServices;
using Kratix.Pipelines;
using Kratix.Tests.StateStores;

namespace Kratix.Core.Tests.Pipelines;

/// <summary>
/// Telling regular files and directories from everything else a pipeline can leave in its output, without opening it
/// (lstat, so a symbolic link is reported as itself, not as what it points to).
/// </summary>
public sealed class UnixFileTypeTests : IDisposable
{
    private readonly TempDirectory _temp = new();

    private static bool Supported =>
        OperatingSystem.IsLinux() && RuntimeInformation.ProcessArchitecture is Architecture.X64 or Architecture.Arm64;

    public void Dispose() => _temp.Dispose();

    [Fact]
    public void Regular_files_and_directories_are_regular()
    {
        var file = _temp.Combine("file.yaml");
        File.WriteAllText(file, "x");
        var directory = _temp.Combine("dir");
        Directory.CreateDirectory(directory);

        Assert.Equal(Supported ? true : null, UnixFileType.IsRegularOrDirectory(file));
        Assert.Equal(Supported ? true : null, UnixFileType.IsRegularOrDirectory(directory));
    }

    [Fact]
    public void An_empty_file_is_regular()
    {
        var file = _temp.Combine("empty");
        File.WriteAllBytes(file, []);

        Assert.Equal(Supported ? true : null, UnixFileType.IsRegularOrDirectory(file));
    }

    [Fact]
    public async Task A_FIFO_is_not_regular()
    {
        if (OperatingSystem.IsWindows())
        {
            return; // Windows has no FIFOs in the file system.
        }

        var fifo = _temp.Combine("pipe");
        using (var mkfifo = Process.Start(new ProcessStartInfo("mkfifo", [fifo]) { UseShellExecute = false })!)
        {
            await mkfifo.WaitForExitAsync().WaitAsync(TimeSpan.FromSeconds(30));
            Assert.Equal(0, mkfifo.ExitCode);
        }

        Assert.Equal(Supported ? false : null, UnixFileType.IsRegularOrDirectory(fifo));
    }

    [Fact]
    public void A_symbolic_link_is_not_followed()
    {
        if (OperatingSystem.IsWindows())
        {
            return; // Creating symbolic links needs a privilege on Windows.
        }

        var target = _temp.Combine("target.yaml");
        File.WriteAllText(target, "x");
        var link = _temp.Combine("link.yaml");
        File.CreateSymbolicLink(link, target);

        Assert.Equal(Supported ? false : null, UnixFileType.IsRegularOrDirectory(link));
    }

    [Fact]
    public void A_path_that_does_not_exist_is_not_regular()
    {
        Assert.Equal(Supported ? false : null, UnixFileType.IsRegularOrDirectory(_temp.Combine("missing")));
    }
}
