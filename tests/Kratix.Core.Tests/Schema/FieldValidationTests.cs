using System.Text.Json.Nodes;
using Kratix.Manifests;
using Kratix.Schema;

namespace Kratix.Tests.Schema;

/// <summary>
/// The three fieldValidation modes, ported from Kubernetes' test/integration/apiserver/field_validation_test.go
/// (testFieldValidationPostCRD and testFieldValidationPostCRDSchemaless): the same CRD schema, the same bodies with
/// duplicate keys and unknown fields in JSON and YAML, and the same expected errors and warnings, word for word.
/// </summary>
public class FieldValidationTests
{
    // crdSchemaBase, with x-kubernetes-preserve-unknown-fields on spec for the schemaless variant.
    private static CustomResourceDefinition Crd(bool schemaless) => CustomResourceDefinition.Parse(TestYaml.Obj($$"""
        apiVersion: apiextensions.k8s.io/v1
        kind: CustomResourceDefinition
        metadata: {name: noxus.mygroup.example.com}
        spec:
          group: mygroup.example.com
          names: {kind: Noxu, plural: noxus}
          scope: Namespaced
          versions:
          - name: v1beta1
            served: true
            storage: true
            schema:
              openAPIV3Schema:
                type: object
                properties:
                  spec:
                    type: object
                    {{(schemaless ? "x-kubernetes-preserve-unknown-fields: true" : "")}}
                    properties:
                      cronSpec: {type: string, pattern: '^(\d+|\*)(/\d+)?(\s+(\d+|\*)(/\d+)?){4}$'}
                      knownField1: {type: string}
                      embeddedObj:
                        x-kubernetes-embedded-resource: true
                        type: object
                        properties:
                          apiversion: {type: string}
                          kind: {type: string}
                          metadata: {type: object}
                      ports:
                        type: array
                        x-kubernetes-list-map-keys: [containerPort, protocol]
                        x-kubernetes-list-type: map
                        items:
                          type: object
                          required: [containerPort, protocol]
                          properties:
                            containerPort: {format: int32, type: integer}
                            hostIP: {type: string}
                            hostPort: {format: int32, type: integer}
                            name: {type: string}
                            protocol: {type: string}
        """));

    // crdInvalidBody (a namespace added: Kratix APIs are namespaced).
    private const string InvalidJson = """

        {
        	"apiVersion": "mygroup.example.com/v1beta1",
        	"kind": "Noxu",
        	"metadata": {
        		"name": "dupename",
        		"name": "crd-post-strict-validation",
        		"unknownMeta": "metaVal",
        		"namespace": "default"
        	},
        	"spec": {
        		"unknown1": "val1",
        		"unknownDupe": "valDupe",
        		"unknownDupe": "valDupe2",
        		"knownField1": "val1",
        		"knownField1": "val2",
        			"ports": [{
        				"name": "portName",
        				"containerPort": 8080,
        				"protocol": "TCP",
        				"hostPort": 8081,
        				"hostPort": 8082,
        				"unknownNested": "val"
        			}],
        		"embeddedObj": {
        			"apiVersion": "v1",
        			"kind": "ConfigMap",
        			"metadata": {
        				"name": "my-cm",
        				"namespace": "my-ns",
        				"unknownEmbeddedMeta": "foo"
        			}
        		}
        	}
        }
        """;

    // crdInvalidBodyYAML (namespace in place of resourceVersion, so the lines are upstream's).
    private const string InvalidYaml = """

        apiVersion: "mygroup.example.com/v1beta1"
        kind: "Noxu"
        metadata:
          name: dupename
          name: "crd-post-strict-validation"
          namespace: "default"
          unknownMeta: metaVal
        spec:
          unknown1: val1
          unknownDupe: valDupe
          unknownDupe: valDupe2
          knownField1: val1
          knownField1: val2
          ports:
          - name: portName
            containerPort: 8080
            protocol: TCP
            hostPort: 8081
            hostPort: 8082
            unknownNested: val
          embeddedObj:
            apiVersion: v1
            kind: ConfigMap
            metadata:
              name: my-cm
              namespace: my-ns
              unknownEmbeddedMeta: foo
        """;

    private static (JsonObject Request, ValidationResult Result) Validate(string body, FieldValidationMode mode, bool schemaless = false)
    {
        var document = ManifestReader.Recording.ReadString(body, "body").Single();
        var request = (JsonObject)document.Content!;
        var result = RequestValidator.Validate(request, Crd(schemaless), new RequestValidationOptions
        {
            FieldValidation = mode,
            DecodingErrors = document.StrictDecodingErrors,
        });
        return (request, result);
    }

