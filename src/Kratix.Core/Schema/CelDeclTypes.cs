using System.Text.RegularExpressions;

namespace Kratix.Schema;

/// <summary>
/// The CEL type of a schema node, as apiserver's SchemaDeclType builds it (k8s.io/apiserver pkg/cel/common/schemas.go,
/// v0.36.3), with the size limits the cost estimate uses: a string's <c>maxLength</c> (times 4, for UTF-8 bytes), else
/// its longest enum value, else what fits in a 3 MiB request; a list's <c>maxItems</c>, else how many of its smallest
/// item fit in a request; a map's <c>maxProperties</c>, else the same for its smallest entry.
/// </summary>
internal static class CelDeclTypes
{
    /// <summary>celconfig.MaxRequestSizeBytes.</summary>
    public const long MaxRequestSizeBytes = 3 * 1024 * 1024;

    private const long MaxDurationSizeJson = 32;
    private const long MaxDatetimeSizeJson = 32;
    private const long MinDurationSizeJson = 3;
    private const long JsonDateSize = 12;
    private const long MinDatetimeSizeJson = 21;
    private const long MinStringSize = 2;
    private const long MinBoolSize = 4;
    private const long MinNumberSize = 1;

    private static readonly HashSet<string> Reserved = new(StringComparer.Ordinal)
    {
        "true", "false", "null", "in", "as", "break", "const", "continue", "else", "for", "function", "if", "import",
        "let", "loop", "package", "namespace", "return", "var", "void", "while",
    };

    private static readonly Regex ExpandMatcher = new("(__|[-./]|[^a-zA-Z0-9-./_])", RegexOptions.CultureInvariant);

