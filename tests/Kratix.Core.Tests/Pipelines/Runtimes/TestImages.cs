using System.Collections.Concurrent;
using System.Diagnostics;
using System.Runtime.Versioning;
using System.Security.Cryptography;
using System.Text.Json;
using System.Text;

namespace Kratix.Tests.Pipelines.Runtimes;

/// <summary>
/// Local podman images for tests, built without a registry: a root file system of a static busybox and its applet links
/// (plus, for <see cref="Build"/>, a folder's files laid over it) imported with <c>podman import</c> as
/// <c>localhost/kratix-test/&lt;name&gt;:&lt;tag&gt;</c>. The tag is a hash of everything that goes into the image, so an
/// image is built once per content and reused by later runs; building is serialised per image within the process and
/// skipped when podman already has it (another process may have built it; identical content makes that harmless).
/// </summary>
[SupportedOSPlatform("linux")]
public static class TestImages
{
    public const string Repository = "localhost/kratix-test";

    private static readonly ConcurrentDictionary<string, Lazy<string>> Built = new(StringComparer.Ordinal);

    /// <summary>busybox with CMD ["sh"], like the real busybox image.</summary>
    public static string EnsureBusybox() => Build("busybox", null, null, ["sh"]);

    /// <summary>
    /// An image of busybox plus the files of <paramref name="folder"/> (laid out as in the image, modes and links kept), with
    /// the given ENTRYPOINT and CMD (null: none). Returns the image reference.
    /// </summary>
    public static string Build(string name, string? folder, IReadOnlyList<string>? entrypoint, IReadOnlyList<string>? cmd)
    {
        var tag = ContentHash(folder, entrypoint, cmd);
        var reference = $"{Repository}/{name}:{tag}";
        return Built.GetOrAdd(reference, r => new Lazy<string>(() => BuildOnce(r, folder, entrypoint, cmd))).Value;
    }

    private static string BuildOnce(string reference, string? folder, IReadOnlyList<string>? entrypoint, IReadOnlyList<string>? cmd)
    {
        var podman = TestTools.Podman;
        if (Run(podman, ["image", "exists", reference]).ExitCode == 0)
        {
            return reference;
        }
        var staging = Path.Combine(Path.GetTempPath(), "kratix-test-image-" + Guid.NewGuid().ToString("N"));
        try
        {
            var root = Path.Combine(staging, "rootfs");
            foreach (var directory in new[] { "bin", "tmp", "root", "etc", "usr/bin", "proc", "sys", "dev" })
            {
                Directory.CreateDirectory(Path.Combine(root, directory));
            }
            File.Copy(TestTools.Busybox, Path.Combine(root, "bin", "busybox"));
            File.SetUnixFileMode(Path.Combine(root, "bin", "busybox"), (UnixFileMode)0b111_101_101);
            foreach (var applet in Run(TestTools.Busybox, ["--list"]).Output.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))
            {
                if (applet != "busybox")
                {
                    File.CreateSymbolicLink(Path.Combine(root, "bin", applet), "busybox");
                }
            }
            File.WriteAllText(Path.Combine(root, "etc", "passwd"), "root:x:0:0:root:/root:/bin/sh\n");
            if (folder is not null)
            {
                CopyTree(folder, root);
            }
            var tarball = Path.Combine(staging, "rootfs.tar");
            Check(Run("tar", ["-C", root, "-cf", tarball, "."]), "tar");
            var arguments = new List<string> { "import" };
            if (entrypoint is not null)
            {
                arguments.AddRange(["--change", "ENTRYPOINT " + JsonSerializer.Serialize(entrypoint)]);
            }
            if (cmd is not null)
            {
                arguments.AddRange(["--change", "CMD " + JsonSerializer.Serialize(cmd)]);
            }
            arguments.AddRange([tarball, reference]);
            Check(Run(podman, arguments), "podman import");
            return reference;
        }
        finally
        {
            Directory.Delete(staging, recursive: true);
        }
    }

    /// <summary>Copies a folder's files over a root file system, keeping symbolic links and modes.</summary>
    public static void CopyTree(string source, string destination)
    {
        Directory.CreateDirectory(destination);
        foreach (var entry in new DirectoryInfo(source).EnumerateFileSystemInfos())
        {
            var target = Path.Combine(destination, entry.Name);
            if (entry.LinkTarget is { } link)
            {
                Remove(target);
                File.CreateSymbolicLink(target, link);
            }
            else if (entry is DirectoryInfo)
            {
                if (new FileInfo(target).LinkTarget is not null || File.Exists(target))
                {
                    Remove(target);
                }
                CopyTree(entry.FullName, target);
            }
            else
            {
                // Never copy through a link (an applet link would overwrite busybox itself).
                Remove(target);
                File.Copy(entry.FullName, target);
                File.SetUnixFileMode(target, File.GetUnixFileMode(entry.FullName));
            }
        }
    }

    private static void Remove(string path)
    {
        var info = new FileInfo(path);
        if (info.LinkTarget is not null || info.Exists)
        {
            File.Delete(path);
        }
        else if (Directory.Exists(path))
        {
            Directory.Delete(path, recursive: true);
        }
    }

    private static string ContentHash(string? folder, IReadOnlyList<string>? entrypoint, IReadOnlyList<string>? cmd)
    {
        using var hash = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
        hash.AppendData(SHA256.HashData(File.ReadAllBytes(TestTools.Busybox)));
        hash.AppendData(Encoding.UTF8.GetBytes(JsonSerializer.Serialize(new { entrypoint, cmd, layout = 1 })));
        if (folder is not null)
        {
            foreach (var entry in new DirectoryInfo(folder).EnumerateFileSystemInfos("*", SearchOption.AllDirectories)
                         .OrderBy(e => Path.GetRelativePath(folder, e.FullName), StringComparer.Ordinal))
            {
                hash.AppendData(Encoding.UTF8.GetBytes(Path.GetRelativePath(folder, entry.FullName) + "\0"));
                if (entry.LinkTarget is { } link)
                {
                    hash.AppendData(Encoding.UTF8.GetBytes("link:" + link + "\0"));
                }
                else if (entry is FileInfo file)
                {
                    hash.AppendData(Encoding.UTF8.GetBytes(((int)file.UnixFileMode).ToString(System.Globalization.CultureInfo.InvariantCulture) + "\0"));
                    hash.AppendData(File.ReadAllBytes(file.FullName));
                }
            }
        }
        return Convert.ToHexString(hash.GetHashAndReset())[..16].ToLowerInvariant();
    }

    private static (int ExitCode, string Output) Run(string executable, IReadOnlyList<string> arguments)
    {
        var startInfo = new ProcessStartInfo(executable)
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            RedirectStandardInput = true,
            UseShellExecute = false,
        };
        foreach (var argument in arguments)
        {
            startInfo.ArgumentList.Add(argument);
        }
        using var process = Process.Start(startInfo)!;
        process.StandardInput.Close();
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        process.WaitForExit();
        return (process.ExitCode, stdout.Result + stderr.Result);
    }

    private static void Check((int ExitCode, string Output) result, string what)
    {
        if (result.ExitCode != 0)
        {
            throw new InvalidOperationException($"{what} failed with exit code {result.ExitCode}: {result.Output}");
        }
    }
}
