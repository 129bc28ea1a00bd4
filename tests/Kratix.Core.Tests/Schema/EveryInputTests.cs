using System.Text.Json.Nodes;
using Kratix.Schema;

namespace Kratix.Tests.Schema;

/// <summary>
/// Inputs at the edges, each with the API server's answer at the right field: metadata of the wrong type (Go's
/// json decoding errors, answered 400), ObjectMeta as ValidateObjectMetaAccessor checks it (owner references, finalizers,
/// generateName, labels, annotations and their size, managed fields; cases from apimachinery's objectmeta_test.go),
/// numbers the decoder cannot hold, and an apiVersion or kind that is not a string.
/// </summary>
public class EveryInputTests
{
    private static readonly CustomResourceDefinition Crd = CustomResourceDefinition.Parse(TestYaml.Obj(
        "{apiVersion: apiextensions.k8s.io/v1, kind: CustomResourceDefinition, metadata: {name: things.example.com}, spec: {group: example.com, names: {kind: Thing, plural: things}, scope: Namespaced, versions: [{name: v1, served: true, storage: true, schema: {openAPIV3Schema: {type: object, properties: {spec: {type: object, properties: {n: {type: integer, format: int32}, x: {type: number}, t: {type: object, x-kubernetes-embedded-resource: true, x-kubernetes-preserve-unknown-fields: true}}}}}}}]}}"));

    private const string Prefix = "Thing in version \"v1\" cannot be handled as a Thing: ";

    private static ValidationResult Validate(string metadata, string spec = "{}", FieldValidationMode mode = FieldValidationMode.Strict) =>
        RequestValidator.Validate(
            (JsonObject)JsonNode.Parse("{\"apiVersion\": \"example.com/v1\", \"kind\": \"Thing\", \"metadata\": " + metadata + ", \"spec\": " + spec + "}")!,
            Crd,
            new RequestValidationOptions { FieldValidation = mode });

    private static string[] Errors(ValidationResult r) => r.Errors.Select(e => e.ToString()).ToArray();

    [Theory]
    [InlineData("\"a-string\"", "json: cannot unmarshal string into Go value of type v1.ObjectMeta")]
    [InlineData("[\"a\", \"list\"]", "json: cannot unmarshal array into Go value of type v1.ObjectMeta")]
    [InlineData("42", "json: cannot unmarshal number into Go value of type v1.ObjectMeta")]
    [InlineData("true", "json: cannot unmarshal bool into Go value of type v1.ObjectMeta")]
    [InlineData("{\"name\": 5, \"namespace\": \"d\"}", "json: cannot unmarshal number into Go struct field ObjectMeta.name of type string")]
    [InlineData("{\"name\": \"a\", \"namespace\": [\"d\"]}", "json: cannot unmarshal array into Go struct field ObjectMeta.namespace of type string")]
    [InlineData("{\"name\": \"a\", \"uid\": 1}", "json: cannot unmarshal number into Go struct field ObjectMeta.uid of type types.UID")]
    [InlineData("{\"name\": \"a\", \"labels\": \"app\"}", "json: cannot unmarshal string into Go struct field ObjectMeta.labels of type map[string]string")]
    [InlineData("{\"name\": \"a\", \"labels\": {\"app\": 1}}", "json: cannot unmarshal number into Go struct field ObjectMeta.labels of type string")]
    [InlineData("{\"name\": \"a\", \"finalizers\": \"f\"}", "json: cannot unmarshal string into Go struct field ObjectMeta.finalizers of type []string")]
    [InlineData("{\"name\": \"a\", \"generation\": 1.5}", "json: cannot unmarshal number 1.5 into Go struct field ObjectMeta.generation of type int64")]
    [InlineData("{\"name\": \"a\", \"generation\": \"1\"}", "json: cannot unmarshal string into Go struct field ObjectMeta.generation of type int64")]
    [InlineData("{\"name\": \"a\", \"ownerReferences\": {}}", "json: cannot unmarshal object into Go struct field ObjectMeta.ownerReferences of type []v1.OwnerReference")]
    [InlineData("{\"name\": \"a\", \"ownerReferences\": [\"x\"]}", "json: cannot unmarshal string into Go struct field ObjectMeta.ownerReferences of type v1.OwnerReference")]
    [InlineData("{\"name\": \"a\", \"ownerReferences\": [{\"controller\": \"yes\"}]}", "json: cannot unmarshal string into Go struct field OwnerReference.ownerReferences.controller of type bool")]
    [InlineData("{\"name\": \"a\", \"managedFields\": [{\"operation\": 1}]}", "json: cannot unmarshal number into Go struct field ManagedFieldsEntry.managedFields.operation of type v1.ManagedFieldsOperationType")]
    [InlineData("{\"name\": \"a\", \"creationTimestamp\": 5}", "json: cannot unmarshal number into Go value of type string")]
    [InlineData("{\"name\": \"a\", \"creationTimestamp\": \"yesterday\"}", "parsing time \"yesterday\" as \"2006-01-02T15:04:05Z07:00\": cannot parse \"yesterday\" as \"2006\"")]
    [InlineData("{\"name\": \"a\", \"creationTimestamp\": \"2024-13-01T00:00:00Z\"}", "parsing time \"2024-13-01T00:00:00Z\": month out of range")]
    [InlineData("{\"name\": \"a\", \"deletionTimestamp\": \"2024-01-01 00:00:00Z\"}", "parsing time \"2024-01-01 00:00:00Z\" as \"2006-01-02T15:04:05Z07:00\": cannot parse \" 00:00:00Z\" as \"T\"")]
    [InlineData("{\"zeta\": 1, \"name\": 5, \"annotations\": {\"a\": false}}", "json: cannot unmarshal bool into Go struct field ObjectMeta.annotations of type string")]
    public void Metadata_ThatDoesNotDecode_IsABadRequest(string metadata, string error)
    {
        foreach (var mode in Enum.GetValues<FieldValidationMode>())
        {
            var result = Validate(metadata, mode: mode);
            Assert.False(result.IsValid);
            Assert.Empty(result.Errors);
            Assert.Equal(Prefix + error, result.DecodeError);
        }
    }

