using System.Text;
using System.Text.Json.Nodes;
using Kratix.Schema;

namespace Kratix.Authoring;

/// <summary>What a new Promise offers: its name and API, and optionally a schema and workflows from existing software.</summary>
public sealed class PromiseScaffoldOptions
{
    public required string Name { get; init; }

    public required string Group { get; init; }

    public required string Kind { get; init; }

    /// <summary>The API version; v1alpha1 when not given, as kratix-cli.</summary>
    public string? Version { get; init; }

    /// <summary>The plural; the kind in lower case plus "s" when not given, as kratix-cli.</summary>
    public string? Plural { get; init; }

    public bool Split { get; init; }

    /// <summary>Replace files that exist.</summary>
    public bool Force { get; init; }

    /// <summary>The API's spec schema; <c>{type: object, default: {}, properties: {}}</c> when not given.</summary>
    public JsonObject? SpecSchema { get; init; }

    public JsonArray? ResourceConfigure { get; init; }

    public JsonArray? PromiseConfigure { get; init; }

    public JsonArray? Dependencies { get; init; }

    /// <summary>The example request's spec (none when not given, as kratix-cli's plain init).</summary>
    public JsonObject? ExampleSpec { get; init; }

    /// <summary>How the Promise was made, for its README (the command line).</summary>
    public string? Command { get; init; }
}

/// <summary>
/// Writes a new Promise's folder as kratix-cli's <c>init promise</c> does: promise.yaml (or api.yaml and an empty
/// dependencies.yaml with <see cref="PromiseScaffoldOptions.Split"/>), example-resource.yaml and README.md.
/// </summary>
public static class PromiseScaffold
{
    public const string PromiseVersionLabel = "kratix.io/promise-version";

    public static IReadOnlyList<string> Create(string directory, PromiseScaffoldOptions options)
    {
        Validate(options);
        var folder = new PromiseFolder(directory);
        Directory.CreateDirectory(folder.Path);

        var files = new List<(string Path, string Content)>();
        var crd = Crd(options);
        if (options.Split)
        {
            files.Add((folder.ApiFile, Yaml(crd)));
            files.Add((folder.DependenciesFile, options.Dependencies is { Count: > 0 } deps ? Yaml(deps) : string.Empty));
            if (options.ResourceConfigure is { Count: > 0 } resource)
            {
                files.Add((folder.WorkflowFile("resource", "configure"), Yaml(resource)));
            }

            if (options.PromiseConfigure is { Count: > 0 } promise)
            {
                files.Add((folder.WorkflowFile("promise", "configure"), Yaml(promise)));
            }
        }
        else
        {
            files.Add((folder.PromiseFile, Yaml(Promise(options, crd))));
        }

        files.Add((folder.ExampleResourceFile, Yaml(ExampleResource(options))));
        files.Add((folder.Combine(PromiseFolder.ReadmeFileName), Readme(options)));

        var existing = files.Where(f => File.Exists(f.Path)).Select(f => f.Path).ToList();
        if (existing.Count > 0 && !options.Force)
        {
            throw new KratixException(
                "PromiseFolderNotEmpty", KratixErrorCategory.ResourceExists,
                $"{string.Join(", ", existing)} already exist{(existing.Count == 1 ? "s" : string.Empty)}: choose another folder, or use -Force to replace.",
                folder.Path);
        }

        foreach (var (path, content) in files)
        {
            Directory.CreateDirectory(Path.GetDirectoryName(path)!);
            File.WriteAllText(path, content);
        }

        return files.Select(f => f.Path).ToList();
    }

    private static string Yaml(JsonNode node) => Manifests.ManifestWriter.ToYaml(node);

    private static void Validate(PromiseScaffoldOptions options)
    {
        Refuse("Name", options.Name, NameValidation.IsDns1123Subdomain(options.Name));
        Refuse("Group", options.Group, NameValidation.IsDns1123Subdomain(options.Group));
        Refuse("Plural", PluralOf(options), NameValidation.IsDns1123Label(PluralOf(options)));
        if (options.Kind.Length == 0 || !char.IsLetter(options.Kind[0]) || options.Kind.Any(c => !char.IsLetterOrDigit(c)))
        {
            throw new KratixException(
                "PromiseApiInvalid", KratixErrorCategory.InvalidArgument,
                $"Kind \"{options.Kind}\" is not a kind: give letters and digits starting with a letter, such as Database.", options.Kind);
        }

        Refuse("Version", VersionOf(options), NameValidation.IsDns1123Label(VersionOf(options)));
    }

    private static void Refuse(string what, string value, List<string> problems)
    {
        if (problems.Count > 0)
        {
            throw new KratixException(
                "PromiseApiInvalid", KratixErrorCategory.InvalidArgument, $"{what} \"{value}\" is invalid: {string.Join("; ", problems)}.", value);
        }
    }

