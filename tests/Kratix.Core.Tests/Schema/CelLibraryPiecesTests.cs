using Kratix.Schema;

namespace Kratix.Tests.Schema;

/// <summary>
/// The CEL library pieces added for issue 14, each against its upstream tests' cases: cel-go's strings.quote
/// (ext/strings_test.go, v0.26), Kubernetes' format library (pkg/cel/library/format_test.go) and ip.isCanonical
/// (ip_test.go, v0.36.3), and optional types with <c>.?</c>/<c>[?]</c> selection (cel-go's optional tests).
/// </summary>
public class CelLibraryPiecesTests
{
    private static object? Eval(string expr, Dictionary<string, object?>? vars = null, bool optionalOldSelf = false)
    {
        var (program, error) = CelLibrary.Compile(expr, optionalOldSelf);
        Assert.True(error is null, expr + ": " + error);
        var (result, runError) = CelLibrary.Run(program!, vars ?? new Dictionary<string, object?>(StringComparer.Ordinal));
        Assert.True(runError is null, expr + ": " + runError);
        return result;
    }

    private static string? EvalError(string expr)
    {
        var (program, error) = CelLibrary.Compile(expr);
        Assert.Null(error);
        return CelLibrary.Run(program!, new Dictionary<string, object?>(StringComparer.Ordinal)).Error;
    }

