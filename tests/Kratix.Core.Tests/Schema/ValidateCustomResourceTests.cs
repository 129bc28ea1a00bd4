using System.Text.Json.Nodes;
using Kratix.Schema;

namespace Kratix.Tests.Schema;

/// <summary>
/// Cases ported from k8s.io/apiextensions-apiserver v0.36 pkg/apiserver/validation/validation_test.go
/// (TestValidateCustomResource): each schema, the objects it accepts and, for those it refuses, the exact set of
/// errors (compared as a set, as upstream does). Errors that are not field validations (anyOf/allOf/oneOf/not and
/// kube-openapi's range checks) carry the field <c>&lt;nil&gt;</c> and the value "".
/// </summary>
public class ValidateCustomResourceTests
{
    public static TheoryData<string, string> Valid => new()
    {
        { "{type: object, properties: {field: {type: object, nullable: false}}}", "{}" },
        { "{type: object, properties: {field: {type: object, nullable: false}}}", "{\"field\": {}}" },
        { "{type: object, properties: {field: {type: object, nullable: true}}}", "{\"field\": null}" },
        { "{type: object, properties: {field: {nullable: true}}}", "{\"field\": 1.2}" },
        { "{type: object, properties: {field: {nullable: true}}}", "{\"field\": []}" },
        { "{type: object, properties: {field: {x-kubernetes-int-or-string: true}}}", "{\"field\": 42}" },
        { "{type: object, properties: {field: {x-kubernetes-int-or-string: true}}}", "{\"field\": \"foo\"}" },
        { "{type: object, properties: {field: {nullable: true, x-kubernetes-int-or-string: true}}}", "{\"field\": null}" },
        { "{type: object, properties: {field: {nullable: true, x-kubernetes-int-or-string: true, anyOf: [{type: integer}, {type: string}]}}}", "{\"field\": null}" },
        { "{type: object, properties: {field: {nullable: true, x-kubernetes-int-or-string: true, allOf: [{anyOf: [{type: integer}, {type: string}]}]}}}", "{\"field\": 42}" },
        { "{type: object, properties: {intThirtyTwo: {type: integer, format: int32}, intSixtyFour: {type: integer, format: int64}, floatThreeTwo: {type: number, format: float}, floatSixFour: {type: number, format: double}}}",
          "{\"intThirtyTwo\": -2147483648, \"intSixtyFour\": -9223372036854775808, \"floatThreeTwo\": -3.4028234663852886e+38, \"floatSixFour\": -1.7976931348623157e+308}" },
        { "{type: object, properties: {intThirtyTwo: {type: integer, format: int32}, intSixtyFour: {type: integer, format: int64}, floatThreeTwo: {type: number, format: float}, floatSixFour: {type: number, format: double}}}",
          "{\"intThirtyTwo\": 2147483647, \"intSixtyFour\": 9223372036854775807, \"floatThreeTwo\": 3.4028234663852886e+38, \"floatSixFour\": 1.7976931348623157e+308}" },
    };

