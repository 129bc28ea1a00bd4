using System.Text;

namespace Kratix.Schema;

internal enum CelKind
{
    Dyn,
    Error,
    Null,
    Bool,
    Int,
    Uint,
    Double,
    String,
    Bytes,
    Duration,
    Timestamp,
    List,
    Map,
    Struct,
    Opaque,
    Type,
    TypeParam,
}

/// <summary>
/// A CEL type as cel-go's checker sees it (common/types.Type), with the sizes apiserver's DeclType adds for the cost
/// estimate: <see cref="MaxElements"/> (the longest string, largest list or map a request can hold) and
/// <see cref="MinSerializedSize"/>. Objects of a CRD schema are struct types with fields; Kubernetes library types
/// (<c>kubernetes.URL</c>, <c>kubernetes.Quantity</c>, <c>net.IP</c>, ...) are struct or opaque types by name.
/// </summary>
internal sealed class CheckType
{
    public static readonly CheckType Dyn = new(CelKind.Dyn, "dyn");
    public static readonly CheckType Error = new(CelKind.Error, "*error*");
    public static readonly CheckType Null = new(CelKind.Null, "null_type");
    public static readonly CheckType Bool = new(CelKind.Bool, "bool");
    public static readonly CheckType Int = new(CelKind.Int, "int");
    public static readonly CheckType Uint = new(CelKind.Uint, "uint");
    public static readonly CheckType Double = new(CelKind.Double, "double");
    public static readonly CheckType String = new(CelKind.String, "string");
    public static readonly CheckType Bytes = new(CelKind.Bytes, "bytes");
    public static readonly CheckType Duration = new(CelKind.Duration, "google.protobuf.Duration");
    public static readonly CheckType Timestamp = new(CelKind.Timestamp, "google.protobuf.Timestamp");
    public static readonly CheckType TypeType = new(CelKind.Type, "type");

    public CheckType(CelKind kind, string name, params CheckType[] parameters)
    {
        Kind = kind;
        Name = name;
        Parameters = parameters;
    }

    public CelKind Kind { get; }

    public string Name { get; }

    public CheckType[] Parameters { get; }

    /// <summary>Object fields (escaped names), for struct types from a schema.</summary>
    public Dictionary<string, CheckType>? Fields { get; init; }

    public long MaxElements { get; set; }

    public long MinSerializedSize { get; set; }

    public CheckType? Elem => Kind == CelKind.List ? Parameters[0] : Kind == CelKind.Map ? Parameters[1] : null;

    public CheckType? Key => Kind == CelKind.Map ? Parameters[0] : null;

    public static CheckType List(CheckType elem) => new(CelKind.List, "list", elem);

    public static CheckType Map(CheckType key, CheckType value) => new(CelKind.Map, "map", key, value);

    public static CheckType Optional(CheckType t) => new(CelKind.Opaque, "optional_type", t);

    public static CheckType Opaque(string name, params CheckType[] ps) => new(CelKind.Opaque, name, ps);

    public static CheckType Struct(string name) => new(CelKind.Struct, name);

    public static CheckType Param(string name) => new(CelKind.TypeParam, name);

    public static CheckType TypeOf(CheckType t) => new(CelKind.Type, "type", t);

    public bool IsOptional => Kind == CelKind.Opaque && Name == "optional_type";

    public bool IsDynOrError => Kind is CelKind.Dyn or CelKind.Error;

    /// <summary>common/types.Type.IsExactType: same kind, name and parameters.</summary>
    public bool IsExactType(CheckType other)
    {
        if (ReferenceEquals(this, other))
        {
            return true;
        }

        if (Kind != other.Kind || Name != other.Name || Parameters.Length != other.Parameters.Length)
        {
            return false;
        }

        for (int i = 0; i < Parameters.Length; i++)
        {
            if (!Parameters[i].IsExactType(other.Parameters[i]))
            {
                return false;
            }
        }

        return true;
    }

    /// <summary>checker.FormatCELType.</summary>
    public override string ToString()
    {
        switch (Kind)
        {
            case CelKind.Error:
                return "!error!";
            case CelKind.Null:
                return "null";
            case CelKind.Duration:
                return "duration";
            case CelKind.Timestamp:
                return "timestamp";
            case CelKind.List:
                return "list(" + Parameters[0] + ")";
            case CelKind.Map:
                return "map(" + Parameters[0] + ", " + Parameters[1] + ")";
            case CelKind.Type:
                return Parameters.Length == 0 ? "type" : "type(" + Parameters[0] + ")";
            case CelKind.Opaque when Parameters.Length > 0:
                var sb = new StringBuilder(Name).Append('(');
                sb.AppendJoin(", ", Parameters.Select(p => p.ToString()));
                return sb.Append(')').ToString();
            default:
                return Name;
        }
    }

    /// <summary>Parses a signature type: int, list(A), map(K, V), optional_type(A), kubernetes.URL, ... (A-Z single letters are type parameters).</summary>
    public static CheckType Parse(string text)
    {
        int pos = 0;
        var t = ParseAt(text.Replace(" ", string.Empty, StringComparison.Ordinal), ref pos);
        return t;
    }

    private static CheckType ParseAt(string s, ref int pos)
    {
        int start = pos;
        while (pos < s.Length && s[pos] is not ('(' or ')' or ','))
        {
            pos++;
        }

        string name = s[start..pos];
        var ps = new List<CheckType>();
        if (pos < s.Length && s[pos] == '(')
        {
            pos++;
            while (true)
            {
                ps.Add(ParseAt(s, ref pos));
                if (s[pos] == ',')
                {
                    pos++;
                    continue;
                }

                pos++; // ')'
                break;
            }
        }

        return name switch
        {
            "dyn" => Dyn,
            "null" => Null,
            "bool" => Bool,
            "int" => Int,
            "uint" => Uint,
            "double" => Double,
            "string" => String,
            "bytes" => Bytes,
            "duration" => Duration,
            "timestamp" => Timestamp,
            "list" => List(ps[0]),
            "map" => Map(ps[0], ps[1]),
            "type" => ps.Count == 0 ? TypeType : TypeOf(ps[0]),
            "optional_type" => Optional(ps[0]),
            "net.IP" or "net.CIDR" => Opaque(name),
            _ when name.Length == 1 && char.IsUpper(name[0]) => Param(name),
            _ => Struct(name),
        };
    }
}
