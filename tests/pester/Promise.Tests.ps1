#Requires -Version 7.4
# Pester 5: Install-, Get-, Uninstall- and Test-KratixPromise, with upstream Kratix's own Promises from
# ../shared/kratix/promises and a small Promise with dependencies written by the tests.

Describe 'Kratix Promises' {
    BeforeAll {
        $RepoRoot = (Resolve-Path -LiteralPath (Join-Path $PSScriptRoot '..' '..')).ProviderPath
        Import-Module (Join-Path $RepoRoot 'out/Kratix/Kratix.psd1') -Force
        Import-Module (Join-Path $PSScriptRoot 'Kratix.TestHelpers.psm1') -Force

        $TestBundle = Get-UpstreamPromisePath -Folder 'testbundle__test.core.assets.promise' -File 'promise.yaml'

        # Refused by admission: a name that is not a DNS subdomain and a pipeline without containers.
        $InvalidPromiseYaml = @'
apiVersion: platform.kratix.io/v1alpha1
kind: Promise
metadata:
  name: Invalid_Name
spec:
  workflows:
    promise:
      configure:
      - apiVersion: platform.kratix.io/v1alpha1
        kind: Pipeline
        metadata:
          name: setup
        spec:
          containers: []
'@
    }

    Context 'Installing a Promise with dependencies' {
        BeforeAll {
            $platform = New-TestPlatform -Name 'install'
            Register-KratixStateStore -Name default -Url $platform.Remote -Platform $platform.Home
            Register-KratixDestination -Name dev-1 -StateStore default -Label @{ environment = 'dev' } -Platform $platform.Home
            Register-KratixDestination -Name dev-2 -StateStore default -Label @{ environment = 'dev'; zone = 'eu' } -Platform $platform.Home
            Register-KratixDestination -Name prod -StateStore default -Label @{ environment = 'prod' } -Platform $platform.Home
            $cache = New-TestPromiseFile -Path (Join-Path $platform.Root 'cache.yaml') -Name cache -Environment dev
        }

        It 'outputs nothing without -PassThru' {
            Install-KratixPromise -Path $cache -Platform $platform.Home | Should -BeNullOrEmpty
        }

        It 'is Available, with its API kind, apiVersion and version' {
            $promise = Get-KratixPromise -Name cache -Platform $platform.Home

            $promise.PSObject.TypeNames[0] | Should -Be 'Kratix.Promise'
            $promise.Kind | Should -Be 'Promise'
            $promise.State | Should -Be 'Available'
            $promise.Message | Should -Be 'Ready to fulfil resource requests'
            $promise.Status.kind | Should -Be 'Cache'
            $promise.Status.apiVersion | Should -Be 'marketplace.kratix.io/v1alpha1'
            $promise.Status.version | Should -Be 'v1.0.0'
        }

        It 'writes its dependencies to the Destinations whose labels match, and only those' {
            $dev1 = Get-RemoteFile -Remote $platform.Remote -Path (Get-StaticDependencyPath -Destination dev-1 -Promise cache)

            $dev1 | Should -Match 'kind: Namespace'
            $dev1 | Should -Match 'name: cache-system'
            $dev1 | Should -Match 'kind: ConfigMap'
            $dev1 | Should -Match 'name: cache-settings'
            Get-RemoteFile -Remote $platform.Remote -Path (Get-StaticDependencyPath -Destination dev-2 -Promise cache) | Should -Be $dev1
            Get-RemoteFile -Remote $platform.Remote -Path (Get-StaticDependencyPath -Destination prod -Promise cache) | Should -BeNullOrEmpty
        }

        It 'writes them at dependencies/cache/5058f/static/cache-dependencies.yaml under each Destination' {
            $files = Get-RemoteFileList -Remote $platform.Remote

            $files | Should -Contain 'dev-1/dependencies/cache/5058f/static/cache-dependencies.yaml'
            $files | Should -Contain 'dev-2/dependencies/cache/5058f/static/cache-dependencies.yaml'
            $files | Where-Object { $_ -like 'prod/dependencies/cache/*' } | Should -BeNullOrEmpty
        }

        It 'outputs the Promise with -PassThru' {
            $promise = Install-KratixPromise -Path $cache -Platform $platform.Home -PassThru

            @($promise) | Should -HaveCount 1
            $promise.PSObject.TypeNames[0] | Should -Be 'Kratix.Promise'
            $promise.Name | Should -Be 'cache'
            $promise.State | Should -Be 'Available'
        }

        It 'installs nothing with -WhatIf' {
            $other = New-TestPromiseFile -Path (Join-Path $platform.Root 'whatif.yaml') -Name whatif -Environment dev

            Install-KratixPromise -Path $other -Platform $platform.Home -WhatIf

            Get-KratixPromise -Name whatif -Platform $platform.Home -ErrorAction SilentlyContinue | Should -BeNullOrEmpty
            Get-RemoteFile -Remote $platform.Remote -Path (Get-StaticDependencyPath -Destination dev-1 -Promise whatif) | Should -BeNullOrEmpty
        }
    }

    Context 'Installing from files, text and the pipeline' {
        BeforeAll {
            $platform = New-TestPlatform -Name 'install-inputs'
            $folder = Join-Path $platform.Root 'promises'
            $null = New-TestPromiseFile -Path (Join-Path $folder 'wilda.yaml') -Name wilda
            $null = New-TestPromiseFile -Path (Join-Path $folder 'wildb.yaml') -Name wildb
            $literal = New-TestPromiseFile -Path (Join-Path $platform.Root 'literal[1].yaml') -Name literal
            $text = New-TestPromiseFile -Path (Join-Path $platform.Root 'text.yaml') -Name text
            $piped = New-TestPromiseFile -Path (Join-Path $platform.Root 'piped.yaml') -Name piped
        }

        It 'installs the testbundle Promise of upstream Kratix and runs its configure workflow' {
            $promise = Install-KratixPromise -Path $TestBundle -Platform $platform.Home -PassThru -WarningAction SilentlyContinue

            $promise.Name | Should -Be 'testbundle'
            $promise.State | Should -Be 'Available'
            $promise.Status.kind | Should -Be 'TestBundle'
            $promise.Status.apiVersion | Should -Be 'test.kratix.io/v1alpha1'
            ($promise.Conditions | Where-Object Type -EQ 'ConfigureWorkflowCompleted').Status | Should -Be 'True'
            $promise.Status.kratix.workflows.pipelines[0].phase | Should -Be 'Succeeded'
        }

        It 'installs every file a wildcard -Path matches' {
            Install-KratixPromise -Path (Join-Path $folder 'wild*.yaml') -Platform $platform.Home -WarningAction SilentlyContinue

            Get-KratixPromise -Name 'wild*' -Platform $platform.Home | Should -HaveCount 2
        }

        It 'installs a file named with wildcard characters through -LiteralPath' {
            Install-KratixPromise -LiteralPath $literal -Platform $platform.Home -WarningAction SilentlyContinue

            Get-KratixPromise -Name literal -Platform $platform.Home | Should -Not -BeNullOrEmpty
        }

        It 'installs YAML text given as -InputObject' {
            Install-KratixPromise -InputObject (Get-Content -LiteralPath $text -Raw) -Platform $platform.Home -WarningAction SilentlyContinue

            Get-KratixPromise -Name text -Platform $platform.Home | Should -Not -BeNullOrEmpty
        }

        It 'installs a file piped from Get-Item' {
            Get-Item -LiteralPath $piped | Install-KratixPromise -Platform $platform.Home -WarningAction SilentlyContinue

            Get-KratixPromise -Name piped -Platform $platform.Home | Should -Not -BeNullOrEmpty
        }

        It 'lists Promises by wildcard name' {
            Get-KratixPromise -Platform $platform.Home | Should -HaveCount 6
            (Get-KratixPromise -Name 'test*' -Platform $platform.Home).Name | Should -Be 'testbundle'
            (Get-KratixPromise -Platform $platform.Home).Name | Should -Contain 'piped'
        }

        It 'takes names from the pipeline' {
            'wilda', 'text' | Get-KratixPromise -Platform $platform.Home | Should -HaveCount 2
        }

        It 'reports an exact name that is not installed' {
            { Get-KratixPromise -Name missing -Platform $platform.Home -ErrorAction Stop } |
                Should -Throw -ErrorId 'PromiseNotFound,Kratix.PowerShell.Cmdlets.GetKratixPromiseCommand'
        }
    }

    Context 'Installing an invalid Promise' {
        BeforeAll {
            $platform = New-TestPlatform -Name 'install-invalid'
            $invalid = Join-Path $platform.Root 'invalid.yaml'
            Set-Content -LiteralPath $invalid -Value $InvalidPromiseYaml -Encoding utf8NoBOM
            $cache = New-TestPromiseFile -Path (Join-Path $platform.Root 'cache.yaml') -Name cache
        }

        It 'is refused with the error id PromiseInvalid' {
            { Install-KratixPromise -Path $invalid -Platform $platform.Home -ErrorAction Stop } |
                Should -Throw -ErrorId 'PromiseInvalid,Kratix.PowerShell.Cmdlets.InstallKratixPromiseCommand'
        }

        It 'lists every problem in one InvalidData error' {
            Install-KratixPromise -Path $invalid -Platform $platform.Home -ErrorAction SilentlyContinue -ErrorVariable refused

            $refused | Should -HaveCount 1
            $refused[0].CategoryInfo.Category | Should -Be 'InvalidData'
            $refused[0].Exception.Message | Should -Match '^Promise "Invalid_Name" is invalid:'
            $problems = $refused[0].Exception.Problems -join "`n"
            $problems | Should -Match 'metadata\.name'
            $problems | Should -Match 'spec\.workflows\.promise\.configure\[0\]\.spec\.containers: Required value'
        }

        It 'still installs the valid Promises given with it' {
            Install-KratixPromise -Path $invalid, $cache -Platform $platform.Home -ErrorAction SilentlyContinue -WarningAction SilentlyContinue

            (Get-KratixPromise -Platform $platform.Home).Name | Should -Be 'cache'
        }
    }

    Context 'Test-KratixPromise' {
        BeforeAll {
            $platform = New-TestPlatform -Name 'test-promise'
            $invalid = Join-Path $platform.Root 'invalid.yaml'
            Set-Content -LiteralPath $invalid -Value $InvalidPromiseYaml -Encoding utf8NoBOM
        }

        It 'outputs $true for a valid upstream Promise' {
            $result = Test-KratixPromise -Path $TestBundle

            $result | Should -BeOfType ([bool])
            $result | Should -Be $true
        }

        It 'outputs $false for an invalid Promise' {
            $result = Test-KratixPromise -Path $invalid

            $result | Should -BeOfType ([bool])
            $result | Should -Be $false
        }

        It 'outputs one result per Promise, in order' {
            $results = @(Test-KratixPromise -Path $TestBundle, $invalid)

            $results | Should -HaveCount 2
            $results[0] | Should -Be $true
            $results[1] | Should -Be $false
        }

        It 'outputs a report with every problem with -Detailed' {
            $report = Test-KratixPromise -Path $invalid -Detailed

            $report.PSObject.TypeNames[0] | Should -Be 'Kratix.ValidationReport'
            $report.IsValid | Should -Be $false
            $report.Kind | Should -Be 'Promise'
            $report.Name | Should -Be 'Invalid_Name'
            ($report.Problems -join "`n") | Should -Match 'spec\.workflows\.promise\.configure\[0\]\.spec\.containers: Required value'
        }

        It 'reports a valid Promise with -Detailed too' {
            $report = Test-KratixPromise -LiteralPath $TestBundle -Detailed

            $report.IsValid | Should -Be $true
            $report.Name | Should -Be 'testbundle'
            $report.Problems | Should -BeNullOrEmpty
        }

        It 'reports a file it cannot read, and outputs $false' {
            $result = Test-KratixPromise -LiteralPath (Join-Path $platform.Root 'missing.yaml') -ErrorAction SilentlyContinue -ErrorVariable failed

            $result | Should -Be $false
            $failed | Should -HaveCount 1
            $failed[0].FullyQualifiedErrorId | Should -Be 'ManifestNotReadable,Kratix.PowerShell.Cmdlets.TestKratixPromiseCommand'
        }

        It 'installs nothing' {
            (Get-KratixPlatform -Platform $platform.Home).Promises | Should -Be 0
        }
    }

    Context 'Uninstall-KratixPromise' {
        BeforeAll {
            $platform = New-TestPlatform -Name 'uninstall'
            Register-KratixStateStore -Name default -Url $platform.Remote -Platform $platform.Home
            Register-KratixDestination -Name dev-1 -StateStore default -Label @{ environment = 'dev' } -Platform $platform.Home
            $cache = New-TestPromiseFile -Path (Join-Path $platform.Root 'cache.yaml') -Name cache -Environment dev
            Install-KratixPromise -Path $cache -Platform $platform.Home
            Install-KratixPromise -Path $TestBundle -Platform $platform.Home -WarningAction SilentlyContinue
            $dependencies = Get-StaticDependencyPath -Destination dev-1 -Promise cache
            $placement = "$(Get-StaticDependencyWorkName -Promise cache).dev-1-5058f"
        }

        It 'keeps the Promise and its files with -WhatIf' {
            Uninstall-KratixPromise -Name cache -Platform $platform.Home -WhatIf

            Get-KratixPromise -Name cache -Platform $platform.Home | Should -Not -BeNullOrEmpty
            Get-RemoteFile -Remote $platform.Remote -Path $dependencies | Should -Not -BeNullOrEmpty
        }

        It 'removes the dependency files, the Works and the Promise' {
            Uninstall-KratixPromise -Name cache -Platform $platform.Home -Confirm:$false

            Get-RemoteFile -Remote $platform.Remote -Path $dependencies | Should -BeNullOrEmpty
            (Get-RemoteCommitMessage -Remote $platform.Remote) -join "`n" | Should -Match ([regex]::Escape("Delete from: $placement"))
            Get-RemoteFile -Remote $platform.Remote -Path 'dev-1/dependencies/kratix-canary-namespace.yaml' | Should -Not -BeNullOrEmpty
            Get-KratixWork -Promise cache -Platform $platform.Home | Should -BeNullOrEmpty
            Get-KratixWorkPlacement -Promise cache -Platform $platform.Home | Should -BeNullOrEmpty
            { Get-KratixPromise -Name cache -Platform $platform.Home -ErrorAction Stop } | Should -Throw -ErrorId 'PromiseNotFound,*'
        }

        It 'uninstalls Promises piped from Get-KratixPromise' {
            Get-KratixPromise -Name testbundle -Platform $platform.Home | Uninstall-KratixPromise -Platform $platform.Home -Confirm:$false

            Get-KratixPromise -Platform $platform.Home | Should -BeNullOrEmpty
        }

        It 'reports a Promise that is not installed' {
            { Uninstall-KratixPromise -Name cache -Platform $platform.Home -Confirm:$false -ErrorAction Stop } |
                Should -Throw -ErrorId 'PromiseNotFound,Kratix.PowerShell.Cmdlets.UninstallKratixPromiseCommand'
        }
    }
}
