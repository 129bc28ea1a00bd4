#Requires -Version 7.4
<#
.SYNOPSIS
    Builds, tests and cleans the Kratix module.
.DESCRIPTION
    -Task Build lays out an importable module folder at out/Kratix (manifest, cmdlet assembly, Dependencies/, format file).
    -Task Test builds, runs the .NET tests, then the Pester 5 suites in tests/pester when Pester 5 is installed.
    -Task Clean removes out/ and every bin/ and obj/ folder.
    Without pwsh the same build is `dotnet build Kratix.PowerShell.sln`, and the .NET tests are `dotnet test Kratix.PowerShell.sln`.
.EXAMPLE
    ./build.ps1 -Task Test
#>
[CmdletBinding()]
param(
    [ValidateSet('Build', 'Test', 'Clean')]
    [string] $Task = 'Build',

    [ValidateSet('Debug', 'Release')]
    [string] $Configuration = 'Release'
)

$ErrorActionPreference = 'Stop'
$root = $PSScriptRoot
$solution = Join-Path $root 'Kratix.PowerShell.sln'
$moduleFolder = Join-Path $root 'out/Kratix'

function Invoke-DotNet {
    param([Parameter(ValueFromRemainingArguments)] [string[]] $Arguments)
    & dotnet @Arguments
    if ($LASTEXITCODE -ne 0) { throw "dotnet $($Arguments -join ' ') failed with exit code $LASTEXITCODE" }
}

switch ($Task) {
    'Clean' {
        Remove-Item -LiteralPath (Join-Path $root 'out') -Recurse -Force -ErrorAction SilentlyContinue
        Get-ChildItem -LiteralPath $root -Directory -Recurse -Include bin, obj |
            Where-Object FullName -NotMatch '[\\/]\.git[\\/]' |
            Remove-Item -Recurse -Force
    }
    'Build' {
        # The LayoutModule target of src/Kratix.PowerShell writes out/Kratix after every build.
        Invoke-DotNet build $solution --configuration $Configuration
        Write-Host "Module laid out at $moduleFolder"
    }
    'Test' {
        Invoke-DotNet build $solution --configuration $Configuration
        Invoke-DotNet test $solution --configuration $Configuration --no-build
        $pester = Get-Module -ListAvailable Pester | Where-Object { $_.Version.Major -ge 5 } | Sort-Object Version -Descending | Select-Object -First 1
        if (-not $pester) {
            Write-Warning 'Pester 5 is not installed, so tests/pester was not run. Install-Module Pester -MinimumVersion 5.5 to run it.'
            return
        }
        Import-Module $pester
        $config = New-PesterConfiguration
        $config.Run.Path = Join-Path $root 'tests/pester'
        $config.Run.Exit = $false
        $config.Run.PassThru = $true
        $config.Output.Verbosity = 'Detailed'
        $result = Invoke-Pester -Configuration $config
        if ($result.FailedCount -gt 0) { throw "$($result.FailedCount) Pester test(s) failed." }
    }
}
