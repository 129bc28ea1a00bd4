using System.Management.Automation;
using System.Net;
using System.Security;
using System.Text.Json.Nodes;
using Kratix.Manifests;
using Kratix.Objects;

namespace Kratix.PowerShell.Cmdlets;

/// <summary>
/// Registers a state store: a Git repository (-Url; a local bare repository path is a valid URL), an S3 bucket (-Endpoint
/// and -BucketName), or a directory (-Directory, stored as a BucketStateStore whose endpoint is the directory), or
/// GitStateStore/BucketStateStore manifests, with the Kubernetes Secrets their spec.secretRef names (registered first,
/// never output). Git credentials can be given with -Credential (user and password or token), -Token (a token alone, user
/// x-access-token) or -SshKeyPath and -KnownHostsPath; an S3 access key with -Credential (the access key id as the user
/// name, the secret access key as the password). They are kept as the Secret the store refers to, in the platform home.
/// Without them, git uses your own configuration and S3 the AWS SDK's default credential chain (authMethod IAM). Kratix
/// checks it can write there and reports Ready or NotReady.
/// </summary>
[Cmdlet(VerbsLifecycle.Register, "KratixStateStore", DefaultParameterSetName = "Git", SupportsShouldProcess = true)]
[OutputType("Kratix.GitStateStore", "Kratix.BucketStateStore")]
public sealed class RegisterKratixStateStoreCommand : KratixCmdlet
{
    /// <summary>On a cluster, takes ownership of fields another field manager set (server-side apply with force) instead of stopping at the conflict.</summary>
    [Parameter]
    public SwitchParameter Force { get; set; }

    protected override bool TakeOwnership => Force;

    [Parameter(ParameterSetName = "Git", Mandatory = true, Position = 0)]
    [Parameter(ParameterSetName = "Bucket", Mandatory = true, Position = 0)]
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

    /// <summary>An S3-compatible server: host[:port] (https, or http with -Insecure) or an http(s):// URL.</summary>
    [Parameter(ParameterSetName = "Bucket", Mandatory = true)]
    [ValidateNotNullOrEmpty]
    public string? Endpoint { get; set; }

    /// <summary>The bucket on the S3 server; it must exist.</summary>
    [Parameter(ParameterSetName = "Bucket", Mandatory = true)]
    [ValidateNotNullOrEmpty]
    public string? BucketName { get; set; }

    /// <summary>Plain http to a host[:port] endpoint (spec.insecure).</summary>
    [Parameter(ParameterSetName = "Bucket")]
    public SwitchParameter Insecure { get; set; }

    /// <summary>A local directory to write to (a bucket on the embedded platform).</summary>
    [Parameter(ParameterSetName = "Directory", Mandatory = true)]
    [ValidateNotNullOrEmpty]
    public string? Directory { get; set; }

    /// <summary>The state store's spec.path: the folder inside the repository, bucket or directory that all Destinations' paths are under.</summary>
    [Parameter(ParameterSetName = "Git")]
    [Parameter(ParameterSetName = "Bucket")]
    [Parameter(ParameterSetName = "Directory")]
    public string? StorePath { get; set; }

    [Parameter(ParameterSetName = "Path", Mandatory = true, ValueFromPipelineByPropertyName = true)]
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

    /// <summary>For a Git store, HTTP(S) basic authentication: the user name and the password or access token. For an S3
    /// bucket, its access key: the access key id as the user name, the secret access key as the password.</summary>
    [Parameter(ParameterSetName = "Git")]
    [Parameter(ParameterSetName = "Bucket")]
    [Parameter(ParameterSetName = "Path")]
    [Parameter(ParameterSetName = "LiteralPath")]
    [Parameter(ParameterSetName = "InputObject")]
    [Credential]
    public PSCredential? Credential { get; set; }

    /// <summary>An access token alone, for HTTP(S): the user name is x-access-token, as upstream Kratix uses for GitHub tokens.</summary>
    [Parameter(ParameterSetName = "Git")]
    [Parameter(ParameterSetName = "Path")]
    [Parameter(ParameterSetName = "LiteralPath")]
    [Parameter(ParameterSetName = "InputObject")]
    public SecureString? Token { get; set; }

