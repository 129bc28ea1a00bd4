using System.ComponentModel;
using System.Diagnostics;

namespace Kratix.Pipelines.Runtimes;

/// <summary>
/// Runs pipeline containers through the podman or docker command line (<see cref="ContainerCliKind"/>), one
/// <c>run --rm</c> per container named <c>kratix-&lt;RunId&gt;</c>.
/// <list type="bullet">
/// <item>Images are never pulled (<c>--pull=never</c>): a missing image is <see cref="PipelineRuntimeErrors.ImageNotFound"/>,
/// so a run never depends on a registry or silently fetches something else.</item>
/// <item>No network unless the request asks for it (<c>--network=none</c>).</item>
/// <item>Environment values never reach a command line: each variable is <c>--env=NAME</c> and its value is set in the
/// CLI process's environment, from which the engine copies it. Variables that steer the engine itself (PATH, HOME,
/// XDG_*, DOCKER_*, ...) go through a private <c>--env-file</c> instead, deleted after the run.</item>
/// <item>Command and args follow Kubernetes: <c>command</c> replaces the image's ENTRYPOINT and drops its CMD; <c>args</c>
/// alone replace CMD.</item>
/// <item>Extra engine arguments come from <see cref="PipelineRuntimeOptions.PodmanArguments"/> /
/// <see cref="PipelineRuntimeOptions.DockerArguments"/>, or, when those are null, from the environment variables
/// <c>KRATIX_PODMAN_ARGS</c> / <c>KRATIX_DOCKER_ARGS</c> (space separated, read once when the runtime is created), so CI
/// and users configure a machine without code. For example a sandbox whose default OCI runtime cannot set rlimits needs
/// <c>KRATIX_PODMAN_ARGS="--ulimit nofile=1024:1024 --ulimit nproc=4096:4096 --runtime runc"</c>.</item>
/// <item>CPU and memory limits become <c>--cpus</c> and <c>--memory</c> unless <see cref="PipelineRuntimeOptions.ApplyResourceLimits"/> is off.</item>
/// <item>On timeout or cancellation the container is removed (<c>rm -f</c>) and the CLI's process tree killed before
/// the call returns; nothing named <c>kratix-&lt;RunId&gt;</c> is left behind.</item>
/// </list>
/// </summary>
public sealed class CliContainerRuntime : IContainerRuntime
{
    /// <summary>podman/docker exit with 125 when the engine, not the container, failed.</summary>
    private const int EngineFailureExitCode = 125;

    private static readonly TimeSpan ProbeTimeout = TimeSpan.FromSeconds(10);
    private static readonly TimeSpan CleanupTimeout = TimeSpan.FromSeconds(30);
    private static readonly TimeSpan CliExitGrace = TimeSpan.FromSeconds(5);

    private static readonly string[] MissingImageTexts = ["image not known", "No such image", "Unable to find image", "manifest unknown", "not found: manifest"];
    private static readonly string[] NoDaemonTexts = ["Cannot connect to the Docker daemon", "Is the docker daemon running", "Cannot connect to Podman"];

    private readonly PipelineRuntimeOptions _options;
    private readonly CachedProbe _probe;

    public CliContainerRuntime(ContainerCliKind kind, PipelineRuntimeOptions? options = null)
    {
        _options = options ?? new PipelineRuntimeOptions();
        _probe = new CachedProbe(ProbeOnceAsync);
        Kind = kind;
        Executable = kind == ContainerCliKind.Podman ? _options.PodmanExecutable : _options.DockerExecutable;
        ExtraArguments = _options.ExtraArgumentsFor(kind);
    }

    /// <summary>"Podman" or "Docker".</summary>
    public string Name => Kind.ToString();

    public ContainerCliKind Kind { get; }

    /// <summary>The executable as configured (a name on PATH or a path).</summary>
    public string Executable { get; }

    /// <summary>The extra <c>run</c> arguments in effect: from the options, else from the environment variable.</summary>
    public IReadOnlyList<string> ExtraArguments { get; }

    private string CliName => Kind == ContainerCliKind.Podman ? "podman" : "docker";

    /// <summary>
    /// Null when the executable is found and <c>&lt;exe&gt; info</c> succeeds within 10 seconds (so a docker CLI without a
    /// daemon is reported, not just a missing CLI). The answer is cached for this instance.
    /// </summary>
    public Task<string?> ProbeAsync(CancellationToken cancellationToken) => _probe.GetAsync(cancellationToken);

