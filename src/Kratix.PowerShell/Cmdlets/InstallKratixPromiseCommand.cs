using System.Management.Automation;

namespace Kratix.PowerShell.Cmdlets;

/// <summary>
/// Installs or updates Promises from files, YAML or JSON text (piped whole, as Get-Content -Raw gives it, or a line at a
/// time, as kubectl get -o yaml or Get-Content give it), hashtables or Promise objects.
/// </summary>
[Cmdlet(VerbsLifecycle.Install, "KratixPromise", DefaultParameterSetName = "Path", SupportsShouldProcess = true)]
[OutputType("Kratix.Promise", "Kratix.PromiseRelease")]
public sealed class InstallKratixPromiseCommand : KratixCmdlet
{
    /// <summary>Promise files (wildcards). From the pipeline only by property name: piped strings are manifest text (-InputObject).</summary>
    [Parameter(ParameterSetName = "Path", Mandatory = true, Position = 0, ValueFromPipelineByPropertyName = true)]
    [SupportsWildcards]
    public string[]? Path { get; set; }

    [Parameter(ParameterSetName = "LiteralPath", Mandatory = true, ValueFromPipelineByPropertyName = true)]
    [Alias("PSPath", "LP")]
    public string[]? LiteralPath { get; set; }

    /// <summary>
    /// Manifests: YAML or JSON text (a whole text, or one line per string, joined until the input ends; documents are
    /// separated by ---), files from Get-Item or Get-ChildItem, hashtables, or objects a Kratix cmdlet output.
    /// </summary>
    [Parameter(ParameterSetName = "InputObject", Mandatory = true, ValueFromPipeline = true)]
    public object? InputObject { get; set; }

    /// <summary>
    /// Installs the Promise at this HTTP(S) URL as a PromiseRelease (upstream's sourceRef type http): it is fetched
    /// (with the Authorization header the Secret -SecretName holds, if given) and refused when its
    /// kratix.io/promise-version label is not -Version.
    /// </summary>
    [Parameter(ParameterSetName = "Uri", Mandatory = true)]
    public Uri? Uri { get; set; }

    /// <summary>The version the Promise at -Uri must have (its kratix.io/promise-version label); when omitted, whatever it has, recorded in the release.</summary>
    [Parameter(ParameterSetName = "Uri")]
    [ValidateNotNullOrEmpty]
    public string? Version { get; set; }

    /// <summary>A Secret (registered on the platform) whose authorizationHeader key is sent as the Authorization header: "Bearer TOKEN" or "Basic BASE64".</summary>
    [Parameter(ParameterSetName = "Uri")]
    [ValidateNotNullOrEmpty]
    public string? SecretName { get; set; }

    /// <summary>The namespace of -SecretName (default "default").</summary>
    [Parameter(ParameterSetName = "Uri")]
    [ValidateNotNullOrEmpty]
    public string? SecretNamespace { get; set; }

    /// <summary>The PromiseRelease's name; by default the URL's file name without its extension (its folder's for promise.yaml).</summary>
    [Parameter(ParameterSetName = "Uri")]
    [ValidateNotNullOrEmpty]
    public string? ReleaseName { get; set; }

    [Parameter]
    public SwitchParameter PassThru { get; set; }

    /// <summary>Waits until each Promise is Available (on a cluster, upstream's controllers work after the command returns; the embedded platform answers at once).</summary>
    [Parameter]
    public SwitchParameter Wait { get; set; }

    /// <summary>With -Wait, how long to wait for each, in seconds (default 300).</summary>
    [Parameter]
    [ValidateRange(1, int.MaxValue)]
    public int Timeout { get; set; } = 300;

    /// <summary>On a cluster, takes ownership of fields another field manager set (server-side apply with force) instead of stopping at the conflict.</summary>
    [Parameter]
    public SwitchParameter Force { get; set; }

    protected override bool TakeOwnership => Force;

    protected override void ProcessRecord()
    {
        if (Uri is not null)
        {
            InstallRelease(Uri);
            return;
        }

        Install(ReadManifests(Path, LiteralPath, InputObject));
    }

