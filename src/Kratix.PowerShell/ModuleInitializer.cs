using System.Management.Automation;
using System.Reflection;
using System.Runtime.Loader;

namespace Kratix.PowerShell;

/// <summary>
/// Routes the default load context's requests for Kratix.Core to <see cref="DependencyLoadContext"/>. Registered as
/// early as possible (a module initializer) and again on Import-Module; removed on Remove-Module.
/// </summary>
public sealed class ModuleInitializer : IModuleAssemblyInitializer, IModuleAssemblyCleanup
{
    private static readonly object Gate = new();
    private static DependencyLoadContext? _context;

    /// <summary>The folder Kratix.Core is loaded from: Dependencies/ beside this assembly.</summary>
    public static string DependencyDirectory { get; } =
        Path.Combine(Path.GetDirectoryName(typeof(ModuleInitializer).Assembly.Location) ?? AppContext.BaseDirectory, "Dependencies");

    public void OnImport() => Register();

    public void OnRemove(PSModuleInfo psModuleInfo)
    {
        lock (Gate)
        {
            AssemblyLoadContext.Default.Resolving -= Resolve;
        }
    }

    // A binary module's dependencies must be routed before any cmdlet touches them: this is the advanced case CA2255 allows.
#pragma warning disable CA2255
    [System.Runtime.CompilerServices.ModuleInitializer]
#pragma warning restore CA2255
    internal static void Register()
    {
        lock (Gate)
        {
            AssemblyLoadContext.Default.Resolving -= Resolve;
            AssemblyLoadContext.Default.Resolving += Resolve;
        }
    }

    /// <summary>Only Kratix.Core is routed; its own dependencies then resolve inside the dependency context.</summary>
    internal static Assembly? Resolve(AssemblyLoadContext defaultContext, AssemblyName name)
    {
        if (name.Name != "Kratix.Core" || !System.IO.Directory.Exists(DependencyDirectory))
        {
            return null;
        }

        lock (Gate)
        {
            _context ??= new DependencyLoadContext(DependencyDirectory);
        }

        return _context.LoadFromAssemblyName(name);
    }
}