    /// <summary>SchemaDeclType: null where the schema has no CEL type (no <c>type</c>, an array without items).</summary>
    public static CheckType? For(SchemaNode? s, bool isResourceRoot, string typeName)
    {
        if (s is null)
        {
            return null;
        }

        if (s.IntOrString)
        {
            return new CheckType(CelKind.Dyn, "dyn")
            {
                MinSerializedSize = 1,
                MaxElements = s.MaxLength is { } ml ? ZeroIfNegative(ml) * 4 : MaxRequestSizeBytes - 2,
            };
        }

        switch (s.Type)
        {
            case "array":
                {
                    if (s.Items is null)
                    {
                        return null;
                    }

                    var items = For(s.Items, s.Items.EmbeddedResource, typeName + ".@idx");
                    if (items is null)
                    {
                        return null;
                    }

                    long max = s.MaxItems is { } mi ? ZeroIfNegative(mi) : (MaxRequestSizeBytes - 2) / (items.MinSerializedSize + 1);
                    return new CheckType(CelKind.List, "list", items) { MaxElements = max, MinSerializedSize = 2 };
                }

            case "object":
                {
                    if (s.AdditionalProperties is { } ap)
                    {
                        var values = For(ap, ap.EmbeddedResource, typeName + ".@elem");
                        if (values is null)
                        {
                            return null;
                        }

                        long max = s.MaxProperties is { } mp ? ZeroIfNegative(mp) : (MaxRequestSizeBytes - 2) / (values.MinSerializedSize + 6);
                        var key = new CheckType(CelKind.String, "string") { MinSerializedSize = MinStringSize };
                        return new CheckType(CelKind.Map, "map", key, values) { MaxElements = max, MinSerializedSize = 2 };
                    }

                    var fields = new Dictionary<string, CheckType>(StringComparer.Ordinal);
                    long minSize = 2;
                    var props = s.Properties.ToDictionary(p => p.Key, p => p.Value, StringComparer.Ordinal);
                    if (isResourceRoot)
                    {
                        // WithTypeAndObjectMeta: apiVersion, kind and metadata.name/generateName, whatever the schema says.
                        props["apiVersion"] = new SchemaNode { Type = "string" };
                        props["kind"] = new SchemaNode { Type = "string" };
                        props["metadata"] = new SchemaNode
                        {
                            Type = "object",
                            Properties = new Dictionary<string, SchemaNode>(StringComparer.Ordinal)
                            {
                                ["name"] = new SchemaNode { Type = "string" },
                                ["generateName"] = new SchemaNode { Type = "string" },
                            },
                        };
                    }

                    var required = new HashSet<string>(s.Required, StringComparer.Ordinal);
                    foreach (var (name, prop) in props)
                    {
                        if (For(prop, prop.EmbeddedResource, typeName + "." + name) is not { } fieldType)
                        {
                            continue;
                        }

                        if (Escape(name) is { } escaped)
                        {
                            fields[escaped] = fieldType;
                        }

                        if (required.Contains(name) && prop.Default is null)
                        {
                            minSize += name.Length + fieldType.MinSerializedSize + 4;
                        }
                    }

                    return new CheckType(CelKind.Struct, typeName) { Fields = fields, MinSerializedSize = minSize };
                }

            case "string":
                switch (s.Format)
                {
                    case "byte":
                        return new CheckType(CelKind.Bytes, "bytes") { MinSerializedSize = MinStringSize, MaxElements = s.MaxLength is { } bl ? ZeroIfNegative(bl) : MaxRequestSizeBytes - 2 };
                    case "duration":
                        return new CheckType(CelKind.Duration, CheckType.Duration.Name) { MinSerializedSize = MinDurationSizeJson, MaxElements = MaxDurationSizeJson };
                    case "date":
                        return new CheckType(CelKind.Timestamp, CheckType.Timestamp.Name) { MinSerializedSize = JsonDateSize, MaxElements = JsonDateSize };
                    case "date-time":
                        return new CheckType(CelKind.Timestamp, CheckType.Timestamp.Name) { MinSerializedSize = MinDatetimeSizeJson, MaxElements = MaxDatetimeSizeJson };
                }

                long maxString;
                if (s.MaxLength is { } l)
                {
                    maxString = ZeroIfNegative(l) * 4;
                }
                else if (s.Enum is { Count: > 0 } e)
                {
                    // estimateMaxStringEnumLength: the longest string value, in bytes.
                    maxString = e.Select(v => JsonData.GetString(v) is { } str ? System.Text.Encoding.UTF8.GetByteCount(str) : 0).DefaultIfEmpty(0).Max();
                }
                else
                {
                    maxString = MaxRequestSizeBytes - 2;
                }

                return new CheckType(CelKind.String, "string") { MinSerializedSize = MinStringSize, MaxElements = maxString };
            case "boolean":
                return new CheckType(CelKind.Bool, "bool") { MinSerializedSize = MinBoolSize };
            case "number":
                return new CheckType(CelKind.Double, "double") { MinSerializedSize = MinNumberSize };
            case "integer":
                return new CheckType(CelKind.Int, "int") { MinSerializedSize = MinNumberSize };
            default:
                return null;
        }
    }

    /// <summary>maxCardinality: how many times a value of this minimum size could appear in one request.</summary>
    public static ulong MaxCardinality(long minSerializedSize) => (ulong)(MaxRequestSizeBytes / (minSerializedSize + 1));

    private static long ZeroIfNegative(long v) => v < 0 ? 0 : v;

    /// <summary>apiserver's cel.Escape: a property name as CEL sees it, or null when it cannot be one.</summary>
    public static string? Escape(string ident)
    {
        if (ident.Length == 0 || ident[0] is >= '0' and <= '9')
        {
            return null;
        }

        if (Reserved.Contains(ident))
        {
            return "__" + ident + "__";
        }

        bool ok = true;
        string result = ExpandMatcher.Replace(ident, m => m.Value switch
        {
            "__" => "__underscores__",
            "." => "__dot__",
            "-" => "__dash__",
            "/" => "__slash__",
            _ => Fail(ref ok),
        });
        return ok ? result : null;

        static string Fail(ref bool ok)
        {
            ok = false;
            return string.Empty;
        }
    }
}
