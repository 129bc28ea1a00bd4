using System.Text.Json.Nodes;

namespace Kratix.Schema;

/// <summary>
/// The API server's <c>fieldValidation</c> query parameter (metav1.FieldValidation*): what a create or update does with
/// fields the schema does not know and with keys given twice. kubectl sends <see cref="Strict"/> (its default since 1.27);
/// other clients that send none get <see cref="Warn"/>.
/// </summary>
public enum FieldValidationMode
{
    /// <summary>
    /// Refuse the request (400 Bad Request) with <c>&lt;Kind&gt; in version "&lt;v&gt;" cannot be handled as a &lt;Kind&gt;:
    /// strict decoding error: duplicate field "...", unknown field "..."</c>.
    /// </summary>
    Strict,

    /// <summary>Accept it: unknown fields are dropped and duplicate keys take their last value, each reported as a warning.</summary>
    Warn,

    /// <summary>Accept it as <see cref="Warn"/> does, silently.</summary>
    Ignore,
}

/// <summary>How <see cref="RequestValidator.Validate(JsonObject, CustomResourceDefinition, RequestValidationOptions?)"/> admits a request.</summary>
public sealed record RequestValidationOptions
{
    /// <summary>The default options: a create with <see cref="FieldValidationMode.Strict"/>, as kubectl sends it.</summary>
    public static RequestValidationOptions Default { get; } = new();

    /// <summary>What unknown fields and duplicate keys do (default <see cref="FieldValidationMode.Strict"/>, as kubectl).</summary>
    public FieldValidationMode FieldValidation { get; init; } = FieldValidationMode.Strict;

    /// <summary>
    /// The strict decoding errors of the body the request came from, as the API server's decoder words them (for a
    /// request read from text, <c>ManifestDocument.StrictDecodingErrors</c>: its duplicate keys). They come before the
    /// unknown fields found while pruning.
    /// </summary>
    public IReadOnlyList<string> DecodingErrors { get; init; } = [];

    /// <summary>
    /// The stored object this request replaces (an update), or null for a create. On update the API server runs
    /// <c>ValidateObjectMetaUpdate</c> and CEL transition rules (rules that use <c>oldSelf</c>).
    /// </summary>
    public JsonObject? OldObject { get; init; }
}
