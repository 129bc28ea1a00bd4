<#
.SYNOPSIS
    Rewrites the "## SYNTAX" section of docs/cmdlets/<Name>.md from the built module's real parameter sets.
.DESCRIPTION
    Help.Tests.ps1 requires each "### <set>" block to equal "<Name> <set>" as Get-Command prints it. After adding or
    changing a parameter, build (./build.ps1), then run this to bring the markdown in line; it changes only SYNTAX.
.EXAMPLE
    dotnet pwsh ./tests/tools/Update-HelpSyntax.ps1 -Name New-KratixRequest
#>
param(
    # Cmdlets to update; every exported cmdlet when omitted.
    [string[]] $Name
)
$ErrorActionPreference = 'Stop'
$root = Resolve-Path (Join-Path $PSScriptRoot '../..')
Import-Module (Join-Path $root 'out/Kratix/Kratix.psd1') -Force
$fence = '```'
$names = if ($Name) { $Name } else { (Get-Module Kratix).ExportedCmdlets.Keys }
foreach ($cmdlet in $names) {
    $command = Get-Command $cmdlet
    $path = Join-Path $root "docs/cmdlets/$cmdlet.md"
    if (-not (Test-Path $path)) { Write-Warning "$path does not exist; write it first"; continue }
    $blocks = foreach ($set in $command.ParameterSets) {
        $title = if ($command.ParameterSets.Count -gt 1 -and $set.IsDefault) { "$($set.Name) (Default)" } else { $set.Name }
        "### $title`n$fence`n$cmdlet $set`n$fence`n"
    }
    $text = Get-Content -LiteralPath $path -Raw
    $updated = [regex]::Replace($text, '(?ms)^## SYNTAX\s*$.*?(?=^## )', { "## SYNTAX`n`n" + ($blocks -join "`n") + "`n" })
    if ($updated -ne $text) { Set-Content -LiteralPath $path -Value $updated -NoNewline; "updated $path" }
}