    /// <summary>A private key file for SSH (its content is never read by Kratix; ssh reads it).</summary>
    [Parameter(ParameterSetName = "Git")]
    [Parameter(ParameterSetName = "Path")]
    [Parameter(ParameterSetName = "LiteralPath")]
    [Parameter(ParameterSetName = "InputObject")]
    [ValidateNotNullOrEmpty]
    public string? SshKeyPath { get; set; }

    /// <summary>The known_hosts file the SSH server's key must be in (without it, your own known_hosts files); unknown hosts are refused.</summary>
    [Parameter(ParameterSetName = "Git")]
    [Parameter(ParameterSetName = "Path")]
    [Parameter(ParameterSetName = "LiteralPath")]
    [Parameter(ParameterSetName = "InputObject")]
    [ValidateNotNullOrEmpty]
    public string? KnownHostsPath { get; set; }

    [Parameter]
    public SwitchParameter PassThru { get; set; }

    protected override void BeginProcessing()
    {
        var given = new[] { Credential is not null, Token is not null, SshKeyPath is not null }.Count(g => g);
        if (given > 1 || (KnownHostsPath is not null && SshKeyPath is null))
        {
            ThrowTerminatingError(new ErrorRecord(
                new ArgumentException("Give one of -Credential, -Token or -SshKeyPath (with an optional -KnownHostsPath)."),
                "StateStoreCredentialsInvalid",
                ErrorCategory.InvalidArgument,
                null));
        }
    }

    protected override void ProcessRecord() => Register(Manifests());

    protected override void EndProcessing()
    {
        if (HasPipedLines)
        {
            Register(ReadPipedLines());
        }

        base.EndProcessing();
    }

    private void Register(IEnumerable<ManifestItem> manifests) => WithPlatform(platform =>
    {
        var items = manifests.ToList();
        var credentials = GivenCredentials();

        // Secrets first, so the stores that name them find them on their first check. They are never output.
        foreach (var secret in items.Where(i => i.Kind == "Secret"))
        {
            if (ShouldProcess(secret.Describe(), "Register secret"))
            {
                try
                {
                    platform.RegisterSecret(secret.Node, Cancellation);
                }
                catch (KratixException ex)
                {
                    Report(ex, secret.Describe());
                }
            }
        }

        ForEachManifest(
            items.Where(i => i.Kind != "Secret"),
            "Register state store",
            item =>
            {
                item.ExpectKind("GitStateStore", "BucketStateStore", "Secret");
                return platform.RegisterStateStore(item.Node, credentials, Cancellation);
            },
            PassThru);
    });

    /// <summary>
    /// The credentials given as parameters, or null; the secrets leave their SecureStrings only here, for the engine, which
    /// decides what a user and password mean for each store (Git basic authentication, or an S3 access key).
    /// </summary>
    private Kratix.StateStores.StateStoreCredentials? GivenCredentials()
    {
        if (Credential is not null)
        {
            return new Kratix.StateStores.PasswordCredentials(Credential.UserName, Credential.GetNetworkCredential().Password);
        }

        if (Token is not null)
        {
            return new Kratix.StateStores.PasswordCredentials(null, new NetworkCredential(string.Empty, Token).Password);
        }

        return SshKeyPath is null
            ? null
            : new Kratix.StateStores.GitSshCredentials(
                privateKeyPath: GetUnresolvedProviderPathFromPSPath(SshKeyPath),
                knownHostsPath: KnownHostsPath is null ? null : GetUnresolvedProviderPathFromPSPath(KnownHostsPath));
    }

    private IEnumerable<ManifestItem> Manifests()
    {
        if (ParameterSetName is not ("Git" or "Bucket" or "Directory"))
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
        else if (ParameterSetName == "Bucket")
        {
            kind = KratixApi.BucketStateStoreKind;
            spec["endpoint"] = Endpoint;
            spec["bucketName"] = BucketName;
            if (Insecure)
            {
                spec["insecure"] = true;
            }

            // With -Credential the engine sets authMethod accessKey and the Secret; without, the SDK's credential chain.
            spec["authMethod"] = "IAM";
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
