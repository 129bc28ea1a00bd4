#Requires -Version 7.4
# The Kratix SDK for PowerShell pipeline scripts, after upstream Kratix's sdk/contract.md (the Go, Python and Java SDKs
# follow the same contract). A pipeline container runs a script that imports this module; the module needs pwsh and the
# YamlDotNet.dll beside it, nothing else: it does not load the Kratix module (whose cloud and Kubernetes dependencies a
# pipeline image has no use for), so an image that copies this folder stays small. docs/authoring.md describes it.
#
# Where the files are: /kratix/input, /kratix/output and /kratix/metadata, or under $env:KRATIX_SDK_ROOT when it is set
# (to run a script outside a container).

Set-StrictMode -Version 3.0

# YamlDotNet from this folder. The Kratix module loads its own copy in a separate AssemblyLoadContext, so both can live
# in one session (a Pester test that imports both).
if (-not ('YamlDotNet.RepresentationModel.YamlStream' -as [type])) {
    Add-Type -LiteralPath (Join-Path $PSScriptRoot 'YamlDotNet.dll')
}

function Get-KratixSdkRoot {
    if ($env:KRATIX_SDK_ROOT) { $env:KRATIX_SDK_ROOT } else { '/kratix' }
}

function Get-KratixSdkPath([string] $Folder, [string] $Name) {
    $base = Join-Path (Get-KratixSdkRoot) $Folder
    if ($Name) { Join-Path $base $Name } else { $base }
}

#region YAML

# A plain scalar resolves as YAML 1.2's core schema (and Kubernetes) resolve it; a quoted one is a string.
function ConvertFrom-KratixYamlScalar([YamlDotNet.RepresentationModel.YamlScalarNode] $Node) {
    $value = $Node.Value
    if ($Node.Style -ne [YamlDotNet.Core.ScalarStyle]::Plain) { return $value }
    if ($Node.Tag -and -not $Node.Tag.IsEmpty -and -not $Node.Tag.IsNonSpecific) {
        if ($Node.Tag.Value -eq 'tag:yaml.org,2002:str') { return $value }
    }

    if ($null -eq $value -or $value -cin '', '~', 'null', 'Null', 'NULL') { return $null }
    if ($value -cin 'true', 'True', 'TRUE') { return $true }
    if ($value -cin 'false', 'False', 'FALSE') { return $false }
    if ($value -match '^[-+]?[0-9]+$') {
        $long = 0L
        if ([long]::TryParse($value, [System.Globalization.NumberStyles]::AllowLeadingSign, [cultureinfo]::InvariantCulture, [ref] $long)) {
            if ($long -ge [int]::MinValue -and $long -le [int]::MaxValue) { return [int] $long }
            return $long
        }
        return [double]::Parse($value, [cultureinfo]::InvariantCulture)
    }
    if ($value -match '^0x[0-9a-fA-F]+$') { return [Convert]::ToInt64($value.Substring(2), 16) }
    if ($value -match '^[-+]?(\.[0-9]+|[0-9]+(\.[0-9]*)?)([eE][-+]?[0-9]+)?$') {
        return [double]::Parse($value, [System.Globalization.NumberStyles]::Float, [cultureinfo]::InvariantCulture)
    }
    if ($value -cin '.inf', '.Inf', '.INF', '+.inf', '+.Inf', '+.INF') { return [double]::PositiveInfinity }
    if ($value -cin '-.inf', '-.Inf', '-.INF') { return [double]::NegativeInfinity }
    if ($value -cin '.nan', '.NaN', '.NAN') { return [double]::NaN }
    $value
}

function ConvertFrom-KratixYamlNode($Node) {
    # Not a switch: a mapping node is enumerable, and switch would walk its entries.
    if ($Node -is [YamlDotNet.RepresentationModel.YamlMappingNode]) {
        $map = [ordered]@{}
        foreach ($entry in $Node.Children.GetEnumerator()) {
            $map[[string] $entry.Key.Value] = ConvertFrom-KratixYamlNode $entry.Value
        }
        return $map
    }
    if ($Node -is [YamlDotNet.RepresentationModel.YamlSequenceNode]) {
        $list = [System.Collections.Generic.List[object]]::new()
        foreach ($child in $Node.Children) { $list.Add((ConvertFrom-KratixYamlNode $child)) }
        return , $list.ToArray()
    }
    if ($Node -is [YamlDotNet.RepresentationModel.YamlScalarNode]) { return ConvertFrom-KratixYamlScalar $Node }
    $null
}

