using System.Text.Json.Nodes;
using Kratix.Schema;

namespace Kratix.Objects;

/// <summary>Builds a request manifest for a Promise from a name, namespace, spec and labels (New-KratixRequest -Promise ...).</summary>
public static class RequestBuilder
{
    public static JsonObject Build(Promise promise, string name, string? ns, JsonNode? spec, JsonNode? labels)
    {
        if (promise.Api is null)
        {
            throw new KratixException("PromiseHasNoApi", KratixErrorCategory.InvalidOperation, $"Promise \"{promise.Name}\" has no API, so it takes no requests.", promise.Name);
        }

        var crd = CustomResourceDefinition.Parse(promise.Api);
        var version = crd.Versions.FirstOrDefault(v => v.Storage && v.Served) ?? crd.Versions.First(v => v.Served);
        var metadata = new JsonObject { ["name"] = name };
        if (ns is not null)
        {
            // Without one, the platform's default namespace (a cluster context's) applies.
            metadata["namespace"] = ns;
        }
        if (labels is JsonObject labelMap && labelMap.Count > 0)
        {
            metadata["labels"] = labelMap.DeepClone();
        }

        var request = new JsonObject
        {
            ["apiVersion"] = $"{crd.Group}/{version.Name}",
            ["kind"] = crd.Names.Kind,
            ["metadata"] = metadata,
        };
        if (spec is not null)
        {
            request["spec"] = spec.DeepClone();
        }

        return request;
    }
}
