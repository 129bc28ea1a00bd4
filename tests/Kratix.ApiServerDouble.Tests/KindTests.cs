using System.Text;
using System.Text.Json.Nodes;
using k8s;
using k8s.Models;

namespace Kratix.ApiServerDouble.Tests;

/// <summary>Namespaces, Secrets, Jobs, Pods and their logs, and CRDs installed at run time (a Promise's API).</summary>
public sealed class KindTests
{
    [Fact(Timeout = TestSupport.Timeout)]
    public async Task A_deleted_namespace_terminates_until_its_content_is_gone()
    {
        await using var server = await TestSupport.StartAsync();
        using var client = TestSupport.Client(server);
        var (code, status) = await TestSupport.Fails(() => client.CoreV1.CreateNamespacedSecretAsync(new V1Secret { Metadata = new() { Name = "s" } }, "missing"));
        Assert.Equal(404, code);
        Assert.Equal("namespaces \"missing\" not found", status["message"]!.GetValue<string>());

        await client.CoreV1.CreateNamespaceAsync(new V1Namespace { Metadata = new() { Name = "team" } });
        await client.CoreV1.CreateNamespacedSecretAsync(new V1Secret { Metadata = new() { Name = "plain" } }, "team");
        await client.CoreV1.CreateNamespacedConfigMapAsync(new V1ConfigMap { Metadata = new() { Name = "held", Finalizers = ["example.com/hold"] } }, "team");
        var ns = await client.CoreV1.DeleteNamespaceAsync("team");
        Assert.Equal("Terminating", (await client.CoreV1.ReadNamespaceAsync("team")).Status.Phase);
        Assert.Empty((await client.CoreV1.ListNamespacedSecretAsync("team")).Items);
        Assert.NotNull((await client.CoreV1.ReadNamespacedConfigMapAsync("held", "team")).Metadata.DeletionTimestamp);
        (code, status) = await TestSupport.Fails(() => client.CoreV1.CreateNamespacedSecretAsync(new V1Secret { Metadata = new() { Name = "late" } }, "team"));
        Assert.Equal(403, code);
        Assert.Equal("unable to create new content in namespace team because it is being terminated", status["message"]!.GetValue<string>());

        await client.CoreV1.PatchNamespacedConfigMapAsync(new V1Patch("""{"metadata":{"finalizers":null}}""", V1Patch.PatchType.MergePatch), "held", "team");
        (code, _) = await TestSupport.Fails(() => client.CoreV1.ReadNamespaceAsync("team"));
        Assert.Equal(404, code);
    }

    [Fact(Timeout = TestSupport.Timeout)]
    public async Task Secrets_take_stringData_refuse_bad_keys_and_answer_delete_with_a_status()
    {
        await using var server = await TestSupport.StartAsync();
        using var client = TestSupport.Client(server);
        var secret = await client.CoreV1.CreateNamespacedSecretAsync(new V1Secret { Metadata = new() { Name = "creds" }, StringData = new Dictionary<string, string> { ["password"] = "hunter2" } }, "default");
        Assert.Equal("hunter2", Encoding.UTF8.GetString(secret.Data["password"]));
        Assert.Null(secret.StringData);
        Assert.Equal("Opaque", secret.Type);

        var (code, status) = await TestSupport.Fails(() => client.CoreV1.CreateNamespacedSecretAsync(new V1Secret { Metadata = new() { Name = "bad" }, StringData = new Dictionary<string, string> { ["no/slash"] = "x" } }, "default"));
        Assert.Equal(422, code);
        Assert.Equal("data[no/slash]", status["details"]!["causes"]![0]!["field"]!.GetValue<string>());

        var deleted = TestSupport.Node(await client.CoreV1.DeleteNamespacedSecretWithHttpMessagesAsync("creds", "default").ContinueWith(t => t.Result.Body));
        Assert.Equal("Success", deleted["status"]!.GetValue<string>());
    }

