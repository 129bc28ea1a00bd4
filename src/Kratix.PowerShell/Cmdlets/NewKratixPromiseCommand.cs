using System.Management.Automation;
using Kratix.Authoring;

namespace Kratix.PowerShell.Cmdlets;

/// <summary>Writes a new Promise's source folder, as kratix-cli's init promise: promise.yaml (or api.yaml and dependencies.yaml with -Split), example-resource.yaml and README.md.</summary>
[Cmdlet(VerbsCommon.New, "KratixPromise", SupportsShouldProcess = true)]
[OutputType(typeof(FileInfo))]
public sealed class NewKratixPromiseCommand : AuthoringCmdlet
{
    /// <summary>The Promise's name (metadata.name).</summary>
    [Parameter(Mandatory = true, Position = 0)]
    public string Name { get; set; } = string.Empty;

    /// <summary>The API group of the Promise's requests, such as acme.io.</summary>
    [Parameter(Mandatory = true)]
    public string Group { get; set; } = string.Empty;

    /// <summary>The kind of the Promise's requests, such as Database.</summary>
    [Parameter(Mandatory = true)]
    public string Kind { get; set; } = string.Empty;

    /// <summary>The API version (v1alpha1 when not given).</summary>
    [Parameter]
    public string? Version { get; set; }

    /// <summary>The plural of the kind (the kind in lower case plus s when not given).</summary>
    [Parameter]
    public string? Plural { get; set; }

    /// <summary>The folder to write to (made when missing); the current location when not given.</summary>
    [Parameter]
    public string Directory { get; set; } = ".";

    /// <summary>Writes api.yaml and dependencies.yaml instead of promise.yaml (Build-KratixPromise joins them).</summary>
    [Parameter]
    public SwitchParameter Split { get; set; }

    /// <summary>The URL the Promise's pipeline renders the Helm chart from (an OCI reference, a .tgz URL, or a chart repository with -ChartName), as kratix-cli's --chart-url.</summary>
    [Parameter]
    public string? ChartUrl { get; set; }

    /// <summary>The chart's name in the repository -ChartUrl names.</summary>
    [Parameter]
    public string? ChartName { get; set; }

    /// <summary>The chart's version (the latest when not given).</summary>
    [Parameter]
    public string? ChartVersion { get; set; }

    /// <summary>The chart here, a folder or a packaged .tgz, to read values.yaml from; without it, -ChartUrl when that is a local path or an http(s) URL of a .tgz.</summary>
    [Parameter]
    public string? ChartPath { get; set; }

    /// <summary>Gives each API property the chart's value as its default.</summary>
    [Parameter]
    public SwitchParameter IncludeDefault { get; set; }

    /// <summary>Replaces the files that exist.</summary>
    [Parameter]
    public SwitchParameter Force { get; set; }

    protected override void ProcessRecord()
    {
        var folder = Resolve(Directory);
        if (string.IsNullOrEmpty(ChartUrl) && (ChartName is not null || ChartVersion is not null || ChartPath is not null || IncludeDefault))
        {
            WriteError(new ErrorRecord(
                new ArgumentException("-ChartName, -ChartVersion, -ChartPath and -IncludeDefault make a Promise from a Helm chart: give -ChartUrl too."),
                "HelmChartUrlMissing", ErrorCategory.InvalidArgument, folder));
            return;
        }

        if (!ShouldProcess(folder, $"Write Promise {Name} ({Kind}.{Group})"))
        {
            return;
        }

        Run(folder, () =>
        {
            HelmChartSource? helm = null;
            System.Text.Json.Nodes.JsonObject? schema = null;
            if (!string.IsNullOrEmpty(ChartUrl))
            {
                helm = new HelmChartSource(ChartUrl, ChartName, ChartVersion);
                schema = HelmPromise.ValuesToSchema(HelmPromise.ReadValues(LocalChart()), IncludeDefault);
            }

            var files = PromiseScaffold.Create(folder, new PromiseScaffoldOptions
            {
                SpecSchema = schema,
                ResourceConfigure = helm is null ? null : HelmPromise.ResourceConfigure(helm),
                Command = helm is null ? null : $"New-KratixPromise -Name {Name} -Group {Group} -Kind {Kind} -ChartUrl {ChartUrl}"
                    + (ChartName is null ? string.Empty : $" -ChartName {ChartName}") + (ChartVersion is null ? string.Empty : $" -ChartVersion {ChartVersion}")
                    + (Split ? " -Split" : string.Empty),
                Name = Name,
                Group = Group,
                Kind = Kind,
                Version = Version,
                Plural = Plural,
                Split = Split,
                Force = Force,
            });
            foreach (var file in files)
            {
                WriteObject(new FileInfo(file));
            }
        });
    }

    /// <summary>The chart to read values from: -ChartPath, else -ChartUrl as a local path, else -ChartUrl downloaded (an http(s) .tgz).</summary>
    private string LocalChart()
    {
        var url = ChartUrl!;
        if (ChartPath is not null)
        {
            return Resolve(ChartPath);
        }

        if (Uri.TryCreate(url, UriKind.Absolute, out var uri) && (uri.Scheme == Uri.UriSchemeHttp || uri.Scheme == Uri.UriSchemeHttps) && string.IsNullOrEmpty(ChartName))
        {
            var download = System.IO.Path.Combine(System.IO.Path.GetTempPath(), $"kratix-chart-{Guid.NewGuid():N}.tgz");
            using var client = new HttpClient { Timeout = TimeSpan.FromMinutes(2) };
            try
            {
                File.WriteAllBytes(download, client.GetByteArrayAsync(uri, Cancellation).GetAwaiter().GetResult());
            }
            catch (HttpRequestException ex)
            {
                throw new KratixException("HelmChartNotFound", KratixErrorCategory.ConnectionError, $"Could not download {url}: {ex.Message}. Give the chart here with -ChartPath.", url, ex);
            }

            return download;
        }

        if (uri is null || uri.IsFile)
        {
            return Resolve(url);
        }

        throw new KratixException(
            "HelmChartNotFound", KratixErrorCategory.InvalidArgument,
            $"{url} is an OCI reference or a chart repository: give the chart here (helm pull {url}{(ChartName is null ? string.Empty : " " + ChartName)}) with -ChartPath, to read its values.",
            url);
    }
}
