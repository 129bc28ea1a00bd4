using System.Text.Json.Nodes;
using Kratix.Objects;

namespace Kratix.Admission;

/// <summary>Checks shared by every platform.kratix.io object: apiVersion, kind and name.</summary>
internal static class PlatformObjectAdmission
{
    public static List<string> CheckTypeAndName(JsonObject node, string kind)
    {
        var obj = new KubeObject(node);
        var problems = new List<string>();
        if (obj.ApiVersion != KratixApi.ApiVersion)
        {
            problems.Add($"apiVersion: Unsupported value: \"{obj.ApiVersion}\": supported values: \"{KratixApi.ApiVersion}\"");
        }

        if (obj.Kind != kind)
        {
            problems.Add($"kind: Unsupported value: \"{obj.Kind}\": supported values: \"{kind}\"");
        }

        problems.AddRange(Names.CheckSubdomain("metadata.name", obj.Name));
        return problems;
    }

    public static string Describe(JsonObject node, string kind) => $"{kind} \"{new KubeObject(node).Name}\"";
}
