using System.Text.Json.Nodes;
using Kratix.Schema;

namespace Kratix.Tests.Schema;

/// <summary>
/// The static cost estimate, ported from apiextensions-apiserver's TestCostEstimation (schema/cel/compilation_test.go,
/// v0.36.3): each case's schema generator is written out as YAML, once without limits ("calc") and once with
/// maxItems/maxProperties/maxLength set ("set"), and the rule's estimated cost must be the server's, to the unit.
/// </summary>
public class CelCostEstimationTests
{
    private const ulong CostLimit = 100_000_000;

    private static string Max(string keyword, long? max) => max is { } m ? ", " + keyword + ": " + m : string.Empty;

    private static string Prim(string t) => t switch
    {
        "int-or-string" => "{x-kubernetes-int-or-string: true}",
        "date" or "date-time" or "duration" => "{type: string, format: " + t + "}",
        _ => "{type: " + t + "}",
    };

    private static string Rule(string rule) => ", x-kubernetes-validations: [{rule: " + System.Text.Json.JsonSerializer.Serialize(rule) + "}]";

    private static Func<long?, string> ArrayWithRule(string t, string rule) => m => "{type: array, items: " + Prim(t) + Max("maxItems", m) + Rule(rule) + "}";

    private static Func<long?, string> ArrayOfArrays(string t, string rule) => m => "{type: array, items: {type: array, items: {type: " + t + "}}" + Max("maxItems", m) + Rule(rule) + "}";

    private static Func<long?, string> ObjectArray(string rule) => m => "{type: array, items: {type: object, required: [required], properties: {required: {type: string}, optional: {type: string}}}" + Max("maxItems", m) + Rule(rule) + "}";

    private static Func<long?, string> MapArray(string t, string rule) => m => "{type: array, items: {type: object, additionalProperties: {type: " + t + "}}" + Max("maxItems", m) + Rule(rule) + "}";

    private static Func<long?, string> MapWithRule(string t, string rule) => m => "{type: object, additionalProperties: " + Prim(t) + Max("maxProperties", m) + Rule(rule) + "}";

    private static Func<long?, string> MapWithItem(string item, string rule) => m => "{type: object, additionalProperties: " + item + Max("maxProperties", m) + Rule(rule) + "}";

    private static Func<long?, string> StringWithRule(string rule) => m => "{type: string" + Max("maxLength", m) + Rule(rule) + "}";

    private static Func<long?, string> BytesWithRule(string rule) => m => "{type: string, format: byte" + Max("maxLength", m) + Rule(rule) + "}";

    private const string ObjectForMap = "{type: object, required: [required], properties: {required: {type: string}, optional: {type: string}}}";

