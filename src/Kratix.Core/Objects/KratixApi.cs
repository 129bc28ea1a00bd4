namespace Kratix.Objects;

/// <summary>The platform.kratix.io API: group, version, kinds and the labels and annotations Kratix reads and writes.</summary>
public static class KratixApi
{
    public const string Group = "platform.kratix.io";
    public const string Version = "v1alpha1";
    public const string ApiVersion = Group + "/" + Version;

    public const string PromiseKind = "Promise";
    public const string DestinationKind = "Destination";
    public const string GitStateStoreKind = "GitStateStore";
    public const string BucketStateStoreKind = "BucketStateStore";
    public const string WorkKind = "Work";
    public const string WorkPlacementKind = "WorkPlacement";
    public const string PipelineKind = "Pipeline";
    public const string PromiseRevisionKind = "PromiseRevision";
    public const string ResourceBindingKind = "ResourceBinding";
    public const string PromiseReleaseKind = "PromiseRelease";
    public const string HealthRecordKind = "HealthRecord";

    /// <summary>Namespace of promise workflows and static-dependency Works.</summary>
    public const string SystemNamespace = "kratix-platform-system";

    public const string PromiseNameLabel = "kratix.io/promise-name";
    public const string PromiseVersionLabel = "kratix.io/promise-version";
    public const string WorkTypeLabel = "kratix.io/work-type";
    public const string PipelineNameLabel = "kratix.io/pipeline-name";
    public const string ResourceNameLabel = "kratix.io/resource-name";
    public const string ResourceNamespaceLabel = "kratix.io/resource-namespace";
    public const string WorkLabel = "kratix.io/work";
    public const string WorkloadGroupIdLabel = "kratix.io/workload-group-id";
    public const string TargetDestinationLabel = "kratix.io/targetDestinationName";
    public const string MisplacedLabel = "kratix.io/misplaced";
    public const string PausedLabel = "kratix.io/paused";
    public const string ManualReconciliationLabel = "kratix.io/manual-reconciliation";
    public const string DryRunLabel = "kratix.io/dry-run";
    public const string WorkflowSuspendedLabel = "kratix.io/workflow-suspended";
    public const string RunFromStartLabel = "internal.workflows.kratix.io/run-from-start";
    public const string ReconcileResourcesLabel = "kratix.io/reconcile-resources";
    public const string ReconciliationIntervalAnnotation = "kratix.io/reconciliation-interval";
    public const string DeleteWorkflowsFinalizer = "kratix.io/delete-workflows";

    public const string WorkTypePromise = "promise";
    public const string WorkTypeResource = "resource";
    public const string WorkTypeStaticDependency = "static-dependency";

    /// <summary>md5(".") - the id of the default workload group, written as its first five characters in paths.</summary>
    public const string DefaultWorkloadGroupId = "5058f1af8388633f609cadb75a75dc9d";

    /// <summary>The plural resource name of a platform kind, as used in API paths and in the platform home.</summary>
    public static string PluralOf(string kind) => kind switch
    {
        PromiseKind => "promises",
        DestinationKind => "destinations",
        GitStateStoreKind => "gitstatestores",
        BucketStateStoreKind => "bucketstatestores",
        WorkKind => "works",
        WorkPlacementKind => "workplacements",
        PromiseRevisionKind => "promiserevisions",
        ResourceBindingKind => "resourcebindings",
        PromiseReleaseKind => "promisereleases",
        HealthRecordKind => "healthrecords",
        _ => throw new ArgumentException($"'{kind}' is not a {Group} kind.", nameof(kind)),
    };
}