<#
.SYNOPSIS
    Reads YAML text into ordered hashtables, arrays and typed scalars: one object per document.
#>
function ConvertFrom-KratixYaml {
    [CmdletBinding()]
    [OutputType([System.Collections.Specialized.OrderedDictionary])]
    param([Parameter(Mandatory, ValueFromPipeline, Position = 0)] [AllowEmptyString()] [string] $Yaml)
    process {
        $stream = [YamlDotNet.RepresentationModel.YamlStream]::new()
        $stream.Load([System.IO.StringReader]::new($Yaml))
        foreach ($document in $stream.Documents) {
            $value = ConvertFrom-KratixYamlNode $document.RootNode
            if ($null -ne $value) { , $value }
        }
    }
}

# Hashtables, PSCustomObjects, arrays and scalars as the plain dictionaries and lists YamlDotNet serializes.
function ConvertTo-KratixPlain($Value) {
    if ($null -eq $Value) { return $null }
    if ($Value -is [string] -or $Value -is [char]) { return [string] $Value }
    if ($Value -is [bool] -or $Value -is [int] -or $Value -is [long] -or $Value -is [double] -or $Value -is [decimal] -or $Value -is [single]) { return $Value }
    if ($Value -is [enum]) { return $Value.ToString() }
    if ($Value -is [datetime]) { return $Value.ToUniversalTime().ToString('yyyy-MM-ddTHH:mm:ssZ', [cultureinfo]::InvariantCulture) }
    if ($Value -is [KratixStatus]) { return ConvertTo-KratixPlain $Value.Data }
    if ($Value -is [KratixObject]) { return ConvertTo-KratixPlain $Value.Object }
    if ($Value -is [System.Collections.IDictionary]) {
        $map = [System.Collections.Generic.Dictionary[string, object]]::new()
        foreach ($key in $Value.Keys) { $map[[string] $key] = ConvertTo-KratixPlain $Value[$key] }
        return $map
    }
    if ($Value -is [System.Collections.IEnumerable]) {
        $list = [System.Collections.Generic.List[object]]::new()
        foreach ($item in $Value) { $list.Add((ConvertTo-KratixPlain $item)) }
        return , $list
    }
    if ($Value -is [System.Management.Automation.PSCustomObject]) {
        $map = [System.Collections.Generic.Dictionary[string, object]]::new()
        foreach ($property in $Value.PSObject.Properties) { $map[$property.Name] = ConvertTo-KratixPlain $property.Value }
        return $map
    }
    if ($Value.GetType().IsPrimitive) { return $Value }
    [string] $Value
}

$script:Serializer = [YamlDotNet.Serialization.SerializerBuilder]::new().WithQuotingNecessaryStrings().WithIndentedSequences().Build()

<#
.SYNOPSIS
    Writes objects (hashtables, PSCustomObjects, arrays) as YAML; several objects become documents separated by ---.
#>
function ConvertTo-KratixYaml {
    [CmdletBinding()]
    [OutputType([string])]
    param([Parameter(Mandatory, ValueFromPipeline, Position = 0)] [AllowNull()] $InputObject)
    begin { $documents = [System.Collections.Generic.List[string]]::new() }
    process { $documents.Add($script:Serializer.Serialize((ConvertTo-KratixPlain $InputObject))) }
    end { $documents -join "---`n" }
}

#endregion

#region Objects

# A dotted path (spec.dbConfig.size, spec.items[0].name) as its steps.
function Split-KratixPath([string] $Path) {
    foreach ($part in $Path.Split('.')) {
        if ($part -match '^(?<name>[^\[]*)(?<indexes>(\[\d+\])*)$') {
            if ($Matches.name) { $Matches.name }
            foreach ($index in [regex]::Matches($Matches.indexes, '\[(\d+)\]')) { [int] $index.Groups[1].Value }
        }
        else { $part }
    }
}

