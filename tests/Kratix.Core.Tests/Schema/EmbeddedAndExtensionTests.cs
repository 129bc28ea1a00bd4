using System.Text.Json.Nodes;
using Kratix.Schema;

namespace Kratix.Tests.Schema;

public class EmbeddedAndExtensionTests
{
    private static CustomResourceDefinition Crd(string specSchema, string rootExtras = "") =>
        CustomResourceDefinition.Parse(TestYaml.Obj(
            "{apiVersion: apiextensions.k8s.io/v1, kind: CustomResourceDefinition, metadata: {name: things.example.com}, spec: {group: example.com, names: {kind: Thing, plural: things}, scope: Namespaced, versions: [{name: v1, served: true, storage: true, schema: {openAPIV3Schema: {type: object" + rootExtras + ", properties: {spec: " + specSchema + "}}}}]}}"));

    private static (JsonObject Request, ValidationResult Result) Validate(CustomResourceDefinition crd, string spec, string metadata = "{name: t, namespace: default}")
    {
        var request = TestYaml.Obj("{apiVersion: example.com/v1, kind: Thing, metadata: " + metadata + ", spec: " + spec + "}");
        return (request, RequestValidator.Validate(request, crd, new RequestValidationOptions { FieldValidation = FieldValidationMode.Warn }));
    }

    [Fact]
    public void EmbeddedResource_RequiresApiVersionAndKind_AndPrunesUnknownMetadata()
    {
        var crd = Crd("{type: object, properties: {template: {type: object, x-kubernetes-embedded-resource: true, x-kubernetes-preserve-unknown-fields: true}}}");

        var (request, result) = Validate(crd, "{template: {metadata: {name: cm, color: red}, data: {a: b}}}");

        Assert.Equal(["spec.template.apiVersion: Required value", "spec.template.kind: Required value"], result.Errors.Select(e => e.ToString()));
        Assert.Contains("unknown field \"spec.template.metadata.color\"", result.Warnings);
        Assert.Null(request["spec"]!["template"]!["metadata"]!["color"]);
        Assert.NotNull(request["spec"]!["template"]!["data"]);
    }

    [Fact]
    public void EmbeddedResource_KindMustBeAMixedCaseDns1035Label()
    {
        var crd = Crd("{type: object, properties: {template: {type: object, x-kubernetes-embedded-resource: true, x-kubernetes-preserve-unknown-fields: true}}}");
        var (_, result) = Validate(crd, "{template: {apiVersion: v1, kind: Config_Map}}");
        var error = Assert.Single(result.Errors);
        Assert.StartsWith("spec.template.kind: Invalid value: \"Config_Map\": may have mixed case, but should otherwise match: a DNS-1035 label", error.ToString(), StringComparison.Ordinal);
    }

    [Fact]
    public void MetadataOfTheWrongType_IsRefusedWhenDecoding()
    {
        var crd = Crd("{type: object}");
        var (_, result) = Validate(crd, "{}", "{name: t, namespace: default, labels: {app: 1}}");
        Assert.Empty(result.Errors);
        Assert.Equal("Thing in version \"v1\" cannot be handled as a Thing: json: cannot unmarshal number into Go struct field ObjectMeta.labels of type string", result.DecodeError);
    }

    [Fact]
    public void ListTypeMap_WithSeveralKeys_ReportsTheDuplicateKeyObject()
    {
        var crd = Crd("{type: object, properties: {ports: {type: array, x-kubernetes-list-type: map, x-kubernetes-list-map-keys: [port, protocol], items: {type: object, required: [port], properties: {port: {type: integer}, protocol: {type: string, default: TCP}}}}}}");

        var (_, result) = Validate(crd, "{ports: [{port: 80}, {port: 80, protocol: UDP}, {port: 80, protocol: TCP}]}");

        // The first item is defaulted to TCP before the check, so the third one repeats it.
        Assert.Equal(["spec.ports[2]: Duplicate value: {\"port\":80,\"protocol\":\"TCP\"}"], result.Errors.Select(e => e.ToString()));
    }

    [Fact]
    public void ListTypeAtomicAndMapType_AreAcceptedWithoutChangingValidation()
    {
        var crd = Crd("{type: object, properties: {tags: {type: array, items: {type: string}, x-kubernetes-list-type: atomic}, sel: {type: object, x-kubernetes-map-type: atomic, additionalProperties: {type: string}}}}");
        var (_, result) = Validate(crd, "{tags: [a, a], sel: {k: v}}");
        Assert.True(result.IsValid, result.ToString());
    }

    [Fact]
    public void CelRulesAtTheRoot_SeeTheNameAndAreReportedAtNil()
    {
        var crd = Crd("{type: object}", ", x-kubernetes-validations: [{rule: 'self.metadata.name.size() < 10', message: short names}]");
        Assert.True(Validate(crd, "{}").Result.IsValid);
        var (_, result) = Validate(crd, "{}", "{name: a-very-long-name, namespace: default}");
        Assert.Equal(["<nil>: Invalid value: short names"], result.Errors.Select(e => e.ToString()));
    }

    [Fact]
    public void CelRulesOnMapValues_AreReportedAtTheKey()
    {
        var crd = Crd("{type: object, properties: {limits: {type: object, additionalProperties: {type: integer, x-kubernetes-validations: [{rule: 'self >= 0'}]}}}}");
        var (_, result) = Validate(crd, "{limits: {cpu: 1, mem: -2}}");
        Assert.Equal(["spec.limits[mem]: Invalid value: -2: failed rule: self >= 0"], result.Errors.Select(e => e.ToString()));
    }

    [Fact]
    public void StructuralSchema_ReportsWhetherItHasCelRules()
    {
        Assert.True(TestYaml.Schema("{type: object, properties: {a: {type: string, x-kubernetes-validations: [{rule: 'self != \"\"'}]}}}").HasCelRules);
        Assert.False(TestYaml.Schema("{type: object, properties: {a: {type: string}}}").HasCelRules);
    }
}
