#Requires -Version 7.4
# Pester 5: Register-, Get- and Unregister-KratixDestination, with the files they write read back from a bare repository.

Describe 'Kratix Destinations' {
    BeforeAll {
        $RepoRoot = (Resolve-Path -LiteralPath (Join-Path $PSScriptRoot '..' '..')).ProviderPath
        Import-Module (Join-Path $RepoRoot 'out/Kratix/Kratix.psd1') -Force
        Import-Module (Join-Path $PSScriptRoot 'Kratix.TestHelpers.psm1') -Force
    }

    Context 'Registering Destinations on a Git state store' {
        BeforeAll {
            $platform = New-TestPlatform -Name 'destinations'
            Register-KratixStateStore -Name default -Url $platform.Remote -Platform $platform.Home
        }

        It 'writes the canary files, is Ready and outputs the Destination with -PassThru' {
            $destination = Register-KratixDestination -Name dev-1 -StateStore default -Label @{ environment = 'dev' } -Platform $platform.Home -PassThru

            $destination.PSObject.TypeNames[0] | Should -Be 'Kratix.Destination'
            $destination.Name | Should -Be 'dev-1'
            $destination.State | Should -Be 'Ready'
            $destination.Message | Should -Be 'Test documents written to State Store'
            $destination.StateStore | Should -Be 'GitStateStore/default'
            $destination.Spec.path | Should -Be 'dev-1'
            Get-RemoteFile -Remote $platform.Remote -Path 'dev-1/dependencies/kratix-canary-namespace.yaml' | Should -Match 'name: kratix-worker-system'
            Get-RemoteFile -Remote $platform.Remote -Path 'dev-1/resources/kratix-canary-configmap.yaml' | Should -Match 'this confirms your infrastructure is reading from Kratix state stores'
            Get-RemoteCommitSubject -Remote $platform.Remote | Should -Contain 'Update from: kratix-canary'
        }

        It 'keeps its labels' {
            (Get-KratixDestination -Name dev-1 -Platform $platform.Home).Labels.environment | Should -Be 'dev'
        }

        It 'outputs nothing without -PassThru' {
            Register-KratixDestination -Name dev-2 -StateStore default -Label @{ environment = 'dev'; zone = 'eu' } -Platform $platform.Home |
                Should -BeNullOrEmpty

            $labels = (Get-KratixDestination -Name dev-2 -Platform $platform.Home).Labels
            $labels.environment | Should -Be 'dev'
            $labels.zone | Should -Be 'eu'
        }

        It 'writes under -DestinationPath instead of its name' {
            $destination = Register-KratixDestination -Name prod -StateStore default -DestinationPath 'clusters/prod' -Label @{ environment = 'prod' } -Platform $platform.Home -PassThru

            $destination.Spec.path | Should -Be 'clusters/prod'
            Get-RemoteFile -Remote $platform.Remote -Path 'clusters/prod/dependencies/kratix-canary-namespace.yaml' | Should -Not -BeNullOrEmpty
            Get-RemoteFileList -Remote $platform.Remote | Where-Object { $_ -like 'prod/*' } | Should -BeNullOrEmpty
        }

        It 'writes the canary files flat with -FilepathMode none' {
            $destination = Register-KratixDestination -Name flat -StateStore default -FilepathMode none -Platform $platform.Home -PassThru

            $destination.Spec.filepath.mode | Should -Be 'none'
            Get-RemoteFile -Remote $platform.Remote -Path 'flat/kratix-canary-namespace.yaml' | Should -Not -BeNullOrEmpty
            Get-RemoteFile -Remote $platform.Remote -Path 'flat/kratix-canary-configmap.yaml' | Should -Not -BeNullOrEmpty
        }

        It 'writes no canary files with -NoInitWorkloads, and is Ready all the same' {
            $destination = Register-KratixDestination -Name quiet -StateStore default -NoInitWorkloads -Platform $platform.Home -PassThru

            $destination.State | Should -Be 'Ready'
            $destination.Message | Should -Be 'Destination is ready'
            $destination.Spec.initWorkloads.enabled | Should -Be $false
            Get-RemoteFileList -Remote $platform.Remote | Where-Object { $_ -like 'quiet/*' } | Should -BeNullOrEmpty
        }

        It 'records the defaults: nestedByMetadata, cleanup none, strictMatchLabels false' {
            $destination = Get-KratixDestination -Name dev-1 -Platform $platform.Home

            $destination.Spec.filepath.mode | Should -Be 'nestedByMetadata'
            $destination.Spec.cleanup | Should -Be 'none'
            $destination.Spec.strictMatchLabels | Should -Be $false
        }

        It 'lists Destinations by wildcard name' {
            Get-KratixDestination -Platform $platform.Home | Should -HaveCount 5
            Get-KratixDestination -Name 'dev-*' -Platform $platform.Home | Should -HaveCount 2
            (Get-KratixDestination -Name 'p*' -Platform $platform.Home).Name | Should -Be 'prod'
        }

        It 'takes names from the pipeline' {
            'dev-1', 'prod' | Get-KratixDestination -Platform $platform.Home | Should -HaveCount 2
        }

        It 'reports an exact name that is not registered' {
            { Get-KratixDestination -Name nowhere -Platform $platform.Home -ErrorAction Stop } |
                Should -Throw -ErrorId 'DestinationNotFound,Kratix.PowerShell.Cmdlets.GetKratixDestinationCommand'
        }

        It 'refuses an invalid name, saying what is wrong' {
            Register-KratixDestination -Name 'Not_Valid' -StateStore default -Platform $platform.Home -ErrorAction SilentlyContinue -ErrorVariable refused

            $refused | Should -HaveCount 1
            $refused[0].FullyQualifiedErrorId | Should -Be 'DestinationInvalid,Kratix.PowerShell.Cmdlets.RegisterKratixDestinationCommand'
            $refused[0].CategoryInfo.Category | Should -Be 'InvalidData'
            ($refused[0].Exception.Problems -join "`n") | Should -Match 'metadata\.name'
            Get-KratixDestination -Platform $platform.Home | Where-Object Name -EQ 'Not_Valid' | Should -BeNullOrEmpty
        }

        It 'refuses a second Destination on the path of another in the same store' {
            { Register-KratixDestination -Name copy -StateStore default -DestinationPath 'dev-1' -Platform $platform.Home -ErrorAction Stop } |
                Should -Throw -ErrorId 'DestinationInvalid,*'
        }

        It 'registers nothing with -WhatIf' {
            Register-KratixDestination -Name what-if -StateStore default -Platform $platform.Home -WhatIf

            Get-KratixDestination -Name what-if -Platform $platform.Home -ErrorAction SilentlyContinue | Should -BeNullOrEmpty
            Get-RemoteFileList -Remote $platform.Remote | Where-Object { $_ -like 'what-if/*' } | Should -BeNullOrEmpty
        }

        It 'writes every placement into one file with -FilepathMode aggregatedYAML and -AggregatedFilename' {
            $destination = Register-KratixDestination -Name catalog -StateStore default -FilepathMode aggregatedYAML -AggregatedFilename catalog.yaml `
                -Label @{ environment = 'catalog' } -Platform $platform.Home -PassThru
            $shop = New-TestPromiseFile -Path (Join-Path $platform.Root 'shop.yaml') -Name shop -Environment catalog
            Install-KratixPromise -Path $shop -Platform $platform.Home

            $destination.Spec.filepath.mode | Should -Be 'aggregatedYAML'
            $destination.Spec.filepath.filename | Should -Be 'catalog.yaml'
            Get-RemoteFile -Remote $platform.Remote -Path 'catalog/kratix-canary-namespace.yaml' | Should -Not -BeNullOrEmpty
            Get-RemoteFile -Remote $platform.Remote -Path 'catalog/catalog.yaml' | Should -Match 'name: shop-settings'
            Get-RemoteFileList -Remote $platform.Remote | Where-Object { $_ -like 'catalog/dependencies/*' } | Should -BeNullOrEmpty
        }
    }

    Context 'A Destination that is the platform itself' {
        BeforeAll {
            $platform = New-TestPlatform -Name 'apply-to-platform'
            Register-KratixStateStore -Name default -Url $platform.Remote -Platform $platform.Home
        }

        It 'is annotated kratix.io/apply-to-platform with -ApplyToPlatform' {
            $destination = Register-KratixDestination -Name platform -StateStore default -Label @{ environment = 'platform' } -ApplyToPlatform `
                -Platform $platform.Home -PassThru

            $destination.Metadata.annotations.'kratix.io/apply-to-platform' | Should -Be 'true'
            $destination.State | Should -Be 'Ready'
            (Get-KratixDestination -Name platform -Platform $platform.Home).Metadata.annotations.'kratix.io/apply-to-platform' | Should -Be 'true'
        }

        It 'is not annotated without it' {
            $destination = Register-KratixDestination -Name worker -StateStore default -Platform $platform.Home -PassThru

            $destination.Metadata.Contains('annotations') | Should -BeFalse
        }
    }

    Context 'A Destination whose state store is not registered yet' {
        BeforeAll {
            $platform = New-TestPlatform -Name 'orphan'
        }

        It 'is registered NotReady, with a warning' {
            $destination = Register-KratixDestination -Name orphan -StateStore later -Platform $platform.Home -PassThru `
                -WarningAction SilentlyContinue -WarningVariable warned

            $destination.State | Should -Be 'NotReady'
            $destination.Message | Should -Be 'GitStateStore/later: not found'
            ($warned -join "`n") | Should -Match 'later'
        }

        It 'becomes Ready, with its canary files written, once the store is registered' {
            Register-KratixStateStore -Name later -Url $platform.Remote -Platform $platform.Home

            (Get-KratixDestination -Name orphan -Platform $platform.Home).State | Should -Be 'Ready'
            Get-RemoteFile -Remote $platform.Remote -Path 'orphan/dependencies/kratix-canary-namespace.yaml' | Should -Not -BeNullOrEmpty
        }
    }

    Context 'Labels and strictMatchLabels decide what a Destination receives' {
        BeforeAll {
            $platform = New-TestPlatform -Name 'labels'
            Register-KratixStateStore -Name default -Url $platform.Remote -Platform $platform.Home
            Register-KratixDestination -Name open -StateStore default -Label @{ environment = 'dev' } -Platform $platform.Home
            Register-KratixDestination -Name strict -StateStore default -Label @{ environment = 'dev' } -StrictMatchLabels -Platform $platform.Home
            Register-KratixDestination -Name prod -StateStore default -Label @{ environment = 'prod' } -Platform $platform.Home

            $anywhere = New-TestPromiseFile -Path (Join-Path $platform.Root 'anywhere.yaml') -Name anywhere -NoSelectors
            $devOnly = New-TestPromiseFile -Path (Join-Path $platform.Root 'devonly.yaml') -Name devonly -Environment dev
            Install-KratixPromise -Path $anywhere, $devOnly -Platform $platform.Home
        }

        It 'records -StrictMatchLabels' {
            (Get-KratixDestination -Name strict -Platform $platform.Home).Spec.strictMatchLabels | Should -Be $true
        }

        It 'gives a Promise without selectors to every Destination that is not strict' {
            Get-RemoteFile -Remote $platform.Remote -Path (Get-StaticDependencyPath -Destination open -Promise anywhere) | Should -Not -BeNullOrEmpty
            Get-RemoteFile -Remote $platform.Remote -Path (Get-StaticDependencyPath -Destination prod -Promise anywhere) | Should -Not -BeNullOrEmpty
            Get-RemoteFile -Remote $platform.Remote -Path (Get-StaticDependencyPath -Destination strict -Promise anywhere) | Should -BeNullOrEmpty
        }

        It 'gives a Promise with selectors only to the Destinations whose labels match' {
            Get-RemoteFile -Remote $platform.Remote -Path (Get-StaticDependencyPath -Destination open -Promise devonly) | Should -Not -BeNullOrEmpty
            Get-RemoteFile -Remote $platform.Remote -Path (Get-StaticDependencyPath -Destination strict -Promise devonly) | Should -Not -BeNullOrEmpty
            Get-RemoteFile -Remote $platform.Remote -Path (Get-StaticDependencyPath -Destination prod -Promise devonly) | Should -BeNullOrEmpty
        }
    }

    Context 'Unregister-KratixDestination' {
        BeforeAll {
            $platform = New-TestPlatform -Name 'unregister-destination'
            Register-KratixStateStore -Name default -Url $platform.Remote -Platform $platform.Home
            Register-KratixDestination -Name keep -StateStore default -Label @{ environment = 'dev' } -Platform $platform.Home
            Register-KratixDestination -Name temp -StateStore default -Label @{ environment = 'dev' } -Cleanup all -Platform $platform.Home
            $cache = New-TestPromiseFile -Path (Join-Path $platform.Root 'cache.yaml') -Name cache -Environment dev
            Install-KratixPromise -Path $cache -Platform $platform.Home
        }

        It 'starts with the dependencies written to both Destinations' {
            Get-RemoteFile -Remote $platform.Remote -Path (Get-StaticDependencyPath -Destination keep -Promise cache) | Should -Not -BeNullOrEmpty
            Get-RemoteFile -Remote $platform.Remote -Path (Get-StaticDependencyPath -Destination temp -Promise cache) | Should -Not -BeNullOrEmpty
            (Get-KratixDestination -Name temp -Platform $platform.Home).Spec.cleanup | Should -Be 'all'
        }

        It 'keeps the Destination with -WhatIf' {
            Unregister-KratixDestination -Name temp -Platform $platform.Home -WhatIf

            Get-KratixDestination -Name temp -Platform $platform.Home | Should -Not -BeNullOrEmpty
            Get-RemoteFile -Remote $platform.Remote -Path 'temp/dependencies/kratix-canary-namespace.yaml' | Should -Not -BeNullOrEmpty
        }

        It 'unregisters a Destination piped from Get-KratixDestination, and with cleanup all removes every file written for it' {
            Get-KratixDestination temp -Platform $platform.Home | Unregister-KratixDestination -Platform $platform.Home -Confirm:$false

            (Get-KratixDestination -Platform $platform.Home).Name | Should -Be 'keep'
            Get-RemoteFileList -Remote $platform.Remote | Where-Object { $_ -like 'temp/*' } | Should -BeNullOrEmpty
            Get-RemoteFile -Remote $platform.Remote -Path (Get-StaticDependencyPath -Destination keep -Promise cache) | Should -Not -BeNullOrEmpty
        }

        It 'leaves the files of a Destination without cleanup' {
            Unregister-KratixDestination -Name keep -Platform $platform.Home -Confirm:$false -WarningAction SilentlyContinue

            Get-KratixDestination -Platform $platform.Home | Should -BeNullOrEmpty
            Get-RemoteFile -Remote $platform.Remote -Path (Get-StaticDependencyPath -Destination keep -Promise cache) | Should -Not -BeNullOrEmpty
            Get-RemoteFile -Remote $platform.Remote -Path 'keep/dependencies/kratix-canary-namespace.yaml' | Should -Not -BeNullOrEmpty
        }

        It 'leaves the Promise dependencies waiting for a Destination' {
            Get-KratixWorkPlacement -Promise cache -Platform $platform.Home | Should -BeNullOrEmpty
            (Get-KratixWork -Promise cache -Platform $platform.Home).State | Should -Be 'Pending'
        }

        It 'reports a Destination that is not registered' {
            { Unregister-KratixDestination -Name temp -Platform $platform.Home -Confirm:$false -ErrorAction Stop } |
                Should -Throw -ErrorId 'DestinationNotFound,Kratix.PowerShell.Cmdlets.UnregisterKratixDestinationCommand'
        }
    }
}
