using System.Text.Json.Nodes;
using Kratix.Schema;

namespace Kratix.Tests.Schema;

public class CustomResourceDefinitionTests
{
    private static JsonObject Crd(string schema = "{type: object, properties: {spec: {type: object, properties: {size: {type: string}}}}}", string scope = "Namespaced", string versions = "")
    {
        versions = versions.Length > 0 ? versions : "[{name: v1, served: true, storage: true, schema: {openAPIV3Schema: " + schema + "}}]";
        return TestYaml.Obj("{apiVersion: apiextensions.k8s.io/v1, kind: CustomResourceDefinition, metadata: {name: widgets.example.com}, spec: {group: example.com, names: {kind: Widget, plural: widgets}, scope: " + scope + ", versions: " + versions + "}}");
    }

    private static string[] Problems(JsonObject crd)
    {
        var e = Assert.Throws<InvalidCustomResourceDefinitionException>(() => CustomResourceDefinition.Parse(crd));
        Assert.Equal("InvalidCustomResourceDefinition", e.ErrorId);
        Assert.Equal(KratixErrorCategory.InvalidData, e.Category);
        foreach (var err in e.Errors)
        {
            Assert.Contains(err.ToString(), e.Message, StringComparison.Ordinal);
        }

        return e.Errors.Select(x => x.ToString()).ToArray();
    }

    [Fact]
    public void Parse_ValidCrd_ExposesNamesVersionsAndDefaults()
    {
        var crd = CustomResourceDefinition.Parse(Crd());
        Assert.Equal("widgets.example.com", crd.Name);
        Assert.Equal("example.com", crd.Group);
        Assert.Equal(new CrdNames("Widget", "widgets", "widget", "WidgetList", [], []), crd.Names with { ShortNames = [], Categories = [] });
        Assert.Equal("Namespaced", crd.Scope);
        Assert.Equal("v1", crd.StorageVersion.Name);
        Assert.Same(crd.Versions[0], crd.FindServedVersion("v1"));
        Assert.Null(crd.FindServedVersion("v2"));
        Assert.NotNull(crd.StorageVersion.StructuralSchema);
        Assert.Equal(63L, crd.StorageVersion.StructuralSchema!.Root.Properties["metadata"].Properties["name"].MaxLength);
    }

    [Fact]
    public void ClusterScope_IsRefused_BecauseKratixRequiresNamespaced()
    {
        Assert.Equal(
            ["spec.scope: Invalid value: \"Cluster\": promise api needs to be namespace scoped: Kratix requires spec.scope to be Namespaced"],
            Problems(Crd(scope: "Cluster")));
    }

    [Fact]
    public void EveryProblem_IsListed_WithItsPath()
    {
        var crd = TestYaml.Obj("{apiVersion: v1, kind: ConfigMap, metadata: {name: wrong.example.com}, spec: {names: {plural: Widgets}, versions: []}}");
        Assert.Equal(
            [
                "apiVersion: Unsupported value: \"v1\": supported values: \"apiextensions.k8s.io/v1\"",
                "kind: Unsupported value: \"ConfigMap\": supported values: \"CustomResourceDefinition\"",
                "spec.group: Required value",
                "spec.names.plural: Invalid value: \"Widgets\": a DNS-1035 label must consist of lower case alphanumeric characters or '-', start with an alphabetic character, and end with an alphanumeric character (e.g. 'my-name',  or 'abc-123', regex used for validation is '[a-z]([-a-z0-9]*[a-z0-9])?')",
                "spec.names.kind: Required value",
                "metadata.name: Invalid value: \"wrong.example.com\": must be spec.names.plural+\".\"+spec.group",
                "spec.scope: Required value",
                "spec.versions: Required value: must have exactly one version marked as storage version",
            ],
            Problems(crd));
    }

    [Fact]
    public void Versions_NeedExactlyOneStorageVersion_UniqueNames_AndSchemas()
    {
        Assert.Equal(
            [
                "spec.versions[1].schema.openAPIV3Schema: Required value: because otherwise all fields are pruned",
                "spec.versions: Invalid value: \"\": must contain unique version names",
                "spec.versions: Invalid value: 2: must have exactly one version marked as storage version",
            ],
            Problems(Crd(versions: "[{name: v1, served: true, storage: true, schema: {openAPIV3Schema: {type: object}}}, {name: v1, served: true, storage: true}]")));
    }

    [Fact]
    public void NonStructuralSchemas_AreRefused()
    {
        Assert.Equal(
            ["spec.versions[0].schema.openAPIV3Schema.properties[spec].properties[size].type: Required value: must not be empty for specified object fields"],
            Problems(Crd("{type: object, properties: {spec: {type: object, properties: {size: {description: no type}}}}}")));
        Assert.Equal(
            ["spec.versions[0].schema.openAPIV3Schema.properties[spec].properties[list].items: Required value: must be specified"],
            Problems(Crd("{type: object, properties: {spec: {type: object, properties: {list: {type: array}}}}}")));
        Assert.Equal(
            ["spec.versions[0].schema.openAPIV3Schema.properties[spec].anyOf[0].type: Forbidden: must be empty to be structural"],
            Problems(Crd("{type: object, properties: {spec: {type: object, anyOf: [{type: object}, {required: [a]}]}}}")));
        Assert.Equal(
            ["spec.versions[0].schema.openAPIV3Schema.properties[spec].properties[x]: Required value: because it is defined in spec.versions[0].schema.openAPIV3Schema.properties[spec].allOf[0].properties[x]"],
            Problems(Crd("{type: object, properties: {spec: {type: object, allOf: [{properties: {x: {minimum: 1}}}]}}}")));
    }

