using Kratix.Schema;

namespace Kratix.Tests.Schema;

/// <summary>
/// The static type check at CRD creation: cases from apiextensions-apiserver's TestCelCompilation
/// (schema/cel/compilation_test.go, v0.36.3) and cel-go's checker wording, and the refusal at Promise install with the
/// server's field path and message.
/// </summary>
public class CelTypeCheckTests
{
    private static CelRuleCompiler.Result Compile(string schemaYaml, string rule, bool optionalOldSelf = false, string? messageExpression = null)
    {
        var node = StructuralSchema.Parse(TestYaml.Obj(schemaYaml)).Root;
        var r = CelRuleCompiler.Compile(node, new CelRule(rule, null, messageExpression, null, null) { OptionalOldSelf = optionalOldSelf ? true : null }, isResourceRoot: false);
        Assert.NotNull(r);
        Assert.False(r!.Unchecked, rule + ": not checked");
        return r;
    }

    [Theory]
    [InlineData("{type: object, properties: {minReplicas: {type: integer}, maxReplicas: {type: integer}}}", "self.minReplicas < self.maxReplicas")]
    [InlineData("{type: string}", "self.startsWith('s')")]
    [InlineData("{type: string, format: byte}", "string(self).endsWith('s')")]
    [InlineData("{type: boolean}", "self == true")]
    [InlineData("{type: integer}", "self > 0")]
    [InlineData("{type: number}", "self > 1.0")]
    [InlineData("{type: object, properties: {nestedObj: {type: object, properties: {val: {type: integer, format: int64}}}}}", "self.nestedObj.val == 10")]
    [InlineData("{type: object, properties: {nestedObj: {type: array, items: {type: array, items: {type: string}}}}}", "size(self.nestedObj[0]) == 10")]
    [InlineData("{type: array, items: {type: array, items: {type: array, items: {type: string}}}}", "size(self[0][0]) == 10")]
    [InlineData("{type: array, items: {type: object, properties: {nestedObj: {type: object, properties: {val: {type: integer, format: int64}}}}}}", "self[0].nestedObj.val == 10")]
    [InlineData("{type: object, additionalProperties: {type: boolean}}", "size(self) > 0")]
    [InlineData("{type: object, properties: {a-b: {type: integer}, if: {type: integer}}}", "self.a__dash__b == 1 && self.__if__ == 2")]
    [InlineData("{type: integer}", "self >= oldSelf")]
    [InlineData("{type: object, properties: {namespace: {type: array, items: {type: array, items: {type: string}}}, if: {type: integer}}}", "size(self.namespace[0]) == 10 && self.if == 10")]
    [InlineData("{type: integer}", "self > 1.5")]
    [InlineData("{type: object, properties: {s: {type: string}, l: {type: array, items: {type: string}}, m: {type: object, additionalProperties: {type: integer}}}}", "self.l.all(x, x != self.s) && self.m.exists(k, self.m[k] > 0) && self.l.map(x, size(x)).all(n, n > 0) && self.l.filter(x, x == 'a').size() < 2 && 's' in self.l && 'k' in self.m && has(self.s)")]
    [InlineData("{type: object, properties: {q: {type: string}, ip: {type: string}, u: {type: string}}}", "quantity(self.q).isGreaterThan(quantity('1')) && ip(self.ip).family() == 4 && url(self.u).getHost() != '' && self.q.matches('^[0-9]+$') && self.q.split(',').size() > 0")]
    [InlineData("{type: object, properties: {at: {type: string, format: date-time}, every: {type: string, format: duration}}}", "self.at > timestamp('2024-01-01T00:00:00Z') && self.every < duration('1h')")]
    [InlineData("{type: object, properties: {x: {x-kubernetes-int-or-string: true}}}", "self.x == 1 || self.x == 'a'")]
    [InlineData("{type: object, properties: {o: {type: object, properties: {a: {type: string}}}}}", "self.o == null || has(self.o.a)")]
    [InlineData("{type: string}", "format.dns1123Label().validate(self).hasValue() == false")]
    [InlineData("{type: string}", "!format.named('dns1123Label').hasValue() || format.named('dns1123Label').value().validate(self) == optional.none()")]
    public void ValidRules_TypeCheck(string schema, string rule)
    {
        var r = Compile(schema, rule);
        Assert.True(r.Error is null, r.Error);
    }