    [Fact(Timeout = TestSupport.Timeout)]
    public async Task Jobs_are_validated_and_defaulted_and_pods_serve_the_logs_a_test_sets()
    {
        await using var server = await TestSupport.StartAsync();
        using var client = TestSupport.Client(server);
        var job = new V1Job
        {
            Metadata = new() { Name = "configure" },
            Spec = new V1JobSpec { Template = new V1PodTemplateSpec { Spec = new V1PodSpec { Containers = [new V1Container { Name = "main", Image = "busybox" }] } } },
        };
        var (code, status) = await TestSupport.Fails(() => client.BatchV1.CreateNamespacedJobAsync(job, "default"));
        Assert.Equal(422, code);
        Assert.Equal("Job.batch \"configure\" is invalid: spec.template.spec.restartPolicy: Required value: valid values: \"OnFailure\", \"Never\"", status["message"]!.GetValue<string>());

        job.Spec.Template.Spec.RestartPolicy = "Never";
        var created = await client.BatchV1.CreateNamespacedJobAsync(job, "default");
        Assert.Equal(6, created.Spec.BackoffLimit);
        Assert.Equal("configure", created.Spec.Template.Metadata.Labels["job-name"]);
        Assert.Equal(1, created.Metadata.Generation);

        // Nothing runs jobs here: a test plays the controller through the status subresource.
        created.Status = new V1JobStatus { Succeeded = 1 };
        var done = await client.BatchV1.ReplaceNamespacedJobStatusAsync(created, "configure", "default");
        Assert.Equal(1, done.Status.Succeeded);

        await client.CoreV1.CreateNamespacedPodAsync(new V1Pod
        {
            Metadata = new() { Name = "configure-abcde", Labels = new Dictionary<string, string> { ["job-name"] = "configure" } },
            Spec = new V1PodSpec { RestartPolicy = "Never", Containers = [new V1Container { Name = "main", Image = "busybox" }, new V1Container { Name = "side", Image = "busybox" }] },
        }, "default");
        server.PodLogs.Set("default", "configure-abcde", "main", "line 1\nline 2\nline 3\n");
        using var stream = await client.CoreV1.ReadNamespacedPodLogAsync("configure-abcde", "default", container: "main", tailLines: 2);
        Assert.Equal("line 2\nline 3\n", await new StreamReader(stream).ReadToEndAsync());
        (code, status) = await TestSupport.Fails(() => client.CoreV1.ReadNamespacedPodLogAsync("configure-abcde", "default"));
        Assert.Equal(400, code);
        Assert.Equal("a container name must be specified for pod configure-abcde, choose one of: [main side]", status["message"]!.GetValue<string>());
        var pods = await client.CoreV1.ListNamespacedPodAsync("default", labelSelector: "job-name=configure");
        Assert.Equal("Pending", Assert.Single(pods.Items).Status.Phase);
    }

    [Fact(Timeout = TestSupport.Timeout)]
    public async Task A_promise_api_installed_as_a_crd_serves_requests_validated_against_its_schema()
    {
        await using var server = await TestSupport.StartAsync();
        using var client = TestSupport.Client(server);
        var promise = TestSupport.Yaml(TestSupport.Promise("configtest", "promise.yaml"));
        var api = promise["spec"]!["api"]!.DeepClone().AsObject();
        api["metadata"]!.AsObject().Remove("creationTimestamp");
        var crd = KubernetesJson.Deserialize<V1CustomResourceDefinition>(api.ToJsonString());
        var created = await client.ApiextensionsV1.CreateCustomResourceDefinitionAsync(crd);
        Assert.Contains(CrdCleanup, created.Metadata.Finalizers);
        var established = await client.ApiextensionsV1.ReadCustomResourceDefinitionAsync("configtest.test.kratix.io");
        Assert.Contains(established.Status.Conditions, c => c.Type == "Established" && c.Status == "True");

        var request = TestSupport.Yaml(TestSupport.Promise("configtest", "resource-request.yaml"));
        request["spec"] = new JsonObject { ["configMapName"] = "cm", ["unknown"] = "dropped" };
        var response = await client.CustomObjects.CreateNamespacedCustomObjectWithHttpMessagesAsync(request, "test.kratix.io", "v1alpha1", "default", "configtest");
        Assert.Equal("299 - \"unknown field \\\"spec.unknown\\\"\"", Assert.Single(response.Response.Headers.GetValues("Warning")));
        var stored = TestSupport.Node(response.Body);
        Assert.Null(stored["spec"]!["unknown"]);

        request["metadata"]!["name"] = "bad";
        request["spec"] = new JsonObject { ["configMapName"] = 42 };
        var (code, status) = await TestSupport.Fails(() => client.CustomObjects.CreateNamespacedCustomObjectAsync(request, "test.kratix.io", "v1alpha1", "default", "configtest"));
        Assert.Equal(422, code);
        Assert.Equal("Configtest.test.kratix.io \"bad\" is invalid: spec.configMapName: Invalid value: \"integer\": spec.configMapName in body must be of type string: \"integer\"", status["message"]!.GetValue<string>());

        // Deleting the CRD deletes its objects, then the CRD, and the type is no longer served.
        await client.ApiextensionsV1.DeleteCustomResourceDefinitionAsync("configtest.test.kratix.io");
        (code, _) = await TestSupport.Fails(() => client.ApiextensionsV1.ReadCustomResourceDefinitionAsync("configtest.test.kratix.io"));
        Assert.Equal(404, code);
        (code, status) = await TestSupport.Fails(() => client.CustomObjects.ListNamespacedCustomObjectAsync("test.kratix.io", "v1alpha1", "default", "configtest"));
        Assert.Equal(404, code);
        Assert.Equal("the server could not find the requested resource", status["message"]!.GetValue<string>());
    }

