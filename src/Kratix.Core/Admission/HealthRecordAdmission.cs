using System.Text.Json.Nodes;
using Kratix.Manifests;
using Kratix.Objects;
using Kratix.Schema;

namespace Kratix.Admission;

/// <summary>
/// Validates and defaults a HealthRecord as the API server does with upstream's CRD
/// (platform.kratix.io_healthrecords.yaml, kept here without its descriptions; a test compares the two): unknown fields
/// pruned (or refused, per the field-validation mode), <c>data.state</c> defaulted to unknown and limited to the enum,
/// <c>data.promiseRef.name</c> required, <c>data.resourceRef</c> optional but with name and namespace when given,
/// <c>data.details</c> any object. The namespace defaults to default. Nothing else refuses a record: upstream has no webhook for it.
/// </summary>
public static class HealthRecordAdmission
{
    /// <summary>Upstream's CRD for HealthRecords, without descriptions.</summary>
    public const string CrdJson = """
        {"apiVersion":"apiextensions.k8s.io/v1","kind":"CustomResourceDefinition",
         "metadata":{"name":"healthrecords.platform.kratix.io"},
         "spec":{"group":"platform.kratix.io",
          "names":{"kind":"HealthRecord","listKind":"HealthRecordList","plural":"healthrecords","singular":"healthrecord"},
          "scope":"Namespaced",
          "versions":[{"name":"v1alpha1","served":true,"storage":true,"subresources":{},
           "additionalPrinterColumns":[{"jsonPath":".data.state","name":"Status","type":"string"},{"jsonPath":".metadata.creationTimestamp","name":"Age","type":"date"}],
           "schema":{"openAPIV3Schema":{"type":"object","properties":{
            "apiVersion":{"type":"string"},"kind":{"type":"string"},"metadata":{"type":"object"},
            "data":{"type":"object","required":["promiseRef","state"],"properties":{
             "details":{"type":"object","x-kubernetes-preserve-unknown-fields":true},
             "lastRun":{"type":"integer","format":"int64"},
             "promiseRef":{"type":"object","required":["name"],"properties":{"name":{"type":"string"}}},
             "resourceRef":{"type":"object","required":["name","namespace"],"properties":{
              "generation":{"type":"integer"},"name":{"type":"string"},"namespace":{"type":"string"}}},
             "state":{"type":"string","default":"unknown","enum":["unknown","ready","unhealthy","healthy","degraded"]}}}}}}}]}}
        """;

    private static readonly Lazy<CustomResourceDefinition> Crd = new(() => CustomResourceDefinition.Parse(JsonNode.Parse(CrdJson)!.AsObject()));

    /// <summary>Validates and defaults <paramref name="node"/> in place; throws <c>HealthRecordInvalid</c> (or <c>HealthRecordBadRequest</c>) listing every problem.</summary>
    public static HealthRecord Admit(JsonObject node, ManifestDocument? source = null, FieldValidationMode fieldValidation = FieldValidationMode.Strict, Action<string>? warn = null)
    {
        RequestValidator.DefaultNamespace(node, "default");
        var result = RequestValidator.Validate(node, Crd.Value, new RequestValidationOptions
        {
            FieldValidation = fieldValidation,
            DecodingErrors = source?.StrictDecodingErrors ?? [],
        });
        var record = new HealthRecord(node);
        if (!result.IsValid)
        {
            var problems = result.Problems(AdmissionException.Locator(source));
            throw new AdmissionException(result.DecodeError is null ? "HealthRecordInvalid" : "HealthRecordBadRequest", $"HealthRecord \"{record.Name}\"", problems, record.Name);
        }

        foreach (var warning in result.Warnings)
        {
            warn?.Invoke(warning);
        }

        return record;
    }
}

