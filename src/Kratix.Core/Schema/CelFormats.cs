namespace Kratix.Schema;

/// <summary>
/// The Kubernetes format library (k8s.io/apiserver pkg/cel/library/format.go, v0.36.3): <c>format.named(name)</c> (an
/// optional format), <c>format.&lt;name&gt;()</c> and <c>&lt;format&gt;.validate(string)</c>, which is
/// <c>optional.none()</c> for a valid string and an optional list of the validator's messages otherwise.
/// </summary>
internal sealed class CelFormat(string name, Func<string, List<string>> validate, int maxRegexSize) : Cel.CelType("kubernetes.NamedFormat:" + name)
{
    public string Name { get; } = name;

    public int MaxRegexSize { get; } = maxRegexSize;

    public List<string> Validate(string value) => validate(value);

    public override bool Equals(object? obj) => obj is CelFormat f && f.Name == Name;

    public override int GetHashCode() => Name.GetHashCode(StringComparison.Ordinal);
}

internal static class CelFormats
{
    /// <summary>ConstantFormats, by the name CEL uses.</summary>
    public static readonly Dictionary<string, CelFormat> All = new(StringComparer.Ordinal)
    {
        ["dns1123Label"] = new("DNS1123Label", s => NameValidation.IsDns1123Label(s), 30),
        ["dns1123Subdomain"] = new("DNS1123Subdomain", s => NameValidation.IsDns1123Subdomain(s), 60),
        ["dns1035Label"] = new("DNS1035Label", s => NameValidation.IsDns1035Label(s), 30),
        ["qualifiedName"] = new("QualifiedName", s => NameValidation.IsQualifiedName(s), 60),
        ["dns1123LabelPrefix"] = new("DNS1123LabelPrefix", s => NameValidation.IsDns1123Label(MaskTrailingDash(s)), 30),
        ["dns1123SubdomainPrefix"] = new("DNS1123SubdomainPrefix", s => NameValidation.IsDns1123Subdomain(MaskTrailingDash(s)), 60),
        ["dns1035LabelPrefix"] = new("DNS1035LabelPrefix", s => NameValidation.IsDns1035Label(MaskTrailingDash(s)), 30),
        ["labelValue"] = new("LabelValue", s => NameValidation.IsLabelValue(s), 40),
        ["uri"] = new("URI", Uri, 1103),
        ["uuid"] = new("uuid", s => StringFormats.Validate("uuid", s) ? [] : ["does not match the UUID format"], 70),
        ["byte"] = new("byte", s => StringFormats.Validate("byte", s) ? [] : ["invalid base64"], 84),
        ["date"] = new("date", s => StringFormats.Validate("date", s) ? [] : ["invalid date"], 71),
        ["datetime"] = new("datetime", s => StringFormats.Validate("datetime", s) ? [] : ["invalid datetime"], 71),
    };

    public static IEnumerable<string> Names => All.Keys;

    /// <summary>apimachinery's maskTrailingDash: a generateName prefix may end in a dash.</summary>
    private static string MaskTrailingDash(string s) => s.Length > 1 && s.EndsWith('-') ? s[..^1] + "a" : s;

    /// <summary>url.ParseRequestURI's errors, for the common cases.</summary>
    private static List<string> Uri(string s)
    {
        if (s.Length == 0)
        {
            return ["parse \"\": empty url"];
        }

        return CelLibrary.ParseUrl(s) is null ? ["parse " + GoFormat.Quote(s) + ": invalid URI for request"] : [];
    }
}
