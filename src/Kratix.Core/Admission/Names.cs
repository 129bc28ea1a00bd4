using System.Text.RegularExpressions;

namespace Kratix.Admission;

/// <summary>Kubernetes name rules, with the messages apimachinery prints.</summary>
public static partial class Names
{
    public const string Dns1123SubdomainMessage =
        "a lowercase RFC 1123 subdomain must consist of lower case alphanumeric characters, '-' or '.', and must start and end with an alphanumeric character (e.g. 'example.com', regex used for validation is '[a-z0-9]([-a-z0-9]*[a-z0-9])?(\\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*')";

    public const string Dns1123LabelMessage =
        "a lowercase RFC 1123 label must consist of lower case alphanumeric characters or '-', and must start and end with an alphanumeric character (e.g. 'my-name',  or '123-abc', regex used for validation is '[a-z0-9]([-a-z0-9]*[a-z0-9])?')";

    /// <summary>Problems with a DNS-1123 subdomain name (at most <paramref name="maxLength"/> characters), as field errors.</summary>
    public static IEnumerable<string> CheckSubdomain(string field, string? value, int maxLength = 253)
    {
        if (string.IsNullOrEmpty(value))
        {
            yield return $"{field}: Required value: name or generateName is required";
            yield break;
        }

        if (value.Length > maxLength)
        {
            yield return $"{field}: Invalid value: \"{value}\": must be no more than {maxLength} characters";
        }

        if (!Subdomain().IsMatch(value))
        {
            yield return $"{field}: Invalid value: \"{value}\": {Dns1123SubdomainMessage}";
        }
    }

    public static IEnumerable<string> CheckLabel(string field, string? value)
    {
        if (string.IsNullOrEmpty(value))
        {
            yield return $"{field}: Required value";
            yield break;
        }

        if (value.Length > 63)
        {
            yield return $"{field}: Invalid value: \"{value}\": must be no more than 63 characters";
        }

        if (!Label().IsMatch(value))
        {
            yield return $"{field}: Invalid value: \"{value}\": {Dns1123LabelMessage}";
        }
    }

    [GeneratedRegex("^[a-z0-9]([-a-z0-9]*[a-z0-9])?(\\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*$")]
    private static partial Regex Subdomain();

    [GeneratedRegex("^[a-z0-9]([-a-z0-9]*[a-z0-9])?$")]
    private static partial Regex Label();
}
