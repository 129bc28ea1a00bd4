using System.Collections;
using System.Collections.Specialized;
using Kratix.Pipelines;
using Kratix.Pipelines.Runtimes;
using Kratix.Platforms;
using Kratix.Platforms.Embedded;
using Kratix.Tests.StateStores;

namespace Kratix.Core.Tests.Pipelines;

/// <summary>
/// What the cmdlets hand the engine for pipeline runs, as PowerShell gives it (hashtables): ConfigMaps and Secrets, the
/// Host runtime's image map, runtime names with their engine arguments, and changes to a platform's settings.
/// </summary>
public class PipelineInputsTests
{
    private static string Resolve(string path) => Path.IsPathRooted(path) ? path : Path.Combine("/work", path);

    [Fact]
    public void ConfigMaps_and_secrets_are_tables_of_tables_with_values_as_Kubernetes_stores_them()
    {
        var values = ValueSources.From(
            new Hashtable { ["settings"] = new Hashtable { ["size"] = "small", ["replicas"] = 3, ["enabled"] = true, ["ratio"] = 0.5 } },
            new Hashtable { ["db"] = new OrderedDictionary { ["password"] = "s3cret" } });

        var settings = values.ConfigMaps["settings"];
        Assert.Equal("small", settings["size"]);
        Assert.Equal("3", settings["replicas"]);
        Assert.Equal("true", settings["enabled"]);
        Assert.Equal("0.5", settings["ratio"]);
        Assert.Equal("s3cret", values.Secrets["db"]["password"]);
    }

    [Fact]
    public void No_tables_is_no_values()
    {
        Assert.Same(ValueSources.None, ValueSources.From(null, null));
        Assert.Empty(ValueSources.From(new Hashtable(), null).Secrets);
    }

    [Fact]
    public void A_secret_that_is_not_a_table_is_refused_without_showing_its_value()
    {
        var ex = Assert.Throws<KratixException>(() => ValueSources.From(null, new Hashtable { ["db"] = "topsecretvalue" }));

        Assert.Equal("SecretInvalid", ex.ErrorId);
        Assert.Equal(KratixErrorCategory.InvalidArgument, ex.Category);
        Assert.Contains("Secret \"db\"", ex.Message);
        Assert.DoesNotContain("topsecretvalue", ex.Message);
    }

    [Fact]
    public void Unwrap_is_applied_to_every_key_and_value()
    {
        var values = ValueSources.From(new Hashtable { ["cm"] = new Wrapped(new Hashtable { ["k"] = new Wrapped("v") }) }, null, v => v is Wrapped w ? w.Value : v);

        Assert.Equal("v", values.ConfigMaps["cm"]["k"]);
    }

    [Fact]
    public void Redact_masks_secret_values_longest_first_and_leaves_very_short_ones()
    {
        var values = ValueSources.From(null, new Hashtable
        {
            ["a"] = new Hashtable { ["token"] = "abc123", ["longer"] = "abc123xyz", ["pin"] = "42" },
        });

        Assert.Equal("token *** and ***, pin 42", values.Redact("token abc123 and abc123xyz, pin 42"));
        Assert.Equal(string.Empty, values.Redact(null));
        Assert.Equal("abc123", ValueSources.None.Redact("abc123"));
    }

    [Fact]
    public void An_image_maps_to_a_folder_or_to_a_folder_with_entrypoint_and_cmd()
    {
        var images = HostImageMap.From(new OrderedDictionary
        {
            ["example/plain:v1"] = "images/plain",
            ["example/full:v1"] = new Hashtable { ["path"] = "/abs/full", ["ENTRYPOINT"] = new object[] { "sh", "/usr/bin/run.sh" }, ["Cmd"] = "--verbose" },
            ["example/dir:v1"] = new DirectoryInfo("/tmp"),
        }, Resolve);

        Assert.Equal(new HostImage("/work/images/plain"), images["example/plain:v1"]);
        var full = images["example/full:v1"];
        Assert.Equal("/abs/full", full.Path);
        Assert.Equal(["sh", "/usr/bin/run.sh"], full.Entrypoint!);
        Assert.Equal(["--verbose"], full.Cmd!);
        Assert.Equal("/tmp", images["example/dir:v1"].Path);
        Assert.Empty(HostImageMap.From(null, Resolve));
    }