    public static string PluralOf(PromiseScaffoldOptions options) =>
        string.IsNullOrEmpty(options.Plural) ? options.Kind.ToLowerInvariant() + "s" : options.Plural;

    public static string VersionOf(PromiseScaffoldOptions options) =>
        string.IsNullOrEmpty(options.Version) ? "v1alpha1" : options.Version;

    public static JsonObject DefaultSpecSchema() => new()
    {
        ["type"] = "object",
        ["default"] = new JsonObject(),
        ["properties"] = new JsonObject(),
    };

    public static JsonObject Crd(PromiseScaffoldOptions options)
    {
        var plural = PluralOf(options);
        return new JsonObject
        {
            ["apiVersion"] = "apiextensions.k8s.io/v1",
            ["kind"] = "CustomResourceDefinition",
            ["metadata"] = new JsonObject { ["name"] = $"{plural}.{options.Group}" },
            ["spec"] = new JsonObject
            {
                ["group"] = options.Group,
                ["names"] = new JsonObject
                {
                    ["kind"] = options.Kind,
                    ["plural"] = plural,
                    ["singular"] = options.Kind.ToLowerInvariant(),
                },
                ["scope"] = "Namespaced",
                ["versions"] = new JsonArray(new JsonObject
                {
                    ["name"] = VersionOf(options),
                    ["schema"] = new JsonObject
                    {
                        ["openAPIV3Schema"] = new JsonObject
                        {
                            ["type"] = "object",
                            ["properties"] = new JsonObject
                            {
                                ["spec"] = options.SpecSchema?.DeepClone() ?? DefaultSpecSchema(),
                            },
                        },
                    },
                    ["served"] = true,
                    ["storage"] = true,
                }),
            },
        };
    }

    private static JsonObject Promise(PromiseScaffoldOptions options, JsonObject crd)
    {
        var spec = new JsonObject { ["api"] = crd };
        if (options.Dependencies is { Count: > 0 } dependencies)
        {
            spec["dependencies"] = dependencies.DeepClone();
        }

        spec["workflows"] = new JsonObject
        {
            ["promise"] = new JsonObject { ["configure"] = options.PromiseConfigure?.DeepClone() ?? new JsonArray() },
            ["resource"] = new JsonObject { ["configure"] = options.ResourceConfigure?.DeepClone() ?? new JsonArray() },
        };

        return new JsonObject
        {
            ["apiVersion"] = "platform.kratix.io/v1alpha1",
            ["kind"] = "Promise",
            ["metadata"] = new JsonObject
            {
                ["name"] = options.Name,
                ["labels"] = new JsonObject { [PromiseVersionLabel] = "v0.0.1" },
            },
            ["spec"] = spec,
        };
    }

    private static JsonObject ExampleResource(PromiseScaffoldOptions options)
    {
        var resource = new JsonObject
        {
            ["apiVersion"] = $"{options.Group}/{VersionOf(options)}",
            ["kind"] = options.Kind,
            ["metadata"] = new JsonObject { ["name"] = $"example-{options.Name}" },
        };
        if (options.ExampleSpec is { Count: > 0 } spec)
        {
            resource["spec"] = spec.DeepClone();
        }

        return resource;
    }

    private static string Readme(PromiseScaffoldOptions options)
    {
        var command = options.Command ?? $"New-KratixPromise -Name {options.Name} -Group {options.Group} -Kind {options.Kind}{(options.Split ? " -Split" : string.Empty)}";
        var text = new StringBuilder();
        text.Append("# Promise Template\n\n");
        text.Append("This Promise was generated with:\n\n```powershell\n").Append(command).Append("\n```\n\n");
        text.Append("## Updating API properties\n\n```powershell\n");
        text.Append($"Update-KratixPromiseApi -Property name:string, region- -Kind {options.Kind}\n```\n\n");
        text.Append("## Updating Workflows\n\n```powershell\n");
        text.Append("Add-KratixPipelineContainer -Workflow resource/configure/pipeline0 -Image ghcr.io/example/pipeline:v0.1.0 -Language PowerShell\n```\n\n");
        text.Append("### Building containers\n\n```powershell\n");
        text.Append("Build-KratixPipelineImage -Workflow resource/configure/pipeline0 -Name ghcr-io-example-pipeline\nBuild-KratixPipelineImage -All\n```\n\n");
        text.Append("## Updating Dependencies\n\n```powershell\nUpdate-KratixPromise -DependencyPath ./dependencies\n```\n\n");
        text.Append("## Updating Destination Selectors\n\n```powershell\nUpdate-KratixPromise -DestinationSelector env=dev\n```\n");
        if (options.Split)
        {
            text.Append("\n## Building the Promise\n\n```powershell\nBuild-KratixPromise -Name ").Append(options.Name).Append(" -OutputPath promise.yaml\n```\n");
        }

        return text.ToString();
    }
}
