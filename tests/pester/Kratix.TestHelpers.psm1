#Requires -Version 7.4
<#
    Shared setup for the Kratix Pester suites.

    New-TestPlatform makes a platform home and a bare Git repository (the state store's remote) under TestDrive.
    The Get-Remote* helpers read what Kratix pushed straight from that bare repository with git itself, never
    through the module under test.

    TestDrive note: Pester deletes, when a Describe or Context ends, every file created under TestDrive while it
    ran. A platform (home and remote) therefore belongs to the block whose BeforeAll created it; a nested block
    that changed it would leave it half deleted. Each Context of the suites makes its own.
#>

Set-StrictMode -Version Latest

$script:RepositoryRoot = (Resolve-Path -LiteralPath (Join-Path $PSScriptRoot '..' '..')).ProviderPath

# The first five characters of md5("."), the id of the default workload group, as Kratix writes it in paths.
$script:DefaultWorkloadGroup = '5058f'

function Get-RepositoryRoot {
    [CmdletBinding()]
    [OutputType([string])]
    param()
    $script:RepositoryRoot
}

function Invoke-TestGit {
    <# Runs git with the given arguments (no shell); returns its exit code and stdout lines. Throws when git fails unless -AllowFailure. #>
    [CmdletBinding()]
    param(
        [Parameter(Mandatory)]
        [string[]] $ArgumentList,

        [switch] $AllowFailure
    )

    $output = & git @ArgumentList 2>$null
    $exitCode = $LASTEXITCODE
    if ($exitCode -ne 0 -and -not $AllowFailure) {
        throw "git $($ArgumentList -join ' ') failed with exit code $exitCode."
    }

    # Always an array (an if statement would unroll one line to a string and no lines to $null).
    [string[]] $lines = @(if ($null -ne $output) { $output | ForEach-Object { [string] $_ } })
    [pscustomobject]@{
        ExitCode = $exitCode
        Lines    = $lines
    }
}

function New-TestPlatform {
    <#
        Creates <Root>/<Name>/ with a bare repository remote.git (branch main, no commits yet) and a platform home whose
        platform.yaml runs pipelines on the Host runtime (Linux and bubblewrap), with upstream's test-bundle image mapped
        to this repository's scripts; returns Root, Home and Remote.
        Root defaults to Pester's TestDrive.
    #>
    [CmdletBinding()]
    param(
        [Parameter(Mandatory)]
        [ValidatePattern('^[A-Za-z0-9][A-Za-z0-9._-]*$')]
        [string] $Name,

        [string] $Root = (Get-Variable -Name TestDrive -Scope Global -ValueOnly -ErrorAction Stop)
    )

    $base = Join-Path $Root $Name
    if (Test-Path -LiteralPath $base) {
        throw "$base already exists; give each test platform its own name."
    }

    $null = [System.IO.Directory]::CreateDirectory($base)
    $remote = Join-Path $base 'remote.git'
    $null = Invoke-TestGit -ArgumentList @('init', '--quiet', '--bare', '--initial-branch=main', $remote)

    # Workflows run on the Host runtime, with upstream's test-bundle image stood in for by the scripts in
    # tests/Kratix.Core.Tests/Workflows/test-bundle-image, so the upstream testbundle Promise runs without a registry.
    $homePath = Join-Path $base 'home'
    $null = [System.IO.Directory]::CreateDirectory($homePath)
    $bundleImage = Join-Path (Split-Path -Parent (Split-Path -Parent $PSScriptRoot)) 'tests/Kratix.Core.Tests/Workflows/test-bundle-image'
    Set-Content -LiteralPath (Join-Path $homePath 'platform.yaml') -Encoding utf8NoBOM -Value @"
runtime: Host
images:
  syntasso/test-bundle-image:v0.1.0:
    path: '$($bundleImage.Replace("'", "''"))'
"@

    [pscustomobject]@{
        Root   = $base
        Home   = Join-Path $base 'home'
        Remote = $remote
    }
}

function New-TestPromiseFile {
    <#
        Writes a small Promise named -Name to -Path and returns the path. It has two dependencies (a Namespace
        <name>-system and a ConfigMap <name>-settings), a Destination selector environment=<Environment> (none with
        -NoSelectors), and an API: kind <Name> capitalised, group marketplace.kratix.io, version v1alpha1, with
        spec.size (small or large, default small) and spec.replicas (integer 1 to 5, required).
    #>
    [CmdletBinding()]
    [OutputType([string])]
    param(
        [Parameter(Mandatory)]
        [string] $Path,

        [Parameter(Mandatory)]
        [ValidatePattern('^[a-z][a-z0-9]*$')]
        [string] $Name,

        [string] $Environment = 'dev',

        [switch] $NoSelectors
    )

    $kind = $Name.Substring(0, 1).ToUpperInvariant() + $Name.Substring(1)
    $plural = "$($Name)s"
    $selectors = if ($NoSelectors) {
        ''
    }
    else {
        "  destinationSelectors:`n  - matchLabels:`n      environment: $Environment`n"
    }

    $yaml = @"
apiVersion: platform.kratix.io/v1alpha1
kind: Promise
metadata:
  name: $Name
  labels:
    kratix.io/promise-version: v1.0.0
spec:
$($selectors)  dependencies:
  - apiVersion: v1
    kind: Namespace
    metadata:
      name: $Name-system
  - apiVersion: v1
    kind: ConfigMap
    metadata:
      name: $Name-settings
      namespace: $Name-system
    data:
      enabled: "true"
  api:
    apiVersion: apiextensions.k8s.io/v1
    kind: CustomResourceDefinition
    metadata:
      name: $($plural).marketplace.kratix.io
    spec:
      group: marketplace.kratix.io
      names:
        kind: $kind
        plural: $plural
        singular: $Name
      scope: Namespaced
      versions:
      - name: v1alpha1
        served: true
        storage: true
        schema:
          openAPIV3Schema:
            type: object
            properties:
              spec:
                type: object
                properties:
                  size:
                    type: string
                    enum: [small, large]
                    default: small
                  replicas:
                    type: integer
                    minimum: 1
                    maximum: 5
                required: [replicas]
"@

    $parent = Split-Path -Parent $Path
    if ($parent) {
        $null = [System.IO.Directory]::CreateDirectory($parent)
    }

    Set-Content -LiteralPath $Path -Value $yaml -Encoding utf8NoBOM
    $Path
}

function New-TestWorkflowPromiseFile {
    <#
        Writes a Promise named -Name whose workflows run sh scripts, and returns its path. The file is JSON, which Kratix
        reads as YAML, so scripts need no YAML quoting. The Promise has an API (kind <Name> capitalised, group
        test.kratix.io, version v1alpha1; spec.size small or large, default small; spec.replicas, an integer 1 to 5,
        required; spec.colour, a string), a Destination selector environment=<Environment>, and one pipeline per entry
        of -ResourceConfigure, -ResourceDelete, -PromiseConfigure and -PromiseDelete, each an ordered hashtable of
        pipeline name to script. A pipeline has one container, <pipeline>-step, of image -Image, running
        `sh -c <script>`; the Host runtime runs an image it has no map entry for against the host's own root. With
        -NoCommand the container sets no command, so the image's entrypoint runs (an -ImageMap entry supplies it).
        -ContainerEnv is every container's env: a list of hashtables such as @{ name = 'X'; value = 'y' }.
    #>
    [CmdletBinding()]
    [OutputType([string])]
    param(
        [Parameter(Mandatory)]
        [string] $Path,

        [Parameter(Mandatory)]
        [ValidatePattern('^[a-z][a-z0-9]*$')]
        [string] $Name,

        [System.Collections.IDictionary] $ResourceConfigure,

        [System.Collections.IDictionary] $ResourceDelete,

        [System.Collections.IDictionary] $PromiseConfigure,

        [System.Collections.IDictionary] $PromiseDelete,

        [string] $Environment = 'dev',

        [string] $Image = 'kratix-test/host:v1',

        [switch] $NoCommand,

        [object[]] $ContainerEnv
    )

    function ConvertTo-PipelineList([System.Collections.IDictionary] $Pipelines) {
        $list = foreach ($entry in $Pipelines.GetEnumerator()) {
            $container = [ordered]@{ name = "$($entry.Key)-step"; image = $Image }
            if (-not $NoCommand) {
                $container.command = @('sh', '-c')
                $container.args = @([string] $entry.Value)
            }

            if ($ContainerEnv) {
                $container.env = @($ContainerEnv)
            }

            [ordered]@{
                apiVersion = 'platform.kratix.io/v1alpha1'
                kind       = 'Pipeline'
                metadata   = [ordered]@{ name = [string] $entry.Key }
                spec       = [ordered]@{ containers = @($container) }
            }
        }

        , @($list)
    }

    $workflows = [ordered]@{}
    foreach ($type in 'resource', 'promise') {
        $actions = [ordered]@{}
        $configure = if ($type -eq 'resource') { $ResourceConfigure } else { $PromiseConfigure }
        $delete = if ($type -eq 'resource') { $ResourceDelete } else { $PromiseDelete }
        if ($configure) {
            $actions.configure = ConvertTo-PipelineList $configure
        }

        if ($delete) {
            $actions.delete = ConvertTo-PipelineList $delete
        }

        if ($actions.Count -gt 0) {
            $workflows[$type] = $actions
        }
    }

    $kind = $Name.Substring(0, 1).ToUpperInvariant() + $Name.Substring(1)
    $plural = "$($Name)s"
    $promise = [ordered]@{
        apiVersion = 'platform.kratix.io/v1alpha1'
        kind       = 'Promise'
        metadata   = [ordered]@{
            name   = $Name
            labels = [ordered]@{ 'kratix.io/promise-version' = 'v1.0.0' }
        }
        spec       = [ordered]@{
            destinationSelectors = @([ordered]@{ matchLabels = [ordered]@{ environment = $Environment } })
            api                  = [ordered]@{
                apiVersion = 'apiextensions.k8s.io/v1'
                kind       = 'CustomResourceDefinition'
                metadata   = [ordered]@{ name = "$plural.test.kratix.io" }
                spec       = [ordered]@{
                    group    = 'test.kratix.io'
                    names    = [ordered]@{ kind = $kind; plural = $plural; singular = $Name }
                    scope    = 'Namespaced'
                    versions = @(
                        [ordered]@{
                            name    = 'v1alpha1'
                            served  = $true
                            storage = $true
                            schema  = [ordered]@{
                                openAPIV3Schema = [ordered]@{
                                    type       = 'object'
                                    properties = [ordered]@{
                                        spec = [ordered]@{
                                            type       = 'object'
                                            properties = [ordered]@{
                                                size     = [ordered]@{ type = 'string'; enum = @('small', 'large'); default = 'small' }
                                                replicas = [ordered]@{ type = 'integer'; minimum = 1; maximum = 5 }
                                                colour   = [ordered]@{ type = 'string' }
                                            }
                                            required   = @('replicas')
                                        }
                                    }
                                }
                            }
                        }
                    )
                }
            }
            workflows            = $workflows
        }
    }

    $parent = Split-Path -Parent $Path
    if ($parent) {
        $null = [System.IO.Directory]::CreateDirectory($parent)
    }

    Set-Content -LiteralPath $Path -Value (ConvertTo-Json -InputObject $promise -Depth 32) -Encoding utf8NoBOM
    $Path
}

function Get-UpstreamPromisePath {
    <# A file of the upstream Kratix test data in ../shared/kratix/promises beside the repository. #>
    [CmdletBinding()]
    [OutputType([string])]
    param(
        [Parameter(Mandatory)]
        [string] $Folder,

        [Parameter(Mandatory)]
        [string] $File
    )

    $path = Join-Path $script:RepositoryRoot '..' 'shared' 'kratix' 'promises' $Folder $File
    if (-not (Test-Path -LiteralPath $path -PathType Leaf)) {
        throw "The upstream test data is missing: $path (../shared/kratix/promises beside the repository)."
    }

    (Resolve-Path -LiteralPath $path).ProviderPath
}

function Get-StaticDependencyPath {
    <# Where Kratix writes a Promise's dependencies for a nestedByMetadata Destination: <dest>/dependencies/<promise>/5058f/static/<promise>-dependencies.yaml #>
    [CmdletBinding()]
    [OutputType([string])]
    param(
        [Parameter(Mandatory)]
        [string] $Destination,

        [Parameter(Mandatory)]
        [string] $Promise
    )

    "$Destination/dependencies/$Promise/$script:DefaultWorkloadGroup/static/$Promise-dependencies.yaml"
}

function Get-StaticDependencyWorkName {
    <# The static-dependency Work's name: <promise>-static-deps-<first five hex digits of md5("<promise>-static-deps")>. #>
    [CmdletBinding()]
    [OutputType([string])]
    param(
        [Parameter(Mandatory)]
        [string] $Promise
    )

    $prefix = "$Promise-static-deps"
    $hash = [System.Security.Cryptography.MD5]::HashData([System.Text.Encoding]::UTF8.GetBytes($prefix))
    $suffix = [System.Convert]::ToHexString($hash).ToLowerInvariant().Substring(0, 5)
    if ($prefix.Length -gt 57) {
        $prefix = $prefix.Substring(0, 56).TrimEnd('-', '.')
    }

    "$prefix-$suffix"
}

function Get-RemoteFile {
    <# The text of a file on the remote's main branch (lines joined with LF, no final newline), or $null when it is not there. #>
    [CmdletBinding()]
    [OutputType([string])]
    param(
        [Parameter(Mandatory)]
        [string] $Remote,

        [Parameter(Mandatory)]
        [string] $Path,

        [string] $Branch = 'main'
    )

    $result = Invoke-TestGit -ArgumentList @("--git-dir=$Remote", 'show', "$($Branch):$Path") -AllowFailure
    if ($result.ExitCode -ne 0) {
        return $null
    }

    $result.Lines -join "`n"
}

function Get-RemoteFileList {
    <# Every file path on the remote's main branch, sorted; nothing when the branch does not exist yet. #>
    [CmdletBinding()]
    [OutputType([string])]
    param(
        [Parameter(Mandatory)]
        [string] $Remote,

        [string] $Branch = 'main'
    )

    $result = Invoke-TestGit -ArgumentList @("--git-dir=$Remote", 'ls-tree', '-r', '--name-only', '--full-tree', $Branch) -AllowFailure
    if ($result.ExitCode -eq 0) {
        $result.Lines | Sort-Object
    }
}

function Get-RemoteHead {
    <# The commit main points at on the remote, or $null when the branch does not exist yet. #>
    [CmdletBinding()]
    [OutputType([string])]
    param(
        [Parameter(Mandatory)]
        [string] $Remote,

        [string] $Branch = 'main'
    )

    $result = Invoke-TestGit -ArgumentList @("--git-dir=$Remote", 'rev-parse', '--verify', '--quiet', "refs/heads/$Branch") -AllowFailure
    if ($result.ExitCode -eq 0 -and $result.Lines.Count -gt 0) {
        $result.Lines[0].Trim()
    }
}

function Get-RemoteCommitSubject {
    <# The subject of every commit on main, newest first. #>
    [CmdletBinding()]
    [OutputType([string])]
    param(
        [Parameter(Mandatory)]
        [string] $Remote,

        [string] $Branch = 'main'
    )

    $result = Invoke-TestGit -ArgumentList @("--git-dir=$Remote", 'log', '--format=%s', $Branch) -AllowFailure
    if ($result.ExitCode -eq 0) {
        $result.Lines
    }
}

function Get-RemoteCommitMessage {
    <#
        The whole message of every commit on main, newest first. A commit that wrote several placements has the
        subject '<first> (and N more)' and every placement's own message in its body.
    #>
    [CmdletBinding()]
    [OutputType([string])]
    param(
        [Parameter(Mandatory)]
        [string] $Remote,

        [string] $Branch = 'main'
    )

    $result = Invoke-TestGit -ArgumentList @("--git-dir=$Remote", 'log', '--format=%B%x00', $Branch) -AllowFailure
    if ($result.ExitCode -eq 0) {
        ($result.Lines -join "`n") -split "\x00" | ForEach-Object { $_.Trim() } | Where-Object { $_ }
    }
}

function Get-RemoteRef {
    <# Every ref on the remote (refs/heads/main, ...). #>
    [CmdletBinding()]
    [OutputType([string])]
    param(
        [Parameter(Mandatory)]
        [string] $Remote
    )

    (Invoke-TestGit -ArgumentList @("--git-dir=$Remote", 'for-each-ref', '--format=%(refname)')).Lines
}

function Test-RemoteAncestor {
    <# $true when -Commit is main's head or one of its ancestors on the remote. #>
    [CmdletBinding()]
    [OutputType([bool])]
    param(
        [Parameter(Mandatory)]
        [string] $Remote,

        [Parameter(Mandatory)]
        [string] $Commit,

        [string] $Branch = 'main'
    )

    $result = Invoke-TestGit -ArgumentList @("--git-dir=$Remote", 'merge-base', '--is-ancestor', $Commit, "refs/heads/$Branch") -AllowFailure
    $result.ExitCode -eq 0
}

function Start-KratixClusterDouble {
    <#
        Starts tests/Kratix.ClusterDouble (built with the solution): the Kubernetes API server TEST DOUBLE on 127.0.0.1
        with upstream Kratix's CRDs and the scripted stand-in for upstream's controllers (-NoKratix: an empty cluster).
        Writes an admin kubeconfig (context apiserver-double) to -Kubeconfig and returns @{ Process; Kubeconfig;
        Server; Location }, where Location is the -Platform that names it. Stop it with Stop-KratixClusterDouble.
    #>
    [CmdletBinding()]
    [OutputType([hashtable])]
    param(
        [Parameter(Mandatory)]
        [string] $Kubeconfig,

        [switch] $NoKratix
    )

    # The build that ran last (build.ps1 builds Release, dotnet build Debug).
    $dll = Get-ChildItem -Path (Join-Path (Get-RepositoryRoot) 'tests/Kratix.ClusterDouble/bin/*/net10.0/Kratix.ClusterDouble.dll') -ErrorAction SilentlyContinue |
        Sort-Object LastWriteTimeUtc -Descending | Select-Object -First 1 -ExpandProperty FullName
    if (-not $dll) { throw 'tests/Kratix.ClusterDouble is not built; build the solution first.' }
    $start = [System.Diagnostics.ProcessStartInfo]::new('dotnet')
    $start.ArgumentList.Add($dll)
    $start.ArgumentList.Add($Kubeconfig)
    if ($NoKratix) { $start.ArgumentList.Add('--no-kratix') }
    $start.RedirectStandardInput = $true
    $start.RedirectStandardOutput = $true
    $start.UseShellExecute = $false
    $process = [System.Diagnostics.Process]::Start($start)
    $read = $process.StandardOutput.ReadLineAsync()
    if (-not $read.Wait([TimeSpan]::FromSeconds(60)) -or -not "$($read.Result)".StartsWith('ready ')) {
        try { $process.Kill($true) } catch { }
        throw "The cluster double did not start: $($read.Result)"
    }

    @{
        Process    = $process
        Kubeconfig = $Kubeconfig
        Server     = $read.Result.Substring(6).TrimEnd('/')
        Location   = "kube:apiserver-double?kubeconfig=$Kubeconfig"
    }
}

function Stop-KratixClusterDouble {
    <# Stops what Start-KratixClusterDouble started: its standard input closes and it exits (killed after 10 s). #>
    [CmdletBinding()]
    param(
        [Parameter(Mandatory)]
        [hashtable] $Cluster
    )

    $Cluster.Process.StandardInput.Close()
    if (-not $Cluster.Process.WaitForExit(10000)) { $Cluster.Process.Kill($true) }
    $Cluster.Process.Dispose()
}

Export-ModuleMember -Function @(
    'Start-KratixClusterDouble'
    'Stop-KratixClusterDouble'
    'Get-RepositoryRoot'
    'Invoke-TestGit'
    'New-TestPlatform'
    'New-TestPromiseFile'
    'New-TestWorkflowPromiseFile'
    'Get-UpstreamPromisePath'
    'Get-StaticDependencyPath'
    'Get-StaticDependencyWorkName'
    'Get-RemoteFile'
    'Get-RemoteFileList'
    'Get-RemoteHead'
    'Get-RemoteCommitSubject'
    'Get-RemoteCommitMessage'
    'Get-RemoteRef'
    'Test-RemoteAncestor'
)
