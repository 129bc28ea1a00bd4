using System.Globalization;
using System.Text.Json;

namespace Kratix.Pipelines.Runtimes;

/// <summary>
/// The <c>podman run</c> / <c>docker run</c> command for a request, and the environment its CLI process needs: a pure
/// function, so the command line is tested without an engine.
/// </summary>
/// <param name="Arguments">Everything after the executable.</param>
/// <param name="ProcessEnvironment">Variables to set in the CLI process; <c>--env=NAME</c> (name only) makes the engine copy them into the container, so values never reach a command line.</param>
/// <param name="EnvironmentFileLines">Variables that cannot travel through the CLI's own environment (below), as <c>NAME=value</c> lines for <c>--env-file</c>; empty when there are none.</param>
internal sealed record CliRunArguments(
    IReadOnlyList<string> Arguments,
    IReadOnlyList<KeyValuePair<string, string>> ProcessEnvironment,
    IReadOnlyList<string> EnvironmentFileLines)
{
    /// <summary>Variables that steer the engine's CLI itself (where it finds its runtime, config and storage).</summary>
    private static readonly HashSet<string> EngineVariables = new(StringComparer.Ordinal)
    {
        "PATH", "HOME", "TMPDIR", "USER", "GODEBUG", "GOGC", "GOMAXPROCS", "GOMEMLIMIT", "GOTRACEBACK",
        "NOTIFY_SOCKET", "DBUS_SESSION_BUS_ADDRESS", "REGISTRY_AUTH_FILE", "STORAGE_DRIVER", "STORAGE_OPTS",
    };

    private static readonly string[] EngineVariablePrefixes = ["XDG_", "CONTAINERS_", "CONTAINER_", "DOCKER_", "PODMAN_", "BUILDAH_", "LD_"];

    /// <summary>
    /// Builds the run command. Shape: <c>run --rm --name=kratix-&lt;RunId&gt; --pull=never [--network=none]
    /// --volume=&lt;input&gt;:/kratix/input:ro --volume=&lt;output&gt;:/kratix/output --volume=&lt;metadata&gt;:/kratix/metadata
    /// [--cpus=X] [--memory=N] [--workdir=W] [--env=NAME...] [--env-file=F] [extra...] [--entrypoint=...] image [args...]</c>.
    /// Every option is written as <c>--name=value</c> so a value that starts with '-' is never read as an option.
    /// <c>environmentFilePath</c> is where the caller will write <see cref="EnvironmentFileLines"/>; it is used only when there are some.
    /// </summary>
    public static CliRunArguments Build(
        ContainerCliKind kind,
        ContainerRunRequest request,
        (string Input, string Output, string Metadata) workspace,
        IReadOnlyList<string> extraArguments,
        bool applyResourceLimits,
        string environmentFilePath)
    {
        RunRequestChecks.Check(request);
        var container = request.Container;
        var arguments = new List<string> { "run", "--rm", "--name=" + ContainerName(request), "--pull=never" };
        if (!request.Network)
        {
            arguments.Add("--network=none");
        }
        arguments.Add("--volume=" + Volume(workspace.Input, "/kratix/input") + ":ro");
        arguments.Add("--volume=" + Volume(workspace.Output, "/kratix/output"));
        arguments.Add("--volume=" + Volume(workspace.Metadata, "/kratix/metadata"));
        if (applyResourceLimits && container.Limits is { } limits)
        {
            if (limits.Cpus is { } cpus)
            {
                arguments.Add("--cpus=" + cpus.ToString("0.###", CultureInfo.InvariantCulture));
            }
            if (limits.MemoryBytes is { } memory)
            {
                arguments.Add("--memory=" + memory.ToString(CultureInfo.InvariantCulture));
            }
        }
        if (!string.IsNullOrEmpty(container.WorkingDir))
        {
            arguments.Add("--workdir=" + container.WorkingDir);
        }

        var processEnvironment = new List<KeyValuePair<string, string>>();
        var fileLines = new List<string>();
        foreach (var (name, value) in RunRequestChecks.Environment(request))
        {
            if (IsEngineVariable(name))
            {
                // Setting PATH or HOME on the CLI process would change how the engine itself runs; these go through a
                // private file instead, which cannot hold a line break.
                if (value.Contains('\n') || value.Contains('\r') || value.Contains('\0'))
                {
                    throw RunRequestChecks.Invalid(
                        $"Container '{container.Name}' sets {name} to a value with a line break; {name} is also read by {kind} itself, so it is passed through an env file, which cannot hold line breaks. Remove the line break or rename the variable.",
                        name);
                }
                fileLines.Add(name + "=" + value);
            }
            else
            {
                arguments.Add("--env=" + name);
                processEnvironment.Add(KeyValuePair.Create(name, value));
            }
        }
        if (fileLines.Count > 0)
        {
            arguments.Add("--env-file=" + environmentFilePath);
        }
        arguments.AddRange(extraArguments);

        var trailing = new List<string>();
        if (RunRequestChecks.IsSet(container.Command))
        {
            // Kubernetes: command replaces the image's ENTRYPOINT and its CMD is not used. --entrypoint takes one
            // program; the rest of command and then args follow the image. Podman reads a JSON array there (and would
            // misread a plain value that starts with '['), so it always gets one.
            arguments.Add("--entrypoint=" + (kind == ContainerCliKind.Podman
                ? JsonSerializer.Serialize(new[] { container.Command![0] })
                : container.Command![0]));
            trailing.AddRange(container.Command.Skip(1));
            if (RunRequestChecks.IsSet(container.Args))
            {
                trailing.AddRange(container.Args!);
            }
        }
        else if (RunRequestChecks.IsSet(container.Args))
        {
            // args alone replace the image's CMD and keep its ENTRYPOINT: exactly what arguments after the image do.
            trailing.AddRange(container.Args!);
        }
        arguments.Add(container.Image);
        arguments.AddRange(trailing);
        return new CliRunArguments(arguments, processEnvironment, fileLines);
    }

    public static string ContainerName(ContainerRunRequest request) => "kratix-" + request.RunId;

    internal static bool IsEngineVariable(string name) =>
        EngineVariables.Contains(name) || EngineVariablePrefixes.Any(prefix => name.StartsWith(prefix, StringComparison.Ordinal));

    private static string Volume(string hostPath, string containerPath)
    {
        // -v splits on ':'; a ',' would be read as an option list by some engines.
        if (hostPath.Contains(':') || hostPath.Contains(','))
        {
            throw RunRequestChecks.Invalid(
                $"The workspace directory '{hostPath}' contains ':' or ',', which a container engine's --volume option cannot carry. Use a workspace path without them.",
                hostPath);
        }
        return hostPath + ":" + containerPath;
    }
}
