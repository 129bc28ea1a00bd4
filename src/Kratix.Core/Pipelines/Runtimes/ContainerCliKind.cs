namespace Kratix.Pipelines.Runtimes;

/// <summary>Which container engine a <c>CliContainerRuntime</c> drives; their command lines differ in small ways (stop timeouts, error texts).</summary>
public enum ContainerCliKind
{
    Podman,
    Docker,
}