    public static TheoryData<string, Func<long?, string>, ulong, ulong, long, ulong, ulong> Cases => new()
    {
        { "number array with all", ArrayWithRule("number", "self.all(x, true)"), 4718591, 0, 10, 32, 0 },
        { "string array with all", ArrayWithRule("string", "self.all(x, true)"), 3145727, 0, 20, 62, 0 },
        { "boolean array with all", ArrayWithRule("boolean", "self.all(x, true)"), 1887437, 0, 5, 17, 0 },
        { "array of number arrays with all", ArrayOfArrays("number", "self.all(x, true)"), 3145727, 0, 100, 302, 0 },
        { "array of objects with all", ObjectArray("self.all(x, true)"), 555128, 0, 50, 152, 0 },
        { "map of numbers with all", MapWithRule("number", "self.all(x, true)"), 1348169, 0, 10, 32, 0 },
        { "map of numbers with has", MapWithRule("number", "has(self.x)"), 0, 0, 100, 0, 0 },
        { "map of strings with all", MapWithRule("string", "self.all(x, true)"), 1179647, 0, 3, 11, 0 },
        { "map of booleans with all", MapWithRule("boolean", "self.all(x, true)"), 943718, 0, 100, 302, 0 },
        { "string with contains", StringWithRule("self.contains('test')"), 314574, 0, 10, 5, 0 },
        { "string with startsWith", StringWithRule("self.startsWith('test')"), 2, 0, 15, 2, 0 },
        { "string with endsWith", StringWithRule("self.endsWith('test')"), 2, 0, 30, 2, 0 },
        { "concat string", StringWithRule("size(self + \"hello\") > size(\"hello\")"), 314578, 0, 4, 7, 0 },
        { "index of array with numbers", ArrayWithRule("number", "self[1] == 0.0"), 2, 0, 5000, 2, 0 },
        { "index of array with strings", ArrayWithRule("string", "self[1] == self[1]"), 314577, 0, 8, 314577, 0 },
        { "O(n^2) loop with numbers", ArrayWithRule("number", "self.all(x, self.all(y, true))"), 0, CostLimit, 10, 352, 0 },
        { "O(n^3) loop with numbers", ArrayWithRule("number", "self.all(x, self.all(y, self.all(z, true)))"), 0, CostLimit, 10, 3552, 0 },
        { "regex matches simple", StringWithRule("self.matches(\"x\")"), 314574, 0, 50, 22, 0 },
        { "regex matches empty string", StringWithRule("\"\".matches(\"(((((((((())))))))))[0-9]\")"), 7, 0, 10, 7, 0 },
        { "regex matches empty regex", StringWithRule("self.matches(\"\")"), 1, 0, 100, 1, 0 },
        { "map of strings with value length", m => "{type: object, additionalProperties: {type: string" + Max("maxLength", m) + "}" + Max("maxProperties", m) + Rule("self.all(x, x.contains(self[x]))") + "}", 2752507, 0, 10, 72, 0 },
        { "set array maxLength to zero", ArrayWithRule("number", "self[3] == 0.0"), 2, 0, 0, 2, 0 },
        { "set map maxLength to zero", MapWithRule("number", "self[\"x\"] == 0.0"), 2, 0, 0, 2, 0 },
        { "set string maxLength to zero", StringWithRule("self == \"x\""), 2, 0, 0, 1, 0 },
        { "set bytes maxLength to zero", BytesWithRule("self == b\"x\""), 2, 0, 0, 1, 0 },
        { "set maxLength greater than estimated maxLength", ArrayWithRule("number", "self.all(x, x == 0.0)"), 6291454, 0, 3 * 1024 * 2048, 25165826, 0 },
        { "nested types with root rule with all supporting maxLength", m => "{type: array, items: {type: object, additionalProperties: {type: object, required: [required]" + Max("maxProperties", m) + ", properties: {required: {type: string}, optional: {type: string}}}" + Max("maxProperties", m) + "}" + Max("maxItems", m) + Rule("self.all(x, x[\"y\"].required == \"z\")") + "}", 7340027, 0, 10, 72, 0 },
        { "nested types with root rule with one supporting maxLength", m => "{type: array, items: {type: object, additionalProperties: {type: object, required: [required], properties: {required: {type: string}, optional: {type: string}}}" + Max("maxProperties", m) + "}" + Rule("self.all(x, x[\"y\"].required == \"z\")") + "}", 7340027, 0, 10, 7340027, 0 },
        { "int-or-string array with all", ArrayWithRule("int-or-string", "self.all(x, true)"), 4718591, 0, 10, 32, 0 },
        { "index of array with int-or-strings", ArrayWithRule("int-or-string", "self[0] == 5"), 3, 0, 10, 3, 0 },
        { "index of array with booleans", ArrayWithRule("boolean", "self[0] == false"), 2, 0, 25, 2, 0 },
        { "index of array of objects", ObjectArray("self[0] == null"), 2, 0, 422, 2, 0 },
        { "index of array of array of numbers", ArrayOfArrays("number", "self[0][0] == -1.0"), 3, 0, 51, 3, 0 },
        { "array of number maps with all", MapArray("number", "self.all(x, x.y == 25.2)"), 6291452, 0, 12, 74, 0 },
        { "index of array of number maps", MapArray("number", "self[0].x > 2.0"), 4, 0, 3000, 4, 0 },
        { "duration array with all", ArrayWithRule("duration", "self.all(x, true)"), 2359295, 0, 5, 17, 0 },
        { "index of duration array", ArrayWithRule("duration", "self[0].getHours() == 2"), 4, 0, 525, 4, 0 },
        { "date array with all", ArrayWithRule("date", "self.all(x, true)"), 725936, 0, 15, 47, 0 },
        { "index of date array", ArrayWithRule("date", "self[2].getDayOfMonth() == 13"), 4, 0, 42, 4, 0 },
        { "date-time array with all", ArrayWithRule("date-time", "self.all(x, true)"), 428963, 0, 25, 77, 0 },
        { "index of date-time array", ArrayWithRule("date-time", "self[2].getMinutes() == 45"), 4, 0, 99, 4, 0 },
        { "map of int-or-strings with all", MapWithRule("int-or-string", "self.all(x, true)"), 1348169, 0, 15, 47, 0 },
        { "map of objects with all", MapWithItem(ObjectForMap, "self.all(x, true)"), 428963, 0, 20, 62, 0 },
        { "map of number maps with all", MapWithItem("{type: object, additionalProperties: {type: number}}", "self.all(x, true)"), 1179647, 0, 10, 32, 0 },
        { "map of number arrays with all", MapWithItem("{type: array, items: {type: number}}", "self.all(x, true)"), 1179647, 0, 25, 77, 0 },
        { "map of durations with all", MapWithRule("duration", "self.all(x, true)"), 1048577, 0, 5, 17, 0 },
        { "map of dates with all", MapWithRule("date", "self.all(x, true)"), 524288, 0, 10, 32, 0 },
        { "map of date-times with all", MapWithRule("date-time", "self.all(x, true)"), 349526, 0, 25, 77, 0 },
        { "extended library regex find", StringWithRule("self.find('[0-9]+') == ''"), 629147, 0, 10, 11, 0 },
        { "extended library join", m => "{type: array, items: {type: string" + Max("maxLength", m) + "}" + Max("maxItems", m) + Rule("self.join(' ') == 'aa bb'") + "}", 329853068905, 0, 10, 43, 0 },
        { "extended library isSorted", m => "{type: array, items: {type: string" + Max("maxLength", m) + "}" + Max("maxItems", m) + Rule("self.isSorted() == true") + "}", 329854432052, 0, 10, 52, 0 },
        { "extended library replace", m => "{type: object, properties: {str: {type: string" + Max("maxLength", m) + "}, before: {type: string, maxLength: 2}, after: {type: string, maxLength: 4}}" + Rule("self.str.replace(self.before, self.after) == 'does not matter'") + "}", 629154, 0, 4, 12, 0 },
        { "extended library split", m => "{type: object, properties: {str: {type: string" + Max("maxLength", m) + "}, separator: {type: string" + Max("maxLength", m) + "}}" + Rule("self.str.split(self.separator) == []") + "}", 629160, 0, 10, 22, 0 },
        { "extended library lowerAscii", StringWithRule("self.lowerAscii() == 'lower!'"), 314575, 0, 10, 6, 0 },
        { "check cost of size call", MapWithRule("integer", "oldSelf.size() == self.size()"), 5, 0, 10, 5, 0 },
        { "check cost of timestamp comparison", MapWithRule("date-time", "self[\"a\"] == self[\"b\"]"), 8, 0, 7, 8, 0 },
        { "check cost of duration comparison", MapWithRule("duration", "self[\"c\"] == self[\"d\"]"), 8, 0, 42, 8, 0 },
        { "enums with maxLength equals to the longest possible value", m => "{type: string, enum: [A, B, C, LongValue]" + Max("maxLength", m) + Rule("self.contains('A')") + "}", 2, 0, 1000, 401, 0 },
        { "IntOrString type with quantity rule", m => "{x-kubernetes-int-or-string: true" + Max("maxLength", m) + Rule("isQuantity(self)") + "}", 314574, 0, 20, 9, 0 },
    };

    [Theory]
    [MemberData(nameof(Cases))]
    public void EstimatedCost_IsTheServers(string name, Func<long?, string> schema, ulong calcCost, ulong calcExceeds, long setMax, ulong setCost, ulong setExceeds)
    {
        Check(name + " (calc)", schema(null), calcCost, calcExceeds);
        Check(name + " (set)", schema(setMax), setCost, setExceeds);
    }

    private static void Check(string name, string yaml, ulong expected, ulong exceeds)
    {
        var node = StructuralSchema.Parse(TestYaml.Obj(yaml)).Root;
        var result = CelRuleCompiler.Compile(node, node.Validations[0], isResourceRoot: false);
        Assert.NotNull(result);
        Assert.False(result!.Unchecked, name + ": not checked");
        Assert.True(result.Error is null, name + ": " + result.Error);
        if (expected > 0)
        {
            Assert.True(expected == result.MaxCost, name + ": expected " + expected + ", got " + result.MaxCost);
        }

        if (exceeds > 0)
        {
            Assert.True(result.MaxCost >= exceeds, name + ": expected more than " + exceeds + ", got " + result.MaxCost);
        }
    }
}
