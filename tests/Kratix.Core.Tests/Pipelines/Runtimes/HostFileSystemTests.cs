using System.Runtime.Versioning;
using Kratix.Pipelines.Runtimes;

namespace Kratix.Tests.Pipelines.Runtimes;

/// <summary>The Host runtime's root file system merge, against a fake host root so the expected options are exact.</summary>
[SupportedOSPlatform("linux")]
public sealed class HostFileSystemTests : IDisposable
{
    private readonly string _root = Path.Combine(Path.GetTempPath(), "kratix-hostfs-tests", Guid.NewGuid().ToString("N")[..12]);

    public HostFileSystemTests()
    {
        // A merged-/usr host: /bin is a link to usr/bin; /etc and /usr are directories.
        Touch("host/usr/bin/cat");
        Touch("host/usr/bin/sh");
        File.CreateSymbolicLink(Path.Combine(_root, "host/usr/bin/python3"), "python3.11");
        Touch("host/usr/lib/libc.so");
        Touch("host/etc/passwd");
        File.CreateSymbolicLink(Path.Combine(_root, "host/bin"), "usr/bin");
    }

    private string Host => Path.Combine(_root, "host");

    public void Dispose() => Directory.Delete(_root, recursive: true);

    [Fact]
    public void Without_an_image_folder_the_system_directories_are_bound_whole()
    {
        Assert.Equal(
        [
            "--symlink", "usr/bin", "/bin",
            "--ro-bind", Host + "/etc", "/etc",
            "--dir", "/root",
            "--ro-bind", Host + "/usr", "/usr",
        ], HostFileSystem.Options(null, Host));
    }

    [Fact]
    public void A_folder_merges_into_usr_bin_and_the_host_entries_become_links_into_the_mirror()
    {
        Touch("image/usr/bin/promise-configure.sh");
        Touch("image/usr/bin/sh"); // the folder's file wins over the host's
        Touch("image/scripts/run.sh");

        Assert.Equal(
        [
            "--ro-bind", Host + "/usr", "/.kratix-host/usr",
            "--symlink", "usr/bin", "/.kratix-host/bin",
            "--ro-bind", Host + "/etc", "/.kratix-host/etc",
            "--symlink", "usr/bin", "/bin",
            "--ro-bind", Host + "/etc", "/etc",
            "--dir", "/root",
            "--ro-bind", Image("scripts"), "/scripts",
            "--dir", "/usr",
            "--dir", "/usr/bin",
            "--symlink", "/.kratix-host/usr/bin/cat", "/usr/bin/cat",
            "--ro-bind", Image("usr/bin/promise-configure.sh"), "/usr/bin/promise-configure.sh",
            "--symlink", "python3.11", "/usr/bin/python3",
            "--ro-bind", Image("usr/bin/sh"), "/usr/bin/sh",
            "--symlink", "/.kratix-host/usr/lib", "/usr/lib",
        ], HostFileSystem.Options(Path.Combine(_root, "image"), Host));
    }

    [Fact]
    public void A_folder_directory_over_a_host_link_merges_into_the_link_target()
    {
        Touch("image/bin/tool"); // ADD tool /bin/ on a merged-/usr image lands in /usr/bin

        var options = HostFileSystem.Options(Path.Combine(_root, "image"), Host);

        Assert.Equal(["--symlink", "usr/bin", "/bin"], options.Skip(9).Take(3));
        var toolBind = IndexOfPair(options, Image("bin/tool"), "/usr/bin/tool");
        Assert.True(toolBind > 0, string.Join(' ', options));
        Assert.True(IndexOfPair(options, "/.kratix-host/usr/bin/cat", "/usr/bin/cat") > 0);
    }

    [Fact]
    public void A_folder_root_directory_replaces_the_empty_home()
    {
        Touch("image/root/.profile");
        var options = HostFileSystem.Options(Path.Combine(_root, "image"), Host);
        Assert.True(IndexOfPair(options, Image("root"), "/root") > 0);
        Assert.DoesNotContain("/root", options.Where((_, i) => i > 0 && options[i - 1] == "--dir"));
    }

    private string Image(string relative) => Path.Combine(_root, "image", relative);

    private static int IndexOfPair(IReadOnlyList<string> options, string source, string destination)
    {
        for (var i = 0; i + 1 < options.Count; i++)
        {
            if (options[i] == source && options[i + 1] == destination)
            {
                return i;
            }
        }
        return -1;
    }

    private void Touch(string relative)
    {
        var path = Path.Combine(_root, relative);
        Directory.CreateDirectory(Path.GetDirectoryName(path)!);
        File.WriteAllText(path, relative);
    }
}
