using System.Text.Json.Nodes;
using Kratix.Manifests;
using Kratix.Objects;
using Kratix.Presentation;
using Kratix.Schema;
using Kratix.StateStores;

namespace Kratix.Platforms;

/// <summary>
/// A Kratix platform, whatever runs it: the embedded engine in a platform home (<c>EmbeddedPlatform</c>), or upstream
/// Kratix on a Kubernetes cluster (<c>ClusterPlatform</c>). The cmdlets talk only to this. What one backend cannot do
/// (running pipelines here, a platform-wide sync, the logs of recorded runs) it refuses with a
/// <see cref="KratixException"/> whose id says so (<c>NotSupportedOnCluster</c>).
/// </summary>
public interface IKratixPlatform : IDisposable
{
    /// <summary>Where the platform is: a platform home path, or a cluster context.</summary>
    string Location { get; }

    string Backend { get; }

    /// <summary>Where requests that name no namespace go: <c>default</c>, or the namespace of the cluster context.</summary>
    string DefaultNamespace => "default";

    /// <summary>
    /// Waits until a Promise or request has a condition True for its current generation, or is gone (see
    /// <see cref="WaitTarget"/>), and returns it (null once gone). The embedded platform's work is done when its calls
    /// return, so it answers at once; a cluster is watched until <paramref name="timeout"/>. When the wait is not
    /// satisfied, a <see cref="KratixException"/> <c>WaitConditionNotMet</c> says which condition is not true and why.
    /// </summary>
    KubeObject? Wait(WaitTarget target, TimeSpan timeout, CancellationToken cancellationToken = default);

    Promise InstallPromise(JsonObject promise, CancellationToken cancellationToken = default);

    void UninstallPromise(string name, CancellationToken cancellationToken = default);

    IReadOnlyList<Promise> GetPromises();

    /// <summary>Creates a request (or replaces it when <paramref name="allowUpdate"/>), validated and defaulted against its Promise's API.</summary>
    ResourceRequest SubmitRequest(JsonObject request, ManifestDocument? source = null, bool allowUpdate = false, CancellationToken cancellationToken = default);

    /// <summary>
    /// Submits many requests as one operation: each is validated and stored, their configure workflows run side by side,
    /// and their documents are written in one change per state store. One outcome per submission, in order; a request
    /// that is refused or fails does not stop the others.
    /// </summary>
    IReadOnlyList<RequestOutcome> SubmitRequests(IReadOnlyList<RequestSubmission> requests, CancellationToken cancellationToken = default);

    /// <summary>
    /// Validates and defaults a request against its Promise's API without storing it; <paramref name="fieldValidation"/>
    /// (null: the platform's setting) says what unknown fields and duplicate keys do.
    /// </summary>
    (ResourceRequest Request, ValidationResult Result) TestRequest(JsonObject request, ManifestDocument? source = null, FieldValidationMode? fieldValidation = null);

    IReadOnlyList<ResourceRequest> GetRequests(string? promise = null, string? ns = null);

    void RemoveRequest(string promise, string ns, string name, CancellationToken cancellationToken = default);

    /// <summary>Re-runs a Promise's configure workflow from the start; with <paramref name="includeRequests"/>, every request's too.</summary>
    Promise SyncPromise(string name, bool includeRequests = false, CancellationToken cancellationToken = default);

    /// <summary>Re-runs a request's configure workflow from the start, as <c>kratix.io/manual-reconciliation=true</c> does.</summary>
    ResourceRequest SyncRequest(string promise, string ns, string name, CancellationToken cancellationToken = default);

    /// <summary>
    /// Re-drives every object to its desired state, as upstream's controllers do on their periodic resync: state stores
    /// and Destinations are checked again, interrupted deletions finished, Works whose Promise or request is gone
    /// removed, every Work rescheduled and written again where its state store lacks it, and every Promise's and
    /// request's configure workflow run when it is due (never forced). Repairs what a killed process left half-done;
    /// with nothing to repair it runs no pipeline and makes no commit.
    /// </summary>
    PlatformSyncSummary SyncPlatform(CancellationToken cancellationToken = default);

    Destination RegisterDestination(JsonObject destination, CancellationToken cancellationToken = default);

    void UnregisterDestination(string name, CancellationToken cancellationToken = default);

    IReadOnlyList<Destination> GetDestinations();

    KubeObject RegisterStateStore(JsonObject stateStore, CancellationToken cancellationToken = default);

    /// <summary>
    /// Registers a state store whose credentials are given here (Git credentials, an S3 access key, or a user and password
    /// that the store's kind gives a meaning): they are kept as the Secret its <c>spec.secretRef</c> names (created as
    /// <c>&lt;name&gt;-git-credentials</c> or <c>&lt;name&gt;-bucket-credentials</c> when it names none), never in the store object.
    /// </summary>
    KubeObject RegisterStateStore(JsonObject stateStore, StateStoreCredentials? credentials, CancellationToken cancellationToken = default);