    public async Task<ContainerRunResult> RunAsync(ContainerRunRequest request, CancellationToken cancellationToken)
    {
        RunRequestChecks.Check(request);
        var workspace = RunRequestChecks.Workspace(request);
        var timeout = _options.TimeoutFor(request);
        var executable = ExecutableLocator.Find(Executable) ?? throw NotInstalled();
        var name = CliRunArguments.ContainerName(request);

        string? environmentDirectory = null;
        try
        {
            var environmentFile = Path.Combine(Path.GetTempPath(), "kratix-env-" + Guid.NewGuid().ToString("N"), "container.env");
            var command = CliRunArguments.Build(Kind, request, workspace, ExtraArguments, _options.ApplyResourceLimits, environmentFile);
            if (command.EnvironmentFileLines.Count > 0)
            {
                environmentDirectory = Path.GetDirectoryName(environmentFile)!;
                WritePrivateFile(environmentDirectory, environmentFile, command.EnvironmentFileLines);
            }

            var startInfo = new ProcessStartInfo(executable);
            foreach (var argument in command.Arguments)
            {
                startInfo.ArgumentList.Add(argument);
            }
            foreach (var (variable, value) in command.ProcessEnvironment)
            {
                startInfo.Environment[variable] = value;
            }

            ProcessOutcome outcome;
            try
            {
                outcome = await RuntimeProcess.RunAsync(startInfo, timeout, _options.MaxLogBytes,
                    cli => StopAsync(executable, name, cli), null, null, false, cancellationToken).ConfigureAwait(false);
            }
            catch (Win32Exception e)
            {
                throw new KratixException(PipelineRuntimeErrors.RuntimeUnavailable, KratixErrorCategory.ResourceUnavailable,
                    $"{Name} could not be started ('{executable}'): {e.Message}. Check the installation, or choose another runtime ({Others()}).",
                    executable, e);
            }

            if (!outcome.TimedOut && outcome.ExitCode == EngineFailureExitCode)
            {
                await ThrowIfEngineFailedAsync(executable, request, outcome).ConfigureAwait(false);
            }
            return new ContainerRunResult(outcome.ExitCode, outcome.Log, outcome.Duration, outcome.TimedOut);
        }
        finally
        {
            if (environmentDirectory is not null)
            {
                TryDeleteDirectory(environmentDirectory);
            }
        }
    }

