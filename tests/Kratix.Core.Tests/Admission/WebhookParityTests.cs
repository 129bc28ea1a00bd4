using System.Text.Json.Nodes;
using Kratix.Admission;
using Kratix.Manifests;
using Kratix.Objects;

namespace Kratix.Tests.Admission;

/// <summary>
/// One test per rule of upstream's admission (internal/webhook/v1alpha1/*_webhook.go and the CRDs under
/// config/crd/bases): what it refuses, what it fills in, and what it lets through. docs/differences-from-upstream.md
/// lists where this admission still differs.
/// </summary>
public sealed class WebhookParityTests
{
    // ---- Promise: reconciliation intervals (promise_webhook.go, promiserevision_webhook.go) ----

    [Theory]
    [InlineData("soon", "metadata.annotations[kratix.io/reconciliation-interval]: Invalid value: \"soon\": must be a valid duration")]
    [InlineData("30s", "metadata.annotations[kratix.io/reconciliation-interval]: Invalid value: \"30s\": must be at least 1m0s")]
    public void An_invalid_or_too_short_reconciliation_interval_annotation_is_refused(string value, string problem)
    {
        var error = Refused(Promise(annotations: $"kratix.io/reconciliation-interval: '{value}'"));

        Assert.Contains(problem, error.Problems);
    }

    [Fact]
    public void An_annotation_of_at_least_a_minute_is_admitted() =>
        PromiseAdmission.Admit(Promise(annotations: "kratix.io/reconciliation-interval: 1m"), null);

    [Fact]
    public void An_out_of_policy_annotation_already_installed_is_kept_on_update_but_a_changed_one_is_checked()
    {
        var installed = new Promise(Promise(annotations: "kratix.io/reconciliation-interval: 10s"));

        PromiseAdmission.Admit(Promise(annotations: "kratix.io/reconciliation-interval: 10s", extraSpec: "dependencies: []"), installed);
        var error = Refused(Promise(annotations: "kratix.io/reconciliation-interval: 20s"), installed);

        Assert.Contains("metadata.annotations[kratix.io/reconciliation-interval]: Invalid value: \"20s\": must be at least 1m0s", error.Problems);
    }

    [Theory]
    [InlineData("30s", "spec.workflows.config.reconciliationInterval: Invalid value: \"30s\": must be at least 1m0s")]
    [InlineData("often", "spec.workflows.config.reconciliationInterval: Invalid value: \"often\": must be a valid duration such as 30m or 10h")]
    public void A_spec_reconciliation_interval_under_a_minute_or_not_a_duration_is_refused(string value, string problem)
    {
        var error = Refused(Promise(workflows: $"config: {{reconciliationInterval: '{value}'}}"));

        Assert.Contains(problem, error.Problems);
    }

    [Fact]
    public void A_spec_reconciliation_interval_of_a_minute_is_admitted() =>
        PromiseAdmission.Admit(Promise(workflows: "config: {reconciliationInterval: 1m}"), null);

    // ---- Promise: how Pipeline documents are decoded (PipelinesFromUnstructured, DisallowUnknownFields) ----

    [Theory]
    [InlineData("status: {}", "spec.workflows.resource.configure[0].status: Forbidden: unknown field \"status\"")]
    [InlineData("metadata: {name: p, labelz: {a: b}}", "spec.workflows.resource.configure[0].metadata.labelz: Forbidden: unknown field \"labelz\"")]
    [InlineData("spec: {containers: [{name: c, image: i, workingDir: /tmp}]}", "spec.workflows.resource.configure[0].spec.containers[0].workingDir: Forbidden: unknown field \"workingDir\"")]
    [InlineData("spec: {containers: [{name: c, image: i}], jobOptions: {backoffLimit: 1, ttl: 3}}", "spec.workflows.resource.configure[0].spec.jobOptions.ttl: Forbidden: unknown field \"ttl\"")]
    [InlineData("spec: {containers: [{name: c, image: i}], rbac: {serviceAccount: sa, roles: []}}", "spec.workflows.resource.configure[0].spec.rbac.roles: Forbidden: unknown field \"roles\"")]
    [InlineData("spec: {containers: [{name: c, image: i}], hostNetwork: true}", "spec.workflows.resource.configure[0].spec.hostNetwork: Forbidden: unknown field")]
    public void An_unknown_field_anywhere_in_a_Pipeline_is_refused(string pipelineFields, string problemStart)
    {
        var pipeline = "{apiVersion: platform.kratix.io/v1alpha1, kind: Pipeline, metadata: {name: p}, spec: {containers: [{name: c, image: i}]}}";
        var merged = Merge(pipeline, pipelineFields);

        var error = Refused(Promise(workflows: $"resource: {{configure: [{merged}]}}"));

        Assert.Contains(error.Problems, p => p.StartsWith(problemStart, StringComparison.Ordinal));
    }

