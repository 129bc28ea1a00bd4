using System.Text.Json.Nodes;
using Kratix.Manifests;

namespace Kratix.Authoring;

/// <summary>
/// A Promise's source folder as kratix-cli lays it out: either one <c>promise.yaml</c>, or (<c>--split</c>)
/// <c>api.yaml</c>, <c>dependencies.yaml</c> and <c>workflows/&lt;promise|resource&gt;/&lt;configure|delete&gt;/workflow.yaml</c>,
/// with <c>example-resource.yaml</c> and <c>README.md</c> beside them either way. A folder is split, as kratix-cli
/// decides it, when it has both <c>api.yaml</c> and <c>dependencies.yaml</c>.
/// </summary>
public sealed class PromiseFolder
{
    public const string PromiseFileName = "promise.yaml";
    public const string ApiFileName = "api.yaml";
    public const string DependenciesFileName = "dependencies.yaml";
    public const string ExampleResourceFileName = "example-resource.yaml";
    public const string ReadmeFileName = "README.md";

    public static readonly string[] Lifecycles = ["promise", "resource"];
    public static readonly string[] Actions = ["configure", "delete"];

    public PromiseFolder(string path) => Path = System.IO.Path.GetFullPath(path);

    public string Path { get; }

    public string PromiseFile => Combine(PromiseFileName);

    public string ApiFile => Combine(ApiFileName);

    public string DependenciesFile => Combine(DependenciesFileName);

    public string ExampleResourceFile => Combine(ExampleResourceFileName);

    public bool IsSplit => File.Exists(ApiFile) && File.Exists(DependenciesFile);

    public string WorkflowFile(string lifecycle, string action) => Combine("workflows", lifecycle, action, "workflow.yaml");

    public string Combine(params string[] parts) => System.IO.Path.Combine([Path, .. parts]);

    /// <summary>The folder's promise.yaml (flat layout); an error that says what to run when there is none.</summary>
    public JsonObject ReadPromise()
    {
        if (!File.Exists(PromiseFile))
        {
            throw new KratixException(
                "PromiseFileNotFound", KratixErrorCategory.ObjectNotFound,
                $"{PromiseFile} does not exist: give the folder of a Promise made with New-KratixPromise (or kratix init promise), or make one first.",
                PromiseFile);
        }

        return ReadObject(PromiseFile);
    }

    /// <summary>The CRD: api.yaml in a split folder, spec.api of promise.yaml otherwise.</summary>
    public JsonObject ReadApi()
    {
        if (File.Exists(ApiFile))
        {
            return ReadObject(ApiFile);
        }

        var promise = ReadPromise();
        return (promise["spec"]?["api"] as JsonObject)?.DeepClone().AsObject() ?? throw new KratixException(
            "PromiseHasNoApi", KratixErrorCategory.InvalidData,
            $"{PromiseFile} has no spec.api: add an API with Update-KratixPromiseApi -Group/-Kind, or use a Promise that offers one.",
            PromiseFile);
    }

    public void WriteApi(JsonObject crd)
    {
        if (File.Exists(ApiFile))
        {
            WriteYaml(ApiFile, crd);
            return;
        }

        var promise = ReadPromise();
        var spec = promise["spec"] as JsonObject ?? new JsonObject();
        promise["spec"] = spec;
        spec["api"] = crd;
        WriteYaml(PromiseFile, promise);
    }

    /// <summary>The pipelines of one workflow (a new list when there are none).</summary>
    public JsonArray ReadPipelines(string lifecycle, string action)
    {
        if (IsSplit)
        {
            var file = WorkflowFile(lifecycle, action);
            return File.Exists(file) ? ReadArray(file) : [];
        }

        var promise = ReadPromise();
        return promise["spec"]?["workflows"]?[lifecycle]?[action] is JsonArray pipelines ? (JsonArray)pipelines.DeepClone() : [];
    }

    public void WritePipelines(string lifecycle, string action, JsonArray pipelines)
    {
        if (IsSplit)
        {
            var file = WorkflowFile(lifecycle, action);
            Directory.CreateDirectory(System.IO.Path.GetDirectoryName(file)!);
            WriteYaml(file, pipelines);
            return;
        }

        var promise = ReadPromise();
        var spec = Child(promise, "spec");
        var workflows = Child(spec, "workflows");
        var forLifecycle = Child(workflows, lifecycle);
        forLifecycle[action] = pipelines;
        WriteYaml(PromiseFile, promise);
    }

    internal static JsonObject Child(JsonObject parent, string name)
    {
        if (parent[name] is JsonObject child)
        {
            return child;
        }

        child = [];
        parent[name] = child;
        return child;
    }

    public static JsonNode? ReadYaml(string path)
    {
        var documents = ManifestReader.Default.ReadFile(path);
        return documents.Count == 0 ? null : documents[0].Content;
    }

    public static JsonObject ReadObject(string path) =>
        ReadYaml(path) as JsonObject ?? throw new KratixException(
            "PromiseFileInvalid", KratixErrorCategory.InvalidData, $"{path} does not hold a YAML mapping: fix or remove it.", path);

    private static JsonArray ReadArray(string path) => ReadYaml(path) switch
    {
        null => [],
        JsonArray array => array,
        _ => throw new KratixException(
            "PromiseFileInvalid", KratixErrorCategory.InvalidData, $"{path} must hold a YAML list of Pipelines: fix or remove it.", path),
    };

    public static void WriteYaml(string path, JsonNode? node) => File.WriteAllText(path, ManifestWriter.ToYaml(node));
}
