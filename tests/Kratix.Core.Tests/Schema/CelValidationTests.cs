using System.Text.Json.Nodes;
using Kratix.Schema;

namespace Kratix.Tests.Schema;

/// <summary>
/// x-kubernetes-validations as the API server evaluates them. The transition-rule cases are ported from
/// apiextensions-apiserver's TestValidateCustomResource (v0.36); the rest follow validation.go's rules: message,
/// messageExpression, reason, fieldPath, runtime errors, blocking errors, and the Kubernetes CEL libraries.
/// </summary>
public class CelValidationTests
{
    private static CustomResourceDefinition Crd(string specSchema) => CustomResourceDefinition.Parse(TestYaml.Obj(
        "{apiVersion: apiextensions.k8s.io/v1, kind: CustomResourceDefinition, metadata: {name: things.example.com}, spec: {group: example.com, names: {kind: Thing, plural: things}, scope: Namespaced, versions: [{name: v1, served: true, storage: true, schema: {openAPIV3Schema: {type: object, properties: {spec: " + specSchema + "}}}}]}}"));

    private static string[] Errors(CustomResourceDefinition crd, string spec, string? oldSpec = null)
    {
        JsonObject Obj(string s) => (JsonObject)JsonNode.Parse("{\"apiVersion\": \"example.com/v1\", \"kind\": \"Thing\", \"metadata\": {\"name\": \"a\", \"namespace\": \"d\"}, \"spec\": " + s + "}")!;
        var result = RequestValidator.Validate(Obj(spec), crd, new RequestValidationOptions { OldObject = oldSpec is null ? null : Obj(oldSpec) });
        Assert.Null(result.DecodeError);
        return result.Errors.Select(e => e.ToString()).ToArray();
    }

    [Fact]
    public void ImmutabilityTransitionRule_RunsOnUpdateOnly()
    {
        var crd = Crd("{type: object, properties: {field: {type: string, x-kubernetes-validations: [{rule: 'self == oldSelf'}]}}}");
        Assert.Empty(Errors(crd, "{\"field\": \"y\"}"));
        Assert.Empty(Errors(crd, "{\"field\": \"x\"}", "{\"field\": \"x\"}"));
        Assert.Equal(["spec.field: Invalid value: \"y\": failed rule: self == oldSelf"], Errors(crd, "{\"field\": \"y\"}", "{\"field\": \"x\"}"));
    }

    [Fact]
    public void CorrelatableTransitionRule_UnderAListMap()
    {
        var crd = Crd("{type: object, properties: {field: {type: array, x-kubernetes-list-type: map, x-kubernetes-list-map-keys: [k1, k2], items: {type: object, required: [k1, k2], properties: {k1: {type: string}, k2: {type: string}, v1: {type: number, x-kubernetes-validations: [{rule: 'self >= oldSelf'}]}}}}}}");
        Assert.Empty(Errors(crd, "{\"field\": [{\"k1\": \"a\", \"k2\": \"b\", \"v1\": 1.2}]}", "{\"field\": [{\"k1\": \"a\", \"k2\": \"b\", \"v1\": 1.0}]}"));
        Assert.Equal(
            ["spec.field[0].v1: Invalid value: 0.9: failed rule: self >= oldSelf"],
            Errors(crd, "{\"field\": [{\"k1\": \"a\", \"k2\": \"b\", \"v1\": 0.9}]}", "{\"field\": [{\"k1\": \"a\", \"k2\": \"b\", \"v1\": 1.0}]}"));

        // An item whose keys match no old item has nothing to compare with.
        Assert.Empty(Errors(crd, "{\"field\": [{\"k1\": \"z\", \"k2\": \"b\", \"v1\": 0.9}]}", "{\"field\": [{\"k1\": \"a\", \"k2\": \"b\", \"v1\": 1.0}]}"));
    }

    [Fact]
    public void RuleUnderANonCorrelatableField()
    {
        var crd = Crd("{type: object, properties: {field: {type: array, items: {type: object, properties: {x: {type: string, x-kubernetes-validations: [{rule: \"self == 'x'\"}]}}}}}}");
        Assert.Empty(Errors(crd, "{\"field\": [{\"x\": \"x\"}]}"));
        Assert.Equal(["spec.field[0].x: Invalid value: \"y\": failed rule: self == 'x'"], Errors(crd, "{\"field\": [{\"x\": \"y\"}]}"));
    }

    [Fact]
    public void Message_MessageExpression_Reason_AndFieldPath()
    {
        var crd = Crd("""
            {type: object, x-kubernetes-validations: [
              {rule: 'self.min <= self.max', message: ' min must not exceed max '},
              {rule: 'self.min <= self.max', messageExpression: "self.label + ': min is above max'", reason: FieldValueForbidden, fieldPath: .max},
              {rule: 'has(self.name)', reason: FieldValueRequired, fieldPath: .name, message: name is required},
              {rule: 'self.min <= self.max', messageExpression: "''", reason: FieldValueDuplicate}
            ], properties: {min: {type: integer}, max: {type: integer}, name: {type: string}, label: {type: string, maxLength: 8}}}
            """);
        Assert.Equal(
            [
                "spec: Invalid value: min must not exceed max",
                "spec.max: Forbidden: range: min is above max",
                "spec.name: Required value: name is required",
                "spec: Duplicate value",
            ],
            Errors(crd, "{\"min\": 5, \"max\": 2, \"label\": \"range\"}"));
    }

