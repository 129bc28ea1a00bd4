using System.Text.Json.Nodes;
using Kratix.Schema;

namespace Kratix.Tests.Schema;

/// <summary>ApiServerAdmission: the API server's own rules, without Kratix's additions to Promise APIs.</summary>
public sealed class ApiServerAdmissionTests
{
    private static StructuralSchema Schema(string yaml)
    {
        var errors = new List<FieldError>();
        var schema = ApiServerAdmission.ParseCrdSchema(TestYaml.Obj(yaml), "openAPIV3Schema", errors);
        Assert.Empty(errors);
        return schema!;
    }

    [Fact]
    public void A_cluster_scoped_object_may_not_have_a_namespace_and_its_name_may_be_long()
    {
        var schema = Schema("""
            type: object
            properties:
              spec: {type: object, properties: {size: {type: integer, default: 3}}}
            """);
        var obj = TestYaml.Obj($$"""
            apiVersion: example.com/v1
            kind: Thing
            metadata: {name: {{new string('a', 100)}}, namespace: default, bogus: 1}
            spec: {extra: true}
            """);
        var result = ApiServerAdmission.AdmitCustomResource(obj, schema, namespaced: false);
        Assert.Equal(["metadata.namespace: Forbidden: not allowed on this type"], result.Errors.Select(e => e.ToString()));
        Assert.Equal(["unknown field \"metadata.bogus\"", "unknown field \"spec.extra\""], result.Warnings);
        Assert.Equal(3, obj["spec"]!["size"]!.GetValue<long>());
    }

    [Fact]
    public void A_namespaced_object_needs_its_namespace_and_status_is_validated()
    {
        var schema = Schema("""
            type: object
            properties:
              status: {type: object, required: [phase], properties: {phase: {type: string}}}
            """);
        var obj = TestYaml.Obj("""
            apiVersion: example.com/v1
            kind: Thing
            metadata: {name: x}
            status: {}
            """);
        var result = ApiServerAdmission.AdmitCustomResource(obj, schema, namespaced: true);
        Assert.Equal(["metadata.namespace: Required value", "status.phase: Required value"], result.Errors.Select(e => e.ToString()));
    }

    [Fact]
    public void A_crd_schema_breaking_the_structural_rules_is_refused_with_paths()
    {
        var errors = new List<FieldError>();
        var schema = ApiServerAdmission.ParseCrdSchema(TestYaml.Obj("""
            type: object
            properties:
              spec: {properties: {a: {type: string}}}
            """), "spec.versions[0].schema.openAPIV3Schema", errors);
        Assert.Null(schema);
        Assert.Contains(errors, e => e.Field == "spec.versions[0].schema.openAPIV3Schema.properties[spec].type" && e.Type == FieldErrorType.Required);
    }
}
