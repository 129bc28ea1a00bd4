using Kratix.Manifests;
using System.Text.Json.Nodes;

namespace Kratix.Pipelines;

/// <summary>
/// The three directories one pipeline run shares between its containers: <c>input</c> (object.yaml, mounted
/// read-only), <c>output</c> and <c>metadata</c> (writable by any user, since images may not run as root).
/// </summary>
public sealed class PipelineWorkspace : IDisposable
{
    private readonly bool _keep;

    private PipelineWorkspace(string root, bool keep)
    {
        Root = root;
        _keep = keep;
    }

    public string Root { get; }

    public string Input => Path.Combine(Root, "input");

    public string Output => Path.Combine(Root, "output");

    public string Metadata => Path.Combine(Root, "metadata");

    public static PipelineWorkspace Create(string? parent, string name, bool keep)
    {
        parent ??= Path.Combine(Path.GetTempPath(), "kratix-pipelines");
        var root = Path.Combine(parent, name);
        if (Directory.Exists(root))
        {
            Directory.Delete(root, recursive: true);
        }

        var workspace = new PipelineWorkspace(root, keep);
        Directory.CreateDirectory(workspace.Input);
        foreach (var writable in new[] { workspace.Output, workspace.Metadata })
        {
            Directory.CreateDirectory(writable);
            if (!OperatingSystem.IsWindows())
            {
                File.SetUnixFileMode(writable, (UnixFileMode)0b111_111_111);
            }
        }

        return workspace;
    }

    /// <summary>Writes <c>input/object.yaml</c>: the object as a pipeline sees it, status included.</summary>
    public void WriteObject(JsonObject obj) => File.WriteAllText(Path.Combine(Input, "object.yaml"), ManifestWriter.ToYaml(obj));

    public string? ReadMetadata(string fileName)
    {
        var path = Path.Combine(Metadata, fileName);
        return File.Exists(path) ? File.ReadAllText(path) : null;
    }

    public void Dispose()
    {
        if (_keep)
        {
            return;
        }

        try
        {
            Directory.Delete(Root, recursive: true);
        }
        catch (IOException)
        {
            // A container's files may outlive it for a moment (rootless user namespaces); the temp directory is reclaimed later.
        }
        catch (UnauthorizedAccessException)
        {
        }
    }
}
