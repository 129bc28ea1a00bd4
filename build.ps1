#Requires -Version 7.4
<#
.SYNOPSIS
    Builds, tests, packages and cleans the Kratix module.
.DESCRIPTION
    -Task Build lays out an importable module folder at out/Kratix (manifest, cmdlet assembly, Dependencies/, format
    file, help).
    -Task Test builds, runs the xunit suites, then every Pester suite (tests/pester and examples/) in this pwsh, and
    ends with one line of totals. It fails when any test fails.
    -Task Package builds and makes out/packages/Kratix.<version>.nupkg, which Install-PSResource installs from a
    folder repository.
    -Task Clean removes out/ and every bin/ and obj/ folder.

    PowerShell itself comes from NuGet as a local .NET tool, so on a machine with only the .NET SDK:
        dotnet tool restore && dotnet pwsh ./build.ps1 -Task Test
    Pester 5.7.1 comes from NuGet too: restoring the solution downloads it (tests/Kratix.PowerShell.Tests).
.EXAMPLE
    ./build.ps1 -Task Test
.EXAMPLE
    ./build.ps1 -Task Test -PesterPath ./tests/pester/Request.Tests.ps1 -SkipXunit
#>
[CmdletBinding()]
param(
    [ValidateSet('Build', 'Test', 'Package', 'Clean')]
    [string] $Task = 'Build',

    [ValidateSet('Debug', 'Release')]
    [string] $Configuration = 'Release',

    # Pester suites or folders to run instead of all of them (with -Task Test).
    [string[]] $PesterPath,

    # Run only the Pester suites (with -Task Test), for a quick loop on the cmdlet layer.
    [switch] $SkipXunit
)

$ErrorActionPreference = 'Stop'
$root = $PSScriptRoot
$solution = Join-Path $root 'Kratix.PowerShell.sln'
$moduleFolder = Join-Path $root 'out/Kratix'
$resultsFolder = Join-Path $root 'out/TestResults'
$pesterVersion = '5.7.1'

function Invoke-DotNet {
    param([Parameter(ValueFromRemainingArguments)] [string[]] $Arguments)
    & dotnet @Arguments
    if ($LASTEXITCODE -ne 0) { throw "dotnet $($Arguments -join ' ') failed with exit code $LASTEXITCODE" }
}

function Get-NuGetPackageFolder {
    # Where restore put packages: NUGET_PACKAGES when set, otherwise what the SDK reports (~/.nuget/packages).
    if ($env:NUGET_PACKAGES) { return $env:NUGET_PACKAGES }
    $line = & dotnet nuget locals global-packages --list | Select-Object -First 1
    ($line -replace '^global-packages:\s*', '').Trim()
}

function Import-Pester {
    $manifest = Join-Path (Get-NuGetPackageFolder) "pester/$pesterVersion/tools/Pester.psd1"
    if (-not (Test-Path -LiteralPath $manifest)) {
        throw "Pester $pesterVersion is not at $manifest. Restore the solution (dotnet restore Kratix.PowerShell.sln) to download it."
    }
    Import-Module -Name $manifest -Force -Global
}

function Get-TrxCount {
    # Sums the counters of every TRX file xunit wrote: what dotnet test ran, for the closing line.
    param([string] $Folder)
    $total = [pscustomobject]@{ Passed = 0; Failed = 0; Skipped = 0 }
    foreach ($file in Get-ChildItem -LiteralPath $Folder -Filter '*.trx' -ErrorAction SilentlyContinue) {
        $counters = ([xml] (Get-Content -LiteralPath $file.FullName -Raw)).TestRun.ResultSummary.Counters
        $total.Passed += [int] $counters.passed
        $total.Failed += [int] $counters.failed + [int] $counters.error + [int] $counters.timeout + [int] $counters.aborted
        $total.Skipped += [int] $counters.notExecuted
    }
    $total
}

switch ($Task) {
    'Clean' {
        Remove-Item -LiteralPath (Join-Path $root 'out') -Recurse -Force -ErrorAction SilentlyContinue
        Get-ChildItem -LiteralPath $root -Directory -Recurse -Include bin, obj |
            Where-Object FullName -NotMatch '[\\/](\.git|node_modules)[\\/]' |
            Remove-Item -Recurse -Force
    }
    'Build' {
        # The LayoutModule target of src/Kratix.PowerShell writes out/Kratix after every build.
        Invoke-DotNet build $solution --configuration $Configuration
        Write-Host "Module laid out at $moduleFolder"
    }
    'Package' {
        Invoke-DotNet build $solution --configuration $Configuration
        $packages = Join-Path $root 'out/packages'
        $null = New-Item -ItemType Directory -Path $packages -Force
        Get-ChildItem -LiteralPath $packages -Filter 'Kratix.*.nupkg' | Remove-Item
        # Compress-PSResource (PSResourceGet, shipped with pwsh 7.4+) packs the module folder as Publish-PSResource
        # would, without a repository to publish to.
        Compress-PSResource -Path $moduleFolder -DestinationPath $packages
        Get-ChildItem -LiteralPath $packages -Filter 'Kratix.*.nupkg'
    }
    'Test' {
        Invoke-DotNet build $solution --configuration $Configuration
        Remove-Item -LiteralPath $resultsFolder -Recurse -Force -ErrorAction SilentlyContinue
        $null = New-Item -ItemType Directory -Path $resultsFolder -Force

        $xunitFailed = $false
        if (-not $SkipXunit) {
            & dotnet test $solution --configuration $Configuration --no-build --logger trx --results-directory $resultsFolder
            $xunitFailed = $LASTEXITCODE -ne 0
        }
        $xunit = Get-TrxCount -Folder $resultsFolder

        Import-Pester
        $config = New-PesterConfiguration
        # From `pwsh -File`, several paths arrive as one comma-separated string.
        $config.Run.Path = if ($PesterPath) { @($PesterPath -split ',' | Where-Object { $_ }) } else { @((Join-Path $root 'tests/pester'), (Join-Path $root 'examples')) }
        $config.Run.PassThru = $true
        $config.Output.Verbosity = 'Normal'
        # Colour codes only where someone watches a terminal; CI logs stay readable.
        $config.Output.RenderMode = if ([Console]::IsOutputRedirected) { 'Plaintext' } else { 'Auto' }
        $config.TestResult.Enabled = $true
        $config.TestResult.OutputPath = Join-Path $resultsFolder 'pester.xml'
        $pester = Invoke-Pester -Configuration $config
        if ($null -eq $pester) {
            throw 'Pester did not run (see its error above).'
        }

        $passed = $xunit.Passed + $pester.PassedCount
        $failed = $xunit.Failed + $pester.FailedCount
        $skipped = $xunit.Skipped + $pester.SkippedCount
        Write-Host ''
        Write-Host ("xunit: {0} passed, {1} failed, {2} skipped" -f $xunit.Passed, $xunit.Failed, $xunit.Skipped)
        Write-Host ("Pester: {0} passed, {1} failed, {2} skipped" -f $pester.PassedCount, $pester.FailedCount, $pester.SkippedCount)
        Write-Host ("Total: {0} passed, {1} failed, {2} skipped" -f $passed, $failed, $skipped)
        # dotnet test can fail with no failed test counted (a crashed test host): that fails the run too.
        if ($failed -gt 0 -or $xunitFailed -or $pester.Result -ne 'Passed') {
            throw "Tests failed: $failed failed test(s)$(if ($xunitFailed) { '; dotnet test exited non-zero' })."
        }
    }
}
