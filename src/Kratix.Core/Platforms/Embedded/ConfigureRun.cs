using Kratix.Objects;
using Kratix.Pipelines;

namespace Kratix.Platforms.Embedded;

/// <summary>A configure workflow that is due: what <see cref="WorkflowController.Plan"/> decided to run, for <see cref="WorkflowController.Finish"/> to keep.</summary>
/// <param name="Promise">The Promise whose workflow it is.</param>
/// <param name="Object">The Promise itself or the request, as it will be saved after the run.</param>
/// <param name="Type">promise or resource.</param>
/// <param name="Hash">The spec hash the run is for (a later run is due only when it changes).</param>
/// <param name="Request">What the executor runs.</param>
/// <param name="Executor">The executor over the platform's runtime.</param>
internal sealed record ConfigureRun(Promise Promise, KubeObject Object, string Type, string Hash, WorkflowRequest Request, WorkflowExecutor Executor);
