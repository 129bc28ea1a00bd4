using Kratix.Manifests;
using Kratix.Objects;
using Kratix.Presentation;
using Kratix.Schema;

namespace Kratix.Admission;

/// <summary>Validation without a platform: a Promise file on its own, or a request against a Promise given alongside.</summary>
public static class OfflineValidation
{
    public static ValidationReport TestPromise(ManifestItem item)
    {
        var obj = new KubeObject(item.Node);
        try
        {
            PromiseAdmission.Admit(item.Node.DeepClone().AsObject(), null);
            return new ValidationReport(obj.Kind, obj.Name, item.Describe(), true, [], []);
        }
        catch (AdmissionException ex)
        {
            return new ValidationReport(obj.Kind, obj.Name, item.Describe(), false, ex.Problems, []);
        }
    }

    /// <summary>Validates and defaults a request against the API of <paramref name="promise"/>; <paramref name="fieldValidation"/> says what unknown fields and duplicate keys do.</summary>
    public static ValidationReport TestRequest(ManifestItem item, Promise promise, FieldValidationMode fieldValidation = FieldValidationMode.Strict)
    {
        var node = item.Node.DeepClone().AsObject();
        var request = new ResourceRequest(node);
        if (promise.Api is null)
        {
            return new ValidationReport(request.Kind, request.Name, item.Describe(), false, [$"Promise \"{promise.Name}\" has no API, so it takes no requests"], []);
        }

        var crd = CustomResourceDefinition.Parse(promise.Api);
        RequestValidator.DefaultNamespace(node, "default");
        var result = RequestValidator.Validate(node, crd, new RequestValidationOptions
        {
            FieldValidation = fieldValidation,
            DecodingErrors = item.Source?.StrictDecodingErrors ?? [],
        });
        var problems = result.Problems(AdmissionException.Locator(item.Source));
        return new ValidationReport(request.Kind, request.Name, item.Describe(), result.IsValid, problems, result.Warnings);
    }
}
