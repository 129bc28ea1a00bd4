using System.Collections;
using System.Globalization;
using System.Text.Json.Nodes;

namespace Kratix.Schema;

/// <summary>The kind of a <see cref="FieldError"/>; the same set as Kubernetes' <c>field.ErrorType</c>.</summary>
public enum FieldErrorType
{
    /// <summary>"Not found".</summary>
    NotFound,

    /// <summary>"Required value": a value that must be given is missing.</summary>
    Required,

    /// <summary>"Duplicate value": a value that must be unique is repeated.</summary>
    Duplicate,

    /// <summary>"Invalid value": a malformed value (wrong pattern, out of range, ...).</summary>
    Invalid,

    /// <summary>"Unsupported value": a value outside an enumeration.</summary>
    NotSupported,

    /// <summary>"Forbidden": a value that is valid in form but not allowed here.</summary>
    Forbidden,

    /// <summary>"Too long": a string longer than its maximum (the value is not printed).</summary>
    TooLong,

    /// <summary>"Too many": a list or map with more items than allowed.</summary>
    TooMany,

    /// <summary>"Too few".</summary>
    TooFew,

    /// <summary>"Too short".</summary>
    TooShort,

    /// <summary>"Internal error".</summary>
    Internal,

    /// <summary>"Invalid value" for a value whose JSON type does not match the schema type.</summary>
    TypeInvalid,
}

/// <summary>
/// One field-level problem, rendered exactly like Kubernetes' <c>field.Error</c>: <c>&lt;field&gt;: &lt;body&gt;</c>, for
/// example <c>spec.name: Required value</c> or <c>spec.port: Invalid value: 70000: spec.port in body should be less than or equal to 65535</c>.
/// </summary>
/// <param name="Field">The path of the field, as Kubernetes prints it (<c>spec.containers[0].name</c>).</param>
/// <param name="Type">The kind of problem.</param>
/// <param name="BadValue">The offending value: a <see cref="JsonNode"/>, a string, a number, a bool, or null.</param>
/// <param name="Detail">The explanation after the value (may be empty).</param>
public sealed record FieldError(string Field, FieldErrorType Type, object? BadValue, string Detail)
{
    /// <summary>Marks a <see cref="BadValue"/> that must not be printed (Kubernetes' <c>field.OmitValueType</c>).</summary>
    internal static readonly object OmitValue = new();

    /// <summary>The short text of the error type, e.g. "Invalid value".</summary>
    public static string TypeText(FieldErrorType type) => type switch
    {
        FieldErrorType.NotFound => "Not found",
        FieldErrorType.Required => "Required value",
        FieldErrorType.Duplicate => "Duplicate value",
        FieldErrorType.Invalid => "Invalid value",
        FieldErrorType.NotSupported => "Unsupported value",
        FieldErrorType.Forbidden => "Forbidden",
        FieldErrorType.TooLong => "Too long",
        FieldErrorType.TooMany => "Too many",
        FieldErrorType.TooFew => "Too few",
        FieldErrorType.TooShort => "Too short",
        FieldErrorType.Internal => "Internal error",
        FieldErrorType.TypeInvalid => "Invalid value",
        _ => type.ToString(),
    };

    /// <summary>
    /// A field error as an API server reported it (a 422's cause: the field, its reason, and the message that is already
    /// the body), so errors from a cluster print exactly as the server wrote them.
    /// </summary>
    public static FieldError FromServer(string field, string? reason, string message) =>
        new(field, reason switch
        {
            "FieldValueRequired" => FieldErrorType.Required,
            "FieldValueDuplicate" => FieldErrorType.Duplicate,
            "FieldValueNotSupported" => FieldErrorType.NotSupported,
            "FieldValueForbidden" => FieldErrorType.Forbidden,
            "FieldValueTooLong" => FieldErrorType.TooLong,
            "FieldValueTooMany" => FieldErrorType.TooMany,
            "FieldValueNotFound" => FieldErrorType.NotFound,
            "InternalError" => FieldErrorType.Internal,
            _ => FieldErrorType.Invalid,
        }, OmitValue, string.Empty)
        {
            ServerBody = message,
        };

    /// <summary>The body an API server wrote, which <see cref="Body"/> returns as it is.</summary>
    private string? ServerBody { get; init; }