    private void InstallRelease(Uri uri)
    {
        var name = ReleaseName ?? Kratix.Platforms.PromiseReleases.NameFor(uri);
        if (!ShouldProcess($"PromiseRelease \"{name}\" ({Kratix.StateStores.SecretRedactor.Redact(uri.ToString())})", "Install Promise"))
        {
            return;
        }

        WithPlatform(platform =>
        {
            var release = Kratix.Platforms.PromiseReleases.New(name, uri, Version, SecretName, SecretName is null ? null : SecretNamespace ?? "default");
            var installed = Pump(() => platform.InstallPromiseRelease(release, Cancellation));
            if (PassThru)
            {
                WriteKratixObject(installed);
            }
        }, name);
    }

    protected override void EndProcessing()
    {
        Install(ReadPipedLines());
        base.EndProcessing();
    }

    private void Install(IEnumerable<Kratix.Manifests.ManifestItem> manifests)
    {
        var items = manifests.ToList();
        if (items.Count == 0)
        {
            return;
        }

        WithPlatform(platform =>
        {
            if (DryRunView.IsWhatIf(this))
            {
                foreach (var item in items)
                {
                    ShouldProcess(item.Describe(), "Install Promise");
                    try
                    {
                        item.ExpectKind("Promise");
                        WhatIf(platform, item);
                    }
                    catch (KratixException ex)
                    {
                        Report(ex, item.Describe());
                    }
                }

                return;
            }

            // Many documents: a progress bar of its own over the engine's, which shows each install's stages under it.
            ProgressLevelOffset = items.Count > 1 ? 1 : 0;
            var done = 0;
            ForEachManifest(
                items,
                "Install Promise",
                item =>
                {
                    if (items.Count > 1)
                    {
                        WriteCommandProgress(0, $"Installing {items.Count:N0} Promises", "Installing", done++, items.Count, item.Describe());
                    }

                    if (item.Node["kind"]?.ToString() == Kratix.Objects.KratixApi.PromiseReleaseKind)
                    {
                        return Pump(() => platform.InstallPromiseRelease(item.Node, Cancellation));
                    }

                    item.ExpectKind("Promise");
                    var installed = Pump(() => platform.InstallPromise(item.Node, Cancellation));
                    return Wait
                        ? Pump(() => platform.Wait(new Kratix.Platforms.WaitTarget(null, null, installed.Name, "Available"), TimeSpan.FromSeconds(Timeout), Cancellation)) ?? installed
                        : installed;
                },
                PassThru,
                () => Kratix.Presentation.ObjectRelations.Load(platform));
            CompleteProgress();
        });
    }

    /// <summary>
    /// -WhatIf: the install's dry run (its workflows and its requests' with KRATIX_DRY_RUN=true, nothing written), one
    /// "What if:" line per file it would add, change or remove. A cluster cannot dry-run a Promise: it says so and
    /// shows the usual line only.
    /// </summary>
    private void WhatIf(Kratix.Platforms.IKratixPlatform platform, Kratix.Manifests.ManifestItem item)
    {
        const string action = "Install Promise";
        Kratix.Platforms.DryRunResult result;
        try
        {
            result = Pump(() => platform.DryRunPromise(item.Node, Cancellation));
        }
        catch (KratixException ex) when (ex.ErrorId == "NotSupportedOnCluster")
        {
            WriteWarning(ex.Message);
            return;
        }

        WriteDryRun(result, action);
    }

    private void WriteDryRun(Kratix.Platforms.DryRunResult result, string action)
    {
        if (result.Changes.Count == 0)
        {
            ShouldProcess(DryRunView.NoChange(result), DryRunView.NoChange(result), action);
        }

        foreach (var change in result.Changes)
        {
            var line = DryRunView.Describe(result, change);
            ShouldProcess(line, line, action);
        }

        foreach (var failure in result.Failures)
        {
            Report(DryRunView.Failure(failure), result.Subject);
        }
    }
}
