namespace Kratix.Platforms;

/// <summary>Condition types, reasons and messages exactly as upstream Kratix writes them (see docs/concepts.md).</summary>
public static class Reasons
{
    // Condition types
    public const string Ready = "Ready";
    public const string Available = "Available";
    public const string Reconciled = "Reconciled";
    public const string WorksSucceeded = "WorksSucceeded";
    public const string RequirementsFulfilled = "RequirementsFulfilled";
    public const string ConfigureWorkflowCompleted = "ConfigureWorkflowCompleted";
    public const string PromiseAvailable = "PromiseAvailable";
    public const string ScheduleSucceeded = "ScheduleSucceeded";
    public const string WriteSucceeded = "WriteSucceeded";

    // Destinations
    public const string TestDocumentsWritten = "TestDocumentsWritten";
    public const string TestDocumentsWrittenMessage = "Test documents written to State Store";
    public const string DestinationReady = "DestinationReady";
    public const string DestinationReadyMessage = "Destination is ready";
    public const string StateStoreNotFound = "StateStoreNotFound";
    public const string StateStoreNotReady = "StateStoreNotReady";
    public const string StateStoreWriteFailed = "StateStoreWriteFailed";

    // State stores
    public const string StatusReady = "Ready";
    public const string StatusNotReady = "NotReady";
    public const string StateStoreReady = "StateStoreReady";
    public const string StateStoreReadyMessage = "State store is ready";
    public const string ErrorValidatingPermissions = "ErrorValidatingPermissions";
    public const string ErrorInitialisingWriter = "ErrorInitialisingWriter";

    // Promises
    public const string PromiseAvailableReason = "PromiseAvailable";
    public const string PromiseAvailableMessage = "Ready to fulfil resource requests";
    public const string PromiseUnavailable = "PromiseUnavailable";
    public const string PromiseUnavailableMessage = "Cannot fulfil resource requests";
    public const string PausedReconciliation = "PausedReconciliation";
    public const string RequirementsInstalled = "RequirementsInstalled";
    public const string RequirementsNotInstalled = "RequirementsNotInstalled";
    public const string RequirementsNotAvailable = "RequirementsNotAvailable";
    public const string RequirementsNotFulfilled = "RequirementsNotFulfilled";
    public const string PromiseWorksSucceededMessage = "All works associated with this promise are ready";
    public const string StatusAvailable = "Available";
    public const string StatusUnavailable = "Unavailable";

    // Requests
    public const string PromiseRequirementsNotInstalled = "PromiseRequirementsNotInstalled";
    public const string PromiseRequirementsNotInstalledMessage = "Promise Requirements are not installed";
    public const string PromiseRequirementsMetMessage = "Promise Requirements are met";

    // Works and WorkPlacements
    public const string AllWorkplacementsScheduled = "AllWorkplacementsScheduled";
    public const string AllWorkplacementsScheduledMessage = "All workplacements scheduled successfully";
    public const string UnscheduledWorkloads = "UnscheduledWorkloads";
    public const string DestinationSelectorMismatch = "DestinationSelectorMismatch";
    public const string Misplaced = "Misplaced";
    public const string WorkplacementsFailing = "WorkplacementsFailing";
    public const string ScheduledToDestination = "ScheduledToDestination";
    public const string ScheduledToDestinationMessage = "Scheduled to correct Destination";
    public const string WorkloadsWrittenToStateStore = "WorkloadsWrittenToStateStore";
    public const string WorkloadsWrittenToStateStoreMessage = "Workloads written to State Store";
    public const string WorkloadsWrittenToTargetDestination = "WorkloadsWrittenToTargetDestination";
    public const string WorkloadsFailedWrite = "WorkloadsFailedWrite";

    // Requirement states (status.requiredPromises[].state)
    public const string RequirementInstalled = "Requirement installed";
    public const string RequirementNotInstalled = "Requirement not installed";
    public const string RequirementNotInstalledAtVersion = "Requirement not installed at the specified version";
    public const string RequirementNotAvailable = "Requirement not available";

    // Workflows
    public const string DeleteWorkflowCompleted = "DeleteWorkflowCompleted";
    public const string PipelinesExecutedSuccessfully = "PipelinesExecutedSuccessfully";
    public const string PipelinesCompletedMessage = "Pipelines completed";
    public const string PipelinesInProgress = "PipelinesInProgress";
    public const string PipelinesInProgressMessage = "Pipelines are still in progress";
    public const string ConfigureWorkflowFailed = "ConfigureWorkflowFailed";
    public const string DeleteWorkflowFailed = "DeleteWorkflowFailed";
    public const string DeleteWorkflowFailedMessage = "The Delete Pipeline has failed";
    public const string DeleteWorkflowSuspended = "DeleteWorkflowSuspended";
    public const string DeleteWorkflowSuspendedMessage = "The delete workflow is suspended";
    public const string WorkflowPending = "WorkflowPending";
    public const string WorkflowSuspended = "WorkflowSuspended";
    public const string WorksPending = "WorksPending";
    public const string WorksFailing = "WorksFailing";
    public const string WorksMisplaced = "WorksMisplaced";
    public const string ReconciledReason = "Reconciled";
    public const string RequestWorksSucceededMessage = "All works associated with this resource are ready";

    /// <summary>"A Configure Pipeline has failed: &lt;pipeline&gt;".</summary>
    public static string ConfigurePipelineFailed(string pipeline) => $"A Configure Pipeline has failed: {pipeline}";
}
