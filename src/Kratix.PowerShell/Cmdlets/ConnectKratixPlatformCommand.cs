using System.Collections;
using System.Management.Automation;
using Kratix.PowerShell.Completion;
using Kratix.Pipelines;
using Kratix.Platforms.Embedded;

namespace Kratix.PowerShell.Cmdlets;

/// <summary>
/// Chooses the platform the Kratix cmdlets in this session use: a platform home (created if missing), or a Kubernetes
/// cluster running upstream Kratix (-Kubeconfig, -Context, -InCluster, or -Path kube:&lt;context&gt;), which is reached and
/// described before the session switches to it. -Runtime, -ImageMap,
/// -RuntimeArgument, -ContainerTimeout, -MaxOutputBytes, -ParallelWorkflows and -Network change how that platform runs pipelines, saved in
/// its home (platform.yaml) for every session that uses it.
/// </summary>
[Cmdlet(VerbsCommunications.Connect, "KratixPlatform", DefaultParameterSetName = "Path", SupportsShouldProcess = true)]
[OutputType("Kratix.PlatformInfo")]
public sealed class ConnectKratixPlatformCommand : KratixCmdlet
{
    /// <summary>The platform home directory. Defaults to $env:KRATIX_HOME, then ~/.kratix. A wildcard must match exactly one existing directory.</summary>
    [Parameter(ParameterSetName = "Path", Position = 0, ValueFromPipelineByPropertyName = true)]
    [Alias("Home")]
    [SupportsWildcards]
    public string? Path { get; set; }

    /// <summary>The platform home directory, used exactly as written; binds PSPath, so `Get-Item dir | Connect-KratixPlatform` works.</summary>
    [Parameter(ParameterSetName = "LiteralPath", Mandatory = true, ValueFromPipelineByPropertyName = true)]
    [Alias("PSPath", "LP")]
    public string? LiteralPath { get; set; }

    /// <summary>The kubeconfig file(s) to read (several joined by the path separator, as KUBECONFIG joins them); default $env:KUBECONFIG, else ~/.kube/config.</summary>
    [Parameter(ParameterSetName = "Cluster")]
    [ValidateNotNullOrEmpty]
    public string? Kubeconfig { get; set; }

    /// <summary>The kubeconfig context to use; default its current context.</summary>
    [Parameter(ParameterSetName = "Cluster")]
    [ValidateNotNullOrEmpty]
    public string? Context { get; set; }

    /// <summary>Connects with the service account of the pod this runs in.</summary>
    [Parameter(ParameterSetName = "InCluster", Mandatory = true)]
    public SwitchParameter InCluster { get; set; }

    [Parameter]
    public SwitchParameter PassThru { get; set; }

    /// <summary>Saves the runtime this platform's workflows run on: Auto (the first of Podman, Docker and Host that works here), Podman, Docker or Host.</summary>
    [Parameter]
    [ValidateChoice(RuntimeNames.Auto, RuntimeNames.Podman, RuntimeNames.Docker, RuntimeNames.Host)]
    [ArgumentCompleter(typeof(RuntimeCompleter))]
    public string? Runtime { get; set; }

    /// <summary>Saves the Host runtime's image map: image reference → folder laid out like the image, or → @{ Path = ...; Entrypoint = @(...); Cmd = @(...) }.</summary>
    [Parameter]
    public IDictionary? ImageMap { get; set; }

    /// <summary>Saves extra arguments for the container engine's run command (Podman's or Docker's as -Runtime says; both for Auto).</summary>
    [Parameter]
    public string[]? RuntimeArgument { get; set; }

    /// <summary>Saves each pipeline container's time limit.</summary>
    [Parameter]
    public TimeSpan? ContainerTimeout { get; set; }

    /// <summary>Saves the most each pipeline may write to /kratix/output, in bytes (default 64 MiB); a pipeline that writes more fails and nothing of it is scheduled.</summary>
    [Parameter]
    [ValidateRange(1L, long.MaxValue)]
    public long? MaxOutputBytes { get; set; }

