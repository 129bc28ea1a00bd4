using k8s;
using System.Text.Json.Nodes;

namespace Kratix.ApiServerDouble.Tests;

/// <summary>
/// The machine's real kubectl against the double: if kubectl understands its discovery, tables, server-side apply,
/// dry runs, watches and errors, the double speaks the real API.
/// </summary>
public sealed class KubectlTests
{
    private static string PromiseFile => TestSupport.Promise("configtest", "promise.yaml");

    [Fact(Timeout = TestSupport.Timeout)]
    public async Task Kubectl_get_lists_namespaces_and_upstream_kinds_with_their_columns()
    {
        await using var server = await TestSupport.StartAsync();
        using var kubectl = new Kubectl(server);
        var (code, stdout, stderr) = await kubectl.RunAsync("get", "namespaces");
        Assert.True(code == 0, stderr);
        Assert.Matches(@"NAME\s+STATUS\s+AGE", stdout);
        Assert.Matches(@"default\s+Active\s+\d+s", stdout);

        (code, stdout, stderr) = await kubectl.RunAsync("get", "crds");
        Assert.True(code == 0, stderr);
        Assert.Contains("promises.platform.kratix.io", stdout);

        (code, stdout, stderr) = await kubectl.RunAsync("get", "promises");
        Assert.True(code == 0, stderr);
        Assert.Contains("No resources found", stdout + stderr);

        // A CRD's additionalPrinterColumns are the columns kubectl shows.
        string destination = kubectl.WriteFile("destination.yaml", """
            apiVersion: platform.kratix.io/v1alpha1
            kind: Destination
            metadata: {name: dev}
            spec:
              path: dev
              stateStoreRef: {kind: GitStateStore, name: default}
            """);
        (code, _, stderr) = await kubectl.RunAsync("create", "-f", destination);
        Assert.True(code == 0, stderr);
        (code, stdout, stderr) = await kubectl.RunAsync("get", "dests");
        Assert.True(code == 0, stderr);
        Assert.Matches(@"NAME\s+STATESTOREKIND\s+STATESTORENAME\s+READY", stdout);
        Assert.Matches(@"dev\s+GitStateStore\s+default", stdout);
    }

    [Fact(Timeout = TestSupport.Timeout)]
    public async Task Kubectl_apply_server_side_creates_then_merges_and_reports_conflicts()
    {
        await using var server = await TestSupport.StartAsync();
        using var kubectl = new Kubectl(server);
        var (code, stdout, stderr) = await kubectl.RunAsync("apply", "--server-side", "-f", PromiseFile);
        Assert.True(code == 0, stderr);
        Assert.Equal("promise.platform.kratix.io/configtest serverside-applied", stdout.Trim());

        (code, stdout, stderr) = await kubectl.RunAsync("get", "promise", "configtest", "-o", "json", "--show-managed-fields");
        Assert.True(code == 0, stderr);
        var obj = JsonNode.Parse(stdout)!;
        var entry = obj["metadata"]!["managedFields"]![0]!;
        Assert.Equal("kubectl", entry["manager"]!.GetValue<string>());
        Assert.Equal("Apply", entry["operation"]!.GetValue<string>());
        Assert.NotNull(entry["fieldsV1"]!["f:spec"]!["f:api"]);

        // Again, unchanged: nothing to do, and the same answer.
        (code, stdout, stderr) = await kubectl.RunAsync("apply", "--server-side", "-f", PromiseFile);
        Assert.True(code == 0, stderr);
        Assert.Equal("promise.platform.kratix.io/configtest serverside-applied", stdout.Trim());

        // Another manager setting a field kubectl owns to another value conflicts; --force-conflicts takes it.
        string changed = File.ReadAllText(PromiseFile).Replace("backoffLimit: 3", "backoffLimit: 4", StringComparison.Ordinal);
        string file = kubectl.WriteFile("changed.yaml", changed);
        (code, stdout, stderr) = await kubectl.RunAsync("apply", "--server-side", "--field-manager", "other", "-f", file);
        Assert.NotEqual(0, code);
        Assert.Contains("Apply failed with 1 conflict: conflict with \"kubectl\"", stderr);
        Assert.Contains(".spec.workflows.resource.configure", stderr);
        (code, stdout, stderr) = await kubectl.RunAsync("apply", "--server-side", "--field-manager", "other", "--force-conflicts", "-f", file);
        Assert.True(code == 0, stderr);
    }

