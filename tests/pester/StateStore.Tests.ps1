#Requires -Version 7.4
# Pester 5: Register-, Get- and Unregister-KratixStateStore, on bare Git repositories and directories under TestDrive.

Describe 'Kratix state stores' {
    BeforeAll {
        $RepoRoot = (Resolve-Path -LiteralPath (Join-Path $PSScriptRoot '..' '..')).ProviderPath
        Import-Module (Join-Path $RepoRoot 'out/Kratix/Kratix.psd1') -Force
        Import-Module (Join-Path $PSScriptRoot 'Kratix.TestHelpers.psm1') -Force
    }

    Context 'A Git state store on a bare repository' {
        BeforeAll {
            $platform = New-TestPlatform -Name 'git-store'
        }

        It 'registers and outputs nothing without -PassThru' {
            Register-KratixStateStore -Name default -Url $platform.Remote -Platform $platform.Home | Should -BeNullOrEmpty
        }

        It 'is Ready, with the URL and the default branch' {
            $store = Get-KratixStateStore -Name default -Platform $platform.Home

            $store.PSObject.TypeNames[0] | Should -Be 'Kratix.GitStateStore'
            $store.Kind | Should -Be 'GitStateStore'
            $store.Name | Should -Be 'default'
            $store.State | Should -Be 'Ready'
            $store.Message | Should -Be 'State store is ready'
            $store.Spec.url | Should -Be $platform.Remote
            $store.Spec.branch | Should -Be 'main'
        }

        It 'leaves nothing in the repository from its write check' {
            Get-RemoteRef -Remote $platform.Remote | Should -BeNullOrEmpty
        }

        It 'outputs the store with -PassThru, with the branch, path and author it was given' {
            $store = Register-KratixStateStore -Name team -Url $platform.Remote -Branch main -StorePath 'platform' `
                -AuthorName 'Platform Team' -AuthorEmail 'platform@example.com' -Platform $platform.Home -PassThru

            @($store) | Should -HaveCount 1
            $store.Name | Should -Be 'team'
            $store.State | Should -Be 'Ready'
            $store.Spec.path | Should -Be 'platform'
            $store.Spec.gitAuthor.name | Should -Be 'Platform Team'
            $store.Spec.gitAuthor.email | Should -Be 'platform@example.com'
        }

        It 'lists stores by wildcard name and by kind' {
            Get-KratixStateStore -Platform $platform.Home | Should -HaveCount 2
            Get-KratixStateStore -Name 'def*' -Platform $platform.Home | Should -HaveCount 1
            Get-KratixStateStore -Kind GitStateStore -Platform $platform.Home | Should -HaveCount 2
            Get-KratixStateStore -Kind BucketStateStore -Platform $platform.Home | Should -BeNullOrEmpty
        }

        It 'reports an exact name that is not registered' {
            { Get-KratixStateStore -Name missing -Platform $platform.Home -ErrorAction Stop } |
                Should -Throw -ErrorId 'StateStoreNotFound,Kratix.PowerShell.Cmdlets.GetKratixStateStoreCommand'
        }

        It 'registers nothing with -WhatIf' {
            Register-KratixStateStore -Name what-if -Url $platform.Remote -Platform $platform.Home -WhatIf

            Get-KratixStateStore -Name what-if -Platform $platform.Home -ErrorAction SilentlyContinue | Should -BeNullOrEmpty
            Get-ChildItem -LiteralPath $platform.Home -Recurse -Force -Filter 'what-if*' | Should -BeNullOrEmpty
            Get-RemoteRef -Remote $platform.Remote | Should -BeNullOrEmpty
        }
    }

    Context 'A Git repository that does not exist' {
        BeforeAll {
            $platform = New-TestPlatform -Name 'missing-repository'
            $missing = Join-Path $platform.Root 'no-such-repository.git'
        }

        It 'is registered NotReady, with a warning that says why' {
            $store = Register-KratixStateStore -Name broken -Url $missing -Platform $platform.Home -PassThru `
                -WarningAction SilentlyContinue -WarningVariable warned

            $store.State | Should -Be 'NotReady'
            $store.Message | Should -Match '^Error validating state store permissions: '
            @($warned).Count | Should -BeGreaterThan 0
            ($warned -join "`n") | Should -Match 'broken'
        }

        It 'is listed as NotReady' {
            (Get-KratixStateStore -Name broken -Platform $platform.Home).State | Should -Be 'NotReady'
        }

        It 'makes a Destination that uses it NotReady' {
            $destination = Register-KratixDestination -Name dev -StateStore broken -Platform $platform.Home -PassThru -WarningAction SilentlyContinue

            $destination.State | Should -Be 'NotReady'
            $destination.Message | Should -Be 'GitStateStore/broken: not ready'
        }

        It 'does not create the repository' {
            Test-Path -LiteralPath $missing | Should -BeFalse
        }
    }

    Context 'A directory state store (-Directory)' {
        BeforeAll {
            $platform = New-TestPlatform -Name 'directory-store'
            $buckets = Join-Path $platform.Root 'buckets'
            $bucket = Join-Path $buckets 'kratix'
        }

        It 'is a Ready BucketStateStore whose endpoint is the parent of the directory' {
            $store = Register-KratixStateStore -Name local -Directory $bucket -Platform $platform.Home -PassThru

            $store.PSObject.TypeNames[0] | Should -Be 'Kratix.BucketStateStore'
            $store.Kind | Should -Be 'BucketStateStore'
            $store.State | Should -Be 'Ready'
            $store.Spec.endpoint | Should -Be $buckets
            $store.Spec.bucketName | Should -Be 'kratix'
            $store.Spec.authMethod | Should -Be 'IAM'
        }

        It 'receives the files of a Destination that uses it' {
            Register-KratixDestination -Name dev -StateStore local -StateStoreKind BucketStateStore -Platform $platform.Home

            Join-Path $bucket 'dev' 'dependencies' 'kratix-canary-namespace.yaml' | Should -Exist
            Join-Path $bucket 'dev' 'resources' 'kratix-canary-configmap.yaml' | Should -Exist
        }

        It 'writes under -StorePath inside the directory' {
            $nested = Join-Path $platform.Root 'nested'
            $store = Register-KratixStateStore -Name nested -Directory $nested -StorePath 'platform' -Platform $platform.Home -PassThru
            Register-KratixDestination -Name staging -StateStore nested -StateStoreKind BucketStateStore -Platform $platform.Home

            $store.Spec.path | Should -Be 'platform'
            Join-Path $nested 'platform' 'staging' 'dependencies' 'kratix-canary-namespace.yaml' | Should -Exist
        }

        It 'is listed with -Kind BucketStateStore' {
            Get-KratixStateStore -Kind BucketStateStore -Platform $platform.Home | Should -HaveCount 2
        }
    }

    Context 'Unregister-KratixStateStore' {
        BeforeAll {
            $platform = New-TestPlatform -Name 'unregister-store'
            Register-KratixStateStore -Name default -Url $platform.Remote -Platform $platform.Home
            Register-KratixStateStore -Name local -Directory (Join-Path $platform.Root 'bucket') -Platform $platform.Home
            Register-KratixDestination -Name dev -StateStore default -Platform $platform.Home
        }

        It 'refuses to unregister a store a Destination uses' {
            { Unregister-KratixStateStore -Name default -Platform $platform.Home -Confirm:$false -ErrorAction Stop } |
                Should -Throw -ErrorId 'StateStoreInUse,Kratix.PowerShell.Cmdlets.UnregisterKratixStateStoreCommand'

            Get-KratixStateStore -Name default -Platform $platform.Home | Should -Not -BeNullOrEmpty
        }

        It 'names the Destination that uses it, as an InvalidOperation error about the store' {
            Unregister-KratixStateStore -Name default -Platform $platform.Home -Confirm:$false -ErrorAction SilentlyContinue -ErrorVariable refused

            $refused | Should -HaveCount 1
            $refused[0].Exception.Message | Should -Match '"dev"'
            $refused[0].CategoryInfo.Category | Should -Be 'InvalidOperation'
            $refused[0].TargetObject | Should -Be 'default'
        }

        It 'keeps the store with -WhatIf' {
            Unregister-KratixStateStore -Name local -Kind BucketStateStore -Platform $platform.Home -WhatIf

            Get-KratixStateStore -Name local -Platform $platform.Home | Should -Not -BeNullOrEmpty
        }

        It 'unregisters a store piped from Get-KratixStateStore, which carries its kind' {
            Get-KratixStateStore -Name local -Platform $platform.Home | Unregister-KratixStateStore -Platform $platform.Home -Confirm:$false

            Get-KratixStateStore -Kind BucketStateStore -Platform $platform.Home | Should -BeNullOrEmpty
        }

        It 'unregisters a store no Destination uses any more and leaves what was written in the repository' {
            Unregister-KratixDestination -Name dev -Platform $platform.Home -Confirm:$false
            Unregister-KratixStateStore -Name default -Platform $platform.Home -Confirm:$false

            Get-KratixStateStore -Platform $platform.Home | Should -BeNullOrEmpty
            Get-RemoteFile -Remote $platform.Remote -Path 'dev/dependencies/kratix-canary-namespace.yaml' | Should -Not -BeNullOrEmpty
        }

        It 'reports a store that is not registered' {
            { Unregister-KratixStateStore -Name default -Platform $platform.Home -Confirm:$false -ErrorAction Stop } |
                Should -Throw -ErrorId 'StateStoreNotFound,Kratix.PowerShell.Cmdlets.UnregisterKratixStateStoreCommand'
        }
    }
}
