#Requires -Version 7.4
# Pester 5: Set-, Get-, Remove-KratixHealthRecord and Measure-KratixPromise through the cmdlets, on a platform home whose
# workflows run on the Host runtime and whose Destination writes to a real bare Git repository.

Describe 'Health' {
    BeforeAll {
        $RepoRoot = (Resolve-Path -LiteralPath (Join-Path $PSScriptRoot '..' '..')).ProviderPath
        Import-Module (Join-Path $RepoRoot 'out/Kratix/Kratix.psd1') -Force
        Import-Module (Join-Path $PSScriptRoot 'Kratix.TestHelpers.psm1') -Force

        $platform = New-TestPlatform -Name 'health'
        $P = $platform.Home
        Register-KratixStateStore -Name default -Url $platform.Remote -Platform $P
        Register-KratixDestination -Name dev -StateStore default -Label @{ environment = 'dev' } -Platform $P
        $promiseFile = New-TestWorkflowPromiseFile -Path (Join-Path $platform.Root 'app.yaml') -Name app -ResourceConfigure ([ordered]@{
                render = 'printf "kind: ConfigMap\nmetadata:\n  name: %s\n" "$KRATIX_OBJECT_NAME" > /kratix/output/cm.yaml'
            })
        Install-KratixPromise -Path $promiseFile -Platform $P
        $null = New-KratixRequest -Promise app -Name web -Spec @{ replicas = 1 } -Platform $P
        $null = New-KratixRequest -Promise app -Name api -Spec @{ replicas = 1 } -Platform $P
    }

    Context 'HealthRecords' {
        It 'records a request healthy and the request shows it' {
            $record = Set-KratixHealthRecord -Promise app -Name web -State healthy -Details @{ latencyMs = 12 } -PassThru -Platform $P

            $record.PSObject.TypeNames[0] | Should -Be 'Kratix.HealthRecord'
            $record.Name | Should -Be 'app-web'
            $record.Namespace | Should -Be 'default'
            $record.State | Should -Be 'healthy'
            $record.Promise | Should -Be 'app'
            $record.Data.resourceRef.name | Should -Be 'web'
            $record.Data.details.latencyMs | Should -Be 12
            $record.Data.lastRun | Should -BeGreaterThan ([DateTimeOffset]::UtcNow.AddMinutes(-5).ToUnixTimeSeconds())

            $request = Get-KratixRequest -Promise app -Name web -Platform $P
            $request.Health | Should -Be 'healthy'
            $request.Status.healthStatus.healthRecords[0].source.name | Should -Be 'app-web'
            (Get-KratixRequest -Promise app -Name api -Platform $P).Health | Should -BeNullOrEmpty
        }

        It 'takes requests from the pipeline, and the worst record decides, with a warning' {
            Get-KratixRequest -Promise app -Platform $P |
                Set-KratixHealthRecord -State degraded -Source nightly -Platform $P -WarningVariable warned -WarningAction SilentlyContinue

            (Get-KratixRequest -Promise app -Name web -Platform $P).Health | Should -Be 'degraded'
            (Get-KratixRequest -Promise app -Name api -Platform $P).Health | Should -Be 'degraded'
            @($warned) -join "`n" | Should -Match 'Health state is degraded'
            (Get-KratixHealthRecord -Name *-nightly -Platform $P).Name | Should -Be @('app-api-nightly', 'app-web-nightly')
        }

        It 'lists the records behind a request when the request is piped' {
            $records = @(Get-KratixRequest -Promise app -Name web -Platform $P | Get-KratixHealthRecord -Platform $P)

            ($records.Name | Sort-Object) | Should -Be @('app-web', 'app-web-nightly')
            @(Get-KratixHealthRecord -Request api -Platform $P).Name | Should -Be @('app-api-nightly')
            @(Get-KratixPromise -Name app -Platform $P | Get-KratixHealthRecord -Platform $P).Count | Should -Be 3
        }

        It 'applies a manifest as it is and refuses one upstream''s CRD refuses' {
            @'
apiVersion: platform.kratix.io/v1alpha1
kind: HealthRecord
metadata:
  name: from-yaml
data:
  promiseRef: {name: app}
  resourceRef: {name: api, namespace: default}
  state: unhealthy
'@ | Set-KratixHealthRecord -Platform $P -WarningAction SilentlyContinue
            (Get-KratixRequest -Promise app -Name api -Platform $P).Health | Should -Be 'unhealthy'

            Set-KratixHealthRecord -InputObject @{ apiVersion = 'platform.kratix.io/v1alpha1'; kind = 'HealthRecord'; metadata = @{ name = 'bad' }; data = @{ state = 'great' } } -Platform $P -ErrorVariable failed -ErrorAction SilentlyContinue
            $failed[0].FullyQualifiedErrorId | Should -BeLike 'HealthRecordInvalid*'
            "$($failed[0])" | Should -Match 'data.state'
            "$($failed[0])" | Should -Match 'data.promiseRef'
        }

        It 'removes records and the request''s health is computed again' {
            Get-KratixHealthRecord -Request api -Platform $P | Remove-KratixHealthRecord -Platform $P

            $api = Get-KratixRequest -Promise app -Name api -Platform $P
            $api.Health | Should -Be 'ready'
            $api.Status.healthStatus.healthRecords | Should -BeNullOrEmpty
            Remove-KratixHealthRecord -Name app-web-nightly -Platform $P
            (Get-KratixRequest -Promise app -Name web -Platform $P).Health | Should -Be 'healthy'
            Remove-KratixHealthRecord -Name nope -Platform $P -ErrorVariable missing -ErrorAction SilentlyContinue
            $missing[0].FullyQualifiedErrorId | Should -BeLike 'HealthRecordNotFound*'
        }

        It 'shows the Health column and the record views' {
            (Get-KratixRequest -Promise app -Platform $P | Format-Table | Out-String) | Should -Match 'Health'
            $table = Get-KratixHealthRecord -Platform $P | Format-Table | Out-String -Width 200
            $table | Should -Match 'app-web\s+healthy\s+app\s+web'
            (Get-KratixHealthRecord -Platform $P | Format-List | Out-String) | Should -Match 'Request\s+: default/web'
        }
    }

    Context 'Measure-KratixPromise' {
        It 'probes a Promise end to end and records the outcome' {
            $result = Measure-KratixPromise -Name app -Spec @{ replicas = 1 } -Timeout 120 -Platform $P

            $result.PSObject.TypeNames[0] | Should -Be 'Kratix.PromiseProbeResult'
            $result.Success | Should -BeTrue -Because $result.Message
            $result.FailedStep | Should -BeNullOrEmpty
            $result.Request | Should -Match '^app-probe-[a-z0-9]{5}$'
            $result.TimeToReconciled | Should -BeLessOrEqual $result.TimeToStateStore
            $result.TimeToStateStore | Should -BeLessOrEqual $result.Total
            $result.Placements[0].Written | Should -BeTrue
            $result.Placements[0].Paths[0] | Should -Be "dev/resources/default/app/$($result.Request)/render/5058f/cm.yaml"
            Get-KratixRequest -Promise app -Name $result.Request -Platform $P -ErrorAction SilentlyContinue | Should -BeNullOrEmpty
            Get-RemoteFile -Remote $platform.Remote -Path $result.Placements[0].Paths[0] | Should -BeNullOrEmpty

            $record = Get-KratixHealthRecord -Name app-probe -Platform $P
            $record.State | Should -Be 'healthy'
            $record.Data.details.success | Should -BeTrue
            $record.Data.resourceRef | Should -BeNullOrEmpty
            ($result | Format-Table | Out-String) | Should -Match 'StateStore\(s\)'
            ($result | Format-List | Out-String) | Should -Match 'written'
        }

        It 'probes with a request manifest and fails at the step that failed' {
            $manifest = @{ apiVersion = 'test.kratix.io/v1alpha1'; kind = 'App'; metadata = @{ name = 'smoke' }; spec = @{ replicas = 9 } }
            $result = Measure-KratixPromise -Name app -InputObject $manifest -NoHealthRecord -Platform $P

            $result.Success | Should -BeFalse
            $result.FailedStep | Should -Be 'Submit'
            $result.Request | Should -Match '^smoke-probe-'
            $result.Message | Should -Match 'spec.replicas'
        }

        It 'repeats and sums up against objectives a test can assert' {
            $summary = Measure-KratixPromise -Name app -Spec @{ replicas = 1 } -Count 2 -SuccessRatio 0.99 -LatencyObjective '00:02:00' -LatencyPercentile 50 -HealthRecordName app-slo -Platform $P

            $summary.PSObject.TypeNames[0] | Should -Be 'Kratix.PromiseProbeSummary'
            $summary.Count | Should -Be 2
            $summary.Succeeded | Should -Be 2
            $summary.SuccessRatio | Should -Be 1
            $summary.Passed | Should -BeTrue
            $summary.SuccessRatioMet | Should -BeTrue
            $summary.LatencyMet | Should -BeTrue
            $summary.P50 | Should -BeLessOrEqual $summary.Max
            @($summary.Results).Count | Should -Be 2
            (Get-KratixHealthRecord -Name app-slo -Platform $P).State | Should -Be 'healthy'
            ($summary | Format-Table | Out-String) | Should -Match 'p99\(s\)'
            ($summary | Format-List | Out-String) | Should -Match 'Latency Met\s+: True'

            $strict = Measure-KratixPromise -Name app -Spec @{ replicas = 1 } -Count 1 -LatencyObjective '00:00:00.001' -NoHealthRecord -Platform $P
            $strict.Passed | Should -BeFalse
            $strict.LatencyMet | Should -BeFalse
        }

        It 'says when the Promise is not installed, and -WhatIf submits nothing' {
            Measure-KratixPromise -Name nope -Platform $P -ErrorVariable missing -ErrorAction SilentlyContinue
            $missing[0].FullyQualifiedErrorId | Should -BeLike 'PromiseNotFound*'

            Measure-KratixPromise -Name app -Spec @{ replicas = 1 } -WhatIf -Platform $P | Should -BeNullOrEmpty
            @(Get-KratixRequest -Promise app -Platform $P).Count | Should -Be 2
        }
    }
}
