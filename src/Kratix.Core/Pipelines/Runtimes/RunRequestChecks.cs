using System.Text.RegularExpressions;

namespace Kratix.Pipelines.Runtimes;

/// <summary>
/// Checks on a <see cref="ContainerRunRequest"/> that every runtime makes before starting anything, so a bad request is a
/// clear <see cref="PipelineRuntimeErrors.RunInvalid"/> error instead of an engine's confusing one (or, for an image
/// reference that starts with a dash, an option injected into the engine's command line).
/// </summary>
internal static partial class RunRequestChecks
{
    /// <summary>The container name is <c>kratix-&lt;RunId&gt;</c>; engines accept <c>[a-zA-Z0-9][a-zA-Z0-9_.-]*</c>.</summary>
    [GeneratedRegex("^[a-zA-Z0-9][a-zA-Z0-9_.-]{0,200}$")]
    private static partial Regex RunIdPattern();

    public static void Check(ContainerRunRequest request)
    {
        ArgumentNullException.ThrowIfNull(request);
        ArgumentNullException.ThrowIfNull(request.Container);
        if (!RunIdPattern().IsMatch(request.RunId ?? ""))
        {
            throw Invalid($"The run id '{request.RunId}' cannot name a container: use letters, digits, '_', '.' and '-', starting with a letter or digit.", request.RunId);
        }
        var image = request.Container.Image;
        if (string.IsNullOrWhiteSpace(image) || image.StartsWith('-') || image.Any(c => char.IsWhiteSpace(c) || char.IsControl(c)))
        {
            throw Invalid($"Container '{request.Container.Name}' has the image reference '{image}', which is not an image reference: it is empty, starts with '-' or contains white space.", image);
        }
        if (request.Container.WorkingDir is { Length: > 0 } workingDir && !workingDir.StartsWith('/'))
        {
            throw Invalid($"Container '{request.Container.Name}' has the working directory '{workingDir}', which is not an absolute path; container engines require one (for example /kratix/output).", workingDir);
        }
        foreach (var (name, _) in request.Environment)
        {
            if (string.IsNullOrEmpty(name) || name.Contains('=') || name.Contains('*') || name.Any(char.IsControl) || name.Any(char.IsWhiteSpace))
            {
                throw Invalid($"Container '{request.Container.Name}' has an environment variable named '{name}', which cannot be passed to a process: a name must be non-empty and contain no '=', '*', white space or control characters.", name);
            }
        }
    }

    /// <summary>The workspace directories as absolute paths, each of which must exist.</summary>
    public static (string Input, string Output, string Metadata) Workspace(ContainerRunRequest request)
    {
        return (Existing(request.InputDirectory, "input"), Existing(request.OutputDirectory, "output"), Existing(request.MetadataDirectory, "metadata"));

        static string Existing(string path, string role)
        {
            if (string.IsNullOrEmpty(path) || !Directory.Exists(path))
            {
                throw Invalid($"The pipeline's {role} directory '{path}' does not exist; create the workspace before running the container.", path);
            }
            return Path.GetFullPath(path);
        }
    }

    /// <summary>The environment with one entry per name, in order of first appearance, each with its last value (later entries win).</summary>
    public static IReadOnlyList<KeyValuePair<string, string>> Environment(ContainerRunRequest request)
    {
        var order = new List<string>();
        var values = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var (name, value) in request.Environment)
        {
            if (!values.ContainsKey(name))
            {
                order.Add(name);
            }
            values[name] = value ?? "";
        }
        return order.Select(name => KeyValuePair.Create(name, values[name])).ToList();
    }

    /// <summary>Kubernetes semantics: an empty list is the same as no list (the CRI cannot tell them apart).</summary>
    public static bool IsSet(IReadOnlyList<string>? list) => list is { Count: > 0 };

    public static KratixException Invalid(string message, object? target) =>
        new(PipelineRuntimeErrors.RunInvalid, KratixErrorCategory.InvalidArgument, message, target);
}
