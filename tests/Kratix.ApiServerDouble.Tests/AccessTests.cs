using System.Net;
using System.Security.Cryptography.X509Certificates;
using k8s;
using k8s.Models;

namespace Kratix.ApiServerDouble.Tests;

/// <summary>Authentication (bearer tokens, client certificates), RBAC answers, and injected faults.</summary>
public sealed class AccessTests
{
    [Fact(Timeout = TestSupport.Timeout)]
    public async Task Without_credentials_every_request_is_401_but_health_is_open()
    {
        await using var server = await TestSupport.StartAsync();
        using var handler = new HttpClientHandler();
        var ca = X509Certificate2.CreateFromPem(server.CertificateAuthorityPem);
        handler.ServerCertificateCustomValidationCallback = (_, cert, chain, _) =>
        {
            chain!.ChainPolicy.TrustMode = X509ChainTrustMode.CustomRootTrust;
            chain.ChainPolicy.CustomTrustStore.Add(ca);
            chain.ChainPolicy.RevocationMode = X509RevocationMode.NoCheck;
            return chain.Build(cert!);
        };
        using var http = new HttpClient(handler) { BaseAddress = server.Uri };
        Assert.Equal("127.0.0.1", server.Uri.Host);
        var response = await http.GetAsync("/api/v1/namespaces");
        Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
        Assert.Contains("\"reason\":\"Unauthorized\"", await response.Content.ReadAsStringAsync());
        Assert.Equal(HttpStatusCode.OK, (await http.GetAsync("/readyz")).StatusCode);
        http.DefaultRequestHeaders.Authorization = new("Bearer", "wrong");
        Assert.Equal(HttpStatusCode.Unauthorized, (await http.GetAsync("/version")).StatusCode);
        http.DefaultRequestHeaders.Authorization = new("Bearer", server.AdminToken);
        Assert.Equal(HttpStatusCode.OK, (await http.GetAsync("/version")).StatusCode);
    }

    [Fact(Timeout = TestSupport.Timeout)]
    public async Task Rbac_allows_what_a_rule_names_and_words_refusals_like_the_api_server()
    {
        await using var server = await TestSupport.StartAsync();
        server.Authorization.Allow("carol", new AccessRule(["get", "list", "watch"], ["secrets"], [""], ["default"]));
        server.Authorization.Allow("carol", new AccessRule(["get"], ["promises"], ["platform.kratix.io"]));
        // A client certificate names the user (CN) and groups (O).
        using var carol = TestSupport.Client(server, "carol");
        Assert.NotNull(await carol.CoreV1.ListNamespacedSecretAsync("default"));

        var (code, status) = await TestSupport.Fails(() => carol.CoreV1.ListNamespacedSecretAsync("kube-system"));
        Assert.Equal(403, code);
        Assert.Equal("Forbidden", status["reason"]!.GetValue<string>());
        Assert.Equal("secrets is forbidden: User \"carol\" cannot list resource \"secrets\" in API group \"\" in the namespace \"kube-system\"", status["message"]!.GetValue<string>());

        (code, status) = await TestSupport.Fails(() => carol.CoreV1.DeleteNamespacedSecretAsync("x", "default"));
        Assert.Equal(403, code);
        Assert.Equal("secrets \"x\" is forbidden: User \"carol\" cannot delete resource \"secrets\" in API group \"\" in the namespace \"default\"", status["message"]!.GetValue<string>());

        (code, status) = await TestSupport.Fails(() => carol.CustomObjects.ListClusterCustomObjectAsync("platform.kratix.io", "v1alpha1", "promises"));
        Assert.Equal("promises.platform.kratix.io is forbidden: User \"carol\" cannot list resource \"promises\" in API group \"platform.kratix.io\" at the cluster scope", status["message"]!.GetValue<string>());

        (code, status) = await TestSupport.Fails(() => carol.CustomObjects.PatchClusterCustomObjectStatusAsync(new V1Patch("{}", V1Patch.PatchType.MergePatch), "platform.kratix.io", "v1alpha1", "promises", "p"));
        Assert.Contains("cannot patch resource \"promises/status\"", status["message"]!.GetValue<string>());

        string token = server.Authentication.AddUser("dave", "devs");
        using var dave = TestSupport.Client(server, "dave", token);
        (code, _) = await TestSupport.Fails(() => dave.CoreV1.ListNamespaceAsync());
        Assert.Equal(403, code);
    }

    [Fact(Timeout = TestSupport.Timeout)]
    public async Task Injected_throttling_and_server_errors_reach_the_client_as_a_cluster_sends_them()
    {
        await using var server = await TestSupport.StartAsync();
        using var client = TestSupport.Client(server);
        var fault = server.Faults.Throttle(retryAfterSeconds: 7, when: (info, method) => info?.Resource == "secrets" && method == "POST");
        try
        {
            await client.CoreV1.CreateNamespacedSecretAsync(new V1Secret { Metadata = new() { Name = "s" } }, "default");
            Assert.Fail("expected 429");
        }
        catch (k8s.Autorest.HttpOperationException e)
        {
            Assert.Equal((HttpStatusCode)429, e.Response.StatusCode);
            Assert.Equal("7", e.Response.Headers["Retry-After"].Single());
            Assert.Contains("\"retryAfterSeconds\":7", e.Response.Content);
        }

        Assert.Equal(0, fault.Remaining);
        await client.CoreV1.CreateNamespacedSecretAsync(new V1Secret { Metadata = new() { Name = "s" } }, "default");

        server.Faults.FailNext(500, times: 2);
        var (code, status) = await TestSupport.Fails(() => client.CoreV1.ListNamespaceAsync());
        Assert.Equal(500, code);
        Assert.Equal("InternalError", status["reason"]!.GetValue<string>());
        (code, _) = await TestSupport.Fails(() => client.CoreV1.ListNamespaceAsync());
        Assert.Equal(500, code);
        Assert.NotEmpty((await client.CoreV1.ListNamespaceAsync()).Items);

        server.Faults.FailNext(503, retryAfterSeconds: 1);
        (code, status) = await TestSupport.Fails(() => client.CoreV1.ListNamespaceAsync());
        Assert.Equal(503, code);
        Assert.Equal("ServiceUnavailable", status["reason"]!.GetValue<string>());
    }
}