    [Fact]
    public void Every_field_upstreams_Pipeline_and_Container_declare_is_admitted() =>
        PromiseAdmission.Admit(Promise(workflows: """
            resource:
                configure:
                - apiVersion: platform.kratix.io/v1alpha1
                  kind: Pipeline
                  metadata: {name: p, labels: {team: a}, annotations: {x: y}}
                  spec:
                    containers:
                    - name: c
                      image: i
                      args: [a]
                      command: [sh]
                      env: [{name: A, value: b}]
                      envFrom: []
                      volumeMounts: []
                      imagePullPolicy: IfNotPresent
                      securityContext: {runAsNonRoot: true}
                      resources: {limits: {cpu: 100m}}
                    volumes: []
                    imagePullSecrets: []
                    nodeSelector: {a: b}
                    tolerations: []
                    restartPolicy: Never
                    jobOptions: {backoffLimit: 2}
                    rbac: {serviceAccount: sa, permissions: []}
            """), null);

    [Fact]
    public void A_Pipeline_of_another_kind_or_version_is_refused()
    {
        var error = Refused(Promise(workflows: "resource: {configure: [{apiVersion: platform.kratix.io/v1beta1, kind: Pipeline, metadata: {name: p}, spec: {containers: [{name: c, image: i}]}}]}"));

        Assert.Contains(error.Problems, p => p.StartsWith("spec.workflows.resource.configure[0]: Invalid value: \"platform.kratix.io/v1beta1/Pipeline\"", StringComparison.Ordinal));
    }

    [Theory]
    [InlineData("{team: 'has space'}", "invalid label value for key \"team\" in workflow \"resource\" action \"configure\"")]
    [InlineData("{'bad key!': a}", "invalid label key in workflow \"resource\" action \"configure\"")]
    public void A_Pipeline_label_that_is_not_a_valid_label_is_refused(string labels, string problem)
    {
        var error = Refused(Promise(workflows: $"resource: {{configure: [{{apiVersion: platform.kratix.io/v1alpha1, kind: Pipeline, metadata: {{name: p, labels: {labels}}}, spec: {{containers: [{{name: c, image: i}}]}}}}]}}"));

        Assert.Contains(error.Problems, p => p.Contains(problem, StringComparison.Ordinal));
    }

    [Fact]
    public void Two_pipelines_of_one_name_in_one_workflow_are_refused()
    {
        const string p = "{apiVersion: platform.kratix.io/v1alpha1, kind: Pipeline, metadata: {name: same}, spec: {containers: [{name: c, image: i}]}}";

        var error = Refused(Promise(workflows: $"resource: {{configure: [{p}, {p}]}}"));

        Assert.Contains(error.Problems, x => x.StartsWith("spec.workflows.resource.configure[1].metadata.name: Duplicate value: \"same\"", StringComparison.Ordinal));
    }

    [Fact]
    public void A_pipeline_id_over_sixty_characters_is_refused()
    {
        var name = new string('p', 40);
        var error = Refused(Promise(workflows: $"resource: {{configure: [{{apiVersion: platform.kratix.io/v1alpha1, kind: Pipeline, metadata: {{name: {name}}}, spec: {{containers: [{{name: c, image: i}}]}}}}]}}"));

        Assert.Contains(error.Problems, x => x.Contains("must be at most 60", StringComparison.Ordinal));
    }

    // ---- Promise: the API (validateCRD, validateCRDChanges) ----

    [Fact]
    public void A_cluster_scoped_API_is_refused()
    {
        var error = Refused(Promise(scope: "Cluster"));

        Assert.Contains(error.Problems, p => p.Contains("scope", StringComparison.Ordinal));
    }

    [Fact]
    public void Removing_the_API_of_an_installed_Promise_is_refused()
    {
        var installed = new Promise(Promise());
        var node = Promise();
        ((JsonObject)node["spec"]!).Remove("api");

        var error = Refused(node, installed);

        Assert.Contains(error.Problems, p => p.StartsWith("spec.api: Forbidden: the API of an installed Promise cannot be removed", StringComparison.Ordinal));
    }

    [Theory]
    [InlineData("{kind: Thing, plural: things, singular: item}")]
    [InlineData("{kind: Thing, plural: things, singular: thing, shortNames: [th]}")]
    [InlineData("{kind: Thing, plural: things, singular: thing, categories: [all]}")]
    public void Any_change_to_the_APIs_names_is_refused(string names)
    {
        var installed = new Promise(Promise());

        var error = Refused(Promise(names: names), installed);

        Assert.Contains(error.Problems, p => p.StartsWith("spec.api.spec.names: Invalid value:", StringComparison.Ordinal) && p.Contains("field is immutable", StringComparison.Ordinal));
    }

    [Fact]
    public void The_same_names_written_in_another_order_are_no_change() =>
        PromiseAdmission.Admit(Promise(names: "{singular: thing, plural: things, kind: Thing}"), new Promise(Promise()));

    // ---- Destination (destination_webhook.go and its CRD) ----

    [Fact]
    public void A_Destination_without_a_path_is_refused() =>
        Assert.Contains("spec.path: Required value", Assert.Throws<AdmissionException>(() => DestinationAdmission.Admit(Destination("{stateStoreRef: {kind: GitStateStore, name: default}}"), null, [])).Problems);

