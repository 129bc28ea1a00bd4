#Requires -Version 7.4
# Pester 5: Get-KratixWork and Get-KratixWorkPlacement after installing a Promise with dependencies, checked against
# the commits in the bare repository the Destinations write to.

Describe 'Kratix Works and WorkPlacements' {
    BeforeAll {
        $RepoRoot = (Resolve-Path -LiteralPath (Join-Path $PSScriptRoot '..' '..')).ProviderPath
        Import-Module (Join-Path $RepoRoot 'out/Kratix/Kratix.psd1') -Force
        Import-Module (Join-Path $PSScriptRoot 'Kratix.TestHelpers.psm1') -Force
    }

    Context 'A Promise with dependencies and two matching Destinations' {
        BeforeAll {
            $platform = New-TestPlatform -Name 'works'
            Register-KratixStateStore -Name default -Url $platform.Remote -Platform $platform.Home
            Register-KratixDestination -Name dev-1 -StateStore default -Label @{ environment = 'dev' } -Platform $platform.Home
            Register-KratixDestination -Name dev-2 -StateStore default -Label @{ environment = 'dev'; zone = 'eu' } -Platform $platform.Home
            Register-KratixDestination -Name prod -StateStore default -Label @{ environment = 'prod' } -Platform $platform.Home
            $cache = New-TestPromiseFile -Path (Join-Path $platform.Root 'cache.yaml') -Name cache -Environment dev
            Install-KratixPromise -Path $cache -Platform $platform.Home
            $workName = Get-StaticDependencyWorkName -Promise cache
        }

        It 'has one static-dependency Work for the Promise' {
            $works = @(Get-KratixWork -Platform $platform.Home)

            $works | Should -HaveCount 1
            $works[0].PSObject.TypeNames[0] | Should -Be 'Kratix.Work'
            $works[0].Name | Should -Be $workName
            $works[0].Name | Should -BeLike 'cache-static-deps-?????'
            $works[0].Namespace | Should -Be 'kratix-platform-system'
            $works[0].Promise | Should -Be 'cache'
            $works[0].Labels.'kratix.io/work-type' | Should -Be 'static-dependency'
            $works[0].State | Should -Be 'Ready'
            $works[0].Message | Should -Be 'All workplacements scheduled successfully'
        }

        It 'has one WorkPlacement per matching Destination, named after the Work, the Destination and the workload group' {
            $placements = @(Get-KratixWorkPlacement -Platform $platform.Home)

            $placements | Should -HaveCount 2
            (@($placements.Name | Sort-Object) -join ',') | Should -Be "$workName.dev-1-5058f,$workName.dev-2-5058f"
            (@($placements.Destination | Sort-Object) -join ',') | Should -Be 'dev-1,dev-2'
            foreach ($placement in $placements) {
                $placement.PSObject.TypeNames[0] | Should -Be 'Kratix.WorkPlacement'
                $placement.Namespace | Should -Be 'kratix-platform-system'
                $placement.Promise | Should -Be 'cache'
                $placement.State | Should -Be 'Ready'
            }
        }

        It 'records in VersionId the commit that wrote each placement' {
            $head = Get-RemoteHead -Remote $platform.Remote
            $placements = @(Get-KratixWorkPlacement -Platform $platform.Home)

            $head | Should -Match '^[0-9a-f]{40}$'
            foreach ($placement in $placements) {
                $placement.VersionId | Should -Match '^[0-9a-f]{40}$'
                Test-RemoteAncestor -Remote $platform.Remote -Commit $placement.VersionId | Should -Be $true
            }

            # Nothing was written after the placements, so the last of them is main's head.
            $placements.VersionId | Should -Contain $head
        }

        It 'names each placement in the commit that wrote it' {
            # Both placements were written together: one commit, upstream's message for each in its body.
            $messages = Get-RemoteCommitMessage -Remote $platform.Remote
            $written = @($messages | Where-Object { $_ -match [regex]::Escape("Update from: $workName.dev-1-5058f") })

            $written | Should -HaveCount 1
            $written[0] | Should -Match ([regex]::Escape("Update from: $workName.dev-2-5058f"))
            ($written[0] -split "`n")[0] | Should -Match '\(and 1 more\)$'
        }

        It 'wrote the files of each placement where the Destination reads them' {
            Get-RemoteFile -Remote $platform.Remote -Path (Get-StaticDependencyPath -Destination dev-1 -Promise cache) | Should -Not -BeNullOrEmpty
            Get-RemoteFile -Remote $platform.Remote -Path (Get-StaticDependencyPath -Destination dev-2 -Promise cache) | Should -Not -BeNullOrEmpty
            Get-RemoteFile -Remote $platform.Remote -Path (Get-StaticDependencyPath -Destination prod -Promise cache) | Should -BeNullOrEmpty
        }

        It 'filters placements by Destination, Promise, name and namespace' {
            (Get-KratixWorkPlacement -Destination dev-1 -Platform $platform.Home).Name | Should -Be "$workName.dev-1-5058f"
            Get-KratixWorkPlacement -Destination prod -Platform $platform.Home | Should -BeNullOrEmpty
            Get-KratixWorkPlacement -Promise cache -Platform $platform.Home | Should -HaveCount 2
            Get-KratixWorkPlacement -Promise other -Platform $platform.Home | Should -BeNullOrEmpty
            (Get-KratixWorkPlacement -Name '*.dev-2-*' -Platform $platform.Home).Destination | Should -Be 'dev-2'
            Get-KratixWorkPlacement -Namespace kratix-platform-system -Platform $platform.Home | Should -HaveCount 2
            Get-KratixWorkPlacement -Namespace default -Platform $platform.Home | Should -BeNullOrEmpty
        }

        It 'filters Works by Promise, name and namespace' {
            Get-KratixWork -Promise cache -Platform $platform.Home | Should -HaveCount 1
            Get-KratixWork -Promise other -Platform $platform.Home | Should -BeNullOrEmpty
            Get-KratixWork -Name 'cache-static-deps-*' -Platform $platform.Home | Should -HaveCount 1
            Get-KratixWork -Namespace kratix-platform-system -Platform $platform.Home | Should -HaveCount 1
            Get-KratixWork -Namespace default -Platform $platform.Home | Should -BeNullOrEmpty
        }

        It 'places the Work on a matching Destination registered later' {
            Register-KratixDestination -Name dev-3 -StateStore default -Label @{ environment = 'dev' } -Platform $platform.Home

            Get-KratixWorkPlacement -Platform $platform.Home | Should -HaveCount 3
            $placement = Get-KratixWorkPlacement -Destination dev-3 -Platform $platform.Home
            $placement.Name | Should -Be "$workName.dev-3-5058f"
            $placement.VersionId | Should -Be (Get-RemoteHead -Remote $platform.Remote)
            Get-RemoteFile -Remote $platform.Remote -Path (Get-StaticDependencyPath -Destination dev-3 -Promise cache) | Should -Not -BeNullOrEmpty
        }

        It 'drops the placement of a Destination that is unregistered' {
            Unregister-KratixDestination -Name dev-3 -Platform $platform.Home -Confirm:$false

            Get-KratixWorkPlacement -Platform $platform.Home | Should -HaveCount 2
            Get-KratixWorkPlacement -Destination dev-3 -Platform $platform.Home | Should -BeNullOrEmpty
        }

        It 'has no Works or placements left once the Promise is uninstalled' {
            Uninstall-KratixPromise -Name cache -Platform $platform.Home -Confirm:$false

            Get-KratixWork -Platform $platform.Home | Should -BeNullOrEmpty
            Get-KratixWorkPlacement -Platform $platform.Home | Should -BeNullOrEmpty
        }
    }

    Context 'A Promise whose dependencies match no Destination' {
        BeforeAll {
            $platform = New-TestPlatform -Name 'unscheduled'
            Register-KratixStateStore -Name default -Url $platform.Remote -Platform $platform.Home
            Register-KratixDestination -Name prod -StateStore default -Label @{ environment = 'prod' } -Platform $platform.Home
            $cache = New-TestPromiseFile -Path (Join-Path $platform.Root 'cache.yaml') -Name cache -Environment dev
            Install-KratixPromise -Path $cache -Platform $platform.Home -WarningAction SilentlyContinue
        }

        It 'has a Pending Work and no placements' {
            $work = Get-KratixWork -Promise cache -Platform $platform.Home

            $work.State | Should -Be 'Pending'
            $work.Message | Should -Match '^No matching destination found for workloadGroups: \[5058f'
            Get-KratixWorkPlacement -Platform $platform.Home | Should -BeNullOrEmpty
        }

        It 'places the Work as soon as a matching Destination is registered' {
            Register-KratixDestination -Name dev -StateStore default -Label @{ environment = 'dev' } -Platform $platform.Home

            (Get-KratixWork -Promise cache -Platform $platform.Home).State | Should -Be 'Ready'
            (Get-KratixWorkPlacement -Platform $platform.Home).Destination | Should -Be 'dev'
        }
    }
}
