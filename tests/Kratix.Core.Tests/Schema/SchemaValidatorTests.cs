using System.Text.Json.Nodes;
using Kratix.Schema;

namespace Kratix.Tests.Schema;

/// <summary>One test per keyword and error kind, with the exact messages the Kubernetes API server gives.</summary>
public class SchemaValidatorTests
{
    /// <summary>Validates {spec: value} against {type: object, properties: {spec: specSchema}}.</summary>
    private static string[] Spec(string specSchema, string specValue)
    {
        var schema = TestYaml.Schema("{type: object, properties: {spec: " + specSchema + "}}");
        var value = new JsonObject { ["spec"] = TestYaml.Value(specValue) };
        return SchemaValidator.Validate(value, schema).Select(e => e.ToString()).ToArray();
    }

    [Fact]
    public void Enum_UnsupportedValue_ListsSupportedValues()
    {
        Assert.Equal(
            ["spec.size: Unsupported value: \"huge\": supported values: \"small\", \"large\""],
            Spec("{type: object, properties: {size: {type: string, enum: [small, large]}}}", "{size: huge}"));
        Assert.Empty(Spec("{type: object, properties: {size: {type: string, enum: [small, large]}}}", "{size: small}"));
    }

    [Fact]
    public void Enum_OfNumbers_RendersValuesAsJson()
    {
        Assert.Equal(
            ["spec.n: Unsupported value: 3: supported values: \"1\", \"2\""],
            Spec("{type: object, properties: {n: {type: integer, enum: [1, 2]}}}", "{n: 3}"));
        Assert.Empty(Spec("{type: object, properties: {n: {type: integer, enum: [1, 2]}}}", "{n: 2.0}"));
    }

    [Fact]
    public void Required_MissingField()
    {
        Assert.Equal(["spec.name: Required value"], Spec("{type: object, required: [name], properties: {name: {type: string}}}", "{}"));
    }

    [Fact]
    public void Type_Mismatch_UsesKubernetesWording()
    {
        Assert.Equal(
            ["spec.replicas: Invalid value: \"string\": spec.replicas in body must be of type integer: \"string\""],
            Spec("{type: object, properties: {replicas: {type: integer}}}", "{replicas: three}"));
        Assert.Equal(
            ["spec.flag: Invalid value: \"integer\": spec.flag in body must be of type boolean: \"integer\""],
            Spec("{type: object, properties: {flag: {type: boolean}}}", "{flag: 1}"));
        Assert.Equal(
            ["spec.list: Invalid value: \"object\": spec.list in body must be of type array: \"object\""],
            Spec("{type: object, properties: {list: {type: array, items: {type: string}}}}", "{list: {a: b}}"));
    }

    [Fact]
    public void Integer_AcceptsIntegralFloats_AsTheApiServerDoes()
    {
        // The API server decodes 2.0 as float64 and its type validator accepts an integral float for type: integer.
        var schema = TestYaml.Schema("{type: object, properties: {n: {type: integer}}}");
        Assert.Empty(SchemaValidator.Validate(new JsonObject { ["n"] = 2.0 }, schema));
        // kube-openapi's number validator also reports that 2.5 does not fit an integer, with the field "<nil>".
        Assert.Equal(
            [
                "n: Invalid value: \"number\": n in body must be of type integer: \"number\"",
                "<nil>: Invalid value: \"\": Checked value must be of type integer (default format) in n",
            ],
            SchemaValidator.Validate(new JsonObject { ["n"] = 2.5 }, schema).Select(e => e.ToString()));
    }

    [Fact]
    public void Number_AcceptsIntegers()
    {
        Assert.Empty(Spec("{type: object, properties: {ratio: {type: number}}}", "{ratio: 3}"));
    }

    [Fact]
    public void Maximum_And_Minimum()
    {
        Assert.Equal(
            ["spec.port: Invalid value: 70000: spec.port in body should be less than or equal to 65535"],
            Spec("{type: object, properties: {port: {type: integer, minimum: 1, maximum: 65535}}}", "{port: 70000}"));
        Assert.Equal(
            ["spec.port: Invalid value: 0: spec.port in body should be greater than or equal to 1"],
            Spec("{type: object, properties: {port: {type: integer, minimum: 1, maximum: 65535}}}", "{port: 0}"));
        Assert.Equal(
            ["spec.ratio: Invalid value: 0.5: spec.ratio in body should be greater than or equal to 1"],
            Spec("{type: object, properties: {ratio: {type: number, minimum: 1}}}", "{ratio: 0.5}"));
    }

