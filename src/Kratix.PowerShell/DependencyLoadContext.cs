using System.Reflection;
using System.Runtime.Loader;

namespace Kratix.PowerShell;

/// <summary>
/// Loads Kratix.Core and its dependencies (YamlDotNet, the AWS SDK's AWSSDK.Core and AWSSDK.S3) from the module's
/// Dependencies folder in a context of their own, so another module in the same session (powershell-yaml, AWS.Tools) can
/// bring a different version (the conflict the PowerShell docs' "resolving assembly conflicts" guide describes).
/// Assemblies not found there fall back to the default context.
/// </summary>
public sealed class DependencyLoadContext : AssemblyLoadContext
{
    private readonly string _directory;

    public DependencyLoadContext(string directory)
        : base("Kratix.Dependencies", isCollectible: false)
    {
        _directory = directory;
    }

    public string Directory => _directory;

    protected override Assembly? Load(AssemblyName assemblyName)
    {
        var path = Path.Combine(_directory, assemblyName.Name + ".dll");
        return File.Exists(path) ? LoadFromAssemblyPath(path) : null;
    }
}
