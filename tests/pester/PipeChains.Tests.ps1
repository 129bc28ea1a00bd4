#Requires -Version 7.4
# Pester 5: what one Kratix cmdlet outputs piped into another (Get-KratixPromise | Get-KratixRequest,
# Get-KratixDestination | Get-KratixWorkPlacement, Get-KratixRequest | Remove-KratixRequest, ...); where a request,
# Work or Promise was written (Destination, StateStore, VersionId); and YAML or JSON text piped into the cmdlets that
# read manifests, whole (Get-Content -Raw) or a line at a time (Get-Content, kubectl get -o yaml).
# The app Promise's workflow runs on the Host runtime, so this suite needs Linux and bubblewrap.

Describe 'Kratix pipe chains' {
    BeforeAll {
        $RepoRoot = (Resolve-Path -LiteralPath (Join-Path $PSScriptRoot '..' '..')).ProviderPath
        Import-Module (Join-Path $RepoRoot 'out/Kratix/Kratix.psd1') -Force
        Import-Module (Join-Path $PSScriptRoot 'Kratix.TestHelpers.psm1') -Force

        # A resource workflow that writes one ConfigMap named after the request.
        $WriteConfigMap = 'printf "apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: cm\n" > /kratix/output/cm.yaml'
    }

    Context 'Objects piped from one cmdlet into another' {
        BeforeAll {
            $platform = New-TestPlatform -Name 'chains'
            $h = $platform.Home
            Register-KratixStateStore -Name default -Url $platform.Remote -Platform $h
            Register-KratixDestination -Name dev -StateStore default -Label @{ environment = 'dev' } -Platform $h
            Register-KratixDestination -Name prod -StateStore default -Label @{ environment = 'prod' } -Platform $h
            $appFile = New-TestWorkflowPromiseFile -Path (Join-Path $platform.Root 'app.json') -Name app -ResourceConfigure ([ordered]@{ render = $WriteConfigMap })
            Install-KratixPromise -Path $appFile -Platform $h -WarningAction SilentlyContinue
            $cacheFile = New-TestPromiseFile -Path (Join-Path $platform.Root 'cache.yaml') -Name cache
            Install-KratixPromise -Path $cacheFile -Platform $h -WarningAction SilentlyContinue
            $null = New-KratixRequest -Promise app -Name one -Spec @{ replicas = 1 } -Platform $h
            $null = New-KratixRequest -Promise app -Name two -Namespace team-a -Spec @{ replicas = 1 } -Platform $h
            $null = New-KratixRequest -Promise cache -Name c1 -Spec @{ replicas = 1 } -Platform $h
        }

        It 'Get-KratixPromise | Get-KratixRequest lists the requests of the Promise, not requests named like it' {
            $requests = Get-KratixPromise -Name app -Platform $h | Get-KratixRequest -Platform $h -ErrorVariable failed

            $failed | Should -BeNullOrEmpty
            $requests.Name | Should -Be @('one', 'two')
            $requests.Promise | Should -Be @('app', 'app')
            (Get-KratixPromise -Platform $h | Get-KratixRequest -Platform $h).Name | Sort-Object | Should -Be @('c1', 'one', 'two')
        }

        It 'still filters by the parameters typed on the command line' {
            (Get-KratixPromise -Name app -Platform $h | Get-KratixRequest -Namespace team-a -Platform $h).Name | Should -Be @('two')
            (Get-KratixPromise -Name app -Platform $h | Get-KratixRequest -Name o* -Platform $h).Name | Should -Be @('one')
        }

        It 'Get-KratixRequest | Get-KratixRequest, rows with Promise and Name, and plain names still select requests' {
            (Get-KratixRequest -Promise app -Name one -Platform $h | Get-KratixRequest -Platform $h).Name | Should -Be @('one')
            ([pscustomobject]@{ Promise = 'cache'; Name = 'c1' } | Get-KratixRequest -Platform $h).Name | Should -Be @('c1')
            ('c1' | Get-KratixRequest -Promise cache -Platform $h).Name | Should -Be @('c1')
        }

        It 'Get-KratixDestination | Get-KratixWorkPlacement lists the placements on the Destination' {
            $placements = Get-KratixDestination -Name dev -Platform $h | Get-KratixWorkPlacement -Platform $h

            $placements | Should -HaveCount 3
            $placements.Destination | Sort-Object -Unique | Should -Be @('dev')
            ($placements | Where-Object Promise -EQ 'app') | Should -HaveCount 2
            Get-KratixDestination -Name prod -Platform $h | Get-KratixWorkPlacement -Platform $h | Should -BeNullOrEmpty
        }

        It 'Get-KratixRequest | Get-KratixWork and Get-KratixWorkPlacement list the request''s' {
            $work = Get-KratixRequest -Promise app -Name one -Platform $h | Get-KratixWork -Platform $h
            $placement = Get-KratixRequest -Promise app -Name one -Platform $h | Get-KratixWorkPlacement -Platform $h

            @($work) | Should -HaveCount 1
            $work.Spec.resourceName | Should -Be 'one'
            @($placement) | Should -HaveCount 1
            $placement.Labels.'kratix.io/work' | Should -Be $work.Name
        }

        It 'Get-KratixPromise | Get-KratixWork lists all the Works of the Promise' {
            (Get-KratixPromise -Name app -Platform $h | Get-KratixWork -Platform $h) | Should -HaveCount 2
            (Get-KratixPromise -Name cache -Platform $h | Get-KratixWork -Platform $h).Labels.'kratix.io/work-type' | Should -Be 'static-dependency'
        }

        It 'Get-KratixWorkPlacement | Get-KratixRequest lists the requests the placements were made for' {
            (Get-KratixWorkPlacement -Promise app -Platform $h | Get-KratixRequest -Platform $h).Name | Sort-Object | Should -Be @('one', 'two')
            Get-KratixWorkPlacement -Promise cache -Platform $h | Get-KratixRequest -Platform $h | Should -BeNullOrEmpty
        }

        It 'Get-KratixDestination | Get-KratixRequest lists the requests with documents on it' {
            (Get-KratixDestination -Name dev -Platform $h | Get-KratixRequest -Platform $h).Name | Should -Be @('one', 'two')
        }

        It 'Get-KratixStateStore | Test-KratixStateStore tests each store' {
            $results = Get-KratixStateStore -Platform $h | Test-KratixStateStore -Platform $h

            $results.Name | Should -Be @('default')
            $results.Read | Should -BeTrue
            $results.Write | Should -BeTrue
        }

        It 'Get-KratixRequest | Set-KratixRequest replaces the request from its own manifest' {
            $replaced = Get-KratixRequest -Promise cache -Name c1 -Platform $h | Set-KratixRequest -Platform $h -PassThru -ErrorVariable failed

            $failed | Should -BeNullOrEmpty
            $replaced.Name | Should -Be 'c1'
        }

        It 'Get-KratixRequest | Sync-KratixRequest re-runs the request''s workflow' {
            $synced = Get-KratixRequest -Promise app -Name one -Platform $h | Sync-KratixRequest -Platform $h -Confirm:$false

            $synced.Name | Should -Be 'one'
            $synced.Destination | Should -Be 'dev'
        }

        It 'Get-KratixRequest | Remove-KratixRequest removes the request' {
            $null = New-KratixRequest -Promise cache -Name doomed -Spec @{ replicas = 1 } -Platform $h

            Get-KratixRequest -Promise cache -Name doomed -Platform $h | Remove-KratixRequest -Platform $h -Confirm:$false

            Get-KratixRequest -Promise cache -Platform $h | Where-Object Name -EQ 'doomed' | Should -BeNullOrEmpty
        }

        It 'Get-KratixPromise | Uninstall-KratixPromise uninstalls the Promise' {
            $spare = New-TestPromiseFile -Path (Join-Path $platform.Root 'spare.yaml') -Name spare
            Install-KratixPromise -Path $spare -Platform $h -WarningAction SilentlyContinue

            Get-KratixPromise -Name spare -Platform $h | Uninstall-KratixPromise -Platform $h -Confirm:$false

            (Get-KratixPromise -Platform $h).Name | Should -Not -Contain 'spare'
        }

        It 'Get-KratixPromise | Sync-KratixPromise, and Get-* | Unregister-*, bind the piped objects (-WhatIf)' {
            Get-KratixPromise -Name cache -Platform $h | Sync-KratixPromise -Platform $h -WhatIf -ErrorVariable failed
            Get-KratixDestination -Name prod -Platform $h | Unregister-KratixDestination -Platform $h -WhatIf -ErrorVariable +failed
            Get-KratixStateStore -Platform $h | Unregister-KratixStateStore -Platform $h -WhatIf -ErrorVariable +failed

            $failed | Should -BeNullOrEmpty
            (Get-KratixDestination -Platform $h).Name | Should -Be @('dev', 'prod')
        }
    }

    Context 'Where requests, Works and Promises were written' {
        BeforeAll {
            $platform = New-TestPlatform -Name 'placed'
            $h = $platform.Home
            Register-KratixStateStore -Name default -Url $platform.Remote -Platform $h
            Register-KratixDestination -Name dev -StateStore default -Label @{ environment = 'dev' } -Platform $h
            Register-KratixDestination -Name dev-eu -StateStore default -Label @{ environment = 'dev'; zone = 'eu' } -Platform $h
            $appFile = New-TestWorkflowPromiseFile -Path (Join-Path $platform.Root 'app.json') -Name app -ResourceConfigure ([ordered]@{ render = $WriteConfigMap })
            Install-KratixPromise -Path $appFile -Platform $h -WarningAction SilentlyContinue
            $cacheFile = New-TestPromiseFile -Path (Join-Path $platform.Root 'cache.yaml') -Name cache
            Install-KratixPromise -Path $cacheFile -Platform $h -WarningAction SilentlyContinue
            $created = New-KratixRequest -Promise app -Name one -Spec @{ replicas = 1 } -Platform $h
        }

        It 'a request shows the Destination, state store and commit its Work was written to' {
            $request = Get-KratixRequest -Promise app -Name one -Platform $h
            $placement = Get-KratixRequest -Promise app -Name one -Platform $h | Get-KratixWorkPlacement -Platform $h

            $request.Destination | Should -BeIn @('dev', 'dev-eu')
            $request.Destination | Should -Be $placement.Destination
            $request.StateStore | Should -Be 'GitStateStore/default'
            $request.VersionId | Should -Be $placement.VersionId
            Test-RemoteAncestor -Remote $platform.Remote -Commit $request.VersionId | Should -BeTrue
            ($request | Format-List Destination, StateStore, VersionId | Out-String) | Should -Match 'StateStore\s*:\s*GitStateStore/default'
        }

        It 'New-KratixRequest outputs the request with where it was written' {
            $created.Destination | Should -BeIn @('dev', 'dev-eu')
            $created.VersionId | Should -Match '^[0-9a-f]{40}$'
        }

        It 'a Promise lists every Destination its dependencies went to' {
            $promise = Get-KratixPromise -Name cache -Platform $h

            $promise.Destination | Should -Be 'dev, dev-eu'
            $promise.StateStore | Should -Be 'GitStateStore/default'
            $promise.VersionId | Should -Not -BeNullOrEmpty
        }

        It 'a Work shows its Destinations and a WorkPlacement its state store' {
            (Get-KratixWork -Promise cache -Platform $h).Destination | Should -Be 'dev, dev-eu'
            (Get-KratixWorkPlacement -Promise cache -Platform $h).StateStore | Should -Be @('GitStateStore/default', 'GitStateStore/default')
        }

        It 'a request whose Promise writes nothing for it has them empty' {
            $cache = New-KratixRequest -Promise cache -Name quiet -Spec @{ replicas = 1 } -Platform $h

            $cache.Destination | Should -BeNullOrEmpty
            $cache.StateStore | Should -BeNullOrEmpty
            $cache.VersionId | Should -BeNullOrEmpty
        }
    }

    Context 'YAML or JSON text piped in' {
        BeforeAll {
            $platform = New-TestPlatform -Name 'text'
            $h = $platform.Home
            $folder = Join-Path $platform.Root 'promises'
            $cacheFile = New-TestPromiseFile -Path (Join-Path $folder 'cache.yaml') -Name cache -NoSelectors
            $dbFile = New-TestPromiseFile -Path (Join-Path $folder 'db.yaml') -Name db -NoSelectors
            $queueFile = New-TestPromiseFile -Path (Join-Path $platform.Root 'queue.yaml') -Name queue -NoSelectors
            $RequestLines = @(
                'apiVersion: marketplace.kratix.io/v1alpha1'
                'kind: Cache'
                'metadata:'
                '  name: by-line'
                'spec:'
                '  replicas: 2'
                '---'
                'apiVersion: marketplace.kratix.io/v1alpha1'
                'kind: Cache'
                'metadata:'
                '  name: too-big'
                'spec:'
                '  replicas: 9'
            )
        }

        It 'installs a Promise from Get-Content -Raw' {
            $promise = Get-Content -LiteralPath $cacheFile -Raw | Install-KratixPromise -Platform $h -PassThru

            $promise.Name | Should -Be 'cache'
            $promise.State | Should -Be 'Available'
        }

        It 'installs a Promise from Get-Content line by line, as kubectl get -o yaml gives it' {
            $promise = Get-Content -LiteralPath $dbFile | Install-KratixPromise -Platform $h -PassThru

            @($promise) | Should -HaveCount 1
            $promise.Name | Should -Be 'db'
        }

        It 'reads documents separated by --- across the lines' {
            $lines = @(Get-Content -LiteralPath $cacheFile) + '---' + @(Get-Content -LiteralPath $queueFile)

            $reports = $lines | Test-KratixPromise -Detailed

            $reports.Name | Should -Be @('cache', 'queue')
            $reports.IsValid | Should -Be @($true, $true)
            $reports[1].Source | Should -Match 'document 2 of piped text'
        }

        It 'installs the YAML another platform outputs, line by line' {
            $yaml = (Get-KratixPromise -Name cache -Platform $h).ToYaml() -split "`n"
            $other = New-TestPlatform -Name 'text-copy'

            $copied = $yaml | Install-KratixPromise -Platform $other.Home -PassThru

            $copied.Name | Should -Be 'cache'
        }

        It 'still installs files from Get-ChildItem' {
            $other = New-TestPlatform -Name 'text-files'

            $installed = Get-ChildItem -Path (Join-Path $folder '*.yaml') | Install-KratixPromise -Platform $other.Home -PassThru

            $installed.Name | Should -Be @('cache', 'db')
        }

        It 'names the document and line of malformed piped text' {
            $broken = @('apiVersion: platform.kratix.io/v1alpha1', 'kind: Promise', 'metadata:', '  name: x', '---', 'kind: [unclosed')

            $broken | Install-KratixPromise -Platform $h -ErrorAction SilentlyContinue -ErrorVariable failed

            $failed | Should -HaveCount 1
            $failed[0].FullyQualifiedErrorId | Should -BeLike 'ManifestParseError,*'
            $failed[0].Exception.Message | Should -Match '^piped text:\d+:\d+: .*Fix the YAML'
        }

        It 'says to use Get-Item or -Path when a file name is piped as text' {
            $queueFile | Install-KratixPromise -Platform $h -ErrorAction SilentlyContinue -ErrorVariable failed

            $failed | Should -HaveCount 1
            $failed[0].FullyQualifiedErrorId | Should -BeLike 'ManifestTextIsAPath,*'
            (Get-KratixPromise -Platform $h).Name | Should -Not -Contain 'queue'
        }

        It 'submits the requests of piped lines together and locates an invalid field in the piped text' {
            $requests = $RequestLines | New-KratixRequest -Platform $h -ErrorAction SilentlyContinue -ErrorVariable refused

            $requests.Name | Should -Be @('by-line')
            $refused | Should -HaveCount 1
            $refused[0].FullyQualifiedErrorId | Should -BeLike 'RequestInvalid,*'
            $refused[0].Exception.Problems | Where-Object { $_ -match '^piped text:13:3: spec\.replicas' } | Should -Not -BeNullOrEmpty
        }

        It 'tests and replaces requests from piped lines' {
            $RequestLines[7..12] | Test-KratixRequest -Platform $h | Should -Be $false
            $changed = $RequestLines[0..4] + '  replicas: 3'

            $replaced = $changed | Set-KratixRequest -Platform $h -PassThru

            $replaced.Spec.replicas | Should -Be 3
        }

        It 'registers a state store and a Destination from piped text' {
            $storeYaml = "apiVersion: platform.kratix.io/v1alpha1`nkind: GitStateStore`nmetadata:`n  name: piped`nspec:`n  url: $($platform.Remote)`n  branch: main`n"
            $destinationLines = @(
                'apiVersion: platform.kratix.io/v1alpha1', 'kind: Destination', 'metadata:', '  name: piped-dev', '  labels:', '    environment: dev',
                'spec:', '  path: piped-dev', '  stateStoreRef:', '    kind: GitStateStore', '    name: piped'
            )

            $store = $storeYaml | Register-KratixStateStore -Platform $h -PassThru
            $destination = $destinationLines | Register-KratixDestination -Platform $h -PassThru

            $store.Name | Should -Be 'piped'
            $destination.Name | Should -Be 'piped-dev'
            $destination.State | Should -Be 'Ready'
        }
    }
}
