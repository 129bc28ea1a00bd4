using System.Text.Json.Nodes;

namespace Kratix.Schema;

/// <summary>
/// Applies <c>default</c>s as the Kubernetes API server does for custom resources (apiextensions-apiserver
/// <c>defaulting.Default</c>): a missing property, or a null one whose schema is not nullable, gets a deep copy of its
/// default; defaults are applied top-down, so the fields of a defaulted object get their own defaults too; null array
/// items and null map values whose schema is not nullable get the items' / values' default.
/// </summary>
public static class SchemaDefaulter
{
    /// <summary>Defaults <paramref name="value"/> in place.</summary>
    public static void Default(JsonNode? value, StructuralSchema schema)
    {
        ArgumentNullException.ThrowIfNull(schema);
        Apply(value, schema.Root);
    }

    internal static void Apply(JsonNode? x, SchemaNode? s)
    {
        if (s is null || !s.HasDefaultsBelow)
        {
            return;
        }

        switch (x)
        {
            case JsonObject obj:
                {
                    foreach (var (k, prop) in s.Properties)
                    {
                        if (prop.Default is null)
                        {
                            continue;
                        }

                        if (!obj.TryGetPropertyValue(k, out var current) || (current is null && !prop.Nullable))
                        {
                            obj[k] = prop.Default.DeepClone();
                        }
                    }

                    List<KeyValuePair<string, JsonNode?>>? replacements = null;
                    foreach (var (k, v) in obj)
                    {
                        if (s.Properties.TryGetValue(k, out var prop))
                        {
                            Apply(v, prop);
                        }
                        else if (s.AdditionalProperties is { } ap)
                        {
                            if (v is null && !ap.Nullable && ap.Default is not null)
                            {
                                (replacements ??= []).Add(new(k, ap.Default.DeepClone()));
                            }
                            else
                            {
                                Apply(v, ap);
                            }
                        }
                    }

                    if (replacements is not null)
                    {
                        foreach (var (k, v) in replacements)
                        {
                            obj[k] = v;
                            Apply(v, s.AdditionalProperties);
                        }
                    }

                    break;
                }

            case JsonArray arr:
                {
                    var items = s.Items;
                    if (items is null)
                    {
                        break;
                    }

                    for (int i = 0; i < arr.Count; i++)
                    {
                        if (arr[i] is null && !items.Nullable && items.Default is not null)
                        {
                            arr[i] = items.Default.DeepClone();
                        }

                        Apply(arr[i], items);
                    }

                    break;
                }
        }
    }
}