function Get-KratixPathValue($Data, [string] $Path) {
    $current = $Data
    foreach ($step in @(Split-KratixPath $Path)) {
        if ($null -eq $current) { return $null }
        if ($step -is [int]) {
            if ($current -is [System.Collections.IList] -and $step -lt $current.Count) { $current = $current[$step] } else { return $null }
        }
        elseif ($current -is [System.Collections.IDictionary]) {
            if ($current.Contains($step)) { $current = $current[$step] } else { return $null }
        }
        else { return $null }
    }
    , $current
}

# The status of an object, or the one a pipeline writes: Get, Set and Remove by dotted path, as the contract's Status.
class KratixStatus {
    [System.Collections.Specialized.OrderedDictionary] $Data

    KratixStatus() { $this.Data = [ordered]@{} }
    KratixStatus([System.Collections.IDictionary] $data) {
        $this.Data = [ordered]@{}
        if ($null -ne $data) { foreach ($key in $data.Keys) { $this.Data[[string] $key] = $data[$key] } }
    }

    [object] Get([string] $path) { return Get-KratixPathValue $this.Data $path }

    [void] Set([string] $path, [object] $value) {
        $steps = $path.Split('.')
        $current = $this.Data
        for ($i = 0; $i -lt $steps.Count - 1; $i++) {
            if (-not $current.Contains($steps[$i]) -or $current[$steps[$i]] -isnot [System.Collections.IDictionary]) {
                $current[$steps[$i]] = [ordered]@{}
            }
            $current = $current[$steps[$i]]
        }
        $current[$steps[-1]] = $value
    }

    [void] Remove([string] $path) {
        $steps = $path.Split('.')
        $current = $this.Data
        for ($i = 0; $i -lt $steps.Count - 1; $i++) {
            if (-not $current.Contains($steps[$i]) -or $current[$steps[$i]] -isnot [System.Collections.IDictionary]) { return }
            $current = $current[$steps[$i]]
        }
        $current.Remove($steps[-1])
    }

    [string] ToString() { return ConvertTo-KratixYaml $this.Data }
}

# The input object (a resource request or the Promise), as the contract's Resource: GetValue by dotted path, and the
# usual accessors. .Object is the whole object as ordered hashtables, for anything else.
class KratixObject {
    [System.Collections.Specialized.OrderedDictionary] $Object

    KratixObject([System.Collections.Specialized.OrderedDictionary] $object) { $this.Object = $object }

    [object] GetValue([string] $path) { return Get-KratixPathValue $this.Object $path }
    [string] GetName() { return [string] (Get-KratixPathValue $this.Object 'metadata.name') }
    [string] GetNamespace() { return [string] (Get-KratixPathValue $this.Object 'metadata.namespace') }
    [string] GetKind() { return [string] $this.Object['kind'] }
    [string] GetApiVersion() { return [string] $this.Object['apiVersion'] }

    [hashtable] GetGroupVersionKind() {
        $apiVersion = $this.GetApiVersion()
        $group = ''
        $version = $apiVersion
        if ($apiVersion.Contains('/')) { $group, $version = $apiVersion.Split('/', 2) }
        return @{ Group = $group; Version = $version; Kind = $this.GetKind() }
    }

    [hashtable] GetLabels() { return $this.StringMap('metadata.labels') }
    [hashtable] GetAnnotations() { return $this.StringMap('metadata.annotations') }
    [KratixStatus] GetStatus() { return [KratixStatus]::new((Get-KratixPathValue $this.Object 'status')) }

    hidden [hashtable] StringMap([string] $path) {
        $map = @{}
        $value = Get-KratixPathValue $this.Object $path
        if ($value -is [System.Collections.IDictionary]) { foreach ($key in $value.Keys) { $map[[string] $key] = [string] $value[$key] } }
        return $map
    }

    [string] ToString() { return "$($this.GetKind())/$($this.GetName())" }
}

<#
.SYNOPSIS
    Reads /kratix/input/object.yaml: the resource request or the Promise the workflow runs for.
.DESCRIPTION
    The object has GetValue('spec.size'), GetName(), GetNamespace(), GetLabels(), GetAnnotations(), GetStatus() and
    GetGroupVersionKind(); .Object is the whole object as ordered hashtables.
