using System.Text.Json.Nodes;
using Kratix.Schema;

namespace Kratix.Tests.Schema;

/// <summary>Go RE2 patterns and Go's value formatting, which decide what users see in messages.</summary>
public class GoCompatibilityTests
{
    private static bool Matches(string pattern, string value)
    {
        var re = GoRegex.TryCompile(pattern, out var error);
        Assert.True(re is not null, error);
        return re!.IsMatch(value);
    }

    [Fact]
    public void ShorthandClasses_AreAsciiOnly_LikeGo()
    {
        Assert.True(Matches("^\\d+$", "123"));
        Assert.False(Matches("^\\d+$", "\u0663\u0664")); // Arabic-Indic digits: \d in .NET, not in Go
        Assert.False(Matches("^\\w+$", "\u00e9t\u00e9"));
        Assert.True(Matches("^[\\w.-]+$", "a_b.c-d"));
        Assert.False(Matches("^\\s$", "\u00a0"));
        Assert.True(Matches("^[\\D]$", "x"));
        Assert.False(Matches("^[\\D]$", "7"));
    }

    [Fact]
    public void Dollar_MatchesOnlyAtTheEnd_UnlessMultiline()
    {
        Assert.False(Matches("^a$", "a\n"));
        Assert.True(Matches("(?m)^a$", "a\nb"));
    }

    [Fact]
    public void GoOnlySyntax_IsTranslated()
    {
        Assert.True(Matches("^(?P<word>[a-z]+)$", "abc"));
        Assert.True(Matches("^\\Qa.b\\E$", "a.b"));
        Assert.False(Matches("^\\Qa.b\\E$", "axb"));
        Assert.True(Matches("^[[:alpha:]]+$", "abcXYZ"));
        Assert.True(Matches("^\\x{41}$", "A"));
        Assert.True(Matches("^\\pL+$", "abc"));
    }

    [Theory]
    [InlineData("(?=a)")]
    [InlineData("(?!a)")]
    [InlineData("(?<=a)b")]
    [InlineData("(a)\\1")]
    [InlineData("a{1001}")]
    [InlineData("(a")]
    [InlineData("a\\Z")]
    public void WhatRe2Refuses_IsRefused(string pattern)
    {
        Assert.Null(GoRegex.TryCompile(pattern, out var error));
        Assert.StartsWith("error parsing regexp: ", error, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData(65535.0, "65535")]
    [InlineData(1000000.0, "1e+06")]
    [InlineData(0.5, "0.5")]
    [InlineData(0.00001, "1e-05")]
    [InlineData(123456.7, "123456.7")]
    [InlineData(-2.5e10, "-2.5e+10")]
    public void FloatsArePrintedLikeGoPercentV(double value, string expected)
    {
        Assert.Equal(expected, GoFormat.FormatFloatV(value));
    }

    [Fact]
    public void JsonIsMarshalledLikeGo_WithSortedKeysAndHtmlEscapes()
    {
        var node = TestYaml.Value("{b: 1, a: '<x>', c: [1.5, true, null]}");
        Assert.Equal("{\"a\":\"\\u003cx\\u003e\",\"b\":1,\"c\":[1.5,true,null]}", GoFormat.MarshalJson(node));
    }

    [Fact]
    public void StringsAreQuotedLikeGo()
    {
        Assert.Equal("\"a\\\"b\\n\\tc\u00e9\"", GoFormat.Quote("a\"b\n\tc\u00e9"));
        Assert.Equal("\"\\x01\"", GoFormat.Quote("\u0001"));
    }

    [Fact]
    public void FieldError_RendersLikeKubernetes()
    {
        Assert.Equal("spec.name: Required value", new FieldError("spec.name", FieldErrorType.Required, "", "").ToString());
        Assert.Equal("spec.x: Invalid value: 1.5: bad", new FieldError("spec.x", FieldErrorType.Invalid, 1.5, "bad").ToString());
        Assert.Equal("spec.x: Invalid value: true", new FieldError("spec.x", FieldErrorType.Invalid, true, "").ToString());
        Assert.Equal("spec.x: Duplicate value: {\"a\":1}", new FieldError("spec.x", FieldErrorType.Duplicate, new JsonObject { ["a"] = 1L }, "").ToString());
        Assert.Equal("spec.x: Forbidden: nope", new FieldError("spec.x", FieldErrorType.Forbidden, "ignored", "nope").ToString());
        Assert.Equal("spec.x: Invalid value: null: d", new FieldError("spec.x", FieldErrorType.Invalid, null, "d").ToString());
    }

    [Fact]
    public void IntegralFloats_CountAsJsonIntegers_LikeSwag()
    {
        Assert.True(JsonData.IsFloat64AJSONInteger(2.0));
        Assert.True(JsonData.IsFloat64AJSONInteger(-3.0));
        Assert.False(JsonData.IsFloat64AJSONInteger(2.5));
        Assert.False(JsonData.IsFloat64AJSONInteger(1e300));
        Assert.False(JsonData.IsFloat64AJSONInteger(double.NaN));
    }
}