    /// <summary>
    /// Saves how many workflows one command may run at once (requests submitted together, a Promise's requests rerun);
    /// by default one per processor. More helps runtimes that mostly wait, such as podman.
    /// </summary>
    [Parameter]
    [ValidateRange(1, 1024)]
    public int? ParallelWorkflows { get; set; }

    /// <summary>
    /// Saves what New-, Set- and Test-KratixRequest do with unknown fields and duplicate keys when they are not given
    /// -FieldValidation: Strict (the default, as kubectl), Warn or Ignore.
    /// </summary>
    [Parameter]
    [ValidateSet(FieldValidationNames.Strict, FieldValidationNames.Warn, FieldValidationNames.Ignore)]
    public string? FieldValidation { get; set; }

    /// <summary>
    /// Saves upstream's resourceBindingVersionStrategy: a new request's ResourceBinding follows latest (Floating, the
    /// default) or is pinned to the Promise's latest version when it is made (Pinned).
    /// </summary>
    [Parameter]
    [ValidateSet("Floating", "Pinned")]
    public string? ResourceBindingVersionStrategy { get; set; }

    /// <summary>
    /// Saves upstream's reconciliationInterval (10h by default): how long after a configure workflow completed it runs
    /// again at a sync, unless its Promise says otherwise.
    /// </summary>
    [Parameter]
    public TimeSpan? ReconciliationInterval { get; set; }

    /// <summary>Saves upstream's stateStoreReconciliationInterval (10h by default; zero: never on a timer): how often state stores are written again.</summary>
    [Parameter]
    public TimeSpan? StateStoreReconciliationInterval { get; set; }

    /// <summary>Saves upstream's workflows.reconcileAfterFailure (true by default): whether failed workflows run again after the interval.</summary>
    [Parameter]
    public SwitchParameter ReconcileAfterFailure { get; set; }

    /// <summary>Saves whether pipeline containers may use the network (-Network:$false takes it away).</summary>
    [Parameter]
    public SwitchParameter Network { get; set; }

    private bool ChangesSettings =>
        Runtime is not null || ImageMap is not null || RuntimeArgument is not null || ContainerTimeout is not null || MaxOutputBytes is not null || ParallelWorkflows is not null || FieldValidation is not null
        || ResourceBindingVersionStrategy is not null
        || ReconciliationInterval is not null || StateStoreReconciliationInterval is not null
        || MyInvocation.BoundParameters.ContainsKey(nameof(ReconcileAfterFailure))
        || MyInvocation.BoundParameters.ContainsKey(nameof(Network));

    protected override void ProcessRecord()
    {
        if (ParameterSetName is "Cluster" or "InCluster" || (ParameterSetName == "Path" && Kratix.Kubernetes.ClusterLocation.IsCluster(Path)))
        {
            ConnectCluster();
            return;
        }

        var home = ResolveHome();
        var connected = ShouldProcess(home, "Use as the Kratix platform home");
        if (connected)
        {
            Directory.CreateDirectory(home);
            PlatformSession.Location = home;
        }

        if (ChangesSettings && ShouldProcess(home, "Set pipeline settings"))
        {
            try
            {
                LoadSettings(home).With(
                    Runtime,
                    RuntimeArgument,
                    ImageMap is null ? null : HostImageMap.From(ImageMap, GetUnresolvedProviderPathFromPSPath, Unwrap),
                    ContainerTimeout,
                    MyInvocation.BoundParameters.ContainsKey(nameof(Network)) ? Network.IsPresent : null,
                    MaxOutputBytes,
                    ParallelWorkflows,
                    FieldValidationNames.ToMode(FieldValidation),
                    ResourceBindingVersionStrategy,
                    ReconciliationInterval,
                    StateStoreReconciliationInterval,
                    MyInvocation.BoundParameters.ContainsKey(nameof(ReconcileAfterFailure)) ? ReconcileAfterFailure.IsPresent : null).Save(home);
            }
            catch (KratixException ex)
            {
                Report(ex, home, terminating: true);
            }
        }

        if (connected && PassThru)
        {
            Platform = home;
            WithPlatform(p => WriteObject(PlatformInfo.Describe(p)));
        }
    }

