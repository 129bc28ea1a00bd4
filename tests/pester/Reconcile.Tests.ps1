#Requires -Version 7.4
# Pester 5: reconciling over time through Sync-KratixPlatform (docs/day-two.md, "Reconciling over time"): drift in a
# real bare Git remote put back, configure workflows rerun once their interval has passed (platform.yaml's
# reconciliationInterval, set to seconds here so the suite waits seconds, not hours), reconcileAfterFailure, delete
# workflows that ask to be retried, and -Continuous, which the test stops as Ctrl+C would. Pipelines run on the Host
# runtime (Linux and bwrap).

Describe 'Reconciling over time' {
    BeforeAll {
        $RepoRoot = (Resolve-Path -LiteralPath (Join-Path $PSScriptRoot '..' '..')).ProviderPath
        $ModulePath = Join-Path $RepoRoot 'out/Kratix/Kratix.psd1'
        Import-Module $ModulePath -Force
        Import-Module (Join-Path $PSScriptRoot 'Kratix.TestHelpers.psm1') -Force
        $SavedRuntime = $env:KRATIX_RUNTIME
        Remove-Item -Path Env:KRATIX_RUNTIME -ErrorAction SilentlyContinue

        $InstanceScript = @'
run=$(cat /proc/sys/kernel/random/uuid)
printf 'apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: %s\ndata:\n  run: %s\n' "$KRATIX_OBJECT_NAME" "$run" > /kratix/output/configmap.yaml
'@
        $RequestFile = 'dev/resources/default/app/web/instance/5058f/configmap.yaml'

        # A platform with one Git store, Destination dev and Promise app; -Settings lines are added to platform.yaml.
        function New-ReconcilePlatform([string] $Name, [string[]] $Settings = @(), [System.Collections.IDictionary] $ResourceConfigure, [System.Collections.IDictionary] $ResourceDelete) {
            $platform = New-TestPlatform -Name $Name
            Add-Content -LiteralPath (Join-Path $platform.Home 'platform.yaml') -Value $Settings
            Register-KratixStateStore -Name default -Url $platform.Remote -Platform $platform.Home
            Register-KratixDestination -Name dev -StateStore default -Label @{ environment = 'dev' } -Platform $platform.Home
            $configure = if ($ResourceConfigure) { $ResourceConfigure } else { [ordered]@{ instance = $InstanceScript } }
            $arguments = @{ Path = (Join-Path $platform.Root 'app.json'); Name = 'app'; ResourceConfigure = $configure }
            if ($ResourceDelete) { $arguments.ResourceDelete = $ResourceDelete }
            Install-KratixPromise -Path (New-TestWorkflowPromiseFile @arguments) -Platform $platform.Home
            $platform
        }

        # Someone else's commit in the remote: the file removed (or replaced with -Content).
        function Edit-Remote($Platform, [string] $Path, [string] $Content) {
            $clone = Join-Path $Platform.Root ('clone-' + [guid]::NewGuid().ToString('N').Substring(0, 8))
            $null = Invoke-TestGit -ArgumentList @('clone', '--quiet', $Platform.Remote, $clone)
            if ($Content) { Set-Content -LiteralPath (Join-Path $clone $Path) -Value $Content -NoNewline }
            else { $null = Invoke-TestGit -ArgumentList @('-C', $clone, 'rm', '--quiet', $Path) }
            $null = Invoke-TestGit -ArgumentList @('-C', $clone, '-c', 'user.name=someone', '-c', 'user.email=someone@example.com', 'commit', '--quiet', '-am', 'by hand')
            $null = Invoke-TestGit -ArgumentList @('-C', $clone, 'push', '--quiet', 'origin', 'main')
        }
    }

    AfterAll {
        $env:KRATIX_RUNTIME = $SavedRuntime
    }

    It 'puts back a file removed and a file edited in the state store' {
        $platform = New-ReconcilePlatform -Name drift
        New-KratixRequest -Promise app -Name web -Spec @{ replicas = 1 } -Platform $platform.Home | Out-Null
        New-KratixRequest -Promise app -Name api -Spec @{ replicas = 1 } -Platform $platform.Home | Out-Null
        $written = Get-RemoteFile -Remote $platform.Remote -Path $RequestFile
        $apiFile = $RequestFile.Replace('/web/', '/api/')
        Edit-Remote $platform $RequestFile
        Edit-Remote $platform $apiFile -Content "edited by hand`n"

        $result = Sync-KratixPlatform -Platform $platform.Home

        $result.PlacementsWritten | Should -Be 2
        $result.PipelinesRun | Should -Be 0
        $result.StateStoresRewritten | Should -BeTrue
        Get-RemoteFile -Remote $platform.Remote -Path $RequestFile | Should -Be $written
        Get-RemoteFile -Remote $platform.Remote -Path $apiFile | Should -Not -Match 'edited by hand'
        (Get-RemoteCommitSubject -Remote $platform.Remote)[0] | Should -Match '^Update from: app-'
    }

    It 'reruns a configure workflow once the reconciliation interval has passed, and not before' {
        $platform = New-ReconcilePlatform -Name interval -Settings 'reconciliationInterval: 3s'
        New-KratixRequest -Promise app -Name web -Spec @{ replicas = 1 } -Platform $platform.Home | Out-Null
        $first = Get-RemoteFile -Remote $platform.Remote -Path $RequestFile

        (Sync-KratixPlatform -Platform $platform.Home).PipelinesRun | Should -Be 0
        Start-Sleep -Seconds 4
        $result = Sync-KratixPlatform -Platform $platform.Home -Verbose 4>&1
        $summary = $result | Where-Object { $_.PSObject.TypeNames -contains 'Kratix.PlatformSyncResult' }
        $verbose = $result | Where-Object { $_ -is [System.Management.Automation.VerboseRecord] }

        $summary.PipelinesRun | Should -Be 1
        ($verbose.Message -join "`n") | Should -Match 'more than 3s ago \(the interval, from the platform''s reconciliationInterval\); running it again from the start'
        Get-RemoteFile -Remote $platform.Remote -Path $RequestFile | Should -Not -Be $first
        $summary.NextReconcile | Should -BeGreaterThan ([datetimeoffset]::UtcNow)
    }

    It 'reruns a failed workflow after the interval only while reconcileAfterFailure is on' {
        $failing = [ordered]@{ instance = 'exit 3' }
        $off = New-ReconcilePlatform -Name failure-off -Settings 'reconciliationInterval: 2s', 'reconcileAfterFailure: false' -ResourceConfigure $failing
        $on = New-ReconcilePlatform -Name failure-on -Settings 'reconciliationInterval: 2s' -ResourceConfigure $failing
        foreach ($p in $off, $on) {
            New-KratixRequest -Promise app -Name web -Spec @{ replicas = 1 } -Platform $p.Home -ErrorAction SilentlyContinue -WarningAction SilentlyContinue | Out-Null
        }
        Start-Sleep -Seconds 3

        (Sync-KratixPlatform -Platform $off.Home -WarningAction SilentlyContinue).PipelinesRun | Should -Be 0
        $retried = Sync-KratixPlatform -Platform $on.Home -WarningAction SilentlyContinue
        $retried.PipelinesRun | Should -Be 1
        $retried.Failures | Should -Match 'A Configure Pipeline has failed: instance'
    }

    It 'keeps a request whose delete workflow asked to be retried, and removes it at a sync after the retry time' {
        $retry = [ordered]@{ teardown = @'
if grep -q 'attempts: [1]' /kratix/input/object.yaml; then exit 0; fi
printf 'retryAfter: 2s\nmessage: draining\n' > /kratix/metadata/workflow-control.yaml
'@ }
        $platform = New-ReconcilePlatform -Name suspended-delete -ResourceDelete $retry
        New-KratixRequest -Promise app -Name web -Spec @{ replicas = 1 } -Platform $platform.Home | Out-Null

        $warnings = Remove-KratixRequest -Promise app -Name web -Confirm:$false -Platform $platform.Home 3>&1

        ($warnings.Message -join "`n") | Should -Match 'The delete workflow is suspended \(draining\); it stays, marked for deletion'
        $kept = Get-KratixRequest -Promise app -Name web -Platform $platform.Home
        ($kept.Conditions | Where-Object Type -eq DeleteWorkflowCompleted).Reason | Should -Be 'DeleteWorkflowSuspended'
        Get-RemoteFile -Remote $platform.Remote -Path $RequestFile | Should -Not -BeNullOrEmpty

        Start-Sleep -Seconds 3
        $result = Sync-KratixPlatform -Platform $platform.Home

        $result.DeletionsFinished | Should -Be 1
        Get-KratixRequest -Promise app -Platform $platform.Home | Should -BeNullOrEmpty
        Get-RemoteFile -Remote $platform.Remote -Path $RequestFile | Should -BeNullOrEmpty
    }

    It 'keeps reconciling with -Continuous, rewriting drift at the store interval, until stopped' {
        $platform = New-ReconcilePlatform -Name continuous -Settings 'stateStoreReconciliationInterval: 2s'
        New-KratixRequest -Promise app -Name web -Spec @{ replicas = 1 } -Platform $platform.Home | Out-Null
        $written = Get-RemoteFile -Remote $platform.Remote -Path $RequestFile

        $ps = [powershell]::Create()
        try {
            $null = $ps.AddScript('param($Module, $PlatformHome) Import-Module $Module; Sync-KratixPlatform -Platform $PlatformHome -Continuous -PollInterval 00:00:01').AddArgument($ModulePath).AddArgument($platform.Home)
            $output = [System.Management.Automation.PSDataCollection[psobject]]::new()
            $running = $ps.BeginInvoke([System.Management.Automation.PSDataCollection[psobject]]::new(), $output)

            $deadline = [datetime]::UtcNow.AddSeconds(60)
            while ($output.Count -lt 1 -and [datetime]::UtcNow -lt $deadline) { Start-Sleep -Milliseconds 200 }
            $output.Count | Should -BeGreaterOrEqual 1 -Because 'the first pass outputs its result'
            Edit-Remote $platform $RequestFile
            $deadline = [datetime]::UtcNow.AddSeconds(60)
            while (-not (Get-RemoteFile -Remote $platform.Remote -Path $RequestFile) -and [datetime]::UtcNow -lt $deadline) { Start-Sleep -Milliseconds 300 }

            # As Ctrl+C: StopProcessing, from another thread, cancels the loop, which ends within a pass.
            $stopping = $ps.BeginStop($null, $null)
            $stopping.AsyncWaitHandle.WaitOne([timespan]::FromSeconds(60)) | Should -BeTrue -Because 'the loop ends when stopped'
            $ps.EndStop($stopping)
            $ps.InvocationStateInfo.State | Should -Be 'Stopped'
            $running.IsCompleted | Should -BeTrue
            $ps.Streams.Error.Count | Should -Be 0
        }
        finally {
            $ps.Dispose()
        }

        Get-RemoteFile -Remote $platform.Remote -Path $RequestFile | Should -Be $written
        $output.Count | Should -BeGreaterOrEqual 2
        $output | ForEach-Object { $_.PSObject.TypeNames[0] | Should -Be 'Kratix.PlatformSyncResult' }
        @($output | Where-Object { $_.StateStoresRewritten -and $_.PlacementsWritten -ge 1 }).Count | Should -BeGreaterOrEqual 1
    }

    It 'shows what -Continuous would do with -WhatIf and returns at once' {
        $platform = New-TestPlatform -Name continuous-whatif
        Sync-KratixPlatform -Platform $platform.Home -Continuous -PollInterval ([timespan]::FromMinutes(5)) -WhatIf | Should -BeNullOrEmpty
    }

    It 'refuses a poll interval under a second, or without -Continuous' {
        $platform = New-TestPlatform -Name continuous-poll
        { Sync-KratixPlatform -Platform $platform.Home -Continuous -PollInterval ([timespan]::FromMilliseconds(10)) -ErrorAction Stop } |
            Should -Throw -ErrorId 'PollIntervalInvalid,Kratix.PowerShell.Cmdlets.SyncKratixPlatformCommand'
        { Sync-KratixPlatform -Platform $platform.Home -PollInterval ([timespan]::FromMinutes(1)) -ErrorAction Stop } |
            Should -Throw -ErrorId 'PollIntervalWithoutContinuous,Kratix.PowerShell.Cmdlets.SyncKratixPlatformCommand'
    }
}
