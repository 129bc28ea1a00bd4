using System.Text;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using Kratix.Schema;

namespace Kratix.ApiServerDouble;

/// <summary>
/// The built-in kinds the cluster backend needs — Namespace, Secret, ConfigMap, Pod (and its log), Job — with the
/// checks of their real validation that a client is likely to trip over. Not the real types: only top-level fields
/// are known (others are dropped with the API server's <c>unknown field</c> warning), and nested fields of pods and
/// jobs are checked only where noted.
/// </summary>
internal static partial class BuiltInKinds
{
    public static IReadOnlyList<ResourceType> All { get; } =
    [
        new ResourceType
        {
            Group = "", Versions = ["v1"], StorageVersion = "v1", Plural = "namespaces", Singular = "namespace", Kind = "Namespace",
            Namespaced = false, ShortNames = ["ns"], HasStatus = true, Behaviour = new NamespaceBehaviour(),
            Columns = Cols(new PrinterColumn("Status", "string", ".status.phase")),
            SelectableFields = new Dictionary<string, string> { ["status.phase"] = ".status.phase" },
        },
        new ResourceType
        {
            Group = "", Versions = ["v1"], StorageVersion = "v1", Plural = "secrets", Singular = "secret", Kind = "Secret",
            Namespaced = true, ReturnsDeletedObject = false, Behaviour = new SecretBehaviour(),
            Columns = Cols(new PrinterColumn("Type", "string", ".type")),
            SelectableFields = new Dictionary<string, string> { ["type"] = ".type" },
        },
        new ResourceType
        {
            Group = "", Versions = ["v1"], StorageVersion = "v1", Plural = "configmaps", Singular = "configmap", Kind = "ConfigMap",
            Namespaced = true, ShortNames = ["cm"], ReturnsDeletedObject = false, Behaviour = new ConfigMapBehaviour(), Columns = Cols(),
        },
        new ResourceType
        {
            Group = "", Versions = ["v1"], StorageVersion = "v1", Plural = "pods", Singular = "pod", Kind = "Pod",
            Namespaced = true, ShortNames = ["po"], Categories = ["all"], HasStatus = true, HasLog = true, Behaviour = new PodBehaviour(),
            Columns = Cols(new PrinterColumn("Status", "string", ".status.phase")),
            SelectableFields = new Dictionary<string, string> { ["status.phase"] = ".status.phase", ["spec.nodeName"] = ".spec.nodeName" },
        },
        new ResourceType
        {
            Group = "batch", Versions = ["v1"], StorageVersion = "v1", Plural = "jobs", Singular = "job", Kind = "Job",
            Namespaced = true, Categories = ["all"], HasStatus = true, TracksGeneration = true, Behaviour = new JobBehaviour(),
            Columns = Cols(new PrinterColumn("Succeeded", "integer", ".status.succeeded"), new PrinterColumn("Failed", "integer", ".status.failed")),
        },
        new ResourceType
        {
            Group = "", Versions = ["v1"], StorageVersion = "v1", Plural = "events", Singular = "event", Kind = "Event",
            Namespaced = true, ShortNames = ["ev"], ReturnsDeletedObject = false, Behaviour = new EventBehaviour(),
            Columns = Cols(new PrinterColumn("Type", "string", ".type"), new PrinterColumn("Reason", "string", ".reason"), new PrinterColumn("Message", "string", ".message")),
            SelectableFields = new[] { "involvedObject.kind", "involvedObject.namespace", "involvedObject.name", "involvedObject.uid", "involvedObject.apiVersion", "involvedObject.resourceVersion", "involvedObject.fieldPath", "reason", "reportingComponent", "type" }
                .ToDictionary(f => f, f => "." + f),
        },
    ];

    private static Dictionary<string, IReadOnlyList<PrinterColumn>> Cols(params PrinterColumn[] columns) =>
        new() { ["v1"] = [.. columns, new PrinterColumn("Age", "date", ".metadata.creationTimestamp")] };

    /// <summary>Drops top-level fields the kind does not have, as typed decoding does, with the API server's warning.</summary>
    internal static void PruneTopLevel(JsonObject obj, IReadOnlyCollection<string> known, List<string> warnings)
    {
        foreach (var key in obj.Select(p => p.Key).ToList())
        {
            if (key is not ("apiVersion" or "kind" or "metadata") && !known.Contains(key))
            {
                obj.Remove(key);
                warnings.Add("unknown field " + ApiServerAdmission.Quote(key));
            }
        }
    }

