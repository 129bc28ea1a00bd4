using System.Text.Json.Nodes;
using k8s;

namespace Kratix.ApiServerDouble.Tests;

/// <summary>Upstream's own Promises and requests against upstream's CRDs, as a cluster running Kratix would take them.</summary>
public sealed class UpstreamDataTests
{
    public static IEnumerable<object[]> PromiseFiles() =>
        Directory.GetDirectories(Path.Combine(TestSupport.SharedKratix, "promises")).Order(StringComparer.Ordinal)
            .SelectMany(folder => File.ReadAllLines(Path.Combine(folder, "manifest.txt"))
                .Where(l => l.Contains("(role: promise,", StringComparison.Ordinal))
                .Select(l => Path.GetRelativePath(Path.Combine(TestSupport.SharedKratix, "promises"), Path.Combine(folder, l.TrimStart()[2..].Split(' ')[0]))))
            .Select(p => new object[] { p });

    [Fact(Timeout = TestSupport.Timeout)]
    public async Task Every_upstream_promise_is_accepted_by_the_promise_crd_and_its_api_by_the_crd_rules()
    {
        await using var server = await TestSupport.StartAsync();
        using var client = TestSupport.Client(server);
        var refused = new List<string>();
        int promises = 0, apis = 0;
        foreach (var file in PromiseFiles().Select(p => (string)p[0]))
        {
            foreach (var doc in Kratix.Manifests.ManifestReader.Default.ReadFile(Path.Combine(TestSupport.SharedKratix, "promises", file)))
            {
                if (doc.Content is not JsonObject promise || promise["kind"]?.GetValue<string>() != "Promise")
                {
                    continue;
                }

                try
                {
                    await client.CustomObjects.CreateClusterCustomObjectAsync(promise, "platform.kratix.io", "v1alpha1", "promises", dryRun: "All");
                    promises++;
                    if (promise["spec"]?["api"] is JsonObject api && api["kind"]?.GetValue<string>() == "CustomResourceDefinition")
                    {
                        api["metadata"]!.AsObject().Remove("creationTimestamp");
                        await client.ApiextensionsV1.CreateCustomResourceDefinitionAsync(
                            KubernetesJson.Deserialize<k8s.Models.V1CustomResourceDefinition>(api.ToJsonString()), dryRun: "All");
                        apis++;
                    }
                }
                catch (k8s.Autorest.HttpOperationException e)
                {
                    refused.Add(file + ": " + e.Response.Content);
                }
            }
        }

        Assert.True(refused.Count == 0, string.Join("\n", refused));
        Assert.True(promises >= 40 && apis >= 30, $"only {promises} Promises and {apis} APIs were checked");
    }
}
