using System.Globalization;
using System.Text.Json.Nodes;
using Kratix.Manifests;
using Kratix.Objects;
using Kratix.Pipelines;
using Kratix.Pipelines.Runtimes;

namespace Kratix.Platforms.Embedded;

/// <summary>
/// How one platform runs its pipelines, kept in <c>&lt;home&gt;/platform.yaml</c> so every session on that home agrees:
/// the runtime (Auto, Podman, Docker or Host), extra engine arguments, the Host runtime's image map, the container time
/// limit, the output limit and whether pipelines may use the network. <c>$env:KRATIX_RUNTIME</c> overrides the runtime
/// for one process.
/// </summary>
public sealed record PlatformSettings
{
    public const string FileName = "platform.yaml";
    public const string RuntimeVariable = "KRATIX_RUNTIME";

    public string Runtime { get; init; } = PipelineRuntimes.Auto;

    public IReadOnlyList<string>? PodmanArguments { get; init; }

    public IReadOnlyList<string>? DockerArguments { get; init; }

    public IReadOnlyDictionary<string, HostImage> Images { get; init; } = new Dictionary<string, HostImage>();

    public TimeSpan ContainerTimeout { get; init; } = TimeSpan.FromMinutes(10);

    public long MaxOutputBytes { get; init; } = WorkflowExecutorOptions.DefaultMaxOutputBytes;

    public bool Network { get; init; }

    /// <summary>How many workflows of one operation may run at once; null is one per processor.</summary>
    public int? ParallelWorkflows { get; init; }

    /// <summary>What New-, Set- and Test-KratixRequest do with unknown fields and duplicate keys when they are not told: Strict (kubectl's default), Warn or Ignore.</summary>
    public Schema.FieldValidationMode FieldValidation { get; init; } = Schema.FieldValidationMode.Strict;

    /// <summary>
    /// upstream's resourceBindingVersionStrategy: a new request's ResourceBinding follows <c>latest</c> (floating, the
    /// default) or names the Promise's latest version when it is made (pinned).
    /// </summary>
    public string ResourceBindingVersionStrategy { get; init; } = Objects.Versioning.Floating;

    /// <summary>When workflows rerun and WorkPlacements are rewritten over time (upstream's kratix config keys:
    /// <c>reconciliationInterval</c>, <c>stateStoreReconciliationInterval</c>, <c>reconcileAfterFailure</c>).</summary>
    public ReconciliationOptions Reconciliation { get; init; } = new();

    /// <summary>The runtime to use in this process: <see cref="RuntimeVariable"/> when set, else <see cref="Runtime"/>.</summary>
    public string EffectiveRuntime => Environment.GetEnvironmentVariable(RuntimeVariable) is { Length: > 0 } name ? name : Runtime;

    public PipelineRuntimeOptions RuntimeOptions => new()
    {
        PodmanArguments = PodmanArguments,
        DockerArguments = DockerArguments,
        Host = new HostRuntimeOptions { Images = Images },
        DefaultTimeout = ContainerTimeout,
    };

    /// <summary>
    /// These settings with the given fields changed (null leaves a field as it is), checked: the runtime must be
    /// one of <see cref="RuntimeChoice.Names"/> (any case; stored as spelt there),
    /// the container time limit, the output limit and the number of workflows at once positive. <paramref name="runtimeArguments"/> go to the engine the
    /// runtime names, to both Podman and Docker for Auto; the Host runtime takes none.
    /// </summary>
    public PlatformSettings With(
        string? runtime = null,
        IReadOnlyList<string>? runtimeArguments = null,
        IReadOnlyDictionary<string, HostImage>? images = null,
        TimeSpan? containerTimeout = null,
        bool? network = null,
        long? maxOutputBytes = null,
        int? parallelWorkflows = null,
        Schema.FieldValidationMode? fieldValidation = null,
        string? resourceBindingVersionStrategy = null,
        TimeSpan? reconciliationInterval = null,
        TimeSpan? stateStoreReconciliationInterval = null,
        bool? reconcileAfterFailure = null)
    {
        var changed = this with
        {
            Runtime = runtime is null ? Runtime : RuntimeChoice.Canonical(runtime),
            Images = images ?? Images,
            ContainerTimeout = containerTimeout is { } timeout
                ? timeout > TimeSpan.Zero ? timeout : throw Invalid($"The container time limit must be positive; {timeout} is not.", timeout)
                : ContainerTimeout,
            Network = network ?? Network,
            FieldValidation = fieldValidation ?? FieldValidation,
            ResourceBindingVersionStrategy = resourceBindingVersionStrategy is null ? ResourceBindingVersionStrategy
                : BindingStrategy(resourceBindingVersionStrategy) ?? throw Invalid($"resourceBindingVersionStrategy must be floating or pinned; \"{resourceBindingVersionStrategy}\" is neither.", resourceBindingVersionStrategy),
            MaxOutputBytes = maxOutputBytes is { } limit
                ? limit > 0 ? limit : throw Invalid($"The pipeline output limit must be a positive number of bytes; {limit} is not.", limit)
                : MaxOutputBytes,
            Reconciliation = Reconciliation with
            {
                Interval = reconciliationInterval is { } interval
                    ? interval > TimeSpan.Zero ? interval : throw Invalid($"The reconciliation interval must be positive (upstream's default is 10h); {interval} is not.", interval)
                    : Reconciliation.Interval,
                StateStoreInterval = stateStoreReconciliationInterval is { } storeInterval
                    ? storeInterval >= TimeSpan.Zero ? storeInterval : throw Invalid($"The state-store reconciliation interval must be zero (never on a timer) or positive; {storeInterval} is not.", storeInterval)
                    : Reconciliation.StateStoreInterval,
                ReconcileAfterFailure = reconcileAfterFailure ?? Reconciliation.ReconcileAfterFailure,
            },
            ParallelWorkflows = parallelWorkflows is { } parallel
                ? parallel > 0 ? parallel : throw Invalid($"The number of workflows that run at once must be positive; {parallel} is not.", parallel)
                : ParallelWorkflows,
        };
        if (runtimeArguments is not null)
        {
            var (podman, docker) = RuntimeChoice.EngineArguments(changed.Runtime, runtimeArguments);
            changed = changed with { PodmanArguments = podman ?? PodmanArguments, DockerArguments = docker ?? DockerArguments };
        }

        return changed;
    }

