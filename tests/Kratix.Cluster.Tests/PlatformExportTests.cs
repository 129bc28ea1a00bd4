using System.Text.Json.Nodes;
using Kratix.Manifests;
using Kratix.Objects;
using Kratix.Platforms;
using Kratix.Platforms.Embedded;
using Kratix.StateStores;

namespace Kratix.Cluster.Tests;

/// <summary>PlatformExport's cleaning and ordering, as plain functions.</summary>
public sealed class PlatformExportCleaningTests
{
    [Fact]
    public void Clean_strips_status_and_what_a_server_or_home_manages_and_keeps_the_rest()
    {
        var obj = ClusterHarness.Json("""
            {"apiVersion":"platform.kratix.io/v1alpha1","kind":"Destination",
             "metadata":{"name":"d","labels":{"env":"dev"},"annotations":{"kratix.io/applied-from":"x","team":"a"},
               "uid":"u","resourceVersion":"7","generation":3,"creationTimestamp":"2026-01-01T00:00:00Z",
               "managedFields":[{"manager":"Kratix"}],"finalizers":["kratix.io/x"]},
             "spec":{"path":"d"},"status":{"conditions":[]}}
            """);

        var clean = PlatformExport.Clean(obj);

        Assert.Equal(
            """{"apiVersion":"platform.kratix.io/v1alpha1","kind":"Destination","metadata":{"name":"d","labels":{"env":"dev"},"annotations":{"team":"a"}},"spec":{"path":"d"}}""",
            clean.ToJsonString());
        Assert.NotNull(obj["status"]);
    }

    [Fact]
    public void Clean_drops_empty_annotations_and_any_secret_value()
    {
        var clean = PlatformExport.Clean(ClusterHarness.Json("""
            {"apiVersion":"v1","kind":"Secret","metadata":{"name":"s","annotations":{"kratix.io/applied-from":"x"}},"data":{"password":"c2VjcmV0"},"stringData":{"token":"secret"}}
            """));

        Assert.Equal("""{"apiVersion":"v1","kind":"Secret","metadata":{"name":"s"}}""", clean.ToJsonString());
    }

    [Fact]
    public void Order_puts_state_stores_before_Destinations_before_Promises_before_requests()
    {
        JsonObject O(string kind, string name, string? ns = null)
        {
            var metadata = new JsonObject { ["name"] = name };
            if (ns is not null)
            {
                metadata["namespace"] = ns;
            }

            return new JsonObject { ["apiVersion"] = "x/v1", ["kind"] = kind, ["metadata"] = metadata };
        }

        var ordered = PlatformExport.Order([
            O("Redis", "b", "team"), O("Promise", "redis"), O("Destination", "d"), O("Redis", "a", "team"),
            O("BucketStateStore", "s3"), O("Postgres", "p", "default"), O("GitStateStore", "git"), O("Promise", "postgres"), O("Namespace", "team"),
        ]);

        Assert.Equal(
            ["Namespace/team", "BucketStateStore/s3", "GitStateStore/git", "Destination/d", "Promise/postgres", "Promise/redis", "Postgres/p", "Redis/a", "Redis/b"],
            ordered.Select(o => $"{o["kind"]}/{o["metadata"]!["name"]}"));
        Assert.True(PlatformExport.IsRequest(O("Redis", "a")));
        Assert.False(PlatformExport.IsRequest(O("Promise", "a")));
        Assert.False(PlatformExport.IsRequest(O("Namespace", "a")));
    }

    [Fact]
    public void Apply_refuses_a_Secret_without_applying_anything()
    {
        using var home = new TempHome();
        using var platform = EmbeddedPlatform.Open(home.Path);
        var ex = Assert.Throws<KratixException>(() => PlatformExport.Apply(platform, ClusterHarness.Json("""{"apiVersion":"v1","kind":"Secret","metadata":{"name":"s"}}""")));
        Assert.Equal("SecretNotImported", ex.ErrorId);
    }
}

/// <summary>Export and import between a platform home and a cluster (the API server double and the controller stand-in).</summary>
public sealed class PlatformExportRoundTripTests
{
    private static readonly TimeSpan Timeout = TimeSpan.FromSeconds(30);

    /// <summary>A Promise without workflows (the embedded platform runs no container here) and a validating API.</summary>
    private static JsonObject Promise()
    {
        var promise = TestObjects.RedisPromise();
        promise["spec"]!.AsObject().Remove("workflows");
        return promise;
    }

    private static JsonObject BucketStore(string dir) => new()
    {
        ["apiVersion"] = "platform.kratix.io/v1alpha1",
        ["kind"] = "BucketStateStore",
        ["metadata"] = new JsonObject { ["name"] = "archive" },
        ["spec"] = new JsonObject
        {
            ["endpoint"] = System.IO.Path.GetDirectoryName(dir),
            ["bucketName"] = System.IO.Path.GetFileName(dir),
            ["authMethod"] = "IAM",
            ["path"] = "platform",
        },
    };

    private static List<string> Import(IKratixPlatform platform, IReadOnlyList<JsonObject> docs)
    {
        var failures = new List<string>();
        foreach (var doc in PlatformExport.Order(docs))
        {
            try
            {
                PlatformExport.Apply(platform, doc, promiseTimeout: Timeout);
            }
            catch (KratixException ex)
            {
                failures.Add($"{doc["kind"]}/{doc["metadata"]!["name"]}: {ex.ErrorId}: {ex.Message}");
            }
        }

        return failures;
    }

    private static IReadOnlyList<JsonObject> ReadBack(string yaml) =>
        ManifestReader.Default.ReadString(yaml).Select(d => d.Content!.AsObject()).ToList();