    [Fact]
    public void An_aggregatedYAML_Destination_gets_the_filename_aggregated_yaml_and_the_CRD_defaults()
    {
        var destination = DestinationAdmission.Admit(Destination("{path: dev, stateStoreRef: {kind: GitStateStore, name: default}, filepath: {mode: aggregatedYAML}}"), null, []);

        Assert.Equal("aggregated.yaml", destination.Spec["filepath"]!["filename"]!.GetValue<string>());
        Assert.Equal("none", destination.Cleanup);
        Assert.True(destination.InitWorkloadsEnabled);
    }

    [Fact]
    public void A_Destinations_filepath_mode_is_immutable()
    {
        var before = DestinationAdmission.Admit(Destination("{path: dev, stateStoreRef: {kind: GitStateStore, name: default}}"), null, []);

        var error = Assert.Throws<AdmissionException>(() => DestinationAdmission.Admit(Destination("{path: dev, stateStoreRef: {kind: GitStateStore, name: default}, filepath: {mode: none}}"), before, []));

        Assert.Contains(error.Problems, p => p.StartsWith("spec.filepath.mode: Invalid value: \"none\": filepath.mode is immutable", StringComparison.Ordinal));
    }

    [Theory]
    [InlineData("{path: dev, stateStoreRef: {kind: S3, name: default}}", "spec.stateStoreRef.kind: Unsupported value: \"S3\"")]
    [InlineData("{path: dev, stateStoreRef: {kind: GitStateStore, name: default}, cleanup: some}", "spec.cleanup: Unsupported value: \"some\"")]
    [InlineData("{path: dev, stateStoreRef: {kind: GitStateStore, name: default}, filepath: {mode: flat}}", "spec.filepath.mode: Unsupported value: \"flat\"")]
    public void Values_outside_the_CRDs_enums_are_refused(string spec, string problemStart)
    {
        var error = Assert.Throws<AdmissionException>(() => DestinationAdmission.Admit(Destination(spec), null, []));

        Assert.Contains(error.Problems, p => p.StartsWith(problemStart, StringComparison.Ordinal));
    }

    // ---- State stores (their CRDs; bucketstatestore_webhook.go) ----

    [Fact]
    public void A_GitStateStore_gets_upstreams_defaults()
    {
        var store = new GitStateStore(StateStoreAdmission.Admit(Parse("{apiVersion: platform.kratix.io/v1alpha1, kind: GitStateStore, metadata: {name: git}, spec: {url: 'https://example.com/x.git'}}")).Node);

        Assert.Equal(("main", "basicAuth"), (store.Branch, store.AuthMethod));
    }

    [Theory]
    [InlineData("GitStateStore", "{url: 'https://example.com/x.git', authMethod: token}", "spec.authMethod: Unsupported value: \"token\"")]
    [InlineData("BucketStateStore", "{bucketName: b, endpoint: s3.example.com, authMethod: password}", "spec.authMethod: Unsupported value: \"password\"")]
    public void An_authMethod_outside_the_CRDs_enum_is_refused(string kind, string spec, string problemStart)
    {
        var error = Assert.Throws<AdmissionException>(() => StateStoreAdmission.Admit(Parse($"{{apiVersion: platform.kratix.io/v1alpha1, kind: {kind}, metadata: {{name: s}}, spec: {spec}}}")));

        Assert.Contains(error.Problems, p => p.StartsWith(problemStart, StringComparison.Ordinal));
    }

    private static AdmissionException Refused(JsonObject node, Promise? existing = null) =>
        Assert.Throws<AdmissionException>(() => PromiseAdmission.Admit(node, existing));

    private static JsonObject Parse(string yaml) => (JsonObject)ManifestReader.Default.ReadString(yaml).Single().Content!;

    private static string Merge(string baseFlow, string extraFlow)
    {
        var merged = Parse(baseFlow);
        foreach (var (key, value) in Parse("{" + extraFlow + "}"))
        {
            merged[key] = value?.DeepClone();
        }

        return ManifestWriter.ToJson(merged, indented: false);
    }

    private static JsonObject Destination(string spec) =>
        Parse($"{{apiVersion: platform.kratix.io/v1alpha1, kind: Destination, metadata: {{name: dev}}, spec: {spec}}}");

    private static JsonObject Promise(string annotations = "{}", string workflows = "{}", string extraSpec = "", string scope = "Namespaced", string names = "{kind: Thing, plural: things, singular: thing}")
    {
        var annotationText = annotations.StartsWith('{') ? annotations : "{" + annotations + "}";
        return Parse($$"""
            apiVersion: platform.kratix.io/v1alpha1
            kind: Promise
            metadata:
              name: thing
              annotations: {{annotationText}}
            spec:
              {{extraSpec}}
              api:
                apiVersion: apiextensions.k8s.io/v1
                kind: CustomResourceDefinition
                metadata: {name: things.test.kratix.io}
                spec:
                  group: test.kratix.io
                  names: {{names}}
                  scope: {{scope}}
                  versions:
                  - name: v1alpha1
                    served: true
                    storage: true
                    schema:
                      openAPIV3Schema:
                        type: object
              workflows:
                {{workflows.Replace("\n", "\n    ", StringComparison.Ordinal)}}
            """);
    }
}