    [Theory]
    [InlineData("no path")]
    [InlineData("unknown key")]
    [InlineData("not a folder")]
    public void A_malformed_image_map_entry_is_refused(string what)
    {
        object entry = what switch
        {
            "no path" => new Hashtable { ["Entrypoint"] = "sh" },
            "unknown key" => new Hashtable { ["Path"] = "/x", ["Workdir"] = "/" },
            _ => 42,
        };

        var ex = Assert.Throws<KratixException>(() => HostImageMap.From(new Hashtable { ["example/img:v1"] = entry }, Resolve));

        Assert.Equal(HostImageMap.InvalidErrorId, ex.ErrorId);
        Assert.Contains("example/img:v1", ex.Message);
    }

    [Theory]
    [InlineData("auto", "Auto")]
    [InlineData("PODMAN", "Podman")]
    [InlineData(" docker ", "Docker")]
    [InlineData("Host", "Host")]
    public void Runtime_names_are_read_in_any_case(string given, string canonical)
    {
        Assert.Equal(canonical, RuntimeChoice.Canonical(given));
    }

    [Fact]
    public void An_unknown_runtime_is_refused_naming_the_choices()
    {
        var ex = Assert.Throws<KratixException>(() => RuntimeChoice.Canonical("kubernetes"));

        Assert.Equal(PipelineRuntimeErrors.RuntimeUnknown, ex.ErrorId);
        Assert.Contains("Podman, Docker, Host", ex.Message);
        Assert.Equal(["Auto", .. PipelineRuntimes.Names], RuntimeChoice.Names);
    }

    [Fact]
    public void Engine_arguments_go_to_the_engine_the_runtime_names_and_to_both_for_Auto()
    {
        string[] arguments = ["--runtime", "runc"];

        var podman = RuntimeChoice.EngineArguments("Podman", arguments);
        Assert.Equal(arguments, podman.Podman!);
        Assert.Null(podman.Docker);
        var docker = RuntimeChoice.EngineArguments("docker", arguments);
        Assert.Null(docker.Podman);
        Assert.Equal(arguments, docker.Docker!);
        var auto = RuntimeChoice.EngineArguments("Auto", arguments);
        Assert.Equal(arguments, auto.Podman!);
        Assert.Equal(arguments, auto.Docker!);
        var host = RuntimeChoice.EngineArguments("Host", []);
        Assert.Null(host.Podman);
        Assert.Null(host.Docker);
        var ex = Assert.Throws<KratixException>(() => RuntimeChoice.EngineArguments("Host", arguments));
        Assert.Equal("RuntimeArgumentsNotApplicable", ex.ErrorId);
    }

    [Fact]
    public void Changed_platform_settings_keep_what_was_not_changed_and_survive_a_save()
    {
        using var home = new TempDirectory();
        new PlatformSettings { Runtime = "Podman", PodmanArguments = ["--old"], MaxOutputBytes = 1234 }.Save(home.Path);

        PlatformSettings.Load(home.Path).With(
            runtime: "docker",
            runtimeArguments: ["--network", "none"],
            images: new Dictionary<string, HostImage> { ["img:v1"] = new("/images/one", ["sh"], null) },
            containerTimeout: TimeSpan.FromSeconds(90),
            network: true).Save(home.Path);
        Assert.Contains("maxOutputBytes: 1234\n", File.ReadAllText(Path.Combine(home.Path, PlatformSettings.FileName)));

        var saved = PlatformSettings.Load(home.Path);
        Assert.Equal("Docker", saved.Runtime);
        Assert.Equal(["--old"], saved.PodmanArguments!);
        Assert.Equal(["--network", "none"], saved.DockerArguments!);
        Assert.Equal("/images/one", saved.Images["img:v1"].Path);
        Assert.Equal(["sh"], saved.Images["img:v1"].Entrypoint!);
        Assert.Equal(TimeSpan.FromSeconds(90), saved.ContainerTimeout);
        Assert.True(saved.Network);
        Assert.Equal(1234, saved.MaxOutputBytes);

        var unchanged = saved.With();
        Assert.Equal(saved.Runtime, unchanged.Runtime);
        Assert.Equal(1234, unchanged.MaxOutputBytes);
        Assert.Same(saved.Images, unchanged.Images);
        Assert.False(saved.With(network: false).Network);
    }

