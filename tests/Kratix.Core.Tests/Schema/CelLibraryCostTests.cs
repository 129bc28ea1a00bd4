using Kratix.Schema;

namespace Kratix.Tests.Schema;

/// <summary>
/// Estimated costs of the Kubernetes library functions, ported from k8s.io/apiserver pkg/cel/library/cost_test.go
/// (v0.36.3, the cases given as an expression and an estimate), with that test's size estimator: every string or bytes
/// value is 0 to 12 long.
/// </summary>
public class CelLibraryCostTests
{
    [Theory]
    [InlineData("'ABCDEFGHIJ abcdefghij'.lowerAscii()", 3, 3)]
    [InlineData("'ABCDEFGHIJ abcdefghij'.lowerAscii() == 'abcdefghij ABCDEFGHIJ'.lowerAscii()", 7, 9)]
    [InlineData("'ABCDEFGHIJ abcdefghij'.upperAscii()", 3, 3)]
    [InlineData("'ABCDEFGHIJ abcdefghij'.upperAscii() == 'abcdefghij ABCDEFGHIJ'.upperAscii()", 7, 9)]
    [InlineData("strings.quote('ABCDEFGHIJ abcdefghij')", 3, 3)]
    [InlineData("strings.quote('ABCDEFGHIJ abcdefghij') == strings.quote('ABCDEFGHIJ abcdefghij')", 7, 11)]
    [InlineData("'abc 123 def 123'.replace('123', '456')", 3, 3)]
    [InlineData("'abc 123 def 123'.replace('', 'x')", 3, 3)]
    [InlineData("'abc 123 def 123'.replace('123', '')", 3, 3)]
    [InlineData("'abc 123 def 123'.replace('123', '456', 1)", 3, 3)]
    [InlineData("'abc 123 def 123'.split(' ')", 3, 3)]
    [InlineData("'abc 123 def 123'.split(' ', 1)", 3, 3)]
    [InlineData("'abc 123 def 123'.substring(5)", 2, 2)]
    [InlineData("'abc 123 def 123'.substring(5, 8)", 2, 2)]
    [InlineData("'  abc 123 def 123  '.trim()", 2, 2)]
    [InlineData("['aa', 'bb', 'cc', 'd', 'e', 'f', 'g', 'h', 'i', 'j'].join(' ')", 11, 23)]
    [InlineData("['aa', 'bb', 'cc', 'd', 'e', 'f', 'g', 'h', 'i', 'j'].join()", 10, 22)]
    [InlineData("'abc 123 def 123'.find('123')", 2, 2)]
    [InlineData("'abc 123 def 123'.findAll('123')", 2, 2)]
    [InlineData("'abc 123 def 123'.findAll('123', 1)", 2, 2)]
    public void EstimatedCost_IsUpstreams(string expr, ulong min, ulong max)
    {
        var checkedExpr = CelChecker.Check(expr, new Dictionary<string, CheckType>(StringComparer.Ordinal));
        Assert.NotNull(checkedExpr);
        Assert.Null(checkedExpr!.Errors);
        Assert.False(checkedExpr.Unsupported);
        var cost = CelCostEstimator.Estimate(checkedExpr, (_, t) => t.Kind is CelKind.String or CelKind.Bytes ? new CelCost(0, 12) : null);
        Assert.Equal((min, max), (cost.Min, cost.Max));
    }
}
