using System.Text.Json.Nodes;

namespace Kratix.Schema;

/// <summary>
/// Objects marked <c>x-kubernetes-embedded-resource: true</c> below the root: their <c>metadata</c> is decoded as
/// ObjectMeta (objectmeta.Coerce) and they are checked like resources (objectmeta.Validate): apiVersion and kind are
/// required, kind must be a (mixed-case) DNS-1035 label, metadata must be valid.
/// </summary>
internal static class EmbeddedResources
{
    /// <summary>
    /// objectmeta.CoerceWithOptions below the root: the first problem (apiVersion or kind not a string, metadata that does
    /// not decode as ObjectMeta) is returned as the field error's text, which the API server answers as a 400.
    /// </summary>
    public static string? Coerce(JsonNode? value, SchemaNode root, List<string> unknownFields)
    {
        if (!root.HasEmbeddedResourceBelow)
        {
            return null;
        }

        string? first = null;
        Walk(value, root, new FieldPath(), isRoot: true, (obj, s, path) =>
        {
            if (first is not null)
            {
                return;
            }

            foreach (var k in new[] { "apiVersion", "kind" })
            {
                if (obj.TryGetPropertyValue(k, out var v) && JsonData.KindOf(v) != JsonKind.String)
                {
                    first = FieldError.Invalid(path.ToFieldPathString() + "." + k, v?.DeepClone(), "must be a string").ToString();
                    return;
                }
            }

            var meta = obj["metadata"];
            if (ObjectMeta.Coerce(obj, path.ToFieldPathString(), unknownFields) is { } error)
            {
                first = FieldError.Invalid(path.ToFieldPathString() + ".metadata", meta?.DeepClone(), error).ToString();
            }
        });
        return first;
    }

    public static void Validate(JsonNode? value, SchemaNode root, List<FieldError> errors)
    {
        if (!root.HasEmbeddedResourceBelow)
        {
            return;
        }

        Walk(value, root, new FieldPath(), isRoot: true, (obj, s, path) =>
        {
            string p = path.ToFieldPathString();
            if (!obj.ContainsKey("apiVersion"))
            {
                errors.Add(FieldError.Required(p + ".apiVersion"));
            }

            if (!obj.ContainsKey("kind"))
            {
                errors.Add(FieldError.Required(p + ".kind"));
            }

            foreach (var (k, v) in obj)
            {
                switch (k)
                {
                    case "apiVersion":
                        if (JsonData.GetString(v) is not string apiVersion)
                        {
                            errors.Add(FieldError.Invalid(p + ".apiVersion", v?.DeepClone(), "must be a string"));
                        }
                        else if (apiVersion.Length == 0)
                        {
                            errors.Add(FieldError.Invalid(p + ".apiVersion", apiVersion, "must not be empty"));
                        }
                        else if (apiVersion.Count(c => c == '/') > 1)
                        {
                            errors.Add(FieldError.Invalid(p + ".apiVersion", apiVersion, "unexpected GroupVersion string: " + apiVersion));
                        }

                        break;
                    case "kind":
                        if (JsonData.GetString(v) is not string kind)
                        {
                            errors.Add(FieldError.Invalid(p + ".kind", v?.DeepClone(), "must be a string"));
                        }
                        else if (kind.Length == 0)
                        {
                            errors.Add(FieldError.Invalid(p + ".kind", kind, "must not be empty"));
                        }
                        else if (NameValidation.IsDns1035Label(kind.ToLowerInvariant()) is { Count: > 0 } kerrs)
                        {
                            errors.Add(FieldError.Invalid(p + ".kind", kind, "may have mixed case, but should otherwise match: " + string.Join(",", kerrs)));
                        }

                        break;
                    case "metadata":
                        if (v is JsonObject meta)
                        {
                            string name = JsonData.GetString(meta["name"]) ?? string.Empty;
                            foreach (var msg in PathSegmentName(name))
                            {
                                errors.Add(FieldError.Invalid(p + ".metadata.name", name, msg));
                            }

                            string ns = JsonData.GetString(meta["namespace"]) ?? string.Empty;
                            if (ns.Length != 0)
                            {
                                foreach (var msg in NameValidation.IsDns1123Label(ns))
                                {
                                    errors.Add(FieldError.Invalid(p + ".metadata.namespace", ns, msg));
                                }
                            }

                            ObjectMeta.ValidateCommon(meta, p + ".metadata", errors);
                        }

                        break;
                }
            }
        });
    }

    /// <summary>content.IsPathSegmentName.</summary>
    private static List<string> PathSegmentName(string name)
    {
        var errs = new List<string>();
        if (name is "." or "..")
        {
            errs.Add("may not be '" + name + "'");
        }

        foreach (var illegal in new[] { "/", "%" })
        {
            if (name.Contains(illegal, StringComparison.Ordinal))
            {
                errs.Add("may not contain '" + illegal + "'");
            }
        }

        return errs;
    }

    private static void Walk(JsonNode? x, SchemaNode? s, FieldPath path, bool isRoot, Action<JsonObject, SchemaNode, FieldPath> visit)
    {
        if (s is null)
        {
            return;
        }

        switch (x)
        {
            case JsonObject obj:
                if (s.EmbeddedResource && !isRoot)
                {
                    visit(obj, s, path);
                }

                if (!s.HasEmbeddedResourceBelow)
                {
                    return;
                }

                foreach (var (k, v) in obj)
                {
                    if (s.Properties.TryGetValue(k, out var prop))
                    {
                        path.PushField(k);
                        Walk(v, prop, path, false, visit);
                        path.Pop();
                    }
                    else if (s.AdditionalProperties is not null)
                    {
                        path.PushKey(k);
                        Walk(v, s.AdditionalProperties, path, false, visit);
                        path.Pop();
                    }
                }

                break;
            case JsonArray arr:
                if (s.Items is null || !(s.Items.EmbeddedResource || s.Items.HasEmbeddedResourceBelow))
                {
                    return;
                }

                for (int i = 0; i < arr.Count; i++)
                {
                    path.PushIndex(i);
                    Walk(arr[i], s.Items, path, false, visit);
                    path.Pop();
                }

                break;
        }
    }
}