    /// <summary>
    /// Exit code 125 is usually the engine's own failure, which it explains on a stderr line starting with "Error:"
    /// (podman) or "docker:" / "Error response from daemon" (docker), possibly followed by a usage hint. A container that
    /// itself exits with 125 and prints no such line stays an ordinary result.
    /// </summary>
    private async Task ThrowIfEngineFailedAsync(string executable, ContainerRunRequest request, ProcessOutcome outcome)
    {
        var engineLine = outcome.StderrTail
            .Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)
            .LastOrDefault(line => line.StartsWith("Error:", StringComparison.Ordinal)
                || line.StartsWith("docker:", StringComparison.Ordinal)
                || line.StartsWith("Error response from daemon", StringComparison.Ordinal));
        if (engineLine is null)
        {
            return;
        }
        var image = request.Container.Image;
        if (MissingImageTexts.Any(text => engineLine.Contains(text, StringComparison.OrdinalIgnoreCase))
            && !await ImageExistsAsync(executable, image).ConfigureAwait(false))
        {
            throw new KratixException(PipelineRuntimeErrors.ImageNotFound, KratixErrorCategory.ObjectNotFound,
                $"The image '{image}' of container '{request.Container.Name}' is not in {Name}'s local image store, and pipeline runtimes never pull images. " +
                $"Build it or pull it first (for example '{CliName} pull {image}'), then run the pipeline again.",
                image);
        }
        if (NoDaemonTexts.Any(text => engineLine.Contains(text, StringComparison.OrdinalIgnoreCase)))
        {
            throw new KratixException(PipelineRuntimeErrors.RuntimeUnavailable, KratixErrorCategory.ResourceUnavailable,
                $"{Name} cannot run containers: {engineLine} Start the {Name} daemon, or choose another runtime ({Others()}).",
                executable);
        }
        var variable = Kind == ContainerCliKind.Podman ? PipelineRuntimeOptions.PodmanArgumentsVariable : PipelineRuntimeOptions.DockerArgumentsVariable;
        throw new KratixException(PipelineRuntimeErrors.RuntimeFailed, KratixErrorCategory.InvalidOperation,
            $"{Name} could not run container '{request.Container.Name}' (image '{image}'): {engineLine} " +
            $"If the engine needs extra options on this machine (an OCI runtime, ulimits), set them in {variable} or PipelineRuntimeOptions.",
            image);
    }

    private async Task<string?> ProbeOnceAsync(CancellationToken cancellationToken)
    {
        var executable = ExecutableLocator.Find(Executable);
        if (executable is null)
        {
            return $"{Name} is not available: '{Executable}' was not found{(Executable.Contains('/') ? "" : " on PATH")}. " +
                $"Install {CliName}, or set PipelineRuntimeOptions.{Name}Executable to its path.";
        }
        ProcessOutcome outcome;
        try
        {
            outcome = await RunShortAsync(executable, ["info"], ProbeTimeout, cancellationToken).ConfigureAwait(false);
        }
        catch (Win32Exception e)
        {
            return $"{Name} is not available: '{executable}' could not be started: {e.Message}.";
        }
        if (outcome.TimedOut)
        {
            return $"{Name} is not available: '{CliName} info' did not answer within {ProbeTimeout.TotalSeconds:0} seconds.";
        }
        if (outcome.ExitCode != 0)
        {
            var explanation = Tail(outcome.StderrTail);
            var advice = NoDaemonTexts.Any(text => explanation.Contains(text, StringComparison.OrdinalIgnoreCase))
                ? $" The {CliName} command is installed ({executable}) but no {Name} daemon answers: start it, or choose another runtime ({Others()})."
                : $" Fix the {Name} installation, or choose another runtime ({Others()}).";
            return $"{Name} is not available: '{CliName} info' failed with exit code {outcome.ExitCode}: {explanation}{advice}";
        }
        return null;
    }

    /// <summary>Removes the container, waits briefly for the CLI to notice, kills it, and removes again (the CLI may have been creating it).</summary>
    private async Task StopAsync(string executable, string name, Process cli)
    {
        await RemoveContainerAsync(executable, name).ConfigureAwait(false);
        using (var grace = new CancellationTokenSource(CliExitGrace))
        {
            try
            {
                await cli.WaitForExitAsync(grace.Token).ConfigureAwait(false);
            }
            catch (OperationCanceledException)
            {
                // Still running: killed below.
            }
        }
        RuntimeProcess.KillTree(cli);
        await cli.WaitForExitAsync(CancellationToken.None).ConfigureAwait(false);
        await RemoveContainerAsync(executable, name).ConfigureAwait(false);
    }

    private async Task RemoveContainerAsync(string executable, string name)
    {
        // podman rm -f waits 10 s for a graceful stop unless told -t 0; docker rm -f kills at once.
        string[] arguments = Kind == ContainerCliKind.Podman
            ? ["rm", "--force", "--ignore", "--time=0", name]
            : ["rm", "--force", name];
        try
        {
            await RunShortAsync(executable, arguments, CleanupTimeout, CancellationToken.None).ConfigureAwait(false);
        }
        catch (Win32Exception)
        {
            // The CLI vanished; nothing more can be done from here.
        }
    }

    private async Task<bool> ImageExistsAsync(string executable, string image)
    {
        var outcome = await RunShortAsync(executable, ["image", "inspect", image], ProbeTimeout, CancellationToken.None).ConfigureAwait(false);
        return outcome is { TimedOut: false, ExitCode: 0 };
    }

    private static Task<ProcessOutcome> RunShortAsync(string executable, IReadOnlyList<string> arguments, TimeSpan timeout, CancellationToken cancellationToken)
    {
        var startInfo = new ProcessStartInfo(executable);
        foreach (var argument in arguments)
        {
            startInfo.ArgumentList.Add(argument);
        }
        return RuntimeProcess.RunAsync(startInfo, timeout, 64 * 1024, _ => Task.CompletedTask, null, null, false, cancellationToken);
    }

    private KratixException NotInstalled() =>
        new(PipelineRuntimeErrors.RuntimeUnavailable, KratixErrorCategory.ResourceUnavailable,
            $"{Name} is not installed: '{Executable}' was not found{(Executable.Contains('/') ? "" : " on PATH")}. " +
            $"Install {CliName} or set PipelineRuntimeOptions.{Name}Executable, or choose another runtime ({Others()}).",
            Executable);

    private string Others() => string.Join(", ", PipelineRuntimes.Names.Where(n => n != Name));

    private static string Tail(string text)
    {
        var trimmed = text.Trim();
        if (trimmed.Length == 0)
        {
            return "(nothing on stderr)";
        }
        return trimmed.Length <= 1000 ? trimmed : "…" + trimmed[^1000..];
    }

    private static void WritePrivateFile(string directory, string path, IReadOnlyList<string> lines)
    {
        if (OperatingSystem.IsWindows())
        {
            Directory.CreateDirectory(directory);
        }
        else
        {
            Directory.CreateDirectory(directory, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute);
        }
        var options = new FileStreamOptions { Mode = FileMode.CreateNew, Access = FileAccess.Write };
        if (!OperatingSystem.IsWindows())
        {
            options.UnixCreateMode = UnixFileMode.UserRead | UnixFileMode.UserWrite;
        }
        using var writer = new StreamWriter(path, new System.Text.UTF8Encoding(false), options);
        foreach (var line in lines)
        {
            writer.Write(line);
            writer.Write('\n');
        }
    }

    private static void TryDeleteDirectory(string directory)
    {
        try
        {
            Directory.Delete(directory, recursive: true);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            // A leftover private temp file is not worth failing a finished run for.
        }
    }
}