#>
function Read-KratixInput {
    [CmdletBinding()]
    [OutputType([KratixObject])]
    param()
    $path = Get-KratixSdkPath 'input' 'object.yaml'
    if (-not (Test-Path -LiteralPath $path)) {
        throw [System.IO.FileNotFoundException]::new("The input object $path does not exist: run this script in a Kratix pipeline, or set `$env:KRATIX_SDK_ROOT to a folder with input/object.yaml.", $path)
    }
    $object = @(ConvertFrom-KratixYaml -Yaml (Get-Content -LiteralPath $path -Raw))[0]
    if ($object -isnot [System.Collections.IDictionary]) { throw "The input object $path is not a YAML mapping." }
    [KratixObject]::new($object)
}

<#
.SYNOPSIS
    Reads the resource request a resource workflow runs for (the contract's ReadResourceInput).
#>
function Read-KratixResourceInput {
    [CmdletBinding()]
    [OutputType([KratixObject])]
    param()
    Read-KratixInput
}

<#
.SYNOPSIS
    Reads the Promise a promise workflow runs for (the contract's ReadPromiseInput).
#>
function Read-KratixPromiseInput {
    [CmdletBinding()]
    [OutputType([KratixObject])]
    param()
    Read-KratixInput
}

<#
.SYNOPSIS
    The value at a dotted path (spec.dbConfig.size, spec.items[0].name) of the input object or any object; $null when absent.
#>
function Get-KratixValue {
    [CmdletBinding()]
    param(
        [Parameter(Mandatory, Position = 0)] [string] $Path,
        [Parameter(ValueFromPipeline)] $InputObject
    )
    process {
        if ($null -eq $InputObject) { $InputObject = Read-KratixInput }
        if ($InputObject -is [KratixObject]) { return $InputObject.GetValue($Path) }
        if ($InputObject -is [KratixStatus]) { return $InputObject.Get($Path) }
        Get-KratixPathValue (ConvertTo-KratixPlainOrdered $InputObject) $Path
    }
}

function ConvertTo-KratixPlainOrdered($Value) {
    if ($Value -is [System.Collections.IDictionary]) { return $Value }
    @(ConvertFrom-KratixYaml (ConvertTo-KratixYaml $Value))[0]
}

#endregion

#region Output and metadata

<#
.SYNOPSIS
    Writes a file to /kratix/output: objects as YAML documents, or -Content as it is (the contract's WriteOutput).
#>
function Write-KratixOutput {
    [CmdletBinding(DefaultParameterSetName = 'Object')]
    param(
        # The file's path under /kratix/output (folders are made).
        [Parameter(Mandatory, Position = 0)] [string] $Path,
        # Objects to write as YAML documents (hashtables, PSCustomObjects).
        [Parameter(Mandatory, ValueFromPipeline, ParameterSetName = 'Object')] $InputObject,
        # Text or bytes to write as they are.
        [Parameter(Mandatory, ParameterSetName = 'Content')] $Content
    )
    begin { $objects = [System.Collections.Generic.List[object]]::new() }
    process { if ($PSCmdlet.ParameterSetName -eq 'Object') { $objects.Add($InputObject) } }
    end {
        if ([System.IO.Path]::IsPathRooted($Path) -or ($Path -split '[/\\]') -contains '..') {
            throw "The output path '$Path' must be relative and stay under $(Get-KratixSdkPath 'output')."
        }
        $target = Get-KratixSdkPath 'output' $Path
        $null = New-Item -ItemType Directory -Path (Split-Path -Parent $target) -Force
        if ($PSCmdlet.ParameterSetName -eq 'Content') {
            if ($Content -is [byte[]]) { [System.IO.File]::WriteAllBytes($target, $Content) }
            else { [System.IO.File]::WriteAllText($target, [string] $Content) }
        }
        else {
            [System.IO.File]::WriteAllText($target, ($objects | ConvertTo-KratixYaml))
        }
    }
}

<#
.SYNOPSIS
    Reads /kratix/metadata/status.yaml, what this pipeline (or an earlier container of it) wrote: a status with Get/Set/Remove.
#>
function Read-KratixStatus {
    [CmdletBinding()]
    [OutputType([KratixStatus])]
    param()
    $path = Get-KratixSdkPath 'metadata' 'status.yaml'
    if (-not (Test-Path -LiteralPath $path)) { return [KratixStatus]::new() }
    $data = @(ConvertFrom-KratixYaml -Yaml (Get-Content -LiteralPath $path -Raw))
    if ($data.Count -eq 0) { return [KratixStatus]::new() }
    [KratixStatus]::new($data[0])
}

<#
.SYNOPSIS
    Writes /kratix/metadata/status.yaml: a status from Read-KratixStatus, or a hashtable (the contract's WriteStatus).
#>
function Write-KratixStatus {
    [CmdletBinding()]
    param([Parameter(Mandatory, ValueFromPipeline, Position = 0)] $Status)
    process {
        $path = Get-KratixSdkPath 'metadata' 'status.yaml'
        $null = New-Item -ItemType Directory -Path (Split-Path -Parent $path) -Force
        [System.IO.File]::WriteAllText($path, (ConvertTo-KratixYaml $Status))
    }
}

# Upstream's code reads destination-selectors.yaml (the contract names destination_selectors.yaml, which Kratix also
# reads): this SDK writes the hyphenated name and reads either.
function Get-KratixSelectorFile {
    $hyphen = Get-KratixSdkPath 'metadata' 'destination-selectors.yaml'
    $underscore = Get-KratixSdkPath 'metadata' 'destination_selectors.yaml'
    if (-not (Test-Path -LiteralPath $hyphen) -and (Test-Path -LiteralPath $underscore)) { return $underscore }
    $hyphen
}

<#
.SYNOPSIS
    Reads the destination selectors this pipeline wrote: objects with Directory and MatchLabels.
#>
function Read-KratixDestinationSelector {
    [CmdletBinding()]
    param()
    $path = Get-KratixSelectorFile
    if (-not (Test-Path -LiteralPath $path)) { return }
    foreach ($entry in @(@(ConvertFrom-KratixYaml -Yaml (Get-Content -LiteralPath $path -Raw))[0])) {
        if ($entry -isnot [System.Collections.IDictionary]) { continue }
        $labels = @{}
        if ($entry['matchLabels'] -is [System.Collections.IDictionary]) {
            foreach ($key in $entry['matchLabels'].Keys) { $labels[$key] = [string] $entry['matchLabels'][$key] }
        }
        [pscustomobject]@{ PSTypeName = 'Kratix.Sdk.DestinationSelector'; Directory = [string] $entry['directory']; MatchLabels = $labels }
    }
}

<#
.SYNOPSIS
    Writes /kratix/metadata/destination-selectors.yaml: where this pipeline's output (or a directory of it) goes.
.EXAMPLE
    Write-KratixDestinationSelector -MatchLabel @{ environment = 'dev' }
.EXAMPLE
    Write-KratixDestinationSelector -MatchLabel @{ region = 'eu' } -Directory eu -Append
#>
function Write-KratixDestinationSelector {
    [CmdletBinding(DefaultParameterSetName = 'Labels')]
    param(
        # The labels a Destination must have.
        [Parameter(Mandatory, ParameterSetName = 'Labels', Position = 0)] [hashtable] $MatchLabel,
        # The output directory the selector is for (all the output when not given).
        [Parameter(ParameterSetName = 'Labels')] [string] $Directory,
        # Selectors as objects with Directory and MatchLabels (from Read-KratixDestinationSelector).
        [Parameter(Mandatory, ParameterSetName = 'Selectors', ValueFromPipeline)] [object[]] $Selector,
        # Keep the selectors already written and add these.
        [switch] $Append
    )
    begin {
        $entries = [System.Collections.Generic.List[object]]::new()
        if ($Append) {
            foreach ($existing in @(Read-KratixDestinationSelector)) {
                $entry = [ordered]@{}
                if ($existing.Directory) { $entry.directory = $existing.Directory }
                $entry.matchLabels = $existing.MatchLabels
                $entries.Add($entry)
            }
        }
    }
    process {
        $items = if ($PSCmdlet.ParameterSetName -eq 'Labels') { @([pscustomobject]@{ Directory = $Directory; MatchLabels = $MatchLabel }) } else { $Selector }
        foreach ($item in $items) {
            $entry = [ordered]@{}
            $directoryValue = if ($item -is [System.Collections.IDictionary]) { $item['directory'] ?? $item['Directory'] } else { $item.Directory }
            $labels = if ($item -is [System.Collections.IDictionary]) { $item['matchLabels'] ?? $item['MatchLabels'] } else { $item.MatchLabels }
            if ($directoryValue) { $entry.directory = [string] $directoryValue }
            $entry.matchLabels = $labels
            $entries.Add($entry)
        }
    }
    end {
        $path = Get-KratixSdkPath 'metadata' 'destination-selectors.yaml'
        $null = New-Item -ItemType Directory -Path (Split-Path -Parent $path) -Force
        [System.IO.File]::WriteAllText($path, (ConvertTo-KratixYaml -InputObject $entries))
    }
}

<#
.SYNOPSIS
    Suspends the workflow after this pipeline, or asks Kratix to run it again after a time (workflow-control.yaml).
.DESCRIPTION
    Without -RetryAfter: suspend: true (the contract's WriteSuspend). With -RetryAfter 5m (a Go duration: 300ms, 5m,
    1h30m): retryAfter (the contract's WriteRetryAfter). The message shows in the object's pipeline status.
#>
function Suspend-KratixWorkflow {
    [CmdletBinding(SupportsShouldProcess)]
    param(
        [Parameter(Position = 0)] [string] $Message,
        [ValidatePattern('^([0-9]+(\.[0-9]+)?(ns|us|µs|ms|s|m|h))+$')] [string] $RetryAfter
    )
    $path = Get-KratixSdkPath 'metadata' 'workflow-control.yaml'
    if (-not $PSCmdlet.ShouldProcess($path, 'Suspend the workflow')) { return }
    $control = [ordered]@{}
    if ($RetryAfter) { $control.retryAfter = $RetryAfter } else { $control.suspend = $true }
    if ($Message) { $control.message = $Message }
    $null = New-Item -ItemType Directory -Path (Split-Path -Parent $path) -Force
    [System.IO.File]::WriteAllText($path, (ConvertTo-KratixYaml $control))
}

#endregion

#region Workflow

<#
.SYNOPSIS
    What this pipeline runs for: the workflow's action and type, the Promise, the pipeline and the object (KRATIX_* variables).
#>
function Get-KratixWorkflow {
    [CmdletBinding()]
    param()
    [pscustomobject]@{
        PSTypeName      = 'Kratix.Sdk.Workflow'
        Action          = [string] $env:KRATIX_WORKFLOW_ACTION
        Type            = [string] $env:KRATIX_WORKFLOW_TYPE
        PromiseName     = [string] $env:KRATIX_PROMISE_NAME
        PipelineName    = [string] $env:KRATIX_PIPELINE_NAME
        ObjectKind      = [string] $env:KRATIX_OBJECT_KIND
        ObjectGroup     = [string] $env:KRATIX_OBJECT_GROUP
        ObjectVersion   = [string] $env:KRATIX_OBJECT_VERSION
        ObjectName      = [string] $env:KRATIX_OBJECT_NAME
        ObjectNamespace = [string] $env:KRATIX_OBJECT_NAMESPACE
        CrdPlural       = [string] $env:KRATIX_CRD_PLURAL
        ClusterScoped   = $env:KRATIX_CLUSTER_SCOPED -eq 'true'
    }
}

<#
.SYNOPSIS
    Whether this is a promise or resource workflow, a configure or delete action (the contract's Is* functions).
.EXAMPLE
    if (Test-KratixWorkflow -Type Resource -Action Configure) { ... }
#>
function Test-KratixWorkflow {
    [CmdletBinding()]
    [OutputType([bool])]
    param(
        [ValidateSet('Promise', 'Resource')] [string] $Type,
        [ValidateSet('Configure', 'Delete')] [string] $Action
    )
    $ok = $true
    if ($Type) { $ok = $ok -and ($env:KRATIX_WORKFLOW_TYPE -eq $Type.ToLowerInvariant()) }
    if ($Action) { $ok = $ok -and ($env:KRATIX_WORKFLOW_ACTION -eq $Action.ToLowerInvariant()) }
    $ok
}

#endregion