    internal static FieldError Err(string field, FieldErrorType type, object? value, string detail = "") =>
        ApiServerAdmission.Error(field, type, value, detail);

    [GeneratedRegex("^[-._a-zA-Z0-9]+$")]
    internal static partial Regex ConfigKey();

    internal static void ValidateKeys(JsonObject? data, string field, List<FieldError> errors)
    {
        if (data is null)
        {
            return;
        }

        foreach (var (k, _) in data)
        {
            if (k.Length > 253 || !ConfigKey().IsMatch(k))
            {
                errors.Add(Err(field + "[" + k + "]", FieldErrorType.Invalid, k, "a valid config key must consist of alphanumeric characters, '-', '_' or '.' (e.g. 'key.name',  or 'KEY_NAME',  or 'key-name', regex used for validation is '[-._a-zA-Z0-9]+')"));
            }
        }
    }

    /// <summary>Pod spec checks: containers present, each named (a DNS-1123 label, unique) and with an image.</summary>
    internal static void ValidatePodSpec(JsonNode? spec, string path, List<FieldError> errors, bool job)
    {
        if (spec is not JsonObject s)
        {
            errors.Add(Err(path + ".containers", FieldErrorType.Required, null));
            return;
        }

        if (s["containers"] is not JsonArray containers || containers.Count == 0)
        {
            errors.Add(Err(path + ".containers", FieldErrorType.Required, null));
        }
        else
        {
            var seen = new HashSet<string>(StringComparer.Ordinal);
            for (int i = 0; i < containers.Count; i++)
            {
                string cp = path + ".containers[" + i + "]";
                string name = Json.Str(containers[i]?["name"]) ?? string.Empty;
                if (name.Length == 0)
                {
                    errors.Add(Err(cp + ".name", FieldErrorType.Required, null));
                }
                else if (ApiServerAdmission.Dns1123LabelErrors(name) is { Count: > 0 } ne)
                {
                    errors.Add(Err(cp + ".name", FieldErrorType.Invalid, name, string.Join(",", ne)));
                }
                else if (!seen.Add(name))
                {
                    errors.Add(Err(cp + ".name", FieldErrorType.Duplicate, name));
                }

                if (string.IsNullOrEmpty(Json.Str(containers[i]?["image"])))
                {
                    errors.Add(Err(cp + ".image", FieldErrorType.Required, null));
                }
            }
        }

        string restart = Json.Str(s["restartPolicy"]) ?? (job ? string.Empty : "Always");
        if (job)
        {
            if (restart.Length == 0)
            {
                errors.Add(Err(path + ".restartPolicy", FieldErrorType.Required, null, "valid values: \"OnFailure\", \"Never\""));
            }
            else if (restart is not ("OnFailure" or "Never"))
            {
                errors.Add(Err(path + ".restartPolicy", FieldErrorType.NotSupported, restart, "supported values: \"OnFailure\", \"Never\""));
            }
        }
        else if (restart is not ("Always" or "OnFailure" or "Never"))
        {
            errors.Add(Err(path + ".restartPolicy", FieldErrorType.NotSupported, restart, "supported values: \"Always\", \"OnFailure\", \"Never\""));
        }
    }

    private sealed class NamespaceBehaviour : KindBehaviour
    {
        private static readonly string[] Known = ["spec", "status"];

        public override void PrepareForCreate(JsonObject obj)
        {
            obj["spec"] = new JsonObject { ["finalizers"] = new JsonArray("kubernetes") };
            obj["status"] = new JsonObject { ["phase"] = "Active" };
            var labels = Json.Meta(obj)["labels"] as JsonObject ?? [];
            labels["kubernetes.io/metadata.name"] = Json.Name(obj);
            Json.Meta(obj)["labels"] = labels;
        }

        public override void Admit(ResourceType type, string version, JsonObject obj, JsonObject? old, List<FieldError> errors, List<string> warnings)
        {
            PruneTopLevel(obj, Known, warnings);
            ApiServerAdmission.ValidateObjectMeta(obj["metadata"] as JsonObject, false, errors, ApiServerAdmission.Dns1123LabelErrors);
        }
    }

    private sealed class SecretBehaviour : KindBehaviour
    {
        private static readonly string[] Known = ["data", "stringData", "type", "immutable"];

