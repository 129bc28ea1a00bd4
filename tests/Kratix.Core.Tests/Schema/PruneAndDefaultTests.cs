using System.Text.Json.Nodes;
using Kratix.Schema;

namespace Kratix.Tests.Schema;

public class PruneAndDefaultTests
{
    [Fact]
    public void Prune_RemovesUnknownFields_AndReportsSortedPaths()
    {
        var schema = TestYaml.Schema("{type: object, properties: {spec: {type: object, properties: {name: {type: string}, list: {type: array, items: {type: object, properties: {a: {type: string}}}}}}}}");
        var value = TestYaml.Obj("{apiVersion: g/v1, kind: K, metadata: {name: x}, spec: {zeta: 1, name: n, list: [{a: x, b: y}], alpha: 2}, extra: true}");

        var pruned = SchemaPruner.Prune(value, schema, isResourceRoot: true);

        Assert.Equal(["extra", "spec.alpha", "spec.list[0].b", "spec.zeta"], pruned);
        Assert.Equal("{\"apiVersion\":\"g/v1\",\"kind\":\"K\",\"metadata\":{\"name\":\"x\"},\"spec\":{\"name\":\"n\",\"list\":[{\"a\":\"x\"}]}}", value.ToJsonString());
    }

    [Fact]
    public void Prune_NotAtResourceRoot_PrunesApiVersionKindMetadataToo()
    {
        var schema = TestYaml.Schema("{type: object, properties: {a: {type: string}}}");
        var value = TestYaml.Obj("{a: x, kind: K, b: y}");

        // Upstream deletes a top-level kind but, like the API server, does not report it (only "b" is reported).
        Assert.Equal(["b"], SchemaPruner.Prune(value, schema));
        Assert.Equal("{\"a\":\"x\"}", value.ToJsonString());
    }

    [Fact]
    public void PreserveUnknownFields_KeepsEverything_ButStillPrunesBelowSpecifiedProperties()
    {
        var schema = TestYaml.Schema("{type: object, properties: {spec: {type: object, x-kubernetes-preserve-unknown-fields: true, properties: {known: {type: object, properties: {a: {type: string}}}}}}}");
        var value = TestYaml.Obj("{spec: {anything: {deep: [1, 2]}, known: {a: x, b: y}}}");

        var pruned = SchemaPruner.Prune(value, schema);

        Assert.Equal(["spec.known.b"], pruned);
        Assert.Equal("{\"spec\":{\"anything\":{\"deep\":[1,2]},\"known\":{\"a\":\"x\"}}}", value.ToJsonString());
    }

    [Fact]
    public void EmbeddedResource_KeepsApiVersionKindAndMetadata()
    {
        var schema = TestYaml.Schema("{type: object, properties: {template: {type: object, x-kubernetes-embedded-resource: true, properties: {spec: {type: string}}}}}");
        var value = TestYaml.Obj("{template: {apiVersion: v1, kind: ConfigMap, metadata: {name: x}, spec: s, other: o}}");
        Assert.Equal(["template.other"], SchemaPruner.Prune(value, schema));
        Assert.NotNull(value["template"]!["metadata"]);
    }

    [Fact]
    public void Prune_MapValues_ArePrunedByAdditionalProperties()
    {
        var schema = TestYaml.Schema("{type: object, properties: {m: {type: object, additionalProperties: {type: object, properties: {a: {type: string}}}}}}");
        var value = TestYaml.Obj("{m: {k1: {a: x, b: y}}}");
        Assert.Equal(["m.k1.b"], SchemaPruner.Prune(value, schema));
    }

    [Fact]
    public void PruneNulls_DropsNonNullableNullsWithoutDefaults_Only()
    {
        var schema = TestYaml.Schema("{type: object, properties: {a: {type: string}, b: {type: string, nullable: true}, c: {type: string, default: x}}}");
        var value = TestYaml.Obj("{a: null, b: null, c: null}");
        SchemaPruner.PruneNonNullableNullsWithoutDefaults(value, schema);
        Assert.Equal("{\"b\":null,\"c\":null}", value.ToJsonString());
    }

    [Fact]
    public void Default_FillsMissingFields_AndNonNullableNulls()
    {
        var schema = TestYaml.Schema("{type: object, properties: {size: {type: string, default: small}, n: {type: integer, default: 3}, b: {type: string, nullable: true, default: d}, c: {type: string, default: e}}}");
        var value = TestYaml.Obj("{n: 5, b: null, c: null}");
        SchemaDefaulter.Default(value, schema);
        Assert.Equal("{\"n\":5,\"b\":null,\"c\":\"e\",\"size\":\"small\"}", value.ToJsonString());
    }

    [Fact]
    public void Default_IsAppliedTopDown_SoDefaultedObjectsGetNestedDefaults()
    {
        var schema = TestYaml.Schema("{type: object, properties: {spec: {type: object, default: {}, properties: {size: {type: string, default: small}, db: {type: object, default: {engine: pg}, properties: {engine: {type: string}, version: {type: integer, default: 16}}}}}}}");
        var value = new JsonObject();
        SchemaDefaulter.Default(value, schema);
        Assert.Equal("{\"spec\":{\"size\":\"small\",\"db\":{\"engine\":\"pg\",\"version\":16}}}", value.ToJsonString());
    }

    [Fact]
    public void Default_AppliesToEveryArrayItem_AndNullItems()
    {
        var schema = TestYaml.Schema("{type: object, properties: {ports: {type: array, items: {type: object, default: {port: 80}, properties: {port: {type: integer}, protocol: {type: string, default: TCP}}}}}}");
        var value = TestYaml.Obj("{ports: [{port: 443}, null, {port: 53, protocol: UDP}]}");
        SchemaDefaulter.Default(value, schema);
        Assert.Equal("{\"ports\":[{\"port\":443,\"protocol\":\"TCP\"},{\"port\":80,\"protocol\":\"TCP\"},{\"port\":53,\"protocol\":\"UDP\"}]}", value.ToJsonString());
    }

    [Fact]
    public void Default_IsDeepCopied_SoTheSchemaNeverChanges()
    {
        var schema = TestYaml.Schema("{type: object, properties: {tags: {type: array, items: {type: string}, default: [a]}}}");
        var first = new JsonObject();
        SchemaDefaulter.Default(first, schema);
        first["tags"]!.AsArray().Add("b");
        var second = new JsonObject();
        SchemaDefaulter.Default(second, schema);
        Assert.Equal("{\"tags\":[\"a\"]}", second.ToJsonString());
    }

    [Fact]
    public void Defaults_ArePrunedWhenTheSchemaIsParsed()
    {
        var schema = TestYaml.Schema("{type: object, properties: {db: {type: object, default: {engine: pg, bogus: 1}, properties: {engine: {type: string}}}}}");
        Assert.Equal("{\"engine\":\"pg\"}", schema.Root.Properties["db"].Default!.ToJsonString());
    }

    [Fact]
    public void Default_MapValuesThatAreNull_GetTheValueDefault()
    {
        var schema = TestYaml.Schema("{type: object, properties: {m: {type: object, additionalProperties: {type: string, default: v}}}}");
        var value = TestYaml.Obj("{m: {a: null, b: x}}");
        SchemaDefaulter.Default(value, schema);
        Assert.Equal("{\"m\":{\"a\":\"v\",\"b\":\"x\"}}", value.ToJsonString());
    }
}