    [Fact]
    public void NullMetadata_IsAnEmptyObjectMeta()
    {
        var result = Validate("null");
        Assert.Equal(["metadata.name: Required value: name or generateName is required", "metadata.namespace: Required value"], Errors(result));
    }

    [Fact]
    public void UnknownFields_InsideOwnerReferencesAndManagedFields_AreUnknownFields_InTheOrderTheServerFindsThem()
    {
        var result = Validate(
            "{\"zz\": 1, \"name\": \"a\", \"namespace\": \"d\", \"ownerReferences\": [{\"apiVersion\": \"v1\", \"kind\": \"K\", \"name\": \"n\", \"uid\": \"u\", \"colour\": 1}], \"aa\": 2}",
            mode: FieldValidationMode.Warn);
        Assert.True(result.IsValid, result.ToString());
        Assert.Equal(["unknown field \"metadata.aa\"", "unknown field \"metadata.ownerReferences[0].colour\"", "unknown field \"metadata.zz\""], result.Warnings);
    }

    [Fact]
    public void OwnerReferences_NeedEveryField_IncludingUid()
    {
        var result = Validate("{\"name\": \"a\", \"namespace\": \"d\", \"ownerReferences\": [{\"apiVersion\": \"example.com/\"}]}");
        Assert.Equal(
            [
                "metadata.ownerReferences.apiVersion: Invalid value: \"example.com/\": version must not be empty",
                "metadata.ownerReferences.kind: Invalid value: \"\": must not be empty",
                "metadata.ownerReferences.name: Invalid value: \"\": must not be empty",
                "metadata.ownerReferences.uid: Invalid value: \"\": must not be empty",
            ],
            Errors(result));
        Assert.Empty(Errors(Validate("{\"name\": \"a\", \"namespace\": \"d\", \"ownerReferences\": [{\"apiVersion\": \"customresourceVersion\", \"kind\": \"customresourceKind\", \"name\": \"name\", \"uid\": \"1\"}]}")));
    }

    [Fact]
    public void OwnerReferences_AnEventOwner_AndTwoControllers_AreRefused()
    {
        var result = Validate("{\"name\": \"a\", \"namespace\": \"d\", \"ownerReferences\": [{\"apiVersion\": \"v1\", \"kind\": \"Event\", \"name\": \"name\", \"uid\": \"1\"}]}");
        Assert.Equal(["metadata.ownerReferences: Invalid value: {\"apiVersion\":\"v1\",\"kind\":\"Event\",\"name\":\"name\",\"uid\":\"1\"}: /v1, Kind=Event is disallowed from being an owner"], Errors(result));

        result = Validate("{\"name\": \"a\", \"namespace\": \"d\", \"ownerReferences\": [{\"apiVersion\": \"v\", \"kind\": \"customresourceKind2\", \"name\": \"name\", \"uid\": \"2\", \"controller\": true}, {\"apiVersion\": \"v\", \"kind\": \"customresourceKind3\", \"name\": \"name\", \"uid\": \"3\", \"controller\": true}]}");
        var error = Assert.Single(Errors(result));
        Assert.EndsWith("Only one reference can have Controller set to true. Found \"true\" in references for customresourceKind2/name and customresourceKind3/name", error, StringComparison.Ordinal);
        Assert.StartsWith("metadata.ownerReferences: Invalid value: [{\"apiVersion\":\"v\",\"kind\":\"customresourceKind2\",\"name\":\"name\",\"uid\":\"2\",\"controller\":true},", error, StringComparison.Ordinal);
    }