        public override void Admit(ResourceType type, string version, JsonObject obj, JsonObject? old, List<FieldError> errors, List<string> warnings)
        {
            PruneTopLevel(obj, Known, warnings);
            if (obj["data"] is JsonObject data)
            {
                foreach (var (k, v) in data)
                {
                    string s = Json.Str(v) ?? string.Empty;
                    try
                    {
                        Convert.FromBase64String(s);
                    }
                    catch (FormatException)
                    {
                        throw StatusErrors.BadRequest("Secret in version \"v1\" cannot be handled as a Secret: illegal base64 data at input byte 0");
                    }
                }
            }

            // stringData is write-only: merged into data, base64-encoded.
            if (obj["stringData"] is JsonObject stringData)
            {
                var target = obj["data"] as JsonObject ?? [];
                foreach (var (k, v) in stringData)
                {
                    target[k] = Convert.ToBase64String(Encoding.UTF8.GetBytes(Json.Str(v) ?? string.Empty));
                }

                obj["data"] = target;
            }

            obj.Remove("stringData");
            obj["type"] ??= "Opaque";
            ApiServerAdmission.ValidateObjectMeta(obj["metadata"] as JsonObject, true, errors);
            ValidateKeys(obj["data"] as JsonObject, "data", errors);
            long total = (obj["data"] as JsonObject)?.Sum(p => (long)p.Key.Length + (Json.Str(p.Value)?.Length ?? 0) * 3 / 4) ?? 0;
            if (total > 1024 * 1024)
            {
                errors.Add(Err("data", FieldErrorType.TooLong, null, "may not be more than 1048576 bytes"));
            }

            if (old is not null)
            {
                if (Json.True(old["immutable"]) && !Json.DeepEquals(old["data"], obj["data"]))
                {
                    errors.Add(Err("data", FieldErrorType.Forbidden, null, "field is immutable when `immutable` is set"));
                }

                if (Json.Str(old["type"]) != Json.Str(obj["type"]))
                {
                    errors.Add(Err("type", FieldErrorType.Invalid, Json.Str(obj["type"]), "field is immutable"));
                }
            }
        }
    }

    private sealed class ConfigMapBehaviour : KindBehaviour
    {
        private static readonly string[] Known = ["data", "binaryData", "immutable"];

        public override void Admit(ResourceType type, string version, JsonObject obj, JsonObject? old, List<FieldError> errors, List<string> warnings)
        {
            PruneTopLevel(obj, Known, warnings);
            ApiServerAdmission.ValidateObjectMeta(obj["metadata"] as JsonObject, true, errors);
            ValidateKeys(obj["data"] as JsonObject, "data", errors);
            if (old is not null && Json.True(old["immutable"]) && !Json.DeepEquals(old["data"], obj["data"]))
            {
                errors.Add(Err("data", FieldErrorType.Forbidden, null, "field is immutable when `immutable` is set"));
            }
        }
    }

    private sealed class PodBehaviour : KindBehaviour
    {
        private static readonly string[] Known = ["spec", "status"];

        public override void PrepareForCreate(JsonObject obj) => obj["status"] = new JsonObject { ["phase"] = "Pending", ["qosClass"] = "BestEffort" };

        public override void Admit(ResourceType type, string version, JsonObject obj, JsonObject? old, List<FieldError> errors, List<string> warnings)
        {
            PruneTopLevel(obj, Known, warnings);
            if (obj["spec"] is JsonObject spec)
            {
                spec["restartPolicy"] ??= "Always";
                spec["dnsPolicy"] ??= "ClusterFirst";
                spec["terminationGracePeriodSeconds"] ??= 30;
            }

            ApiServerAdmission.ValidateObjectMeta(obj["metadata"] as JsonObject, true, errors);
            ValidatePodSpec(obj["spec"], "spec", errors, job: false);
            if (old is not null && !Json.DeepEquals(MutablePartsRemoved(old["spec"]), MutablePartsRemoved(obj["spec"])))
            {
                errors.Add(Err("spec", FieldErrorType.Forbidden, null, "pod updates may not change fields other than `spec.containers[*].image`,`spec.initContainers[*].image`,`spec.activeDeadlineSeconds`,`spec.tolerations` (only additions to existing tolerations),`spec.terminationGracePeriodSeconds` (allow it to be set to 1 if it was previously negative)"));
            }
        }
    }

