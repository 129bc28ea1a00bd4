#Requires -Version 7.4
# The Team Promise's pipeline, in PowerShell with the Kratix SDK.
$ErrorActionPreference = 'Stop'

# The SDK: next to the scripts folder when it runs from source (sdk/Kratix.Sdk), installed in the image otherwise.
$sdk = Join-Path $PSScriptRoot '..' 'sdk' 'Kratix.Sdk'
Import-Module -Name $(if (Test-Path -LiteralPath $sdk) { $sdk } else { 'Kratix.Sdk' })

if (Test-KratixWorkflow -Type Promise) {
    # The Promise's own workflow: one ConfigMap every Destination gets.
    $promise = Read-KratixPromiseInput
    Write-KratixOutput -Path 'teams-config.yaml' -InputObject ([ordered]@{
            apiVersion = 'v1'
            kind       = 'ConfigMap'
            metadata   = [ordered]@{ name = 'teams'; namespace = 'default' }
            data       = [ordered]@{ promise = $promise.GetName(); pipeline = (Get-KratixWorkflow).PipelineName }
        })
    return
}

$team = Read-KratixResourceInput
$name = $team.GetName()

if ($team.GetValue('spec.paused')) {
    Suspend-KratixWorkflow -Message "Team $name is paused"
    return
}

$namespace = "team-$name"
$quota = if ($team.GetValue('spec.size') -eq 'large') { '20' } else { '5' }

# Two documents in one file.
@(
    [ordered]@{ apiVersion = 'v1'; kind = 'Namespace'; metadata = [ordered]@{ name = $namespace; labels = @{ owner = ($team.GetValue('spec.owner') -replace '@', '-at-') } } }
    [ordered]@{
        apiVersion = 'v1'
        kind       = 'ConfigMap'
        metadata   = [ordered]@{ name = 'team'; namespace = $namespace }
        data       = [ordered]@{ owner = $team.GetValue('spec.owner'); pods = $quota }
    }
) | Write-KratixOutput -Path 'team.yaml'

$region = $team.GetValue('spec.region')
if ($region) {
    Write-KratixDestinationSelector -MatchLabel @{ region = $region }
}

$status = Read-KratixStatus
$status.Set('namespace', $namespace)
$status.Set('quota.pods', [int] $quota)
$status.Set('message', "Team $name is ready in $namespace")
Write-KratixStatus $status