    /// <summary>The message without the field: <c>Invalid value: "x": must be ...</c>.</summary>
    public string Body
    {
        get
        {
            if (ServerBody is not null)
            {
                return ServerBody;
            }

            string s;
            switch (Type)
            {
                case FieldErrorType.Required:
                case FieldErrorType.Forbidden:
                case FieldErrorType.TooLong:
                case FieldErrorType.TooShort:
                case FieldErrorType.Internal:
                    s = TypeText(Type);
                    break;
                default:
                    s = ReferenceEquals(BadValue, OmitValue)
                        ? TypeText(Type)
                        : TypeText(Type) + ": " + RenderValue(BadValue);
                    break;
            }

            if (Detail.Length != 0)
            {
                s += ": " + Detail;
            }

            return s;
        }
    }

    /// <summary>Kubernetes' <c>field.Error.Error()</c>: <c>&lt;field&gt;: &lt;body&gt;</c>.</summary>
    public override string ToString() => Field + ": " + Body;

    /// <summary>Renders a bad value like field.Error.ErrorBody: numbers and bools plainly, strings quoted, the rest as JSON.</summary>
    internal static string RenderValue(object? value)
    {
        switch (value)
        {
            case null: return "null";
            case GoJsonText raw: return raw.Text;
            case string s: return GoFormat.Quote(s);
            case bool b: return b ? "true" : "false";
            case long l: return l.ToString(CultureInfo.InvariantCulture);
            case int i: return i.ToString(CultureInfo.InvariantCulture);
            case double d: return GoFormat.FormatFloatV(d);
            case JsonNode node:
                return JsonData.KindOf(node) switch
                {
                    JsonKind.String => GoFormat.Quote(node.GetValue<string>()),
                    JsonKind.Integer or JsonKind.Float or JsonKind.Bool => GoFormat.FormatV(node),
                    _ => GoFormat.MarshalJson(node),
                };
            case IEnumerable<string> list:
                {
                    var arr = new JsonArray();
                    foreach (var item in list)
                    {
                        arr.Add(item);
                    }

                    return GoFormat.MarshalJson(arr);
                }

            case IEnumerable:
                return value.ToString() ?? string.Empty;
            default:
                return value.ToString() ?? string.Empty;
        }
    }

    internal static FieldError Required(string field, string detail = "") => new(field, FieldErrorType.Required, string.Empty, detail);

    internal static FieldError Invalid(string field, object? value, string detail) => new(field, FieldErrorType.Invalid, value, detail);

    internal static FieldError Forbidden(string field, string detail) => new(field, FieldErrorType.Forbidden, string.Empty, detail);

    internal static FieldError Duplicate(string field, object? value) => new(field, FieldErrorType.Duplicate, value, string.Empty);

    internal static FieldError TypeInvalid(string field, object? value, string detail) => new(field, FieldErrorType.TypeInvalid, value, detail);

    internal static FieldError NotSupported(string field, object? value, IEnumerable<string> validValues)
    {
        var quoted = validValues.Select(GoFormat.Quote).ToList();
        var detail = quoted.Count > 0 ? "supported values: " + string.Join(", ", quoted) : string.Empty;
        return new FieldError(field, FieldErrorType.NotSupported, value, detail);
    }

    /// <summary>field.TooLong: "Too long: may not be more than N bytes".</summary>
    internal static FieldError TooLong(string field, long maxLength)
    {
        string msg = maxLength >= 0
            ? string.Create(CultureInfo.InvariantCulture, $"may not be more than {maxLength} {(maxLength == 1 ? "byte" : "bytes")}")
            : "value is too long";
        return new FieldError(field, FieldErrorType.TooLong, "<value omitted>", msg);
    }

    /// <summary>field.TooMany: "Too many: 3: must have at most 2 items".</summary>
    internal static FieldError TooMany(string field, long actual, long max)
    {
        string msg = max >= 0
            ? string.Create(CultureInfo.InvariantCulture, $"must have at most {max} {(max == 1 ? "item" : "items")}")
            : "has too many items";
        return new FieldError(field, FieldErrorType.TooMany, actual >= 0 ? actual : OmitValue, msg);
    }
}

/// <summary>A bad value already rendered as Go's json.Marshal renders it (a Go struct keeps its field order).</summary>
internal sealed record GoJsonText(string Text)
{
    public override string ToString() => Text;
}
