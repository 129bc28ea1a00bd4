using System.Text.Json.Nodes;

namespace Kratix.Cluster.Tests;

/// <summary>Objects the tests apply: a Promise with a validating API, its requests, a Destination and state stores.</summary>
internal static class TestObjects
{
    public static JsonObject RedisPromise(string name = "redis") => Fill("""
        {"apiVersion":"platform.kratix.io/v1alpha1","kind":"Promise","metadata":{"name":"NAME"},
         "spec":{"api":{"apiVersion":"apiextensions.k8s.io/v1","kind":"CustomResourceDefinition","metadata":{"name":"redis.marketplace.kratix.io"},
           "spec":{"group":"marketplace.kratix.io","names":{"kind":"Redis","plural":"redis","singular":"redis"},"scope":"Namespaced",
             "versions":[{"name":"v1alpha1","served":true,"storage":true,"schema":{"openAPIV3Schema":{"type":"object","properties":{
               "spec":{"type":"object","required":["size"],"properties":{
                 "size":{"type":"string","enum":["small","large"]},
                 "replicas":{"type":"integer","minimum":1,"maximum":5}}}}}}}]}},
           "workflows":{"resource":{"configure":[{"apiVersion":"platform.kratix.io/v1alpha1","kind":"Pipeline","metadata":{"name":"instance-configure"},
             "spec":{"containers":[{"name":"render","image":"ghcr.io/acme/redis-pipeline:v1"}]}}]}}}}
        """, ("NAME", name));

    public static JsonObject Redis(string name, string? ns = "default", string size = "small", int replicas = 1)
    {
        var request = Fill("""
            {"apiVersion":"marketplace.kratix.io/v1alpha1","kind":"Redis","metadata":{"name":"NAME"},"spec":{"size":"SIZE","replicas":0}}
            """, ("NAME", name), ("SIZE", size));
        request["spec"]!["replicas"] = replicas;
        if (ns is not null)
        {
            request["metadata"]!["namespace"] = ns;
        }

        return request;
    }

    public static JsonObject Destination(string name = "worker-1", string path = "worker-1") => Fill("""
        {"apiVersion":"platform.kratix.io/v1alpha1","kind":"Destination","metadata":{"name":"NAME","labels":{"env":"dev"}},
         "spec":{"path":"PATH","stateStoreRef":{"kind":"GitStateStore","name":"default"}}}
        """, ("NAME", name), ("PATH", path));

    public static JsonObject GitStore(string name = "default") => Fill("""
        {"apiVersion":"platform.kratix.io/v1alpha1","kind":"GitStateStore","metadata":{"name":"NAME"},
         "spec":{"url":"https://git.example.com/platform.git","branch":"main"}}
        """, ("NAME", name));

    private static JsonObject Fill(string text, params (string Placeholder, string Value)[] values)
    {
        foreach (var (placeholder, value) in values)
        {
            text = text.Replace("\"" + placeholder + "\"", "\"" + value + "\"", StringComparison.Ordinal);
        }

        return ClusterHarness.Json(text);
    }
}