    /// <summary>
    /// Reaches the cluster and reads what Get-KratixPlatform shows before the session switches to it: a cluster that cannot
    /// be reached, or refuses the credentials, is a terminating error and the session stays where it was. Without Kratix
    /// there, it connects with a warning. Pipeline settings have no meaning on a cluster.
    /// </summary>
    private void ConnectCluster()
    {
        if (ChangesSettings)
        {
            RefuseOnCluster(
                "-Runtime, -ImageMap, -RuntimeArgument, -ContainerTimeout, -MaxOutputBytes, -ParallelWorkflows, -Network, -FieldValidation, -ResourceBindingVersionStrategy, -ReconciliationInterval, -StateStoreReconciliationInterval and -ReconcileAfterFailure",
                "they are the embedded platform's settings, saved in its home; on a cluster, upstream Kratix runs pipelines as Jobs and reads the others from its own config (the kratix ConfigMap), and -FieldValidation is given per command.");
        }

        var location = InCluster
            ? new Kratix.Kubernetes.ClusterLocation(null, null, true).ToString()
            : ParameterSetName == "Path" ? ResolveLocation(Path!) : ResolveLocation(new Kratix.Kubernetes.ClusterLocation(Context, Kubeconfig, false).ToString());
        if (!ShouldProcess(location, "Use as the Kratix platform"))
        {
            return;
        }

        Platform = location;
        WithPlatform(
            platform =>
            {
                var cluster = (Kratix.Platforms.Cluster.ClusterPlatform)platform;
                var described = cluster.Describe(Cancellation);
                if (!described.CrdsInstalled)
                {
                    WriteWarning($"Kratix is not installed on the cluster at {described.Server} (context \"{described.Context}\"): its CRDs are missing. The Kratix cmdlets will say so until it is installed.");
                }

                PlatformSession.Location = location;
                WriteVerbose($"Connected to {described.Server} (context \"{described.Context}\", namespace \"{described.Namespace}\").");
                if (PassThru)
                {
                    WriteObject(PlatformInfo.Describe(platform));
                }
            },
            location,
            terminating: true);
    }

    /// <summary>The home's settings; settings that no longer read are replaced (with a warning), as the error about them suggests.</summary>
    private PlatformSettings LoadSettings(string home)
    {
        try
        {
            return PlatformSettings.Load(home);
        }
        catch (KratixException ex) when (ex.ErrorId == "PlatformSettingsInvalid")
        {
            WriteWarning($"{ex.Message} They are replaced by the defaults and the settings given now.");
            return new PlatformSettings();
        }
    }

    private string ResolveHome()
    {
        if (LiteralPath is not null)
        {
            return GetUnresolvedProviderPathFromPSPath(LiteralPath);
        }

        if (Path is null)
        {
            return EmbeddedPlatformOptions.DefaultHome;
        }

        if (!WildcardPattern.ContainsWildcardCharacters(Path))
        {
            // The home need not exist yet: it is created.
            return GetUnresolvedProviderPathFromPSPath(Path);
        }

        List<string> matches;
        try
        {
            matches = [.. GetResolvedProviderPathFromPSPath(Path, out _)];
        }
        catch (ItemNotFoundException)
        {
            matches = [];
        }

        if (matches.Count != 1)
        {
            ThrowTerminatingError(new ErrorRecord(
                new ArgumentException(matches.Count == 0
                    ? $"No directory matches \"{Path}\". Give an existing directory, or use -LiteralPath for a name with wildcard characters."
                    : $"\"{Path}\" matches {matches.Count} paths ({string.Join(", ", matches)}); a platform home must be one directory."),
                matches.Count == 0 ? "PlatformPathNotFound" : "PlatformPathAmbiguous",
                matches.Count == 0 ? ErrorCategory.ObjectNotFound : ErrorCategory.InvalidArgument,
                Path));
        }

        return matches[0];
    }
}
