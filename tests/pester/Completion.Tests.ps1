#Requires -Version 7.4
# Pester 5: tab completion of every parameter that names something, through TabExpansion2 as PowerShell's console
# calls it: Promises, requests (by -Promise and -Namespace), namespaces, Destinations, state stores (by kind), Works,
# WorkPlacements, workflows and pipelines of a Promise file, runtimes and label sets; -Platform, the typed prefix,
# wildcards and quoting; and a platform with 1,000 requests, where the time of each completion is printed.

Describe 'Kratix tab completion' {
    BeforeAll {
        $RepoRoot = (Resolve-Path -LiteralPath (Join-Path $PSScriptRoot '..' '..')).ProviderPath
        Import-Module (Join-Path $RepoRoot 'out/Kratix/Kratix.psd1') -Force
        Import-Module (Join-Path $PSScriptRoot 'Kratix.TestHelpers.psm1') -Force

        # What Tab offers at the end of $Line: the completion texts, in order (each result also has a tooltip).
        function Get-Completion([string] $Line) {
            (TabExpansion2 -inputScript $Line -cursorColumn $Line.Length).CompletionMatches
        }

        function Get-CompletionText([string] $Line) {
            @(Get-Completion $Line | ForEach-Object CompletionText)
        }

        # Completion of $Line and how long it took, in milliseconds.
        function Measure-Completion([string] $Line) {
            $watch = [System.Diagnostics.Stopwatch]::StartNew()
            $found = @(Get-Completion $Line)
            [pscustomobject]@{ Matches = $found; Milliseconds = $watch.Elapsed.TotalMilliseconds }
        }
    }

    Context 'On a platform with Promises, requests, Destinations and state stores' {
        BeforeAll {
            $platform = New-TestPlatform -Name 'completion'
            $h = $platform.Home
            $P = "-Platform '$h'"
            Register-KratixStateStore -Name default -Url $platform.Remote -Platform $h
            $second = Join-Path $platform.Root 'second.git'
            $null = Invoke-TestGit -ArgumentList @('init', '--quiet', '--bare', '--initial-branch=main', $second)
            Register-KratixStateStore -Name second -Url $second -Platform $h
            Register-KratixStateStore -Name files -Directory (Join-Path $platform.Root 'files') -Platform $h
            Register-KratixDestination -Name dev -StateStore default -Label @{ environment = 'dev'; zone = 'eu' } -Platform $h
            Register-KratixDestination -Name prod -StateStore default -Label @{ environment = 'prod' } -Platform $h
            Register-KratixDestination -Name '1e3' -StateStore default -Platform $h

            $cacheFile = New-TestPromiseFile -Path (Join-Path $platform.Root 'cache.yaml') -Name cache -Environment dev
            Install-KratixPromise -Path $cacheFile -Platform $h -WarningAction SilentlyContinue
            $appFile = New-TestWorkflowPromiseFile -Path (Join-Path $platform.Root 'app.json') -Name app -Environment prod `
                -ResourceConfigure ([ordered]@{ render = 'true'; publish = 'true' }) -ResourceDelete ([ordered]@{ cleanup = 'true' })
            Install-KratixPromise -Path $appFile -Platform $h -WarningAction SilentlyContinue

            $null = New-KratixRequest -Promise cache -Name alpha -Spec @{ replicas = 1 } -Label @{ team = 'a' } -Platform $h
            $null = New-KratixRequest -Promise cache -Name alpine -Spec @{ replicas = 1 } -Platform $h
            $null = New-KratixRequest -Promise cache -Name beta -Namespace team-b -Spec @{ replicas = 1 } -Platform $h
        }

        It 'offers the installed Promises, each with the kind of its requests' {
            $results = @(Get-Completion "Get-KratixPromise $P -Name ")

            $results.CompletionText | Should -Be @('app', 'cache')
            $results[1].ToolTip | Should -Be 'Promise cache: requests of kind Cache'
            $results[0].ResultType | Should -Be 'ParameterValue'
        }

        It 'offers Promises to every parameter that names one' {
            Get-CompletionText "Uninstall-KratixPromise $P -Name c" | Should -Be @('cache')
            Get-CompletionText "Sync-KratixPromise $P -Name a" | Should -Be @('app')
            Get-CompletionText "New-KratixRequest $P -Promise c" | Should -Be @('cache')
            Get-CompletionText "Get-KratixWork $P -Promise " | Should -Be @('app', 'cache')
            Get-CompletionText "Get-KratixWorkPlacement $P -Promise ap" | Should -Be @('app')
            Get-CompletionText "Sync-KratixRequest $P -Promise ca" | Should -Be @('cache')
        }

        It 'honours the typed prefix case-insensitively, and wildcards' {
            Get-CompletionText "Get-KratixPromise $P -Name CA" | Should -Be @('cache')
            Get-CompletionText "Get-KratixPromise $P -Name *ch" | Should -Be @('cache')
            Get-CompletionText "Get-KratixPromise $P -Name ?pp" | Should -Be @('app')
            Get-CompletionText "Get-KratixPromise $P -Name zzz" | Should -BeNullOrEmpty
        }

        It 'offers the requests of the -Promise already typed, in every namespace for Get-KratixRequest' {
            Get-CompletionText "Get-KratixRequest $P -Promise cache -Name " | Should -Be @('alpha', 'alpine', 'beta')
            Get-CompletionText "Get-KratixRequest $P -Promise cache -Name alp" | Should -Be @('alpha', 'alpine')
            Get-CompletionText "Get-KratixRequest $P -Promise app -Name " | Should -BeNullOrEmpty
            Get-CompletionText "Get-KratixRequest $P -Name " | Should -Be @('alpha', 'alpine', 'beta')
            (Get-Completion "Get-KratixRequest $P -Name be")[0].ToolTip | Should -Be 'team-b/beta (Promise cache)'
        }

        It 'offers only the namespace the cmdlet will use: -Namespace when typed, else default where it defaults to it' {
            Get-CompletionText "Get-KratixRequest $P -Promise cache -Namespace team-b -Name " | Should -Be @('beta')
            Get-CompletionText "Remove-KratixRequest $P -Promise cache -Name " | Should -Be @('alpha', 'alpine')
            Get-CompletionText "Remove-KratixRequest $P -Promise cache -Namespace team-b -Name " | Should -Be @('beta')
            Get-CompletionText "Sync-KratixRequest $P -Promise cache -Name a" | Should -Be @('alpha', 'alpine')
            Get-CompletionText "Set-KratixRequest $P -Promise cache -Name alph" | Should -Be @('alpha')
            Get-CompletionText "Test-KratixRequest $P -Promise cache -Name alph" | Should -Be @('alpha')
        }

        It 'offers no existing name for a new request' {
            Get-CompletionText "New-KratixRequest $P -Promise cache -Name " | Should -BeNullOrEmpty
        }

        It 'offers namespaces that hold requests, and default when creating one' {
            Get-CompletionText "Get-KratixRequest $P -Namespace " | Should -Be @('default', 'team-b')
            Get-CompletionText "Get-KratixRequest $P -Promise app -Namespace " | Should -BeNullOrEmpty
            Get-CompletionText "New-KratixRequest $P -Promise app -Namespace " | Should -Be @('default')
            Get-CompletionText "Remove-KratixRequest $P -Promise cache -Namespace t" | Should -Be @('team-b')
        }

        It 'offers namespaces that hold Works and WorkPlacements to the cmdlets that list them' {
            Get-CompletionText "Get-KratixWork $P -Namespace " | Should -Be @('kratix-platform-system')
            Get-CompletionText "Get-KratixWorkPlacement $P -Namespace " | Should -Be @('kratix-platform-system')
        }

        It 'offers Works and WorkPlacements by name' {
            $work = (Get-KratixWork -Promise cache -Platform $h).Name
            Get-CompletionText "Get-KratixWork $P -Name cache-" | Should -Be @($work)
            Get-CompletionText "Get-KratixWorkPlacement $P -Name cache-" | Should -Be @("$work.dev-5058f")
        }

        It 'offers Destinations, quoting a name PowerShell would read as a number' {
            Get-CompletionText "Get-KratixDestination $P -Name " | Should -Be @("'1e3'", 'dev', 'prod')
            Get-CompletionText "Unregister-KratixDestination $P -Name p" | Should -Be @('prod')
            Get-CompletionText "Get-KratixWorkPlacement $P -Destination d" | Should -Be @('dev')
        }

        It 'keeps the quote the user opened' {
            Get-CompletionText "Get-KratixDestination $P -Name 'de" | Should -Be @("'dev'")
            Get-CompletionText "Get-KratixDestination $P -Name `"pr" | Should -Be @('"prod"')
        }

        It 'offers state stores of the kind the cmdlet will use' {
            Get-CompletionText "Get-KratixStateStore $P -Name " | Should -Be @('default', 'second', 'files')
            Get-CompletionText "Get-KratixStateStore $P -Kind BucketStateStore -Name " | Should -Be @('files')
            Get-CompletionText "Test-KratixStateStore $P -Kind GitStateStore -Name " | Should -Be @('default', 'second')
            Get-CompletionText "Register-KratixDestination $P -Name x -StateStore " | Should -Be @('default', 'second')
            Get-CompletionText "Register-KratixDestination $P -Name x -StateStoreKind BucketStateStore -StateStore " | Should -Be @('files')
            Get-CompletionText "Unregister-KratixStateStore $P -Name " | Should -Be @('default', 'second')
            Get-CompletionText "Unregister-KratixStateStore $P -Kind BucketStateStore -Name f" | Should -Be @('files')
        }

        It 'offers the runtimes with what each does' {
            $results = @(Get-Completion 'Connect-KratixPlatform -Runtime ')
            $results.CompletionText | Should -Be @('Auto', 'Podman', 'Docker', 'Host')
            $results[3].ToolTip | Should -Match 'bubblewrap'
            Get-CompletionText 'Invoke-KratixPipeline -Runtime ho' | Should -Be @('Host')
        }

        It 'still refuses a runtime or workflow that is not one of the choices' {
            { Connect-KratixPlatform -Path $h -Runtime Kubernetes } | Should -Throw -ErrorId 'ParameterArgumentValidationError,*'
            { Invoke-KratixPipeline -Promise $appFile -Workflow resource.build } | Should -Throw -ErrorId 'ParameterArgumentValidationError,*'
        }

        It 'offers the workflows and pipelines of the Promise file given to Invoke-KratixPipeline' {
            Get-CompletionText "Invoke-KratixPipeline -Promise '$appFile' -Workflow " | Should -Be @('resource.configure', 'resource.delete')
            Get-CompletionText "Invoke-KratixPipeline -Promise '$appFile' -Request @{ spec = @{ replicas = 1 } } -Pipeline " | Should -Be @('render', 'publish')
            Get-CompletionText "Invoke-KratixPipeline -Promise '$appFile' -Workflow resource.delete -Pipeline " | Should -Be @('cleanup')
            Get-CompletionText "Invoke-KratixPipeline -Promise '$appFile' -Workflow resource.configure -Pipeline p" | Should -Be @('publish')
            Get-CompletionText "Invoke-KratixPipeline -Workflow " | Should -Be @('resource.configure', 'resource.delete', 'promise.configure', 'promise.delete')
        }

        It 'offers the workflows of a Promise object in a variable' {
            $appPromise = Get-KratixPromise -Name app -Platform $h
            Get-CompletionText 'Invoke-KratixPipeline -Promise $appPromise -Workflow resource.c' | Should -Be @('resource.configure')
        }

        It 'offers a Destination the labels Promises select on and other Destinations carry' {
            $texts = Get-CompletionText "Register-KratixDestination $P -Name x -StateStore default -Label "

            $texts | Should -Contain "@{ environment = 'dev' }"
            $texts | Should -Contain "@{ environment = 'prod' }"
            $texts | Should -Contain "@{ environment = 'dev'; zone = 'eu' }"
            $texts | Should -Contain "@{ zone = 'eu' }"
            (Get-Completion "Register-KratixDestination $P -Name x -StateStore default -Label ")[0].ToolTip | Should -Match 'Promise (app|cache)'
            Get-CompletionText "Register-KratixDestination $P -Name x -StateStore default -Label zo" | Should -Be @("@{ environment = 'dev'; zone = 'eu' }", "@{ zone = 'eu' }")
        }

        It 'offers a request the labels other requests of its Promise carry, without the kratix.io ones' {
            Get-CompletionText "New-KratixRequest $P -Promise cache -Name x -Label " | Should -Be @("@{ team = 'a' }")
            Get-CompletionText "New-KratixRequest $P -Promise app -Name x -Label " | Should -BeNullOrEmpty
        }

        It 'reads -Platform relative to the current location' {
            Push-Location -LiteralPath $platform.Root
            try {
                Get-CompletionText 'Get-KratixPromise -Platform ./home -Name c' | Should -Be @('cache')
                Get-CompletionText 'Get-KratixPromise -Platform home -Name a' | Should -Be @('app')
            }
            finally {
                Pop-Location
            }
        }

        It 'uses the platform Connect-KratixPlatform chose when -Platform is not typed' {
            Connect-KratixPlatform -Path $h

            Get-CompletionText 'Get-KratixPromise -Name ca' | Should -Be @('cache')
            Get-CompletionText 'Get-KratixRequest -Promise cache -Name alpi' | Should -Be @('alpine')
        }

        It 'offers nothing, and creates nothing, for a platform that does not exist' {
            $missing = Join-Path $platform.Root 'no-such-home'

            Get-CompletionText "Get-KratixPromise -Platform '$missing' -Name " | Should -BeNullOrEmpty
            Get-CompletionText "Get-KratixRequest -Platform '$missing' -Promise cache -Name " | Should -BeNullOrEmpty
            Test-Path -LiteralPath $missing | Should -BeFalse
        }
    }

    Context 'On a platform with 1,000 requests' {
        BeforeAll {
            $platform = New-TestPlatform -Name 'completion-1000'
            $h = $platform.Home
            $P = "-Platform '$h'"
            $cacheFile = New-TestPromiseFile -Path (Join-Path $platform.Root 'cache.yaml') -Name cache -NoSelectors
            Install-KratixPromise -Path $cacheFile -Platform $h -WarningAction SilentlyContinue

            # One batch: a Promise without workflows, so the 1,000 requests are stored and reconciled in a few seconds.
            $requests = foreach ($n in 1..1000) {
                @{
                    apiVersion = 'marketplace.kratix.io/v1alpha1'
                    kind       = 'Cache'
                    metadata   = @{ name = "req-$n"; namespace = if ($n % 4 -eq 0) { 'team-a' } else { 'default' }; labels = @{ batch = "b$($n % 3)" } }
                    spec       = @{ replicas = 1 }
                }
            }
            $created = $requests | New-KratixRequest -Platform $h
            $created | Should -HaveCount 1000

            # Each completion is timed after one warm-up of the same kind, and printed.
            function Show-Timing([string] $What, [double] $Milliseconds) {
                Write-Host ('    {0,-60} {1,8:N1} ms' -f $What, $Milliseconds)
            }
        }

        It 'offers every request, and exactly those the prefix matches' {
            $null = Get-Completion "Get-KratixRequest $P -Promise cache -Name req-5"
            $all = Measure-Completion "Get-KratixRequest $P -Promise cache -Name "
            $some = Measure-Completion "Get-KratixRequest $P -Promise cache -Name req-99"

            $all.Matches | Should -HaveCount 1000
            $some.Matches.CompletionText | Should -Be @('req-99', 'req-990', 'req-991', 'req-992', 'req-993', 'req-994', 'req-995', 'req-996', 'req-997', 'req-998', 'req-999')
            Show-Timing 'Get-KratixRequest -Promise cache -Name <Tab> (1,000 results)' $all.Milliseconds
            Show-Timing 'Get-KratixRequest -Promise cache -Name req-99<Tab> (11)' $some.Milliseconds
        }

        It 'narrows by namespace' {
            $typed = Measure-Completion "Remove-KratixRequest $P -Promise cache -Namespace team-a -Name req-10"
            $default = Measure-Completion "Remove-KratixRequest $P -Promise cache -Name req-10"

            $typed.Matches.CompletionText | Should -Be @('req-100', 'req-1000', 'req-104', 'req-108')
            $default.Matches | Should -HaveCount 8
            $default.Matches.CompletionText | Should -Not -Contain 'req-100'
            Show-Timing 'Remove-KratixRequest -Namespace team-a -Name req-10<Tab>' $typed.Milliseconds
            Show-Timing 'Remove-KratixRequest -Name req-10<Tab> (namespace default)' $default.Milliseconds
        }

        It 'offers the namespaces and the Promise' {
            $namespaces = Measure-Completion "Get-KratixRequest $P -Namespace "
            $promise = Measure-Completion "Get-KratixRequest $P -Promise "

            $namespaces.Matches.CompletionText | Should -Be @('default', 'team-a')
            $promise.Matches.CompletionText | Should -Be @('cache')
            Show-Timing 'Get-KratixRequest -Namespace <Tab>' $namespaces.Milliseconds
            Show-Timing 'Get-KratixRequest -Promise <Tab>' $promise.Milliseconds
        }

        It 'offers the label sets of the newest 200 of 1,000 requests (their metadata read once, then cached)' {
            $first = Measure-Completion "New-KratixRequest $P -Promise cache -Name x -Label "
            $again = Measure-Completion "New-KratixRequest $P -Promise cache -Name x -Label b"

            $first.Matches.CompletionText | Sort-Object | Should -Be @("@{ batch = 'b0' }", "@{ batch = 'b1' }", "@{ batch = 'b2' }")
            $again.Matches | Should -HaveCount 3
            Show-Timing 'New-KratixRequest -Label <Tab> (first: 200 files read)' $first.Milliseconds
            Show-Timing 'New-KratixRequest -Label b<Tab> (again)' $again.Milliseconds
        }
    }
}
