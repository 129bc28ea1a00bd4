#Requires -Version 7.4
# Pester 5: what long commands show while they work. Progress records come from the engine's stages (submitting a batch
# of requests, a platform sync, an install), written on the pipeline thread while the engine works on another; each
# command runs in its own [powershell] instance, whose Streams.Progress keeps every record written. -Verbose says what was
# done: objects saved, pipelines run, commits and files per state store (captured with 4>&1).

Describe 'Progress and verbose output' {
    BeforeAll {
        $RepoRoot = (Resolve-Path -LiteralPath (Join-Path $PSScriptRoot '..' '..')).ProviderPath
        $ModuleManifest = Join-Path $RepoRoot 'out/Kratix/Kratix.psd1'
        Import-Module $ModuleManifest -Force
        Import-Module (Join-Path $PSScriptRoot 'Kratix.TestHelpers.psm1') -Force

        # Runs a script in a fresh PowerShell instance of this process with the module loaded; returns its output, errors and progress records.
        function Invoke-Isolated {
            param([scriptblock] $Script, [hashtable] $Arguments = @{}, [string] $ProgressPreference = 'Continue')
            $ps = [powershell]::Create()
            try {
                $null = $ps.AddScript("Import-Module '$ModuleManifest'; `$ProgressPreference = '$ProgressPreference'").AddStatement()
                $null = $ps.AddScript($Script.ToString())
                foreach ($entry in $Arguments.GetEnumerator()) {
                    $null = $ps.AddParameter($entry.Key, $entry.Value)
                }

                $output = $ps.Invoke()
                [pscustomobject]@{
                    Output   = @($output)
                    Errors   = @($ps.Streams.Error)
                    Progress = @($ps.Streams.Progress)
                }
            }
            finally {
                $ps.Dispose()
            }
        }

        $WriteConfigMap = @'
cat > /kratix/output/configmap.yaml <<EOF
apiVersion: v1
kind: ConfigMap
metadata:
  name: $KRATIX_OBJECT_NAME
  namespace: $KRATIX_OBJECT_NAMESPACE
EOF
'@
    }

    Context 'A batch of requests' {
        BeforeAll {
            $platform = New-TestPlatform -Name 'batch'
            $at = @{ Platform = $platform.Home }
            $null = Register-KratixStateStore -Name default -Url $platform.Remote @at
            Register-KratixDestination -Name dev -StateStore default -Label @{ environment = 'dev' } @at
            $promiseFile = New-TestWorkflowPromiseFile -Path (Join-Path $platform.Root 'app.json') -Name app -ResourceConfigure ([ordered]@{ instance = $WriteConfigMap })
            $null = Install-KratixPromise -Path $promiseFile @at

            $run = Invoke-Isolated -Arguments @{ PlatformHome = $platform.Home } -Script {
                param($PlatformHome)
                1..6 | ForEach-Object { [pscustomobject]@{ Name = "app-$_" } } | New-KratixRequest -Promise app -Spec @{ replicas = 1 } -Platform $PlatformHome
            }
        }

        It 'submits every request' {
            $run.Errors | Should -BeNullOrEmpty
            $run.Output | Should -HaveCount 6
        }

        It 'shows the submission as one activity whose stages go from none to all' {
            # Reading a long input shows how many requests wait (under the same id, before the submission replaces it).
            $records = @($run.Progress | Where-Object Activity -NE 'Reading requests')
            $records | Should -Not -BeNullOrEmpty
            $records | ForEach-Object { $_.Activity | Should -Be 'Submitting 6 requests' }
            $records | ForEach-Object { $_.ActivityId | Should -Be 1 }
            # The first count of a stage may be superseded by a later one written in the same burst; the last never is.
            $records[0].StatusDescription | Should -BeLike 'Validating and saving requests: * of 6'
            $stages = $records | Where-Object RecordType -EQ 'Processing' | ForEach-Object { ($_.StatusDescription -split ':')[0] } | Select-Object -Unique
            $stages | Should -Be @('Validating and saving requests', 'Checking which workflows are due', 'Running workflows', 'Keeping what the workflows made', 'Writing to state stores', "Saving the requests' status")
            $records | Where-Object StatusDescription -EQ 'Running workflows: 6 of 6' | Should -Not -BeNullOrEmpty
            $records | Where-Object StatusDescription -EQ 'Writing to state stores: 1 of 1' | Select-Object -ExpandProperty CurrentOperation | Should -Be 'GitStateStore "default": 6 placement(s)'
        }

        It 'ends with the activity completed' {
            $run.Progress | ForEach-Object { $_.Activity | Should -BeIn @('Reading requests', 'Submitting 6 requests') }
            $run.Progress[-1].RecordType | Should -Be 'Completed'
            @($run.Progress | Where-Object RecordType -EQ 'Completed') | Should -HaveCount 1
        }

        It 'writes no progress when $ProgressPreference is SilentlyContinue' {
            $quiet = Invoke-Isolated -ProgressPreference SilentlyContinue -Arguments @{ PlatformHome = $platform.Home } -Script {
                param($PlatformHome)
                New-KratixRequest -Promise app -Name quiet -Spec @{ replicas = 1 } -Platform $PlatformHome
            }

            $quiet.Errors | Should -BeNullOrEmpty
            $quiet.Output | Should -HaveCount 1
            $quiet.Progress | Should -BeNullOrEmpty
        }
    }

    Context 'A thousand requests' {
        BeforeAll {
            $platform = New-TestPlatform -Name 'thousand'
            $at = @{ Platform = $platform.Home }
            $null = Register-KratixStateStore -Name default -Url $platform.Remote @at
            Register-KratixDestination -Name dev -StateStore default -Label @{ environment = 'dev' } @at
            $null = Install-KratixPromise -Path (New-TestPromiseFile -Path (Join-Path $platform.Root 'redis.yaml') -Name redis) @at

            $run = Invoke-Isolated -Arguments @{ PlatformHome = $platform.Home } -Script {
                param($PlatformHome)
                $watch = [Diagnostics.Stopwatch]::StartNew()
                $count = (1..1000 | ForEach-Object { [pscustomobject]@{ Name = "cache-$_" } } | New-KratixRequest -Promise redis -Spec @{ replicas = 1 } -Platform $PlatformHome | Measure-Object).Count
                [pscustomobject]@{ Count = $count; Seconds = $watch.Elapsed.TotalSeconds }
            }
        }

        It 'submits all of them' {
            $run.Errors | Should -BeNullOrEmpty
            $run.Output[0].Count | Should -Be 1000
        }

        It 'costs a few dozen progress records, not one per request' {
            # Three stages (no workflow), each at its start, its end and at most one report per 100 ms between.
            $run.Progress.Count | Should -BeGreaterOrEqual 7
            $run.Progress.Count | Should -BeLessOrEqual (7 + [math]::Ceiling($run.Output[0].Seconds * 10) * 3) -Because "the engine throttles its reports ($($run.Progress.Count) in $($run.Output[0].Seconds) s)"
            $run.Progress | Where-Object StatusDescription -EQ "Saving the requests' status: 1,000 of 1,000" | Should -HaveCount 1
        }

        It 'says how many requests it has read while the input lasts' {
            # An input that lasts about 1.5 s for sure (its objects come every 25 ms), whatever the machine's speed: the
            # count is shown once reading has taken half a second.
            $slow = Invoke-Isolated -Arguments @{ PlatformHome = $platform.Home } -Script {
                param($PlatformHome)
                1..60 | ForEach-Object { Start-Sleep -Milliseconds 25; [pscustomobject]@{ Name = "slow-$_" } } |
                    New-KratixRequest -Promise redis -Spec @{ replicas = 1 } -Platform $PlatformHome | Measure-Object | Select-Object -ExpandProperty Count
            }
            $slow.Errors | Should -BeNullOrEmpty
            $slow.Output[0] | Should -Be 60
            $reading = @($slow.Progress | Where-Object Activity -EQ 'Reading requests')

            $reading | Should -Not -BeNullOrEmpty -Because 'reading the input took more than half a second'
            $reading | ForEach-Object { $_.ActivityId | Should -Be 1; $_.StatusDescription | Should -Match '^[\d,]+ read; they are submitted together when the input ends$' }
            $first = [array]::IndexOf($slow.Progress, ($slow.Progress | Where-Object Activity -EQ 'Submitting 60 requests' | Select-Object -First 1))
            $first | Should -BeGreaterThan 0
            $slow.Progress | Select-Object -Skip $first | Where-Object Activity -EQ 'Reading requests' | Should -BeNullOrEmpty
        }
    }

    Context 'A sync' {
        BeforeAll {
            $platform = New-TestPlatform -Name 'sync'
            $at = @{ Platform = $platform.Home }
            $null = Register-KratixStateStore -Name default -Url $platform.Remote @at
            Register-KratixDestination -Name dev -StateStore default -Label @{ environment = 'dev' } @at
            $promiseFile = New-TestWorkflowPromiseFile -Path (Join-Path $platform.Root 'app.json') -Name app -ResourceConfigure ([ordered]@{ instance = $WriteConfigMap })
            $null = Install-KratixPromise -Path $promiseFile @at
            $null = 'one', 'two' | ForEach-Object { [pscustomobject]@{ Name = $_ } } | New-KratixRequest -Promise app -Spec @{ replicas = 1 } @at

            $run = Invoke-Isolated -Arguments @{ PlatformHome = $platform.Home } -Script {
                param($PlatformHome)
                Sync-KratixPlatform -Platform $PlatformHome -Confirm:$false
            }
        }

        It 'shows its stages, and each Promise''s requests as a child activity' {
            $run.Errors | Should -BeNullOrEmpty
            $top = @($run.Progress | Where-Object ActivityId -EQ 1)
            $top | ForEach-Object { $_.Activity | Should -Be 'Syncing the platform'; $_.ParentActivityId | Should -Be -1 }
            $top.StatusDescription | Should -Contain 'Checking state stores: 1 of 1'
            $top.StatusDescription | Should -Contain 'Reconciling requests, one Promise at a time: 1 of 1'
            $child = @($run.Progress | Where-Object ActivityId -EQ 2)
            $child | Should -Not -BeNullOrEmpty
            $child | ForEach-Object { $_.Activity | Should -Be 'The requests of Promise "app"'; $_.ParentActivityId | Should -Be 1 }
            $child[-1].RecordType | Should -Be 'Completed'
            $run.Progress[-1].ActivityId | Should -Be 1
            $run.Progress[-1].RecordType | Should -Be 'Completed'
        }
    }

    Context 'Installing many Promises' {
        BeforeAll {
            $platform = New-TestPlatform -Name 'install'
            $at = @{ Platform = $platform.Home }
            $null = Register-KratixStateStore -Name default -Url $platform.Remote @at
            Register-KratixDestination -Name dev -StateStore default -Label @{ environment = 'dev' } @at
            $files = 'alpha', 'beta', 'gamma' | ForEach-Object { New-TestPromiseFile -Path (Join-Path $platform.Root "$_.yaml") -Name $_ }

            $run = Invoke-Isolated -Arguments @{ PlatformHome = $platform.Home; Files = $files } -Script {
                param($PlatformHome, $Files)
                Install-KratixPromise -LiteralPath $Files -Platform $PlatformHome -PassThru
            }
        }

        It 'shows a bar for the documents with each install''s stages under it' {
            $run.Errors | Should -BeNullOrEmpty
            $run.Output | Should -HaveCount 3
            $documents = @($run.Progress | Where-Object ActivityId -EQ 1)
            $documents | Where-Object RecordType -EQ 'Processing' | ForEach-Object { $_.Activity | Should -Be 'Installing 3 Promises' }
            ($documents | Where-Object RecordType -EQ 'Processing').PercentComplete | Should -Be @(0, 33, 66)
            $documents[-1].RecordType | Should -Be 'Completed'
            $installs = @($run.Progress | Where-Object ActivityId -EQ 2)
            $installs.Activity | Select-Object -Unique | Should -Be @('Installing Promise "alpha"', 'Installing Promise "beta"', 'Installing Promise "gamma"')
            $installs | ForEach-Object { $_.ParentActivityId | Should -Be 1 }
            @($installs | Where-Object RecordType -EQ 'Completed') | Should -HaveCount 3
        }
    }

    Context '-Verbose' {
        BeforeAll {
            $platform = New-TestPlatform -Name 'verbose'
            $at = @{ Platform = $platform.Home }
            $null = Register-KratixStateStore -Name default -Url $platform.Remote @at
            Register-KratixDestination -Name dev -StateStore default -Label @{ environment = 'dev' } @at
            $promiseFile = New-TestWorkflowPromiseFile -Path (Join-Path $platform.Root 'app.json') -Name app -ResourceConfigure ([ordered]@{ instance = $WriteConfigMap })
            $null = Install-KratixPromise -Path $promiseFile @at
        }

        It 'says which objects were saved, which pipelines ran, which commit was pushed and which files were written' {
            $messages = @(New-KratixRequest -Promise app -Name web -Namespace team-a -Spec @{ replicas = 1 } -Verbose @at 4>&1 |
                Where-Object { $_ -is [System.Management.Automation.VerboseRecord] } | ForEach-Object Message)
            $head = [string] (git --git-dir=$($platform.Remote) rev-parse main)

            $messages | Should -Contain 'Saved App team-a/web (objects/apps.test.kratix.io/team-a/web.yaml).'
            $messages | Where-Object { $_ -match '^App "team-a/web": pipeline resource\.configure/instance Succeeded in \d+\.\d+ s on Host\.$' } | Should -HaveCount 1
            $messages | Should -Contain "GitStateStore `"default`": commit $head pushed to $($platform.Remote) (branch main): 1 of 1 change(s)."
            $messages | Should -Contain 'GitStateStore "default": wrote dev/resources/team-a/app/web/instance/5058f/configmap.yaml'
            $messages | Where-Object { $_ -like 'Saved WorkPlacement team-a/app-web-instance-*' } | Should -HaveCount 1
        }

        It 'says that a sync with nothing to repair wrote nothing' {
            $head = [string] (git --git-dir=$($platform.Remote) rev-parse main)
            $messages = @(Sync-KratixPlatform -Confirm:$false -Verbose @at 4>&1 |
                Where-Object { $_ -is [System.Management.Automation.VerboseRecord] } | ForEach-Object Message)

            $messages | Should -Contain "GitStateStore `"default`": $($platform.Remote) (branch main) already holds all 1 change(s); nothing written (at commit $head)."
            $messages | Where-Object { $_ -like '*: wrote *' } | Should -BeNullOrEmpty
        }

        It 'says which files a removal took off the state store' {
            $messages = @(Remove-KratixRequest -Promise app -Name web -Namespace team-a -Confirm:$false -Verbose @at 4>&1 |
                Where-Object { $_ -is [System.Management.Automation.VerboseRecord] } | ForEach-Object Message)

            $messages | Should -Contain 'GitStateStore "default": removed dev/resources/team-a/app/web/instance/5058f'
            $messages | Should -Contain 'Deleted App team-a/web (objects/apps.test.kratix.io/team-a/web.yaml).'
            Get-RemoteFile -Remote $platform.Remote -Path 'dev/resources/team-a/app/web/instance/5058f/configmap.yaml' | Should -BeNullOrEmpty
        }
    }
}
