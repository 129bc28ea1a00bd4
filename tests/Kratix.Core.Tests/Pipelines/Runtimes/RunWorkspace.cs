using System.Runtime.Versioning;
using Kratix.Pipelines;
using Kratix.Pipelines.Runtimes;

namespace Kratix.Tests.Pipelines.Runtimes;

/// <summary>A pipeline workspace for one test: input (holding object.yaml), output and metadata directories, deleted on dispose.</summary>
[SupportedOSPlatform("linux")]
public sealed class RunWorkspace : IDisposable
{
    public RunWorkspace()
    {
        Root = Path.Combine(Path.GetTempPath(), "kratix-runtime-tests", Guid.NewGuid().ToString("N")[..12]);
        Directory.CreateDirectory(Input);
        Directory.CreateDirectory(Output);
        Directory.CreateDirectory(Metadata);
        File.WriteAllText(Path.Combine(Input, "object.yaml"), "kind: Example\nmetadata:\n  name: from-input\n");
        RunId = "t" + Guid.NewGuid().ToString("N")[..16];
    }

    public string Root { get; }

    public string Input => Path.Combine(Root, "input");

    public string Output => Path.Combine(Root, "output");

    public string Metadata => Path.Combine(Root, "metadata");

    /// <summary>A run id unique to this workspace; the container is named kratix-&lt;RunId&gt;.</summary>
    public string RunId { get; }

    public ContainerRunRequest Request(
        string image,
        IReadOnlyList<string>? command = null,
        IReadOnlyList<string>? args = null,
        IReadOnlyList<KeyValuePair<string, string>>? environment = null,
        bool network = false,
        TimeSpan? timeout = null,
        string? workingDir = null,
        ContainerLimits? limits = null) =>
        new(new ContainerSpec("test", image, command, args, workingDir, limits ?? ContainerLimits.None),
            Input, Output, Metadata, environment ?? [], network, timeout ?? TimeSpan.FromSeconds(60), RunId);

    public void Dispose()
    {
        try
        {
            Directory.Delete(Root, recursive: true);
        }
        catch (IOException)
        {
        }
        catch (UnauthorizedAccessException)
        {
        }
    }
}
