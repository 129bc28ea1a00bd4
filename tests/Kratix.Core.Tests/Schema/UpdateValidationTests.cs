using System.Text.Json.Nodes;
using Kratix.Schema;

namespace Kratix.Tests.Schema;

/// <summary>
/// An update as the API server validates one: rest.BeforeUpdate's carry-over, ValidateObjectMetaAccessorUpdate
/// (apimachinery objectmeta.go, v0.36.3) and CRD validation ratcheting (schema errors on unchanged values are dropped,
/// failed CEL rules on unchanged values are warnings).
/// </summary>
public class UpdateValidationTests
{
    private static CustomResourceDefinition Crd(string specSchema) => CustomResourceDefinition.Parse(TestYaml.Obj(
        "{apiVersion: apiextensions.k8s.io/v1, kind: CustomResourceDefinition, metadata: {name: things.example.com}, spec: {group: example.com, names: {kind: Thing, plural: things}, scope: Namespaced, versions: [{name: v1, served: true, storage: true, schema: {openAPIV3Schema: {type: object, properties: {spec: " + specSchema + "}}}}]}}"));

    private static JsonObject Obj(string spec, string meta = "\"name\": \"a\", \"namespace\": \"d\"") =>
        (JsonObject)JsonNode.Parse("{\"apiVersion\": \"example.com/v1\", \"kind\": \"Thing\", \"metadata\": {" + meta + "}, \"spec\": " + spec + "}")!;

    private static JsonObject Stored(string spec, string extraMeta = "") =>
        Obj(spec, "\"name\": \"a\", \"namespace\": \"d\", \"uid\": \"u-1\", \"resourceVersion\": \"3\", \"generation\": 2, \"creationTimestamp\": \"2026-01-01T00:00:00Z\"" + extraMeta);

    private static ValidationResult Update(CustomResourceDefinition crd, JsonObject request, JsonObject old) =>
        RequestValidator.Validate(request, crd, new RequestValidationOptions { OldObject = old });

    [Fact]
    public void SystemFields_AreTakenFromTheStoredObject_AndAnUpdateWithoutThemIsValid()
    {
        var crd = Crd("{type: object, properties: {n: {type: integer}}}");
        var request = Obj("{\"n\": 1}");
        var result = Update(crd, request, Stored("{\"n\": 0}"));
        Assert.Empty(result.Errors);
        Assert.Equal("u-1", request["metadata"]!["uid"]!.GetValue<string>());
        Assert.Equal("2026-01-01T00:00:00Z", request["metadata"]!["creationTimestamp"]!.GetValue<string>());
    }

    [Fact]
    public void AnotherUid_IsImmutable()
    {
        var crd = Crd("{type: object, properties: {n: {type: integer}}}");
        var result = Update(crd, Obj("{\"n\": 1}", "\"name\": \"a\", \"namespace\": \"d\", \"uid\": \"u-2\""), Stored("{\"n\": 0}"));
        Assert.Equal(["metadata.uid: Invalid value: \"u-2\": field is immutable"], result.Errors.Select(e => e.ToString()));
    }

    [Fact]
    public void NoNewFinalizers_OnceTheObjectIsBeingDeleted()
    {
        var crd = Crd("{type: object}");
        var old = Stored("{}", ", \"deletionTimestamp\": \"2026-02-01T00:00:00Z\", \"finalizers\": [\"example.com/a\"]");
        var result = Update(crd, Obj("{}", "\"name\": \"a\", \"namespace\": \"d\", \"finalizers\": [\"example.com/a\", \"example.com/b\"]"), old);
        Assert.Equal(["metadata.finalizers: Forbidden: no new finalizers can be added if the object is being deleted, found new finalizers [\"example.com/b\"]"], result.Errors.Select(e => e.ToString()));
    }

    [Fact]
    public void Ratcheting_AnUnchangedInvalidField_DoesNotFailTheUpdate()
    {
        // The schema tightened after the request was stored: maxLength 3 on a value of 5 characters.
        var crd = Crd("{type: object, properties: {s: {type: string, maxLength: 3}, n: {type: integer, maximum: 10}, l: {type: array, items: {type: integer, maximum: 5}}}}");
        var old = Stored("{\"s\": \"abcde\", \"n\": 1, \"l\": [9]}");
        Assert.Empty(Update(crd, Obj("{\"s\": \"abcde\", \"n\": 2, \"l\": [9]}"), old).Errors);

        // A changed value is validated.
        Assert.Equal(
            ["spec.s: Too long: may not be more than 3 bytes"],
            Update(crd, Obj("{\"s\": \"abcdef\", \"n\": 2, \"l\": [9]}"), old).Errors.Select(e => e.ToString()));

        // Items of a list that is not a map list are unchanged only with their whole list.
        Assert.Contains(
            "spec.l[0]: Invalid value: 9: spec.l[0] in body should be less than or equal to 5",
            Update(crd, Obj("{\"s\": \"abc\", \"n\": 2, \"l\": [9, 1]}"), old).Errors.Select(e => e.ToString()));

        // A create is not ratcheted.
        Assert.NotEmpty(RequestValidator.Validate(Obj("{\"s\": \"abcde\"}"), crd).Errors);
    }

    [Fact]
    public void Ratcheting_AFailedRuleOnAnUnchangedValue_IsAWarning()
    {
        var crd = Crd("{type: object, properties: {s: {type: string, maxLength: 10, x-kubernetes-validations: [{rule: \"self != 'bad'\"}]}, t: {type: string}}}");
        var old = Stored("{\"s\": \"bad\", \"t\": \"x\"}");
        var result = Update(crd, Obj("{\"s\": \"bad\", \"t\": \"y\"}"), old);
        Assert.Empty(result.Errors);
        Assert.Contains("spec.s: Invalid value: \"bad\": failed rule: self != 'bad'", result.Warnings);

        var changed = Update(crd, Obj("{\"s\": \"bad\", \"t\": \"y\"}"), Stored("{\"s\": \"good\", \"t\": \"x\"}"));
        Assert.Equal(["spec.s: Invalid value: \"bad\": failed rule: self != 'bad'"], changed.Errors.Select(e => e.ToString()));
    }
}