    private const string CrdCleanup = "customresourcecleanup.apiextensions.k8s.io";

    [Fact(Timeout = TestSupport.Timeout)]
    public async Task A_deleted_crd_terminates_while_an_instance_holds_a_finalizer()
    {
        await using var server = await TestSupport.StartAsync();
        using var client = TestSupport.Client(server);
        var work = JsonNode.Parse("""
            {"apiVersion":"platform.kratix.io/v1alpha1","kind":"Work","metadata":{"name":"held","finalizers":["kratix.io/work-cleanup"]},
             "spec":{"promiseName":"redis","workloadGroups":[]}}
            """)!.AsObject();
        await client.CustomObjects.CreateNamespacedCustomObjectAsync(work, "platform.kratix.io", "v1alpha1", "default", "works");
        await client.ApiextensionsV1.DeleteCustomResourceDefinitionAsync("works.platform.kratix.io");

        var crd = await client.ApiextensionsV1.ReadCustomResourceDefinitionAsync("works.platform.kratix.io");
        Assert.NotNull(crd.Metadata.DeletionTimestamp);
        Assert.Contains(crd.Status.Conditions, c => c.Type == "Terminating" && c.Status == "True");
        Assert.Contains(crd.Status.Conditions, c => c.Type == "Established" && c.Status == "True");
        var held = TestSupport.Node(await client.CustomObjects.GetNamespacedCustomObjectAsync("platform.kratix.io", "v1alpha1", "default", "works", "held"));
        Assert.NotNull(held["metadata"]!["deletionTimestamp"]);

        work["metadata"]!["name"] = "new";
        var (code, status) = await TestSupport.Fails(() => client.CustomObjects.CreateNamespacedCustomObjectAsync(work, "platform.kratix.io", "v1alpha1", "default", "works"));
        Assert.Equal(405, code);
        Assert.Equal("create not allowed while custom resource definition is terminating", status["message"]!.GetValue<string>());

        await client.CustomObjects.PatchNamespacedCustomObjectAsync(new V1Patch("""{"metadata":{"finalizers":null}}""", V1Patch.PatchType.MergePatch),
            "platform.kratix.io", "v1alpha1", "default", "works", "held");
        (code, _) = await TestSupport.Fails(() => client.ApiextensionsV1.ReadCustomResourceDefinitionAsync("works.platform.kratix.io"));
        Assert.Equal(404, code);
    }

    [Fact(Timeout = TestSupport.Timeout)]
    public async Task An_invalid_crd_is_422_and_a_slow_one_is_served_once_established()
    {
        await using var server = await TestSupport.StartAsync(o => o.EstablishDelay = TimeSpan.FromMilliseconds(300));
        using var client = TestSupport.Client(server);
        var bad = JsonNode.Parse("""
            {"apiVersion":"apiextensions.k8s.io/v1","kind":"CustomResourceDefinition","metadata":{"name":"things.example.com"},
             "spec":{"group":"example.com","scope":"Namespaced","names":{"plural":"things","kind":"Thing"},
              "versions":[{"name":"v1","served":true,"storage":true,"schema":{"openAPIV3Schema":{"type":"object","properties":{"spec":{"type":"object","properties":{"size":{"type":"strin"}}}}}}}]}}
            """)!.AsObject();
        var (code, status) = await TestSupport.Fails(() => client.ApiextensionsV1.CreateCustomResourceDefinitionAsync(KubernetesJson.Deserialize<V1CustomResourceDefinition>(bad.ToJsonString())));
        Assert.Equal(422, code);
        Assert.Contains(status["details"]!["causes"]!.AsArray(), c => c!["field"]!.GetValue<string>() == "spec.versions[0].schema.openAPIV3Schema.properties[spec].properties[size].type");

        bad["spec"]!["versions"]![0]!["schema"]!["openAPIV3Schema"]!["properties"]!["spec"]!["properties"]!["size"]!["type"] = "string";
        await client.ApiextensionsV1.CreateCustomResourceDefinitionAsync(KubernetesJson.Deserialize<V1CustomResourceDefinition>(bad.ToJsonString()));
        (code, _) = await TestSupport.Fails(() => client.CustomObjects.ListNamespacedCustomObjectAsync("example.com", "v1", "default", "things"));
        Assert.Equal(404, code);
        for (int i = 0; i < 100 && server.Registry.Find("example.com", "v1", "things") is null; i++)
        {
            await Task.Delay(50);
        }

        Assert.NotNull(await client.CustomObjects.ListNamespacedCustomObjectAsync("example.com", "v1", "default", "things"));
    }
}