    [Fact]
    public void ExclusiveBounds_OpenApi30Booleans()
    {
        Assert.Equal(
            ["spec.n: Invalid value: 10: spec.n in body should be less than 10"],
            Spec("{type: object, properties: {n: {type: integer, maximum: 10, exclusiveMaximum: true}}}", "{n: 10}"));
        Assert.Equal(
            ["spec.n: Invalid value: 0: spec.n in body should be greater than 0"],
            Spec("{type: object, properties: {n: {type: integer, minimum: 0, exclusiveMinimum: true}}}", "{n: 0}"));
        Assert.Empty(Spec("{type: object, properties: {n: {type: integer, maximum: 10, exclusiveMaximum: true}}}", "{n: 9}"));
    }

    [Fact]
    public void Maximum_PrintsLargeFloatBoundsLikeGo()
    {
        Assert.Equal(
            ["spec.x: Invalid value: 2.5e+06: spec.x in body should be less than or equal to 1e+06"],
            Spec("{type: object, properties: {x: {type: number, maximum: 1000000}}}", "{x: 2500000.0}"));
    }

    [Fact]
    public void MultipleOf_IntegersAndFloats()
    {
        Assert.Equal(
            ["spec.n: Invalid value: 7: spec.n in body should be a multiple of 5"],
            Spec("{type: object, properties: {n: {type: integer, multipleOf: 5}}}", "{n: 7}"));
        Assert.Empty(Spec("{type: object, properties: {n: {type: integer, multipleOf: 5}}}", "{n: 10}"));
        Assert.Equal(
            ["spec.x: Invalid value: 0.25: spec.x in body should be a multiple of 0.1"],
            Spec("{type: object, properties: {x: {type: number, multipleOf: 0.1}}}", "{x: 0.25}"));
        Assert.Empty(Spec("{type: object, properties: {x: {type: number, multipleOf: 0.1}}}", "{x: 0.3}"));
    }

    [Fact]
    public void MinLength_And_MaxLength_CountCodePoints()
    {
        Assert.Equal(
            ["spec.name: Invalid value: \"ab\": spec.name in body should be at least 3 chars long"],
            Spec("{type: object, properties: {name: {type: string, minLength: 3}}}", "{name: ab}"));
        Assert.Equal(
            ["spec.name: Too long: may not be more than 3 bytes"],
            Spec("{type: object, properties: {name: {type: string, maxLength: 3}}}", "{name: abcd}"));

        // Go counts runes: three accented letters or three emoji are 3 characters, not 6 bytes or 6 UTF-16 units.
        Assert.Empty(Spec("{type: object, properties: {name: {type: string, maxLength: 3}}}", "{name: \"\u00e9\u00e9\u00e9\"}"));
        Assert.Empty(Spec("{type: object, properties: {name: {type: string, maxLength: 3}}}", "{name: \"\U0001F600\U0001F600\U0001F600\"}"));
        Assert.Single(Spec("{type: object, properties: {name: {type: string, maxLength: 3}}}", "{name: \"\U0001F600\U0001F600\U0001F600\U0001F600\"}"));
    }

    [Fact]
    public void String_StopsAtTheFirstFailingCheck_AsKubeOpenApiDoes()
    {
        // Too long and not matching the pattern: only "Too long" is reported.
        Assert.Equal(
            ["spec.name: Too long: may not be more than 2 bytes"],
            Spec("{type: object, properties: {name: {type: string, maxLength: 2, pattern: '^[a-z]+$'}}}", "{name: ABC}"));
    }

    [Fact]
    public void Pattern_FailsWithThePatternAsWritten()
    {
        Assert.Equal(
            ["spec.name: Invalid value: \"Bad\": spec.name in body should match '^[a-z]+$'"],
            Spec("{type: object, properties: {name: {type: string, pattern: '^[a-z]+$'}}}", "{name: Bad}"));
    }

    [Fact]
    public void Pattern_DollarMatchesOnlyAtTheEnd_LikeGo()
    {
        // .NET's $ would also match before a final newline; Go's does not.
        Assert.Single(Spec("{type: object, properties: {name: {type: string, pattern: '^[a-z]+$'}}}", "{name: \"abc\\n\"}"));
    }

