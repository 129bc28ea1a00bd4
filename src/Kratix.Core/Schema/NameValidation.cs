using System.Text.RegularExpressions;

namespace Kratix.Schema;

/// <summary>Kubernetes' name and label checks (k8s.io/apimachinery util/validation and api/validate/content), with their messages.</summary>
internal static partial class NameValidation
{
    private const string Dns1123LabelFmt = "[a-z0-9]([-a-z0-9]*[a-z0-9])?";
    private const string Dns1123SubdomainFmt = Dns1123LabelFmt + "(\\." + Dns1123LabelFmt + ")*";
    private const string Dns1035LabelFmt = "[a-z]([-a-z0-9]*[a-z0-9])?";
    private const string LabelKeyFmt = "([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9]";
    private const string LabelValueFmt = "(" + LabelKeyFmt + ")?";

    [GeneratedRegex("^" + Dns1123LabelFmt + "\\z", RegexOptions.CultureInvariant)]
    private static partial Regex Dns1123Label();

    [GeneratedRegex("^" + Dns1123SubdomainFmt + "\\z", RegexOptions.CultureInvariant)]
    private static partial Regex Dns1123Subdomain();

    [GeneratedRegex("^" + Dns1035LabelFmt + "\\z", RegexOptions.CultureInvariant)]
    private static partial Regex Dns1035Label();

    [GeneratedRegex("^" + LabelKeyFmt + "\\z", RegexOptions.CultureInvariant)]
    private static partial Regex LabelKey();

    [GeneratedRegex("^" + LabelValueFmt + "\\z", RegexOptions.CultureInvariant)]
    private static partial Regex LabelValue();

    public static string RegexError(string msg, string fmt, params string[] examples)
    {
        if (examples.Length == 0)
        {
            return msg + " (regex used for validation is '" + fmt + "')";
        }

        msg += " (e.g. ";
        for (int i = 0; i < examples.Length; i++)
        {
            if (i > 0)
            {
                msg += " or ";
            }

            msg += "'" + examples[i] + "', ";
        }

        return msg + "regex used for validation is '" + fmt + "')";
    }

    /// <summary>util/validation.IsDNS1123Subdomain (metadata.name of custom resources, CRD group).</summary>
    public static List<string> IsDns1123Subdomain(string value)
    {
        var errs = new List<string>();
        if (System.Text.Encoding.UTF8.GetByteCount(value) > 253)
        {
            errs.Add("must be no more than 253 characters");
        }

        if (!Dns1123Subdomain().IsMatch(value))
        {
            errs.Add(RegexError("a lowercase RFC 1123 subdomain must consist of lower case alphanumeric characters, '-' or '.', and must start and end with an alphanumeric character", Dns1123SubdomainFmt, "example.com"));
        }

        return errs;
    }

    /// <summary>util/validation.IsDNS1123Label (namespace names).</summary>
    public static List<string> IsDns1123Label(string value)
    {
        var errs = new List<string>();
        if (System.Text.Encoding.UTF8.GetByteCount(value) > 63)
        {
            errs.Add("must be no more than 63 characters");
        }

        if (!Dns1123Label().IsMatch(value))
        {
            errs.Add(Dns1123Subdomain().IsMatch(value)
                ? "must not contain dots"
                : RegexError("a lowercase RFC 1123 label must consist of lower case alphanumeric characters or '-', and must start and end with an alphanumeric character", Dns1123LabelFmt, "my-name", "123-abc"));
        }

        return errs;
    }

    /// <summary>util/validation.IsDNS1035Label (CRD plural, singular, kind, versions).</summary>
    public static List<string> IsDns1035Label(string value)
    {
        var errs = new List<string>();
        if (System.Text.Encoding.UTF8.GetByteCount(value) > 63)
        {
            errs.Add("must be no more than 63 characters");
        }

        if (!Dns1035Label().IsMatch(value))
        {
            errs.Add(RegexError("a DNS-1035 label must consist of lower case alphanumeric characters or '-', start with an alphabetic character, and end with an alphanumeric character", Dns1035LabelFmt, "my-name", "abc-123"));
        }

        return errs;
    }

    /// <summary>content.IsLabelKey / IsQualifiedName (label and annotation keys, finalizers).</summary>
    public static List<string> IsQualifiedName(string value)
    {
        var errs = new List<string>();
        var parts = value.Split('/');
        string name;
        const string keyMsg = "must consist of alphanumeric characters, '-', '_' or '.', and must start and end with an alphanumeric character";
        switch (parts.Length)
        {
            case 1:
                name = parts[0];
                break;
            case 2:
                name = parts[1];
                if (parts[0].Length == 0)
                {
                    errs.Add("prefix part must be non-empty");
                }
                else
                {
                    var prefixErrs = new List<string>();
                    if (System.Text.Encoding.UTF8.GetByteCount(parts[0]) > 253)
                    {
                        prefixErrs.Add("must be no more than 253 bytes");
                    }

                    if (!Dns1123Subdomain().IsMatch(parts[0]))
                    {
                        prefixErrs.Add(RegexError("a lowercase RFC 1123 subdomain must consist of lower case alphanumeric characters, '-' or '.', and must start and end with an alphanumeric character", Dns1123SubdomainFmt, "example.com"));
                    }

                    errs.AddRange(prefixErrs.Select(e => "prefix part " + e));
                }

                break;
            default:
                errs.Add("a valid label key " + RegexError(keyMsg, LabelKeyFmt, "MyName", "my.name", "123-abc")
                    + " with an optional DNS subdomain prefix and '/' (e.g. 'example.com/MyName')");
                return errs;
        }

        if (name.Length == 0)
        {
            errs.Add("name part must be non-empty");
        }
        else if (System.Text.Encoding.UTF8.GetByteCount(name) > 63)
        {
            errs.Add("name part must be no more than 63 bytes");
        }

        if (!LabelKey().IsMatch(name))
        {
            errs.Add("name part " + RegexError(keyMsg, LabelKeyFmt, "MyName", "my.name", "123-abc"));
        }

        return errs;
    }

    /// <summary>content.IsLabelValue.</summary>
    public static List<string> IsLabelValue(string value)
    {
        var errs = new List<string>();
        if (System.Text.Encoding.UTF8.GetByteCount(value) > 63)
        {
            errs.Add("must be no more than 63 bytes");
        }

        if (!LabelValue().IsMatch(value))
        {
            errs.Add(RegexError("a valid label must be an empty string or consist of alphanumeric characters, '-', '_' or '.', and must start and end with an alphanumeric character", LabelValueFmt, "MyValue", "my_value", "12345"));
        }

        return errs;
    }
}