    [Fact]
    public void KeywordsKubernetesDoesNotSupport_AreRefused()
    {
        Assert.Equal(
            ["spec.versions[0].schema.openAPIV3Schema.properties[spec].properties[list].uniqueItems: Forbidden: uniqueItems cannot be set to true since the runtime complexity becomes quadratic"],
            Problems(Crd("{type: object, properties: {spec: {type: object, properties: {list: {type: array, items: {type: string}, uniqueItems: true}}}}}")));
        Assert.Equal(
            ["spec.versions[0].schema.openAPIV3Schema.properties[spec].$ref: Forbidden: $ref is not supported"],
            Problems(Crd("{type: object, properties: {spec: {type: object, $ref: '#/x'}}}")));
        Assert.Equal(
            ["spec.versions[0].schema.openAPIV3Schema.properties[spec].additionalProperties: Forbidden: additionalProperties and properties are mutual exclusive"],
            Problems(Crd("{type: object, properties: {spec: {type: object, properties: {a: {type: string}}, additionalProperties: {type: string}}}}")));
    }

    [Fact]
    public void Defaults_MustBeValid_AndPruned()
    {
        // The default is validated on its own, so kube-openapi's name is empty: hence "Invalid value: ...:  in body".
        Assert.Equal(
            ["spec.versions[0].schema.openAPIV3Schema.properties[spec].properties[n].default: Invalid value: \"string\":  in body must be of type integer: \"string\""],
            Problems(Crd("{type: object, properties: {spec: {type: object, properties: {n: {type: integer, default: three}}}}}")));
        Assert.Equal(
            ["spec.versions[0].schema.openAPIV3Schema.properties[spec].default.name: Required value"],
            Problems(Crd("{type: object, properties: {spec: {type: object, default: {}, required: [name], properties: {name: {type: string}}}}}")));
        Assert.Equal(
            ["spec.versions[0].schema.openAPIV3Schema.properties[spec].default: Invalid value: {\"a\":\"x\",\"b\":\"y\"}: must not have unknown fields"],
            Problems(Crd("{type: object, properties: {spec: {type: object, default: {a: x, b: y}, properties: {a: {type: string}}}}}")));
    }

    [Fact]
    public void Patterns_MustCompileAsGoRegularExpressions()
    {
        var problems = Problems(Crd("{type: object, properties: {spec: {type: object, properties: {s: {type: string, pattern: '^(?=a)b$'}}}}}"));
        var problem = Assert.Single(problems);
        Assert.StartsWith("spec.versions[0].schema.openAPIV3Schema.properties[spec].properties[s].pattern: Invalid value: \"^(?=a)b$\": must be a valid regular expression, but isn't: error parsing regexp: invalid or unsupported Perl syntax: `(?=`", problem, StringComparison.Ordinal);
    }

    [Fact]
    public void ListTypeMap_NeedsKeys_AndKeysMustBeRequiredOrDefaulted()
    {
        Assert.Equal(
            ["spec.versions[0].schema.openAPIV3Schema.properties[spec].properties[ports].x-kubernetes-list-map-keys: Required value: must not be empty if x-kubernetes-list-type is map"],
            Problems(Crd("{type: object, properties: {spec: {type: object, properties: {ports: {type: array, x-kubernetes-list-type: map, items: {type: object, properties: {name: {type: string}}}}}}}}")));
        Assert.Equal(
            ["spec.versions[0].schema.openAPIV3Schema.properties[spec].properties[ports].items.properties[name].default: Required value: this property is in x-kubernetes-list-map-keys, so it must have a default or be a required property"],
            Problems(Crd("{type: object, properties: {spec: {type: object, properties: {ports: {type: array, x-kubernetes-list-type: map, x-kubernetes-list-map-keys: [name], items: {type: object, properties: {name: {type: string}}}}}}}}")));
    }

    [Fact]
    public void MalformedKeywords_AreReported()
    {
        Assert.Equal(
            ["spec.versions[0].schema.openAPIV3Schema.properties[spec].properties[n].minimum: Invalid value: \"one\": must be a number"],
            Problems(Crd("{type: object, properties: {spec: {type: object, properties: {n: {type: integer, minimum: one}}}}}")));
    }

    [Fact]
    public void StructuralSchemaParse_IsLenient_ButRefusesMalformedSchemas()
    {
        // uniqueItems is forbidden in CRDs but supported by the validator on its own.
        var schema = TestYaml.Schema("{type: array, items: {type: string}, uniqueItems: true}");
        Assert.Single(SchemaValidator.Validate(TestYaml.Value("[a, a]"), schema));

        var e = Assert.Throws<KratixException>(() => TestYaml.Schema("{type: object, properties: {s: {type: string, pattern: '(a'}}}"));
        Assert.Equal("InvalidSchema", e.ErrorId);
        Assert.Contains("openAPIV3Schema.properties[s].pattern", e.Message, StringComparison.Ordinal);
    }
}
