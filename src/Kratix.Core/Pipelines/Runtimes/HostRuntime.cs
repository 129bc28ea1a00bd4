using System.ComponentModel;
using System.Diagnostics;

namespace Kratix.Pipelines.Runtimes;

/// <summary>
/// Runs a pipeline container's command on the host, without a container engine, in a bubblewrap (<c>bwrap</c>, Linux
/// only) sandbox: private mount, PID, IPC, UTS and network namespaces (<c>--unshare-all</c>; the network is shared only
/// when the request allows it), the host's system directories read-only, <c>/kratix/input</c> read-only,
/// <c>/kratix/output</c> and <c>/kratix/metadata</c> writable, a private <c>/tmp</c>, <c>/proc</c> and <c>/dev</c>, and an
/// empty writable <c>/root</c>. When this process is root, the sandbox gets podman's default capability set instead of
/// all of them, so a step cannot remount its read-only input.
/// <list type="bullet">
/// <item>The image itself is not used: <see cref="HostRuntimeOptions.Images"/> maps an image reference to a local folder
/// (laid out like the image, merged over the host's directories: see <see cref="HostFileSystem"/>) and the image's
/// ENTRYPOINT and CMD. An unmapped image runs against the plain host root, which suits <c>command: [sh, -c, ...]</c>.</item>
/// <item>Command and args follow Kubernetes: <c>command</c>, else the map entry's entrypoint; then <c>args</c>, else the
/// entry's cmd when <c>command</c> was not set. Nothing to run is <see cref="PipelineRuntimeErrors.CommandUnknown"/>.</item>
/// <item>bwrap starts with an empty environment plus <c>PATH</c>, <c>HOME=/root</c> and the request's variables (later
/// entries win): host variables do not leak in and values never reach a command line. bwrap's own options travel
/// through a pipe (<c>--args</c>).</item>
/// <item>Resource limits (CPU, memory) cannot be applied by bwrap and are ignored.</item>
/// <item>On timeout or cancellation the process tree is killed; <c>--die-with-parent</c> and the PID namespace take the
/// rest of the sandbox with it.</item>
/// </list>
/// </summary>
public sealed class HostRuntime : IContainerRuntime
{
    /// <summary>PATH inside the sandbox unless the request sets its own.</summary>
    public const string SandboxPath = "/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin";

    /// <summary>HOME inside the sandbox unless the request sets its own.</summary>
    public const string SandboxHome = "/root";

    /// <summary>podman's default capabilities (containers.conf), granted when this process runs as root.</summary>
    private static readonly string[] ContainerCapabilities =
    [
        "CAP_CHOWN", "CAP_DAC_OVERRIDE", "CAP_FOWNER", "CAP_FSETID", "CAP_KILL", "CAP_NET_BIND_SERVICE",
        "CAP_SETFCAP", "CAP_SETGID", "CAP_SETPCAP", "CAP_SETUID", "CAP_SYS_CHROOT",
    ];

    private static readonly string[] DockerHubPrefixes = ["docker.io/library/", "index.docker.io/library/", "docker.io/", "index.docker.io/"];

    private static readonly TimeSpan ProbeTimeout = TimeSpan.FromSeconds(10);

    private readonly PipelineRuntimeOptions _options;
    private readonly CachedProbe _probe;

    public HostRuntime(PipelineRuntimeOptions? options = null)
    {
        _options = options ?? new PipelineRuntimeOptions();
        _probe = new CachedProbe(ProbeOnceAsync);
    }

    public string Name => "Host";

    /// <summary>Null when this is Linux, bwrap is found, and it can run <c>true</c> in the sandbox this runtime builds; cached for this instance.</summary>
    public Task<string?> ProbeAsync(CancellationToken cancellationToken) => _probe.GetAsync(cancellationToken);