    [Fact]
    public void Items_MinItems_MaxItems_UniqueItems()
    {
        const string list = "{type: object, properties: {list: {type: array, items: {type: string}, minItems: 2, maxItems: 3, uniqueItems: true}}}";
        Assert.Equal(["spec.list: Invalid value: 1: spec.list in body should have at least 2 items"], Spec(list, "{list: [a]}"));
        Assert.Equal(["spec.list: Too many: 4: must have at most 3 items"], Spec(list, "{list: [a, b, c, d]}"));
        Assert.Equal(["spec.list: Invalid value: \"\": spec.list in body shouldn't contain duplicates"], Spec(list, "{list: [a, a]}"));
        Assert.Equal(
            ["spec.list[1]: Invalid value: \"integer\": spec.list[1] in body must be of type string: \"integer\""],
            Spec(list, "{list: [a, 1]}"));
    }

    [Fact]
    public void MinProperties_And_MaxProperties()
    {
        const string map = "{type: object, properties: {labels: {type: object, additionalProperties: {type: string}, minProperties: 1, maxProperties: 2}}}";
        Assert.Equal(["spec.labels: Invalid value: 0: spec.labels in body should have at least 1 properties"], Spec(map, "{labels: {}}"));
        Assert.Equal(["spec.labels: Too many: 3: must have at most 2 items"], Spec(map, "{labels: {a: x, b: y, c: z}}"));
    }

    [Fact]
    public void AdditionalProperties_ValidatesMapValues_WithKubeOpenApiPaths()
    {
        Assert.Equal(
            ["spec.labels.app: Invalid value: \"integer\": spec.labels.app in body must be of type string: \"integer\""],
            Spec("{type: object, properties: {labels: {type: object, additionalProperties: {type: string}}}}", "{labels: {app: 1, team: x}}"));
    }

    [Fact]
    public void AdditionalPropertiesFalse_ForbidsOtherKeys()
    {
        Assert.Equal(
            ["spec: Invalid value: \"b\": spec.b in body is a forbidden property"],
            Spec("{type: object, properties: {a: {type: string}}, additionalProperties: false}", "{a: x, b: y}"));
    }

    [Fact]
    public void Nullable_AllowsNull_OtherwiseNullIsATypeError()
    {
        Assert.Empty(Spec("{type: object, properties: {list: {type: array, items: {type: string, nullable: true}}}}", "{list: [null]}"));
        Assert.Equal(
            ["spec.list[0]: Invalid value: \"null\": spec.list[0] in body must be of type string: \"null\""],
            Spec("{type: object, properties: {list: {type: array, items: {type: string}}}}", "{list: [null]}"));
    }

    [Fact]
    public void Formats_AreCheckedLikeKubernetes_AndUnknownFormatsIgnored()
    {
        static string[] F(string format, string value) =>
            Spec("{type: object, properties: {v: {type: string, format: " + format + "}}}", "{v: '" + value + "'}");

        Assert.Empty(F("date-time", "2024-05-01T10:00:00Z"));
        Assert.Equal(["spec.v: Invalid value: \"yesterday\": spec.v in body must be of type date-time: \"yesterday\""], F("date-time", "yesterday"));
        Assert.Empty(F("date", "2024-02-29"));
        Assert.Single(F("date", "2023-02-29"));
        Assert.Empty(F("uuid", "7d444840-9dc0-11d1-b245-5ffdce74fad2"));
        Assert.Single(F("uuid", "not-a-uuid"));
        Assert.Empty(F("byte", "aGVsbG8="));
        Assert.Equal(["spec.v: Invalid value: \"not base64!\": spec.v in body must be of type byte: \"not base64!\""], F("byte", "not base64!"));
        Assert.Empty(F("ipv4", "10.0.0.1"));
        Assert.Single(F("ipv4", "10.0.0"));
        Assert.Empty(F("ipv6", "::1"));
        Assert.Empty(F("cidr", "10.0.0.0/8"));
        Assert.Single(F("cidr", "10.0.0.0/33"));
        Assert.Empty(F("hostname", "example.com"));
        Assert.Empty(F("email", "someone@example.com"));
        Assert.Single(F("email", "nobody"));
        Assert.Empty(F("duration", "1h30m"));
        Assert.Empty(F("k8s-short-name", "my-name"));
        Assert.Single(F("k8s-short-name", "My_Name"));
        Assert.Empty(F("no-such-format", "anything"));
    }