    [Fact]
    public void OptionalOldSelf_TypeChecksAsAnOptional()
    {
        Assert.Null(Compile("{type: integer}", "self >= oldSelf.value()", optionalOldSelf: true).Error);
        Assert.Null(Compile("{type: integer}", "self >= oldSelf.orValue(1)", optionalOldSelf: true).Error);
        Assert.Null(Compile("{type: integer}", "oldSelf.hasValue() ? self >= oldSelf.value() : true", optionalOldSelf: true).Error);
        Assert.Contains("optional", Compile("{type: integer}", "self >= oldSelf", optionalOldSelf: true).Error);
        Assert.Contains("orValue", Compile("{type: integer}", "self >= oldSelf.orValue('')", optionalOldSelf: true).Error);
    }

    [Fact]
    public void AFunctionOnTheWrongType_IsCelGosNoMatchingOverload()
    {
        Assert.Equal(
            "compilation failed: ERROR: <input>:1:25: found no matching overload for 'startsWith' applied to 'int.(string)'\n | self.replicas.startsWith('a')\n | ........................^",
            Compile("{type: object, properties: {replicas: {type: integer}}}", "self.replicas.startsWith('a')").Error);
        Assert.Equal(
            "compilation failed: ERROR: <input>:1:5: found no matching overload for 'size' applied to '(double)'\n | size(self) == 10\n | ....^",
            Compile("{type: number}", "size(self) == 10").Error);
        Assert.Equal(
            "compilation failed: ERROR: <input>:1:8: found no matching overload for '_==_' applied to '(int, double)'\n | self.n == 1.0\n | .......^",
            Compile("{type: object, properties: {n: {type: integer}}}", "self.n == 1.0").Error);
        Assert.Equal(
            "compilation failed: ERROR: <input>:1:8: found no matching overload for '_==_' applied to '(string, null)'\n | self.s == null\n | .......^",
            Compile("{type: object, properties: {s: {type: string}}}", "self.s == null").Error);
    }

    [Fact]
    public void UnknownFieldsAndNames_AreRefused()
    {
        Assert.Equal(
            "compilation failed: ERROR: <input>:1:5: undefined field 'nope'\n | self.nope == 1\n | ....^",
            Compile("{type: object, properties: {n: {type: integer}}}", "self.nope == 1").Error);
        Assert.Equal(
            "compilation failed: ERROR: <input>:1:13: undeclared reference to 'fakeFunction' (in container '')\n | fakeFunction('abc') == 'ABC'\n | ............^",
            Compile("{type: object}", "fakeFunction('abc') == 'ABC'").Error);
        Assert.Equal(
            "compilation failed: ERROR: <input>:1:1: undeclared reference to 'other' (in container '')\n | other > 1\n | ^",
            Compile("{type: integer}", "other > 1").Error);
        Assert.Equal(
            "compilation failed: ERROR: <input>:1:7: type 'int' does not support field selection\n | self.n.x == 1\n | ......^",
            Compile("{type: object, properties: {n: {type: integer}}}", "self.n.x == 1").Error);
    }

    [Fact]
    public void ARuleMustBeABool_AndAMessageExpressionAString()
    {
        Assert.Equal("cel expression must evaluate to a bool", Compile("{type: object}", "42").Error);
        Assert.Equal("messageExpression must evaluate to a string", Compile("{type: integer}", "self == 5", messageExpression: "42").MessageExpressionError);
        Assert.StartsWith("messageExpression compilation failed: ERROR: <input>:1:", Compile("{type: integer}", "self == 5", messageExpression: "self.x").MessageExpressionError);
    }

