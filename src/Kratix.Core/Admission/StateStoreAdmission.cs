using System.Text.Json;
using System.Text.Json.Nodes;
using Kratix.Objects;
using Kratix.StateStores;

namespace Kratix.Admission;

/// <summary>Validates and defaults GitStateStores and BucketStateStores as upstream's CRD schemas do.</summary>
public static class StateStoreAdmission
{
    public static KubeObject Admit(JsonObject node)
    {
        var kind = new KubeObject(node).Kind;
        var problems = PlatformObjectAdmission.CheckTypeAndName(node, kind is KratixApi.BucketStateStoreKind ? kind : KratixApi.GitStateStoreKind);
        KubeObject store;
        if (kind == KratixApi.BucketStateStoreKind)
        {
            var bucket = new BucketStateStore(node);
            foreach (var flag in new[] { "insecure", "useDualStack" })
            {
                if (bucket.Spec[flag] is { } value && value.GetValueKind() is not (JsonValueKind.True or JsonValueKind.False))
                {
                    // As the API server words a type error: the type found, not the value.
                    var found = value.GetValueKind() switch
                    {
                        JsonValueKind.String => "string",
                        JsonValueKind.Number => "number",
                        JsonValueKind.Array => "array",
                        _ => "object",
                    };
                    problems.Add($"spec.{flag}: Invalid value: \"{found}\": spec.{flag} in body must be of type boolean: \"{found}\"");
                }
            }

            if (!BucketEndpoint.TryParse(bucket.Endpoint, bucket.Insecure, out _, out var endpointProblem))
            {
                problems.Add($"spec.endpoint: {endpointProblem}");
            }

            if (bucket.BucketName.Length == 0)
            {
                problems.Add("spec.bucketName: Required value");
            }

            if (bucket.AuthMethod is not ("accessKey" or "IAM"))
            {
                problems.Add($"spec.authMethod: Unsupported value: \"{bucket.AuthMethod}\": supported values: \"accessKey\", \"IAM\"");
            }

            // Needed for authMethod accessKey on S3; a missing one makes the store NotReady, saying so, rather than refusing it
            // here, so that Register-KratixStateStore -Credential can add it.
            CheckSecretRef(bucket.Spec, problems);
            store = bucket;
        }
        else
        {
            var git = new GitStateStore(node);
            git.ApplyDefaults();
            if (git.Url.Length == 0)
            {
                problems.Add("spec.url: Required value");
            }

            if (git.AuthMethod is not ("basicAuth" or "ssh" or "githubApp"))
            {
                problems.Add($"spec.authMethod: Unsupported value: \"{git.AuthMethod}\": supported values: \"basicAuth\", \"ssh\", \"githubApp\"");
            }

            // Without a Secret, the user's git configuration is used.
            CheckSecretRef(git.Spec, problems);
            store = git;
        }

        if (problems.Count > 0)
        {
            throw new AdmissionException("StateStoreInvalid", PlatformObjectAdmission.Describe(node, store.Kind), problems, store.Name);
        }

        return store;
    }

    /// <summary>The Secret with the credentials: an object with a name and a namespace (default "default").</summary>
    private static void CheckSecretRef(JsonObject spec, List<string> problems)
    {
        if (spec["secretRef"] is not { } secretRef)
        {
            return;
        }

        if (secretRef is not JsonObject reference)
        {
            problems.Add("spec.secretRef: Invalid value: must be an object with name and namespace");
            return;
        }

        if (reference.GetString("name") is { } name)
        {
            problems.AddRange(Names.CheckSubdomain("spec.secretRef.name", name));
        }

        if (reference.GetString("namespace") is { Length: > 0 } ns)
        {
            problems.AddRange(Names.CheckLabel("spec.secretRef.namespace", ns));
        }
    }
}