    [Fact]
    public void RuntimeErrors_AreReportedWithTheRule()
    {
        var crd = Crd("{type: object, x-kubernetes-validations: [{rule: 'self.n / self.d > 0'}, {rule: 'self.missing > 0', message: needs missing}], properties: {n: {type: integer}, d: {type: integer}, missing: {type: integer}}}");
        Assert.Equal(
            [
                "spec: Invalid value: \"object\": division by zero evaluating rule: self.n / self.d > 0",
                "spec: Invalid value: \"object\": no such key: missing evaluating rule: needs missing",
            ],
            Errors(crd, "{\"n\": 1, \"d\": 0}"));
    }

    [Fact]
    public void ABlockingError_StopsTheRules_AsTheServerDoes()
    {
        var crd = Crd("{type: object, required: [a], x-kubernetes-validations: [{rule: 'false'}], properties: {a: {type: string}}}");
        Assert.Equal(
            [
                "spec.a: Required value",
                "<nil>: Invalid value: null: some validation rules were not checked because the object was invalid; correct the existing errors to complete validation",
            ],
            Errors(crd, "{}"));
    }

    [Fact]
    public void ARuleThatDoesNotCompile_RefusesTheCrd_AsTheServerDoes()
    {
        var ex = Assert.Throws<InvalidCustomResourceDefinitionException>(() => Crd("{type: object, x-kubernetes-validations: [{rule: 'self.a ==='}], properties: {a: {type: string}}}"));
        Assert.Contains(
            "spec.versions[0].schema.openAPIV3Schema.properties[spec].x-kubernetes-validations[0].rule: Invalid value: {\"Rule\":\"self.a ===\",\"Message\":\"\",\"MessageExpression\":\"\",\"Reason\":null,\"FieldPath\":\"\",\"OptionalOldSelf\":null}: compilation failed: ERROR: <input>:1:11: Syntax error: mismatched input '<EOF>' expecting ",
            ex.Message,
            StringComparison.Ordinal);
        Assert.Contains("\n | self.a ===\n | ..........^", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void MalformedRules_RefuseTheCrd()
    {
        var ex = Assert.Throws<InvalidCustomResourceDefinitionException>(() => Crd(
            "{type: object, properties: {l: {type: array, items: {type: string, x-kubernetes-validations: [{rule: 'self == oldSelf'}]}}, s: {type: string, x-kubernetes-validations: [{rule: 'self != \"\"', optionalOldSelf: true}, {rule: 'true', reason: Bad}, {rule: 'true', fieldPath: .nope}, {rule: 'true', message: '  '}]}}}"));
        string p = "spec.versions[0].schema.openAPIV3Schema.properties[spec]";
        Assert.Contains(p + ".properties[l].items.x-kubernetes-validations[0].rule: Invalid value: \"self == oldSelf\": oldSelf cannot be used on the uncorrelatable portion of the schema within " + p + ".properties[l]", ex.Message, StringComparison.Ordinal);
        Assert.Contains(p + ".properties[s].x-kubernetes-validations[1].reason: Unsupported value: \"Bad\": supported values: \"FieldValueDuplicate\", \"FieldValueForbidden\", \"FieldValueInvalid\", \"FieldValueRequired\"", ex.Message, StringComparison.Ordinal);
        Assert.Contains(p + ".properties[s].x-kubernetes-validations[2].fieldPath: Invalid value: \".nope\": must be a valid path", ex.Message, StringComparison.Ordinal);
        Assert.Contains(p + ".properties[s].x-kubernetes-validations[3].message: Invalid value: \"  \": must be non-empty if specified", ex.Message, StringComparison.Ordinal);

        ex = Assert.Throws<InvalidCustomResourceDefinitionException>(() => Crd("{type: object, properties: {s: {type: string, x-kubernetes-validations: [{rule: 'self != \"\"', optionalOldSelf: true}]}}}"));
        Assert.Contains(p + ".properties[s].x-kubernetes-validations[0].optionalOldSelf: Invalid value: true: may not be set if oldSelf is not used in rule", ex.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("self.s.lowerAscii() == 'abc' && self.s.upperAscii() == 'ABC'")]
    [InlineData("self.s.charAt(1) == 'B' && self.s.indexOf('c') == 2 && self.s.lastIndexOf('b') == -1")]
    [InlineData("'a,b,c'.split(',').size() == 3 && ' x '.trim() == 'x'")]
    [InlineData("'hello'.substring(1, 3) == 'el' && 'aaa'.replace('a', 'b', 2) == 'bba' && 'abc'.reverse() == 'cba'")]
    [InlineData("[1, 2, 3].isSorted() && [1, 2, 3].sum() == 6 && [3, 1, 2].min() == 1 && [3, 1, 2].max() == 3 && [1, 2, 1].lastIndexOf(1) == 2")]
    [InlineData("'abc123'.find('[0-9]+') == '123' && 'a1b2'.findAll('[0-9]').size() == 2 && self.s.matches('^a.c$') && !'abc'.matches('^b')")]
    [InlineData("isURL('https://example.com:8443/path?x=1') && url('https://example.com:8443/path?x=1').getHost() == 'example.com:8443' && url('https://example.com/p').getScheme() == 'https' && url('https://example.com:8443/').getPort() == '8443' && !isURL('not a url')")]
    [InlineData("isQuantity('100Mi') && quantity('1Gi').isGreaterThan(quantity('100Mi')) && quantity('500m').asApproximateFloat() == 0.5 && quantity('2k').asInteger() == 2000 && !isQuantity('1.2.3')")]
    [InlineData("isIP('10.0.0.1') && ip('10.0.0.1').family() == 4 && ip('::1').isLoopback() && !isIP('010.0.0.1') && cidr('10.0.0.0/8').containsIP(ip('10.1.2.3')) && cidr('10.0.0.0/8').prefixLength() == 8 && !isCIDR('10.0.0.0')")]
    public void KubernetesLibraries(string rule)
    {
        var crd = Crd("{type: object, x-kubernetes-validations: [{rule: \"" + rule.Replace("\"", "\\\"", StringComparison.Ordinal) + "\"}], properties: {s: {type: string}}}");
        Assert.Empty(Errors(crd, "{\"s\": \"aBc\"}"));
    }

    [Fact]
    public void FormattedStrings_AreTimestampsDurationsAndBytes_AsKubernetesTypesThem()
    {
        var crd = Crd("{type: object, x-kubernetes-validations: [{rule: \"self.at > timestamp('2024-01-01T00:00:00Z') && self.every < duration('1h') && size(self.data) == 3\"}], properties: {at: {type: string, format: date-time}, every: {type: string, format: duration}, data: {type: string, format: byte}}}");
        Assert.Empty(Errors(crd, "{\"at\": \"2025-06-01T10:00:00Z\", \"every\": \"30m\", \"data\": \"YWJj\"}"));
        Assert.Single(Errors(crd, "{\"at\": \"2023-06-01T10:00:00Z\", \"every\": \"30m\", \"data\": \"YWJj\"}"));
    }

    [Fact]
    public void OptionalOldSelf_RunsOnCreate_WithNoValue()
    {
        var crd = Crd("{type: object, properties: {n: {type: integer, x-kubernetes-validations: [{rule: '!oldSelf.hasValue() || self >= oldSelf.value()', optionalOldSelf: true, message: may only grow}, {rule: 'self < oldSelf.orValue(100)', optionalOldSelf: true, message: below the old value or 100}]}}}");
        Assert.Empty(Errors(crd, "{\"n\": 5}"));
        Assert.Equal(["spec.n: Invalid value: 500: below the old value or 100"], Errors(crd, "{\"n\": 500}"));
        Assert.Equal(["spec.n: Invalid value: 4: may only grow"], Errors(crd, "{\"n\": 4}", "{\"n\": 5}"));
    }

    [Fact]
    public void ARuleThatRunsAway_IsStopped_WithTheServersMessage_AndNoFurtherRuleRuns()
    {
        var crd = Crd("{type: object, x-kubernetes-validations: [{rule: 'self.l.all(x, self.l.all(y, x + y >= 0))'}, {rule: 'false', message: never reached}], properties: {l: {type: array, maxItems: 1100, items: {type: integer}}}}");
        var list = "[" + string.Join(",", Enumerable.Range(0, 1100)) + "]";
        Assert.Equal(
            ["spec: Invalid value: \"object\": 'operation cancelled: actual cost limit exceeded': no further validation rules will be run due to call cost exceeds limit for rule: self.l.all(x, self.l.all(y, x + y >= 0))"],
            Errors(crd, "{\"l\": " + list + "}"));

        // A small list stays far below the limit.
        Assert.Equal(["spec: Invalid value: never reached"], Errors(crd, "{\"l\": [1, 2, 3]}"));
    }

    [Fact]
    public void FormatLibrary_AndOptionalSelection_RunInRules()
    {
        var crd = Crd("{type: object, properties: {name: {type: string, maxLength: 63}}, x-kubernetes-validations: [{rule: \"!has(self.name) || !format.dns1123Label().validate(self.name).hasValue()\", message: bad name}, {rule: \"self.?name.orValue('ok') != 'bad'\"}]}");
        Assert.Empty(Errors(crd, "{\"name\": \"good-name\"}"));
        Assert.Empty(Errors(crd, "{}"));
        Assert.Equal(["spec: Invalid value: bad name"], Errors(crd, "{\"name\": \"Bad Name\"}"));
        Assert.Equal(["spec: Invalid value: failed rule: self.?name.orValue('ok') != 'bad'"], Errors(crd, "{\"name\": \"bad\"}"));
    }
}
