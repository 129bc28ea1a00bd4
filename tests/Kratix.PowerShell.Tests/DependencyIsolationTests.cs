using System.Reflection;
using System.Runtime.Loader;
using System.Text.Json.Nodes;

namespace Kratix.PowerShell.Tests;

/// <summary>
/// The module's dependency isolation, for real: Kratix.Core, YamlDotNet and the AWS SDK loaded from out/Kratix/Dependencies through
/// <see cref="DependencyLoadContext"/>, beside the YamlDotNet this test process already has in the default context
/// (standing in for another module's copy in the same PowerShell session).
/// </summary>
public class DependencyIsolationTests
{
    private static readonly Lazy<(DependencyLoadContext Context, Assembly Core)> Loaded = new(() =>
    {
        var folder = TestPaths.DependencyFolder;
        Assert.True(Directory.Exists(folder), $"{folder} is missing; build first.");
        var context = new DependencyLoadContext(folder);
        return (context, context.LoadFromAssemblyName(new AssemblyName("Kratix.Core")));
    });

    [Fact]
    public void Kratix_Core_loads_in_the_dependency_context_not_the_default_one()
    {
        var (context, core) = Loaded.Value;
        Assert.Same(context, AssemblyLoadContext.GetLoadContext(core));
        Assert.NotSame(AssemblyLoadContext.Default, AssemblyLoadContext.GetLoadContext(core));
        Assert.Equal("Kratix.Dependencies", context.Name);
        Assert.Equal(Path.GetFullPath(Path.Combine(TestPaths.DependencyFolder, "Kratix.Core.dll")), core.Location);
        Assert.NotSame(typeof(Kratix.Presentation.KratixObject).Assembly, core);
    }

    [Fact]
    public void Kratix_Core_works_there_and_gets_its_own_YamlDotNet_beside_the_one_already_loaded()
    {
        // The test's own YamlDotNet, from its bin folder, is in the default context first.
        var defaultYaml = typeof(YamlDotNet.Core.Parser).Assembly;
        Assert.Same(AssemblyLoadContext.Default, AssemblyLoadContext.GetLoadContext(defaultYaml));

        var (context, core) = Loaded.Value;
        var readerType = core.GetType("Kratix.Manifests.ManifestReader", throwOnError: true)!;
        Assert.NotEqual(typeof(Kratix.Manifests.ManifestReader), readerType);
        var reader = readerType.GetProperty("Default", BindingFlags.Public | BindingFlags.Static)!.GetValue(null)!;
        var readString = readerType.GetMethod("ReadString", [typeof(string), typeof(string)])!;
        var documents = (System.Collections.IEnumerable)readString.Invoke(reader, ["a: 1", "<isolation test>"])!;
        var document = Assert.Single(documents.Cast<object>());
        var content = (JsonNode)document.GetType().GetProperty("Content")!.GetValue(document)!;
        Assert.Equal("""{"a":1}""", content.ToJsonString());

        // Reading YAML made Kratix.Core resolve YamlDotNet: it must have come from Dependencies/, in the same context.
        var yaml = Assert.Single(context.Assemblies, a => a.GetName().Name == "YamlDotNet");
        Assert.Same(context, AssemblyLoadContext.GetLoadContext(yaml));
        Assert.Equal(Path.GetFullPath(Path.Combine(TestPaths.DependencyFolder, "YamlDotNet.dll")), yaml.Location);
        Assert.NotSame(defaultYaml, yaml);
        Assert.NotEqual(typeof(YamlDotNet.Core.Parser), yaml.GetType("YamlDotNet.Core.Parser", throwOnError: true));
        Assert.Single(AssemblyLoadContext.Default.Assemblies, a => a.GetName().Name == "YamlDotNet");
    }

    [Fact]
    public async Task The_S3_writer_gets_the_AWS_SDK_from_Dependencies_in_the_same_context()
    {
        var (context, core) = Loaded.Value;
        var optionsType = core.GetType("Kratix.StateStores.S3StateStoreOptions", throwOnError: true)!;
        var options = Activator.CreateInstance(optionsType)!;
        optionsType.GetProperty("ServiceUrl")!.SetValue(options, new Uri("http://127.0.0.1:9"));
        optionsType.GetProperty("BucketName")!.SetValue(options, "isolation");
        var credentials = Activator.CreateInstance(core.GetType("Kratix.StateStores.BucketCredentials", throwOnError: true)!, "AKIDISOLATION", "not-a-secret")!;
        optionsType.GetProperty("Credentials")!.SetValue(options, credentials);

        // Building the writer builds its S3 client (no request is sent), which makes Kratix.Core resolve the SDK.
        var writer = (IAsyncDisposable)Activator.CreateInstance(core.GetType("Kratix.StateStores.S3StateStoreWriter", throwOnError: true)!, options)!;
        await writer.DisposeAsync();

        foreach (var name in new[] { "AWSSDK.Core", "AWSSDK.S3" })
        {
            var sdk = Assert.Single(context.Assemblies, a => a.GetName().Name == name);
            Assert.Equal(Path.GetFullPath(Path.Combine(TestPaths.DependencyFolder, name + ".dll")), sdk.Location);
            Assert.DoesNotContain(AssemblyLoadContext.Default.Assemblies, a => a.GetName().Name == name);
        }
    }

