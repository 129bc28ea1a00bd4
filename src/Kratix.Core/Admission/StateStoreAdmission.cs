using System.Text.Json.Nodes;
using Kratix.Objects;

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
            if (bucket.Endpoint.Length == 0)
            {
                problems.Add("spec.endpoint: Required value: on the embedded platform, the directory that holds the bucket");
            }

            if (bucket.BucketName.Length == 0)
            {
                problems.Add("spec.bucketName: Required value");
            }

            if (bucket.AuthMethod is not ("accessKey" or "IAM"))
            {
                problems.Add($"spec.authMethod: Unsupported value: \"{bucket.AuthMethod}\": supported values: \"accessKey\", \"IAM\"");
            }

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

            // The Secret with the credentials (namespace default "default"); without one, the user's git configuration is used.
            if (git.Spec["secretRef"] is { } secretRef)
            {
                if (secretRef is not JsonObject reference)
                {
                    problems.Add("spec.secretRef: Invalid value: must be an object with name and namespace");
                }
                else
                {
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

            store = git;
        }

        if (problems.Count > 0)
        {
            throw new AdmissionException("StateStoreInvalid", PlatformObjectAdmission.Describe(node, store.Kind), problems, store.Name);
        }

        return store;
    }
}