    public static PlatformSettings Load(string home)
    {
        var path = Path.Combine(home, FileName);
        if (!File.Exists(path))
        {
            return new PlatformSettings();
        }

        var documents = ManifestReader.Default.ReadFile(path);
        if (documents.Count == 0 || documents[0].Content is not JsonObject node)
        {
            return new PlatformSettings();
        }

        try
        {
            return FromJson(node);
        }
        catch (Exception ex) when (ex is InvalidOperationException or FormatException or KratixException)
        {
            throw new KratixException("PlatformSettingsInvalid", KratixErrorCategory.InvalidData, $"{path}: {ex.Message} Fix the file or set it again with Connect-KratixPlatform.", path, ex);
        }
    }

    public void Save(string home)
    {
        Directory.CreateDirectory(home);
        AtomicFile.WriteAllText(Path.Combine(home, FileName), ManifestWriter.ToYaml(ToJson()));
    }

    public JsonObject ToJson()
    {
        var node = new JsonObject
        {
            ["runtime"] = Runtime,
            ["containerTimeout"] = ContainerTimeout.TotalSeconds.ToString(CultureInfo.InvariantCulture) + "s",
            ["maxOutputBytes"] = MaxOutputBytes,
            ["network"] = Network,
            ["fieldValidation"] = FieldValidation.ToString(),
        };
        if (ResourceBindingVersionStrategy != Objects.Versioning.Floating)
        {
            node["resourceBindingVersionStrategy"] = ResourceBindingVersionStrategy;
        }

        if (ParallelWorkflows is { } parallel)
        {
            node["parallelWorkflows"] = parallel;
        }

        if (Reconciliation != new ReconciliationOptions())
        {
            node["reconciliationInterval"] = GoDurationText(Reconciliation.Interval);
            node["stateStoreReconciliationInterval"] = GoDurationText(Reconciliation.StateStoreInterval);
            node["reconcileAfterFailure"] = Reconciliation.ReconcileAfterFailure;
        }

        if (PodmanArguments is not null)
        {
            node["podmanArguments"] = new JsonArray(PodmanArguments.Select(a => (JsonNode)a).ToArray());
        }

        if (DockerArguments is not null)
        {
            node["dockerArguments"] = new JsonArray(DockerArguments.Select(a => (JsonNode)a).ToArray());
        }

        if (Images.Count > 0)
        {
            var images = new JsonObject();
            foreach (var (reference, image) in Images.OrderBy(kv => kv.Key, StringComparer.Ordinal))
            {
                var entry = new JsonObject { ["path"] = image.Path };
                if (image.Entrypoint is not null)
                {
                    entry["entrypoint"] = new JsonArray(image.Entrypoint.Select(a => (JsonNode)a).ToArray());
                }

                if (image.Cmd is not null)
                {
                    entry["cmd"] = new JsonArray(image.Cmd.Select(a => (JsonNode)a).ToArray());
                }

                images[reference] = entry;
            }

            node["images"] = images;
        }

        return node;
    }

