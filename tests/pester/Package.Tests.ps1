#Requires -Version 7.4
<#
    The package a user installs: build.ps1 -Task Package makes a .nupkg that Install-PSResource installs from a folder
    repository, into a module path of its own, and the module imports by name and works.
    The install runs in a child pwsh whose HOME and XDG_DATA_HOME are under TestDrive, so PSResourceGet's repository
    list and the CurrentUser module path are the test's, never the user's.
#>

BeforeAll {
    $RepositoryRoot = (Resolve-Path -LiteralPath (Join-Path $PSScriptRoot '..' '..')).ProviderPath
    $Pwsh = Join-Path $PSHOME ($IsWindows ? 'pwsh.exe' : 'pwsh')
    $Manifest = Import-PowerShellDataFile -LiteralPath (Join-Path $RepositoryRoot 'Kratix.psd1')
}

Describe 'The Kratix package' {
    BeforeAll {
        $packages = Join-Path $RepositoryRoot 'out/packages'
        $output = & $Pwsh -NoProfile -NonInteractive -File (Join-Path $RepositoryRoot 'build.ps1') -Task Package 2>&1
        $BuildExitCode = $LASTEXITCODE
        $BuildOutput = $output -join "`n"
        $Package = Get-ChildItem -LiteralPath $packages -Filter 'Kratix.*.nupkg' -ErrorAction SilentlyContinue | Select-Object -First 1
    }

    It 'is made by build.ps1 -Task Package, named for the manifest''s version' {
        $BuildExitCode | Should -Be 0 -Because $BuildOutput
        $Package.Name | Should -Be "Kratix.$($Manifest.ModuleVersion).nupkg"
    }

    It 'holds the module folder: manifest, cmdlet assembly, format file, help and Dependencies' {
        $zip = [System.IO.Compression.ZipFile]::OpenRead($Package.FullName)
        try {
            $entries = $zip.Entries.FullName
        }
        finally {
            $zip.Dispose()
        }

        $entries | Should -Contain 'Kratix.psd1'
        $entries | Should -Contain 'Kratix.PowerShell.dll'
        $entries | Should -Contain 'Kratix.Format.ps1xml'
        $entries | Should -Contain 'en-US/Kratix.PowerShell.dll-Help.xml'
        $entries | Should -Contain 'Dependencies/Kratix.Core.dll'
        $entries | Should -Contain 'Dependencies/YamlDotNet.dll'
        $entries | Should -Contain 'Kratix.nuspec'
    }

    It 'carries the manifest''s tags and release notes, and no placeholder project URI' {
        $zip = [System.IO.Compression.ZipFile]::OpenRead($Package.FullName)
        try {
            $reader = [System.IO.StreamReader]::new($zip.GetEntry('Kratix.nuspec').Open())
            [xml] $nuspec = $reader.ReadToEnd()
            $reader.Dispose()
        }
        finally {
            $zip.Dispose()
        }

        $metadata = $nuspec.package.metadata
        $metadata.id | Should -Be 'Kratix'
        $metadata.version | Should -Be $Manifest.ModuleVersion
        $metadata.tags -split ' ' | Should -Contain 'PlatformEngineering'
        $metadata.releaseNotes | Should -Match '0\.1\.0'
        $metadata.PSObject.Properties.Name | Should -Not -Contain 'projectUrl'
    }

    It 'installs with Install-PSResource from a folder repository, imports by name and runs a command' {
        # A home of the test's own: PSResourceGet installs CurrentUser modules under $HOME/.local/share/powershell on
        # Unix, and pwsh looks for them under XDG_DATA_HOME (which must exist, or .NET ignores it).
        $fakeHome = Join-Path $TestDrive 'home'
        $data = (New-Item -ItemType Directory -Path (Join-Path $fakeHome '.local' 'share')).FullName
        $platform = Join-Path $TestDrive 'platform'
        $install = {
            param($Repository, $PlatformHome)
            $ErrorActionPreference = 'Stop'
            Register-PSResourceRepository -Name kratix-test -Uri $Repository -Trusted
            Install-PSResource -Name Kratix -Repository kratix-test -Scope CurrentUser -TrustRepository -Quiet
            $module = Import-Module -Name Kratix -PassThru
            $info = Get-KratixPlatform -Platform $PlatformHome
            "$($module.ModuleBase)|$($module.Version)|$($info.Platform)"
        }
        $previous = $env:HOME, $env:XDG_DATA_HOME
        $env:HOME, $env:XDG_DATA_HOME = $fakeHome, $data
        try {
            $output = & $Pwsh -NoProfile -NonInteractive -Command $install -args $Package.DirectoryName, $platform 2>&1
            $exitCode = $LASTEXITCODE
        }
        finally {
            $env:HOME, $env:XDG_DATA_HOME = $previous
        }

        $exitCode | Should -Be 0 -Because ($output -join "`n")
        $moduleBase, $version, $platformHome = ([string] @($output)[-1]) -split '\|'
        $moduleBase | Should -BeLike "$data*"
        $version | Should -Be $Manifest.ModuleVersion
        $platformHome | Should -Be $platform
    }
}
