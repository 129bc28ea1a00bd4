using System.Text.Json.Nodes;
using Kratix.Schema;

namespace Kratix.Tests.Schema;

/// <summary>The real Promises and resource requests from upstream Kratix (shared/kratix/promises).</summary>
public class UpstreamPromiseTests
{
    /// <summary>Promises whose spec.api upstream Kubernetes/Kratix would refuse, with every reason.</summary>
    private static readonly Dictionary<string, string[]> InvalidApis = new(StringComparer.Ordinal)
    {
        // config/samples/platform_v1alpha1_promise.yaml is a placeholder sample: its api is not a CRD at all.
        ["promise-sample/platform_v1alpha1_promise.yaml"] =
        [
            "apiVersion: Unsupported value: \"something\": supported values: \"apiextensions.k8s.io/v1\"",
            "kind: Unsupported value: \"Redis\": supported values: \"CustomResourceDefinition\"",
            "spec.names.plural: Invalid value: \"Redii\": a DNS-1035 label must consist of lower case alphanumeric characters or '-', start with an alphabetic character, and end with an alphanumeric character (e.g. 'my-name',  or 'abc-123', regex used for validation is '[a-z]([-a-z0-9]*[a-z0-9])?')",
            "spec.names.singular: Invalid value: \"Redis\": a DNS-1035 label must consist of lower case alphanumeric characters or '-', start with an alphabetic character, and end with an alphanumeric character (e.g. 'my-name',  or 'abc-123', regex used for validation is '[a-z]([-a-z0-9]*[a-z0-9])?')",
            "metadata.name: Invalid value: \"redis.test-platform.acme.io\": must be spec.names.plural+\".\"+spec.group",
            "spec.versions: Required value: must have exactly one version marked as storage version",
        ],
    };

    /// <summary>
    /// Resource-request documents that do not validate, with the reason. None today: even
    /// postgres-promise/transformation-image/patch.yaml (a patch for the transformation-image example, with no
    /// namespace and no spec) is a valid Database create once the namespace is defaulted, because the CRD requires
    /// neither spec nor any field in it; <see cref="PatchWithoutSpec_IsAValidCreate_AsTheApiServerWouldAccept"/> pins that.
    /// </summary>
    private static readonly Dictionary<string, string[]> InvalidRequests = new(StringComparer.Ordinal);

    public static TheoryData<string> PromiseFiles()
    {
        var data = new TheoryData<string>();
        foreach (var f in PromiseData.Files().Where(f => f.Role == "promise"))
        {
            data.Add(f.Folder + "/" + f.File);
        }

        return data;
    }

    public static TheoryData<string> RequestDocuments()
    {
        var data = new TheoryData<string>();
        foreach (var f in PromiseData.Files().Where(f => f.Role == "resource-request"))
        {
            var docs = TestYaml.LoadAll(File.ReadAllText(f.FullPath));
            for (int i = 0; i < docs.Count; i++)
            {
                data.Add(f.Folder + "/" + f.File + "#" + i);
            }
        }

        return data;
    }

    private static IEnumerable<JsonObject> Promises(string folder) =>
        PromiseData.Files()
            .Where(f => f.Folder == folder && f.Role == "promise")
            .SelectMany(f => TestYaml.LoadAll(File.ReadAllText(f.FullPath)))
            .OfType<JsonObject>()
            .Where(d => JsonData.GetString(d["kind"]) == "Promise");

    [Fact]
    public void TheTestDataIsThere()
    {
        var files = PromiseData.Files();
        Assert.Equal(48, files.Select(f => f.Folder).Distinct().Count());
        Assert.Equal(48, files.Count(f => f.Role == "promise"));
        Assert.Equal(58, files.Count(f => f.Role == "resource-request"));
    }

    [Theory]
    [MemberData(nameof(PromiseFiles))]
    public void EveryPromiseApi_Parses(string file)
    {
        var path = Path.Combine(PromiseData.Root, file);
        var promises = TestYaml.LoadAll(File.ReadAllText(path)).OfType<JsonObject>().Where(d => JsonData.GetString(d["kind"]) == "Promise").ToList();
        Assert.NotEmpty(promises);
        foreach (var promise in promises)
        {
            if (promise["spec"]?["api"] is not JsonObject api)
            {
                // nil-api-promise and the dependency-only Promises have no API: nothing to parse.
                Assert.True(promise["spec"]?["api"] is null, file + ": spec.api is present but not an object");
                continue;
            }

            if (InvalidApis.TryGetValue(file, out var expected))
            {
                var e = Assert.Throws<InvalidCustomResourceDefinitionException>(() => CustomResourceDefinition.Parse(api));
                Assert.Equal(expected, e.Errors.Select(x => x.ToString()));
                continue;
            }

            var crd = CustomResourceDefinition.Parse(api);
            Assert.Equal("Namespaced", crd.Scope);
            Assert.All(crd.Versions.Where(v => v.Served), v => Assert.NotNull(v.StructuralSchema));
        }
    }

