using System.Text.Json.Nodes;

namespace Kratix.Schema;

/// <summary>
/// Removes the fields a structural schema does not specify, as the Kubernetes API server does for custom resources
/// (apiextensions-apiserver <c>pruning.PruneWithOptions</c>): below <c>x-kubernetes-preserve-unknown-fields</c> nothing is
/// pruned except inside the properties that are specified; <c>apiVersion</c>, <c>kind</c> and <c>metadata</c> are kept
/// at the resource root and in embedded resources.
/// </summary>
public static class SchemaPruner
{
    private static readonly HashSet<string> MetaFields = new(StringComparer.Ordinal) { "apiVersion", "kind", "metadata" };

    /// <summary>
    /// Prunes <paramref name="value"/> in place and returns the path of every field removed (sorted, in the form the
    /// API server puts in its <c>unknown field "spec.foo"</c> warnings).
    /// </summary>
    /// <param name="value">The document to prune.</param>
    /// <param name="schema">The schema.</param>
    /// <param name="isResourceRoot">True when <paramref name="value"/> is a whole resource (apiVersion/kind/metadata are kept).</param>
    public static IReadOnlyList<string> Prune(JsonNode? value, StructuralSchema schema, bool isResourceRoot = false)
    {
        ArgumentNullException.ThrowIfNull(schema);
        var pruned = new List<string>();
        PruneNode(value, schema.Root, isResourceRoot, pruned);
        pruned.Sort(StringComparer.Ordinal);
        return pruned;
    }

    /// <summary>
    /// Removes object fields whose value is null when their schema is neither nullable nor defaulted
    /// (<c>PruneNonNullableNullsWithoutDefaults</c>): the API server drops such nulls silently before defaulting.
    /// </summary>
    public static void PruneNonNullableNullsWithoutDefaults(JsonNode? value, StructuralSchema schema)
    {
        ArgumentNullException.ThrowIfNull(schema);
        PruneNulls(value, schema.Root);
    }

    internal static void PruneNode(JsonNode? value, SchemaNode? s, bool isResourceRoot, List<string>? pruned)
    {
        var path = pruned is null ? null : new FieldPath();
        Prune(value, s, isResourceRoot, path, pruned);
    }

    private static void Prune(JsonNode? x, SchemaNode? s, bool embedded, FieldPath? path, List<string>? pruned)
    {
        if (s is not null && s.PreserveUnknownFields)
        {
            SkipPrune(x, s, embedded, path, pruned);
            return;
        }

        switch (x)
        {
            case JsonObject obj:
                {
                    List<string>? remove = null;
                    foreach (var (k, v) in obj)
                    {
                        if (s is null)
                        {
                            (remove ??= []).Add(k);
                            continue;
                        }

                        if ((embedded || s.EmbeddedResource) && MetaFields.Contains(k))
                        {
                            continue;
                        }

                        if (s.Properties.TryGetValue(k, out var prop))
                        {
                            path?.PushField(k);
                            Prune(v, prop, prop.EmbeddedResource, path, pruned);
                            path?.Pop();
                        }
                        else if (s.AdditionalProperties is not null)
                        {
                            path?.PushField(k);
                            Prune(v, s.AdditionalProperties, s.AdditionalProperties.EmbeddedResource, path, pruned);
                            path?.Pop();
                        }
                        else
                        {
                            (remove ??= []).Add(k);
                        }
                    }

                    if (remove is not null)
                    {
                        foreach (var k in remove)
                        {
                            if (pruned is not null && (!MetaFields.Contains(k) || path!.Depth > 0 || s is null))
                            {
                                path!.PushField(k);
                                pruned.Add(path.ToOpenApiString());
                                path.Pop();
                            }

                            obj.Remove(k);
                        }
                    }

                    break;
                }

            case JsonArray arr:
                for (int i = 0; i < arr.Count; i++)
                {
                    path?.PushIndex(i);
                    var items = s?.Items;
                    Prune(arr[i], items, items?.EmbeddedResource ?? false, path, pruned);
                    path?.Pop();
                }

                break;
        }
    }

    private static void SkipPrune(JsonNode? x, SchemaNode? s, bool embedded, FieldPath? path, List<string>? pruned)
    {
        if (s is null)
        {
            return;
        }

        switch (x)
        {
            case JsonObject obj:
                foreach (var (k, v) in obj)
                {
                    if ((embedded || s.EmbeddedResource) && MetaFields.Contains(k))
                    {
                        continue;
                    }

                    if (s.Properties.TryGetValue(k, out var prop))
                    {
                        path?.PushField(k);
                        Prune(v, prop, prop.EmbeddedResource, path, pruned);
                        path?.Pop();
                    }
                    else if (s.AdditionalProperties is not null)
                    {
                        path?.PushField(k);
                        Prune(v, s.AdditionalProperties, s.AdditionalProperties.EmbeddedResource, path, pruned);
                        path?.Pop();
                    }
                }

                break;
            case JsonArray arr:
                for (int i = 0; i < arr.Count; i++)
                {
                    path?.PushIndex(i);
                    var items = s.Items;
                    SkipPrune(arr[i], items, items?.EmbeddedResource ?? false, path, pruned);
                    path?.Pop();
                }

                break;
        }
    }

    private static void PruneNulls(JsonNode? x, SchemaNode? s)
    {
        switch (x)
        {
            case JsonObject obj:
                {
                    List<string>? remove = null;
                    foreach (var (k, v) in obj)
                    {
                        SchemaNode? fs = null;
                        if (s is not null && !s.Properties.TryGetValue(k, out fs))
                        {
                            fs = s.AdditionalProperties;
                        }

                        if (v is null && fs is not null && !fs.Nullable && fs.Default is null)
                        {
                            (remove ??= []).Add(k);
                        }
                        else
                        {
                            PruneNulls(v, fs);
                        }
                    }

                    if (remove is not null)
                    {
                        foreach (var k in remove)
                        {
                            obj.Remove(k);
                        }
                    }

                    break;
                }

            case JsonArray arr:
                foreach (var item in arr)
                {
                    PruneNulls(item, s?.Items);
                }

                break;
        }
    }
}