    private static PlatformSettings FromJson(JsonObject node)
    {
        var timeout = node.GetString("containerTimeout") is { } text
            ? GoDuration.TryParse(text, out var parsed) && parsed > TimeSpan.Zero ? parsed : throw new FormatException($"containerTimeout \"{text}\" is not a positive duration such as 10m or 90s.")
            : TimeSpan.FromMinutes(10);
        var images = new Dictionary<string, HostImage>(StringComparer.Ordinal);
        foreach (var (reference, value) in node["images"] as JsonObject ?? [])
        {
            var entry = value as JsonObject ?? throw new FormatException($"images.{reference} must be a mapping with path, entrypoint and cmd.");
            images[reference] = new HostImage(
                entry.GetString("path") ?? throw new FormatException($"images.{reference}.path is missing."),
                Strings(entry["entrypoint"]),
                Strings(entry["cmd"]));
        }

        return new PlatformSettings
        {
            Reconciliation = new ReconciliationOptions
            {
                Interval = Interval(node, "reconciliationInterval", ReconciliationOptions.DefaultInterval, allowZero: false),
                StateStoreInterval = Interval(node, "stateStoreReconciliationInterval", ReconciliationOptions.DefaultInterval, allowZero: true),
                ReconcileAfterFailure = node["reconcileAfterFailure"] is null
                    ? true
                    : node.GetBool("reconcileAfterFailure") ?? throw new FormatException($"reconcileAfterFailure \"{node["reconcileAfterFailure"]}\" is not true or false."),
            },
            Runtime = node.GetString("runtime") ?? PipelineRuntimes.Auto,
            PodmanArguments = Strings(node["podmanArguments"]),
            DockerArguments = Strings(node["dockerArguments"]),
            Images = images,
            ContainerTimeout = timeout,
            MaxOutputBytes = node["maxOutputBytes"] is null
                ? WorkflowExecutorOptions.DefaultMaxOutputBytes
                : node.GetLong("maxOutputBytes") is { } limit and > 0
                    ? limit
                    : throw new FormatException($"maxOutputBytes \"{node["maxOutputBytes"]}\" is not a positive whole number of bytes such as {WorkflowExecutorOptions.DefaultMaxOutputBytes}."),
            Network = node.GetBool("network") ?? false,
            FieldValidation = node.GetString("fieldValidation") is not { } mode
                ? Schema.FieldValidationMode.Strict
                : Enum.TryParse<Schema.FieldValidationMode>(mode, ignoreCase: true, out var fieldMode) && Enum.IsDefined(fieldMode) && !mode.Any(char.IsDigit)
                    ? fieldMode
                    : throw new FormatException($"fieldValidation \"{mode}\" is not Strict, Warn or Ignore."),
            ResourceBindingVersionStrategy = node.GetString("resourceBindingVersionStrategy") is not { } strategy
                ? Objects.Versioning.Floating
                : BindingStrategy(strategy) ?? throw new FormatException($"resourceBindingVersionStrategy \"{strategy}\" is not floating or pinned."),
            ParallelWorkflows = node["parallelWorkflows"] is null
                ? null
                : node.GetLong("parallelWorkflows") is { } parallel and > 0 and <= int.MaxValue
                    ? (int)parallel
                    : throw new FormatException($"parallelWorkflows \"{node["parallelWorkflows"]}\" is not a positive whole number such as {Environment.ProcessorCount}."),
        };
    }

    private static string? BindingStrategy(string text) =>
        string.Equals(text, Objects.Versioning.Floating, StringComparison.OrdinalIgnoreCase) ? Objects.Versioning.Floating
        : string.Equals(text, Objects.Versioning.Pinned, StringComparison.OrdinalIgnoreCase) ? Objects.Versioning.Pinned
        : null;

    /// <summary>A Go duration such as 10h or 90s; zero only where it means "never on a timer".</summary>
    private static TimeSpan Interval(JsonObject node, string key, TimeSpan fallback, bool allowZero)
    {
        if (node.GetString(key) is not { } text)
        {
            return fallback;
        }

        return GoDuration.TryParse(text, out var parsed) && (parsed > TimeSpan.Zero || (allowZero && parsed == TimeSpan.Zero))
            ? parsed
            : throw new FormatException($"{key} \"{text}\" is not a {(allowZero ? "" : "positive ")}duration such as 10h or 30m.");
    }

    /// <summary>A duration as Go prints one (1h0m0s style is not needed: whole units read back by GoDuration).</summary>
    private static string GoDurationText(TimeSpan duration) =>
        duration.TotalSeconds.ToString(CultureInfo.InvariantCulture) + "s";

    private static KratixException Invalid(string message, object? target) =>
        new("PlatformSettingsInvalid", KratixErrorCategory.InvalidArgument, message, target);

    private static List<string>? Strings(JsonNode? node) =>
        node is JsonArray array ? array.Select(n => n?.ToString() ?? string.Empty).ToList() : null;
}