    [Theory]
        [InlineData(@"strings.quote(""first\nsecond"") == ""\""first\\nsecond\""""")]
        [InlineData(@"strings.quote(""bell\a"") == ""\""bell\\a\""""")]
        [InlineData(@"strings.quote(""\bbackspace"") == ""\""\\bbackspace\""""")]
        [InlineData(@"strings.quote(""\fform feed"") == ""\""\\fform feed\""""")]
        [InlineData(@"strings.quote(""carriage \r return"") == ""\""carriage \\r return\""""")]
        [InlineData(@"strings.quote(""horizontal tab\t"") == ""\""horizontal tab\\t\""""")]
        [InlineData(@"strings.quote(""vertical \v tab"") == ""\""vertical \\v tab\""""")]
        [InlineData(@"strings.quote(""double \\\\ slash"") == ""\""double \\\\\\\\ slash\""""")]
        [InlineData(@"strings.quote(""two escape sequences \a\n"") == ""\""two escape sequences \\a\\n\""""")]
        [InlineData(@"strings.quote(""verbatim"") == ""\""verbatim\""""")]
        [InlineData(@"strings.quote(""ends with \\"") == ""\""ends with \\\\\""""")]
        [InlineData(@"strings.quote(""\\ starts with"") == ""\""\\\\ starts with\""""")]
        [InlineData(@"strings.quote(""printable unicode😀"") == ""\""printable unicode😀\""""")]
        [InlineData(@"strings.quote(""mid string \"" quote"") == ""\""mid string \\\"" quote\""""")]
        [InlineData(@"strings.quote('single-quote with ""double quote""') == ""\""single-quote with \\\""double quote\\\""\""""")]
        [InlineData(@"strings.quote(""size('ÿ')"") == ""\""size('ÿ')\""""")]
        [InlineData(@"strings.quote(""size('πέντε')"") == ""\""size('πέντε')\""""")]
        [InlineData(@"strings.quote(""завтра"") == ""\""завтра\""""")]
        [InlineData(@"strings.quote(""\U0001F431\U0001F600\U0001F61B"") == ""\""\U0001F431\U0001F600\U0001F61B\""""")]
        [InlineData(@"strings.quote(""ta©o©αT"") == ""\""ta©o©αT\""""")]
    public void StringsQuote(string expr) => Assert.Equal(true, Eval(expr));

    [Theory]
    [InlineData("format.dns1123Label().validate(\"my-label-name\")", null)]
    [InlineData("format.dns1123Subdomain().validate(\"apiextensions.k8s.io\")", null)]
    [InlineData("format.qualifiedName().validate(\"apiextensions.k8s.io/v1beta1\")", null)]
    [InlineData("format.dns1123LabelPrefix().validate(\"my-label-prefix-\")", null)]
    [InlineData("format.dns1123SubdomainPrefix().validate(\"mysubdomain.prefix.-\")", null)]
    [InlineData("format.dns1035LabelPrefix().validate(\"my-label-prefix-\")", null)]
    [InlineData("format.uri().validate(\"http://example.com\")", null)]
    [InlineData("format.uuid().validate(\"123e4567-e89b-12d3-a456-426614174000\")", null)]
    [InlineData("format.byte().validate(\"aGVsbG8=\")", null)]
    [InlineData("format.date().validate(\"2021-01-01\")", null)]
    [InlineData("format.datetime().validate(\"2021-01-01T00:00:00Z\")", null)]
    [InlineData("format.dns1123Label().validate(\"contains a space\")", "a lowercase RFC 1123 label must consist of lower case alphanumeric characters or '-', and must start and end with an alphanumeric character (e.g. 'my-name',  or '123-abc', regex used for validation is '[a-z0-9]([-a-z0-9]*[a-z0-9])?')")]
    [InlineData("format.dns1123Subdomain().validate(\"contains a space\")", "a lowercase RFC 1123 subdomain must consist of lower case alphanumeric characters, '-' or '.', and must start and end with an alphanumeric character (e.g. 'example.com', regex used for validation is '[a-z0-9]([-a-z0-9]*[a-z0-9])?(\\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*')")]
    [InlineData("format.dns1035Label().validate(\"contains a space\")", "a DNS-1035 label must consist of lower case alphanumeric characters or '-', start with an alphabetic character, and end with an alphanumeric character (e.g. 'my-name',  or 'abc-123', regex used for validation is '[a-z]([-a-z0-9]*[a-z0-9])?')")]
    [InlineData("format.qualifiedName().validate(\"contains a space\")", "name part must consist of alphanumeric characters, '-', '_' or '.', and must start and end with an alphanumeric character (e.g. 'MyName',  or 'my.name',  or '123-abc', regex used for validation is '([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9]')")]
    [InlineData("format.dns1123LabelPrefix().validate(\"contains a space-\")", "a lowercase RFC 1123 label must consist of lower case alphanumeric characters or '-', and must start and end with an alphanumeric character (e.g. 'my-name',  or '123-abc', regex used for validation is '[a-z0-9]([-a-z0-9]*[a-z0-9])?')")]
    [InlineData("format.dns1035LabelPrefix().validate(\"contains a space-\")", "a DNS-1035 label must consist of lower case alphanumeric characters or '-', start with an alphabetic character, and end with an alphanumeric character (e.g. 'my-name',  or 'abc-123', regex used for validation is '[a-z]([-a-z0-9]*[a-z0-9])?')")]
    [InlineData("format.dns1123Subdomain().validate(\"example.com\")", null)]
    [InlineData("format.dns1035Label().validate(\"my-label-name\")", null)]
    [InlineData("format.qualifiedName().validate(\"my.name\")", null)]
    [InlineData("format.byte().validate(\"aGVsbG8\")", "invalid base64")]
    [InlineData("format.date().validate(\"2020-01-32\")", "invalid date")]
    [InlineData("format.datetime().validate(\"2020-01-32T00:00:00Z\")", "invalid datetime")]
    [InlineData("format.labelValue().validate(\"my-cool-label-Value\")", null)]
    [InlineData("format.named(\"dns1123Label\").value().validate(\"contains a space\")", "a lowercase RFC 1123 label must consist of lower case alphanumeric characters or '-', and must start and end with an alphanumeric character (e.g. 'my-name',  or '123-abc', regex used for validation is '[a-z0-9]([-a-z0-9]*[a-z0-9])?')")]
    public void FormatLibrary(string expr, string? firstMessage)
    {
        var result = Assert.IsType<CelOptional>(Eval(expr));
        if (firstMessage is null)
        {
            Assert.False(result.HasValue);
        }
        else
        {
            Assert.True(result.HasValue);
            Assert.Equal(firstMessage, Assert.IsAssignableFrom<System.Collections.IList>(result.Value)[0]);
        }
    }

    [Fact]
    public void FormatNamed_IsAnOptional()
    {
        Assert.Equal(false, Eval("format.named(\"unknown\").hasValue()"));
        Assert.Equal(true, Eval("format.named(\"dns1123Label\").hasValue()"));
        Assert.Equal(true, Eval("format.named(\"dns1123Label\").value() == format.dns1123Label()"));
        Assert.Equal(true, Eval("format.dns1123Label().validate(\"ok\") == optional.none()"));
    }

    [Theory]
    [InlineData("ip.isCanonical(\"127.0.0.1\")", true)]
    [InlineData("ip.isCanonical(\"2001:db8::68\")", true)]
    [InlineData("ip.isCanonical(\"2001:DB8::68\")", false)]
    [InlineData("ip.isCanonical(\"2001:db8::abcd\")", true)]
    [InlineData("ip.isCanonical(\"2001:db8::0:0:0:abcd\")", false)]
    public void IpIsCanonical(string expr, bool expected) => Assert.Equal(expected, Eval(expr));

    [Fact]
    public void IpIsCanonical_OfAnInvalidAddress_IsTheParseError() =>
        Assert.StartsWith("IP Address \"127.0.0.1.0\" parse error during conversion from string: ParseAddr(\"127.0.0.1.0\"): ", EvalError("ip.isCanonical(\"127.0.0.1.0\")"));

    [Theory]
    [InlineData("{'a': 1}.?a == optional.of(1)")]
    [InlineData("{'a': 1}.?b == optional.none()")]
    [InlineData("{'a': 1}.?b.orValue(5) == 5")]
    [InlineData("{'a': {'b': 2}}.?a.b == optional.of(2)")]
    [InlineData("{'a': {'b': 2}}.?x.b.hasValue() == false")]
    [InlineData("{'a': 1}[?'a'].value() == 1")]
    [InlineData("[1, 2][?1] == optional.of(2)")]
    [InlineData("![1, 2][?5].hasValue()")]
    [InlineData("optional.of(1) != optional.of(2)")]
    [InlineData("optional.none().or(optional.of(3)).value() == 3")]
    [InlineData("optional.of(1).or(optional.of(3)).value() == 1")]
    [InlineData("optional.ofNonZeroValue('') == optional.none()")]
    [InlineData("optional.ofNonZeroValue('x').value() == 'x'")]
    [InlineData("[?optional.none(), ?optional.of(1), 2] == [1, 2]")]
    [InlineData("'a?b'.size() == 3")]
    public void OptionalTypes(string expr) => Assert.Equal(true, Eval(expr));

    [Fact]
    public void OptionalSelection_OnSelfAndOptionalOldSelf()
    {
        var self = new Dictionary<string, object?>(StringComparer.Ordinal) { ["a"] = "x" };
        var vars = new Dictionary<string, object?>(StringComparer.Ordinal) { ["self"] = self, ["oldSelf"] = CelOptional.None };
        Assert.Equal("d", Eval("self.?b.orValue('d')", vars));
        Assert.Equal(true, Eval("oldSelf.a.orValue('x') == self.a", vars, optionalOldSelf: true));
        vars["oldSelf"] = new CelOptional(new Dictionary<string, object?>(StringComparer.Ordinal) { ["a"] = "y" });
        Assert.Equal(false, Eval("oldSelf.a.orValue('x') == self.a", vars, optionalOldSelf: true));
    }
}