    /// <summary>Stores a Kubernetes Secret (state-store credentials) and checks again the state stores that refer to it.</summary>
    void RegisterSecret(JsonObject secret, CancellationToken cancellationToken = default);

    /// <summary>Checks that Kratix can read and write a state store, leaving nothing in it and recording nothing.</summary>
    StateStoreTestResult TestStateStore(string kind, string name, CancellationToken cancellationToken = default);

    void UnregisterStateStore(string kind, string name);

    IReadOnlyList<KubeObject> GetStateStores();

    IReadOnlyList<Work> GetWorks(string? ns = null);

    IReadOnlyList<WorkPlacement> GetWorkPlacements(string? ns = null);

    /// <summary>
    /// The last recorded run of a workflow (<paramref name="workflowType"/> promise or resource, <paramref name="action"/>
    /// configure or delete) of a Promise (<paramref name="ns"/> null, <paramref name="name"/> the Promise) or a request;
    /// null when none is recorded.
    /// </summary>
    WorkflowRunRecord? GetWorkflowRun(string workflowType, string action, string promise, string? ns, string name);

    /// <summary>PromiseRevisions: one per version of each Promise, the newest labelled latest (behaviour.md 5.1).</summary>
    IReadOnlyList<KubeObject> GetPromiseRevisions(string? promise = null);

    /// <summary>ResourceBindings: which version of its Promise each request runs (an exact version, or latest).</summary>
    IReadOnlyList<KubeObject> GetResourceBindings(string? promise = null, string? ns = null);

    /// <summary>
    /// Binds a request to a version of its Promise (a PromiseRevision's version, or <c>latest</c>) by its ResourceBinding;
    /// a request whose version changes re-runs its configure workflow with that revision's workflows.
    /// </summary>
    ResourceRequest SetRequestVersion(string promise, string ns, string name, string version, CancellationToken cancellationToken = default);

    /// <summary>Deletes a PromiseRevision (never the latest), and the requests bound to its version unless it is annotated to keep them.</summary>
    void RemovePromiseRevision(string name, CancellationToken cancellationToken = default);

    /// <summary>Installs the Promise a PromiseRelease points at (HTTP(S), optional Secret), refused when its version differs from the release's.</summary>
    KubeObject InstallPromiseRelease(JsonObject release, CancellationToken cancellationToken = default);

    /// <summary>
    /// Creates or replaces a HealthRecord (validated against upstream's CRD; namespace default when it names none). Its
    /// request's <c>status.healthStatus</c> then aggregates every record about that request: at once on the embedded
    /// platform, by upstream's controller on a cluster.
    /// </summary>
    HealthRecord ApplyHealthRecord(JsonObject record, ManifestDocument? source = null, CancellationToken cancellationToken = default);

    /// <summary>The HealthRecords, of one namespace or (null) of all.</summary>
    IReadOnlyList<HealthRecord> GetHealthRecords(string? ns = null);

    /// <summary>Removes a HealthRecord; its request's healthStatus no longer counts it.</summary>
    void RemoveHealthRecord(string ns, string name, CancellationToken cancellationToken = default);

    /// <summary>
    /// Whether each WorkPlacement of a request has its documents on its Destination's state store (and each workload group
    /// of its Works is placed): the embedded platform reads the stores; a cluster says what upstream reports.
    /// </summary>
    IReadOnlyList<Health.PlacementCheck> CheckRequestPlacements(string promise, string ns, string name, CancellationToken cancellationToken = default);

    /// <summary>
    /// Dry-runs a request (new, or a stored one with changes): its resource workflows run with KRATIX_DRY_RUN=true (a
    /// compound's sub-requests' too) and what would change in each state store is returned; nothing is written. A
    /// cluster creates upstream's DryRun and reads its summary back, waiting up to <paramref name="timeout"/>.
    /// </summary>
    DryRunResult DryRunRequest(JsonObject request, ManifestDocument? source = null, TimeSpan timeout = default, CancellationToken cancellationToken = default);

    /// <summary>Dry-runs installing or upgrading a Promise, as <see cref="DryRunRequest"/> does a request.</summary>
    DryRunResult DryRunPromise(JsonObject promise, CancellationToken cancellationToken = default);

    /// <summary>
    /// <see cref="GetWorkflowRun"/> for many objects at once (a trace): a cluster reads every workflow Job once instead of
    /// once per object. Call it again for a fresh view.
    /// </summary>
    Func<string, string, string, string?, string, WorkflowRunRecord?> WorkflowRunLookup() => GetWorkflowRun;

    /// <summary>
    /// Makes a namespace exist (an import's Namespace documents): a cluster applies it; the embedded platform has no
    /// namespace objects, so there is nothing to make.
    /// </summary>
    void EnsureNamespace(string name, CancellationToken cancellationToken = default)
    {
    }

    /// <summary>Each container's log of a run, in the order they ran: from the platform home's files, or a cluster's Pods.</summary>
    IEnumerable<PipelineLog> GetPipelineLogs(WorkflowRunRecord run, int? tail = null) => PipelineLog.From(run, tail);
}