    [Fact]
    public void Errors_from_Kratix_Core_in_the_dependency_context_keep_their_error_id()
    {
        var (_, core) = Loaded.Value;
        var readerType = core.GetType("Kratix.Manifests.ManifestReader", throwOnError: true)!;
        var reader = readerType.GetProperty("Default")!.GetValue(null)!;
        var readString = readerType.GetMethod("ReadString", [typeof(string), typeof(string)])!;
        var thrown = Assert.Throws<TargetInvocationException>(() => readString.Invoke(reader, ["a: [1", "bad.yaml"]));
        var exception = thrown.InnerException!;
        Assert.Equal("Kratix.KratixException", exception.GetType().FullName);
        Assert.Same(core, exception.GetType().Assembly);
        Assert.StartsWith("bad.yaml:", exception.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Assemblies_not_in_Dependencies_fall_back_to_the_default_context()
    {
        var (context, _) = Loaded.Value;
        var json = context.LoadFromAssemblyName(new AssemblyName("System.Text.Json"));
        Assert.Same(typeof(JsonNode).Assembly, json);
    }

    [Fact]
    public void The_module_initializer_routes_only_Kratix_Core_to_the_Dependencies_folder_beside_the_module()
    {
        // Load the laid-out cmdlet assembly as Import-Module would find it, in a context of its own so that its
        // DependencyDirectory is out/Kratix/Dependencies rather than this test's bin folder.
        var host = new ModuleHostContext(Path.Combine(TestPaths.RequireModuleFolder(), "Kratix.PowerShell.dll"));
        var module = host.LoadFromAssemblyName(new AssemblyName("Kratix.PowerShell"));
        var initializer = module.GetType("Kratix.PowerShell.ModuleInitializer", throwOnError: true)!;
        Assert.Equal(
            Path.GetFullPath(TestPaths.DependencyFolder),
            Path.GetFullPath((string)initializer.GetProperty("DependencyDirectory")!.GetValue(null)!));

        var resolve = initializer.GetMethod("Resolve", BindingFlags.NonPublic | BindingFlags.Static)!;
        var core = (Assembly?)resolve.Invoke(null, [AssemblyLoadContext.Default, new AssemblyName("Kratix.Core")]);
        Assert.NotNull(core);
        Assert.Equal("Kratix.Dependencies", AssemblyLoadContext.GetLoadContext(core)!.Name);
        Assert.Equal(Path.GetFullPath(Path.Combine(TestPaths.DependencyFolder, "Kratix.Core.dll")), core.Location);
        Assert.Same(core, resolve.Invoke(null, [AssemblyLoadContext.Default, new AssemblyName("Kratix.Core")]));
        Assert.Null(resolve.Invoke(null, [AssemblyLoadContext.Default, new AssemblyName("YamlDotNet")]));

        // Leave the default context as it was: the module initializer subscribed Resolve to it.
        var instance = Activator.CreateInstance(initializer)!;
        initializer.GetMethod("OnRemove")!.Invoke(instance, [null]);
    }

    [Fact]
    public void The_cluster_backend_gets_KubernetesClient_from_Dependencies_in_the_same_context()
    {
        var (context, core) = Loaded.Value;
        var dir = Directory.CreateTempSubdirectory("kratix-isolation-").FullName;
        try
        {
            var kubeconfig = Path.Combine(dir, "kubeconfig");
            File.WriteAllText(kubeconfig, """
                apiVersion: v1
                kind: Config
                clusters: [{name: c, cluster: {server: "https://127.0.0.1:9"}}]
                users: [{name: u, user: {token: not-a-token}}]
                contexts: [{name: x, context: {cluster: c, user: u}}]
                current-context: x
                """);

            // Opening a connection builds KubernetesClient's client (nothing is sent), which makes Kratix.Core resolve it.
            var locationType = core.GetType("Kratix.Kubernetes.ClusterLocation", throwOnError: true)!;
            var location = Activator.CreateInstance(locationType, "x", kubeconfig, false)!;
            var connection = (IDisposable)core.GetType("Kratix.Kubernetes.KubeConnection", throwOnError: true)!.GetMethod("Open")!.Invoke(null, [location])!;
            connection.Dispose();

            var client = Assert.Single(context.Assemblies, a => a.GetName().Name == "KubernetesClient");
            Assert.Equal(Path.GetFullPath(Path.Combine(TestPaths.DependencyFolder, "KubernetesClient.dll")), client.Location);
            Assert.Same(context, AssemblyLoadContext.GetLoadContext(client));
        }
        finally
        {
            Directory.Delete(dir, recursive: true);
        }
    }

    /// <summary>Loads one assembly from a given path; everything else (System.Management.Automation) comes from the default context.</summary>
    private sealed class ModuleHostContext(string path) : AssemblyLoadContext("Kratix module host (test)")
    {
        protected override Assembly? Load(AssemblyName assemblyName) =>
            assemblyName.Name == Path.GetFileNameWithoutExtension(path) ? LoadFromAssemblyPath(path) : null;
    }
}