    [Fact]
    public void Strict_Json_RefusesWithTheStrictDecodingError()
    {
        var (_, result) = Validate(InvalidJson, FieldValidationMode.Strict);
        Assert.False(result.IsValid);
        Assert.Empty(result.Errors);
        Assert.Equal(
            "Noxu in version \"v1beta1\" cannot be handled as a Noxu: strict decoding error: duplicate field \"metadata.name\", duplicate field \"spec.unknownDupe\", duplicate field \"spec.knownField1\", duplicate field \"spec.ports[0].hostPort\", unknown field \"metadata.unknownMeta\", unknown field \"spec.ports[0].unknownNested\", unknown field \"spec.unknown1\", unknown field \"spec.unknownDupe\", unknown field \"spec.embeddedObj.metadata.unknownEmbeddedMeta\"",
            result.DecodeError);
    }

    [Fact]
    public void Warn_Json_WarnsForEach_AndTheLastValueWins()
    {
        var (request, result) = Validate(InvalidJson, FieldValidationMode.Warn);
        Assert.True(result.IsValid, result.ToString());
        Assert.Equal(
            [
                "duplicate field \"metadata.name\"",
                "duplicate field \"spec.unknownDupe\"",
                "duplicate field \"spec.knownField1\"",
                "duplicate field \"spec.ports[0].hostPort\"",
                "unknown field \"metadata.unknownMeta\"",
                "unknown field \"spec.ports[0].unknownNested\"",
                "unknown field \"spec.unknown1\"",
                "unknown field \"spec.unknownDupe\"",
                "unknown field \"spec.embeddedObj.metadata.unknownEmbeddedMeta\"",
            ],
            result.Warnings);
        Assert.Equal("crd-post-strict-validation", request["metadata"]!["name"]!.GetValue<string>());
        Assert.Equal("val2", request["spec"]!["knownField1"]!.GetValue<string>());
        Assert.Equal(8082, request["spec"]!["ports"]![0]!["hostPort"]!.GetValue<long>());
        Assert.Null(request["spec"]!["unknown1"]);
    }

    [Fact]
    public void Ignore_Json_PrunesSilently_AndTheLastValueWins()
    {
        var (request, result) = Validate(InvalidJson, FieldValidationMode.Ignore);
        Assert.True(result.IsValid, result.ToString());
        Assert.Empty(result.Warnings);
        Assert.Equal("val2", request["spec"]!["knownField1"]!.GetValue<string>());
        Assert.Null(request["spec"]!["unknown1"]);
        Assert.Null(request["metadata"]!["unknownMeta"]);
    }

    [Fact]
    public void Strict_Yaml_RefusesWithGoYamlsLines()
    {
        var (_, result) = Validate(InvalidYaml, FieldValidationMode.Strict);
        Assert.Equal(
            "Noxu in version \"v1beta1\" cannot be handled as a Noxu: strict decoding error: yaml: unmarshal errors:\n  line 6: key \"name\" already set in map\n  line 12: key \"unknownDupe\" already set in map\n  line 14: key \"knownField1\" already set in map\n  line 20: key \"hostPort\" already set in map, unknown field \"metadata.unknownMeta\", unknown field \"spec.ports[0].unknownNested\", unknown field \"spec.unknown1\", unknown field \"spec.unknownDupe\", unknown field \"spec.embeddedObj.metadata.unknownEmbeddedMeta\"",
            result.DecodeError);
    }

    [Fact]
    public void Warn_Yaml_WarnsOnePerLine()
    {
        var (request, result) = Validate(InvalidYaml, FieldValidationMode.Warn);
        Assert.True(result.IsValid, result.ToString());
        Assert.Equal(
            [
                "line 6: key \"name\" already set in map",
                "line 12: key \"unknownDupe\" already set in map",
                "line 14: key \"knownField1\" already set in map",
                "line 20: key \"hostPort\" already set in map",
                "unknown field \"metadata.unknownMeta\"",
                "unknown field \"spec.ports[0].unknownNested\"",
                "unknown field \"spec.unknown1\"",
                "unknown field \"spec.unknownDupe\"",
                "unknown field \"spec.embeddedObj.metadata.unknownEmbeddedMeta\"",
            ],
            result.Warnings);
        Assert.Equal("val2", request["spec"]!["knownField1"]!.GetValue<string>());
    }

    [Fact]
    public void Ignore_Yaml_IsSilent()
    {
        var (_, result) = Validate(InvalidYaml, FieldValidationMode.Ignore);
        Assert.True(result.IsValid, result.ToString());
        Assert.Empty(result.Warnings);
    }

