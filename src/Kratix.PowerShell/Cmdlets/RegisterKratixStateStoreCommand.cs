using System.Management.Automation;
using System.Text.Json.Nodes;
using Kratix.Manifests;
using Kratix.Objects;

namespace Kratix.PowerShell.Cmdlets;

/// <summary>
/// Registers a state store: a Git repository (-Url; a local bare repository path is a valid URL) or a directory
/// (-Directory, stored as a BucketStateStore whose endpoint is the directory), or GitStateStore/BucketStateStore manifests.
/// Kratix checks it can write there and reports Ready or NotReady.
/// </summary>
[Cmdlet(VerbsLifecycle.Register, "KratixStateStore", DefaultParameterSetName = "Git", SupportsShouldProcess = true)]
[OutputType("Kratix.GitStateStore", "Kratix.BucketStateStore")]
public sealed class RegisterKratixStateStoreCommand : KratixCmdlet
{
    [Parameter(ParameterSetName = "Git", Mandatory = true, Position = 0)]
    [Parameter(ParameterSetName = "Directory", Mandatory = true, Position = 0)]
    [ValidateNotNullOrEmpty]
    public string? Name { get; set; }

    /// <summary>The repository URL (https, ssh, file, or a local path).</summary>
    [Parameter(ParameterSetName = "Git", Mandatory = true, Position = 1)]
    [ValidateNotNullOrEmpty]
    public string? Url { get; set; }

    [Parameter(ParameterSetName = "Git")]
    [ValidateNotNullOrEmpty]
    public string Branch { get; set; } = "main";

    [Parameter(ParameterSetName = "Git")]
    public string? AuthorName { get; set; }

    [Parameter(ParameterSetName = "Git")]
    public string? AuthorEmail { get; set; }

    /// <summary>A local directory to write to (a bucket on the embedded platform).</summary>
    [Parameter(ParameterSetName = "Directory", Mandatory = true)]
    [ValidateNotNullOrEmpty]
    public string? Directory { get; set; }

    /// <summary>The state store's spec.path: the folder inside the repository or directory that all Destinations' paths are under.</summary>
    [Parameter(ParameterSetName = "Git")]
    [Parameter(ParameterSetName = "Directory")]
    public string? StorePath { get; set; }

    [Parameter(ParameterSetName = "Path", Mandatory = true, ValueFromPipelineByPropertyName = true)]
    [SupportsWildcards]
    public string[]? Path { get; set; }

    [Parameter(ParameterSetName = "LiteralPath", Mandatory = true, ValueFromPipelineByPropertyName = true)]
    [Alias("PSPath", "LP")]
    public string[]? LiteralPath { get; set; }

    [Parameter(ParameterSetName = "InputObject", Mandatory = true, ValueFromPipeline = true)]
    public object? InputObject { get; set; }

    [Parameter]
    public SwitchParameter PassThru { get; set; }

    protected override void ProcessRecord() => WithPlatform(platform => ForEachManifest(
        Manifests(),
        "Register state store",
        item =>
        {
            item.ExpectKind("GitStateStore", "BucketStateStore");
            return platform.RegisterStateStore(item.Node, Cancellation);
        },
        PassThru));

    private IEnumerable<ManifestItem> Manifests()
    {
        if (ParameterSetName is not ("Git" or "Directory"))
        {
            return ReadManifests(Path, LiteralPath, InputObject);
        }

        var spec = new JsonObject();
        string kind;
        if (ParameterSetName == "Git")
        {
            kind = KratixApi.GitStateStoreKind;
            var url = Url!.Contains("://", StringComparison.Ordinal) || Url.Contains('@', StringComparison.Ordinal) ? Url : GetUnresolvedProviderPathFromPSPath(Url);
            spec["url"] = url;
            spec["branch"] = Branch;
            var author = new JsonObject { ["name"] = AuthorName ?? "kratix" };
            if (AuthorEmail is not null)
            {
                author["email"] = AuthorEmail;
            }

            spec["gitAuthor"] = author;
        }
        else
        {
            kind = KratixApi.BucketStateStoreKind;
            var directory = GetUnresolvedProviderPathFromPSPath(Directory!);
            spec["endpoint"] = System.IO.Path.GetDirectoryName(directory.TrimEnd('/', '\\'));
            spec["bucketName"] = System.IO.Path.GetFileName(directory.TrimEnd('/', '\\'));
            spec["authMethod"] = "IAM";
        }

        if (StorePath is not null)
        {
            spec["path"] = StorePath;
        }

        return [new ManifestItem(new JsonObject
        {
            ["apiVersion"] = KratixApi.ApiVersion,
            ["kind"] = kind,
            ["metadata"] = new JsonObject { ["name"] = Name },
            ["spec"] = spec,
        }, null)];
    }
}