    [Fact]
    public void Int32Format_RefusesValuesOutOfRange()
    {
        Assert.Equal(
            ["<nil>: Invalid value: \"\": Checked value must be of type integer with format int32 in spec.n"],
            Spec("{type: object, properties: {n: {type: integer, format: int32}}}", "{n: 3000000000}"));
        Assert.Empty(Spec("{type: object, properties: {n: {type: integer, format: int64}}}", "{n: 3000000000}"));
    }

    [Fact]
    public void IntOrString_AcceptsBoth_AndChecksPatternOnlyForStrings()
    {
        const string s = "{type: object, properties: {q: {x-kubernetes-int-or-string: true, anyOf: [{type: integer}, {type: string}], pattern: '^[0-9]+(m|Mi)?$'}}}";
        Assert.Empty(Spec(s, "{q: 80}"));
        Assert.Empty(Spec(s, "{q: 100m}"));
        Assert.Contains("spec.q: Invalid value: \"boolean\": spec.q in body must be of type integer,string: \"boolean\"", Spec(s, "{q: true}"));
        Assert.Contains("spec.q: Invalid value: \"12x\": spec.q in body should match '^[0-9]+(m|Mi)?$'", Spec(s, "{q: 12x}"));
    }

    [Fact]
    public void AllOf_ReportsFailuresThenTheCompositeError()
    {
        Assert.Equal(
            [
                "spec.n: Invalid value: 7: spec.n in body should be less than or equal to 5",
                "<nil>: Invalid value: \"\": \"spec.n\" must validate all the schemas (allOf)",
            ],
            Spec("{type: object, properties: {n: {type: integer, allOf: [{minimum: 1}, {maximum: 5}]}}}", "{n: 7}"));
    }

    [Fact]
    public void AnyOf_ReportsTheCompositeErrorThenTheBestFailure()
    {
        Assert.Equal(
            [
                "<nil>: Invalid value: \"\": \"spec.s\" must validate at least one schema (anyOf)",
                "spec.s: Invalid value: \"c\": spec.s in body should match '^a'",
            ],
            Spec("{type: object, properties: {s: {type: string, anyOf: [{pattern: '^a'}, {pattern: '^b'}]}}}", "{s: c}"));
        Assert.Empty(Spec("{type: object, properties: {s: {type: string, anyOf: [{pattern: '^a'}, {pattern: '^b'}]}}}", "{s: b}"));
    }

    [Fact]
    public void OneOf_RefusesTwoMatches()
    {
        Assert.Equal(
            ["<nil>: Invalid value: \"\": \"spec.s\" must validate one and only one schema (oneOf). Found 2 valid alternatives"],
            Spec("{type: object, properties: {s: {type: string, oneOf: [{pattern: '^a'}, {minLength: 1}]}}}", "{s: abc}"));
    }

    [Fact]
    public void Not_RefusesAMatch()
    {
        Assert.Equal(
            ["<nil>: Invalid value: \"\": \"spec.s\" must not validate the schema (not)"],
            Spec("{type: object, properties: {s: {type: string, not: {enum: [forbidden]}}}}", "{s: forbidden}"));
    }

    [Fact]
    public void MultipleErrors_AreAllReported_InDocumentOrderThenRequired()
    {
        const string s = "{type: object, required: [name], properties: {name: {type: string}, size: {type: string, enum: [small, large]}, replicas: {type: integer, maximum: 10}}}";
        Assert.Equal(
            [
                "spec.replicas: Invalid value: 20: spec.replicas in body should be less than or equal to 10",
                "spec.size: Unsupported value: \"huge\": supported values: \"small\", \"large\"",
                "spec.name: Required value",
            ],
            Spec(s, "{replicas: 20, size: huge}"));
    }

    [Fact]
    public void NestedArraysOfObjects_UseKubernetesPaths()
    {
        Assert.Equal(
            ["spec.containers[1].name: Required value"],
            Spec("{type: object, properties: {containers: {type: array, items: {type: object, required: [name], properties: {name: {type: string}}}}}}", "{containers: [{name: a}, {image: b}]}"));
    }
}