    /// <summary>A pod spec without the fields an update may change (images, activeDeadlineSeconds, tolerations).</summary>
    private static JsonNode? MutablePartsRemoved(JsonNode? spec)
    {
        if (spec is not JsonObject s)
        {
            return spec;
        }

        var copy = s.DeepClone().AsObject();
        copy.Remove("activeDeadlineSeconds");
        copy.Remove("tolerations");
        foreach (var list in new[] { "containers", "initContainers" })
        {
            if (copy[list] is JsonArray containers)
            {
                foreach (var c in containers.OfType<JsonObject>())
                {
                    c.Remove("image");
                }
            }
        }

        return copy;
    }

    /// <summary>core/v1 Events, as controllers record them and <c>kubectl describe</c> lists them.</summary>
    private sealed class EventBehaviour : KindBehaviour
    {
        private static readonly string[] Known =
        [
            "involvedObject", "reason", "message", "source", "firstTimestamp", "lastTimestamp", "count", "type", "eventTime",
            "series", "action", "related", "reportingComponent", "reportingInstance",
        ];

        public override void Admit(ResourceType type, string version, JsonObject obj, JsonObject? old, List<FieldError> errors, List<string> warnings)
        {
            PruneTopLevel(obj, Known, warnings);
            ApiServerAdmission.ValidateObjectMeta(obj["metadata"] as JsonObject, true, errors);
            string ns = Json.Namespace(obj);
            string involvedNs = Json.Str(obj["involvedObject"]?["namespace"]) ?? string.Empty;
            if (involvedNs.Length > 0 && involvedNs != ns)
            {
                errors.Add(Err("involvedObject.namespace", FieldErrorType.Invalid, involvedNs, "does not match event.namespace"));
            }

            string eventType = Json.Str(obj["type"]) ?? string.Empty;
            if (eventType.Length > 0 && eventType is not ("Normal" or "Warning"))
            {
                errors.Add(Err("type", FieldErrorType.Invalid, eventType, "has invalid value: " + eventType));
            }
        }
    }

    private sealed class JobBehaviour : KindBehaviour
    {
        private static readonly string[] Known = ["spec", "status"];

        public override void PrepareForCreate(JsonObject obj)
        {
            obj["status"] = new JsonObject();
            if (obj["spec"] is JsonObject spec)
            {
                string uid = Json.Str(obj["metadata"]?["uid"]) ?? string.Empty;
                spec["selector"] ??= new JsonObject { ["matchLabels"] = new JsonObject { ["batch.kubernetes.io/controller-uid"] = uid } };
                if (spec["template"] is JsonObject template)
                {
                    var meta = template["metadata"] as JsonObject ?? [];
                    var labels = meta["labels"] as JsonObject ?? [];
                    labels["batch.kubernetes.io/controller-uid"] = uid;
                    labels["batch.kubernetes.io/job-name"] = Json.Name(obj);
                    labels["controller-uid"] = uid;
                    labels["job-name"] = Json.Name(obj);
                    meta["labels"] = labels;
                    template["metadata"] = meta;
                }
            }
        }

        public override void Admit(ResourceType type, string version, JsonObject obj, JsonObject? old, List<FieldError> errors, List<string> warnings)
        {
            PruneTopLevel(obj, Known, warnings);
            ApiServerAdmission.ValidateObjectMeta(obj["metadata"] as JsonObject, true, errors);
            if (obj["spec"] is not JsonObject spec)
            {
                errors.Add(Err("spec.template", FieldErrorType.Required, null));
                return;
            }

            spec["backoffLimit"] ??= 6;
            spec["completions"] ??= 1;
            spec["parallelism"] ??= 1;
            spec["completionMode"] ??= "NonIndexed";
            spec["suspend"] ??= false;
            if (spec["template"] is not JsonObject template)
            {
                errors.Add(Err("spec.template", FieldErrorType.Required, null));
                return;
            }

            if (template["spec"] is JsonObject ps)
            {
                ps["dnsPolicy"] ??= "ClusterFirst";
                ps["terminationGracePeriodSeconds"] ??= 30;
            }

            ValidatePodSpec(template["spec"], "spec.template.spec", errors, job: true);
            if (old is not null && !Json.DeepEquals(old["spec"]?["template"], spec["template"]))
            {
                errors.Add(Err("spec.template", FieldErrorType.Invalid, spec["template"]!.DeepClone(), "field is immutable"));
            }
        }
    }
}
