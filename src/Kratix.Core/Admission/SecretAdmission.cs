using System.Text;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using Kratix.Objects;

namespace Kratix.Admission;

/// <summary>
/// Validates a Kubernetes <c>v1</c> Secret as the API server would, for the fields the embedded platform keeps, and
/// normalises it: <c>stringData</c> is merged into <c>data</c> (base64), the namespace defaults to <c>default</c>, the type to
/// <c>Opaque</c>, and everything else (status, managed fields, unknown fields) is dropped. No message ever includes a value.
/// </summary>
public static partial class SecretAdmission
{
    public const string DefaultNamespace = "default";

    /// <summary>The admitted Secret: <c>apiVersion</c>, <c>kind</c>, <c>metadata</c> (name, namespace, labels, annotations), <c>type</c>, <c>data</c>.</summary>
    public static JsonObject Admit(JsonObject node)
    {
        var obj = new KubeObject(node);
        var problems = new List<string>();
        if (obj.ApiVersion != "v1")
        {
            problems.Add($"apiVersion: Unsupported value: \"{obj.ApiVersion}\": supported values: \"v1\"");
        }

        if (obj.Kind != "Secret")
        {
            problems.Add($"kind: Unsupported value: \"{obj.Kind}\": supported values: \"Secret\"");
        }

        problems.AddRange(Names.CheckSubdomain("metadata.name", obj.Name));
        var ns = obj.Namespace ?? DefaultNamespace;
        problems.AddRange(Names.CheckLabel("metadata.namespace", ns));

        var data = new SortedDictionary<string, byte[]>(StringComparer.Ordinal);
        if (node["data"] is JsonNode dataNode)
        {
            if (dataNode is not JsonObject dataObject)
            {
                problems.Add("data: Invalid value: must be a map of keys to base64-encoded values");
            }
            else
            {
                foreach (var (key, value) in dataObject)
                {
                    if (value is not JsonValue text || !text.TryGetValue<string>(out var encoded))
                    {
                        problems.Add($"data[{key}]: Invalid value: must be a base64-encoded string");
                        continue;
                    }

                    try
                    {
                        data[key] = Convert.FromBase64String(encoded);
                    }
                    catch (FormatException)
                    {
                        // Never echo the value: it is a secret, even when it is malformed.
                        problems.Add($"data[{key}]: Invalid value: (value hidden): illegal base64 data");
                    }
                }
            }
        }

        if (node["stringData"] is JsonNode stringDataNode)
        {
            if (stringDataNode is not JsonObject stringData)
            {
                problems.Add("stringData: Invalid value: must be a map of keys to strings");
            }
            else
            {
                // As the API server does: stringData is write-only and wins over data for the same key.
                foreach (var (key, value) in stringData)
                {
                    if (value is JsonValue text && text.TryGetValue<string>(out var plain))
                    {
                        data[key] = Encoding.UTF8.GetBytes(plain);
                    }
                    else
                    {
                        problems.Add($"stringData[{key}]: Invalid value: must be a string");
                    }
                }
            }
        }

        foreach (var key in data.Keys)
        {
            if (key.Length == 0 || key.Length > 253 || !DataKey().IsMatch(key))
            {
                problems.Add($"data[{key}]: Invalid value: \"{key}\": a valid config key must consist of alphanumeric characters, '-', '_' or '.' (e.g. 'key.name',  or 'KEY_NAME',  or 'key-name', regex used for validation is '[-._a-zA-Z0-9]+')");
            }
        }

        var type = node["type"] is JsonValue typeValue && typeValue.TryGetValue<string>(out var typeText) && typeText.Length > 0 ? typeText : "Opaque";
        if (problems.Count > 0)
        {
            throw new AdmissionException("SecretInvalid", $"Secret \"{obj.Name}\"", problems, obj.Name);
        }

        var metadata = new JsonObject { ["name"] = obj.Name, ["namespace"] = ns };
        foreach (var field in new[] { "labels", "annotations" })
        {
            if (obj.Metadata[field] is JsonObject map && map.Count > 0)
            {
                metadata[field] = map.DeepClone();
            }
        }

        var admittedData = new JsonObject();
        foreach (var (key, value) in data)
        {
            admittedData[key] = Convert.ToBase64String(value);
        }

        return new JsonObject
        {
            ["apiVersion"] = "v1",
            ["kind"] = "Secret",
            ["metadata"] = metadata,
            ["type"] = type,
            ["data"] = admittedData,
        };
    }

    [GeneratedRegex("^[-._a-zA-Z0-9]+$")]
    private static partial Regex DataKey();
}
