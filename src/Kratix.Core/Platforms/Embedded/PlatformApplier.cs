using System.Text.Json.Nodes;
using Kratix.Objects;

namespace Kratix.Platforms.Embedded;

/// <summary>
/// The GitOps agent of a Destination that is the platform itself (annotation <c>kratix.io/apply-to-platform</c>): the
/// Promises, requests and HealthRecords in its WorkPlacements are installed, submitted and stored on this platform, and removed when their
/// placement goes. This is how a compound Promise's sub-Promises and sub-requests land, as on upstream's platform cluster.
/// Objects it applied carry the annotation <c>kratix.io/applied-from</c> naming the placement, so it removes only its own.
/// </summary>
internal sealed class PlatformApplier(PlatformContext context, Func<PromiseController> promises, Func<RequestController> requests)
{
    public const string AppliedFromAnnotation = "kratix.io/applied-from";

    public void Apply(WorkPlacement placement, CancellationToken cancellationToken)
    {
        var source = $"{placement.Namespace}/{placement.Name}";
        var applied = new HashSet<string>(StringComparer.Ordinal);
        var documents = placement.Workloads.SelectMany(Parse).ToList();

        // Promises first, so that requests in the same placement find their API.
        foreach (var document in documents.OrderBy(d => IsPromise(d) ? 0 : 1))
        {
            var obj = new KubeObject(document);
            obj.SetAnnotation(AppliedFromAnnotation, source);
            try
            {
                if (IsPromise(document))
                {
                    promises().Install(document, cancellationToken);
                    applied.Add(KeyOf(obj));
                }
                else if (obj.Kind == KratixApi.HealthRecordKind && obj.ApiVersion == KratixApi.ApiVersion)
                {
                    // A health check's result, as a pipeline scheduled to the platform writes it.
                    var record = new HealthRecordController(context, requests()).Apply(document, null);
                    applied.Add(KeyOf(record));
                }
                else if (context.PromiseForKind(obj.Group, obj.Kind) is not null)
                {
                    var request = requests().Create(document, null, allowUpdate: true, cancellationToken);
                    applied.Add(KeyOf(request));
                }
                else
                {
                    context.Log.Verbose($"Platform Destination \"{placement.TargetDestinationName}\": {obj} from {source} is not a Promise or a request this platform serves; not applied.");
                }
            }
            catch (KratixException ex)
            {
                context.Log.Warning($"Platform Destination \"{placement.TargetDestinationName}\": could not apply {obj} from {source}: {ex.Message}");
            }
        }

        RemoveAppliedFrom(source, keep: applied, cancellationToken);
    }

    public void Remove(WorkPlacement placement, CancellationToken cancellationToken) =>
        RemoveAppliedFrom($"{placement.Namespace}/{placement.Name}", keep: [], cancellationToken);

    private void RemoveAppliedFrom(string source, HashSet<string> keep, CancellationToken cancellationToken)
    {
        foreach (var promise in context.Promises())
        {
            foreach (var request in requests().List(promise).Where(r => r.GetAnnotation(AppliedFromAnnotation) == source && !keep.Contains(KeyOf(r))))
            {
                requests().Delete(promise, request.Namespace ?? "default", request.Name, cancellationToken);
            }
        }

        var healthRecords = new HealthRecordController(context, requests());
        foreach (var record in healthRecords.List().Where(r => r.GetAnnotation(AppliedFromAnnotation) == source && !keep.Contains(KeyOf(r))))
        {
            healthRecords.Delete(record.Namespace ?? "default", record.Name);
        }

        foreach (var promise in context.Promises().Where(p => p.GetAnnotation(AppliedFromAnnotation) == source && !keep.Contains(KeyOf(p))))
        {
            promises().Uninstall(promise.Name, cancellationToken);
        }
    }

    // Non-manifest files and documents that do not parse are not applied, as a GitOps agent would skip them.
    private static IEnumerable<JsonObject> Parse(Workload workload) => new Pipelines.PipelineOutputFile(workload.Filepath, workload.GetBytes()).Documents();

    private static bool IsPromise(JsonObject document) =>
        document.GetString("kind") == KratixApi.PromiseKind && document.GetString("apiVersion") == KratixApi.ApiVersion;

    private static string KeyOf(KubeObject obj) => $"{obj.Kind}/{obj.Namespace}/{obj.Name}";
}
