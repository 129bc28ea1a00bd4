using System.Runtime.Versioning;

namespace Kratix.Tests.Pipelines.Runtimes;

/// <summary>
/// A folder laid out like a Promise's pipeline image, as upstream's test images build them (<c>ADD scripts/* /usr/bin/</c>):
/// <c>usr/bin/promise-configure.sh</c> (reads the input object, writes <c>/kratix/output/configured.txt</c>),
/// <c>usr/bin/true</c> (a script that shadows the host's or busybox's <c>true</c>), and <c>scripts/run.sh</c>.
/// </summary>
[SupportedOSPlatform("linux")]
public sealed class ImageFolder : IDisposable
{
    private const UnixFileMode Executable = (UnixFileMode)0b111_101_101;

    public ImageFolder()
    {
        Path = System.IO.Path.Combine(System.IO.Path.GetTempPath(), "kratix-image-folders", Guid.NewGuid().ToString("N")[..12]);
        Write("usr/bin/promise-configure.sh",
            "#!/bin/sh\nset -e\nname=$(grep 'name:' /kratix/input/object.yaml | sed 's/.*name: *//')\necho \"configured $name\" > /kratix/output/configured.txt\n");
        Write("usr/bin/true", "#!/bin/sh\necho folder-true-wins\n");
        Write("scripts/run.sh", "#!/bin/sh\necho \"run.sh says $1\"\n");
    }

    public string Path { get; }

    public void Dispose()
    {
        try
        {
            Directory.Delete(Path, recursive: true);
        }
        catch (IOException)
        {
        }
    }

    private void Write(string relative, string content)
    {
        var file = System.IO.Path.Combine(Path, relative);
        Directory.CreateDirectory(System.IO.Path.GetDirectoryName(file)!);
        File.WriteAllText(file, content);
        File.SetUnixFileMode(file, Executable);
    }
}