    [Fact]
    public void PromisesWithoutApi_AreKnown()
    {
        var withoutApi = PromiseData.Files().Where(f => f.Role == "promise")
            .Where(f => TestYaml.LoadAll(File.ReadAllText(f.FullPath)).OfType<JsonObject>()
                .Any(d => JsonData.GetString(d["kind"]) == "Promise" && d["spec"]?["api"] is null))
            .Select(f => f.Folder)
            .ToList();
        Assert.Equal(
            [
                "nil-api-promise",
                "promise-with-deps__internal.controller.assets.promise-with-deps-only",
                "promise-with-deps__internal.controller.assets.promise-with-deps-only-updated",
                "sub-promise__test.system.assets.compound-promise.sub-promise",
                "sub-promise__test.system.assets.compound-promise.sub-promise-v2",
            ],
            withoutApi);
    }

    [Theory]
    [MemberData(nameof(RequestDocuments))]
    public void EveryResourceRequest_ValidatesAgainstItsPromise(string document)
    {
        var hash = document.LastIndexOf('#');
        var file = document.Substring(0, hash);
        int index = int.Parse(document.AsSpan(hash + 1), System.Globalization.CultureInfo.InvariantCulture);
        var folder = file.Substring(0, file.IndexOf('/'));
        var request = (JsonObject)TestYaml.LoadAll(File.ReadAllText(Path.Combine(PromiseData.Root, file)))[index];

        var apiVersion = JsonData.GetString(request["apiVersion"])!;
        var group = apiVersion.Substring(0, apiVersion.IndexOf('/'));
        var kind = JsonData.GetString(request["kind"]);
        var crd = Promises(folder)
            .Select(p => p["spec"]?["api"] as JsonObject)
            .Where(a => a is not null)
            .Select(a => CustomResourceDefinition.Parse(a!))
            .Single(c => c.Group == group && c.Names.Kind == kind);

        // The caller defaults the namespace before validating.
        if (request["metadata"] is JsonObject meta && meta["namespace"] is null)
        {
            meta["namespace"] = "default";
        }

        var result = RequestValidator.Validate(request, crd);
        if (InvalidRequests.TryGetValue(document, out var expected))
        {
            Assert.Equal(expected, result.Errors.Select(e => e.ToString()));
            return;
        }

        Assert.True(result.IsValid, document + ":" + Environment.NewLine + result);
        Assert.DoesNotContain(result.Warnings, w => w.StartsWith("unknown field", StringComparison.Ordinal));
    }

    [Fact]
    public void PatchWithoutSpec_IsAValidCreate_AsTheApiServerWouldAccept()
    {
        var crd = CustomResourceDefinition.Parse((JsonObject)Promises("postgres-promise").Single()["spec"]!["api"]!);
        var patch = (JsonObject)TestYaml.LoadAll(File.ReadAllText(Path.Combine(PromiseData.Root, "postgres-promise", "transformation-image", "patch.yaml")))[0];
        Assert.Null(patch["spec"]);

        var withoutNamespace = RequestValidator.Validate((JsonObject)patch.DeepClone(), crd);
        Assert.Equal(["metadata.namespace: Required value"], withoutNamespace.Errors.Select(e => e.ToString()));

        patch["metadata"]!["namespace"] = "default";
        var result = RequestValidator.Validate(patch, crd);
        Assert.True(result.IsValid, result.ToString());
        Assert.Equal("true", patch["metadata"]!["annotations"]!["syntasso"]!.GetValue<string>());
    }

    [Fact]
    public void LargestUpstreamSchema_ValidatesManyRequestsQuickly()
    {
        // redis-promise carries the largest schema in the test data (the opstree Redis operator's CRD).
        var crd = CustomResourceDefinition.Parse((JsonObject)Promises("redis-promise").Single()["spec"]!["api"]!);
        var text = File.ReadAllText(Path.Combine(PromiseData.Root, "redis-promise", "redis-resource-request.yaml"));
        var template = (JsonObject)TestYaml.LoadAll(text)[0];
        Assert.True(RequestValidator.Validate((JsonObject)template.DeepClone(), crd).IsValid);

        var sw = System.Diagnostics.Stopwatch.StartNew();
        int n = 0;
        while (sw.ElapsedMilliseconds < 300)
        {
            Assert.True(RequestValidator.Validate((JsonObject)template.DeepClone(), crd).IsValid);
            n++;
        }

        Assert.True(n > 30, n + " validations in 300 ms");
    }
}