    [Fact]
    public void Finalizers_GenerateName_Labels_Annotations_AndManagedFields()
    {
        Assert.Equal(
            ["metadata.finalizers: Invalid value: [\"orphan\",\"foregroundDeletion\"]: finalizer orphan and foregroundDeletion cannot be both set"],
            Errors(Validate("{\"name\": \"a\", \"namespace\": \"d\", \"finalizers\": [\"orphan\", \"foregroundDeletion\"]}")));
        Assert.StartsWith(
            "metadata.finalizers: Invalid value: \"a/b/c\": a valid label key",
            Assert.Single(Errors(Validate("{\"name\": \"a\", \"namespace\": \"d\", \"finalizers\": [\"a/b/c\"]}"))),
            StringComparison.Ordinal);

        // TestValidateObjectMetaTrimsTrailingDash: a generateName ending in '-' is checked without it.
        Assert.Empty(Errors(Validate("{\"generateName\": \"foo-\", \"namespace\": \"d\"}")));
        Assert.StartsWith(
            "metadata.generateName: Invalid value: \"Foo-\": a lowercase RFC 1123 subdomain",
            Errors(Validate("{\"generateName\": \"Foo-\", \"namespace\": \"d\"}"))[0],
            StringComparison.Ordinal);

        // Label values count bytes: 32 two-byte characters are 64 bytes.
        var labelErrors = Errors(Validate("{\"name\": \"a\", \"namespace\": \"d\", \"labels\": {\"k\": \"" + new string('é', 32) + "\"}}"));
        Assert.Equal(2, labelErrors.Length);
        Assert.EndsWith("must be no more than 63 bytes", labelErrors[0], StringComparison.Ordinal);

        // The annotations' total size: keys and values, in bytes, at most 256 KiB.
        var big = new string('x', (256 * 1024) - 1);
        Assert.Empty(Errors(Validate("{\"name\": \"a\", \"namespace\": \"d\", \"annotations\": {\"k\": \"" + big + "\"}}")));
        Assert.Equal(
            ["metadata.annotations: Too long: may not be more than 262144 bytes"],
            Errors(Validate("{\"name\": \"a\", \"namespace\": \"d\", \"annotations\": {\"kk\": \"" + big + "\"}}")));

        Assert.Equal(
            [
                "metadata.managedFields[0].operation: Invalid value: \"Delete\": must be `Apply` or `Update`",
                "metadata.managedFields[0].fieldsType: Invalid value: \"FieldsV2\": must be `FieldsV1`",
                "metadata.managedFields[0].manager: Invalid value: \"a\\a\": invalid character U+0007 (at position 1)",
            ],
            Errors(Validate("{\"name\": \"a\", \"namespace\": \"d\", \"managedFields\": [{\"operation\": \"Delete\", \"fieldsType\": \"FieldsV2\", \"manager\": \"a\\u0007\"}]}")));
    }

    [Fact]
    public void EmbeddedMetadata_ThatDoesNotDecode_IsABadRequest_AtItsField()
    {
        var result = Validate("{\"name\": \"a\", \"namespace\": \"d\"}", "{\"t\": {\"apiVersion\": \"v1\", \"kind\": \"ConfigMap\", \"metadata\": \"x\"}}");
        Assert.Equal(Prefix + "spec.t.metadata: Invalid value: \"x\": json: cannot unmarshal string into Go value of type v1.ObjectMeta", result.DecodeError);

        result = Validate("{\"name\": \"a\", \"namespace\": \"d\"}", "{\"t\": {\"apiVersion\": 1, \"kind\": \"ConfigMap\"}}");
        Assert.Equal(Prefix + "spec.t.apiVersion: Invalid value: 1: must be a string", result.DecodeError);
    }

    [Fact]
    public void AnApiVersionOrKindThatIsNotAString_IsUnrecognized()
    {
        var request = (JsonObject)JsonNode.Parse("{\"kind\": 5, \"apiVersion\": \"example.com/v1\", \"metadata\": {\"name\": \"a\"}}")!;
        var result = RequestValidator.Validate(request, Crd);
        Assert.Equal(
            "the object provided is unrecognized (must be of type Thing): json: cannot unmarshal number into Go struct field .kind of type string ({\"apiVersion\":\"example.com/v1\" ...)",
            result.DecodeError);
    }

    [Fact]
    public void NumbersBeyondInt64AndFloat64()
    {
        // Beyond int64 the decoder keeps a float64: not an integer any more.
        var result = Validate("{\"name\": \"a\", \"namespace\": \"d\"}", "{\"n\": 99999999999999999999}");
        Assert.Contains("spec.n: Invalid value: \"float64\": spec.n in body must be of type int32: \"float64\"", Errors(result));
        Assert.Contains("<nil>: Invalid value: \"\": Checked value must be of type integer with format int32 in spec.n", Errors(result));

        // Beyond float64: kubectl cannot even encode the value.
        var request = (JsonObject)JsonNode.Parse("{\"apiVersion\": \"example.com/v1\", \"kind\": \"Thing\", \"metadata\": {\"name\": \"a\", \"namespace\": \"d\"}, \"spec\": {}}")!;
        request["spec"]!["x"] = double.PositiveInfinity;
        Assert.Equal("json: unsupported value: +Inf", RequestValidator.Validate(request, Crd).DecodeError);
    }
}
