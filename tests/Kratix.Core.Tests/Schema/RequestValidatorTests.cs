using System.Text.Json.Nodes;
using Kratix.Schema;

namespace Kratix.Tests.Schema;

public class RequestValidatorTests
{
    private const string Crd = """
        apiVersion: apiextensions.k8s.io/v1
        kind: CustomResourceDefinition
        metadata:
          name: databases.test.kratix.io
        spec:
          group: test.kratix.io
          names: {kind: Database, plural: databases, singular: database}
          scope: Namespaced
          versions:
            - name: v1alpha1
              served: true
              storage: false
              deprecated: true
              schema:
                openAPIV3Schema: {type: object, properties: {spec: {type: object, x-kubernetes-preserve-unknown-fields: true}}}
            - name: v1
              served: true
              storage: true
              schema:
                openAPIV3Schema:
                  type: object
                  properties:
                    spec:
                      type: object
                      default: {name: unnamed}
                      required: [name]
                      x-kubernetes-validations:
                        - rule: "self.replicas <= 5 || self.size == 'large'"
                      properties:
                        name: {type: string}
                        size: {type: string, enum: [small, large], default: small}
                        replicas: {type: integer, minimum: 1, maximum: 9, default: 1}
                        port: {type: integer, maximum: 65535}
                        tags: {type: array, items: {type: string}, x-kubernetes-list-type: set}
                        ports:
                          type: array
                          x-kubernetes-list-type: map
                          x-kubernetes-list-map-keys: [name]
                          items:
                            type: object
                            required: [name]
                            properties:
                              name: {type: string}
                              port: {type: integer, x-kubernetes-validations: [{rule: "self > 0"}]}
            - name: v0
              served: false
              storage: false
              schema:
                openAPIV3Schema: {type: object}
        """;

    private static readonly CustomResourceDefinition Database = CustomResourceDefinition.Parse(TestYaml.Obj(Crd));

    private static JsonObject Request(string spec = "{name: db}", string metadata = "{name: my-db, namespace: default}", string apiVersion = "test.kratix.io/v1") =>
        TestYaml.Obj("{apiVersion: " + apiVersion + ", kind: Database, metadata: " + metadata + ", spec: " + spec + "}");

    private static string[] Errors(ValidationResult r) => r.Errors.Select(e => e.ToString()).ToArray();

    [Fact]
    public void ValidRequest_IsDefaulted_AndValid()
    {
        var request = Request();
        var result = RequestValidator.Validate(request, Database);

        Assert.True(result.IsValid, result.ToString());
        Assert.Equal("small", request["spec"]!["size"]!.GetValue<string>());
        Assert.Equal(1L, request["spec"]!["replicas"]!.GetValue<long>());
        Assert.Equal(string.Empty, result.ToString());
    }

    [Fact]
    public void CelRules_AreEnforced()
    {
        var result = RequestValidator.Validate(Request("{name: db, ports: [{name: a, port: 1}, {name: b, port: 2}]}"), Database);
        Assert.True(result.IsValid, result.ToString());
        Assert.Empty(result.Warnings);

        result = RequestValidator.Validate(Request("{name: db, replicas: 7, ports: [{name: a, port: 0}]}"), Database);
        Assert.Equal(
            [
                "spec: Invalid value: failed rule: self.replicas <= 5 || self.size == 'large'",
                "spec.ports[0].port: Invalid value: 0: failed rule: self > 0",
            ],
            Errors(result));
    }

    [Fact]
    public void UnknownFields_ArePruned_WithApiServerWarnings()
    {
        var request = Request("{name: db, foo: 1, bar: {x: 1}}", "{name: my-db, namespace: default, color: blue}");
        request["unexpected"] = 1;
        var result = RequestValidator.Validate(request, Database, new RequestValidationOptions { FieldValidation = FieldValidationMode.Warn });

        Assert.True(result.IsValid, result.ToString());
        Assert.Equal(
            ["unknown field \"metadata.color\"", "unknown field \"spec.bar\"", "unknown field \"spec.foo\"", "unknown field \"unexpected\""],
            result.Warnings.Where(w => w.StartsWith("unknown", StringComparison.Ordinal)));
        Assert.Null(request["spec"]!["foo"]);
        Assert.Null(request["metadata"]!["color"]);
    }