    public async Task<ContainerRunResult> RunAsync(ContainerRunRequest request, CancellationToken cancellationToken)
    {
        RunRequestChecks.Check(request);
        var workspace = RunRequestChecks.Workspace(request);
        var timeout = _options.TimeoutFor(request);
        if (!OperatingSystem.IsLinux())
        {
            throw Unavailable($"The Host runtime needs Linux (it runs steps in a bubblewrap sandbox); this is {System.Runtime.InteropServices.RuntimeInformation.OSDescription}.");
        }
        var bwrap = ExecutableLocator.Find(_options.Host.BwrapExecutable) ?? throw Unavailable(NoBwrap());
        var image = FindImage(request.Container.Image);
        if (image is not null && !Directory.Exists(image.Path))
        {
            throw new KratixException(PipelineRuntimeErrors.ImageNotFound, KratixErrorCategory.ObjectNotFound,
                $"The Host runtime maps image '{request.Container.Image}' to the folder '{image.Path}', which does not exist. Fix the image map.",
                image.Path);
        }
        var command = Command(request.Container, image);
        var options = SandboxOptions(request, workspace, image?.Path);
        return await RunSandboxAsync(bwrap, options, command, RunRequestChecks.Environment(request), timeout, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>
    /// What runs, with Kubernetes semantics over the image map: <c>command</c> (else the entry's entrypoint), then
    /// <c>args</c> (else the entry's cmd, unless <c>command</c> was set).
    /// </summary>
    internal static IReadOnlyList<string> Command(ContainerSpec container, HostImage? image)
    {
        var commandSet = RunRequestChecks.IsSet(container.Command);
        var command = commandSet ? container.Command! : image?.Entrypoint ?? [];
        var arguments = RunRequestChecks.IsSet(container.Args) ? container.Args! : commandSet ? [] : image?.Cmd ?? [];
        var argv = command.Concat(arguments).ToList();
        if (argv.Count == 0)
        {
            var why = image is null
                ? "the image is not in the Host runtime's image map"
                : "its image map entry has no entrypoint or cmd";
            throw new KratixException(PipelineRuntimeErrors.CommandUnknown, KratixErrorCategory.InvalidData,
                $"Container '{container.Name}' (image '{container.Image}') sets no command, {why}, and the Host runtime cannot read an image's metadata. " +
                "Add 'command' to the container in the Pipeline, or map the image to a folder with an entrypoint in PipelineRuntimeOptions.Host.Images.",
                container.Image);
        }
        return argv;
    }

    /// <summary>The image map entry for a reference: exact match first, then ignoring Docker Hub's default prefixes.</summary>
    internal HostImage? FindImage(string reference)
    {
        var images = _options.Host.Images;
        if (images.TryGetValue(reference, out var exact))
        {
            return exact;
        }
        var normalized = WithoutDockerHubPrefix(reference);
        return images.FirstOrDefault(entry => string.Equals(WithoutDockerHubPrefix(entry.Key), normalized, StringComparison.Ordinal)).Value;
    }

    /// <summary>bwrap's options (everything before <c>--</c>) for a request.</summary>
    internal static IReadOnlyList<string> SandboxOptions(ContainerRunRequest request, (string Input, string Output, string Metadata) workspace, string? imageFolder)
    {
        var options = new List<string> { "--die-with-parent", "--new-session", "--unshare-all" };
        if (request.Network)
        {
            options.Add("--share-net");
        }
        if (Environment.IsPrivilegedProcess)
        {
            options.AddRange(["--cap-drop", "ALL"]);
            foreach (var capability in ContainerCapabilities)
            {
                options.AddRange(["--cap-add", capability]);
            }
        }
        options.AddRange(HostFileSystem.Options(imageFolder));
        options.AddRange(["--proc", "/proc", "--dev", "/dev", "--tmpfs", "/tmp"]);
        options.AddRange(["--ro-bind", workspace.Input, "/kratix/input"]);
        options.AddRange(["--bind", workspace.Output, "/kratix/output"]);
        options.AddRange(["--bind", workspace.Metadata, "/kratix/metadata"]);
        var workingDirectory = string.IsNullOrEmpty(request.Container.WorkingDir) ? "/" : request.Container.WorkingDir;
        if (workingDirectory != "/")
        {
            // Engines create a missing working directory; so does this.
            options.AddRange(["--dir", workingDirectory]);
        }
        options.AddRange(["--chdir", workingDirectory]);
        return options;
    }

    private async Task<ContainerRunResult> RunSandboxAsync(
        string bwrap,
        IReadOnlyList<string> options,
        IReadOnlyList<string> command,
        IReadOnlyList<KeyValuePair<string, string>> environment,
        TimeSpan timeout,
        CancellationToken cancellationToken)
    {
        if (!OperatingSystem.IsLinux())
        {
            throw Unavailable("The Host runtime needs Linux.");
        }
        using var pipe = ArgumentsPipe.Create(options);
        var startInfo = new ProcessStartInfo(bwrap);
        startInfo.ArgumentList.Add("--args");
        startInfo.ArgumentList.Add(pipe.ReadDescriptor.ToString(System.Globalization.CultureInfo.InvariantCulture));
        startInfo.ArgumentList.Add("--");
        foreach (var argument in command)
        {
            startInfo.ArgumentList.Add(argument);
        }
        startInfo.Environment.Clear();
        startInfo.Environment["PATH"] = SandboxPath;
        startInfo.Environment["HOME"] = SandboxHome;
        foreach (var (name, value) in environment)
        {
            startInfo.Environment[name] = value;
        }

        ProcessOutcome outcome;
        try
        {
            outcome = await RuntimeProcess.RunAsync(startInfo, timeout, _options.MaxLogBytes,
                sandbox =>
                {
                    RuntimeProcess.KillTree(sandbox);
                    return Task.CompletedTask;
                },
                beforeStart: pipe.MakeInheritable, afterStart: pipe.Dispose, startOnSpawnThread: true, cancellationToken).ConfigureAwait(false);
        }
        catch (Win32Exception e)
        {
            throw Unavailable($"bwrap ('{bwrap}') could not be started: {e.Message}.");
        }
        return new ContainerRunResult(outcome.ExitCode, outcome.Log, outcome.Duration, outcome.TimedOut);
    }

    private async Task<string?> ProbeOnceAsync(CancellationToken cancellationToken)
    {
        if (!OperatingSystem.IsLinux())
        {
            return $"The Host runtime needs Linux (bubblewrap); this is {System.Runtime.InteropServices.RuntimeInformation.OSDescription}. Use Podman or Docker.";
        }
        var bwrap = ExecutableLocator.Find(_options.Host.BwrapExecutable);
        if (bwrap is null)
        {
            return NoBwrap();
        }
        var workspace = Path.Combine(Path.GetTempPath(), "kratix-host-probe-" + Guid.NewGuid().ToString("N"));
        try
        {
            Directory.CreateDirectory(workspace);
            var request = new ContainerRunRequest(
                new ContainerSpec("probe", "kratix-host-probe", ["true"], null, null, ContainerLimits.None),
                workspace, workspace, workspace, [], Network: false, ProbeTimeout, "probe");
            var result = await RunSandboxAsync(bwrap, SandboxOptions(request, (workspace, workspace, workspace), null), ["true"], [], ProbeTimeout, cancellationToken).ConfigureAwait(false);
            if (result.TimedOut)
            {
                return $"The Host runtime is not available: a bwrap sandbox did not run 'true' within {ProbeTimeout.TotalSeconds:0} seconds.";
            }
            return result.ExitCode == 0
                ? null
                : $"The Host runtime is not available: bwrap ({bwrap}) cannot create its sandbox here (exit code {result.ExitCode}): {result.Log.Trim()} " +
                  "User namespaces may be disabled for unprivileged users (kernel.unprivileged_userns_clone, or AppArmor's restrictions); use Podman or Docker.";
        }
        catch (KratixException e)
        {
            return $"The Host runtime is not available: {e.Message}";
        }
        finally
        {
            try
            {
                Directory.Delete(workspace, recursive: true);
            }
            catch (IOException)
            {
            }
        }
    }

    private string NoBwrap() =>
        $"The Host runtime needs bubblewrap: '{_options.Host.BwrapExecutable}' was not found{(_options.Host.BwrapExecutable.Contains('/') ? "" : " on PATH")}. " +
        "Install it (Debian and Ubuntu: apt-get install bubblewrap), set PipelineRuntimeOptions.Host.BwrapExecutable, or use Podman or Docker.";

    private static KratixException Unavailable(string why) =>
        new(PipelineRuntimeErrors.RuntimeUnavailable, KratixErrorCategory.ResourceUnavailable,
            why + " The runtimes that would work are Podman and Docker (a container engine).", "Host");

    private static string WithoutDockerHubPrefix(string reference)
    {
        foreach (var prefix in DockerHubPrefixes)
        {
            if (reference.StartsWith(prefix, StringComparison.Ordinal))
            {
                return reference[prefix.Length..];
            }
        }
        return reference;
    }
}
