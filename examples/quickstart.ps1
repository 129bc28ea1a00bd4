#Requires -Version 7.4
<#
.SYNOPSIS
    Kratix on one machine in a minute: a state store, a Destination, a Promise with dependencies, a request.
.DESCRIPTION
    Builds the module if needed, imports it, creates a throwaway platform home and a local bare Git repository (the
    state store a GitOps agent such as Flux or Argo CD would watch), registers a Destination, installs a Promise with
    dependencies, submits a request, and shows what Kratix wrote where. Nothing outside the temporary folder changes.
.EXAMPLE
    dotnet tool restore && dotnet pwsh ./examples/quickstart.ps1
.EXAMPLE
    pwsh ./examples/quickstart.ps1 -Keep
#>
[CmdletBinding()]
param(
    # Keep the temporary platform and repository instead of deleting them at the end.
    [switch] $Keep
)

$ErrorActionPreference = 'Stop'
$repoRoot = Split-Path $PSScriptRoot -Parent
$manifest = Join-Path $repoRoot 'out/Kratix/Kratix.psd1'
if (-not (Test-Path $manifest)) {
    Write-Host 'Building the module (first run)...'
    & (Join-Path $repoRoot 'build.ps1') -Task Build
}
Import-Module $manifest -Force

$work = Join-Path ([IO.Path]::GetTempPath()) ("kratix-quickstart-" + [guid]::NewGuid().ToString('N').Substring(0, 8))
$remote = Join-Path $work 'platform-state.git'
New-Item -ItemType Directory -Path $work | Out-Null
git init --quiet --bare --initial-branch=main $remote
if ($LASTEXITCODE -ne 0) { throw 'git init failed: is git installed?' }

try {
    # 1. The platform: a home directory holding every Kratix object as a YAML file.
    Connect-KratixPlatform -Path (Join-Path $work 'home')

    # 2. Where documents go: a Git state store on the local bare repository, and a Destination labelled for dev.
    Register-KratixStateStore -Name default -Url $remote
    Register-KratixDestination -Name dev-cluster -StateStore default -Label @{ environment = 'dev' }

    # 3. A Promise: a platform API (kind redis) plus dependencies to install on every dev Destination.
    $promise = @'
apiVersion: platform.kratix.io/v1alpha1
kind: Promise
metadata:
  name: redis
  labels:
    kratix.io/promise-version: v1.0.0
spec:
  destinationSelectors:
  - matchLabels:
      environment: dev
  dependencies:
  - apiVersion: v1
    kind: Namespace
    metadata:
      name: redis-operator
  api:
    apiVersion: apiextensions.k8s.io/v1
    kind: CustomResourceDefinition
    metadata:
      name: redis.marketplace.kratix.io
    spec:
      group: marketplace.kratix.io
      names: { kind: redis, plural: redis, singular: redis }
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
                  size: { type: string, enum: [small, large], default: small }
'@
    Install-KratixPromise -InputObject $promise

    # 4. A request, validated and defaulted against the Promise's API (size defaults to small).
    $request = New-KratixRequest -Promise redis -Name example -Spec @{}
    Write-Host "`nRequest $($request.Name): size=$($request.Spec.size)"

    Write-Host "`nPlatform:"; Get-KratixPlatform | Format-List | Out-Host
    Write-Host 'Promises:'; Get-KratixPromise | Format-Table | Out-Host
    Write-Host 'Destinations:'; Get-KratixDestination | Format-Table | Out-Host
    Write-Host 'Work placements:'; Get-KratixWorkPlacement | Format-Table | Out-Host

    Write-Host "Files on the state store's main branch ($remote):"
    git --git-dir=$remote ls-tree -r --name-only main | ForEach-Object { "  $_" } | Out-Host
    Write-Host "`nCommits:"
    git --git-dir=$remote log --format='  %h %an: %s' main | Out-Host
    Write-Host "`ndev-cluster/dependencies/redis/5058f/static/redis-dependencies.yaml:"
    git --git-dir=$remote show main:dev-cluster/dependencies/redis/5058f/static/redis-dependencies.yaml | Out-Host
}
finally {
    if ($Keep) {
        Write-Host "`nKept: $work"
    }
    else {
        Remove-Item -LiteralPath $work -Recurse -Force -ErrorAction SilentlyContinue
    }
}
