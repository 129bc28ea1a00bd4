#Requires -Version 7.4
# Pester 5: Connect-KratixPlatform, Get-KratixPlatform, Sync-KratixPlatform, the -Platform parameter every cmdlet has, and KRATIX_HOME.
# Every platform lives under TestDrive; ~/.kratix is never touched (KRATIX_HOME points into TestDrive while this runs).

Describe 'Kratix platform selection' {
    BeforeAll {
        $RepoRoot = (Resolve-Path -LiteralPath (Join-Path $PSScriptRoot '..' '..')).ProviderPath
        $ModuleManifest = Join-Path $RepoRoot 'out/Kratix/Kratix.psd1'
        Import-Module $ModuleManifest -Force
        Import-Module (Join-Path $PSScriptRoot 'Kratix.TestHelpers.psm1') -Force

        $SavedKratixHome = $env:KRATIX_HOME
        $env:KRATIX_HOME = Join-Path $TestDrive 'kratix-home-default'
    }

    AfterAll {
        $env:KRATIX_HOME = $SavedKratixHome
    }

    Context 'The -Platform parameter' {
        It 'is on every cmdlet the module exports' {
            $exported = (Import-PowerShellDataFile -LiteralPath $ModuleManifest).CmdletsToExport
            $commands = @(Get-Command -Module Kratix -CommandType Cmdlet)

            $commands.Count | Should -Be $exported.Count
            Compare-Object -ReferenceObject @($exported) -DifferenceObject @($commands.Name) | Should -BeNullOrEmpty
            $commands | Where-Object { -not $_.Parameters.ContainsKey('Platform') } | Should -BeNullOrEmpty
        }

        It 'refuses an empty value' {
            { Get-KratixPlatform -Platform '' } | Should -Throw -ErrorId 'ParameterArgumentValidationError,*'
        }
    }

    Context 'Get-KratixPlatform' {
        BeforeAll {
            $platform = New-TestPlatform -Name 'get-platform'
        }

        It 'describes an empty platform' {
            $info = Get-KratixPlatform -Platform $platform.Home

            $info.PSObject.TypeNames[0] | Should -Be 'Kratix.PlatformInfo'
            $info.Platform | Should -Be $platform.Home
            $info.Backend | Should -Be 'Embedded'
            $info.Promises | Should -Be 0
            $info.Requests | Should -Be 0
            $info.Destinations | Should -Be 0
            $info.StateStores | Should -Be 0
            $info.Works | Should -Be 0
        }

        It 'creates a platform home that does not exist yet' {
            $fresh = Join-Path $platform.Root 'fresh-home'
            Test-Path -LiteralPath $fresh | Should -BeFalse

            $null = Get-KratixPlatform -Platform $fresh

            Test-Path -LiteralPath $fresh -PathType Container | Should -BeTrue
        }

        It 'counts what the platform holds' {
            Register-KratixStateStore -Name git -Url $platform.Remote -Platform $platform.Home
            Register-KratixStateStore -Name local -Directory (Join-Path $platform.Root 'bucket') -Platform $platform.Home
            Register-KratixDestination -Name dev -StateStore git -Platform $platform.Home

            $info = Get-KratixPlatform -Platform $platform.Home

            $info.StateStores | Should -Be 2
            $info.Destinations | Should -Be 1
            $info.Promises | Should -Be 0
        }

        It 'resolves a relative -Platform against the current location' {
            Push-Location -LiteralPath $platform.Root
            try {
                $info = Get-KratixPlatform -Platform 'relative-home'
            }
            finally {
                Pop-Location
            }

            $info.Platform | Should -Be (Join-Path $platform.Root 'relative-home')
        }
    }

    Context 'Connect-KratixPlatform' {
        BeforeAll {
            $platform = New-TestPlatform -Name 'connect'
            $first = Join-Path $platform.Root 'first'
            $second = Join-Path $platform.Root 'second'
        }

        It 'outputs nothing without -PassThru' {
            Connect-KratixPlatform -Path $first | Should -BeNullOrEmpty
            Test-Path -LiteralPath $first -PathType Container | Should -BeTrue
        }

        It 'creates the home and describes it with -PassThru' {
            $info = Connect-KratixPlatform -Path $second -PassThru

            $info.PSObject.TypeNames[0] | Should -Be 'Kratix.PlatformInfo'
            $info.Platform | Should -Be $second
            Test-Path -LiteralPath $second -PathType Container | Should -BeTrue
        }

        It 'is the platform later cmdlets use when they are given no -Platform' {
            Connect-KratixPlatform -Path $first

            (Get-KratixPlatform).Platform | Should -Be $first
            Register-KratixStateStore -Name local -Directory (Join-Path $platform.Root 'bucket')

            (Get-KratixStateStore -Platform $first).Name | Should -Be 'local'
            Get-KratixStateStore -Platform $second | Should -BeNullOrEmpty
        }

        It 'gives way to -Platform' {
            Connect-KratixPlatform -Path $first

            (Get-KratixPlatform -Platform $second).Platform | Should -Be $second
            (Get-KratixPlatform).Platform | Should -Be $first
        }

        It 'changes nothing with -WhatIf' {
            Connect-KratixPlatform -Path $first
            $unused = Join-Path $platform.Root 'what-if'

            Connect-KratixPlatform -Path $unused -WhatIf

            Test-Path -LiteralPath $unused | Should -BeFalse
            (Get-KratixPlatform).Platform | Should -Be $first
        }

        It 'takes a directory piped from Get-Item, through -LiteralPath and its PSPath alias' {
            $info = Get-Item -LiteralPath $second | Connect-KratixPlatform -PassThru

            $info.Platform | Should -Be $second
            (Get-KratixPlatform).Platform | Should -Be $second
        }

        It 'uses -LiteralPath exactly as written' {
            $literal = Join-Path $platform.Root 'home[1]'

            $info = Connect-KratixPlatform -LiteralPath $literal -PassThru

            $info.Platform | Should -Be $literal
            Test-Path -LiteralPath $literal -PathType Container | Should -BeTrue
        }

        It 'resolves a wildcard -Path that matches one directory' {
            $info = Connect-KratixPlatform -Path (Join-Path $platform.Root 'seco*') -PassThru

            $info.Platform | Should -Be $second
        }

        It 'refuses a wildcard -Path that matches nothing' {
            { Connect-KratixPlatform -Path (Join-Path $platform.Root 'no-such-home*') } |
                Should -Throw -ErrorId 'PlatformPathNotFound,Kratix.PowerShell.Cmdlets.ConnectKratixPlatformCommand'
        }

        It 'refuses a wildcard -Path that matches several directories' {
            $null = New-Item -ItemType Directory -Path (Join-Path $platform.Root 'twin-a'), (Join-Path $platform.Root 'twin-b')

            { Connect-KratixPlatform -Path (Join-Path $platform.Root 'twin-*') } |
                Should -Throw -ErrorId 'PlatformPathAmbiguous,Kratix.PowerShell.Cmdlets.ConnectKratixPlatformCommand'
        }
    }

    Context 'Pipeline settings' {
        BeforeAll {
            $platform = New-TestPlatform -Name 'settings'
            # A new platform has no settings file; the test platform's (Host runtime, an image map) is not wanted here.
            Remove-Item -LiteralPath (Join-Path $platform.Home 'platform.yaml')
            $SavedRuntime = $env:KRATIX_RUNTIME
            Remove-Item -Path Env:KRATIX_RUNTIME -ErrorAction SilentlyContinue
        }

        AfterAll {
            $env:KRATIX_RUNTIME = $SavedRuntime
        }

        It 'are the defaults on a new platform' {
            $info = Get-KratixPlatform -Platform $platform.Home

            $info.Runtime | Should -Be 'Auto'
            $info.ContainerTimeout | Should -Be ([timespan]::FromMinutes(10))
            $info.MaxOutputBytes | Should -Be (64MB)
            $info.ParallelWorkflows | Should -Be ([Environment]::ProcessorCount)
            $info.Network | Should -BeFalse
            $info.FieldValidation | Should -Be 'Strict'
            $info.ResourceBindingVersionStrategy | Should -Be 'floating'
            $info.ReconciliationInterval | Should -Be ([timespan]::FromHours(10))
            $info.StateStoreReconciliationInterval | Should -Be ([timespan]::FromHours(10))
            $info.ReconcileAfterFailure | Should -BeTrue
        }

        It 'saves the reconciliation settings under upstream''s names and shows them, keeping what is not given' {
            $home2 = Join-Path $platform.Root 'reconcile-settings'
            Connect-KratixPlatform -Path $home2 -ReconciliationInterval ([timespan]::FromMinutes(30)) -StateStoreReconciliationInterval ([timespan]::Zero) -ReconcileAfterFailure:$false
            Connect-KratixPlatform -Path $home2 -ResourceBindingVersionStrategy Pinned

            $info = Get-KratixPlatform -Platform $home2
            $info.ReconciliationInterval | Should -Be ([timespan]::FromMinutes(30))
            $info.StateStoreReconciliationInterval | Should -Be ([timespan]::Zero)
            $info.ReconcileAfterFailure | Should -BeFalse
            $info.ResourceBindingVersionStrategy | Should -Be 'pinned'
            $settings = Get-Content -LiteralPath (Join-Path $home2 'platform.yaml') -Raw
            $settings | Should -Match 'reconciliationInterval: 1800s'
            $settings | Should -Match 'stateStoreReconciliationInterval: 0s'
            $settings | Should -Match 'reconcileAfterFailure: false'

            { Connect-KratixPlatform -Path $home2 -ReconciliationInterval ([timespan]::Zero) -ErrorAction Stop } |
                Should -Throw -ErrorId 'PlatformSettingsInvalid,Kratix.PowerShell.Cmdlets.ConnectKratixPlatformCommand'
            (Get-KratixPlatform -Platform $home2).ReconciliationInterval | Should -Be ([timespan]::FromMinutes(30)) -Because 'a refused setting changes nothing'
        }

        It 'are saved in the home by Connect-KratixPlatform and shown by Get-KratixPlatform' {
            Push-Location -LiteralPath $platform.Root
            try {
                Connect-KratixPlatform -Path $platform.Home -Runtime Host -ContainerTimeout ([timespan]::FromMinutes(3)) -MaxOutputBytes 5GB -ParallelWorkflows 6 -Network `
                    -ImageMap @{ 'example.com/step:v1' = 'images/step'; 'example.com/full:v1' = @{ Path = 'images/full'; Entrypoint = @('/usr/bin/run.sh') } }
            }
            finally {
                Pop-Location
            }

            $info = Get-KratixPlatform -Platform $platform.Home
            $info.Runtime | Should -Be 'Host'
            $info.ContainerTimeout | Should -Be ([timespan]::FromMinutes(3))
            $info.MaxOutputBytes | Should -Be (5GB)
            $info.ParallelWorkflows | Should -Be 6
            $info.Network | Should -BeTrue
            $settings = Get-Content -LiteralPath (Join-Path $platform.Home 'platform.yaml') -Raw
            $settings | Should -Match 'runtime: Host'
            $settings | Should -Match 'maxOutputBytes: 5368709120'
            $settings | Should -Match 'parallelWorkflows: 6'
            # Image folders are saved as absolute paths, resolved against the location they were given from.
            $settings | Should -Match ([regex]::Escape((Join-Path $platform.Root 'images' 'step')))
            $settings | Should -Match '/usr/bin/run.sh'
        }

        It 'change only the fields given' {
            Connect-KratixPlatform -Path $platform.Home -Network:$false

            $info = Get-KratixPlatform -Platform $platform.Home
            $info.Network | Should -BeFalse
            $info.Runtime | Should -Be 'Host'
            $info.ContainerTimeout | Should -Be ([timespan]::FromMinutes(3))
            $info.MaxOutputBytes | Should -Be (5GB)
        }

        It 'refuse an output limit that is not positive, and keep the saved one' {
            { Connect-KratixPlatform -Path $platform.Home -MaxOutputBytes 0 } | Should -Throw -ErrorId 'ParameterArgumentValidationError,*'
            { Connect-KratixPlatform -Path $platform.Home -MaxOutputBytes -1 } | Should -Throw -ErrorId 'ParameterArgumentValidationError,*'

            (Get-KratixPlatform -Platform $platform.Home).MaxOutputBytes | Should -Be (5GB)
        }

        It 'save engine arguments for the runtime that takes them' {
            Connect-KratixPlatform -Path $platform.Home -Runtime Podman -RuntimeArgument '--ulimit', 'nofile=1024:1024'

            $settings = Get-Content -LiteralPath (Join-Path $platform.Home 'platform.yaml') -Raw
            $settings | Should -Match 'podmanArguments:'
            $settings | Should -Match 'nofile=1024:1024'
            $settings | Should -Not -Match 'dockerArguments:'
        }

        It 'refuse engine arguments for the Host runtime' {
            { Connect-KratixPlatform -Path $platform.Home -Runtime Host -RuntimeArgument '--privileged' } |
                Should -Throw -ErrorId 'RuntimeArgumentsNotApplicable,Kratix.PowerShell.Cmdlets.ConnectKratixPlatformCommand'

            (Get-KratixPlatform -Platform $platform.Home).Runtime | Should -Be 'Podman'
        }

        It 'refuse a runtime that does not exist' {
            { Connect-KratixPlatform -Path $platform.Home -Runtime Kubernetes } | Should -Throw -ErrorId 'ParameterArgumentValidationError,*'
        }

        It 'change nothing with -WhatIf' {
            Connect-KratixPlatform -Path $platform.Home -Runtime Docker -WhatIf

            (Get-KratixPlatform -Platform $platform.Home).Runtime | Should -Be 'Podman'
        }
    }

    Context 'KRATIX_HOME' {
        BeforeAll {
            $platform = New-TestPlatform -Name 'kratix-home'
            $fromEnvironment = Join-Path $platform.Root 'from-environment'
            $env:KRATIX_HOME = $fromEnvironment
        }

        It 'is where Connect-KratixPlatform goes when it is given no path' {
            $info = Connect-KratixPlatform -PassThru

            $info.Platform | Should -Be $fromEnvironment
            Test-Path -LiteralPath $fromEnvironment -PathType Container | Should -BeTrue
        }

        It 'is the platform of a new session that connected nowhere' {
            # A child pwsh: this session has already connected, and that choice lasts for the process.
            # $PSHOME holds the pwsh executable whether pwsh was installed as a program or runs as a .NET tool (where
            # the process itself is dotnet).
            $pwsh = Join-Path $PSHOME ($IsWindows ? 'pwsh.exe' : 'pwsh')
            $quotedManifest = "'" + $ModuleManifest.Replace("'", "''") + "'"
            $command = "Import-Module $quotedManifest; (Get-KratixPlatform).Platform"

            $output = & $pwsh -NoProfile -NonInteractive -Command $command

            $LASTEXITCODE | Should -Be 0
            ($output -join "`n").Trim() | Should -Be $fromEnvironment
        }
    }

    Context 'Sync-KratixPlatform' {
        BeforeAll {
            # New-TestPlatform's platform.yaml runs pipelines on the Host runtime; KRATIX_RUNTIME would override it.
            $SavedRuntime = $env:KRATIX_RUNTIME
            Remove-Item -Path Env:KRATIX_RUNTIME -ErrorAction SilentlyContinue

            $platform = New-TestPlatform -Name 'sync-platform'
            Register-KratixStateStore -Name default -Url $platform.Remote -Platform $platform.Home
            Register-KratixDestination -Name dev -StateStore default -Label @{ environment = 'dev' } -Platform $platform.Home
            $promiseFile = New-TestWorkflowPromiseFile -Path (Join-Path $platform.Root 'app.json') -Name app `
                -ResourceConfigure ([ordered]@{ instance = 'printf ''kind: ConfigMap\nmetadata:\n  name: %s\n'' "$KRATIX_OBJECT_NAME" > /kratix/output/configmap.yaml' })
            Install-KratixPromise -Path $promiseFile -Platform $platform.Home
            $null = New-KratixRequest -Promise app -Name web -Spec @{ replicas = 1 } -Platform $platform.Home
            $RequestFile = 'dev/resources/default/app/web/instance/5058f/configmap.yaml'
            $RunRecord = Join-Path $platform.Home 'workflows/resource-configure/app/default/web.yaml'
        }

        AfterAll {
            $env:KRATIX_RUNTIME = $SavedRuntime
        }

        It 'on a platform in its desired state runs no pipeline and makes no commit' {
            $head = Get-RemoteHead -Remote $platform.Remote

            $result = Sync-KratixPlatform -Platform $platform.Home

            $result.PSObject.TypeNames[0] | Should -Be 'Kratix.PlatformSyncResult'
            $result.Platform | Should -Be $platform.Home
            $result.Requests | Should -Be 1
            $result.PipelinesRun | Should -Be 0
            $result.PlacementsWritten | Should -Be 0
            $result.FailureCount | Should -Be 0
            Get-RemoteHead -Remote $platform.Remote | Should -Be $head
        }

        It 'runs again a workflow whose run was never kept, as a session killed mid-run leaves it' {
            Remove-Item -LiteralPath $RunRecord

            $result = Sync-KratixPlatform -Platform $platform.Home

            $result.PipelinesRun | Should -Be 1
            $result.PlacementsWritten | Should -Be 0
            Test-Path -LiteralPath $RunRecord | Should -BeTrue
            (Get-KratixRequest -Promise app -Name web -Platform $platform.Home).State | Should -Be 'Reconciled'
            Get-RemoteFile -Remote $platform.Remote -Path $RequestFile | Should -Match 'name: web'
            (Sync-KratixPlatform -Platform $platform.Home).PipelinesRun | Should -Be 0
        }

        It 'changes nothing with -WhatIf' {
            Remove-Item -LiteralPath $RunRecord

            Sync-KratixPlatform -Platform $platform.Home -WhatIf | Should -BeNullOrEmpty

            Test-Path -LiteralPath $RunRecord | Should -BeFalse
            (Sync-KratixPlatform -Platform $platform.Home -Confirm:$false).PipelinesRun | Should -Be 1
        }
    }
}