    [Fact(Timeout = TestSupport.Timeout)]
    public async Task Kubectl_client_side_apply_and_logs()
    {
        await using var server = await TestSupport.StartAsync();
        using var kubectl = new Kubectl(server);
        var (code, stdout, stderr) = await kubectl.RunAsync("apply", "-f", PromiseFile);
        Assert.True(code == 0, stderr);
        Assert.Equal("promise.platform.kratix.io/configtest created", stdout.Trim());
        (code, stdout, stderr) = await kubectl.RunAsync("apply", "-f", PromiseFile);
        Assert.True(code == 0, stderr);
        Assert.Equal("promise.platform.kratix.io/configtest unchanged", stdout.Trim());
        string changed = kubectl.WriteFile("changed.yaml", File.ReadAllText(PromiseFile).Replace("backoffLimit: 3", "backoffLimit: 5", StringComparison.Ordinal));
        (code, stdout, stderr) = await kubectl.RunAsync("apply", "-f", changed);
        Assert.True(code == 0, stderr);
        Assert.Equal("promise.platform.kratix.io/configtest configured", stdout.Trim());
        (code, stdout, stderr) = await kubectl.RunAsync("get", "promise", "configtest", "-o", "jsonpath={.metadata.generation}");
        Assert.True(code == 0, stderr);
        Assert.Equal("2", stdout.Trim());

        // A controller's event about the object shows in kubectl describe (core/v1 Events by involvedObject).
        (code, stdout, stderr) = await kubectl.RunAsync("get", "promise", "configtest", "-o", "jsonpath={.metadata.uid}");
        Assert.True(code == 0, stderr);
        string evt = kubectl.WriteFile("event.yaml", $$"""
            apiVersion: v1
            kind: Event
            metadata: {name: configtest.1, namespace: default}
            involvedObject: {apiVersion: platform.kratix.io/v1alpha1, kind: Promise, name: configtest, uid: {{stdout.Trim()}}}
            reason: Available
            message: Promise is available
            type: Normal
            source: {component: PromiseController}
            """);
        (code, _, stderr) = await kubectl.RunAsync("create", "-f", evt);
        Assert.True(code == 0, stderr);
        (code, stdout, stderr) = await kubectl.RunAsync("describe", "promise", "configtest");
        Assert.True(code == 0, stderr);
        Assert.Contains("Name:         configtest", stdout);
        Assert.Matches(@"Normal\s+Available\s+.*Promise is available", stdout);

        string pod = kubectl.WriteFile("pod.yaml", """
            apiVersion: v1
            kind: Pod
            metadata: {name: worker}
            spec:
              restartPolicy: Never
              containers: [{name: main, image: busybox}]
            """);
        (code, _, stderr) = await kubectl.RunAsync("create", "-f", pod);
        Assert.True(code == 0, stderr);
        server.PodLogs.Set("default", "worker", "main", "hello from the pipeline\n");
        (code, stdout, stderr) = await kubectl.RunAsync("logs", "worker");
        Assert.True(code == 0, stderr);
        Assert.Equal("hello from the pipeline\n", stdout);
    }

    [Fact(Timeout = TestSupport.Timeout)]
    public async Task Kubectl_create_dry_run_server_validates_without_storing()
    {
        await using var server = await TestSupport.StartAsync();
        using var kubectl = new Kubectl(server);
        var (code, stdout, stderr) = await kubectl.RunAsync("create", "--dry-run=server", "-f", PromiseFile);
        Assert.True(code == 0, stderr);
        Assert.Equal("promise.platform.kratix.io/configtest created (server dry run)", stdout.Trim());
        (code, _, stderr) = await kubectl.RunAsync("get", "promise", "configtest");
        Assert.NotEqual(0, code);
        Assert.Contains("promises.platform.kratix.io \"configtest\" not found", stderr);

        string bad = kubectl.WriteFile("bad.yaml", """
            apiVersion: platform.kratix.io/v1alpha1
            kind: Destination
            metadata:
              name: dev
            spec:
              stateStoreRef:
                kind: Nowhere
                name: x
              unknownThing: true
            """);
        (code, _, stderr) = await kubectl.RunAsync("create", "--dry-run=server", "-f", bad);
        Assert.NotEqual(0, code);
        // kubectl's default --validate=strict asks the server (fieldValidation=Strict), which refuses the unknown field.
        Assert.Contains("unknown field \"spec.unknownThing\"", stderr);
        (code, _, stderr) = await kubectl.RunAsync("create", "--dry-run=server", "--validate=false", "-f", bad);
        Assert.NotEqual(0, code);
        Assert.Contains("The Destination \"dev\" is invalid", stderr);
        Assert.Contains("spec.stateStoreRef.kind: Unsupported value: \"Nowhere\"", stderr);
    }

    [Fact(Timeout = TestSupport.Timeout)]
    public async Task Kubectl_get_watch_prints_changes_as_they_happen()
    {
        await using var server = await TestSupport.StartAsync();
        using var kubectl = new Kubectl(server);
        using var client = TestSupport.Client(server);
        var watching = kubectl.RunAsync(TimeSpan.FromSeconds(40), "get", "configmaps", "--watch", "--request-timeout=30s");
        // kubectl lists, then watches: wait for its watch (a loaded machine may take a while to start it).
        for (int i = 0; i < 300 && server.Storage.WatchCount == 0; i++)
        {
            await Task.Delay(50);
        }

        Assert.Equal(1, server.Storage.WatchCount);
        await client.CoreV1.CreateNamespacedConfigMapAsync(new k8s.Models.V1ConfigMap { Metadata = new() { Name = "seen-by-watch" }, Data = new Dictionary<string, string> { ["a"] = "b" } }, "default");
        // Ending the watch ends kubectl; the event queued before it is written first.
        server.Faults.DropWatches();
        var (_, stdout, stderr) = await watching;
        Assert.Matches(@"seen-by-watch\s+\d+s", stdout);
        Assert.DoesNotContain("error", stderr, StringComparison.OrdinalIgnoreCase);
    }

