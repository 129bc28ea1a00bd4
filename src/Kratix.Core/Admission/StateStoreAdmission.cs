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

            store = git;
        }

        if (problems.Count > 0)
        {
            throw new AdmissionException("StateStoreInvalid", PlatformObjectAdmission.Describe(node, store.Kind), problems, store.Name);
        }

        return store;
    }
}