    public static TheoryData<string, string, string[]> Invalid => new()
    {
        { "{type: object, properties: {field: {type: object, nullable: false}}}", "{\"field\": \"foo\"}", ["field: Invalid value: \"string\": field in body must be of type object: \"string\""] },
        { "{type: object, properties: {field: {type: object, nullable: false}}}", "{\"field\": 42}", ["field: Invalid value: \"integer\": field in body must be of type object: \"integer\""] },
        { "{type: object, properties: {field: {type: object, nullable: false}}}", "{\"field\": true}", ["field: Invalid value: \"boolean\": field in body must be of type object: \"boolean\""] },
        { "{type: object, properties: {field: {type: object, nullable: false}}}", "{\"field\": 1.2}", ["field: Invalid value: \"number\": field in body must be of type object: \"number\""] },
        { "{type: object, properties: {field: {type: object, nullable: false}}}", "{\"field\": []}", ["field: Invalid value: \"array\": field in body must be of type object: \"array\""] },
        { "{type: object, properties: {field: {type: object, nullable: false}}}", "{\"field\": null}", ["field: Invalid value: \"null\": field in body must be of type object: \"null\""] },
        { "{type: object, properties: {field: {x-kubernetes-int-or-string: true}}}", "{\"field\": null}", ["field: Invalid value: \"null\": field in body must be of type integer,string: \"null\""] },
        { "{type: object, properties: {field: {x-kubernetes-int-or-string: true}}}", "{\"field\": 1.2}", ["field: Invalid value: \"number\": field in body must be of type integer,string: \"number\""] },
        { "{type: object, properties: {field: {x-kubernetes-int-or-string: true}}}", "{\"field\": {}}", ["field: Invalid value: \"object\": field in body must be of type integer,string: \"object\""] },
        {
            "{type: object, properties: {field: {nullable: true, x-kubernetes-int-or-string: true, anyOf: [{type: integer}, {type: string}]}}}", "{\"field\": true}",
            [
                "<nil>: Invalid value: \"\": \"field\" must validate at least one schema (anyOf)",
                "field: Invalid value: \"boolean\": field in body must be of type integer,string: \"boolean\"",
                "field: Invalid value: \"boolean\": field in body must be of type integer: \"boolean\"",
            ]
        },
        {
            "{type: object, properties: {field: {nullable: true, x-kubernetes-int-or-string: true, anyOf: [{type: integer}, {type: string}]}}}", "{\"field\": 1.2}",
            [
                "<nil>: Invalid value: \"\": \"field\" must validate at least one schema (anyOf)",
                "field: Invalid value: \"number\": field in body must be of type integer,string: \"number\"",
                "field: Invalid value: \"number\": field in body must be of type integer: \"number\"",
                "<nil>: Invalid value: \"\": Checked value must be of type integer (default format) in field",
            ]
        },
        {
            "{type: object, properties: {field: {nullable: true, x-kubernetes-int-or-string: true, allOf: [{anyOf: [{type: integer}, {type: string}]}]}}}", "{\"field\": []}",
            [
                "<nil>: Invalid value: \"\": \"field\" must validate all the schemas (allOf). None validated",
                "<nil>: Invalid value: \"\": \"field\" must validate at least one schema (anyOf)",
                "field: Invalid value: \"array\": field in body must be of type integer,string: \"array\"",
                "field: Invalid value: \"array\": field in body must be of type integer: \"array\"",
            ]
        },
        {
            "{type: object, properties: {field: {nullable: true, x-kubernetes-int-or-string: true, allOf: [{anyOf: [{type: integer}, {type: string}]}]}}}", "{\"field\": 1.2}",
            [
                "<nil>: Invalid value: \"\": \"field\" must validate all the schemas (allOf). None validated",
                "<nil>: Invalid value: \"\": \"field\" must validate at least one schema (anyOf)",
                "field: Invalid value: \"number\": field in body must be of type integer,string: \"number\"",
                "field: Invalid value: \"number\": field in body must be of type integer: \"number\"",
                "<nil>: Invalid value: \"\": Checked value must be of type integer (default format) in field",
            ]
        },
        { "{type: object, required: [field], properties: {field: {type: object, required: [nested], properties: {nested: {}}}}}", "{\"test\": \"a\"}", ["field: Required value"] },
        { "{type: object, required: [field], properties: {field: {type: object, required: [nested], properties: {nested: {}}}}}", "{\"field\": {}}", ["field.nested: Required value"] },
        {
            "{type: object, properties: {field: {type: object, required: [nestedint, nestedstring], properties: {nestedint: {type: integer, enum: [1, 2]}, nestedstring: {type: string, enum: [a, b]}}}}}",
            "{\"field\": {\"nestedint\": \"x\", \"nestedstring\": true}}",
            [
                "field.nestedint: Invalid value: \"string\": field.nestedint in body must be of type integer: \"string\"",
                "field.nestedint: Unsupported value: \"x\": supported values: \"1\", \"2\"",
                "field.nestedstring: Invalid value: \"boolean\": field.nestedstring in body must be of type string: \"boolean\"",
                "field.nestedstring: Unsupported value: true: supported values: \"a\", \"b\"",
            ]
        },
        { "{type: object, properties: {fieldX: {type: object, maxProperties: 2}}}", "{\"fieldX\": {\"a\": true, \"b\": true, \"c\": true}}", ["fieldX: Too many: 3: must have at most 2 items"] },
        { "{type: object, properties: {fieldX: {type: array, maxItems: 2, items: {type: string}}}}", "{\"fieldX\": [\"a\", \"b\", \"c\"]}", ["fieldX: Too many: 3: must have at most 2 items"] },
        { "{type: object, properties: {fieldX: {type: string, maxLength: 2}}}", "{\"fieldX\": \"abc\"}", ["fieldX: Too long: may not be more than 2 bytes"] },
        { "{type: object, properties: {intThirtyTwo: {type: integer, format: int32}}}", "{\"intThirtyTwo\": 2147483648}", ["<nil>: Invalid value: \"\": Checked value must be of type integer with format int32 in intThirtyTwo"] },
        { "{type: object, properties: {intThirtyTwo: {type: integer, format: int32}}}", "{\"intThirtyTwo\": -2147483649}", ["<nil>: Invalid value: \"\": Checked value must be of type integer with format int32 in intThirtyTwo"] },
        {
            "{type: object, properties: {intSixtyFour: {type: integer, format: int64}}}", "{\"intSixtyFour\": 1.0145709240730052e+19}",
            [
                "intSixtyFour: Invalid value: \"float64\": intSixtyFour in body must be of type int64: \"float64\"",
                "<nil>: Invalid value: \"\": Checked value must be of type integer with format int64 in intSixtyFour",
            ]
        },
        {
            "{type: object, properties: {intSixtyFour: {type: integer, format: int64}}}", "{\"intSixtyFour\": -1.0145709240730052e+19}",
            [
                "intSixtyFour: Invalid value: \"float64\": intSixtyFour in body must be of type int64: \"float64\"",
                "<nil>: Invalid value: \"\": Checked value must be of type integer with format int64 in intSixtyFour",
            ]
        },
        { "{type: object, properties: {floatThreeTwo: {type: number, format: float}}}", "{\"floatThreeTwo\": 3.7431058130238175e+38}", ["<nil>: Invalid value: \"\": Checked value must be of type number with format float in floatThreeTwo"] },
        { "{type: object, properties: {floatThreeTwo: {type: number, format: float}}}", "{\"floatThreeTwo\": -3.7431058130238175e+38}", ["<nil>: Invalid value: \"\": Checked value must be of type number with format float in floatThreeTwo"] },
    };