    [Fact(Timeout = TestSupport.Timeout)]
    public async Task Kubectl_waits_for_a_crd_to_be_established_and_deletes_waiting_for_finalizers()
    {
        await using var server = await TestSupport.StartAsync(o => o.EstablishDelay = TimeSpan.FromSeconds(1));
        using var kubectl = new Kubectl(server);
        string crd = kubectl.WriteFile("crd.yaml", """
            apiVersion: apiextensions.k8s.io/v1
            kind: CustomResourceDefinition
            metadata:
              name: gadgets.example.com
            spec:
              group: example.com
              scope: Namespaced
              names: {plural: gadgets, kind: Gadget}
              versions:
              - name: v1
                served: true
                storage: true
                schema:
                  openAPIV3Schema: {type: object, x-kubernetes-preserve-unknown-fields: true}
            """);
        var (code, stdout, stderr) = await kubectl.RunAsync("create", "-f", crd);
        Assert.True(code == 0, stderr);
        (code, stdout, stderr) = await kubectl.RunAsync("wait", "--for=condition=Established", "crd/gadgets.example.com", "--timeout=20s");
        Assert.True(code == 0, stderr);
        Assert.Equal("customresourcedefinition.apiextensions.k8s.io/gadgets.example.com condition met", stdout.Trim());

        string gadget = kubectl.WriteFile("gadget.yaml", """
            apiVersion: example.com/v1
            kind: Gadget
            metadata:
              name: g
              finalizers: [example.com/hold]
            """);
        (code, _, stderr) = await kubectl.RunAsync("create", "-f", gadget);
        Assert.True(code == 0, stderr);
        // kubectl delete waits (watching the object by name) until the finalizer is gone.
        var deleting = kubectl.RunAsync(TimeSpan.FromSeconds(40), "delete", "gadget", "g");
        for (int i = 0; i < 300 && server.Storage.WatchCount == 0; i++)
        {
            await Task.Delay(50);
        }

        (code, _, stderr) = await kubectl.RunAsync("patch", "gadget", "g", "--type=merge", "-p", "{\"metadata\":{\"finalizers\":null}}");
        Assert.True(code == 0, stderr);
        (code, stdout, stderr) = await deleting;
        Assert.True(code == 0, stderr);
        Assert.Equal("gadget.example.com \"g\" deleted", stdout.Trim());
    }

    [Fact(Timeout = TestSupport.Timeout)]
    public async Task Kubectl_api_resources_and_explain_read_discovery_and_openapi()
    {
        await using var server = await TestSupport.StartAsync();
        using var kubectl = new Kubectl(server);
        var (code, stdout, stderr) = await kubectl.RunAsync("api-resources");
        Assert.True(code == 0, stderr);
        Assert.Matches(@"promises\s+platform.kratix.io/v1alpha1\s+false\s+Promise", stdout);
        Assert.Matches(@"destinations\s+dest,dests\s+platform.kratix.io/v1alpha1\s+false\s+Destination", stdout);
        Assert.Matches(@"jobs\s+batch/v1\s+true\s+Job", stdout);

        (code, stdout, stderr) = await kubectl.RunAsync("explain", "destinations.spec.stateStoreRef");
        Assert.True(code == 0, stderr);
        Assert.Contains("GROUP:      platform.kratix.io", stdout);
        Assert.Contains("kind", stdout);
    }

    [Fact(Timeout = TestSupport.Timeout)]
    public async Task Kubectl_reports_401_and_403_as_a_cluster_would()
    {
        await using var server = await TestSupport.StartAsync();
        string token = server.Authentication.AddUser("bob");
        server.Authorization.Allow("bob", new AccessRule(["get", "list"], ["configmaps"], [""], ["default"]));
        using var bob = new Kubectl(server, "bob", token);
        var (code, _, stderr) = await bob.RunAsync("get", "configmaps", "-n", "default");
        Assert.True(code == 0, stderr);
        (code, _, stderr) = await bob.RunAsync("get", "secrets", "-n", "default");
        Assert.NotEqual(0, code);
        Assert.Contains("secrets is forbidden: User \"bob\" cannot list resource \"secrets\" in API group \"\" in the namespace \"default\"", stderr);

        using var nobody = new Kubectl(server, "nobody", "not-a-token");
        (code, _, stderr) = await nobody.RunAsync("get", "configmaps");
        Assert.NotEqual(0, code);
        Assert.Contains("You must be logged in to the server (the server has asked for the client to provide credentials)", stderr);
    }
}