    [Fact]
    public void Status_IsDropped_OnCreate()
    {
        var request = Request();
        request["status"] = new JsonObject { ["message"] = "hi" };
        var result = RequestValidator.Validate(request, Database);
        Assert.True(result.IsValid);
        Assert.False(request.ContainsKey("status"));
        Assert.DoesNotContain(result.Warnings, w => w.Contains("status", StringComparison.Ordinal));
    }

    [Fact]
    public void MetadataName_MustBeADns1123Subdomain()
    {
        var result = RequestValidator.Validate(Request(metadata: "{name: Bad_Name, namespace: default}"), Database);
        Assert.Equal(
            ["metadata.name: Invalid value: \"Bad_Name\": a lowercase RFC 1123 subdomain must consist of lower case alphanumeric characters, '-' or '.', and must start and end with an alphanumeric character (e.g. 'example.com', regex used for validation is '[a-z0-9]([-a-z0-9]*[a-z0-9])?(\\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*')"],
            Errors(result));
    }

    [Fact]
    public void MetadataName_IsLimitedTo63Characters_AsKratixInstallsTheCrd()
    {
        var name = new string('a', 64);
        var result = RequestValidator.Validate(Request(metadata: "{name: " + name + ", namespace: default}"), Database);
        Assert.Equal(["metadata.name: Too long: may not be more than 63 bytes", "<nil>: Invalid value: null: some validation rules were not checked because the object was invalid; correct the existing errors to complete validation"], Errors(result));
        Assert.True(RequestValidator.Validate(Request(metadata: "{name: " + new string('a', 63) + ", namespace: default}"), Database).IsValid);
    }

    [Fact]
    public void MetadataNameAndNamespace_AreRequired()
    {
        var result = RequestValidator.Validate(Request(metadata: "{labels: {a: b}}"), Database);
        Assert.Equal(
            ["metadata.name: Required value: name or generateName is required", "metadata.namespace: Required value", "<nil>: Invalid value: null: some validation rules were not checked because the object was invalid; correct the existing errors to complete validation"],
            Errors(result));
    }

    [Fact]
    public void Namespace_MustBeADns1123Label()
    {
        var result = RequestValidator.Validate(Request(metadata: "{name: x, namespace: my.ns}"), Database);
        Assert.Equal(["metadata.namespace: Invalid value: \"my.ns\": must not contain dots"], Errors(result));
    }

    [Fact]
    public void GenerateName_GetsANameGenerated()
    {
        var request = Request(metadata: "{generateName: db-, namespace: default}");
        Assert.True(RequestValidator.Validate(request, Database).IsValid);
        Assert.Matches("^db-[bcdfghjklmnpqrstvwxz2456789]{5}$", request["metadata"]!["name"]!.GetValue<string>());
    }

    [Fact]
    public void Labels_AreChecked()
    {
        var result = RequestValidator.Validate(Request(metadata: "{name: x, namespace: default, labels: {'bad key!': v}}"), Database);
        Assert.Equal(
            ["metadata.labels: Invalid value: \"bad key!\": name part must consist of alphanumeric characters, '-', '_' or '.', and must start and end with an alphanumeric character (e.g. 'MyName',  or 'my.name',  or '123-abc', regex used for validation is '([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9]')"],
            Errors(result));
    }

    [Fact]
    public void WrongKindOrGroup_IsRefused_BeforeAnythingElse()
    {
        var request = TestYaml.Obj("{apiVersion: other.io/v1, kind: Table, metadata: {name: BAD}, spec: {}}");
        var result = RequestValidator.Validate(request, Database);
        Assert.Equal(
            [
                "kind: Invalid value: \"Table\": must be Database",
                "apiVersion: Unsupported value: \"other.io/v1\": supported values: \"test.kratix.io/v1alpha1\", \"test.kratix.io/v1\"",
            ],
            Errors(result));
    }