    private static string Key(JsonObject o) => $"{o["kind"]}/{o["metadata"]!["namespace"]}/{o["metadata"]!["name"]}";

    [Fact]
    public async Task Embedded_to_cluster_applies_every_object_and_exports_the_same_objects_back()
    {
        using var home = new TempHome();
        var dir = Directory.CreateTempSubdirectory("kratix-export-store-").FullName;
        try
        {
            string yaml;
            using (var embedded = EmbeddedPlatform.Open(home.Path))
            {
                embedded.RegisterStateStore(BucketStore(dir));
                var destination = TestObjects.Destination("edge", "edge");
                destination["spec"]!["stateStoreRef"] = new JsonObject { ["kind"] = "BucketStateStore", ["name"] = "archive" };
                embedded.RegisterDestination(destination);
                embedded.InstallPromise(Promise());
                embedded.SubmitRequest(TestObjects.Redis("alpha", size: "large", replicas: 2));
                embedded.SubmitRequest(TestObjects.Redis("beta", ns: "team-a"));
                yaml = PlatformExport.ToYaml(PlatformExport.Export(embedded));
            }

            Assert.DoesNotContain("status:", yaml, StringComparison.Ordinal);
            Assert.DoesNotContain("resourceVersion", yaml, StringComparison.Ordinal);
            Assert.DoesNotContain("creationTimestamp", yaml, StringComparison.Ordinal);
            var docs = ReadBack(yaml);
            Assert.Equal(
                ["Namespace//team-a", "BucketStateStore//archive", "Destination//edge", "Promise//redis", "Redis/default/alpha", "Redis/team-a/beta"],
                docs.Select(Key));
            Assert.StartsWith("apiVersion: v1\nkind: Namespace\nmetadata:\n  name: team-a\n", yaml.ReplaceLineEndings("\n"), StringComparison.Ordinal);

            await using var cluster = await ClusterHarness.StartAsync();
            using var platform = cluster.Open();
            Assert.Equal(string.Empty, string.Join("\n", Import(platform, docs)));

            Assert.Equal("large", platform.GetRequests("redis").Single(r => r.Name == "alpha").Spec.GetString("size"));
            var again = PlatformExport.Export(platform);
            Assert.Equal(docs.Select(Key), again.Select(Key));
            foreach (var (before, after) in docs.Zip(again))
            {
                Assert.Equal(Comparable(before).ToJsonString(), Comparable(after).ToJsonString());
            }
        }
        finally
        {
            Directory.Delete(dir, recursive: true);
        }
    }

    [Fact]
    public async Task Cluster_to_embedded_keeps_the_secret_reference_and_never_a_secret_value()
    {
        await using var cluster = await ClusterHarness.StartAsync();
        string yaml;
        using (var platform = cluster.Open())
        {
            var store = TestObjects.GitStore("github");
            platform.RegisterStateStore(store, new PasswordCredentials("kratix-bot", "s3cr3t-Pa55word"));
            platform.RegisterDestination(SetStore(TestObjects.Destination("worker-1", "worker-1"), "github"));
            platform.InstallPromise(Promise());
            platform.Wait(new WaitTarget(null, null, "redis", Reasons.Available), Timeout);
            platform.SubmitRequest(TestObjects.Redis("alpha"));
            yaml = PlatformExport.ToYaml(PlatformExport.Export(platform));
        }

        Assert.DoesNotContain("s3cr3t-Pa55word", yaml, StringComparison.Ordinal);
        Assert.DoesNotContain(Convert.ToBase64String("s3cr3t-Pa55word"u8.ToArray()), yaml, StringComparison.Ordinal);
        Assert.DoesNotContain("kind: Secret", yaml, StringComparison.Ordinal);
        Assert.DoesNotContain("finalizers", yaml, StringComparison.Ordinal);
        var docs = ReadBack(yaml);
        Assert.Equal(["GitStateStore//github", "Destination//worker-1", "Promise//redis", "Redis/default/alpha"], docs.Select(Key));
        Assert.Equal("github-git-credentials", docs[0]["spec"]!["secretRef"]!["name"]!.GetValue<string>());

        // The embedded platform: the store and Destination are refused or not ready without the Secret and the
        // repository, but the Promise and the request go on.
        using var home = new TempHome();
        using var embedded = EmbeddedPlatform.Open(home.Path);
        Import(embedded, docs);
        Assert.Equal("redis", Assert.Single(embedded.GetPromises()).Name);
        Assert.Equal("alpha", Assert.Single(embedded.GetRequests("redis")).Name);
    }

    private static JsonObject SetStore(JsonObject destination, string store)
    {
        destination["spec"]!["stateStoreRef"]!["name"] = store;
        return destination;
    }

    /// <summary>What both platforms agree on: the object without the kratix.io/ labels each backend's controllers add.</summary>
    private static JsonObject Comparable(JsonObject obj)
    {
        var copy = (JsonObject)obj.DeepClone();
        if (copy["metadata"]?["labels"] is JsonObject labels)
        {
            foreach (var key in labels.Select(kv => kv.Key).Where(k => k.StartsWith("kratix.io/", StringComparison.Ordinal)).ToList())
            {
                labels.Remove(key);
            }

            if (labels.Count == 0)
            {
                ((JsonObject)copy["metadata"]!).Remove("labels");
            }
        }

        return copy;
    }
}

internal sealed class TempHome : IDisposable
{
    public string Path { get; } = Directory.CreateTempSubdirectory("kratix-export-home-").FullName;

    public void Dispose()
    {
        try
        {
            Directory.Delete(Path, recursive: true);
        }
        catch (IOException)
        {
        }
    }
}
