using System.Text.Json.Nodes;
using Kratix.Objects;

namespace Kratix.Pipelines;

/// <summary>The workflow types and actions upstream names.</summary>
public static class WorkflowTypes
{
    public const string Promise = "promise";
    public const string Resource = "resource";
    public const string Configure = "configure";
    public const string Delete = "delete";
}

/// <summary>
/// One workflow run: the Promise, the object the workflow is for (the Promise itself or a request, status included),
/// the type (<c>promise</c>|<c>resource</c>) and action (<c>configure</c>|<c>delete</c>), and the pipelines to run from
/// <see cref="StartAt"/> (a resumed workflow starts at its suspended pipeline).
/// </summary>
public sealed record WorkflowRequest(Promise Promise, JsonObject Object, string WorkflowType, string Action, IReadOnlyList<Pipeline> Pipelines)
{
    public int StartAt { get; init; }

    /// <summary>Resumes a suspended workflow at <see cref="StartAt"/>, keeping the pipelines' recorded phases and retry attempts.</summary>
    public bool Resume { get; init; }

    /// <summary>Sets KRATIX_DRY_RUN=true for the containers.</summary>
    public bool DryRun { get; init; }

    /// <summary>ConfigMaps and Secrets for valueFrom and envFrom.</summary>
    public ValueSources Values { get; init; } = ValueSources.None;

    /// <summary>Runs only the pipeline of this name (Invoke-KratixPipeline -Pipeline); null runs them all.</summary>
    public string? OnlyPipeline { get; init; }

    /// <summary>Creates the request for a Promise's workflow, or a request's when <paramref name="resource"/> is given.</summary>
    public static WorkflowRequest For(Promise promise, JsonObject? resource, string action)
    {
        var type = resource is null ? WorkflowTypes.Promise : WorkflowTypes.Resource;
        var pipelines = promise.Workflows(type, action);
        return new WorkflowRequest(promise, resource ?? promise.Node, type, action, pipelines);
    }
}