    [Fact]
    public void The_number_of_workflows_at_once_is_one_per_processor_unless_a_platform_saves_another()
    {
        using var home = new TempDirectory();
        Assert.Equal(Environment.ProcessorCount, EmbeddedPlatform.OptionsFor(home.Path, NullPlatformLog.Instance).ParallelWorkflows);
        Assert.DoesNotContain("parallelWorkflows", File.Exists(Path.Combine(home.Path, PlatformSettings.FileName)) ? File.ReadAllText(Path.Combine(home.Path, PlatformSettings.FileName)) : string.Empty, StringComparison.Ordinal);

        PlatformSettings.Load(home.Path).With(parallelWorkflows: 7).Save(home.Path);

        Assert.Contains("parallelWorkflows: 7\n", File.ReadAllText(Path.Combine(home.Path, PlatformSettings.FileName)), StringComparison.Ordinal);
        Assert.Equal(7, EmbeddedPlatform.OptionsFor(home.Path, NullPlatformLog.Instance).ParallelWorkflows);
        Assert.Equal(7, PlatformSettings.Load(home.Path).With(maxOutputBytes: 10).ParallelWorkflows);
        Assert.Equal("PlatformSettingsInvalid", Assert.Throws<KratixException>(() => PlatformSettings.Load(home.Path).With(parallelWorkflows: 0)).ErrorId);
    }

    [Fact]
    public void The_output_limit_set_for_a_platform_is_saved_and_is_what_its_workflows_run_with()
    {
        using var home = new TempDirectory();
        Assert.Equal(64L * 1024 * 1024, EmbeddedPlatform.OptionsFor(home.Path, NullPlatformLog.Instance).Workflows.MaxOutputBytes);

        PlatformSettings.Load(home.Path).With(maxOutputBytes: 5_000_000_000).Save(home.Path);

        Assert.Equal(5_000_000_000, PlatformSettings.Load(home.Path).MaxOutputBytes);
        Assert.Equal(5_000_000_000, EmbeddedPlatform.OptionsFor(home.Path, NullPlatformLog.Instance).Workflows.MaxOutputBytes);
    }

    [Theory]
    [InlineData("maxOutputBytes: 0")]
    [InlineData("maxOutputBytes: -5")]
    [InlineData("maxOutputBytes: 64Mi")]
    [InlineData("maxOutputBytes: 1.5")]
    public void A_saved_output_limit_that_is_not_a_positive_whole_number_is_refused_naming_the_file_and_field(string line)
    {
        using var home = new TempDirectory();
        File.WriteAllText(Path.Combine(home.Path, PlatformSettings.FileName), $"runtime: Host\n{line}\n");

        var ex = Assert.Throws<KratixException>(() => PlatformSettings.Load(home.Path));

        Assert.Equal("PlatformSettingsInvalid", ex.ErrorId);
        Assert.StartsWith(Path.Combine(home.Path, PlatformSettings.FileName) + ": maxOutputBytes ", ex.Message, StringComparison.Ordinal);
        Assert.Contains("Connect-KratixPlatform", ex.Message);
    }

    [Fact]
    public void Settings_refuse_an_unknown_runtime_limits_that_are_not_positive_and_engine_arguments_for_Host()
    {
        var settings = new PlatformSettings();

        Assert.Equal(PipelineRuntimeErrors.RuntimeUnknown, Assert.Throws<KratixException>(() => settings.With(runtime: "lxc")).ErrorId);
        Assert.Equal("PlatformSettingsInvalid", Assert.Throws<KratixException>(() => settings.With(containerTimeout: TimeSpan.Zero)).ErrorId);
        Assert.Equal("RuntimeArgumentsNotApplicable", Assert.Throws<KratixException>(() => settings.With(runtime: "Host", runtimeArguments: ["--x"])).ErrorId);
        var limit = Assert.Throws<KratixException>(() => settings.With(maxOutputBytes: 0));
        Assert.Equal(("PlatformSettingsInvalid", "The pipeline output limit must be a positive number of bytes; 0 is not."), (limit.ErrorId, limit.Message));
        Assert.Equal("PlatformSettingsInvalid", Assert.Throws<KratixException>(() => settings.With(maxOutputBytes: -1)).ErrorId);
    }

    private sealed record Wrapped(object Value);
}
