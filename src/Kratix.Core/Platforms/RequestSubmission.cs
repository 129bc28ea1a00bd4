using System.Text.Json.Nodes;
using Kratix.Manifests;

namespace Kratix.Platforms;

/// <summary>A request to submit (<see cref="IKratixPlatform.SubmitRequests"/>), with the manifest it came from for error locations.</summary>
/// <param name="Request">The request object.</param>
/// <param name="Source">The document it was read from, or null.</param>
/// <param name="AllowUpdate">Replace a request of the same name instead of refusing it (Set-KratixRequest).</param>
/// <param name="FieldValidation">What unknown fields and duplicate keys do (the API server's fieldValidation); null: the platform's setting.</param>
public sealed record RequestSubmission(JsonObject Request, ManifestDocument? Source = null, bool AllowUpdate = false, Schema.FieldValidationMode? FieldValidation = null);