    [Fact]
    public void Schemaless_Strict_Json_ReportsDuplicatesAndOnlyTheMetadataUnknowns()
    {
        var (_, result) = Validate(InvalidJson, FieldValidationMode.Strict, schemaless: true);
        Assert.Equal(
            "Noxu in version \"v1beta1\" cannot be handled as a Noxu: strict decoding error: duplicate field \"metadata.name\", duplicate field \"spec.unknownDupe\", duplicate field \"spec.knownField1\", duplicate field \"spec.ports[0].hostPort\", unknown field \"metadata.unknownMeta\", unknown field \"spec.ports[0].unknownNested\", unknown field \"spec.embeddedObj.metadata.unknownEmbeddedMeta\"",
            result.DecodeError);
    }

    [Fact]
    public void Schemaless_Warn_Yaml()
    {
        var (_, result) = Validate(InvalidYaml, FieldValidationMode.Warn, schemaless: true);
        Assert.Equal(
            [
                "line 6: key \"name\" already set in map",
                "line 12: key \"unknownDupe\" already set in map",
                "line 14: key \"knownField1\" already set in map",
                "line 20: key \"hostPort\" already set in map",
                "unknown field \"metadata.unknownMeta\"",
                "unknown field \"spec.ports[0].unknownNested\"",
                "unknown field \"spec.embeddedObj.metadata.unknownEmbeddedMeta\"",
            ],
            result.Warnings);
    }

    [Fact]
    public void Strict_IsTheDefault()
    {
        var request = TestYaml.Obj("{apiVersion: mygroup.example.com/v1beta1, kind: Noxu, metadata: {name: a, namespace: default}, spec: {foo: 1}}");
        var result = RequestValidator.Validate(request, Crd(false));
        Assert.Equal("Noxu in version \"v1beta1\" cannot be handled as a Noxu: strict decoding error: unknown field \"spec.foo\"", result.DecodeError);
        Assert.Equal(["Noxu in version \"v1beta1\" cannot be handled as a Noxu: strict decoding error: unknown field \"spec.foo\""], result.Problems());
    }

    [Fact]
    public void A_TripledJsonKey_IsOneError_ButThreeYamlKeysAreTwo()
    {
        var json = ManifestReader.Recording.ReadString("{\"a\": 1, \"a\": 2, \"a\": 3}").Single();
        Assert.True(json.IsJson);
        Assert.Equal(["duplicate field \"a\""], json.StrictDecodingErrors);
        Assert.Equal(3, json.Content!["a"]!.GetValue<long>());

        var yaml = ManifestReader.Recording.ReadString("a: 1\na: 2\na: 3\n1: x\n1: y\n").Single();
        Assert.False(yaml.IsJson);
        Assert.Equal(["yaml: unmarshal errors:\n  line 2: key \"a\" already set in map\n  line 3: key \"a\" already set in map\n  line 5: key 1 already set in map"], yaml.StrictDecodingErrors);
    }

    [Fact]
    public void YamlDuplicateLines_CountFromTheDocumentsOwnFirstLine_AsTheServerGivenThatDocument()
    {
        // kubectl sends each document of a file as its own body: line 1 is the line after the document's "---".
        var docs = ManifestReader.Recording.ReadString("a: 1\na: 2\n---\n# comment\nb: 1\nb: 2\n---\n\nc:\n  d: 1\n  d: 2\n");
        Assert.Equal(3, docs.Count);
        Assert.Equal(["yaml: unmarshal errors:\n  line 2: key \"a\" already set in map"], docs[0].StrictDecodingErrors);
        Assert.Equal(["yaml: unmarshal errors:\n  line 3: key \"b\" already set in map"], docs[1].StrictDecodingErrors);
        Assert.Equal(["yaml: unmarshal errors:\n  line 4: key \"d\" already set in map"], docs[2].StrictDecodingErrors);

        // A file that starts with "---" counts from the line after it too.
        var first = ManifestReader.Recording.ReadString("---\na: 1\na: 2\n").Single();
        Assert.Equal(["yaml: unmarshal errors:\n  line 2: key \"a\" already set in map"], first.StrictDecodingErrors);
    }

    [Fact]
    public void TheDefaultReader_StillRefusesDuplicateKeys()
    {
        var ex = Assert.Throws<KratixException>(() => ManifestReader.Default.ReadString("a: 1\na: 2\n"));
        Assert.Equal("ManifestDuplicateKey", ex.ErrorId);
        var input = Assert.Throws<KratixException>(() => ManifestInput.FromObject("a: 1\na: 2\n"));
        Assert.Equal("ManifestDuplicateKey", input.ErrorId);
        Assert.Single(ManifestInput.FromObject("{kind: X, a: 1, a: 2}", recordDuplicateKeys: true));
    }
}
