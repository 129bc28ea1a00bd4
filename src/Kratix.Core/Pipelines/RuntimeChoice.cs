using Kratix.Pipelines.Runtimes;

namespace Kratix.Pipelines;

/// <summary>
/// A runtime as a user names it (Auto, Podman, Docker or Host, any case) and the engine arguments that go with it; shared
/// by the platform settings (Connect-KratixPlatform) and Invoke-KratixPipeline so both accept and refuse the same things.
/// </summary>
public static class RuntimeChoice
{
    /// <summary>Every name a user may choose: Auto, then <see cref="PipelineRuntimes.Names"/>.</summary>
    public static IReadOnlyList<string> Names { get; } = [PipelineRuntimes.Auto, .. PipelineRuntimes.Names];

    /// <summary>A runtime name as <see cref="PipelineRuntimes"/> spells it, or a PipelineRuntimeUnknown error.</summary>
    public static string Canonical(string? runtime) =>
        Names.FirstOrDefault(n => string.Equals(n, runtime?.Trim(), StringComparison.OrdinalIgnoreCase))
        ?? throw new KratixException(
            PipelineRuntimeErrors.RuntimeUnknown,
            KratixErrorCategory.InvalidArgument,
            $"'{runtime}' is not a pipeline runtime. Choose one of {string.Join(", ", PipelineRuntimes.Names)}, or {PipelineRuntimes.Auto} for the first that works here.",
            runtime);

    /// <summary>
    /// Which engine extra arguments are for: Podman's or Docker's, or both when <paramref name="runtime"/> is Auto (null
    /// for the engine they are not for). The Host runtime runs no engine, so arguments for it are refused
    /// (RuntimeArgumentsNotApplicable).
    /// </summary>
    public static (IReadOnlyList<string>? Podman, IReadOnlyList<string>? Docker) EngineArguments(string runtime, IReadOnlyList<string> arguments)
    {
        var list = arguments.ToList();
        return Canonical(runtime) switch
        {
            "Podman" => (list, null),
            "Docker" => (null, list),
            PipelineRuntimes.Auto => (list, list),
            var other => list.Count == 0
                ? (null, null)
                : throw new KratixException(
                    "RuntimeArgumentsNotApplicable",
                    KratixErrorCategory.InvalidArgument,
                    $"The {other} runtime runs no container engine, so it takes no engine arguments; give them with runtime Podman, Docker or Auto.",
                    runtime),
        };
    }
}