    private static InvalidCustomResourceDefinitionException Refused(string specSchema) =>
        Assert.Throws<InvalidCustomResourceDefinitionException>(() => CustomResourceDefinition.Parse(TestYaml.Obj(
            "{apiVersion: apiextensions.k8s.io/v1, kind: CustomResourceDefinition, metadata: {name: things.example.com}, spec: {group: example.com, names: {kind: Thing, plural: things}, scope: Namespaced, versions: [{name: v1, served: true, storage: true, schema: {openAPIV3Schema: {type: object, properties: {spec: " + specSchema + "}}}}]}}")));

    [Fact]
    public void AtInstall_ARuleThatDoesNotTypeCheck_IsRefusedWithTheServersError()
    {
        var ex = Refused("{type: object, properties: {replicas: {type: integer}}, x-kubernetes-validations: [{rule: \"self.replicas.startsWith('a')\"}]}");
        Assert.Contains(
            "spec.versions[0].schema.openAPIV3Schema.properties[spec].x-kubernetes-validations[0].rule: Invalid value: {\"Rule\":\"self.replicas.startsWith('a')\",\"Message\":\"\",\"MessageExpression\":\"\",\"Reason\":null,\"FieldPath\":\"\",\"OptionalOldSelf\":null}: compilation failed: ERROR: <input>:1:25: found no matching overload for 'startsWith' applied to 'int.(string)'",
            ex.Message,
            StringComparison.Ordinal);
    }

    [Fact]
    public void AtInstall_ARuleTooCostlyForItsCardinality_IsRefusedWithTheServersMessage()
    {
        // One rule on the items of an unbounded list of strings runs once per item the request can hold.
        var ex = Refused("{type: object, properties: {names: {type: array, items: {type: string, x-kubernetes-validations: [{rule: \"self.contains('x')\"}]}}}}");
        Assert.Contains(
            "spec.versions[0].schema.openAPIV3Schema.properties[spec].properties[names].items.x-kubernetes-validations[0].rule: Forbidden: estimated rule cost exceeds budget by factor of more than 100x (try simplifying the rule, or adding maxItems, maxProperties, and maxLength where arrays, maps, and strings are declared)",
            ex.Message,
            StringComparison.Ordinal);
        Assert.Contains(
            "spec.versions[0].schema.openAPIV3Schema: Forbidden: x-kubernetes-validations estimated rule cost total for entire OpenAPIv3 schema exceeds budget by factor of more than 100x",
            ex.Message,
            StringComparison.Ordinal);

        // Bounded, the same rule is accepted.
        CustomResourceDefinition.Parse(TestYaml.Obj(
            "{apiVersion: apiextensions.k8s.io/v1, kind: CustomResourceDefinition, metadata: {name: things.example.com}, spec: {group: example.com, names: {kind: Thing, plural: things}, scope: Namespaced, versions: [{name: v1, served: true, storage: true, schema: {openAPIV3Schema: {type: object, properties: {spec: {type: object, properties: {names: {type: array, maxItems: 100, items: {type: string, maxLength: 63, x-kubernetes-validations: [{rule: \"self.contains('x')\"}]}}}}}}}}]}}"));
    }

    [Fact]
    public void CostErrorMessage_FormatsTheFactorAsGoDoes()
    {
        Assert.Equal(
            "estimated rule cost exceeds budget by factor of 1.200000x (try simplifying the rule, or adding maxItems, maxProperties, and maxLength where arrays, maps, and strings are declared)",
            CelRuleCompiler.CostErrorMessage("estimated rule cost", 12_000_000, 10_000_000));
        Assert.StartsWith("estimated rule cost exceeds budget by factor of 2.5x ", CelRuleCompiler.CostErrorMessage("estimated rule cost", 25_000_000, 10_000_000));
    }
}