    [Fact]
    public void UnservedVersion_IsRefused()
    {
        var result = RequestValidator.Validate(Request(apiVersion: "test.kratix.io/v0"), Database);
        Assert.Equal(
            ["apiVersion: Unsupported value: \"test.kratix.io/v0\": supported values: \"test.kratix.io/v1alpha1\", \"test.kratix.io/v1\""],
            Errors(result));
    }

    [Fact]
    public void DeprecatedVersion_Warns_LikeTheApiServer()
    {
        var result = RequestValidator.Validate(Request(apiVersion: "test.kratix.io/v1alpha1"), Database);
        Assert.True(result.IsValid);
        Assert.Contains("test.kratix.io/v1alpha1 Database is deprecated; use test.kratix.io/v1 Database", result.Warnings);
    }

    [Fact]
    public void ListTypeSetAndMap_DuplicatesAreReported()
    {
        var result = RequestValidator.Validate(Request("{name: db, tags: [a, b, a, a], ports: [{name: a, port: 1}, {name: a, port: 2}]}"), Database);
        Assert.Equal(
            ["spec.tags[2]: Duplicate value: \"a\"", "spec.ports[1]: Duplicate value: {\"name\":\"a\"}"],
            Errors(result));
    }

    [Fact]
    public void EveryError_IsReported_MetadataFirst_InOrder()
    {
        var result = RequestValidator.Validate(Request("{replicas: 20, size: huge, port: 70000}", "{name: Bad_Name, namespace: default}"), Database);
        var errors = Errors(result);
        // The schema has CEL rules, and these errors block them, as the server says last.
        Assert.Equal(6, errors.Length);
        Assert.Equal("<nil>: Invalid value: null: some validation rules were not checked because the object was invalid; correct the existing errors to complete validation", errors[5]);
        Assert.StartsWith("metadata.name: Invalid value: \"Bad_Name\"", errors[0], StringComparison.Ordinal);
        Assert.Equal("spec.replicas: Invalid value: 20: spec.replicas in body should be less than or equal to 9", errors[1]);
        Assert.Equal("spec.size: Unsupported value: \"huge\": supported values: \"small\", \"large\"", errors[2]);
        Assert.Equal("spec.port: Invalid value: 70000: spec.port in body should be less than or equal to 65535", errors[3]);
        Assert.Equal("spec.name: Required value", errors[4]);
        Assert.Equal(string.Join(Environment.NewLine, errors), result.ToString());
    }

    [Fact]
    public void NullForANonNullableFieldWithoutDefault_IsDropped_ThenRequiredApplies()
    {
        var request = Request("{name: null}");
        var result = RequestValidator.Validate(request, Database);
        Assert.Equal(["spec.name: Required value", "<nil>: Invalid value: null: some validation rules were not checked because the object was invalid; correct the existing errors to complete validation"], Errors(result));
    }

    [Fact]
    public void NullForADefaultedField_GetsTheDefault()
    {
        var request = Request("{name: db, size: null}");
        Assert.True(RequestValidator.Validate(request, Database).IsValid);
        Assert.Equal("small", request["spec"]!["size"]!.GetValue<string>());
    }

    [Fact]
    public void MissingSpec_IsDefaultedFromTheSpecDefault()
    {
        var request = TestYaml.Obj("{apiVersion: test.kratix.io/v1, kind: Database, metadata: {name: x, namespace: default}}");
        var result = RequestValidator.Validate(request, Database);
        Assert.True(result.IsValid, result.ToString());
        Assert.Equal("{\"name\":\"unnamed\",\"size\":\"small\",\"replicas\":1}", request["spec"]!.ToJsonString());
    }

    [Fact]
    public void ValidatingTheSameCrdManyTimes_IsFast()
    {
        var sw = System.Diagnostics.Stopwatch.StartNew();
        for (int i = 0; i < 2000; i++)
        {
            Assert.True(RequestValidator.Validate(Request("{name: db, tags: [a, b], ports: [{name: a, port: 1}]}"), Database).IsValid);
        }

        Assert.True(sw.Elapsed < TimeSpan.FromSeconds(10), sw.Elapsed.ToString());
    }
}