    [Theory]
    [MemberData(nameof(Valid))]
    public void Accepts(string schema, string json)
    {
        var errors = SchemaValidator.Validate(JsonNode.Parse(json), TestYaml.Schema(schema));
        Assert.Empty(errors.Select(e => e.ToString()));
    }

    [Theory]
    [MemberData(nameof(Invalid))]
    public void Refuses(string schema, string json, string[] expected)
    {
        var errors = SchemaValidator.Validate(JsonNode.Parse(json), TestYaml.Schema(schema)).Select(e => e.ToString()).ToHashSet();
        Assert.Equal(expected.ToHashSet().Order(StringComparer.Ordinal), errors.Order(StringComparer.Ordinal));
    }

    [Fact]
    public void BoundsThatTheFormatCannotHold_AreReportedToo()
    {
        // kube-openapi's numberValidator checks the bound against the type and format as well ("Maximum boundary").
        var errors = SchemaValidator.Validate(JsonNode.Parse("{\"n\": 3}"), TestYaml.Schema("{type: object, properties: {n: {type: integer, maximum: 2.5}}}"));
        Assert.Equal(
            [
                "<nil>: Invalid value: \"\": Maximum boundary value must be of type integer (default format) in n",
                "n: Invalid value: 3: n in body should be less than or equal to 2.5",
            ],
            errors.Select(e => e.ToString()));
    }
}
