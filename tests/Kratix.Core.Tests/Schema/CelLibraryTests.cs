using Kratix.Schema;

namespace Kratix.Tests.Schema;

/// <summary>
/// The Kubernetes CEL library cases of k8s.io/apiserver v0.36 pkg/cel/library (ip_test.go, cidr_test.go,
/// quantity_test.go) with a boolean, integer, string or double result or a runtime error, run on the embedded CEL
/// environment. Error texts are not compared (the parse errors are Go's netip and resource messages). Cases this
/// environment cannot run yet are listed in <see cref="NotSupported"/> with the reason, and must still not throw.
/// </summary>
public class CelLibraryTests
{
    /// <summary>Upstream cases that differ here, and why (kept honest: each is checked to differ, not to crash).</summary>
    private static readonly Dictionary<string, string> NotSupported = new()
    {
        ["type(ip(\"192.168.0.1\")) == net.IP"] = "the type names net.IP and net.CIDR are not declared",
        ["type(cidr(\"192.168.0.0/24\")) == net.CIDR"] = "net.CIDR",
        ["quantity(\"9999999999999999999999999999999999999G\").isInteger()"] = "quantities beyond what a decimal holds (about 7.9e28) do not parse here",
    };

    public static TheoryData<string, string, string> Cases => new()
    {
        { "ip: parse invalid ipv4", "ip(\"192.168.0.1.0\")", "ERROR" },
        { "ip: isIP valid ipv4", "isIP(\"192.168.0.1\")", "true" },
        { "ip: isIP invalid ipv4", "isIP(\"192.168.0.1.0\")", "false" },
        { "ip: ip.isCanonical valid ipv4", "ip.isCanonical(\"127.0.0.1\")", "true" },
        { "ip: ip.isCanonical invalid ipv4", "ip.isCanonical(\"127.0.0.1.0\")", "ERROR" },
        { "ip: ipv4 family", "ip(\"192.168.0.1\").family()", "4" },
        { "ip: ipv4 isUnspecified true", "ip(\"0.0.0.0\").isUnspecified()", "true" },
        { "ip: ipv4 isUnspecified false", "ip(\"127.0.0.1\").isUnspecified()", "false" },
        { "ip: ipv4 isLoopback true", "ip(\"127.0.0.1\").isLoopback()", "true" },
        { "ip: ipv4 isLoopback false", "ip(\"1.2.3.4\").isLoopback()", "false" },
        { "ip: ipv4 isLinkLocalMulticast true", "ip(\"224.0.0.1\").isLinkLocalMulticast()", "true" },
        { "ip: ipv4 isLinkLocalMulticast false", "ip(\"224.0.1.1\").isLinkLocalMulticast()", "false" },
        { "ip: ipv4 isLinkLocalUnicast true", "ip(\"169.254.169.254\").isLinkLocalUnicast()", "true" },
        { "ip: ipv4 isLinkLocalUnicast false", "ip(\"192.168.0.1\").isLinkLocalUnicast()", "false" },
        { "ip: ipv4 isGlobalUnicast true", "ip(\"192.168.0.1\").isGlobalUnicast()", "true" },
        { "ip: ipv4 isGlobalUnicast false", "ip(\"255.255.255.255\").isGlobalUnicast()", "false" },
        { "ip: parse invalid ipv6", "ip(\"2001:db8:::68\")", "ERROR" },
        { "ip: isIP valid ipv6", "isIP(\"2001:db8::68\")", "true" },
        { "ip: isIP invalid ipv4", "isIP(\"2001:db8:::68\")", "false" },
        { "ip: ip.isCanonical valid ipv6", "ip.isCanonical(\"2001:db8::68\")", "true" },
        { "ip: ip.isCanonical non-canonical ipv6", "ip.isCanonical(\"2001:DB8::68\")", "false" },
        { "ip: ip.isCanonical invalid ipv6", "ip.isCanonical(\"2001:db8:::68\")", "ERROR" },
        { "ip: ipv6 family", "ip(\"2001:db8::68\").family()", "6" },
        { "ip: ipv6 isUnspecified true", "ip(\"::\").isUnspecified()", "true" },
        { "ip: ipv6 isUnspecified false", "ip(\"::1\").isUnspecified()", "false" },
        { "ip: ipv6 isLoopback true", "ip(\"::1\").isLoopback()", "true" },
        { "ip: ipv6 isLoopback false", "ip(\"2001:db8::abcd\").isLoopback()", "false" },
        { "ip: ipv6 isLinkLocalMulticast true", "ip(\"ff02::1\").isLinkLocalMulticast()", "true" },
        { "ip: ipv6 isLinkLocalMulticast false", "ip(\"fd00::1\").isLinkLocalMulticast()", "false" },
        { "ip: ipv6 isLinkLocalUnicast true", "ip(\"fe80::1\").isLinkLocalUnicast()", "true" },
        { "ip: ipv6 isLinkLocalUnicast false", "ip(\"fd80::1\").isLinkLocalUnicast()", "false" },
        { "ip: ipv6 isGlobalUnicast true", "ip(\"2001:db8::abcd\").isGlobalUnicast()", "true" },
        { "ip: ipv6 isGlobalUnicast false", "ip(\"ff00::1\").isGlobalUnicast()", "false" },
        { "ip: converting an IP address to a string", "string(ip(\"192.168.0.1\"))", "\"192.168.0.1\"" },
        { "ip: type of IP is net.IP", "type(ip(\"192.168.0.1\")) == net.IP", "true" },
        { "cidr: parse invalid ipv4", "cidr(\"192.168.0.0/\")", "ERROR" },
        { "cidr: contains IP ipv4 (IP)", "cidr(\"192.168.0.0/24\").containsIP(ip(\"192.168.0.1\"))", "true" },
        { "cidr: does not contain IP ipv4 (IP)", "cidr(\"192.168.0.0/24\").containsIP(ip(\"192.168.1.1\"))", "false" },
        { "cidr: contains IP ipv4 (string)", "cidr(\"192.168.0.0/24\").containsIP(\"192.168.0.1\")", "true" },
        { "cidr: does not contain IP ipv4 (string)", "cidr(\"192.168.0.0/24\").containsIP(\"192.168.1.1\")", "false" },
        { "cidr: contains CIDR ipv4 (CIDR)", "cidr(\"192.168.0.0/24\").containsCIDR(cidr(\"192.168.0.0/25\"))", "true" },
        { "cidr: contains CIDR ipv4 (CIDR) (/32)", "cidr(\"192.168.0.0/24\").containsCIDR(cidr(\"192.168.0.1/32\"))", "true" },
        { "cidr: does not contain IP ipv4 (CIDR)", "cidr(\"192.168.0.0/24\").containsCIDR(cidr(\"192.168.0.0/23\"))", "false" },
        { "cidr: does not contain IP ipv4 (CIDR) (/32)", "cidr(\"192.168.0.0/24\").containsCIDR(cidr(\"192.169.0.1/32\"))", "false" },
        { "cidr: contains CIDR ipv4 (string)", "cidr(\"192.168.0.0/24\").containsCIDR(\"192.168.0.0/25\")", "true" },
        { "cidr: does not contain CIDR ipv4 (string)", "cidr(\"192.168.0.0/24\").containsCIDR(\"192.168.0.0/23\")", "false" },
        { "cidr: returns prefix length ipv4", "cidr(\"192.168.0.0/24\").prefixLength()", "24" },
        { "cidr: parse invalid ipv6", "cidr(\"2001:db8::/\")", "ERROR" },
        { "cidr: contains IP ipv6 (IP)", "cidr(\"2001:db8::/32\").containsIP(ip(\"2001:db8::1\"))", "true" },
        { "cidr: does not contain IP ipv6 (IP)", "cidr(\"2001:db8::/32\").containsIP(ip(\"2001:dc8::1\"))", "false" },
        { "cidr: contains IP ipv6 (string)", "cidr(\"2001:db8::/32\").containsIP(\"2001:db8::1\")", "true" },
        { "cidr: does not contain IP ipv6 (string)", "cidr(\"2001:db8::/32\").containsIP(\"2001:dc8::1\")", "false" },
        { "cidr: contains CIDR ipv6 (CIDR)", "cidr(\"2001:db8::/32\").containsCIDR(cidr(\"2001:db8::/33\"))", "true" },
        { "cidr: does not contain IP ipv6 (CIDR)", "cidr(\"2001:db8::/32\").containsCIDR(cidr(\"2001:db8::/31\"))", "false" },
        { "cidr: contains CIDR ipv6 (string)", "cidr(\"2001:db8::/32\").containsCIDR(\"2001:db8::/33\")", "true" },
        { "cidr: does not contain CIDR ipv6 (string)", "cidr(\"2001:db8::/32\").containsCIDR(\"2001:db8::/31\")", "false" },
        { "cidr: returns prefix length ipv6", "cidr(\"2001:db8::/32\").prefixLength()", "32" },
        { "cidr: converting a CIDR to a string", "string(cidr(\"192.168.0.0/24\"))", "\"192.168.0.0/24\"" },
        { "cidr: type of CIDR is net.CIDR", "type(cidr(\"192.168.0.0/24\")) == net.CIDR", "true" },
        { "quantity: parseInvalidSuffix", "quantity(\"10Mo\")", "ERROR" },
        { "quantity: parseInvalidSuffixPassesRegex", "quantity(\"10Mm\")", "ERROR" },
        { "quantity: isQuantity", "isQuantity(\"20\")", "true" },
        { "quantity: isQuantity_megabytes", "isQuantity(\"20M\")", "true" },
        { "quantity: isQuantity_mebibytes", "isQuantity(\"20Mi\")", "true" },
        { "quantity: isQuantity_invalidSuffix", "isQuantity(\"20Mo\")", "false" },
        { "quantity: isQuantity_passingRegex", "isQuantity(\"10Mm\")", "false" },
        { "quantity: equality_reflexivity", "quantity(\"200M\") == quantity(\"200M\")", "true" },
        { "quantity: equality_symmetry", "quantity(\"200M\") == quantity(\"0.2G\") && quantity(\"0.2G\") == quantity(\"200M\")", "true" },
        { "quantity: equality_transitivity", "quantity(\"2M\") == quantity(\"0.002G\") && quantity(\"2000k\") == quantity(\"2M\") && quantity(\"0.002G\") == quantity(\"2000k\")", "true" },
        { "quantity: inequality", "quantity(\"200M\") == quantity(\"0.3G\")", "false" },
        { "quantity: quantity_less", "quantity(\"50M\").isLessThan(quantity(\"50Mi\"))", "true" },
        { "quantity: quantity_less_obvious", "quantity(\"50M\").isLessThan(quantity(\"100M\"))", "true" },
        { "quantity: quantity_less_false", "quantity(\"100M\").isLessThan(quantity(\"50M\"))", "false" },
        { "quantity: quantity_greater", "quantity(\"50Mi\").isGreaterThan(quantity(\"50M\"))", "true" },
        { "quantity: quantity_greater_obvious", "quantity(\"150Mi\").isGreaterThan(quantity(\"100Mi\"))", "true" },
        { "quantity: quantity_greater_false", "quantity(\"50M\").isGreaterThan(quantity(\"100M\"))", "false" },
        { "quantity: compare_equal", "quantity(\"200M\").compareTo(quantity(\"0.2G\"))", "0" },
        { "quantity: compare_less", "quantity(\"50M\").compareTo(quantity(\"50Mi\"))", "-1" },
        { "quantity: compare_greater", "quantity(\"50Mi\").compareTo(quantity(\"50M\"))", "1" },
        { "quantity: add_quantity", "quantity(\"50k\").add(quantity(\"20\")) == quantity(\"50.02k\")", "true" },
        { "quantity: add_int", "quantity(\"50k\").add(20).isLessThan(quantity(\"50020\"))", "false" },
        { "quantity: sub_quantity", "quantity(\"50k\").sub(quantity(\"20\")) == quantity(\"49.98k\")", "true" },
        { "quantity: sub_int", "quantity(\"50k\").sub(20) == quantity(\"49980\")", "true" },
        { "quantity: arith_chain_1", "quantity(\"50k\").add(20).sub(quantity(\"100k\")).asInteger()", "-49980" },
        { "quantity: arith_chain", "quantity(\"50k\").add(20).sub(quantity(\"100k\")).sub(-50000).asInteger()", "20" },
        { "quantity: as_integer", "quantity(\"50k\").asInteger()", "50000" },
        { "quantity: as_integer_error", "quantity(\"9999999999999999999999999999999999999G\").asInteger()", "ERROR" },
        { "quantity: is_integer", "quantity(\"9999999999999999999999999999999999999G\").isInteger()", "false" },
        { "quantity: is_integer", "quantity(\"50\").isInteger()", "true" },
        { "quantity: as_float", "quantity(\"50.703k\").asApproximateFloat()", "50703d" },
    };

    [Theory]
    [MemberData(nameof(Cases))]
    public void UpstreamCase(string name, string expression, string expected)
    {
        var (program, compileError) = CelLibrary.Compile(expression);
        object? result = null;
        string? error = compileError;
        if (program is not null)
        {
            (result, error) = CelLibrary.Run(program, new Dictionary<string, object?>());
        }

        bool agrees = expected switch
        {
            "ERROR" => error is not null,
            "true" => error is null && result is true,
            "false" => error is null && result is false,
            _ when expected.StartsWith('"') => error is null && result is string s && s == expected.Trim('"'),
            _ when expected.EndsWith('d') => error is null && result is double d && d == double.Parse(expected.TrimEnd('d'), System.Globalization.CultureInfo.InvariantCulture),
            _ => error is null && result is long l && l.ToString(System.Globalization.CultureInfo.InvariantCulture) == expected,
        };

        if (NotSupported.ContainsKey(expression))
        {
            Assert.False(agrees, name + " now agrees with upstream: remove it from NotSupported");
            return;
        }

        Assert.True(agrees, $"{name}: {expression} gave {result ?? "null"} ({result?.GetType().Name}) error {error ?? "none"}, upstream {expected}");
    }
}
