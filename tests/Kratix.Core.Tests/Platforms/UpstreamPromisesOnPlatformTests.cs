using System.Text.Json.Nodes;
using Kratix.Admission;
using Kratix.Manifests;
using Kratix.Objects;
using Kratix.Platforms.Embedded;

namespace Kratix.Tests.Platforms;

/// <summary>Every upstream Promise installs on the embedded platform, and every example request beside it is accepted.</summary>
public class UpstreamPromisesOnPlatformTests
{
    /// <summary>Promises upstream would refuse too, and why.</summary>
    private static readonly Dictionary<string, string> ExpectedRefusals = new(StringComparer.Ordinal)
    {
        // Its CRD (apiVersion "something") has no versions; upstream's webhook would fail its dry-run create (and its GetAPI would index an empty list).
        ["promise-sample/platform_v1alpha1_promise.yaml"] = "spec.api.spec.versions",
    };

    public static TheoryData<string> Folders()
    {
        var data = new TheoryData<string>();
        foreach (var folder in TestPaths.PromiseFiles.Select(Path.GetDirectoryName).Distinct())
        {
            data.Add(Path.GetFileName(folder!));
        }

        return data;
    }

    [Theory]
    [MemberData(nameof(Folders))]
    public void Installs_and_accepts_its_example_requests(string folder)
    {
        using var fixture = new PlatformFixture();
        var platform = fixture.Platform;
        var bucket = Path.Combine(fixture.Root, "bucket");
        platform.RegisterStateStore(PlatformFixture.Yaml($"apiVersion: platform.kratix.io/v1alpha1\nkind: BucketStateStore\nmetadata:\n  name: local\nspec:\n  endpoint: {bucket}\n  bucketName: b\n  authMethod: IAM\n"));
        platform.RegisterDestination(PlatformFixture.Yaml("apiVersion: platform.kratix.io/v1alpha1\nkind: Destination\nmetadata:\n  name: worker\nspec:\n  path: worker\n  stateStoreRef:\n    kind: BucketStateStore\n    name: local\n"));

        var promiseFiles = TestPaths.PromiseFiles.Where(f => Path.GetFileName(Path.GetDirectoryName(f)) == folder).ToList();
        foreach (var file in promiseFiles)
        {
            var relative = $"{folder}/{Path.GetFileName(file)}";
            foreach (var document in ManifestReader.Default.ReadFile(file).Where(d => d.Content?["kind"]?.ToString() == "Promise"))
            {
                if (ExpectedRefusals.TryGetValue(relative, out var reason))
                {
                    var ex = Assert.Throws<AdmissionException>(() => platform.InstallPromise((JsonObject)document.Content!));
                    Assert.Contains(ex.Problems, p => p.Contains(reason, StringComparison.Ordinal));
                    continue;
                }

                var promise = platform.InstallPromise((JsonObject)document.Content!);
                var requirementsMet = promise.RequiredPromises.Count == 0 || promise.Conditions.IsTrue("RequirementsFulfilled");
                Assert.True(!requirementsMet || promise.Status.GetString("status") == "Available", $"{relative}: {promise.Status.ToJsonString()}");
                if (promise.Dependencies.Count > 0 && promise.DestinationSelectors.Count == 0)
                {
                    Assert.True(File.Exists(Path.Combine(bucket, "b", "worker", "dependencies", promise.Name, "5058f", "static", $"{promise.Name}-dependencies.yaml")), relative);
                }
            }
        }

        var kinds = platform.GetPromises().Where(p => p.Api is not null)
            .Select(p => (Group: p.Api!["spec"]!["group"]!.ToString(), Kind: p.Api!["spec"]!["names"]!["kind"]!.ToString()))
            .ToHashSet();
        foreach (var file in TestPaths.RequestFiles.Where(f => f.Contains($"/{folder}/", StringComparison.Ordinal)))
        {
            foreach (var document in ManifestReader.Default.ReadFile(file))
            {
                var request = new KubeObject((JsonObject)document.Content!);
                if (!kinds.Contains((request.Group, request.Kind)))
                {
                    continue; // A request for another folder's Promise (the samples share kinds across folders).
                }

                var accepted = platform.SubmitRequest((JsonObject)document.Content!, document, allowUpdate: true);
                Assert.Equal(request.Name, accepted.Name);
                Assert.Equal("default", accepted.Namespace);
            }
        }
    }
}
