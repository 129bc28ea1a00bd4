#Requires -Version 7.4
# Pester 5: Trace-KratixRequest, Trace-KratixPromise and Get-KratixPipelineLog on an embedded platform whose pipelines
# run on the Host runtime (Linux and bwrap), writing to a bare Git repository the suite reads back with git itself.

Describe 'Tracing requests and Promises, and reading pipeline logs' {
    BeforeAll {
        $RepoRoot = (Resolve-Path -LiteralPath (Join-Path $PSScriptRoot '..' '..')).ProviderPath
        Import-Module (Join-Path $RepoRoot 'out/Kratix/Kratix.psd1') -Force
        Import-Module (Join-Path $PSScriptRoot 'Kratix.TestHelpers.psm1') -Force

        $SavedRuntime = $env:KRATIX_RUNTIME
        Remove-Item -Path Env:KRATIX_RUNTIME -ErrorAction SilentlyContinue

        $RenderScript = @'
echo "rendering $KRATIX_OBJECT_NAME"
printf 'apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: %s\n' "$KRATIX_OBJECT_NAME" > /kratix/output/configmap.yaml
'@
        # Fails for requests whose colour is red, after a few lines of log.
        $CheckScript = @'
echo "checking $KRATIX_OBJECT_NAME"
if grep -q 'colour: red' /kratix/input/object.yaml; then
  echo 'line one' >&2
  echo 'line two' >&2
  echo 'red is not allowed' >&2
  exit 4
fi
echo 'all good'
'@

        $platform = New-TestPlatform -Name 'trace'
        $P = @{ Platform = $platform.Home }
        Register-KratixStateStore -Name default -Url $platform.Remote @P
        Register-KratixDestination -Name dev -StateStore default -Label @{ environment = 'dev' } @P
        $file = New-TestWorkflowPromiseFile -Path (Join-Path $platform.Root 'app.json') -Name app `
            -PromiseConfigure ([ordered]@{ setup = 'echo "setting up"; echo "kind: Namespace" > /kratix/output/ns.yaml' }) `
            -ResourceConfigure ([ordered]@{ render = $RenderScript; check = $CheckScript })
        Install-KratixPromise -Path $file @P
        # A Promise whose only selector matches no Destination.
        $prodFile = New-TestWorkflowPromiseFile -Path (Join-Path $platform.Root 'prodapp.json') -Name prodapp -Environment prod `
            -ResourceConfigure ([ordered]@{ render = $RenderScript })
        Install-KratixPromise -Path $prodFile @P

        New-KratixRequest -Promise app -Name web -Spec @{ replicas = 1 } @P
        New-KratixRequest -Promise app -Name bad -Spec @{ replicas = 1; colour = 'red' } @P -WarningAction SilentlyContinue
        New-KratixRequest -Promise prodapp -Name stuck -Spec @{ replicas = 1 } @P -WarningAction SilentlyContinue
    }

    AfterAll {
        $env:KRATIX_RUNTIME = $SavedRuntime
    }

    Context 'Trace-KratixRequest' {
        It 'takes requests from Get-KratixRequest and outputs one Kratix.TraceNode tree each' {
            $traces = Get-KratixRequest -Promise app @P | Trace-KratixRequest @P

            $traces | Should -HaveCount 2
            $traces[0].pstypenames[0] | Should -Be 'Kratix.TraceNode'
            $traces.Name | Sort-Object | Should -Be @('bad', 'web')
        }

        It 'follows a reconciled request to the Destination it landed on and the commit that wrote its files' {
            $trace = Trace-KratixRequest -Promise app -Name web @P

            $trace.Status | Should -Be 'Reconciled'
            $trace.Ready | Should -BeTrue
            $trace.Details.Destinations | Should -Be @('dev')
            $trace.Children.Kind | Should -Be @('Workflow', 'Work', 'Work')
            $workflow = $trace.Children[0]
            $workflow.Status | Should -Be 'Succeeded'
            $workflow.Children.Name | Should -Be @('render', 'check')
            $workflow.Details.LogDirectory | Should -Exist

            $placement = $trace.Find('WorkPlacement') | Where-Object { $_.Details.Pipeline -eq 'render' }
            $placement.Status | Should -Be 'Ready'
            $placement.Details.Paths | Should -Be @('dev/resources/default/app/web/render/5058f/configmap.yaml')
            # The commit that wrote the file: on main, and it added that path.
            Test-RemoteAncestor -Remote $platform.Remote -Commit $placement.Details.Commit | Should -BeTrue
            (Invoke-TestGit -ArgumentList @("--git-dir=$($platform.Remote)", 'show', '--name-only', '--format=', $placement.Details.Commit)).Lines |
                Should -Contain $placement.Details.Paths[0]
            Get-RemoteFile -Remote $platform.Remote -Path $placement.Details.Paths[0] | Should -Match 'name: web'
            $placement.Children[0].Kind | Should -Be 'Destination'
            $placement.Children[0].Children[0].Kind | Should -Be 'GitStateStore'
            $placement.Children[0].Children[0].Details.Url | Should -Be $platform.Remote
        }

        It 'says why a request is failing: the container that failed, its exit code and its log file' {
            $trace = Trace-KratixRequest -Promise app -Name bad @P

            $trace.Status | Should -Be 'Failing'
            $trace.Ready | Should -BeFalse
            $trace.Reason | Should -Be 'ConfigureWorkflowFailed'
            $trace.Message | Should -BeLike 'Container check-step: exited with code 4; log: *check-step.log'
            $container = $trace.Find('Container') | Where-Object Name -EQ 'check-step'
            $container.Details.ExitCode | Should -Be 4
            $container.Details.LogTail | Should -Contain 'red is not allowed'
            $container.Details.LogPath | Should -Exist
        }

        It 'says which labels an unscheduled workload group needs and what the Destinations have' {
            $trace = Trace-KratixRequest stuck -Promise prodapp @P

            $trace.Status | Should -Be 'Pending'
            $group = $trace.Find('WorkloadGroup')
            $group.Status | Should -Be 'Unscheduled'
            $group.Message | Should -Be 'no Destination matches environment=prod: dev has environment=dev'
            $trace.Message | Should -BeLike '*no Destination matches environment=prod*'
        }

        It 'shows a tree no wider than 120 columns by default, and a table of nodes with Format-Table' {
            $text = Trace-KratixRequest -Promise app -Name bad @P | Out-String -Width 200
            $lines = $text -split "`n" | Where-Object { $_.Trim() }

            $lines[0] | Should -Match '^App default/bad\s+Failing'
            $lines | Should -Contain ($lines | Where-Object { $_ -like '├─ Workflow resource.configure*Failed*' })
            ($lines | Where-Object { $_ -like '*└─ Container check-step*' }) | Should -Not -BeNullOrEmpty
            ($lines | Where-Object { $_ -like '*│ red is not allowed*' }) | Should -Not -BeNullOrEmpty
            ($lines | Measure-Object -Property Length -Maximum).Maximum | Should -BeLessOrEqual 120

            $table = (Trace-KratixRequest -Promise app -Name web @P).Descendants() | Format-Table | Out-String -Width 120
            $table | Should -Match 'GitStateStore\s+default\s+Ready\s+True'
        }

        It 'writes RequestNotFound for a name that matches no request, and traces nothing' {
            $output = Trace-KratixRequest -Name nobody @P -ErrorAction SilentlyContinue -ErrorVariable missing

            $output | Should -BeNullOrEmpty
            $missing[0].FullyQualifiedErrorId | Should -BeLike 'RequestNotFound,*'
        }
    }

    Context 'Trace-KratixPromise' {
        It 'takes Promises from Get-KratixPromise and traces their workflow and Works' {
            $trace = Get-KratixPromise app @P | Trace-KratixPromise @P

            $trace.Kind | Should -Be 'Promise'
            $trace.Status | Should -Be 'Reconciled'
            $trace.Children.Kind | Should -Be @('Workflow', 'Work')
            ($trace.Find('WorkPlacement')).Details.Paths | Should -Be @('dev/dependencies/app/setup/5058f/ns.yaml')
        }

        It 'puts each request''s trace beneath the Promise with -IncludeRequest' {
            $trace = Trace-KratixPromise -Name app -IncludeRequest @P

            ($trace.Children | Where-Object Kind -EQ 'App').Name | Should -Be @('bad', 'web')
        }
    }

    Context 'Get-KratixPipelineLog' {
        It 'outputs one Kratix.PipelineLog per container of the last run of each piped request' {
            $logs = Get-KratixRequest -Promise app -Name web @P | Get-KratixPipelineLog @P

            $logs | Should -HaveCount 2
            $logs[0].pstypenames[0] | Should -Be 'Kratix.PipelineLog'
            $logs.Pipeline | Should -Be @('render', 'check')
            $logs[0].Log | Should -Be "rendering web`n"
            $logs[1].Log | Should -Be "checking web`nall good`n"
            $logs.ExitCode | Should -Be @(0, 0)
            $logs[0].Path | Should -Exist
        }

        It 'filters by pipeline and container, and -Tail keeps the last lines' {
            $log = Get-KratixPipelineLog -Promise app -Name bad -Pipeline 'ch*' -Container 'check-step' -Tail 2 @P

            $log.Container | Should -Be 'check-step'
            $log.ExitCode | Should -Be 4
            $log.Phase | Should -Be 'Failed'
            $log.Log | Should -Be "line two`nred is not allowed`n"
        }

        It 'gives the Promise''s own workflow logs for what Get-KratixPromise outputs' {
            $log = Get-KratixPromise app @P | Get-KratixPipelineLog @P

            $log.Workflow | Should -Be 'promise.configure'
            $log.Request | Should -BeNullOrEmpty
            $log.Log | Should -Be "setting up`n"
            (Get-KratixPipelineLog -Promise app @P).Log | Should -Be "setting up`n"
        }

        It 'writes PipelineRunNotFound when no run is recorded' {
            $output = Get-KratixPipelineLog -Promise prodapp -Action Delete -Name stuck @P -ErrorAction SilentlyContinue -ErrorVariable missing

            $output | Should -BeNullOrEmpty
            $missing[0].FullyQualifiedErrorId | Should -BeLike 'PipelineRunNotFound,*'
        }
    }
}
